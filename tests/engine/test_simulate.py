"""Tests for utils.simulate: seeded, labelled, and generating what was asked for."""
import numpy as np
import pandas as pd
import pytest

from utils import simulate as sim

BIG = 20000  # people in the large-sample checks: standard errors of about 0.01


# --------------------------------------------------------------------------
# the crossover diary trial
# --------------------------------------------------------------------------
def test_diary_trial_is_tidy_and_labelled_simulated():
    df = sim.simulate_diary_trial(n=31, days=4, seed=1)
    assert list(df.columns) == ["participant", "order", "period", "condition", "day", "nausea", "connection"]
    assert len(df) == 31 * 2 * 4
    assert df.attrs["label"] == "simulated"
    assert df.attrs["parameters"]["n"] == 31 and df.attrs["parameters"]["seed"] == 1
    per_person = df.groupby("participant")
    assert (per_person["condition"].nunique() == 2).all()  # every person has both drugs
    assert (per_person["order"].nunique() == 1).all()  # and one order
    # each period is one drug, for `days` days, numbered 1..4
    period = df.groupby(["participant", "period"])
    assert (period["condition"].nunique() == 1).all() and (period.size() == 4).all()
    assert sorted(df["day"].unique()) == [1, 2, 3, 4]
    first = df[df["period"] == 1].groupby("participant")[["order", "condition"]].first()
    assert ((first["order"] == "naltrexone first") == (first["condition"] == "naltrexone")).all()
    assert set(df["nausea"].unique()) <= {0, 1}


def test_diary_trial_is_reproducible_with_a_seed():
    a = sim.simulate_diary_trial(seed=7)
    b = sim.simulate_diary_trial(seed=7)
    c = sim.simulate_diary_trial(seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["connection"], c["connection"])


@pytest.mark.parametrize("n", [30, 31])
def test_balanced_allocation_is_as_equal_as_possible(n):
    counts = sim.person_means(sim.simulate_diary_trial(n=n, seed=3))["order"].value_counts()
    assert abs(counts["naltrexone first"] - counts["placebo first"]) == n % 2


def test_fixed_allocation_gives_everyone_the_same_order():
    df = sim.simulate_diary_trial(n=10, allocation="naltrexone first", seed=1)
    assert (df["order"] == "naltrexone first").all()
    assert (df.loc[df["period"] == 1, "condition"] == "naltrexone").all()


@pytest.mark.parametrize("effect, sd, correlation", [(-0.3, 1.0, 0.6), (0.5, 2.0, 0.0), (-1.0, 0.5, 0.9)])
def test_large_sample_recovers_effect_sd_and_correlation(effect, sd, correlation):
    wide = sim.person_means(sim.simulate_diary_trial(n=BIG, effect=effect, sd=sd, correlation=correlation,
                                                     nausea_rate=0, placebo_nausea_rate=0, seed=11))
    se_difference = sd * np.sqrt(2 * (1 - correlation) / BIG)
    assert abs(wide["difference"].mean() - effect) < 4 * se_difference + 1e-12
    assert wide["placebo"].std() == pytest.approx(sd, rel=0.03)
    assert wide["naltrexone"].std() == pytest.approx(sd, rel=0.03)
    assert np.corrcoef(wide["placebo"], wide["naltrexone"])[0, 1] == pytest.approx(correlation, abs=0.03)
    assert wide["placebo"].mean() == pytest.approx(4.0, abs=0.05)


def test_daily_ratings_vary_with_day_sd_around_the_period_average():
    df = sim.simulate_diary_trial(n=2000, day_sd=0.7, nausea_rate=0, placebo_nausea_rate=0, seed=5)
    within = df.groupby(["participant", "period"])["connection"].std()
    assert np.sqrt((within ** 2).mean()) == pytest.approx(0.7, rel=0.03)
    flat = sim.simulate_diary_trial(n=50, day_sd=0, seed=5)
    assert (flat.groupby(["participant", "period"])["connection"].std() < 1e-12).all()


def test_order_effect_cancels_when_counterbalanced_but_biases_a_fixed_order():
    kwargs = dict(n=BIG, effect=-0.3, order_effect=0.4, nausea_rate=0, placebo_nausea_rate=0, seed=21)
    balanced = sim.person_means(sim.simulate_diary_trial(**kwargs))
    by_order = balanced.groupby("order")["difference"].mean()
    assert by_order["naltrexone first"] == pytest.approx(-0.3 - 0.4, abs=0.03)
    assert by_order["placebo first"] == pytest.approx(-0.3 + 0.4, abs=0.03)
    assert balanced["difference"].mean() == pytest.approx(-0.3, abs=0.03)
    fixed = sim.person_means(sim.simulate_diary_trial(allocation="naltrexone first", **kwargs))
    assert fixed["difference"].mean() == pytest.approx(-0.7, abs=0.03)


def test_carryover_lowers_placebo_after_naltrexone_only():
    wide = sim.person_means(sim.simulate_diary_trial(n=BIG, effect=-0.4, carryover=0.5, nausea_rate=0,
                                                     placebo_nausea_rate=0, seed=4))
    by_order = wide.groupby("order")["difference"].mean()
    # placebo after naltrexone keeps half the effect: the difference shrinks to -0.2 in that order
    assert by_order["naltrexone first"] == pytest.approx(-0.2, abs=0.03)
    assert by_order["placebo first"] == pytest.approx(-0.4, abs=0.03)
    assert wide["difference"].mean() == pytest.approx(-0.3, abs=0.03)  # biased towards 0 on average


def test_nausea_rates_and_nausea_effect():
    df = sim.simulate_diary_trial(n=BIG // 4, effect=0.0, nausea_rate=0.3, placebo_nausea_rate=0.05,
                                  nausea_effect=-1.0, seed=9)
    rates = df.groupby("condition", observed=True)["nausea"].mean()
    assert rates["naltrexone"] == pytest.approx(0.3, abs=0.01)
    assert rates["placebo"] == pytest.approx(0.05, abs=0.01)
    wide = sim.person_means(df)
    # no drug effect, but nausea lowers connection on naltrexone: -1.0 * (0.3 - 0.05)
    assert wide["difference"].mean() == pytest.approx(-0.25, abs=0.03)
    assert (wide["nausea_days_naltrexone"] <= 4).all()


def test_person_means_matches_a_manual_average():
    df = sim.simulate_diary_trial(n=6, seed=2)
    wide = sim.person_means(df)
    assert wide.attrs["label"] == "simulated"
    manual = df[(df["participant"] == 3) & (df["condition"] == "naltrexone")]["connection"].mean()
    row = wide.set_index("participant").loc[3]
    assert row["naltrexone"] == pytest.approx(manual)
    assert row["difference"] == pytest.approx(row["naltrexone"] - row["placebo"])


# --------------------------------------------------------------------------
# the parallel-group trial
# --------------------------------------------------------------------------
def test_parallel_trial_groups_label_and_seed():
    df = sim.simulate_parallel_trial(n_per_group=40, seed=1)
    assert list(df.columns) == ["participant", "condition", "nausea", "connection"]
    assert df["condition"].value_counts().to_dict() == {"placebo": 40, "naltrexone": 40}
    assert df.attrs["label"] == "simulated"
    pd.testing.assert_frame_equal(df, sim.simulate_parallel_trial(n_per_group=40, seed=1))
    assert not np.allclose(df["connection"], sim.simulate_parallel_trial(n_per_group=40, seed=2)["connection"])


def test_parallel_trial_large_sample_recovers_effect_and_sd():
    df = sim.simulate_parallel_trial(n_per_group=BIG, effect=-0.3, sd=1.5, nausea_rate=0,
                                     placebo_nausea_rate=0, seed=6)
    groups = df.groupby("condition", observed=True)["connection"]
    difference = groups.mean()["naltrexone"] - groups.mean()["placebo"]
    assert abs(difference - -0.3) < 4 * 1.5 * np.sqrt(2 / BIG)
    assert groups.std()["placebo"] == pytest.approx(1.5, rel=0.03)


# --------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, name", [
    (dict(n=1), "n"), (dict(n=10.5), "n"), (dict(n="31"), "n"),
    (dict(days=0), "days"),
    (dict(sd=0), "sd"), (dict(sd=-1), "sd"),
    (dict(correlation=1.0), "correlation"), (dict(correlation=-0.2), "correlation"),
    (dict(carryover=1.5), "carryover"), (dict(effect=float("nan")), "effect"),
    (dict(nausea_rate=2), "nausea_rate"), (dict(placebo_nausea_rate=-0.1), "placebo_nausea_rate"),
    (dict(day_sd=-0.5), "day_sd"), (dict(allocation="alternating"), "allocation"),
    (dict(seed=-1), "seed"), (dict(seed=1.5), "seed"), (dict(seed="abc"), "seed"),
])
def test_diary_trial_rejects_bad_input_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        sim.simulate_diary_trial(**kwargs)


@pytest.mark.parametrize("kwargs, name", [
    (dict(n_per_group=1), "n_per_group"), (dict(sd=0), "sd"), (dict(effect=np.inf), "effect"),
    (dict(nausea_rate=1.2), "nausea_rate"), (dict(seed=True), "seed"),
])
def test_parallel_trial_rejects_bad_input_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        sim.simulate_parallel_trial(**kwargs)


def test_person_means_gives_what_a_pandas_groupby_gives():
    # person_means averages with numpy; the plain pandas way must give the same table
    for seed, kwargs in [(3, dict(n=31)), (4, dict(n=7, days=6, nausea_rate=0.5, allocation="placebo first"))]:
        df = sim.simulate_diary_trial(seed=seed, **kwargs).sample(frac=1.0, random_state=seed)   # any row order
        grouped = df.groupby(["participant", "order", "condition"], observed=True)
        means = grouped["connection"].mean().unstack("condition")
        nausea = grouped["nausea"].sum().unstack("condition")
        wide = sim.person_means(df)
        assert wide["participant"].tolist() == means.index.get_level_values("participant").tolist()
        assert wide["order"].tolist() == means.index.get_level_values("order").tolist()
        for condition in sim.CONDITIONS:
            np.testing.assert_allclose(wide[condition], means[condition], rtol=1e-13, atol=0)
            assert wide[f"nausea_days_{condition}"].tolist() == nausea[condition].tolist()


def test_person_means_rejects_a_person_with_two_orders():
    df = sim.simulate_diary_trial(n=4, seed=1)
    df["order"] = df["order"].astype(object)
    df.loc[df.index[0], "order"] = "naltrexone first" if df["order"].iloc[1] == "placebo first" else "placebo first"
    with pytest.raises(ValueError, match="one order"):
        sim.person_means(df)


def test_person_means_rejects_parallel_data():
    with pytest.raises(ValueError, match="df"):
        sim.person_means(sim.simulate_parallel_trial(seed=1))


def test_one_day_per_period_and_no_seed():
    one = sim.simulate_diary_trial(n=8, days=1, seed=1)
    assert len(one) == 16 and (one["day"] == 1).all()
    # without a seed every call is a new draw (equal only with negligible probability)
    assert not np.allclose(sim.simulate_diary_trial(seed=None)["connection"],
                           sim.simulate_diary_trial(seed=None)["connection"])
