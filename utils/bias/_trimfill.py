"""Trim-and-fill, step for step as metafor's ``trimfill.rma.uni()`` (metafor 3.8-1), with its rank estimators."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from .. import meta
from .._printing import SummaryPrintout, estimate_frame, format_p
from ..validation import all_equal, as_labels, check_effects

ESTIMATORS = ("L0", "R0")
SIDES = ("left", "right")
MIN_STUDIES = 3  # the default side fits an intercept and a slope: at least 3 effects


# --------------------------------------------------------------------------
# Trim-and-fill: the rank estimators (pure functions of the centred effects)
# --------------------------------------------------------------------------
def signed_ranks(centred) -> np.ndarray:
    """Ranks of ``|centred|`` carrying the sign of ``centred``.

    Ties are ranked in order of position (R's ``rank(ties.method = "first")``),
    as in metafor's ``trimfill``; an effect exactly at the centre gets sign 0.

    Parameters
    ----------
    centred : array_like
        Effects minus the centre.

    Returns
    -------
    numpy.ndarray
        Signed ranks, one per effect.

    References
    ----------
    Duval S, Tweedie R (2000). Biometrics 56:455-463.
    """
    centred = np.asarray(centred, dtype=float)
    ranks = np.empty(centred.shape[0])
    ranks[np.argsort(np.abs(centred), kind="stable")] = np.arange(1, centred.shape[0] + 1)
    return np.sign(centred) * ranks


def k0_estimate(centred, estimator: str = "L0") -> tuple[float, float]:
    """Unrounded number of missing studies and its SE (Duval & Tweedie 2000).

    ``centred`` are the effects minus the current pooled estimate, oriented so
    that the missing studies are on the left (the "side" the funnel lacks).
    With ``k`` effects and ``S_r`` the sum of the positive signed ranks:

    * L0 = (4 S_r - k (k + 1)) / (2 k - 1), SE = 4 sqrt(Var S_r) / (2 k - 1), with
      Var S_r = [k (k+1) (2k+1) + 10 L0^3 + 27 L0^2 + 17 L0 - 18 k L0^2
      - 18 k L0 + 6 k^2 L0] / 24;
    * R0 = k - r - 1, where r is the largest absolute rank among the negative
      effects (so R0 + 1 is the length of the rightmost run of positive ranks),
      SE = sqrt(2 max(0, R0) + 2).

    Both SEs use the unrounded estimate, as metafor's ``trimfill`` does. A
    negative variance gives NaN, as in R.

    Parameters
    ----------
    centred : array_like
        Effects minus the current pooled estimate, missing studies on the left.
    estimator : {"L0", "R0"}

    Returns
    -------
    (float, float)
        The unrounded k0 and its standard error.

    References
    ----------
    Duval S, Tweedie R (2000). Trim and fill: a simple funnel-plot-based method of
        testing and adjusting for publication bias in meta-analysis. Biometrics 56:455-463.
    """
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    ranks = signed_ranks(centred)
    k = ranks.shape[0]
    if estimator == "L0":
        s_r = ranks[ranks > 0].sum()
        k0 = (4 * s_r - k * (k + 1)) / (2 * k - 1)
        var_s_r = (k * (k + 1) * (2 * k + 1) + 10 * k0**3 + 27 * k0**2 + 17 * k0
                   - 18 * k * k0**2 - 18 * k * k0 + 6 * k**2 * k0) / 24
        with np.errstate(invalid="ignore"):
            se = 4 * np.sqrt(var_s_r) / (2 * k - 1)
    else:
        negative = -ranks[ranks < 0]
        # No effect below the centre: no negative rank, the whole set is one run.
        largest_negative = negative.max() if negative.size else 0.0
        k0 = k - largest_negative - 1
        se = np.sqrt(2 * max(0.0, k0) + 2)
    return float(k0), float(np.maximum(0.0, se))  # np.maximum keeps NaN, like R's max()


def round_k0(k0: float) -> int:
    """Missing studies as a count: max(0, round(k0)), rounding halves to even as R does.

    Parameters
    ----------
    k0 : float
        The unrounded estimate.

    Returns
    -------
    int
        The count of missing studies (Duval & Tweedie 2000, Biometrics 56:455-463).
    """
    return int(max(0.0, np.round(k0)))


def trim_iterations(yi_sorted, pooled, estimator: str = "L0", maxiter: int = 100):
    """The trim-and-fill loop of metafor's ``trimfill.rma.uni``.

    ``yi_sorted`` are the effects sorted ascending, oriented so that studies are
    missing on the left; ``pooled(n)`` returns the pooled estimate of the ``n``
    smallest of them. Starting from k0 = 0, repeat: pool the ``k - k0`` smallest
    effects, centre all ``k`` effects on that estimate, re-estimate k0; stop when
    k0 no longer changes.

    Returns ``(k0, k0_se, estimate, iterations)`` where ``estimate`` is the pooled
    estimate of the trimmed set at convergence (the centre of the mirror).

    Parameters
    ----------
    yi_sorted : array_like
        Effects, ascending, oriented so that studies are missing on the left.
    pooled : callable
        ``pooled(n)`` -> the pooled estimate of the n smallest effects.
    estimator : {"L0", "R0"}
    maxiter : int

    Returns
    -------
    tuple
        (k0, k0_se, estimate, iterations).

    References
    ----------
    Duval S, Tweedie R (2000). Biometrics 56:455-463.
    """
    yi_sorted = np.asarray(yi_sorted, dtype=float)
    k = yi_sorted.shape[0]
    k0, previous, iterations = 0, -1, 0
    while k0 != previous:
        previous = k0
        iterations += 1
        if iterations > maxiter:
            raise RuntimeError(f"trim-and-fill did not converge in {maxiter} iterations")
        estimate = float(pooled(k - k0))
        k0_raw, k0_se = k0_estimate(yi_sorted - estimate, estimator)
        k0 = round_k0(k0_raw)
        if k0 >= k:
            raise RuntimeError("trim-and-fill would trim every study; the funnel is too asymmetric "
                               "for this estimator")
    return k0, k0_se, estimate, iterations


# --------------------------------------------------------------------------
# Trim-and-fill: the whole method
# --------------------------------------------------------------------------
@dataclass(repr=False)
class TrimFillResult(SummaryPrintout):
    """Trim-and-fill: missing studies, the filled effects and the model refitted on all.

    Attributes
    ----------
    k0, k0_se : int, float
        Missing studies and the SE of the unrounded estimate.
    side : {"left", "right"}
    filled_yi, filled_vi : numpy.ndarray
        The k0 imputed effects and their variances (the trim-and-fill funnel draws them).
    estimate, se, ci_low, ci_high, p : float
        The model refitted on observed plus filled effects.
    model, observed : RandomEffectsResult
        The refitted model and the model of the observed effects.
    estimator, method : str
    p_k0 : float or None
        R0's test of k0 = 0.
    iterations : int

    References
    ----------
    Duval S, Tweedie R (2000). Biometrics 56:455-463.
    """

    k0: int
    k0_se: float
    side: str
    filled_yi: np.ndarray
    filled_vi: np.ndarray
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    model: Any = field(repr=False)
    observed: Any = field(repr=False, default=None)
    estimator: str = "L0"
    method: str = "REML"
    p_k0: Optional[float] = None
    iterations: int = 0

    @property
    def k(self) -> int:
        """Number of observed effects (without the filled ones)."""
        return int(self.observed.k) if self.observed is not None else int(self.model.k) - self.k0

    def _lines(self):
        k0_text = f"{self.k0} (SE = {self.k0_se:.4f})"
        if self.p_k0 is not None:
            k0_text += f", test of k0 = 0: p = {format_p(self.p_k0)}"
        pct = f"{100 * self.model.level:g}%"
        lines = [
            ("Estimator, method", f"{self.estimator}, {self.method} "
                                  f"({self.iterations} iteration{'s' if self.iterations != 1 else ''})"),
            (f"Missing studies on the {self.side}", k0_text),
            ("Observed estimate", f"{self.observed.estimate:.4f} ({pct} CI {self.observed.ci_low:.4f} "
                                  f"to {self.observed.ci_high:.4f}), k = {self.k}")
            if self.observed is not None else None,
            ("Filled estimate", f"{self.estimate:.4f} (SE = {self.se:.4f}; {pct} CI {self.ci_low:.4f} to "
                                f"{self.ci_high:.4f}), p = {format_p(self.p)}, "
                                + (f"k = {self.k} + {self.k0} filled" if self.k0 else
                                   "nothing filled: the observed model")),
        ]
        if self.k0:
            lines.append(("Filled effects", ", ".join(f"{v:.4f}" for v in self.filled_yi)))
        return [line for line in lines if line is not None]

    def _title(self) -> str:
        return "Trim-and-fill (Duval & Tweedie)"

    _rows = _lines

    def to_frame(self) -> pd.DataFrame:
        """Two rows: the estimate from the observed effects and from the observed plus filled ones."""
        rows = {"observed": self.observed} if self.observed is not None else {}
        return estimate_frame({**rows, "filled": self.model})


def funnel_side(yi, vi, method: str = "REML") -> str:
    """Side on which studies are presumed missing, chosen as metafor's ``trimfill`` does.

    Fit ``yi ~ sqrt(vi)`` with the model's method (``rma.uni(yi, vi,
    mods = sqrt(vi), method)``): a negative slope (small studies report
    smaller effects) puts the missing studies on the "right", otherwise
    (slope >= 0) on the "left". Only the sign of the slope is used, not its test.

    Parameters
    ----------
    yi, vi : array_like
    method : str

    Returns
    -------
    {"left", "right"}

    References
    ----------
    Duval S, Tweedie R (2000). Biometrics 56:455-463.
    Viechtbauer W (2010). J Stat Softw 36(3) (trimfill's default side).
    """
    sei = np.sqrt(vi)
    if all_equal(sei):
        raise ValueError("vi: all sampling variances are equal, so the side of the missing studies "
                         "cannot be estimated; pass side='left' or side='right'")
    fit = meta.regression(yi, vi, {"sei": sei}, method=method)
    return "right" if float(fit.coefficients.iloc[1]["estimate"]) < 0 else "left"


def trim_and_fill(yi, vi, method: str = "REML", estimator: str = "L0", side: Optional[str] = None,
                  *, labels=None, maxiter: int = 100) -> TrimFillResult:
    """Duval & Tweedie's trim-and-fill, as metafor's ``trimfill(rma(yi, vi, method))``.

    1. ``side`` (where studies are missing): if not given, from the sign of the
       slope of ``yi ~ sqrt(vi)`` (:func:`funnel_side`).
    2. Orient the effects so the gap is on the left, sort them, and iterate
       (:func:`trim_iterations`): pool the ``k - k0`` smallest effects with
       ``method``, centre all effects on that estimate and estimate k0 with
       ``estimator`` (L0 or R0, :func:`k0_estimate`), until k0 is stable.
    3. Fill: mirror the ``k0`` most extreme effects around the final trimmed
       estimate (``2 * estimate - yi``), with the same sampling variances.
    4. Refit the random-effects model (same ``method``, z test) on the observed
       plus filled effects. With k0 = 0 the result is the original model.

    ``filled_yi`` and ``filled_vi`` hold only the ``k0`` imputed effects (in
    metafor's order); ``model`` is the fit to all ``k + k0`` effects and
    ``observed`` the fit to the observed ones. For R0, ``p_k0`` is the p-value
    of the test of k0 = 0: 1 - sum over m = -1..k0-1 of 0.5^(m+2) = 0.5^(k0+1).
    ``labels`` (optional, one per effect) name the studies in ``model``; filled
    effects are named "Filled 1", "Filled 2", ...

    Needs at least 3 effects (metafor stops at k = 1, and with k = 2 its
    default side cannot be fitted). Equal sampling variances need an explicit
    ``side`` (metafor fails there too); identical effects raise ValueError.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances (at least 3).
    method : str
        Variance estimator of every pooled model.
    estimator : {"L0", "R0"}
    side : {"left", "right"}, optional
    labels : sequence, optional
    maxiter : int

    Returns
    -------
    TrimFillResult
        k0, the filled effects, and the models of the observed and of all effects.

    References
    ----------
    Duval S, Tweedie R (2000). Biometrics 56:455-463.
    Duval S, Tweedie R (2000). A nonparametric "trim and fill" method of
        accounting for publication bias in meta-analysis. J Am Stat Assoc 95:89-98.
    """
    yi, vi = check_effects(yi, vi, minimum_k=MIN_STUDIES)
    k = yi.shape[0]
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if side is not None and side not in SIDES:
        raise ValueError(f"side must be None, 'left' or 'right', got {side!r}")
    if labels is not None:
        labels = [str(label) for label in as_labels(labels, "labels", k)]
    if all_equal(yi):
        raise ValueError("yi: all effect sizes are equal, so the funnel has no asymmetry to correct")

    observed = meta.random_effects(yi, vi, method=method, labels=labels)
    if side is None:
        side = funnel_side(yi, vi, method)

    # metafor works with -yi when studies are missing on the right.
    flip = -1.0 if side == "right" else 1.0
    order = np.argsort(flip * yi, kind="stable")
    y_sorted, v_sorted = flip * yi[order], vi[order]

    def pooled(n):
        return meta.random_effects(y_sorted[:n], v_sorted[:n], method=method).estimate

    k0, k0_se, centre, iterations = trim_iterations(y_sorted, pooled, estimator, maxiter)

    filled_yi = flip * (2 * centre - y_sorted[k - k0:])
    filled_vi = v_sorted[k - k0:].copy()
    if k0 > 0:
        all_labels = None if labels is None else labels + [f"Filled {i + 1}" for i in range(k0)]
        model = meta.random_effects(np.concatenate([yi, filled_yi]), np.concatenate([vi, filled_vi]),
                                    method=method, labels=all_labels)
    else:
        model = observed

    return TrimFillResult(
        k0=k0, k0_se=k0_se, side=side, filled_yi=filled_yi, filled_vi=filled_vi,
        estimate=float(model.estimate), se=float(model.se), ci_low=float(model.ci_low),
        ci_high=float(model.ci_high), p=float(model.p), model=model, observed=observed,
        estimator=estimator, method=method,
        p_k0=0.5 ** (k0 + 1) if estimator == "R0" else None, iterations=iterations,
    )
