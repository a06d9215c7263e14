"""Comparing two independent correlations (Fisher z), and the power of that comparison."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..lazy import lazy_import
from ..validation import (
    as_float_array,
    broadcast_same_length,
    require_choice,
    require_greater_than,
    require_in_range,
)

# scipy.stats: imported on first use, to keep a lesson's set-up cell quick
stats = lazy_import("scipy.stats")


class FisherZResult(NamedTuple):
    """The Fisher z comparison of two independent correlations.

    Attributes
    ----------
    z : float or numpy.ndarray
        The z statistic.
    p : float or numpy.ndarray
        Its p-value for the chosen alternative.
    """
    z: float | np.ndarray
    p: float | np.ndarray


def fisher_z_compare(r1, n1, r2, n2, alternative: str = "two-sided") -> FisherZResult:
    """Test whether two correlations from independent samples differ.

        z = (atanh r1 - atanh r2) / sqrt(1/(n1 - 3) + 1/(n2 - 3))

    atanh r = 0.5 log((1 + r)/(1 - r)) is Fisher's (1921) z transform, whose
    sampling variance is about 1/(n - 3) (Cohen, Cohen, West & Aiken 2003).
    The same z is the Wald test of the group difference in a fixed-effect
    meta-regression of metafor ``escalc("ZCOR")`` effects (tests/fixtures/fmri.json).
    Vectorised: numbers or equal-length arrays.

    Parameters
    ----------
    r1, r2 : float or array_like
        The two correlations, strictly between -1 and 1.
    n1, n2 : float or array_like
        Their sample sizes (> 3).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests r1 > r2.

    Returns
    -------
    FisherZResult
        z and p (floats for single numbers, arrays otherwise).

    Raises
    ------
    ValueError
        If a correlation is outside (-1, 1), a sample size is not above 3, or
        alternative is unknown.

    References
    ----------
    Fisher RA (1921). On the 'probable error' of a coefficient of correlation deduced
        from a small sample. Metron 1:3-32.
    Cohen J, Cohen P, West SG, Aiken LS (2003). Applied Multiple Regression/Correlation
        Analysis for the Behavioral Sciences, 3rd ed., section 2.8.
    """
    alternative = require_choice(alternative, "alternative", ("two-sided", "greater", "less"))
    difference, se = _fisher_z_difference(r1, n1, r2, n2)
    z = difference / se
    p = {"two-sided": 2 * stats.norm.sf(np.abs(z)), "greater": stats.norm.sf(z),
         "less": stats.norm.cdf(z)}[alternative]
    if all(np.ndim(v) == 0 for v in (r1, n1, r2, n2)):
        return FisherZResult(float(z[0]), float(p[0]))
    return FisherZResult(z, p)


def _fisher_z_difference(r1, n1, r2, n2):
    """atanh(r1) - atanh(r2) and its standard error sqrt(1/(n1-3) + 1/(n2-3)), inputs checked."""
    arrays = {name: as_float_array(v, name) for name, v in dict(r1=r1, n1=n1, r2=r2, n2=n2).items()}
    a = broadcast_same_length(**arrays)
    for name in ("r1", "r2"):
        require_in_range(a[name], name, -1.0, 1.0, closed=False)
    for name in ("n1", "n2"):
        require_greater_than(a[name], name, 3, why="the variance of Fisher's z is 1/(n - 3)")
    se = np.sqrt(1 / (a["n1"] - 3) + 1 / (a["n2"] - 3))
    return np.arctanh(a["r1"]) - np.arctanh(a["r2"]), se


def correlation_difference_power(r1, r2, n1, n2, alpha: float = 0.05):
    """Power of the two-sided Fisher z comparison of two independent correlations.

    The test is a z test of atanh r1 - atanh r2 with SE sqrt(1/(n1-3) + 1/(n2-3)),
    so its power is ``utils.power.study_power(se, effect, alpha)``
    (Phi(|effect|/se - z) + Phi(-|effect|/se - z); Cohen 1988, ch. 4).

    Parameters
    ----------
    r1, r2 : float or array_like
        The two population correlations, strictly between -1 and 1.
    n1, n2 : float or array_like
        The two sample sizes (> 3).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    float or numpy.ndarray
        Power (a float when every input is a single number).

    Raises
    ------
    ValueError
        If a correlation is outside (-1, 1) or a sample size is 3 or less.

    References
    ----------
    Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed., ch. 4.
    Fisher RA (1921). On the 'probable error' of a coefficient of correlation deduced
        from a small sample. Metron 1:3-32.
    """
    from ..power import study_power

    difference, se = _fisher_z_difference(r1, n1, r2, n2)
    power = np.asarray(study_power(se, difference, alpha), dtype=float)
    return float(power.ravel()[0]) if all(np.ndim(v) == 0 for v in (r1, r2, n1, n2)) else power
