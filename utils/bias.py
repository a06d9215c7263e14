"""Small-study effects and publication bias: Egger's test, trim-and-fill, PET-PEESE
and the step-function selection model.

``egger(yi, vi)``
    Egger's regression test as metafor's ``regtest()`` does it by default
    (``model = "rma"``, ``predictor = "sei"``): the meta-regression
    ``yi = b0 + b1 * sqrt(vi)`` fitted with the same method as the meta-analysis.
    ``b1`` is the test of funnel asymmetry and ``b0``, the predicted effect of a
    study with standard error 0, is the "limit estimate".
    With ``study`` (and optionally ``outcome``) the same regression is fitted in
    the three-level model, as ``rma.mv(yi, vi, mods = ~ sqrt(vi),
    random = ~ 1 | study/outcome)``: the multilevel Egger test used by
    Loseth, Trostheim & Leknes (2024, Transl Psychiatry 14:379).
``trim_and_fill(yi, vi)``
    Duval & Tweedie's (2000, Biometrics 56:455-463) trim-and-fill, step for
    step as metafor's ``trimfill.rma.uni()`` (metafor 3.8-1).

``pet_peese(yi, vi)``
    PET, PEESE and the conditional PET-PEESE estimate (Stanley & Doucouliagos
    2014), as two metafor meta-regressions.
``selection_model(yi, vi, steps)``
    The Vevea-Hedges step-function selection model, metafor's ``selmodel``
    (its likelihood lives in :mod:`utils.selection`).

Egger, trim-and-fill and PET-PEESE fit their models with :mod:`utils.meta`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from . import meta
from .report import Estimate, SummaryReport, Test, estimate_frame, format_p
from .validation import as_labels, check_effects, require_alpha

ESTIMATORS = ("L0", "R0")
SIDES = ("left", "right")
MIN_STUDIES = 3  # two coefficients (intercept, slope) need at least 3 effects for REML


# --------------------------------------------------------------------------
# Input checks shared by both tools
# --------------------------------------------------------------------------
def _effects_and_variances(yi, vi):
    """Validate ``yi`` and ``vi`` as utils.meta does: finite, same length, vi > 0, k >= 3."""
    return check_effects(yi, vi, minimum_k=MIN_STUDIES)


def _all_equal(values: np.ndarray) -> bool:
    """True when all values agree to 1e-8 (relative), e.g. equal sampling variances."""
    return bool(np.ptp(values) <= 1e-8 * np.max(np.abs(values)))


# --------------------------------------------------------------------------
# Egger's regression test
# --------------------------------------------------------------------------
@dataclass(repr=False)
class EggerResult(SummaryReport):
    """Egger's test: slope on the standard error, and the limit estimate (intercept)."""

    slope: float
    se: float
    stat: float
    p: float
    limit_estimate: float
    limit_se: float
    limit_ci_low: float
    limit_ci_high: float
    model: Any = field(repr=False)
    k: int = 0
    n_studies: Optional[int] = None
    method: str = "REML"
    test: str = "z"
    level: float = 0.95
    yi: Optional[np.ndarray] = field(default=None, repr=False)  # the data the test was run on
    vi: Optional[np.ndarray] = field(default=None, repr=False)

    @property
    def multilevel(self) -> bool:
        return self.n_studies is not None

    def _lines(self):
        stat_name = "z" if self.test == "z" else "t"
        kind = "three-level meta-regression" if self.multilevel else (
            "fixed-effect meta-regression" if self.method == "FE" else "mixed-effects meta-regression")
        size = f"k = {self.k}" + (f" effects in {self.n_studies} studies" if self.multilevel else "")
        pct = f"{100 * self.level:g}%"
        return [
            ("Model", f"{kind} of the effect on its standard error ({self.method}; {size})"),
            ("Slope on SE (asymmetry)", f"b = {self.slope:.4f} (SE = {self.se:.4f}), "
                                        f"{stat_name} = {self.stat:.4f}, p = {format_p(self.p)}"),
            ("Limit estimate (SE -> 0)", f"b = {self.limit_estimate:.4f} "
                                         f"({pct} CI {self.limit_ci_low:.4f} to {self.limit_ci_high:.4f})"),
        ]

    @property
    def asymmetry(self) -> Test:
        """The test of the slope (funnel asymmetry): z, or t on k - 2 df."""
        return Test(self.stat, self.model.df, self.p)

    def _title(self) -> str:
        return "Regression test for funnel plot asymmetry (Egger)"

    _rows = _lines

    def to_frame(self) -> pd.DataFrame:
        """Two rows: the limit estimate (intercept) and the slope on SE."""
        return estimate_frame({"limit estimate": self.model.coefficients.iloc[0].to_dict(),
                               "slope on SE": self.model.coefficients.iloc[1].to_dict()})


def egger(yi, vi, study=None, outcome=None, *, method: str = "REML", test: str = "z") -> EggerResult:
    """Egger's regression test for funnel-plot asymmetry (small-study effects).

    Fits ``yi = b0 + b1 * sei + error`` with ``sei = sqrt(vi)`` as a
    meta-regression (metafor ``regtest(rma(yi, vi, method=method))`` with its
    defaults ``model = "rma"``, ``predictor = "sei"``). A slope ``b1`` different
    from 0 means that small (imprecise) studies report different effects; the
    intercept ``b0`` is the limit estimate, the effect expected from an
    infinitely precise study.

    With ``study`` given, the regression is fitted in the three-level model
    (``rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | study/outcome)``);
    ``outcome`` defaults to one level per effect size.
    """
    yi, vi = _effects_and_variances(yi, vi)
    k = yi.shape[0]
    if study is None and outcome is not None:
        raise ValueError("outcome: outcome labels need study labels too (outcomes are nested in studies)")
    if study is not None:
        study = as_labels(study, "study", k)
        if outcome is not None:
            outcome = as_labels(outcome, "outcome", k)
    sei = np.sqrt(vi)
    if _all_equal(sei):
        raise ValueError("vi: all sampling variances are equal, so the standard error is constant and "
                         "cannot predict the effect (metafor: model matrix not of full rank)")

    fit = meta.regression(yi, vi, {"sei": sei}, method=method, study=study, outcome=outcome, test=test)
    intercept, slope = fit.coefficients.iloc[0], fit.coefficients.iloc[1]
    return EggerResult(
        slope=float(slope["estimate"]), se=float(slope["se"]), stat=float(slope["stat"]),
        p=float(slope["p"]),
        limit_estimate=float(intercept["estimate"]), limit_se=float(intercept["se"]),
        limit_ci_low=float(intercept["ci_low"]), limit_ci_high=float(intercept["ci_high"]),
        model=fit, k=k, n_studies=fit.n_studies,
        method=method, test=test, yi=yi, vi=vi,
    )


# --------------------------------------------------------------------------
# PET-PEESE
# --------------------------------------------------------------------------
@dataclass(repr=False)
class InterceptFit(Estimate):
    """The intercept (effect at SE = 0) and slope of one PET or PEESE meta-regression."""
    slope: float
    slope_se: float
    slope_p: float
    tau2: float
    model: Any = field(repr=False, default=None)

    @classmethod
    def from_regression(cls, fit):
        b0, b1 = fit.coefficients.iloc[0], fit.coefficients.iloc[1]
        return cls(estimate=float(b0["estimate"]), se=float(b0["se"]), stat=float(b0["stat"]),
                   p=float(b0["p"]), ci_low=float(b0["ci_low"]), ci_high=float(b0["ci_high"]),
                   slope=float(b1["estimate"]), slope_se=float(b1["se"]), slope_p=float(b1["p"]),
                   tau2=float(fit.tau2), model=fit)


@dataclass(repr=False)
class PetPeeseResult(SummaryReport):
    """PET, PEESE and the conditional PET-PEESE estimate with the rule that chose it."""
    pet: InterceptFit
    peese: InterceptFit
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    chosen: str
    rule: str
    alpha: float
    k: int
    method: str

    def _lines(self):
        def row(fit):
            return (f"b0 = {fit.estimate:.4f} (SE = {fit.se:.4f}), p = {format_p(fit.p)}, "
                    f"CI {fit.ci_low:.4f} to {fit.ci_high:.4f}; slope = {fit.slope:.4f}")
        return [("PET (yi ~ SE)", row(self.pet)), ("PEESE (yi ~ SE^2)", row(self.peese)),
                ("PET-PEESE estimate", f"{self.estimate:.4f} ({self.chosen})"), ("Rule", self.rule)]

    def _title(self) -> str:
        return f"PET-PEESE (k = {self.k}; {self.method})"

    _rows = _lines

    def to_frame(self) -> pd.DataFrame:
        """Three rows: the PET and PEESE intercepts and the conditional estimate (as the chosen one)."""
        chosen = self.pet if self.chosen == "PET" else self.peese
        return estimate_frame({"PET": self.pet, "PEESE": self.peese, "PET-PEESE": chosen})


def pet_peese(yi, vi, method: str = "REML", *, alpha: float = 0.10, test: str = "z") -> PetPeeseResult:
    """PET, PEESE and the conditional PET-PEESE estimator (Stanley & Doucouliagos 2014,
    Res Synth Methods 5:60-78).

    PET: ``yi = b0 + b1 * sqrt(vi)`` and PEESE: ``yi = b0 + b1 * vi``, each a
    meta-regression with ``method`` (metafor ``rma(yi, vi, mods = ~ sqrt(vi))``
    and ``mods = ~ vi``); b0 is the effect of a study with SE 0.

    Conditional rule: if PET's intercept differs from 0 (its two-sided p, as
    metafor prints it, below ``alpha``), PET has found an effect and the PEESE
    intercept is the estimate; otherwise the PET intercept is. The default
    alpha = 0.10 two-sided (= a one-sided 5% test in the direction of PET's
    estimate) follows JASP's PET-PEESE (jaspMetaAnalysis help, which cites
    Stanley & Doucouliagos 2014 and Stanley 2017); pass alpha = 0.05 for a
    two-sided 5% test.
    """
    yi, vi = _effects_and_variances(yi, vi)
    alpha = require_alpha(alpha)
    if _all_equal(vi):
        raise ValueError("vi: all sampling variances are equal, so SE and SE^2 are constant and cannot "
                         "predict the effect (metafor: model matrix not of full rank)")
    pet = InterceptFit.from_regression(meta.regression(yi, vi, {"sei": np.sqrt(vi)}, method=method, test=test))
    peese = InterceptFit.from_regression(meta.regression(yi, vi, {"vi": vi}, method=method, test=test))
    use_peese = pet.p < alpha
    chosen = peese if use_peese else pet
    name = "PEESE" if use_peese else "PET"
    rule = (f"PET's intercept ({pet.estimate:.4f}) has two-sided p = {format_p(pet.p)} "
            f"{'<' if use_peese else '>='} alpha = {alpha:g} (one-sided p {'<' if use_peese else '>='} "
            f"{alpha / 2:g} in its direction), so the {name} intercept is the estimate (conditional "
            "PET-PEESE, Stanley & Doucouliagos 2014: PEESE when PET finds an effect, PET otherwise)")
    return PetPeeseResult(pet=pet, peese=peese, estimate=chosen.estimate, se=chosen.se,
                          ci_low=chosen.ci_low, ci_high=chosen.ci_high, chosen=name, rule=rule,
                          alpha=alpha, k=yi.size, method=method)


def selection_model(yi, vi, steps=(0.025,), method: str = "ML", alternative: str = "greater", level=0.95):
    """Vevea-Hedges step-function selection model; see :func:`utils.selection.selection_model`."""
    from .selection import selection_model as fit
    return fit(yi, vi, steps=steps, method=method, alternative=alternative, level=level)


# --------------------------------------------------------------------------
# Trim-and-fill: the rank estimators (pure functions of the centred effects)
# --------------------------------------------------------------------------
def signed_ranks(centred) -> np.ndarray:
    """Ranks of ``|centred|`` carrying the sign of ``centred``.

    Ties are ranked in order of position (R's ``rank(ties.method = "first")``),
    as in metafor's ``trimfill``; an effect exactly at the centre gets sign 0.
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
    """Missing studies as a count: max(0, round(k0)), rounding halves to even as R does."""
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
class TrimFillResult(SummaryReport):
    """Trim-and-fill: missing studies, the filled effects and the model refitted on all."""

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
    """
    sei = np.sqrt(vi)
    if _all_equal(sei):
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
    """
    yi, vi = _effects_and_variances(yi, vi)
    k = yi.shape[0]
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if side is not None and side not in SIDES:
        raise ValueError(f"side must be None, 'left' or 'right', got {side!r}")
    if labels is not None:
        labels = [str(label) for label in as_labels(labels, "labels", k)]
    if _all_equal(yi):
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
