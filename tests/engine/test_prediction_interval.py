"""utils.meta.prediction_interval against R's metafor (tests/fixtures/make_prediction_fixtures.R writes
tests/fixtures/prediction.json; the tests never need R)."""
import dataclasses

import pytest

from engine_reference import fixture
from utils import meta

FITS = fixture("prediction")["fits"]


@pytest.mark.parametrize("ref", FITS, ids=lambda r: f"{r['data']}-{r['method']}-{r['test']}")
def test_prediction_interval_matches_metafor(ref):
    fit = meta.random_effects(ref["yi"], ref["vi"], method=ref["method"], test=ref["test"])
    # The fits agree to metafor's convergence tolerance ...
    assert fit.estimate == pytest.approx(ref["estimate"], abs=1e-4)
    assert fit.tau2 == pytest.approx(ref["tau2"], abs=1e-4)
    assert (fit.ci_low, fit.ci_high) == pytest.approx(ref["ci"], abs=1e-4)
    assert meta.prediction_interval(fit, "t(k-2)") == pytest.approx(ref["pi_t_k_minus_2"], abs=5e-4)
    # ... and from metafor's own mu, se and tau^2 the interval is metafor's to the last digits.
    same = dataclasses.replace(fit, estimate=ref["estimate"], se=ref["se"], tau2=ref["tau2"])
    assert meta.prediction_interval(same, "t(k-2)") == pytest.approx(ref["pi_t_k_minus_2"], abs=1e-12)
    assert ref["pi_t_k_minus_2"] == pytest.approx(ref["pi_t_k_minus_2_by_hand"], abs=1e-12)
    if ref["test"] == "z":  # metafor's printed interval after a z test is the z form
        assert meta.prediction_interval(same, "z") == pytest.approx(ref["pi_default"], abs=1e-12)
        assert (fit.pi_low, fit.pi_high) == pytest.approx(ref["pi_default"], abs=1e-4)


def test_the_t_form_is_wider_than_the_z_form_by_the_ratio_of_the_quantiles():
    from scipy import stats
    ref = next(r for r in FITS if r["data"] == "table1" and r["method"] == "DL" and r["test"] == "z")
    fit = meta.random_effects(ref["yi"], ref["vi"], method="DL")
    low_t, high_t = meta.prediction_interval(fit)
    low_z, high_z = meta.prediction_interval(fit, form="z")
    assert (high_t - low_t) / (high_z - low_z) == pytest.approx(stats.t.ppf(0.975, 6) / stats.norm.ppf(0.975))
    assert meta.prediction_interval(fit, level=0.8)[1] < high_t


@pytest.mark.parametrize("call, error, words", [
    (lambda fit: meta.prediction_interval(fit, form="t(k-1)"), ValueError, ["form", "t(k-2)"]),
    (lambda fit: meta.prediction_interval(fit, level=95), ValueError, ["level"]),
    (lambda fit: meta.prediction_interval((fit.estimate, fit.se)), TypeError, ["fit", "random_effects"]),
    (lambda fit: meta.prediction_interval(meta.random_effects(fit.yi, fit.vi, method="FE")), ValueError,
     ["fit", "FE"]),
    (lambda fit: meta.prediction_interval(meta.random_effects(fit.yi[:2], fit.vi[:2])), ValueError,
     ["fit", "at least 3", "k = 2"]),
])
def test_prediction_interval_names_the_bad_argument(call, error, words):
    ref = FITS[0]
    fit = meta.random_effects(ref["yi"], ref["vi"])
    with pytest.raises(error) as raised:
        call(fit)
    for word in words:
        assert word in str(raised.value)
