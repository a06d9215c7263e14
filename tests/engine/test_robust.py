"""utils.meta.robust (CR2, Satterthwaite df) against metafor 3.8-1's
robust(clubSandwich = TRUE) with clubSandwich 0.5.8 (tests/fixtures/robust_bias.json)."""
import numpy as np
import pytest

from engine_reference import assert_close, dataset, robust_bias
from utils import meta


def _fit(case):
    d = dataset(case["dataset"])
    if case["model"] == "three_level":
        return meta.three_level(d["yi"], d["vi"], d["district"], d["school"], method=case["method"]), d
    return meta.random_effects(d["yi"], d["vi"], method=case["method"]), d


@pytest.mark.parametrize("case", robust_bias()["robust"],
                         ids=lambda c: f"{c['dataset']}-{c['model']}-{c['method']}-{c['cluster']}")
def test_robust_matches_clubsandwich(case):
    fit, d = _fit(case)
    res = meta.robust(fit, d[case["cluster"]])
    for key, theirs in [("estimate", "estimate"), ("se", "se"), ("df", "df"), ("stat", "tval"), ("p", "p"),
                        ("ci_low", "ci_low"), ("ci_high", "ci_high")]:
        assert_close(getattr(res, key), case[theirs], key, rtol=1e-6)
    assert res.n_clusters == case["n_clusters"]
    assert "CR2" in str(res)


def test_cr2_with_one_effect_per_cluster_is_the_hc2_correction():
    """Every study its own cluster in the univariate model: A_j = (1 - h_j)^(-1/2),
    so V = sum w_j^2 e_j^2 / (1 - h_j) / (sum w)^2 (the HC2 estimator)."""
    d = dataset("bcg")
    fit = meta.random_effects(d["yi"], d["vi"])
    res = meta.robust(fit, np.arange(fit.k))
    w = 1 / (d["vi"] + fit.tau2)
    h = w / w.sum()
    e = d["yi"] - fit.estimate
    assert res.se == pytest.approx(np.sqrt(np.sum(w**2 * e**2 / (1 - h))) / w.sum(), rel=1e-10)


def test_robust_bad_input():
    d = dataset("konstantopoulos2011")
    three = meta.three_level(d["yi"], d["vi"], d["district"], d["school"])
    with pytest.raises(ValueError, match="cluster has 55 labels but the model has 56"):
        meta.robust(three, d["district"][:-1])
    with pytest.raises(ValueError, match="one cluster"):
        meta.robust(three, ["all"] * 56)
    with pytest.raises(ValueError, match="cluster must hold one label per effect"):
        meta.robust(three, None)
    with pytest.raises(ValueError, match="cluster is missing a label at position 3"):
        meta.robust(three, [1, 2, 3, None] + list(range(52)))
    # a study (district) spread over two clusters: not nested, as clubSandwich refuses
    split = list(d["district"])
    split[0] = "elsewhere"
    with pytest.raises(ValueError, match="nested"):
        meta.robust(three, split)
    with pytest.raises(TypeError, match="random_effects or three_level"):
        meta.robust(meta.regression(d["yi"], d["vi"], {"x": np.arange(56.0)}), d["district"])
