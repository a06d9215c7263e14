"""Small-study tests: Egger's regression test and PET-PEESE."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from .. import meta
from .._printing import Estimate, SummaryPrintout, Test, estimate_frame, format_p
from ..validation import all_equal, as_labels, check_effects, require_alpha

MIN_STUDIES = 3  # two coefficients (intercept, slope) need at least 3 effects for REML


# --------------------------------------------------------------------------
# Egger's regression test
# --------------------------------------------------------------------------
@dataclass(repr=False)
class EggerResult(SummaryPrintout):
    """Egger's test: slope on the standard error, and the limit estimate (intercept).

    Attributes
    ----------
    slope, se, stat, p : float
        Slope on the standard error, its SE, z (or t) statistic and p-value.
    limit_estimate, limit_se, limit_ci_low, limit_ci_high : float
        The intercept: the effect predicted at SE = 0, with SE and CI.
    model : RegressionResult
        The fitted meta-regression (its ``predict`` draws the Egger plot's line).
    k, n_studies : int
        Effects, and studies of a three-level fit (None otherwise).
    method, test, level :
        As passed to :func:`egger`.
    yi, vi : numpy.ndarray
        The data the test was run on.

    References
    ----------
    Egger M et al. (1997). BMJ 315:629-634.
    """

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

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances (at least 3, not all vi equal).
    study, outcome : sequence, optional
        Study (and outcome) labels for the three-level version.
    method : str
        Variance estimator of the meta-regression (as :func:`utils.meta.regression`).
    test : {"z", "t", "knha"}
        Test of the coefficients.

    Returns
    -------
    EggerResult
        ``slope``, ``se``, ``stat``, ``p``: the asymmetry test; ``limit_*``: the intercept.

    References
    ----------
    Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis
        detected by a simple, graphical test. BMJ 315:629-634.
    Sterne JAC, Egger M (2005). Regression methods to detect publication and other
        bias in meta-analysis. In: Publication Bias in Meta-Analysis, Wiley, 99-110
        (the meta-regression form on the standard error, metafor's regtest default).
    """
    yi, vi = check_effects(yi, vi, minimum_k=MIN_STUDIES)
    k = yi.shape[0]
    if study is None and outcome is not None:
        raise ValueError("outcome: outcome labels need study labels too (outcomes are nested in studies)")
    if study is not None:
        study = as_labels(study, "study", k)
        if outcome is not None:
            outcome = as_labels(outcome, "outcome", k)
    sei = np.sqrt(vi)
    if all_equal(sei):
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
    """The intercept (effect at SE = 0) and slope of one PET or PEESE meta-regression.

    Attributes
    ----------
    estimate, se, stat, p, ci_low, ci_high : float
        The intercept (effect at SE = 0) with its test and CI.
    slope, slope_se, slope_p : float
        The slope on SE (PET) or on the variance (PEESE).
    tau2 : float
        Residual heterogeneity of the meta-regression.
    model : RegressionResult
        The fitted meta-regression.

    References
    ----------
    Stanley TD, Doucouliagos H (2014). Res Synth Methods 5:60-78.
    """
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
class PetPeeseResult(SummaryPrintout):
    """PET, PEESE and the conditional PET-PEESE estimate with the rule that chose it.

    Attributes
    ----------
    pet, peese : InterceptFit
        The two meta-regressions.
    estimate, se, ci_low, ci_high : float
        The conditional PET-PEESE estimate (PEESE's or PET's intercept).
    chosen, rule : str
        Which intercept was chosen ("PET" or "PEESE"), and why.
    alpha : float
        The level of the rule.
    k : int
        Number of effects.
    method : str
        Variance estimator.

    References
    ----------
    Stanley & Doucouliagos (2014), cited in full at :class:`InterceptFit`.
    """
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

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances (at least 3, not all vi equal).
    method : str
        Variance estimator of both meta-regressions.
    alpha : float
        Two-sided level of PET's test of the intercept that chooses PEESE.
    test : {"z", "t", "knha"}
        Test of the coefficients.

    Returns
    -------
    PetPeeseResult

    References
    ----------
    Stanley TD, Doucouliagos H (2014). Meta-regression approximations to reduce
        publication selection bias. Res Synth Methods 5:60-78.
    Stanley TD (2017). Limitations of PET-PEESE and other meta-analysis methods.
        Soc Psychol Personal Sci 8:581-591.
    """
    yi, vi = check_effects(yi, vi, minimum_k=MIN_STUDIES)
    alpha = require_alpha(alpha)
    if all_equal(vi):
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
