"""Egger's test and trim-and-fill against metafor 3.8-1 (tests/fixtures/bias.json).

The fixture is written by tests/fixtures/make_bias_fixtures.R with tight
convergence, so estimates are compared at relative 1e-6.
"""
import math

import numpy as np
import pytest

from engine_reference import assert_close, fixture
from engine_reference import case as one_case
from utils import bias

FIXTURE = fixture("bias")
DATA = FIXTURE["datasets"]
RTOL = 1e-6


def close(actual, expected, what="value", atol=1e-10):
    """assert_close at this file's tolerance (relative 1e-6, absolute 1e-10), as an expression."""
    assert_close(actual, expected, what, rtol=RTOL, atol=atol)
    return True


def case_id(case):
    side = case["side_arg"] or "default"
    return f"{case['dataset']}-{case['method']}-{case['estimator']}-{side}"


# --------------------------------------------------------------------------
# The rank estimators, by hand from Duval & Tweedie (2000)
# --------------------------------------------------------------------------
def test_signed_ranks_break_ties_by_position():
    # |x| = 1, 1, 0.5: the 0.5 ranks 1, then the two 1s in order of position.
    np.testing.assert_array_equal(bias.signed_ranks([1.0, -1.0, 0.5]), [2.0, -3.0, 1.0])


def test_signed_ranks_zero_has_no_sign():
    np.testing.assert_array_equal(bias.signed_ranks([0.0, 2.0, -1.0]), [0.0, 3.0, -2.0])


CENTRED = [-0.5, 0.1, 0.2, 0.3, 0.4, 1.0]  # signed ranks -5, 1, 2, 3, 4, 6; S_r = 16, k = 6


def test_l0_by_hand():
    k0, se = bias.k0_estimate(CENTRED, "L0")
    assert k0 == pytest.approx((4 * 16 - 6 * 7) / 11)  # = 2
    # Var S_r = [6*7*13 + 10*8 + 27*4 + 17*2 - 18*6*4 - 18*6*2 + 6*36*2] / 24 = 23
    assert se == pytest.approx(4 * math.sqrt(23) / 11)


def test_r0_by_hand():
    k0, se = bias.k0_estimate(CENTRED, "R0")
    assert k0 == 6 - 5 - 1  # largest negative rank is 5
    assert se == pytest.approx(math.sqrt(2))


def test_r0_counts_the_rightmost_run_of_positive_ranks():
    # signed ranks -1, -2, 3, 4, 5: the run 3..5 has length 3, so R0 = 2.
    k0, se = bias.k0_estimate([-0.1, -0.2, 0.3, 0.4, 0.5], "R0")
    assert k0 == 2
    assert se == pytest.approx(math.sqrt(2 * 2 + 2))


def test_l0_changes_sign_with_the_orientation():
    rng = np.random.default_rng(1)
    centred = rng.normal(size=9)
    assert bias.k0_estimate(-centred, "L0")[0] == pytest.approx(-bias.k0_estimate(centred, "L0")[0])


def test_k0_rounds_and_is_never_negative():
    assert bias.round_k0(-1.7) == 0
    assert bias.round_k0(2.4) == 2
    assert bias.round_k0(2.6) == 3
    assert bias.round_k0(2.5) == 2  # halves to even, as R's round()


def test_unknown_estimator_is_rejected():
    with pytest.raises(ValueError, match="estimator"):
        bias.k0_estimate(CENTRED, "Q9")


# The iteration alone, with the fixed-effect (inverse-variance) mean as the pooling
# step: this reproduces metafor's FE trim-and-fill without any model fitting code.
@pytest.mark.parametrize(
    "case",
    [c for c in FIXTURE["trimfill"] if c["method"] == "FE"],
    ids=case_id,
)
def test_iteration_with_fixed_effect_mean_matches_metafor(case):
    d = DATA[case["dataset"]]
    yi, vi = np.asarray(d["yi"]), np.asarray(d["vi"])
    flip = -1.0 if case["side"] == "right" else 1.0
    order = np.argsort(flip * yi, kind="stable")
    y, v = flip * yi[order], vi[order]

    def fixed_mean(n):
        return np.sum(y[:n] / v[:n]) / np.sum(1 / v[:n])

    k0, se, centre, _ = bias.trim_iterations(y, fixed_mean, case["estimator"])
    assert k0 == case["k0"]
    assert close(se, case["se_k0"])
    filled = flip * (2 * centre - y[len(y) - k0:])
    expected_filled = np.asarray(case["yi"])[np.asarray(case["fill"], dtype=bool)]
    np.testing.assert_allclose(filled, expected_filled, rtol=RTOL)


def test_iteration_stops_when_k0_no_longer_changes():
    y = np.array([-0.1, 0.0, 0.1, 0.2, 0.3, 1.0, 1.2, 1.4, 1.6, 1.8])
    calls = []

    def mean_of(n):
        calls.append(n)
        return y[:n].mean()

    k0, _, centre, iterations = bias.trim_iterations(y, mean_of, "R0")
    assert k0 > 0
    assert iterations == len(calls) > 1
    assert calls[0] == len(y)  # the first pass pools everything
    assert calls[-1] == len(y) - k0  # the last pass pooled the trimmed set ...
    assert bias.round_k0(bias.k0_estimate(y - centre, "R0")[0]) == k0  # ... and k0 is a fixed point


# --------------------------------------------------------------------------
# trim_and_fill against metafor::trimfill
# --------------------------------------------------------------------------
@pytest.mark.parametrize("case", FIXTURE["trimfill"], ids=case_id)
def test_trim_and_fill_matches_metafor(case):
    d = DATA[case["dataset"]]
    res = bias.trim_and_fill(d["yi"], d["vi"], method=case["method"], estimator=case["estimator"],
                             side=case["side_arg"])
    assert res.side == case["side"]
    assert res.k0 == case["k0"]
    assert close(res.k0_se, case["se_k0"])
    if case["estimator"] == "R0":
        assert close(res.p_k0, case["p_k0"])
    else:
        assert res.p_k0 is None
    for ours, theirs in [("estimate", "estimate"), ("se", "se"), ("ci_low", "ci_low"),
                         ("ci_high", "ci_high"), ("p", "pval")]:
        assert close(getattr(res, ours), case[theirs], ours)
    assert close(res.model.tau2, case["tau2"], atol=1e-8)
    assert res.model.k == case["k"] == len(d["yi"]) + res.k0
    fill = np.asarray(case["fill"], dtype=bool)
    np.testing.assert_allclose(res.filled_yi, np.asarray(case["yi"])[fill], rtol=RTOL)
    np.testing.assert_allclose(res.filled_vi, np.asarray(case["vi"])[fill], rtol=RTOL)
    np.testing.assert_allclose(res.model.yi, case["yi"], rtol=RTOL)
    assert close(res.observed.estimate, case["estimate_original"])


def test_loseth_2024_trim_and_fill_reproduces_the_paper():
    # Loseth et al. (2024): "The estimated number of missing studies was 0 (SE = 2)";
    # adjusted g = -0.20 [-0.32, -0.07] (Results, publication bias).
    d = DATA["loseth2024"]
    res = bias.trim_and_fill(d["yi"], d["vi"])
    assert res.k0 == 0
    assert res.side == "right"
    assert res.k0_se == pytest.approx(1.90, abs=0.005)
    assert round(res.estimate, 4) == -0.1965
    assert round(res.ci_low, 4) == -0.3244
    assert round(res.ci_high, 4) == -0.0685
    assert res.estimate == res.observed.estimate  # nothing filled, estimate unchanged
    assert res.filled_yi.size == 0 and res.model is res.observed
    text = str(res)
    assert "Missing studies on the right  0 (SE = 1.9044)" in text and "nothing filled" in text


def test_loseth_2024_vi_from_the_confidence_intervals():
    d = DATA["loseth2024"]
    expected = ((np.asarray(d["ci_high"]) - np.asarray(d["ci_low"])) / (2 * 1.959963984540054)) ** 2
    np.testing.assert_allclose(d["vi"], expected, rtol=1e-12)
    np.testing.assert_array_equal(d["yi"], d["g"])


def test_default_side_agrees_with_egger_slope_sign():
    for name in ("hackshaw1998", "bcg", "loseth2024"):
        d = DATA[name]
        slope = bias.egger(d["yi"], d["vi"]).slope
        assert bias.funnel_side(d["yi"], d["vi"]) == ("right" if slope < 0 else "left")


def test_filled_effects_mirror_the_trimmed_ones():
    d = DATA["hackshaw1998"]
    res = bias.trim_and_fill(d["yi"], d["vi"], side="left")
    yi = np.asarray(d["yi"])
    largest = np.sort(yi)[len(yi) - res.k0:]
    mirrored = res.filled_yi + largest  # = 2 * centre for each pair
    assert res.k0 > 0
    np.testing.assert_allclose(mirrored, mirrored[0], rtol=1e-12)
    assert np.all(res.filled_yi < res.observed.estimate)


def test_labels_name_the_filled_studies():
    d = DATA["hackshaw1998"]
    names = [f"Study {i}" for i in range(len(d["yi"]))]
    res = bias.trim_and_fill(d["yi"], d["vi"], labels=names)
    assert list(res.model.labels)[-res.k0:] == [f"Filled {i + 1}" for i in range(res.k0)]
    assert list(res.model.labels)[:len(names)] == names


def test_trim_and_fill_prints_a_summary():
    d = DATA["hackshaw1998"]
    res = bias.trim_and_fill(d["yi"], d["vi"])
    text = str(res)
    assert "Missing studies on the left" in text and "7 (SE = 4.0399)" in text
    assert "0.1745" in text  # filled estimate
    page = res._repr_html_()
    assert page.startswith("<table") and "4.0399" in page


# --------------------------------------------------------------------------
# egger against metafor::regtest and the multilevel rma.mv test
# --------------------------------------------------------------------------
@pytest.mark.parametrize("case", FIXTURE["regtest"], ids=lambda c: f"{c['dataset']}-{c['method']}")
def test_egger_matches_regtest(case):
    d = DATA[case["dataset"]]
    res = bias.egger(d["yi"], d["vi"], method=case["method"])
    for ours, theirs in [("slope", "slope"), ("se", "se"), ("stat", "zval"), ("p", "pval"),
                         ("limit_estimate", "limit_estimate"), ("limit_se", "intercept_se"),
                         ("limit_ci_low", "limit_ci_low"), ("limit_ci_high", "limit_ci_high")]:
        assert close(getattr(res, ours), case[theirs], ours)
    assert close(res.model.tau2, case["tau2"], atol=1e-8)
    assert res.k == case["k"]
    assert not res.multilevel


def test_multilevel_egger_matches_rma_mv():
    case = one_case("regtest_multilevel", "konstantopoulos2011", source="bias")
    d = DATA["konstantopoulos2011"]
    res = bias.egger(d["yi"], d["vi"], study=d["district"], outcome=d["school"])
    for ours, theirs in [("slope", "slope"), ("se", "se"), ("stat", "zval"), ("p", "pval"),
                         ("limit_estimate", "limit_estimate"), ("limit_se", "intercept_se"),
                         ("limit_ci_low", "limit_ci_low"), ("limit_ci_high", "limit_ci_high")]:
        assert close(getattr(res, ours), case[theirs], ours)
    np.testing.assert_allclose(res.model.sigma2, case["sigma2"], rtol=RTOL)
    assert res.multilevel and res.n_studies == 11 and res.k == 56


def test_loseth_2024_study_level_egger():
    case = next(c for c in FIXTURE["regtest"] if c["dataset"] == "loseth2024")
    d = DATA["loseth2024"]
    res = bias.egger(d["yi"], d["vi"])
    assert res.slope < 0  # smaller studies, more negative effects
    assert close(res.stat, case["zval"]) and close(res.p, case["pval"])


def test_egger_prints_a_summary():
    d = DATA["bcg"]
    text = str(bias.egger(d["yi"], d["vi"]))
    assert "z = -0.8033" in text and "-0.5104" in text
    assert "<table" in bias.egger(d["yi"], d["vi"])._repr_html_()


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------
YI = [0.1, 0.3, 0.5, -0.2]
VI = [0.04, 0.05, 0.09, 0.02]


@pytest.mark.parametrize("tool", [bias.egger, bias.trim_and_fill])
def test_a_single_study_is_rejected(tool):
    with pytest.raises(ValueError, match="at least 3"):
        tool([0.2], [0.04])


@pytest.mark.parametrize("tool", [bias.egger, bias.trim_and_fill])
def test_nan_is_rejected_with_its_position(tool):
    with pytest.raises(ValueError, match="yi.*position 2"):
        tool([0.1, 0.3, float("nan"), 0.2], VI)
    with pytest.raises(ValueError, match="vi.*position 1"):
        tool(YI, [0.04, float("nan"), 0.09, 0.02])


@pytest.mark.parametrize("tool", [bias.egger, bias.trim_and_fill])
def test_mismatched_lengths_are_rejected(tool):
    with pytest.raises(ValueError, match="same length"):
        tool(YI, VI[:3])


@pytest.mark.parametrize("tool", [bias.egger, bias.trim_and_fill])
def test_non_positive_variance_is_rejected(tool):
    with pytest.raises(ValueError, match="vi must be positive; position 3"):
        tool(YI, [0.04, 0.05, 0.09, 0.0])


def test_egger_with_equal_variances_is_rejected():
    with pytest.raises(ValueError, match="variances are equal"):
        bias.egger(YI, [0.05] * 4)


def test_trim_and_fill_with_equal_variances_needs_a_side():
    with pytest.raises(ValueError, match="pass side="):
        bias.trim_and_fill(YI, [0.05] * 4)
    # With the side given, the ranks still work (metafor behaves the same way).
    res = bias.trim_and_fill(YI, [0.05] * 4, side="left")
    # equal variances: every model's pooled estimate is the plain mean of the effects kept
    y = np.sort(np.asarray(YI))
    k0, k0_se, _, _ = bias.trim_iterations(y, lambda n: y[:n].mean())
    assert res.side == "left" and res.k0 == k0 and res.filled_yi.size == k0
    assert res.k0_se == pytest.approx(k0_se, rel=1e-9)


def test_identical_effects_are_rejected():
    with pytest.raises(ValueError, match="all effect sizes are equal"):
        bias.trim_and_fill([0.2] * 5, VI + [0.03])


def test_missing_study_label_is_rejected():
    d = DATA["konstantopoulos2011"]
    study = list(d["district"])
    study[5] = None
    with pytest.raises(ValueError, match="study is missing a label at position 5"):
        bias.egger(d["yi"], d["vi"], study=study)


def test_outcome_without_study_is_rejected():
    with pytest.raises(ValueError, match="outcome"):
        bias.egger(YI, VI, outcome=[1, 2, 3, 4])


@pytest.mark.parametrize("kwargs, word", [({"estimator": "Q0"}, "estimator"), ({"side": "up"}, "side")])
def test_bad_options_are_rejected(kwargs, word):
    with pytest.raises(ValueError, match=word):
        bias.trim_and_fill(YI, VI, **kwargs)
