"""Meta-regression (metafor ``rma``/``rma.mv`` with ``mods``) and its result.

The design matrix comes from ``_design``, the fit from ``_engine``."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._design import design_matrix, design_terms, moderator_columns
from ._engine import (Groups, MixedModel, estimate_tau2, heterogeneity_indices, infer, nested_groups,
                          warn_fixed_knha)
from .._printing import ESTIMATE_COLUMNS, ModelPrintout, Test, estimate_frame, fmt, p_text
from ..validation import check_effects, require_choice, require_level

UNIVARIATE_METHODS = ("REML", "DL", "PM", "FE", "ML")
THREE_LEVEL_METHODS = ("REML", "ML")


@dataclass(repr=False)
class RegressionResult(ModelPrintout):
    """A fitted meta-regression (metafor ``rma``/``rma.mv`` with ``mods``), from :func:`regression`.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per term (index "term": "intercept", numeric moderators, and
        "name[level]" dummies), columns estimate, se, stat, p, ci_low, ci_high.
    qm, qm_df, qm_p : float, int, float
        Omnibus test of the moderators (chi-square, or F with (qm_df, df) df).
    qe, qe_df, qe_p : float, int, float
        Test of residual heterogeneity (weights 1/vi), df = k - p.
    tau2 : float or None
        Residual tau^2 (univariate model; None for three-level).
    sigma2 : numpy.ndarray or None
        [between, within] variances (three-level model; None otherwise).
    k : int
        Number of effects.
    method, test : str
        The variance estimator and the test ("z", "knha", "t").
    df : int or None
        Residual df of t and F tests (k - p), None for z.
    level : float
        Confidence level.
    structure : {"univariate", "three_level"}
        Which random-effects structure was fitted.
    n_studies : int or None
        Studies of a three-level model.
    i2, h2 : float or None
        Residual I^2 (percent) and H^2 of a univariate model.
    loglik : float
        metafor's logLik (restricted for REML).

    References
    ----------
    Viechtbauer W (2010). J Stat Softw 36(3).
    Knapp G, Hartung J (2003). Stat Med 22:2693-2710.
    """
    coefficients: pd.DataFrame
    qm: float
    qm_df: int
    qm_p: float
    qe: float
    qe_df: int
    qe_p: float
    tau2: float | None
    sigma2: np.ndarray | None
    k: int
    method: str
    test: str
    df: int | None
    level: float
    structure: str                  # "univariate" or "three_level"
    n_studies: int | None = None
    i2: float | None = None         # residual I^2 (univariate, metafor's I^2)
    h2: float | None = None
    loglik: float = np.nan
    _terms: list = field(default_factory=list)
    _vb: np.ndarray | None = None
    _crit: float = np.nan

    def predict(self, new_moderators=None) -> pd.DataFrame:
        """Predicted effects (metafor predict.rma): pred = x'b, se = sqrt(x' V_b x),
        CI pred -/+ crit se, prediction interval pred -/+ crit sqrt(se^2 + tau^2)
        (three-level: + sum(sigma2)). Pass moderator values with the same column
        names as in the fit (e.g. a grid for a bubble plot's bands)."""
        if new_moderators is None:
            raise ValueError("new_moderators is required: a DataFrame or dict with the moderator columns")
        cols = {name: v if isinstance(v, (pd.Series, pd.Categorical)) else np.atleast_1d(np.asarray(v))
                for name, v in moderator_columns(new_moderators).items()}
        sizes = {len(v) for v in cols.values()}
        if len(sizes) != 1:
            raise ValueError("new_moderators: all columns must have the same length")
        X, _ = design_matrix(self._terms, cols, sizes.pop())
        beta = self.coefficients["estimate"].to_numpy()
        pred = X @ beta
        se = np.sqrt(np.einsum("ij,jk,ik->i", X, self._vb, X))
        extra = self.tau2 if self.structure == "univariate" else float(np.sum(self.sigma2))
        pi_se = np.sqrt(se**2 + extra)
        return pd.DataFrame({"pred": pred, "se": se, "ci_low": pred - self._crit * se,
                             "ci_high": pred + self._crit * se, "pi_low": pred - self._crit * pi_se,
                             "pi_high": pred + self._crit * pi_se})

    def _header(self):
        if self.structure == "univariate":
            kind = "Fixed-effects" if self.method == "FE" else "Mixed-effects"
            return f"{kind} meta-regression (k = {self.k}; method: {self.method})"
        return (f"Three-level meta-regression (k = {self.k} outcomes in {self.n_studies} studies; "
                f"method: {self.method})")

    def _lines(self):
        if self.structure == "univariate":
            lines = [] if self.method == "FE" else [
                f"tau^2 (estimated amount of residual heterogeneity): {fmt(self.tau2)}"]
            lines += [f"I^2 (residual heterogeneity / unaccounted variability): {self.i2:.2f}%"]
        else:
            lines = [f"sigma^2 between studies: {fmt(self.sigma2[0])}",
                     f"sigma^2 within studies:  {fmt(self.sigma2[1])}"]
        if self.test == "z":
            qm = f"QM(df = {self.qm_df}) = {fmt(self.qm)}"
        else:
            qm = f"F(df1 = {self.qm_df}, df2 = {self.df}) = {fmt(self.qm)}"
        return lines + ["",
                        f"Test for residual heterogeneity: QE(df = {self.qe_df}) = {fmt(self.qe)}, "
                        f"{p_text(self.qe_p)}",
                        f"Test of moderators (coefficients 2:{self.qm_df + 1}): {qm}, {p_text(self.qm_p)}"]

    @property
    def moderators(self) -> Test:
        """The omnibus test of the moderators: chi-square (qm, qm_df) or F (qm, (qm_df, df))."""
        return Test(self.qm, self.qm_df if self.test == "z" else (self.qm_df, self.df), self.qm_p)

    @property
    def residual_heterogeneity(self) -> Test:
        """The test of residual heterogeneity, Q_E (qe, qe_df, qe_p)."""
        return Test(self.qe, self.qe_df, self.qe_p)

    def _test_note(self) -> str:
        return {"z": "", "knha": f" (Knapp-Hartung, t with {self.df} df)"}.get(self.test, f" (t with {self.df} df)")

    def _table(self) -> pd.DataFrame:
        return self.coefficients


def regression(yi, vi, moderators, method="REML", study=None, outcome=None, test="z",
               level=0.95) -> RegressionResult:
    """Meta-regression: y = X beta + random effects + e.

    Without ``study``: metafor ``rma(yi, vi, mods = X, method = method, test = test)``.
    With ``study`` (and optionally ``outcome``): the three-level model
    ``rma.mv(yi, vi, mods = X, random = ~ 1 | study/outcome)``.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    moderators : DataFrame, Series, dict of columns or 1-D array
        Text, boolean or Categorical columns become treatment-coded dummies with
        the first level (sorted as R's factor() in a UTF-8 locale: case-insensitive,
        "a" before "A" before "b"; or the Categorical's order) as reference.
    method : str
        REML, DL, PM, ML or FE (univariate); REML or ML (three-level).
    study, outcome : sequence, optional
        Study (and outcome) labels for the three-level model.
    test : str
        "z", "knha" or "t" (univariate); "z" or "t" (three-level).
    level : float
        Confidence level.

    Returns
    -------
    RegressionResult
        The omnibus QM test covers every coefficient but the intercept
        (chi-square; an F test when test is "knha" or "t"); QE tests the residual
        heterogeneity with fixed-effect weights 1/vi.

    References
    ----------
    Viechtbauer W (2010). J Stat Softw 36(3).
    Knapp G, Hartung J (2003). Stat Med 22:2693-2710.
    Thompson SG, Higgins JPT (2002). How should meta-regression analyses be
        undertaken and interpreted? Stat Med 21:1559-1573.
    """
    three = study is not None
    yi, vi = check_effects(yi, vi)
    k = yi.size
    if three:
        require_choice(method, "method", THREE_LEVEL_METHODS)
        require_choice(test, "test", ("z", "t"))
    else:
        if outcome is not None:
            raise ValueError("outcome needs study: give the study of each outcome for a three-level model")
        require_choice(method, "method", UNIVARIATE_METHODS)
        require_choice(test, "test", ("z", "knha", "t"))
        warn_fixed_knha(method, test)
    level = require_level(level)
    terms = design_terms(moderators, k)
    X, names = design_matrix(terms, moderators, k)
    p = X.shape[1]
    if np.linalg.matrix_rank(X) < p:
        raise ValueError(f"moderators: the design matrix ({', '.join(names)}) is not of full rank; "
                         "a moderator is constant or a combination of the others")
    if k <= p:
        raise ValueError(f"yi: {k} effect sizes cannot estimate {p} coefficients and the residual "
                         "heterogeneity; use fewer moderators")

    if three:
        _, _, groups = nested_groups(study, outcome, k)
        mixed = MixedModel(yi, vi, X, groups, ["study", "row"])
        theta = mixed.maximise(reml=(method == "REML"))
    else:
        groups = Groups.singletons(k)
        mixed = MixedModel(yi, vi, X, groups, ["row"])
        theta = np.array([estimate_tau2(mixed, method)])
    fit = infer(mixed, theta, test, level)
    coef = estimate_frame({name: dict(zip(ESTIMATE_COLUMNS, row)) for name, row in
                           zip(names, zip(fit.beta, fit.se, fit.stat, fit.p, fit.ci_low, fit.ci_high))})
    result = RegressionResult(
        coefficients=coef, qm=float(fit.moderators.stat), qm_df=fit.moderators.df, qm_p=float(fit.moderators.p),
        qe=float(fit.residual.stat), qe_df=fit.residual.df, qe_p=float(fit.residual.p),
        tau2=None if three else float(theta[0]), sigma2=theta if three else None, k=k,
        method=method, test=test, df=fit.df, level=level, structure="three_level" if three else "univariate",
        n_studies=groups.n if three else None,
        loglik=float(fit.ll_reml if method == "REML" else fit.ll_ml),
        _terms=terms, _vb=fit.vb, _crit=float(fit.crit))
    if not three:
        result.i2, result.h2 = heterogeneity_indices(method, fit.residual.stat, fit.typical_vi, theta[0], k - p)
    return result
