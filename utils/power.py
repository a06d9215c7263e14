"""Statistical power of one study and of a meta-analysis, and the sample size it needs.

* ``study_power``: power of one study's two-sided z-test, given its standard
  error (the convention of the R package metameta, ``mapower_se``, and its
  "firepower" plot; Quintana 2023).
* ``meta_power``: power of the fixed-effect and the random-effects test of the
  summary effect (Hedges & Pigott 2001; Jackson & Turner 2017), exactly as the
  R package metapower 0.2.2 computes it in ``mpower(..., es_type = "d")``.
* ``n_for_power``: the participants per study a meta-analysis of k studies
  needs for a target power (solved numerically with scipy).

References
----------
Hedges LV, Pigott TD (2001). The power of statistical tests in meta-analysis.
    Psychol Methods 6:203-217.
Jackson D, Turner R (2017). Power analysis for random-effects meta-analysis.
    Res Synth Methods 8:290-302. doi:10.1002/jrsm.1240
Griffin JW (2021). Calculating statistical power for meta-analysis using
    metapower. Quant Meth Psych 17:24-39 (R package metapower 0.2.2, files
    R/mpower.R, R/compute_power.R, R/compute_variance.R, R/CDF.R, R/func.R).
Quintana DS (2023). A guide for calculating study-level statistical power for
    meta-analyses. Adv Meth Pract Psychol Sci 6 (R package metameta,
    R/mapower_se.R).
Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379 (Table 1
    caption and Results: median power 0.15 for g = -0.20; 120 participants per
    study, 60 per arm, for 80% power of the random-effects meta-analysis).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .lazy import lazy_import
from ._printing import Printout
from .validation import (
    as_float_array,
    broadcast_same_length,
    require_alpha,
    require_at_least,
    require_in_range,
    require_positive,
)

__all__ = ["study_power", "variance_d", "meta_power", "n_for_power", "MetaPower"]


def __dir__():
    return sorted(__all__)


# scipy.integrate, scipy.optimize, scipy.stats: imported on first use, to keep a lesson's set-up cell quick
integrate = lazy_import("scipy.integrate")
optimize = lazy_import("scipy.optimize")
stats = lazy_import("scipy.stats")


def _shape_like_input(values: np.ndarray, *inputs):
    """A plain float when every input was a single number, else the array."""
    return float(values[0]) if all(np.ndim(x) == 0 for x in inputs) else values


def study_power(se, effect, alpha=0.05):
    """Power of a two-sided z-test (level ``alpha``) in a study with standard error ``se``.

    P = Phi(|effect|/se - z) + Phi(-|effect|/se - z),  z = Phi^-1(1 - alpha/2).

    This is metameta's ``mapower_se`` (1 - pnorm(z*se, |effect|, se) +
    pnorm(-z*se, |effect|, se), the same expression), used by Løseth et al.
    (2024, Table 1) for the power of each study to detect g = -0.20.
    ``se`` and ``effect`` broadcast against each other (scalar or 1-D).

    Parameters
    ----------
    se : float or array_like
        Standard error(s) of the study's effect (> 0).
    effect : float or array_like
        The effect to detect (same scale as se).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    float or numpy.ndarray
        Power, a float when both inputs were single numbers.

    References
    ----------
    Quintana DS (2023). Adv Meth Pract Psychol Sci 6 (metameta, mapower_se).
    """
    se_arr = as_float_array(se, "se")
    require_positive(se_arr, "se")
    eff = as_float_array(effect, "effect")
    z = stats.norm.isf(require_alpha(alpha) / 2)
    arrays = broadcast_same_length(se=se_arr, effect=eff)
    lam = np.abs(arrays["effect"]) / arrays["se"]
    return _shape_like_input(stats.norm.cdf(lam - z) + stats.norm.cdf(-lam - z), se, effect)


def variance_d(n_per_study, effect):
    """Sampling variance of Cohen's d for two equal groups of n/2 (Borenstein et al. 2009, eq. 4.20).

    v = (n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2)) with n1 = n2 = n/2, i.e. 4/n + d^2/(2n);
    metapower's ``compute_variance`` for es_type "d" (which also rounds v to 5 decimals; we do not).

    Parameters
    ----------
    n_per_study : float or array_like
        Participants per study (two equal arms).
    effect : float or array_like
        Cohen's d.

    Returns
    -------
    float or numpy.ndarray

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis, Wiley, eq. 4.20.
    """
    n = as_float_array(n_per_study, "n_per_study")
    require_positive(n, "n_per_study")
    d = as_float_array(effect, "effect")
    arrays = broadcast_same_length(n_per_study=n, effect=d)
    n, d = arrays["n_per_study"], arrays["effect"]
    return _shape_like_input(4.0 / n + d ** 2 / (2.0 * n), n_per_study, effect)


@dataclass(frozen=True, repr=False)
class MetaPower(Printout):
    """Power of the test of the summary effect (metapower's ``mpower``), from :func:`meta_power`.

    Fields are floats when every input was a single number, else arrays of
    the broadcast length (one element per setting).

    Attributes
    ----------
    effect, n_per_study, k, i2 : float or numpy.ndarray
        The settings: effect (d), participants per study, studies, I^2 (proportion).
    alpha : float
        Two-sided significance level.
    variance : float or numpy.ndarray
        Per-study sampling variance of d (:func:`variance_d`).
    ncp : float or numpy.ndarray
        Non-centrality, |d| / sqrt(variance / k).
    fixed, random : float or numpy.ndarray
        Power of the fixed-effect z test and of the random-effects test.

    References
    ----------
    Hedges LV, Pigott TD (2001). Psychol Methods 6:203-217.
    Jackson D, Turner R (2017). Res Synth Methods 8:290-302.
    """

    effect: np.ndarray
    n_per_study: np.ndarray
    k: np.ndarray
    i2: np.ndarray
    alpha: float
    variance: np.ndarray   # per-study sampling variance of d (variance_d)
    ncp: np.ndarray        # effect / sqrt(variance / k)
    fixed: np.ndarray      # power of the fixed-effect (common-effect) z-test
    random: np.ndarray     # power of the random-effects test (Jackson & Turner 2017)

    def to_frame(self) -> pd.DataFrame:
        """One row per setting: effect, n_per_study, k, i2, variance, ncp, fixed, random."""
        columns = ["effect", "n_per_study", "k", "i2", "variance", "ncp", "fixed", "random"]
        frame = pd.DataFrame({c: np.atleast_1d(getattr(self, c)) for c in columns})
        frame.index.name = "setting"
        return frame

    def _html(self) -> str:
        caption = f"Power of the meta-analytic test of the mean effect (two-sided, alpha = {self.alpha:g})"
        table = self.to_frame().to_html(float_format=lambda v: f"{v:.4g}")
        return f"<div><p><strong>{caption}</strong></p>{table}</div>"

    def _text(self) -> str:
        lines = ["Power of the meta-analytic test of the mean effect (two-sided, "
                 f"alpha = {self.alpha:g}; metapower::mpower, Jackson & Turner 2017)",
                 f"{'effect':>8} {'N/study':>8} {'k':>4} {'I2':>6} {'fixed':>9} {'random':>9}"]
        for row in zip(*(np.atleast_1d(x) for x in (self.effect, self.n_per_study, self.k, self.i2,
                                                    self.fixed, self.random))):
            e, n, k, i2, f, r = row
            lines.append(f"{e:8.3g} {n:8.4g} {k:4.0f} {i2:6.0%} {f:9.4f} {r:9.4f}")
        return "\n".join(lines)


def _fixed_power(ncp, c):
    """Hedges & Pigott (2001): Phi(ncp - c) + Phi(-ncp - c) (metapower compute_power.R)."""
    return special.ndtr(ncp - c) + special.ndtr(-ncp - c)


def _random_power_one(ncp: float, c: float, k: float, i2: float) -> float:
    """Jackson & Turner (2017) power of the random-effects test, for one setting.

    Assumes k studies with the same within-study variance v and tau^2 = v * i2 / (1 - i2)
    (so I^2 = i2 exactly), with tau^2 estimated by DerSimonian-Laird. With U ~ chi^2(k - 1),
    the test statistic is N(m, 1) / s(U) where m = ncp * sqrt(1 - i2) and
    s(U) = sqrt(max(1 - i2, U / (k - 1))); the max is tau^2-hat truncated at 0. So

        power = E_U[ Phi(m - c s(U)) + Phi(-m - c s(U)) ].

    This is metapower's 1 - (CDF(c) - CDF(-c)) (R/CDF.R, R/func.R) after substituting
    u = (k - 1) x^2 in its integral. The part of U below (k - 1)(1 - i2) is a chi-square
    probability; the rest is integrated with scipy.integrate.quad.
    """
    df = k - 1.0
    root = np.sqrt(1.0 - i2)
    m = ncp * root
    cut = df * (1.0 - i2)
    truncated = special.chdtr(df, cut) * _fixed_power(m, c * root)
    log_norm = (df / 2.0) * np.log(2.0) + special.gammaln(df / 2.0)

    def integrand(u):  # plain scipy.special calls: this runs thousands of times
        s = np.sqrt(u / df)
        density = np.exp(special.xlogy(df / 2.0 - 1.0, u) - u / 2.0 - log_norm)  # chi^2(df) pdf
        return (special.ndtr(m - c * s) + special.ndtr(-m - c * s)) * density

    upper = special.chdtri(df, 1e-16)  # beyond this the chi-square density is negligible
    rest, _ = integrate.quad(integrand, cut, max(upper, cut), epsabs=1e-14, epsrel=1e-12, limit=200)
    return float(truncated + rest)


_random_power = np.vectorize(_random_power_one, otypes=[float])


def _check_k_i2(k, i2):
    k_arr = as_float_array(k, "k")
    require_at_least(k_arr, "k", 2)
    bad = np.flatnonzero(k_arr != np.round(k_arr))
    if bad.size:
        raise ValueError(f"k must be a whole number of studies; position {bad[0]} is {k_arr[bad[0]]}")
    i2_arr = as_float_array(i2, "i2")
    require_in_range(i2_arr, "i2", 0.0, 1.0)
    bad = np.flatnonzero(i2_arr >= 1)
    if bad.size:
        raise ValueError(f"i2 must be below 1 (a proportion, e.g. 0.23 for 23%); position {bad[0]} is 1")
    return k_arr, i2_arr


def meta_power(effect, n_per_study, k, i2, alpha=0.05) -> MetaPower:
    """Power of a meta-analysis of ``k`` studies of ``n_per_study`` people to detect ``effect`` (d).

    As metapower's ``mpower(effect, n_per_study, k, i2, es_type = "d")`` (two-tailed):
      v   = 4/n + d^2/(2n)                     per-study variance (``variance_d``)
      ncp = |d| / sqrt(v / k)
      fixed  = Phi(ncp - z) + Phi(-ncp - z)     (Hedges & Pigott 2001)
      random = Jackson & Turner (2017), see ``_random_power_one``: tau^2 = v i2 / (1 - i2),
               estimated by DerSimonian-Laird, all studies equally precise.
    ``i2`` is a proportion (0.23, not 23). The README example of metapower,
    mpower(0.3, 20, 10, i2 = 0.5, "d"), gives fixed 0.5594533 and random 0.3454424.
    Arguments broadcast against each other; ``fixed`` and ``random`` are floats
    when all inputs are single numbers.

    Parameters
    ----------
    effect : float or array_like
        The mean effect d to detect.
    n_per_study : float or array_like
        Participants per study (two equal arms).
    k : float or array_like
        Number of studies (whole, >= 2).
    i2 : float or array_like
        I^2 as a proportion in [0, 1).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    MetaPower

    References
    ----------
    Hedges LV, Pigott TD (2001). Psychol Methods 6:203-217.
    Jackson D, Turner R (2017). Power analysis for random-effects meta-analysis.
        Res Synth Methods 8:290-302.
    Griffin JW (2021). Quant Meth Psych 17:24-39 (metapower 0.2.2).
    """
    d = as_float_array(effect, "effect")
    n = as_float_array(n_per_study, "n_per_study")
    require_positive(n, "n_per_study")
    k_arr, i2_arr = _check_k_i2(k, i2)
    alpha = require_alpha(alpha)
    arrays = broadcast_same_length(effect=d, n_per_study=n, k=k_arr, i2=i2_arr)
    d, n, k_arr, i2_arr = (arrays[key] for key in ("effect", "n_per_study", "k", "i2"))
    c = stats.norm.isf(alpha / 2)
    v = 4.0 / n + d ** 2 / (2.0 * n)
    ncp = np.abs(d) / np.sqrt(v / k_arr)
    inputs = (effect, n_per_study, k, i2)
    out = {name: _shape_like_input(value, *inputs) for name, value in
           dict(effect=d, n_per_study=n, k=k_arr, i2=i2_arr, variance=v, ncp=ncp,
                fixed=_fixed_power(ncp, c), random=_random_power(ncp, c, k_arr, i2_arr)).items()}
    return MetaPower(alpha=alpha, **out)


def n_for_power(effect, k, i2, power=0.8, alpha=0.05, model="random"):
    """Participants per study (two equal arms) for ``meta_power`` to reach ``power``.

    Power depends on n only through ncp = |d| sqrt(k n / (4 + d^2/2)), so we solve
    power(ncp) = target with scipy.optimize.brentq and return
    n = ncp^2 (4 + d^2/2) / (d^2 k), a real number: round up to an even
    integer (2 * ceil(n / 2)) for a real study.

    Løseth et al. (2024, Results) report 120 per study (60 per arm) for 80%
    random-effects power to detect g = -0.20 at alpha = 0.05 with metapower,
    but not which k and I^2 they entered. What this function gives (random model):

        k = 8 (studies),  I^2 = 0    -> n = 113.6  (power 0.787 at 110, 0.821 at 120)
        k = 8,            I^2 = 0.23 -> n = 138.4
        k = 10 (records), I^2 = 0.23 -> n = 109.2;  k = 10, I^2 = 0 -> 89.5
        k = 17 (outcomes), I^2 = 0   -> n = 51.1;   k = 17, I^2 = 0.23 -> 62.6

    None gives exactly 120. k = 8 with I^2 = 0 (the paper's between-study I^2)
    is the only setting whose answer lies between 110 and 120, so it matches
    the paper's 120 if sample sizes were tried in steps of 10; that step is our
    assumption, the paper does not state it. The fixed-effect model needs
    n = 98.6 for k = 8. Note that with I^2 held fixed, tau^2 shrinks as n grows
    (tau^2 = v I^2 / (1 - I^2)), a property of metapower's parametrisation.

    Parameters
    ----------
    effect : float or array_like
        The mean effect d (non-zero).
    k : float or array_like
        Number of studies.
    i2 : float or array_like
        I^2 as a proportion in [0, 1).
    power : float or array_like
        Target power, above alpha and below 1.
    alpha : float
        Two-sided significance level.
    model : {"random", "fixed"}
        Which test's power: the random-effects or the fixed-effect test.

    Returns
    -------
    float or numpy.ndarray
        Participants per study (not rounded).

    References
    ----------
    Jackson D, Turner R (2017). Res Synth Methods 8:290-302.
    Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379.
    """
    d = as_float_array(effect, "effect")
    bad = np.flatnonzero(d == 0)
    if bad.size:
        raise ValueError(f"effect must be non-zero (no sample size detects an effect of 0); position {bad[0]} is 0")
    k_arr, i2_arr = _check_k_i2(k, i2)
    target = as_float_array(power, "power")
    alpha = require_alpha(alpha)
    require_in_range(target, "power", alpha, 1.0, closed=False)
    if model not in ("random", "fixed"):
        raise ValueError(f"model must be 'random' or 'fixed', got {model!r}")
    arrays = broadcast_same_length(effect=d, k=k_arr, i2=i2_arr, power=target)
    c = stats.norm.isf(alpha / 2)
    ncp = np.vectorize(_solve_ncp, otypes=[float])(arrays["power"], c, arrays["k"], arrays["i2"], model)
    d = np.abs(arrays["effect"])
    n = ncp ** 2 * (4.0 + d ** 2 / 2.0) / (d ** 2 * arrays["k"])
    return _shape_like_input(n, effect, k, i2, power)


def _solve_ncp(target: float, c: float, k: float, i2: float, model: str) -> float:
    """The non-centrality at which the test reaches ``target`` power."""
    if model == "fixed":
        def excess(ncp):
            return _fixed_power(ncp, c) - target
    else:
        def excess(ncp):
            return _random_power_one(ncp, c, k, i2) - target
    if excess(0.0) >= 0:
        raise ValueError(f"power {target} is not above the test's rejection rate at effect 0 "
                         f"({excess(0.0) + target:.4f}); ask for a higher power")
    upper = 1.0
    while excess(upper) < 0:
        upper *= 2.0
        if upper > 1e6:
            raise ValueError(f"power {target} cannot be reached with k = {k:g}, i2 = {i2:g}")
    return optimize.brentq(excess, 0.0, upper, xtol=1e-12, rtol=1e-14)
