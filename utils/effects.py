"""Effect sizes: standardised mean differences and their sampling variances.

Everything here reproduces R's metafor function ``escalc`` (Viechtbauer 2010,
J Stat Softw 36(3)) with its default large-sample variance (``vtype = "LS"``):

=====================  =====================================================
function               escalc equivalent
=====================  =====================================================
``hedges_g``           ``measure = "SMD"`` from means, SDs and group sizes
``g_from_t``           ``measure = "SMD"`` from ``ti`` (independent groups),
                       ``measure = "SMCC"`` from a paired t (one group)
``g_from_f``           as ``g_from_t`` with t = sign * sqrt(F(1, df))
``g_from_d``           the small-sample correction applied to a known d
``smd_change``         ``measure = "SMCC"`` or ``"SMCR"`` (pre-post designs)
=====================  =====================================================

All functions are vectorised: pass numbers or equal-length arrays (length-1
arrays are broadcast). They return numpy arrays, or numpy scalars when every
input was a single number. Bad input raises ValueError naming the argument
and the offending position.
"""
from __future__ import annotations

import numpy as np
from scipy import special

from .validation import (
    as_float_array,
    broadcast_same_length,
    require_at_least,
    require_greater_than,
    require_in_range,
    require_level,
    require_positive,
)


__all__ = [
    "correction_factor", "pooled_sd", "cohens_d", "hedges_g", "g_from_d", "g_from_t",
    "g_from_f", "smd_change", "d_z", "d_av", "se_from_ci", "ci_from_se",
]


def __dir__():
    return sorted(__all__)


# --------------------------------------------------------------------------
# input handling shared by every function below
# --------------------------------------------------------------------------
def _arrays(**values):
    """Validate numeric inputs, broadcast them to one length, and remember
    whether every input was a scalar (then results are returned as scalars)."""
    scalar = all(np.ndim(v) == 0 for v in values.values())
    arrays = {name: as_float_array(v, name) for name, v in values.items()}
    return scalar, broadcast_same_length(**arrays)


def _out(scalar, *arrays):
    result = tuple(a[0] if scalar else a for a in arrays)
    return result if len(result) > 1 else result[0]


def _check_group_sizes(minimum, **sizes):
    for name, n in sizes.items():
        require_at_least(n, name, minimum)


# --------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------
def _c(m):
    """Exact correction factor on validated arrays (see ``correction_factor``)."""
    return np.exp(special.gammaln(m / 2) - np.log(np.sqrt(m / 2)) - special.gammaln((m - 1) / 2))


def correction_factor(df):
    """Hedges' exact small-sample correction factor c(m), m = degrees of freedom.

    c(m) = Gamma(m/2) / (sqrt(m/2) * Gamma((m-1)/2)), computed on the log scale
    as exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2)) (Hedges 1981,
    J Educ Stat 6:107-128; metafor's internal ``.cmicalc``). It is close to
    the familiar approximation 1 - 3/(4m - 1). Needs m > 1.

    Parameters
    ----------
    df : float or array_like
        Degrees of freedom m (> 1).

    Returns
    -------
    float or numpy.ndarray
        c(m), often called J.

    References
    ----------
    Hedges LV (1981). Distribution theory for Glass's estimator of effect size and
        related estimators. J Educ Stat 6:107-128.
    """
    scalar, a = _arrays(df=df)
    require_greater_than(a["df"], "df", 1, why="the correction needs more than 1 degree of freedom")
    return _out(scalar, _c(a["df"]))


def _pooled_sd(sd1, n1, sd2, n2):
    return np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))


def pooled_sd(sd1, n1, sd2, n2):
    """Pooled standard deviation of two independent groups.

    s_pooled = sqrt(((n1 - 1) sd1^2 + (n2 - 1) sd2^2) / (n1 + n2 - 2))
    (Hedges & Olkin 1985; Borenstein et al. 2009).

    Parameters
    ----------
    sd1, sd2 : float or array_like
        Standard deviations of the two groups (> 0).
    n1, n2 : float or array_like
        Sizes of the two groups (>= 2 each).

    Returns
    -------
    float or numpy.ndarray
        The pooled SD.

    Raises
    ------
    ValueError
        If an SD is not positive or a group has fewer than 2 people.

    References
    ----------
    Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic Press.
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis. Wiley.
    """
    scalar, a = _arrays(sd1=sd1, n1=n1, sd2=sd2, n2=n2)
    _check_sds(a)
    _check_group_sizes(2, n1=a["n1"], n2=a["n2"])
    return _out(scalar, _pooled_sd(a["sd1"], a["n1"], a["sd2"], a["n2"]))


def _check_sds(a, names=("sd1", "sd2")):
    for name in names:
        require_positive(a[name], name)


def _smd_variance(g, n1, n2):
    """Large-sample variance of an SMD: 1/n1 + 1/n2 + g^2 / (2 (n1 + n2))
    (metafor escalc, measure "SMD", vtype "LS")."""
    return 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))


def _change_variance(g, n):
    """Large-sample variance of a one-group SMD (change score standardised):
    1/n + g^2 / (2n) (metafor escalc, measure "SMCC", vtype "LS")."""
    return 1 / n + g**2 / (2 * n)


# --------------------------------------------------------------------------
# two independent groups
# --------------------------------------------------------------------------
def cohens_d(m1, sd1, n1, m2, sd2, n2):
    """Cohen's d = (m1 - m2) / pooled SD, without small-sample correction.

    Returns (d, v) with v = 1/n1 + 1/n2 + d^2 / (2 (n1 + n2)) (Hedges & Olkin
    1985, eq. 5.15). Prefer ``hedges_g`` for meta-analysis: d overestimates
    the population effect in small samples.

    Parameters
    ----------
    m1, sd1, n1, m2, sd2, n2 : float or array_like
        Means, SDs and sizes of the two groups.

    Returns
    -------
    (d, v)

    References
    ----------
    Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed.
    Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis, eq. 5.15.
    """
    scalar, a = _arrays(m1=m1, sd1=sd1, n1=n1, m2=m2, sd2=sd2, n2=n2)
    _check_sds(a)
    _check_group_sizes(2, n1=a["n1"], n2=a["n2"])
    d = (a["m1"] - a["m2"]) / _pooled_sd(a["sd1"], a["n1"], a["sd2"], a["n2"])
    return _out(scalar, d, _smd_variance(d, a["n1"], a["n2"]))


def hedges_g(m1, sd1, n1, m2, sd2, n2):
    """Hedges' g for two independent groups, exactly as metafor escalc("SMD").

    g = c(m) * (m1 - m2) / s_pooled with m = n1 + n2 - 2 and the exact
    correction c(m) (see ``correction_factor``);
    v = 1/n1 + 1/n2 + g^2 / (2 (n1 + n2)).
    Group 1 minus group 2: put the treatment (e.g. naltrexone) first for a
    negative g to mean "lower under treatment". Returns (g, v).

    Parameters
    ----------
    m1, sd1, n1 : float or array_like
        Mean, SD and size of group 1 (the treatment).
    m2, sd2, n2 : float or array_like
        Mean, SD and size of group 2 (the control).

    Returns
    -------
    (g, v)
        Hedges' g and its large-sample variance.

    References
    ----------
    Hedges LV (1981). J Educ Stat 6:107-128.
    Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis, Academic Press, eq. 5.15.
    """
    scalar, a = _arrays(m1=m1, sd1=sd1, n1=n1, m2=m2, sd2=sd2, n2=n2)
    _check_sds(a)
    _check_group_sizes(2, n1=a["n1"], n2=a["n2"])
    n1, n2 = a["n1"], a["n2"]
    g = _c(n1 + n2 - 2) * (a["m1"] - a["m2"]) / _pooled_sd(a["sd1"], n1, a["sd2"], n2)
    return _out(scalar, g, _smd_variance(g, n1, n2))


# --------------------------------------------------------------------------
# conversions from d, t and F
# --------------------------------------------------------------------------
def _g_from_d_arrays(d, n1, n2):
    if n2 is None:  # one group (paired / within-subject): d is d_z, df = n - 1
        g = _c(n1 - 1) * d
        return g, _change_variance(g, n1)
    g = _c(n1 + n2 - 2) * d
    return g, _smd_variance(g, n1, n2)


def _sizes(values, n1, n2):
    """Validate group sizes: two groups need n >= 2 each; one group (paired
    design) needs n >= 3 so that the correction's df = n - 1 exceeds 1."""
    if n2 is None:
        scalar, a = _arrays(**values, n1=n1)
        _check_group_sizes(3, n1=a["n1"])
        a["n2"] = None
    else:
        scalar, a = _arrays(**values, n1=n1, n2=n2)
        _check_group_sizes(2, n1=a["n1"], n2=a["n2"])
    return scalar, a


def g_from_d(d, n1, n2=None):
    """Apply the exact small-sample correction to a known d; returns (g, v).

    Two groups (n2 given): g = c(n1 + n2 - 2) d, v = 1/n1 + 1/n2 + g^2/(2(n1+n2)).
    One group / paired design (n2 None): d must be d_z (mean difference over
    the SD of the differences); g = c(n - 1) d, v = 1/n + g^2/(2n), as
    metafor escalc("SMCC"). c(m) is Hedges' correction (``correction_factor``).

    Parameters
    ----------
    d : float or array_like
        Standardised mean difference (d_z for a paired design).
    n1 : float or array_like
        Size of group 1, or the number of people for a paired design.
    n2 : float or array_like, optional
        Size of group 2; None for a paired design.

    Returns
    -------
    (g, v)
        Hedges' g and its large-sample variance.

    Raises
    ------
    ValueError
        If a group size is too small (two groups: < 2 each; paired: < 3).

    References
    ----------
    Hedges LV (1981). Distribution theory for Glass's estimator of effect size and
        related estimators. J Educ Stat 6:107-128.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
        J Stat Softw 36(3).
    """
    scalar, a = _sizes({"d": d}, n1, n2)
    return _out(scalar, *_g_from_d_arrays(a["d"], a["n1"], a["n2"]))


def g_from_t(t, n1, n2=None):
    """Hedges' g from a t statistic; returns (g, v).

    Independent groups (n2 given): d = t sqrt(1/n1 + 1/n2), then corrected with
    df = n1 + n2 - 2 (metafor escalc("SMD", ti = t)).
    Paired t test (n2 None, n1 = number of pairs): d_z = t / sqrt(n), then
    corrected with df = n - 1 (metafor escalc("SMCC"), whose d is d_z).
    The sign of t gives the sign of g.

    Parameters
    ----------
    t : float or array_like
        The t statistic (signed).
    n1, n2 : float or array_like
        Group sizes as in :func:`g_from_d`; for a paired t test, n1 is the
        number of pairs and n2 is None.

    Returns
    -------
    (g, v)
        Hedges' g (with the sign of t) and its large-sample variance.

    Raises
    ------
    ValueError
        If a group size is too small (< 2 per group; < 3 pairs).

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis. Wiley (d from t).
    Hedges LV (1981). J Educ Stat 6:107-128 (the correction).
    """
    scalar, a = _sizes({"t": t}, n1, n2)
    if a["n2"] is None:
        d = a["t"] / np.sqrt(a["n1"])
    else:
        d = a["t"] * np.sqrt(1 / a["n1"] + 1 / a["n2"])
    return _out(scalar, *_g_from_d_arrays(d, a["n1"], a["n2"]))


def g_from_f(f, n1, n2=None, *, sign):
    """Hedges' g from F(1, df) for a two-level factor; returns (g, v).

    An F with one numerator degree of freedom is t squared, so t = sign *
    sqrt(F) and the rest is ``g_from_t``. F has lost the direction of the
    effect: ``sign`` (+1 or -1, or an array of them) must say it, taken from
    the group means. Do not use F tests with more than 1 numerator df.

    Parameters
    ----------
    f : float or array_like
        The F statistic with 1 numerator df (>= 0).
    n1, n2 : float or array_like
        Group sizes as in :func:`g_from_d` (n2 None for a within-subject factor).
    sign : {+1, -1} or array_like
        Direction of the effect (group 1 minus group 2), keyword only.

    Returns
    -------
    (g, v)
        As from :func:`g_from_t` with t = sign * sqrt(F).

    Raises
    ------
    ValueError
        If f is negative, a sign is not +1 or -1, or a group size is too small.

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis. Wiley (d from t and F).
    """
    scalar_f, a = _arrays(f=f, sign=sign)
    require_at_least(a["f"], "f", 0)
    bad = np.flatnonzero(~np.isin(a["sign"], (-1.0, 1.0)))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"sign must be +1 or -1; position {i} is {a['sign'][i]}")
    t = a["sign"] * np.sqrt(a["f"])
    if scalar_f and np.ndim(n1) == 0 and np.ndim(n2) == 0:
        t = t[0]
    return g_from_t(t, n1, n2)


# --------------------------------------------------------------------------
# one group measured twice (pre-post, within-subject)
# --------------------------------------------------------------------------
def _sd_of_differences(sd1, sd2, r):
    """sqrt(sd1^2 + sd2^2 - 2 r sd1 sd2); raises if it is 0 (r = 1 with sd1 = sd2)."""
    var = sd1**2 + sd2**2 - 2 * r * sd1 * sd2
    bad = np.flatnonzero(~(var > 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"r = {r[i]} with sd1 = {sd1[i]} and sd2 = {sd2[i]} gives a zero SD of the "
                         f"differences at position {i}; r must be below 1")
    return np.sqrt(var)


def smd_change(m1, m2, sd1, sd2, n, r, measure="SMCC"):
    """Standardised mean change for one group measured twice; returns (g, v).

    As metafor escalc with m = n - 1, c = c(m) (``correction_factor``):

    * ``"SMCC"`` (change-score standardisation, Gibbons et al. 1993):
      sd_d = sqrt(sd1^2 + sd2^2 - 2 r sd1 sd2), g = c (m1 - m2) / sd_d,
      v = 1/n + g^2 / (2n). Here g is the corrected d_z.
    * ``"SMCR"`` (raw-score standardisation, Becker 1988): g = c (m1 - m2) / sd1,
      v = 2 (1 - r) / n + g^2 / (2n). ``sd2`` is not used (may be None).

    Parameters
    ----------
    m1, m2 : float or array_like
        Means at the two measurements (m1 - m2 is the change).
    sd1, sd2 : float or array_like
        SDs at the two measurements (> 0); sd2 may be None for "SMCR".
    n : float or array_like
        Number of people (>= 3).
    r : float or array_like
        Correlation between the two measurements, in [-1, 1].
    measure : {"SMCC", "SMCR"}
        The standardisation.

    Returns
    -------
    (g, v)
        The standardised mean change and its large-sample variance.

    Raises
    ------
    ValueError
        If measure is unknown, an SD is not positive, n < 3, r is outside
        [-1, 1], or the SD of the differences is 0.

    References
    ----------
    Gibbons RD, Hedeker DR, Davis JM (1993). Estimation of effect size from a series
        of experiments involving paired comparisons. J Educ Stat 18:271-279.
    Becker BJ (1988). Synthesizing standardized mean-change measures. Br J Math
        Stat Psychol 41:257-278.
    Viechtbauer W (2010). J Stat Softw 36(3) (escalc).
    """
    if measure not in ("SMCC", "SMCR"):
        raise ValueError(f"measure must be 'SMCC' or 'SMCR'; got {measure!r}")
    values = {"m1": m1, "m2": m2, "sd1": sd1, "n": n, "r": r}
    if measure == "SMCC" or sd2 is not None:
        values["sd2"] = sd2
    scalar, a = _arrays(**values)
    _check_sds(a, ("sd1", "sd2") if "sd2" in a else ("sd1",))
    require_at_least(a["n"], "n", 3)
    require_in_range(a["r"], "r", -1, 1)
    n, r = a["n"], a["r"]
    c = _c(n - 1)
    if measure == "SMCC":
        sd_diff = _sd_of_differences(a["sd1"], a["sd2"], r)
        g = c * (a["m1"] - a["m2"]) / sd_diff
        v = _change_variance(g, n)
    else:
        g = c * (a["m1"] - a["m2"]) / a["sd1"]
        v = 2 * (1 - r) / n + g**2 / (2 * n)
    return _out(scalar, g, v)


def d_z(m1, m2, sd1, sd2, r):
    """Within-subject d_z: the mean difference over the SD of the differences.

    d_z = (m1 - m2) / sd_diff with sd_diff = sqrt(sd1^2 + sd2^2 - 2 r sd1 sd2)
    (Lakens 2013, eq. 6). It grows with r: the same mean difference looks larger
    when the two measurements are highly correlated.

    Parameters
    ----------
    m1, m2 : float or array_like
        Means in the two conditions.
    sd1, sd2 : float or array_like
        SDs in the two conditions (> 0).
    r : float or array_like
        Correlation between the conditions, in [-1, 1].

    Returns
    -------
    float or numpy.ndarray
        d_z (uncorrected).

    Raises
    ------
    ValueError
        If an SD is not positive, r is outside [-1, 1] or sd_diff is 0.

    References
    ----------
    Lakens D (2013). Calculating and reporting effect sizes to facilitate cumulative
        science. Front Psychol 4:863.
    """
    scalar, a = _arrays(m1=m1, m2=m2, sd1=sd1, sd2=sd2, r=r)
    _check_sds(a)
    require_in_range(a["r"], "r", -1, 1)
    sd_diff = _sd_of_differences(a["sd1"], a["sd2"], a["r"])
    return _out(scalar, (a["m1"] - a["m2"]) / sd_diff)


def d_av(m1, m2, sd1, sd2):
    """Within-subject d_av: the mean difference over the average SD.

    d_av = (m1 - m2) / ((sd1 + sd2) / 2) (Lakens 2013, eq. 10). It ignores the
    correlation, so it is comparable with a between-subject d.

    Parameters
    ----------
    m1, m2, sd1, sd2 : float or array_like
        As in :func:`d_z`.

    Returns
    -------
    float or numpy.ndarray
        d_av (uncorrected).

    Raises
    ------
    ValueError
        If an SD is not positive.

    References
    ----------
    Lakens D (2013). Calculating and reporting effect sizes to facilitate cumulative
        science. Front Psychol 4:863.
    """
    scalar, a = _arrays(m1=m1, m2=m2, sd1=sd1, sd2=sd2)
    _check_sds(a)
    return _out(scalar, (a["m1"] - a["m2"]) / ((a["sd1"] + a["sd2"]) / 2))


# --------------------------------------------------------------------------
# standard errors and confidence intervals
# --------------------------------------------------------------------------
def se_from_ci(low, high, level=0.95):
    """Standard error from a symmetric confidence interval.

    se = (high - low) / (2 z), z = the (1 + level)/2 normal quantile (1.959964 for
    95%) (Borenstein et al. 2009). Square it for the sampling variance.

    Parameters
    ----------
    low, high : float or array_like
        Lower and upper limits (high > low).
    level : float
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        The standard error.

    Raises
    ------
    ValueError
        If level is not in (0, 1) or high is not greater than low.

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis. Wiley.
    """
    level = require_level(level)
    scalar, a = _arrays(low=low, high=high)
    width = a["high"] - a["low"]
    bad = np.flatnonzero(~(width > 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"high must be greater than low; position {i} has low {a['low'][i]}, high {a['high'][i]}")
    return _out(scalar, width / (2 * special.ndtri((1 + level) / 2)))   # normal quantile, as stats.norm.ppf


def ci_from_se(estimate, se, level=0.95):
    """Wald confidence interval estimate -/+ z se; returns (low, high).

    z is the (1 + level)/2 normal quantile (Borenstein et al. 2009).

    Parameters
    ----------
    estimate : float or array_like
        Point estimate.
    se : float or array_like
        Its standard error (> 0).
    level : float
        Confidence level, in (0, 1).

    Returns
    -------
    (low, high)
        The interval limits.

    Raises
    ------
    ValueError
        If an SE is not positive, or level is not in (0, 1).

    References
    ----------
    Borenstein et al. (2009), as cited in :func:`se_from_ci`.
    """
    level = require_level(level)
    scalar, a = _arrays(estimate=estimate, se=se)
    require_positive(a["se"], "se")
    z = special.ndtri((1 + level) / 2)   # normal quantile, as stats.norm.ppf
    return _out(scalar, a["estimate"] - z * a["se"], a["estimate"] + z * a["se"])
