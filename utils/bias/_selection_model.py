"""The Vevea-Hedges step-function selection model, as metafor's ``selmodel(type = "stepfun")``.

Vevea & Hedges (1995, Psychometrika 60:419-435): effects are
``y_i ~ N(mu, v_i + tau^2)``, but a study is published with a probability that
depends only on its one-sided p-value, a step function of p. With cut-points
``0 < s_1 < ... < s_{N-1} < s_N = 1`` the weight is ``delta_j`` for p in
``(s_{j-1}, s_j]``; ``delta_1 = 1`` (the most significant results) fixes the
scale, so the other weights are selection relative to them. One step at .025
is the "three-parameter selection model" (3PSM: mu, tau^2, delta_2).

The likelihood of study i (metafor's ``.selmodel.ll.stepfun``, metafor 3.8-1):

    L_i = delta_{j(i)} * phi(y_i; mu, v_i + tau^2) / A_i,
    A_i = sum_j delta_j * P(p falls in interval j | mu, v_i + tau^2),

where the p-value interval j is the effect interval
``[sqrt(v_i) z_{1-s_j}, sqrt(v_i) z_{1-s_{j-1}})`` (alternative "greater";
"less" mirrors it). metafor maximises this with BFGS over
(mu, log tau^2, logit-scaled delta in (0, 100)); here L-BFGS-B works on
(mu, tau^2 >= 0, 0 < delta <= 100) directly, so a boundary optimum is reached
exactly. Standard errors come from the inverse of the numerical Hessian of
-log L in (mu, tau^2, delta) (metafor's default ``htransf = FALSE``), taken
over the parameters not on a bound.
"""
from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import numpy as np

from .. import meta
from ..lazy import lazy_import
from .._printing import Estimate, SummaryPrintout, Test, estimate_frame, format_p
from ..validation import as_float_array, check_effects, require_choice, require_level

# scipy.optimize, scipy.stats: imported on first use, to keep a lesson's set-up cell quick
optimize = lazy_import("scipy.optimize")
stats = lazy_import("scipy.stats")

DELTA_MAX = 100.0                       # metafor's delta.max for type = "stepfun"
DELTA_MIN = 1e-12                       # metafor: 0; a weight of exactly 0 makes log L = -inf
AT_BOUND = np.finfo(float).eps ** 0.25  # metafor's test for "(almost) equal to a bound"


@dataclass(repr=False)
class SelectionModelResult(Estimate, SummaryPrintout):
    """A fitted step-function selection model (metafor ``selmodel``, type "stepfun").

    Attributes
    ----------
    estimate, se, stat, p, ci_low, ci_high : float
        mu with its z test and CI.
    tau2 : float
        Between-study variance.
    delta, se_delta : numpy.ndarray
        Weight of each p-value interval (delta[0] = 1, fixed) and SEs (NaN for the first).
    steps, k_per_interval : numpy.ndarray
        Right ends of the intervals (the last is 1) and effects in each.
    lrt, lrt_df, lrt_p : float, int, float
        Likelihood-ratio test of no selection.
    loglik, loglik0 : float
        Log-likelihood with and without selection.
    k : int
    method, alternative : str
    level : float
    warning : str or None
        Set when a weight sits on its bound.
    notes : list of str

    References
    ----------
    Vevea JL, Hedges LV (1995). Psychometrika 60:419-435.
    """
    tau2: float
    delta: np.ndarray            # one weight per p-value interval; delta[0] = 1 (fixed)
    se_delta: np.ndarray         # NaN for the fixed first weight
    steps: np.ndarray            # right ends of the intervals, the last is 1
    k_per_interval: np.ndarray
    lrt: float                   # 2 (log L - log L of the model without selection)
    lrt_df: int
    lrt_p: float
    loglik: float
    loglik0: float
    k: int
    method: str
    alternative: str
    level: float = 0.95
    warning: str | None = None   # set when a weight sits on its bound (or tau^2 on 0)
    notes: list = field(default_factory=list)

    @property
    def selection_test(self) -> Test:
        """The likelihood-ratio test of no selection (all weights 1): (lrt, lrt_df, lrt_p)."""
        return Test(self.lrt, self.lrt_df, self.lrt_p)

    def _intervals(self):
        edges = np.concatenate([[0.0], self.steps])
        return [f"p in ({lo:g}, {hi:g}]" for lo, hi in zip(edges[:-1], edges[1:])]

    def _title(self) -> str:
        return (f"Step-function selection model (k = {self.k}; {self.alternative} one-sided p-values; "
                f"start: {self.method})")

    def _rows(self):
        pct = f"{100 * self.level:g}%"
        weights = ", ".join(f"{name}: {d:.4f} (k = {n})"
                            for name, d, n in zip(self._intervals(), self.delta, self.k_per_interval))
        rows = [("Estimate", f"{self.estimate:.4f} (SE = {self.se:.4f}), {pct} CI {self.ci_low:.4f} to "
                             f"{self.ci_high:.4f}, p = {format_p(self.p)}"),
                ("tau^2", f"{self.tau2:.4f}"),
                ("Weights", weights),
                ("LRT for selection", f"{self.lrt:.4f} (df = {self.lrt_df}), p = {format_p(self.lrt_p)}")]
        return rows + [("note", note) for note in self.notes]

    def to_frame(self):
        """One row for the estimate (mu), then one per weight (estimate = delta, se = its SE)."""
        weights = {f"weight {name}": {"estimate": d, "se": s}
                   for name, d, s in zip(self._intervals(), self.delta, self.se_delta)}
        return estimate_frame({"estimate": self, **weights})


def _check_steps(steps):
    arr = np.atleast_1d(as_float_array(steps, "steps"))
    outside = np.flatnonzero((arr <= 0) | (arr >= 1))
    if outside.size:
        i = int(outside[0])
        raise ValueError(f"steps must lie strictly between 0 and 1 (one-sided p-value cut-points); "
                         f"position {i} is {arr[i]}")
    return np.append(np.unique(arr), 1.0)


class _StepLikelihood:
    """-log L of the step-function model for effects oriented as alternative "greater"."""

    def __init__(self, y, v, steps):
        self.y, self.v, self.steps = y, v, steps
        sei = np.sqrt(v)
        p = stats.norm.sf(y / sei)                                # one-sided p-values
        self.group = np.searchsorted(steps, p, side="left")       # first j with p <= s_j
        # effect cut-points c_j = sqrt(v) z_{1-s_j} for the inner steps (decreasing in j)
        self.cuts = sei[:, None] * stats.norm.isf(steps[:-1])[None, :]

    def interval_probabilities(self, mu, tau2):
        """k x N matrix: P(the study's p-value falls in interval j)."""
        s = np.sqrt(self.v + tau2)[:, None]
        upper = stats.norm.sf((self.cuts - mu) / s)              # P(y >= c_j), increasing in j
        k = self.y.size
        cumulative = np.hstack([np.zeros((k, 1)), upper, np.ones((k, 1))])
        probs = np.diff(cumulative, axis=1)
        probs[:, -1] = stats.norm.cdf((self.cuts[:, -1:] - mu) / s)[:, 0]   # lower tail, as metafor
        return probs

    def loglik(self, mu, tau2, delta):
        A = self.interval_probabilities(mu, tau2) @ delta
        s = np.sqrt(self.v + tau2)
        return float(np.sum(np.log(delta[self.group]) + stats.norm.logpdf(self.y, mu, s) - np.log(A)))

    def negative(self, params):
        mu, tau2, free = params[0], params[1], params[2:]
        with np.errstate(all="ignore"):
            value = -self.loglik(mu, max(tau2, 0.0), np.concatenate([[1.0], free]))
        return value if np.isfinite(value) else 1e300


def _numerical_hessian(f, x, free):
    """Central-difference Hessian of f over the coordinates ``free`` (others held fixed)."""
    idx = np.flatnonzero(free)
    h = 1e-4 * np.maximum(np.abs(x), 1e-2)
    H = np.empty((idx.size, idx.size))
    for a, i in enumerate(idx):
        for b, j in enumerate(idx[a:], start=a):
            def at(si, sj):
                z = x.copy()
                z[i] += si * h[i]
                z[j] += sj * h[j]
                return f(z)
            H[a, b] = H[b, a] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j])
    return H


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread (threadpoolctl's, where installed; else a no-op).

    The selection model's likelihood works on vectors of k numbers; BLAS
    threads only get in each other's way there (2 to 4 times slower on 2 cores).
    """
    from contextlib import nullcontext

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(1, user_api="blas")


def _in_one_blas_thread(function):
    """Decorate ``function`` to run inside :func:`one_blas_thread`."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        with one_blas_thread():
            return function(*args, **kwargs)
    return run


@_in_one_blas_thread
def selection_model(yi, vi, steps=(0.025,), method="ML", alternative="greater", level=0.95):
    """Vevea-Hedges step-function selection model (metafor ``selmodel(rma(yi, vi,
    method = method), type = "stepfun", steps = steps, alternative = alternative)``).

    ``steps`` are one-sided p-value cut-points strictly inside (0, 1); one step at
    .025 gives the 3PSM. ``alternative``: "greater" (p = 1 - Phi(y / sqrt(v)),
    selection favours significant positive effects, metafor's default) or "less"
    (significant negative effects). ``method`` ("ML" or "REML") is the method of
    the model one would pass to metafor; selmodel refits a REML model with ML
    before it starts, so both give the same result: the model without selection
    (for the likelihood-ratio test and the starting values) is always the ML fit.

    Returns estimate (mu) with SE, z test and CI; tau2; ``delta``, the weights
    (the first fixed at 1); ``lrt`` and ``lrt_p``, the test of delta = 1 (no
    selection) with df = number of estimated weights. A weight on its bound
    (0 or 100: the likelihood keeps rising towards it, e.g. when an interval
    holds no p-value) sets ``warning`` and warns.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    steps : sequence of float
        One-sided p-value cut-points in (0, 1).
    method : {"ML", "REML"}
    alternative : {"greater", "less"}
    level : float
        Confidence level.

    Returns
    -------
    SelectionModelResult
        mu, tau^2, the weights and the likelihood-ratio test of selection.

    References
    ----------
    Vevea JL, Hedges LV (1995). Psychometrika 60:419-435.
    Viechtbauer W (2010). J Stat Softw 36(3) (selmodel, metafor >= 2.5).
    """
    yi, vi = check_effects(yi, vi, minimum_k=1)
    steps = _check_steps(steps)
    require_choice(method, "method", ("ML", "REML"))
    require_choice(alternative, "alternative", ("greater", "less"))
    level = require_level(level)
    k, n_free = yi.size, steps.size - 1
    if k < 2 + n_free:
        raise ValueError(f"yi: {k} effect sizes are too few to fit the selection model "
                         f"(mu, tau^2 and {n_free} weight(s) need k >= {2 + n_free})")
    sign = 1.0 if alternative == "greater" else -1.0
    like = _StepLikelihood(sign * yi, vi, steps)
    counts = np.bincount(like.group, minlength=steps.size)
    empty = np.flatnonzero(counts[1:] == 0) + 1
    if empty.size:
        j = int(empty[0])
        lo = 0.0 if j == 0 else steps[j - 1]
        raise ValueError(f"steps: no effect has a one-sided p-value in ({lo:g}, {steps[j]:g}], so the "
                         "weight of that interval cannot be estimated (metafor stops too); "
                         "choose other steps")

    start = meta.random_effects(yi, vi, method="ML")   # metafor refits a REML model with ML first
    ll0 = float(np.sum(stats.norm.logpdf(yi, start.estimate, np.sqrt(vi + start.tau2))))
    bounds = [(None, None), (0.0, None)] + [(DELTA_MIN, DELTA_MAX)] * n_free
    best = None
    for d0 in (1.0, 0.3, 3.0):
        x0 = np.concatenate([[sign * start.estimate, start.tau2 + 0.001], np.full(n_free, d0)])
        res = optimize.minimize(like.negative, x0, method="L-BFGS-B", bounds=bounds,
                                options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10000, "maxfun": 100000})
        if best is None or res.fun < best.fun:
            best = res
    x = best.x
    x[1] = 0.0 if x[1] < 1e-10 * np.mean(vi) else x[1]
    delta = np.concatenate([[1.0], x[2:]])

    notes, problems = [], []   # problems: the notes that also set ``warning``
    on_bound = (x[2:] <= AT_BOUND) | (x[2:] >= DELTA_MAX - 100 * AT_BOUND)
    if counts[0] == 0:
        problems.append(f"no effect has a one-sided p-value <= {steps[0]:g}, the interval whose weight is "
                        "fixed at 1, so the other weights are not identified")
    if on_bound.any():
        problems.append("weight(s) " + ", ".join(f"delta[{j + 2}] = {x[2 + j]:.4g}"
                                                 for j in np.flatnonzero(on_bound))
                        + f" on the bound (0 or {DELTA_MAX:g}): the likelihood keeps rising towards it, so "
                        "the estimates depend on that bound; treat them with caution (metafor warns alike)")
    notes += problems
    free = np.concatenate([[True, x[1] > 0], ~on_bound])
    if x[1] == 0:
        notes.append("tau^2 is 0 (a boundary optimum): the SEs hold tau^2 fixed at 0 "
                     "(metafor's Hessian may fail to invert there)")
    H = _numerical_hessian(like.negative, x, free)
    cov = np.full((x.size, x.size), np.nan)
    try:
        cov[np.ix_(free, free)] = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        notes.append("the Hessian could not be inverted: no standard errors")
    se = float(np.sqrt(cov[0, 0]))
    se_delta = np.concatenate([[np.nan], np.sqrt(np.diag(cov)[2:])])
    estimate = sign * float(x[0])
    crit = stats.norm.ppf((1 + level) / 2)
    loglik = -float(best.fun)
    lrt = max(0.0, 2 * (loglik - ll0))
    warning = "; ".join(problems) or None
    if warning:
        warnings.warn(f"selection_model: {warning}", stacklevel=3)   # the caller of the decorated function
    return SelectionModelResult(
        estimate=estimate, se=se, stat=estimate / se, p=float(2 * stats.norm.sf(abs(estimate / se))),
        ci_low=estimate - crit * se, ci_high=estimate + crit * se, tau2=float(x[1]), delta=delta,
        se_delta=se_delta, steps=steps, k_per_interval=counts, lrt=lrt, lrt_df=n_free,
        lrt_p=float(stats.chi2.sf(lrt, n_free)), loglik=loglik, loglik0=ll0, k=k, method=method,
        alternative=alternative, level=level, warning=warning, notes=notes)
