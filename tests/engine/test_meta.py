"""utils.meta (univariate models, meta-regression, aggregation) against R's metafor."""
import warnings

import numpy as np
import pandas as pd
import pytest

from engine_reference import assert_close, case, case_id, reference, robust_bias
from utils import _printing, meta
from utils.meta import _engine as meta_engine

UNIVARIATE = reference()["univariate"]
REGRESSION_UNI = [e for e in reference()["regression"] if e["model"] == "univariate"]
AGGREGATE = reference()["aggregate"]


def _fit(entry):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # FE with Knapp-Hartung warns, as metafor does
        return meta.random_effects(entry["yi"], entry["vi"], method=entry["method"], test=entry["test"],
                                   labels=entry["labels"])


@pytest.mark.parametrize("entry", UNIVARIATE, ids=case_id)
def test_random_effects_matches_metafor(entry):
    res, ref = _fit(entry), entry["result"]
    for key in ["estimate", "se", "stat", "p", "ci_low", "ci_high", "h2", "q", "q_p", "weights"]:
        assert_close(getattr(res, key), ref[key], key)
    # tau^2 on the boundary: metafor's Fisher scoring creeps towards 0 (1.7e-11
    # for ML on the 2024 data) where the exact optimum is 0
    assert_close(res.tau2, ref["tau2"], "tau2", atol=1e-9)
    assert_close(res.i2, ref["i2"], "i2", atol=1e-6)
    assert res.q_df == ref["q_df"]
    assert res.df == ref["df"]
    if ref["pi_low"] != []:          # metafor's predict() gives no PI for FE models
        assert_close([res.pi_low, res.pi_high], [ref["pi_low"], ref["pi_high"]], "prediction interval")
    if entry["method"] in ("REML", "ML"):
        assert_close(res.loglik, ref["ll_reml" if entry["method"] == "REML" else "ll_ml"], "loglik")


def test_loseth2024_reml_reproduces_published_study_level_result():
    """REML on the 8 study-level effects of Loseth, Trostheim & Leknes (2024),
    Transl Psychiatry 14:379, Table 1 (social connectedness, Hedges' g [95% CI],
    aggregated within study), variances from the CIs."""
    g = [-0.34, 0.08, -0.19, -2.50, -0.79, -0.18, 0.21, 0.05]
    low = [-0.58, -0.35, -0.39, -4.16, -1.63, -0.57, -0.49, -0.36]
    high = [-0.09, 0.51, 0.02, -0.84, 0.05, 0.22, 0.91, 0.46]
    se = (np.array(high) - np.array(low)) / (2 * 1.959964)
    res = meta.random_effects(g, se**2, method="REML")
    assert round(res.estimate, 4) == -0.1965
    assert round(res.ci_low, 4) == -0.3244
    assert round(res.ci_high, 4) == -0.0685
    assert res.k == 8 and res.q_df == 7


def test_weights_are_percentages_of_inverse_variances():
    entry = case("univariate", "dat.bcg (RR)", source="engine", method="FE", test="z")
    res = meta.random_effects(entry["yi"], entry["vi"], method="DL")
    w = 1 / (np.array(entry["vi"]) + res.tau2)
    assert res.weights.sum() == pytest.approx(100)
    assert_close(res.weights, 100 * w / w.sum(), "weights", 1e-12, against="1/(vi + tau2)")


def test_fixed_effect_is_inverse_variance_mean():
    y = np.array([0.1, 0.5, -0.2, 0.3])
    v = np.array([0.04, 0.09, 0.01, 0.05])
    res = meta.random_effects(y, v, method="FE")
    w = 1 / v
    assert res.estimate == pytest.approx(np.sum(w * y) / np.sum(w), rel=1e-13)
    assert res.se == pytest.approx(np.sqrt(1 / np.sum(w)), rel=1e-13)
    assert res.tau2 == 0 and res.q == pytest.approx(np.sum(w * (y - res.estimate) ** 2), rel=1e-12)



FIXED_EFFECT_Z = [e for e in UNIVARIATE if e["method"] == "FE" and e["test"] in ("z", "t")]


@pytest.mark.parametrize("entry", FIXED_EFFECT_Z, ids=case_id)
def test_fixed_effect_matches_metafor_rma_method_fe(entry):
    """meta.fixed_effect against metafor's rma(yi, vi, method = "FE") (tests/fixtures/engine.json)."""
    res, ref = meta.fixed_effect(entry["yi"], entry["vi"], test=entry["test"], labels=entry["labels"]), entry["result"]
    for key in ["estimate", "se", "stat", "p", "ci_low", "ci_high", "i2", "h2", "q", "q_p", "weights"]:
        assert_close(getattr(res, key), ref[key], key)
    assert res.method == "FE" and res.tau2 == 0 and res.q_df == ref["q_df"] and res.df == ref["df"]
    assert str(res).startswith("Fixed-effects model")
    assert str(res) == str(meta.random_effects(entry["yi"], entry["vi"], method="FE", test=entry["test"],
                                               labels=entry["labels"]))


def test_fixed_effect_has_fixed_effect_choices():
    with pytest.raises(ValueError, match="test"):
        meta.fixed_effect([0.1, 0.2], [0.01, 0.02], test="normal")
    with pytest.raises(TypeError):
        meta.fixed_effect([0.1, 0.2], [0.01, 0.02], method="REML")     # no tau^2 estimator to choose

@pytest.mark.parametrize("method", ["REML", "ML"])
def test_likelihood_is_maximal_at_the_estimate(method):
    entry = case("univariate", "dat.bcg (RR)", source="engine", method="REML", test="z")  # interior optimum
    res = meta.random_effects(entry["yi"], entry["vi"], method=method)
    model = meta_engine.MixedModel(res.yi, res.vi, np.ones((res.k, 1)), meta_engine.Groups.singletons(res.k), ["row"])
    reml = method == "REML"
    assert res.tau2 > 0
    assert abs(model.derivatives([res.tau2], reml).grad[0]) < 1e-8
    for step in (1e-4, -1e-4):
        assert model.loglik([res.tau2 + step], reml) < model.loglik([res.tau2], reml)


def test_row_order_does_not_matter():
    entry = case("univariate", "dat.normand1999 (SMD)", source="engine", method="FE", test="z")
    order = np.random.default_rng(3).permutation(len(entry["yi"]))
    a = meta.random_effects(entry["yi"], entry["vi"])
    b = meta.random_effects(np.array(entry["yi"])[order], np.array(entry["vi"])[order])
    assert b.estimate == pytest.approx(a.estimate, rel=1e-10)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-9)


def test_printing_and_frames():
    entry = case("univariate", "dat.bcg (RR)", source="engine", method="REML", test="z")
    res = meta.random_effects(entry["yi"], entry["vi"], labels=entry["labels"])
    text = str(res)
    assert "tau^2 estimator: REML" in text
    assert f"{res.estimate:.4f}" in text and f"{res.ci_low:.4f}" in text
    assert f"Q(df = {res.q_df})" in text and "prediction interval" in text
    html = res._repr_html_()
    assert "<table" in html and f"{res.estimate:.4f}" in html
    frame = res.to_frame()
    assert list(frame.index) == ["estimate"] and list(frame.columns) == _printing.ESTIMATE_COLUMNS
    assert frame.loc["estimate", "ci_low"] == res.ci_low and frame.loc["estimate", "p"] == res.p
    assert res.heterogeneity == _printing.Test(res.q, res.q_df, res.q_p)
    studies = res.study_table()
    assert list(studies["label"]) == entry["labels"]
    assert studies["weight"].sum() == pytest.approx(100)
    knha = meta.random_effects(entry["yi"], entry["vi"], test="knha")
    assert "Knapp-Hartung" in str(knha) and "tval" in str(knha)


# --- meta-regression -------------------------------------------------------

def _moderators(entry):
    return pd.DataFrame(entry["moderators"])


@pytest.mark.parametrize("entry", REGRESSION_UNI, ids=case_id)
def test_regression_matches_metafor(entry):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = meta.regression(entry["yi"], entry["vi"], _moderators(entry), method=entry["method"],
                              test=entry["test"])
    ref = entry["result"]
    coef = res.coefficients
    assert len(coef) == len(ref["terms"])
    for key in ["estimate", "se", "stat", "p", "ci_low", "ci_high"]:
        assert_close(coef[key].to_numpy(), ref[key], f"coefficient {key}")
    for key in ["qm", "qm_p", "qe", "qe_p", "tau2", "h2"]:
        assert_close(getattr(res, key), ref[key], key, atol=1e-9 if key == "tau2" else 0)
    assert_close(res.i2, ref["i2"], "i2", atol=1e-6)
    assert res.qm_df == ref["qm_df"] and res.qe_df == ref["qe_df"] and res.k == ref["k"]
    # metafor's predict() gives no prediction interval for FE models (ours equals the CI there)
    keys = ["pred", "se", "ci_low", "ci_high"] + ([] if entry["method"] == "FE" else ["pi_low", "pi_high"])
    fitted = res.predict(_moderators(entry))
    for key in keys:
        assert_close(fitted[key], ref["fitted"][key], f"fitted {key}")
    if "grid" in ref:
        grid = res.predict(entry["grid"])
        for key in keys:
            assert_close(grid[key], ref["grid"][key], f"bubble-plot band {key}")


def test_regression_term_names_and_reference_level():
    entry = next(e for e in REGRESSION_UNI if e["formula"] == "ablat + alloc" and e["method"] == "REML")
    res = meta.regression(entry["yi"], entry["vi"], _moderators(entry))
    # R's factor() sorts the levels: "alternate" is the reference
    assert list(res.coefficients.index) == ["intercept", "ablat", "alloc[random]", "alloc[systematic]"]
    # a Categorical's own level order sets the reference instead; the fit is the same
    mods = _moderators(entry)
    mods["alloc"] = pd.Categorical(mods["alloc"], categories=["systematic", "random", "alternate"])
    res2 = meta.regression(entry["yi"], entry["vi"], mods)
    assert list(res2.coefficients.index) == ["intercept", "ablat", "alloc[random]", "alloc[alternate]"]
    assert res2.tau2 == pytest.approx(res.tau2, rel=1e-9)
    assert res2.qm == pytest.approx(res.qm, rel=1e-8)
    assert_close(res2.predict(mods)["pred"], res.predict(_moderators(entry))["pred"], "fitted", 1e-9,
                 against="the other coding")


def test_regression_is_unchanged_by_shifting_a_moderator():
    entry = case("univariate", "dat.bcg (RR)", source="engine", method="REML", test="z")
    x = np.arange(len(entry["yi"]), dtype=float)
    reg = meta.regression(entry["yi"], entry["vi"], {"x": x})
    reg_shift = meta.regression(entry["yi"], entry["vi"], {"x": x + 1000})
    assert reg_shift.coefficients.loc["x", "estimate"] == pytest.approx(reg.coefficients.loc["x", "estimate"],
                                                                        rel=1e-8)
    assert reg_shift.tau2 == pytest.approx(reg.tau2, rel=1e-8)
    # the prediction at the mean of x has the same uncertainty whichever origin x has
    a = reg.predict({"x": [x.mean()]})
    b = reg_shift.predict({"x": [x.mean() + 1000]})
    assert a["pred"][0] == pytest.approx(b["pred"][0], rel=1e-8)
    assert a["se"][0] == pytest.approx(b["se"][0], rel=1e-7)


def test_regression_printing():
    entry = next(e for e in REGRESSION_UNI if e["formula"] == "ablat + alloc" and e["method"] == "REML")
    res = meta.regression(entry["yi"], entry["vi"], _moderators(entry))
    text = str(res)
    assert "Test of moderators" in text and "QE(df = 9)" in text and "alloc[random]" in text
    assert "<table" in res._repr_html_()
    assert res.to_frame().equals(res.coefficients)


# --- aggregation -----------------------------------------------------------

@pytest.mark.parametrize("entry", AGGREGATE, ids=case_id)
def test_aggregate_matches_metafor(entry):
    out = meta.aggregate(entry["yi"], entry["vi"], entry["cluster"], rho=entry["rho"])
    ref = entry["result"]
    assert list(out.columns) == ["cluster", "yi", "vi"]
    assert list(out["cluster"]) == ref["cluster"]
    assert_close(out["yi"], ref["yi"], "aggregated yi")
    assert_close(out["vi"], ref["vi"], "aggregated vi")


def test_aggregate_with_rho_zero_is_inverse_variance_mean_and_singletons_unchanged():
    y = np.array([0.2, 0.4, 0.1, -0.3])
    v = np.array([0.05, 0.1, 0.02, 0.03])
    out = meta.aggregate(y, v, ["b", "b", "a", "c"], rho=0.0)
    assert list(out["cluster"]) == ["b", "a", "c"]        # order of first appearance
    w = 1 / v[:2]
    assert out["yi"][0] == pytest.approx(np.sum(w * y[:2]) / np.sum(w), rel=1e-13)
    assert out["vi"][0] == pytest.approx(1 / np.sum(w), rel=1e-13)
    assert out["yi"][1] == pytest.approx(0.1) and out["vi"][2] == pytest.approx(0.03)
    # positive correlation makes the aggregate less precise
    assert meta.aggregate(y, v, ["b", "b", "a", "c"], rho=0.6)["vi"][0] > out["vi"][0]


# --- fixes found against metafor (tests/fixtures/robust_bias.json) ----------

def test_knapp_hartung_with_zero_residuals_is_a_collapsed_interval():
    """All effects equal: metafor sets s2w = 0, so se = 0, |t| = inf, p = 0, the CI
    collapses on the estimate and QM is NA; no LinAlgError."""
    ref = robust_bias()["knha_zero_residuals"]["equal"]
    res = meta.random_effects(ref["yi"], ref["vi"], test="knha")
    assert res.se == ref["se"] == 0 and ref["tval_infinite"] and np.isinf(res.stat)
    assert res.p == ref["pval"] == 0
    assert res.ci_low == res.ci_high == pytest.approx(ref["estimate"], rel=1e-12)
    assert res.ci_low == pytest.approx(ref["ci_low"], rel=1e-12)


def test_knapp_hartung_regression_with_a_perfect_fit():
    ref = robust_bias()["knha_zero_residuals"]["perfect_line"]
    res = meta.regression(ref["yi"], ref["vi"], {"x": ref["x"]}, test="knha")
    assert_close(res.coefficients["estimate"], ref["estimate"], "estimate", atol=1e-12)
    assert np.all(res.coefficients["se"] == 0) and ref["se"] == [0, 0]
    assert np.all(np.isinf(res.coefficients["stat"])) and all(ref["tval_infinite"])
    assert ref["qm"] is None and np.isnan(res.qm) and np.isnan(res.qm_p)
    assert "NA" in str(res)
    from utils import bias
    egger = bias.egger([0.6, 1.1, 1.6, 2.1], [0.01, 0.04, 0.09, 0.16], test="knha")   # yi = 0.1 + 5 sei
    assert egger.se == 0 and egger.slope == pytest.approx(5.0, rel=1e-10)


def test_character_levels_sort_as_r_factor():
    ref = robust_bias()["factor_levels"]
    assert ref["levels"] == ["a", "A", "b", "B"]          # R, collation C.UTF-8
    res = meta.regression(ref["yi"], ref["vi"], {"g": ref["labels"]})
    assert list(res.coefficients.index) == ["intercept", "g[A]", "g[b]", "g[B]"]
    assert_close(res.coefficients["estimate"], ref["coefficients"], "coefficients")


def test_a_lower_local_maximum_gives_way_to_tau2_zero_as_in_metafor():
    """Two Loseth et al. (2024) studies by ML: the likelihood has a local maximum at
    tau^2 = 0.86 but is higher at 0; metafor warns and sets tau^2 = 0 (gosh
    fixture, subset of studies 3 and 4)."""
    g = next(c for c in robust_bias()["gosh"] if c["dataset"] == "loseth2024" and c["method"] == "ML")
    row = g["incl"].index("00110000")
    assert g["tau2"][row] == 0
    d = robust_bias()["datasets"]["loseth2024"]
    with pytest.warns(UserWarning, match="higher at tau\\^2 = 0"):
        res = meta.random_effects(np.array(d["yi"])[[2, 3]], np.array(d["vi"])[[2, 3]], method="ML")
    assert res.tau2 == 0 and res.estimate == pytest.approx(g["estimate"][row], rel=1e-10)


def test_results_scale_with_the_data_and_extreme_scales_are_named():
    entry = case("univariate", "dat.bcg (RR)", source="engine", method="REML", test="z")
    y, v = np.array(entry["yi"]), np.array(entry["vi"])
    for c in (1e-25, 1e50):
        for method in ("REML", "PM"):
            scaled = meta.random_effects(y * c, v * c * c, method=method)
            plain = meta.random_effects(y, v, method=method)
            assert scaled.estimate / c == pytest.approx(plain.estimate, rel=1e-8)
            assert scaled.tau2 / c**2 == pytest.approx(plain.tau2, rel=1e-6)
    with pytest.raises(ValueError, match="scale is the problem"):
        meta.random_effects(y * 1e80, v)
    with pytest.raises(ValueError, match="scale is the problem"):
        meta.three_level(y * 1e100, v * 1e200, ["a", "a", "b", "b", "c", "c", "d"] * 2)
    with pytest.raises(ValueError, match="vi: the scale is the problem"):
        meta.random_effects(y, v * 1e-70)
