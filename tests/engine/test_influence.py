"""utils.meta.influence, baujat and gosh against metafor 3.8-1
(tests/fixtures/robust_bias.json, written by tests/fixtures/make_robust_bias_fixtures.R)."""
import warnings

import numpy as np
import pytest

from engine_reference import assert_close, cases, dataset, robust_bias
from utils import meta
from utils.meta import _influence as influence

COLUMNS = ["rstudent", "dffits", "cook_d", "cov_r", "tau2_del", "qe_del", "hat", "weight", "dfbetas"]


def _fit(name, method="REML", test="z", rows=None):
    d = dataset(name)
    yi, vi = d["yi"], d["vi"]
    if rows is not None:
        idx = np.asarray(rows) - 1
        yi, vi = yi[idx], vi[idx]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return meta.random_effects(yi, vi, method=method, test=test)


def _id(case):
    return f"{case['dataset']}-{case['method']}" + (f"-{case['test']}" if case.get("test", "z") != "z" else "")


@pytest.mark.parametrize("case", robust_bias()["influence"], ids=_id)
def test_influence_matches_metafor(case):
    out = meta.influence(_fit(case["dataset"], case["method"], case["test"]))
    assert list(out.columns) == COLUMNS + ["inf"]
    for column in COLUMNS:
        # tau^2 on the boundary: metafor's Fisher scoring creeps towards 0 where ours is 0
        assert_close(out[column], case[column], column, atol=1e-8 if column == "tau2_del" else 0)
    assert list(out["inf"]) == case["inf"]


@pytest.mark.parametrize("case", robust_bias()["influence"], ids=_id)
def test_baujat_matches_metafor(case):
    out = meta.baujat(_fit(case["dataset"], case["method"], case["test"]))
    assert_close(out["x"], case["baujat_x"], "baujat x")
    assert_close(out["y"], case["baujat_y"], "baujat y")


def test_influence_rule_by_hand():
    case = cases("influence", "loseth2024", method="REML", test="z")[0]
    out = meta.influence(_fit("loseth2024"))
    k = len(out)
    flagged = (out["dffits"].abs() > 3 * np.sqrt(1 / (k - 1))) | (out["hat"] > 3 / k) \
        | (out["dfbetas"].abs() > 1) | (out["cook_d"] > 0.454936)      # qchisq(0.5, 1)
    assert list(np.where(flagged, "*", "")) == case["inf"] == ["*", "", "*", "", "", "", "", ""]
    assert out["hat"].sum() == pytest.approx(1) and out["weight"].sum() == pytest.approx(100)


def test_influence_leaves_one_out():
    fit = _fit("bcg")
    out = meta.influence(fit)
    i = 3
    keep = np.arange(fit.k) != i
    without = meta.random_effects(fit.yi[keep], fit.vi[keep])
    assert out["tau2_del"].iloc[i] == pytest.approx(without.tau2, rel=1e-10)
    assert out["cov_r"].iloc[i] == pytest.approx(without.se**2 / fit.se**2, rel=1e-10)
    assert out["cook_d"].iloc[i] == pytest.approx((fit.estimate - without.estimate) ** 2 / fit.se**2, rel=1e-10)


@pytest.mark.parametrize("case", robust_bias()["gosh"], ids=lambda c: f"{c['dataset']}-{c['method']}")
def test_gosh_matches_metafor(case):
    rows = None if case["rows"] is None else case["rows"]
    out = meta.gosh(_fit(case["dataset"], case["method"], rows=rows))
    assert list(out["incl"]) == case["incl"]            # metafor's order of the subsets
    assert list(out["k"]) == case["k"]
    fitted = ~np.isnan(np.asarray(case["tau2"], dtype=float))   # metafor's failed fits are NA
    assert fitted.sum() >= len(fitted) - 1
    for column in ["estimate", "tau2", "qe", "i2", "h2"]:
        assert_close(out[column][fitted], np.asarray(case[column], dtype=float)[fitted], f"gosh {column}",
                     atol=1e-8)


def test_gosh_agrees_with_single_fits():
    fit = _fit("hackshaw1998", rows=range(1, 11))
    out = meta.gosh(fit)
    rng = np.random.default_rng(5)
    for row in rng.choice(np.flatnonzero(out["k"] >= 2), size=25, replace=False):
        included = np.array([c == "1" for c in out["incl"].iloc[row]])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            single = meta.random_effects(fit.yi[included], fit.vi[included])
        assert out["tau2"].iloc[row] == pytest.approx(single.tau2, rel=1e-7, abs=1e-10)
        assert out["estimate"].iloc[row] == pytest.approx(single.estimate, rel=1e-8, abs=1e-12)


def test_gosh_samples_random_subsets_above_fifteen_studies():
    fit = _fit("hackshaw1998")                          # k = 37
    a = meta.gosh(fit, subsets=3000, seed=7)
    b = meta.gosh(fit, subsets=3000, seed=7)
    c = meta.gosh(fit, subsets=3000, seed=8)
    assert len(a) == 3000 and a.equals(b) and not a.equals(c)      # seeded, reproducible
    assert list(a["k"]) == sorted(a["k"]) and a["k"].min() >= 1
    assert abs(a["k"].mean() - fit.k / 2) < 1                      # sizes ~ Binomial(k, 1/2)
    assert all(row.count("1") == k for row, k in zip(a["incl"], a["k"]))
    exact = meta.gosh(_fit("loseth2024"))
    assert len(exact) == 2**8 - 1


def test_diagnostics_reject_bad_input():
    with pytest.raises(TypeError, match="random_effects"):
        meta.influence(meta.three_level(dataset("konstantopoulos2011")["yi"],
                                        dataset("konstantopoulos2011")["vi"],
                                        dataset("konstantopoulos2011")["district"]))
    small = meta.random_effects([0.1, 0.3], [0.01, 0.02])
    with pytest.raises(ValueError, match="at least 3 studies"):
        meta.influence(small)
    with pytest.raises(ValueError, match="at least 3 studies"):
        meta.baujat(small)
    with pytest.raises(ValueError, match="subsets"):
        meta.gosh(_fit("bcg"), subsets=1)
    assert influence.MAX_EXACT_K == 15
