"""The naltrexone blockade model (utils.pharmacology) against every cited statement.

Statements (sources in utils/pharmacology.py and lesson 02):
- planning curve, ED50 = 5.59 mg: 25 mg ~82%, 50 mg ~90%, 100 mg ~95% in the first
  hours (Trøstheim et al. 2023), fitted to Rabiner et al.'s (2011) PET points;
- 50 mg: > 90% within 2 h, for at least 49 h (Løseth et al. 2024, Discussion);
- blockade half-time 72-108 h (Lee et al. 1988), 72 h in the review;
- about 15 days (5 half-lives) to clear (Trøstheim et al. 2023; Løseth et al. 2024);
- 7- and 10-day intersession intervals leave residual blockade (Løseth et al. 2024);
- 50 mg: kappa 78-100%, delta about 10% (Trøstheim et al. 2023).
"""
import numpy as np
import pytest

from utils import pharmacology as ph

HOURS_PER_DAY = 24.0


# --------------------------------------------------------------------------
# The cited statements
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dose, cited", [(25, 82), (50, 90), (100, 95)])
def test_planning_curve_gives_the_cited_blockade_in_the_first_hours(dose, cited):
    assert round(ph.blockade(dose, 0.0)) == cited
    # the tool is valid within about 8 h: the model stays within 3 points of it
    early = ph.blockade(dose, np.linspace(0, 8, 33))
    assert np.all(np.abs(early - ph.blockade(dose, 0.0)) <= 3.0)


def test_fifty_mg_is_about_90_percent_within_2_hours():
    # "> 90% within 2 h": the planning curve itself gives 89.9% for 50 mg, so the
    # model can only meet it to the nearest percent.
    for hours in (1.0, 2.0):
        assert round(ph.blockade(50, hours)) >= 90


def test_more_than_90_percent_at_49_hours_is_out_of_reach_with_this_ed50():
    # The start of the curve caps 50 mg below 90%, and a falling level only lowers
    # it: no level half-life, however long, meets "> 90% for at least 49 h".
    assert ph.occupancy(50) < 90
    for half_life in (ph.LEVEL_HALF_LIFE_H, 96.0, 1e3, 1e6):
        assert ph.blockade(50, 49.0, half_life_h=half_life) < 90
    # It would need a level of 9 x ED50 at 49 h: more than the whole dose.
    assert ph.dose_for_blockade(90) > 50


def test_saturation_holds_blockade_longer_than_a_plain_exponential():
    # The caution: occupancy itself decaying from 98% with a 72 h half-life gives
    # about 61% at 49 h; the model keeps more receptors blocked then.
    assert ph.naive_exponential(49.0) == pytest.approx(98 * 2 ** (-49 / 72))
    assert 60 < ph.naive_exponential(49.0) < 63
    assert ph.blockade(50, 49.0) > ph.naive_exponential(49.0)


def test_blockade_half_time_spans_lee_1988():
    # Lee et al. (1988): 72-108 h. Fitted exponential at their scan times ~ 72 h,
    # time to half the 1-h blockade within the range.
    assert ph.fitted_half_time(50) == pytest.approx(72.0, abs=1.0)
    assert 72.0 <= ph.blockade_half_time(50) <= 108.5


def test_blockade_is_gone_after_about_15_days():
    fifteen_days = 15 * HOURS_PER_DAY
    assert ph.blockade(50, fifteen_days) < 1.0
    # five blockade half-lives leave 1/32 of the early blockade: reached by 15 days
    assert ph.hours_until(50, ph.blockade(50, 1.0) / 32) <= fifteen_days
    # ... but not much earlier: at 10 days more than 1% is still blocked
    assert ph.blockade(50, fifteen_days - 5 * HOURS_PER_DAY) > 1.0


def test_seven_and_ten_day_intervals_leave_residual_blockade():
    # Rütgen & Lamm: 7 days after 50 mg; Inagaki et al.: 10 days after 25, 25, 50, 50 mg.
    after_single = ph.blockade(50, 7 * HOURS_PER_DAY)
    after_diary = ph.blockade_after_doses([25, 25, 50, 50], [0, 24, 48, 72], 72 + 10 * HOURS_PER_DAY)
    assert after_single > 5.0
    assert after_diary > 1.0
    assert after_diary < after_single  # 3 more days of washout outweigh the extra doses


def test_ed50_reproduces_rabiner_points_by_least_squares():
    fitted = ph.fit_ed50(ph.RABINER_2011_DOSE_MG, ph.RABINER_2011_BLOCKADE_PCT)
    assert fitted == pytest.approx(ph.ED50_MU_MG, abs=0.02)
    # the curve passes through the middle of the points: residuals of both signs
    residuals = np.array(ph.RABINER_2011_BLOCKADE_PCT) - ph.blockade(np.array(ph.RABINER_2011_DOSE_MG))
    assert (residuals > 0).any() and (residuals < 0).any()


def test_fit_ed50_recovers_a_known_curve():
    doses = np.array([1.0, 3.0, 10.0, 30.0])
    assert ph.fit_ed50(doses, 100 * doses / (doses + 3.0)) == pytest.approx(3.0, rel=1e-6)


def test_kappa_and_delta_at_50_mg():
    assert ph.ed50("kappa") == pytest.approx(2 * ph.ED50_MU_MG)
    assert ph.ed50("delta") == pytest.approx(79 * ph.ED50_MU_MG)
    assert 78 <= ph.blockade(50, receptor="kappa") <= 100
    assert round(ph.blockade(50, receptor="delta")) == 10


# --------------------------------------------------------------------------
# Behaviour
# --------------------------------------------------------------------------
def test_scalars_in_give_a_float_out_and_arrays_broadcast():
    assert isinstance(ph.blockade(50, 2), float)
    grid = ph.blockade(np.array([[25.0], [50.0], [100.0]]), np.array([0.0, 24.0, 48.0, 96.0]))
    assert grid.shape == (3, 4)
    assert np.all(np.diff(grid, axis=1) < 0)  # falls with time
    assert np.all(np.diff(grid, axis=0) > 0)  # rises with dose
    np.testing.assert_allclose(grid[1], [ph.blockade(50, h) for h in (0, 24, 48, 96)])


def test_zero_dose_gives_no_blockade():
    assert ph.blockade(0.0, 10.0) == 0.0
    assert ph.occupancy(0.0) == 0.0


def test_occupancy_and_dose_for_blockade_are_inverses():
    doses = np.array([0.5, 5.59, 25.0, 100.0])
    np.testing.assert_allclose(ph.dose_for_blockade(ph.occupancy(doses)), doses)
    assert ph.occupancy(ph.ED50_MU_MG) == pytest.approx(50.0)


def test_hours_until_inverts_the_time_course():
    targets = np.array([80.0, 50.0, 10.0, 1.0])
    hours = ph.hours_until(50, targets)
    np.testing.assert_allclose(ph.blockade(50, hours), targets)
    assert ph.hours_until(10, 95) == 0.0  # 10 mg never reaches 95%


def test_schedule_adds_levels():
    hours = np.array([0.0, 5.0, 30.0, 200.0])
    np.testing.assert_allclose(ph.blockade_after_doses([50], [0], hours), ph.blockade(50, hours))
    np.testing.assert_allclose(ph.blockade_after_doses([25, 25], [0, 0], hours), ph.blockade(50, hours))
    # a second dose a day later raises the blockade above the single dose's
    assert ph.blockade_after_doses([50, 50], [0, 24], 48.0) > ph.blockade(50, 48.0)
    # nothing before the first dose
    assert ph.blockade_after_doses([50], [24], 10.0) == 0.0
    # any shape of times in, the same shape out
    grid = ph.blockade_after_doses([25, 50], [0, 24], np.arange(12.0).reshape(3, 4) * 10)
    assert grid.shape == (3, 4)


def test_half_life_changes_the_time_course_not_the_start():
    assert ph.blockade(50, 0, half_life_h=10) == ph.blockade(50, 0, half_life_h=100)
    assert ph.blockade(50, 48, half_life_h=10) < ph.blockade(50, 48, half_life_h=100)


# --------------------------------------------------------------------------
# Bad input: clear ValueErrors naming the argument
# --------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, fragment", [
    (dict(dose_mg=-1, hours=0), "dose_mg must be non-negative; position 0"),
    (dict(dose_mg=[50, -5], hours=0), "dose_mg must be non-negative; position 1"),
    (dict(dose_mg=50, hours=-2), "hours must be non-negative"),
    (dict(dose_mg="fifty", hours=0), "dose_mg must be numeric"),
    (dict(dose_mg=None, hours=0), "dose_mg must be numeric"),
    (dict(dose_mg=50, hours=[1, None]), "hours must be numeric"),
    (dict(dose_mg=np.nan, hours=0), "dose_mg must be finite"),
    (dict(dose_mg=50, hours=0, receptor="sigma"), "receptor must be one of"),
    (dict(dose_mg=50, hours=0, half_life_h=0), "half_life_h must be positive"),
    (dict(dose_mg=[25, 50], hours=[0, 1, 2]), "broadcast"),
])
def test_blockade_rejects_bad_input(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        ph.blockade(**kwargs)


def test_other_functions_reject_bad_input():
    with pytest.raises(ValueError, match="percent must be below 100"):
        ph.dose_for_blockade(100)
    with pytest.raises(ValueError, match="one value per dose"):
        ph.blockade_after_doses([25, 50], [0], 10)
    with pytest.raises(ValueError, match="dose_hours must be non-negative"):
        ph.blockade_after_doses([25], [-1], 10)
    with pytest.raises(ValueError, match="doses_mg must be numeric"):
        ph.blockade_after_doses(["25 mg"], [0], 10)
    with pytest.raises(ValueError, match="hours must be non-negative; position 1"):
        ph.blockade_after_doses([25], [0], [10, -3])
    with pytest.raises(ValueError, match="percent must be non-negative"):
        ph.hours_until(50, -5)
    with pytest.raises(ValueError, match="ed50_mg must be positive"):
        ph.occupancy(10, ed50_mg=-1)
    with pytest.raises(ValueError, match=r"blockade_pct must lie in \(0.0, 100.0\); position 1"):
        ph.fit_ed50([1, 2], [50, 100])
    with pytest.raises(ValueError, match="at least two different times"):
        ph.fitted_half_time(50, scan_hours=[4, 4])
