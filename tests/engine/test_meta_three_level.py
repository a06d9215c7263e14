"""utils.meta.three_level and three-level meta-regression against metafor's rma.mv,
and the closed forms that make them fast."""

import numpy as np
import pandas as pd
import pytest

from engine_reference import assert_close, case, case_id, reference
from utils import meta
from utils.meta import _engine as meta_engine

THREE_LEVEL = reference()["three_level"]
REGRESSION_3L = [e for e in reference()["regression"] if e["model"] == "three_level"]
SIGMA2_RTOL = 1e-5      # variance components: metafor's nlminb optimum is accurate to about 1e-6


def _fit(entry):
    return meta.three_level(entry["yi"], entry["vi"], entry["study"], entry["outcome"],
                            method=entry["method"], test=entry["test"])


@pytest.mark.parametrize("entry", THREE_LEVEL, ids=case_id)
def test_three_level_matches_metafor(entry):
    res, ref = _fit(entry), entry["result"]
    for key in ["estimate", "se", "stat", "p", "ci_low", "ci_high", "pi_low", "pi_high", "q", "q_p",
                "loglik", "weights"]:
        assert_close(getattr(res, key), ref[key], key)
    assert_close(res.sigma2, ref["sigma2"], "sigma2", SIGMA2_RTOL)
    for key in ["i2_between", "i2_within", "i2_total"]:
        assert_close(getattr(res, key), ref[key], key, SIGMA2_RTOL)
    assert res.q_df == ref["q_df"] and res.df == ref["df"]
    # compare optimum with optimum: ours is never lower than metafor's
    assert res.loglik >= ref["loglik"] - 1e-10


def test_boundary_estimate_is_exactly_zero_and_equals_the_univariate_model():
    entry = next(e for e in THREE_LEVEL if e["dataset"].startswith("simulated") and e["method"] == "REML"
                 and e["test"] == "z")
    res = _fit(entry)
    assert res.sigma2[0] == 0.0 and res.i2_between == 0.0
    # with no between-study variance the three-level model is the univariate one
    uni = meta.random_effects(entry["yi"], entry["vi"], method="REML")
    assert res.sigma2[1] == pytest.approx(uni.tau2, rel=1e-8)
    assert res.estimate == pytest.approx(uni.estimate, rel=1e-10)
    assert res.se == pytest.approx(uni.se, rel=1e-8)


def test_default_outcome_is_one_per_row_and_row_order_does_not_matter():
    entry = case("three_level", "dat.konstantopoulos2011", source="engine", method="REML", test="z")
    a = meta.three_level(entry["yi"], entry["vi"], entry["study"])
    b = _fit(entry)
    assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
    order = np.random.default_rng(7).permutation(len(entry["yi"]))
    c = meta.three_level(np.array(entry["yi"])[order], np.array(entry["vi"])[order],
                         np.array(entry["study"])[order])
    assert c.estimate == pytest.approx(a.estimate, rel=1e-9)
    assert_close(c.sigma2, a.sigma2, "sigma2 after shuffling", 1e-8, against="original order")


def test_printing_and_frame():
    res = _fit(case("three_level", "dat.konstantopoulos2011", source="engine", method="REML", test="z"))
    text = str(res)
    assert "k = 56 outcomes in 11 studies" in text
    assert f"{res.sigma2[0]:.4f}" in text and f"{res.i2_within:.2f}%" in text
    assert "<table" in res._repr_html_()
    frame = res.to_frame()
    assert list(frame.index) == ["estimate"] and frame.loc["estimate", "se"] == res.se
    assert f"{res.pi_low:.4f}" in text and res.heterogeneity.df == res.k - 1 == 55


@pytest.mark.parametrize("entry", REGRESSION_3L, ids=case_id)
def test_three_level_regression_matches_metafor(entry):
    mods = pd.DataFrame(entry["moderators"])
    res = meta.regression(entry["yi"], entry["vi"], mods, method=entry["method"], study=entry["study"],
                          outcome=entry["outcome"], test=entry["test"])
    ref = entry["result"]
    for key in ["estimate", "se", "stat", "p", "ci_low", "ci_high"]:
        assert_close(res.coefficients[key].to_numpy(), ref[key], f"coefficient {key}")
    for key in ["qm", "qm_p", "qe", "qe_p", "loglik"]:
        assert_close(getattr(res, key), ref[key], key)
    assert_close(res.sigma2, ref["sigma2"], "sigma2", SIGMA2_RTOL)
    assert res.tau2 is None and res.n_studies == len(set(entry["study"]))
    assert res.loglik >= ref["loglik"] - 1e-10
    fitted = res.predict(mods)
    for key in ["pred", "se", "ci_low", "ci_high", "pi_low", "pi_high"]:
        assert_close(fitted[key], ref["fitted"][key], f"fitted {key}")
    if ref.get("grid"):
        grid = res.predict(entry["grid"])
        for key in ["pred", "se", "ci_low", "ci_high", "pi_low", "pi_high"]:
            assert_close(grid[key], ref["grid"][key], f"bubble-plot band {key}")


# --- the closed forms behind the speed --------------------------------------

def _dense(groups, d, c, u):
    M = np.diag(d)
    for j in range(groups.n):
        rows = np.flatnonzero(groups.codes == j)
        M[np.ix_(rows, rows)] += c[j] * np.outer(u[rows], u[rows])
    return M


@pytest.mark.parametrize("unit_u", [True, False])
def test_block_covariance_closed_forms_match_dense_algebra(unit_u):
    rng = np.random.default_rng(11)
    labels = rng.integers(0, 6, 25)
    groups = meta_engine.Groups(labels)
    d = rng.uniform(0.05, 0.3, 25)
    c = rng.uniform(0.0, 0.2, groups.n)
    u = np.ones(25) if unit_u else rng.uniform(0.5, 2, 25)
    cov = meta_engine.BlockCovariance(groups, d, c, u=None if unit_u else u)
    M = _dense(groups, d, c, u)
    W = np.linalg.inv(M)
    y = rng.normal(size=(25, 3))
    assert_close(cov.solve(y), W @ y, "W y", 1e-12, against="dense inverse")
    assert_close(cov.solve(y[:, 0]), W @ y[:, 0], "W y (vector)", 1e-12, against="dense inverse")
    assert cov.logdet() == pytest.approx(np.linalg.slogdet(M)[1], rel=1e-12)
    assert cov.trace() == pytest.approx(np.trace(W), rel=1e-12)
    assert cov.frobenius2() == pytest.approx(np.sum(W * W), rel=1e-12)
    assert_close(cov.diag(), np.diag(W), "diag(W)", 1e-12, against="dense inverse")


@pytest.mark.parametrize("reml", [True, False])
def test_score_and_information_match_numerical_derivatives(reml):
    entry = case("three_level", "dat.assink2016", source="engine", method="REML", test="z")
    k = len(entry["yi"])
    X = np.column_stack([np.ones(k), np.arange(k) / k])      # an intercept and a moderator
    model = meta_engine.MixedModel(np.array(entry["yi"]), np.array(entry["vi"]), X, meta_engine.Groups(entry["study"]),
                             ["study", "row"])
    theta = np.array([0.15, 0.08])
    der = model.derivatives(theta, reml)
    h = 1e-6
    num_grad = [(model.loglik(theta + h * e, reml) - model.loglik(theta - h * e, reml)) / (2 * h)
                for e in np.eye(2)]
    assert_close(der.grad, num_grad, "score", 1e-6, against="finite differences")
    num_hess = np.array([(model.derivatives(theta + h * e, reml).grad
                          - model.derivatives(theta - h * e, reml).grad) / (2 * h) for e in np.eye(2)])
    assert_close(der.observed, -num_hess, "observed information", 1e-6, against="finite differences")
    # the expected information is positive definite
    assert np.all(np.linalg.eigvalsh(der.expected) > 0)


def test_large_model_recovers_simulated_variances():
    """Simulated data: 100,000 outcomes in 10,000 studies, sigma2 = (0.05, 0.02).
    (Its speed is measured in tests/benchmarks, not asserted here.)"""
    rng = np.random.default_rng(2024)
    n_studies, k = 10_000, 100_000
    study = np.sort(rng.integers(0, n_studies, k))
    vi = rng.uniform(0.01, 0.2, k)
    yi = (0.2 + rng.normal(0, np.sqrt(0.05), n_studies)[study] + rng.normal(0, np.sqrt(0.02), k)
          + rng.normal(0, np.sqrt(vi)))
    res = meta.three_level(yi, vi, study)
    assert res.sigma2[0] == pytest.approx(0.05, rel=0.1)
    assert res.sigma2[1] == pytest.approx(0.02, rel=0.1)
    assert res.estimate == pytest.approx(0.2, abs=0.02)
