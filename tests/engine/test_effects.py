"""utils.effects against metafor's escalc, plus the identities between the conversions."""
import numpy as np
import pytest

from engine_reference import assert_close, reference
from utils import effects

RTOL = 1e-9   # closed-form formulas: agreement to rounding error


@pytest.fixture(scope="module")
def smd():
    return reference()["escalc"]["smd"]


@pytest.fixture(scope="module")
def change():
    return reference()["escalc"]["change"]


# --- against metafor escalc -------------------------------------------------

def test_hedges_g_matches_escalc_smd(smd):
    g, v = effects.hedges_g(smd["m1"], smd["sd1"], smd["n1"], smd["m2"], smd["sd2"], smd["n2"])
    assert_close(g, smd["yi"], "g", RTOL)
    assert_close(v, smd["vi"], "v", RTOL)


def test_g_from_t_independent_matches_escalc_smd_from_t(smd):
    g, v = effects.g_from_t(smd["t"], smd["n1"], smd["n2"])
    assert_close(g, smd["yi_from_t"], "g", RTOL)
    assert_close(v, smd["vi_from_t"], "v", RTOL)
    # and it is the same number as from the means and SDs
    assert_close(g, smd["yi"], "g from t vs from means", RTOL)


def test_g_from_f_with_sign_matches_escalc(smd):
    t = np.array(smd["t"])
    g, v = effects.g_from_f(t**2, smd["n1"], smd["n2"], sign=np.sign(t))
    assert_close(g, smd["yi"], "g", RTOL)
    assert_close(v, smd["vi"], "v", RTOL)


def test_smcc_matches_escalc(change):
    g, v = effects.smd_change(change["m1"], change["m2"], change["sd1"], change["sd2"],
                              change["n"], change["r"], measure="SMCC")
    assert_close(g, change["smcc_yi"], "SMCC g", RTOL)
    assert_close(v, change["smcc_vi"], "SMCC v", RTOL)


def test_smcr_matches_escalc(change):
    g, v = effects.smd_change(change["m1"], change["m2"], change["sd1"], None,
                              change["n"], change["r"], measure="SMCR")
    assert_close(g, change["smcr_yi"], "SMCR g", RTOL)
    assert_close(v, change["smcr_vi"], "SMCR v", RTOL)


def test_paired_t_gives_escalc_smcc(change):
    g, v = effects.g_from_t(change["t_paired"], change["n"])
    assert_close(g, change["smcc_yi"], "g from paired t", RTOL)
    assert_close(v, change["smcc_vi"], "v from paired t", RTOL)


# --- identities -------------------------------------------------------------

def test_correction_factor_exact_and_close_to_approximation():
    m = np.array([2.0, 5, 10, 38, 100, 1000])
    c = effects.correction_factor(m)
    # the exact gamma-function form (gamma itself overflows for m = 1000: hence log-gamma)
    from scipy.special import gamma
    small = m[:5]
    assert_close(c[:5], gamma(small / 2) / (np.sqrt(small / 2) * gamma((small - 1) / 2)), "c(m)", 1e-12,
                 against="the gamma formula")
    # Hedges' approximation 1 - 3/(4m - 1) for larger m
    assert np.all(np.abs(c[2:] - (1 - 3 / (4 * m[2:] - 1))) < 1e-3)
    assert np.all(np.diff(c) > 0) and np.all(c < 1)


def test_hedges_g_is_corrected_cohens_d():
    args = ([5.1, 3.0], [1.2, 2.0], [12, 40], [4.0, 3.5], [1.0, 2.2], [15, 38])
    d, vd = effects.cohens_d(*args)
    g, vg = effects.hedges_g(*args)
    n = np.array(args[2]) + np.array(args[5])
    assert_close(g, effects.correction_factor(n - 2) * d, "g = c d", 1e-12)
    assert np.all(np.abs(g) < np.abs(d))


def test_g_from_d_matches_hedges_g():
    g, v = effects.hedges_g(10.0, 2.0, 20, 9.0, 2.5, 25)
    d, _ = effects.cohens_d(10.0, 2.0, 20, 9.0, 2.5, 25)
    g2, v2 = effects.g_from_d(d, 20, 25)
    assert g2 == pytest.approx(g, rel=1e-12) and v2 == pytest.approx(v, rel=1e-12)


def test_paired_g_from_d_equals_smcc():
    dz = effects.d_z(5.0, 4.2, 1.1, 1.3, 0.6)
    g, v = effects.g_from_d(dz, 30)
    g2, v2 = effects.smd_change(5.0, 4.2, 1.1, 1.3, 30, 0.6, measure="SMCC")
    assert g == pytest.approx(g2, rel=1e-12) and v == pytest.approx(v2, rel=1e-12)


def test_negative_sign_of_f_gives_negative_g():
    g_pos, _ = effects.g_from_f(4.0, 20, 20, sign=1)
    g_neg, _ = effects.g_from_f(4.0, 20, 20, sign=-1)
    assert g_pos > 0 and g_neg == pytest.approx(-g_pos)


def test_d_z_and_d_av_with_equal_sds():
    # with equal SDs, d_z = d_av / sqrt(2 (1 - r)) (Lakens 2013): equal at r = 0.5
    r = np.array([0.0, 0.5, 0.8])
    dz = effects.d_z(1.0, 0.0, 2.0, 2.0, r)
    dav = effects.d_av(1.0, 0.0, 2.0, 2.0)
    assert_close(dz, dav / np.sqrt(2 * (1 - r)), "d_z", 1e-12)
    assert dz[1] == pytest.approx(dav)


def test_se_from_ci_and_back():
    # Loseth et al. (2024) Table 1, Inagaki et al. [20, 59]: g = -0.34 [-0.58, -0.09]
    se = effects.se_from_ci(-0.58, -0.09)
    assert se == pytest.approx(0.49 / (2 * 1.959963984540054), rel=1e-12)
    low, high = effects.ci_from_se(-0.335, se)
    assert (low, high) == (pytest.approx(-0.58), pytest.approx(-0.09))
    assert effects.se_from_ci(-1.0, 1.0, level=0.90) == pytest.approx(1 / 1.6448536269514722)


def test_scalars_in_scalars_out_and_broadcasting():
    g, v = effects.hedges_g(1.0, 1.0, 10, 0.0, 1.0, 10)
    assert np.ndim(g) == 0 and np.ndim(v) == 0
    g, v = effects.hedges_g([1.0, 2.0, 3.0], 1.0, 10, 0.0, 1.0, 10)
    assert g.shape == (3,) and np.all(np.diff(g) > 0)
    assert effects.g_from_t(2.0, 10)[0].ndim == 0
