"""PET-PEESE and the step-function selection model against metafor 3.8-1
(tests/fixtures/robust_bias.json, written by tests/fixtures/make_robust_bias_fixtures.R)."""
import warnings

import numpy as np
import pytest
from scipy import stats

from engine_reference import assert_close, cases, dataset, robust_bias
from utils import bias, meta
from utils.bias import _selection_model as selection

SELECTION_RTOL = 1e-3      # metafor's BFGS optimum vs ours, where it is interior


# --------------------------------------------------------------------------
# PET-PEESE
# --------------------------------------------------------------------------
@pytest.mark.parametrize("case", robust_bias()["pet_peese"], ids=lambda c: f"{c['dataset']}-{c['method']}")
def test_pet_and_peese_match_metafor(case):
    d = dataset(case["dataset"])
    res = bias.pet_peese(d["yi"], d["vi"], method=case["method"])
    for ours, ref in ((res.pet, case["pet"]), (res.peese, case["peese"])):
        for key, theirs in [("estimate", "estimate"), ("se", "se"), ("stat", "zval"), ("p", "pval"),
                            ("ci_low", "ci_low"), ("ci_high", "ci_high"), ("slope", "slope"),
                            ("slope_se", "slope_se")]:
            assert_close(getattr(ours, key), ref[theirs], key)
        assert_close(ours.tau2, ref["tau2"], "tau2", atol=1e-9)


@pytest.mark.parametrize("case", robust_bias()["pet_peese"], ids=lambda c: f"{c['dataset']}-{c['method']}")
def test_conditional_estimate_follows_the_rule(case):
    d = dataset(case["dataset"])
    res = bias.pet_peese(d["yi"], d["vi"], method=case["method"])
    use_peese = case["pet"]["pval"] < 0.10
    assert res.chosen == ("PEESE" if use_peese else "PET")
    assert res.estimate == (res.peese.estimate if use_peese else res.pet.estimate)
    assert f"{res.chosen} intercept is the estimate" in res.rule and "Stanley & Doucouliagos 2014" in res.rule
    # a stricter alpha can only move the choice from PEESE to PET
    strict = bias.pet_peese(d["yi"], d["vi"], method=case["method"], alpha=1e-6)
    assert strict.chosen == "PET"


def test_pet_peese_on_the_asymmetric_simulated_set():
    d = dataset("simulated_asymmetric")
    res = bias.pet_peese(d["yi"], d["vi"])
    egger = bias.egger(d["yi"], d["vi"])
    assert egger.p < 0.001                       # the set is strongly asymmetric
    assert res.pet.estimate == pytest.approx(egger.limit_estimate, rel=1e-12)   # PET is Egger's intercept
    naive = meta.random_effects(d["yi"], d["vi"]).estimate
    assert res.estimate < naive                  # the adjustment pulls the estimate down
    assert "PET-PEESE" in str(res) and "<table" in res._repr_html_()


def test_pet_peese_bad_input():
    with pytest.raises(ValueError, match="at least 3"):
        bias.pet_peese([0.1, 0.2], [0.01, 0.02])
    with pytest.raises(ValueError, match="variances are equal"):
        bias.pet_peese([0.1, 0.2, 0.3], [0.02] * 3)
    with pytest.raises(ValueError, match="alpha"):
        bias.pet_peese([0.1, 0.2, 0.3], [0.01, 0.02, 0.03], alpha=1.5)


# --------------------------------------------------------------------------
# Selection model
# --------------------------------------------------------------------------
INTERIOR = [c for c in robust_bias()["selmodel"] if c.get("se") is not None and max(c["delta"]) < 99
            and c["tau2"] > 1e-4]


def _fit(case):
    d = dataset(case["dataset"])
    return selection.selection_model(d["yi"], d["vi"], steps=np.atleast_1d(case["steps"]),
                                     method=case["method"], alternative=case["alternative"])


def _sel_id(case):
    steps = "-".join(str(s) for s in np.atleast_1d(case["steps"]))
    return f"{case['dataset']}-{case['alternative']}-{steps}-{case['method']}"


@pytest.mark.parametrize("case", INTERIOR, ids=_sel_id)
def test_selection_model_matches_selmodel_at_an_interior_optimum(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no bound warning where metafor has none
        res = _fit(case)
    for key, theirs in [("estimate", "estimate"), ("se", "se"), ("stat", "zval"), ("p", "pval"),
                        ("ci_low", "ci_low"), ("ci_high", "ci_high"), ("tau2", "tau2"), ("lrt", "lrt"),
                        ("lrt_p", "lrt_p"), ("loglik", "loglik"), ("loglik0", "loglik0")]:
        assert_close(getattr(res, key), case[theirs], key, rtol=SELECTION_RTOL)
    assert_close(res.delta, case["delta"], "delta", rtol=SELECTION_RTOL)
    assert_close(res.se_delta[1:], case["se_delta"][1:], "se of delta", rtol=SELECTION_RTOL)
    assert res.delta[0] == 1.0 and res.lrt_df == case["lrt_df"]
    assert list(res.k_per_interval) == case["k_per_interval"]
    assert res.loglik >= case["loglik"] - 1e-8          # never a lower optimum than metafor's
    assert res.warning is None


def test_reml_start_gives_the_ml_selection_model_as_metafor():
    ml, reml = cases("selmodel", "hackshaw1998", method="ML", steps=0.025)[0], \
        cases("selmodel", "hackshaw1998", method="REML")[0]
    assert ml["estimate"] == reml["estimate"] and ml["loglik0"] == reml["loglik0"]
    d = dataset("hackshaw1998")
    a = selection.selection_model(d["yi"], d["vi"], method="ML")
    b = bias.selection_model(d["yi"], d["vi"], method="REML")
    assert a.estimate == pytest.approx(b.estimate, rel=1e-8) and a.lrt == pytest.approx(b.lrt, rel=1e-6)


@pytest.mark.parametrize("name", ["simulated_asymmetric", "loseth2024"])
def test_tau2_on_its_boundary(name):
    """metafor's log-scale tau^2 stops just above 0 (3e-7, 6e-6); ours reaches 0
    exactly, with a likelihood at least as high, and the same estimates to 1e-3."""
    case = cases("selmodel", name, alternative="greater" if name != "loseth2024" else "less")[0]
    res = _fit(case)
    assert res.tau2 == 0.0 and case["tau2"] < 1e-5
    assert any("tau^2 is 0" in note for note in res.notes)
    assert res.loglik >= case["loglik"] - 1e-10
    assert_close(res.estimate, case["estimate"], "estimate", rtol=SELECTION_RTOL)
    assert_close(res.delta, case["delta"], "delta", rtol=SELECTION_RTOL)
    assert_close(res.lrt, case["lrt"], "lrt", rtol=2e-3, atol=1e-3)
    if case["se"] is None:      # metafor could not invert its Hessian; ours holds tau^2 at 0
        assert case["warning"] == "Error when trying to invert Hessian." and np.isfinite(res.se)
    else:
        assert_close(res.se, case["se"], "se", rtol=5e-3)


def test_a_weight_on_its_bound_is_reported_and_warned():
    """Loseth et al. (2024): no effect has a one-sided p <= .025 in the positive
    direction, so the weight of the other interval grows without limit; metafor's
    BFGS stops at 70 without a warning, ours reaches the bound 100 and says so."""
    case = cases("selmodel", "loseth2024", alternative="greater")[0]
    assert case["k_per_interval"] == [0, 8] and case["warning"] is None
    with pytest.warns(UserWarning, match="bound"):
        res = _fit(case)
    assert res.delta[1] == pytest.approx(selection.DELTA_MAX)
    assert "bound" in res.warning and "not identified" in res.warning
    assert res.loglik >= case["loglik"]                     # higher likelihood than metafor's stop
    assert res.estimate == pytest.approx(case["estimate"], abs=0.01)
    assert res.notes and all(note in str(res) for note in res.notes)


def test_no_selection_weights_give_the_random_effects_likelihood():
    d = dataset("bcg")
    fit = meta.random_effects(d["yi"], d["vi"], method="ML")
    like = selection._StepLikelihood(d["yi"], d["vi"], np.array([0.025, 0.5, 1.0]))
    ll = like.loglik(fit.estimate, fit.tau2, np.ones(3))
    ml = np.sum(stats.norm.logpdf(d["yi"], fit.estimate, np.sqrt(d["vi"] + fit.tau2)))
    assert ll == pytest.approx(ml, rel=1e-12)
    # interval probabilities sum to 1 for every study
    assert np.allclose(like.interval_probabilities(0.3, 0.1).sum(axis=1), 1.0)


def test_alternative_less_is_the_mirror_image():
    d = dataset("bcg")
    less = selection.selection_model(d["yi"], d["vi"], alternative="less")
    greater = selection.selection_model(-d["yi"], d["vi"], alternative="greater")
    assert less.estimate == pytest.approx(-greater.estimate, rel=1e-8)
    assert less.delta == pytest.approx(greater.delta, rel=1e-6)


@pytest.mark.parametrize("steps, words", [((0.0,), "position 0"), ((1.0,), "position 0"),
                                         ((0.025, 1.5), "position 1"), ((-0.1,), "between 0 and 1")])
def test_steps_outside_zero_one_are_rejected(steps, words):
    d = dataset("hackshaw1998")
    with pytest.raises(ValueError, match="steps") as info:
        selection.selection_model(d["yi"], d["vi"], steps=steps)
    assert words in str(info.value)


def test_selection_model_bad_input():
    d = dataset("hackshaw1998")
    with pytest.raises(ValueError, match="too few"):
        selection.selection_model(d["yi"][:2], d["vi"][:2])
    with pytest.raises(ValueError, match="alternative"):
        selection.selection_model(d["yi"], d["vi"], alternative="two.sided")
    with pytest.raises(ValueError, match="method"):
        selection.selection_model(d["yi"], d["vi"], method="DL")
    # an interval with an estimated weight but no p-value: metafor stops as well
    with pytest.raises(ValueError, match=r"no effect has a one-sided p-value in \(0.025, 0.03\]"):
        selection.selection_model(d["yi"], d["vi"], steps=(0.025, 0.03))
