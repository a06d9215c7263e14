"""The pooled models (random-effects, fixed-effect, three-level), their results and aggregation."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from ._engine import (BlockCovariance, Groups, MixedModel, estimate_tau2, heterogeneity_indices, infer,
                      nested_groups, warn_fixed_knha)
from ._regression import THREE_LEVEL_METHODS, UNIVARIATE_METHODS
from .._printing import Estimate, ModelPrintout, Test, estimate_frame, fmt, p_text
from ..validation import (
    as_float_array,
    as_labels,
    check_effects,
    require_choice,
    require_in_range,
    require_level,
)


# ==========================================================================
# The pooled estimate: what both pooled models report
# ==========================================================================
def _pooled_fields(fit, between_variance) -> dict:
    """The estimate, its test, CI and prediction interval of an intercept-only fit.

    Prediction interval as metafor's predict(): mu -/+ crit sqrt(se^2 + total
    between-study variance), crit from N(0, 1) for a z test, t(k - 1) otherwise.
    """
    beta, se = float(fit.beta[0]), float(fit.se[0])
    pred_se = np.sqrt(se ** 2 + between_variance)
    return dict(estimate=beta, se=se, stat=float(fit.stat[0]), p=float(fit.p[0]),
                ci_low=float(fit.ci_low[0]), ci_high=float(fit.ci_high[0]),
                pi_low=float(beta - fit.crit * pred_se), pi_high=float(beta + fit.crit * pred_se))


@dataclass(repr=False)
class PooledResult(Estimate, ModelPrintout):
    """What the pooled-estimate results share: the estimate with its z or t test,
    CI (:class:`Estimate`) and prediction interval, printed like
    metafor's print.rma (header, heterogeneity, coefficient table, prediction
    interval).

    Attributes
    ----------
    pi_low, pi_high : float
        The prediction interval for the true effect of a new study.
    """
    pi_low: float
    pi_high: float

    @property
    def heterogeneity(self):
        """Cochran's Q test of heterogeneity as a ``Test`` (Q, df = k - 1, p)."""
        return Test(self.q, self.q_df, self.q_p)

    def _table(self):
        return estimate_frame({"estimate": self})

    def _footer(self) -> str:
        return f"{100 * self.level:g}% prediction interval: [{fmt(self.pi_low)}, {fmt(self.pi_high)}]"


# ==========================================================================
# Univariate random-effects model
# ==========================================================================
@dataclass(repr=False)
class RandomEffectsResult(PooledResult):
    """A fitted univariate model (metafor ``rma``), from :func:`random_effects`.

    Attributes
    ----------
    estimate, se, stat, p, ci_low, ci_high, pi_low, pi_high : float
        Pooled estimate, its test and intervals (see :class:`PooledResult`).
    tau2, tau : float
        Between-study variance and its square root (0 for method "FE").
    i2, h2 : float
        I^2 in percent (0-100) and H^2.
    q, q_df, q_p : float, int, float
        Cochran's Q (weights 1/vi), its df (k - 1) and p-value.
    k : int
        Number of effects.
    weights : numpy.ndarray
        Each study's weight, percent of the total.
    yi, vi, labels : numpy.ndarray
        The data as fitted, and a label per study (plots use them).
    method, test : str
        The tau^2 estimator and the test ("z", "knha" or "t").
    df : int or None
        Degrees of freedom of the t test (None for z).
    level : float
        Confidence level of the intervals.
    loglik : float
        The (restricted, for REML) log-likelihood, metafor's logLik.

    References
    ----------
    Viechtbauer W (2010). J Stat Softw 36(3).
    """
    tau2: float
    tau: float
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    k: int
    weights: np.ndarray
    yi: np.ndarray
    vi: np.ndarray
    labels: np.ndarray
    method: str
    test: str
    df: int | None
    level: float
    loglik: float = field(default=np.nan)

    def _header(self):
        kind = "Fixed-effects" if self.method == "FE" else "Random-effects"
        est = "" if self.method == "FE" else f"; tau^2 estimator: {self.method}"
        return f"{kind} model (k = {self.k}{est})"

    def _lines(self):
        lines = []
        if self.method != "FE":
            lines += [f"tau^2 (estimated amount of total heterogeneity): {fmt(self.tau2)}",
                      f"tau (square root of estimated tau^2 value):      {fmt(self.tau)}"]
        lines += [f"I^2 (total heterogeneity / total variability):   {self.i2:.2f}%",
                  f"H^2 (total variability / sampling variability):  {self.h2:.2f}",
                  "",
                  f"Test for heterogeneity: Q(df = {self.q_df}) = {fmt(self.q)}, {p_text(self.q_p)}"]
        return lines

    def _test_note(self) -> str:
        return f" (Knapp-Hartung, t with {self.df} df)" if self.test == "knha" else super()._test_note()

    def study_table(self) -> pd.DataFrame:
        """One row per study: label, yi, vi, se, CI (at ``level``) and weight (percent)."""
        se = np.sqrt(self.vi)
        z = special.ndtri((1 + self.level) / 2)   # the normal quantile, as scipy.stats.norm.ppf
        return pd.DataFrame({"label": self.labels, "yi": self.yi, "vi": self.vi, "se": se,
                             "ci_low": self.yi - z * se, "ci_high": self.yi + z * se,
                             "weight": self.weights})


def random_effects(yi, vi, method="REML", test="z", labels=None, level=0.95) -> RandomEffectsResult:
    """Pool effect sizes: metafor ``rma(yi, vi, method = method, test = test)``.

    Model: yi = mu + u_i + e_i, u_i ~ N(0, tau^2), e_i ~ N(0, vi).
    Estimate mu_hat = sum(w yi) / sum(w), w = 1/(vi + tau^2), se = sqrt(1/sum(w)).

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and their sampling variances (vi > 0), at least 2.
    method : {"REML", "DL", "PM", "ML", "FE"}
        The tau^2 estimator; "FE" fixes tau^2 = 0 (the fit :func:`fixed_effect` gives).
    test : {"z", "knha", "t"}
        "z" (normal), "knha" (Knapp-Hartung: t with k-1 df, se scaled by
        sqrt(sum(w (yi - mu)^2) / (k - 1)), not truncated) or "t".
    labels : sequence, optional
        A label per study (default "Study 1", "Study 2", ...).
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    RandomEffectsResult
        I^2 = 100 tau^2 / (tau^2 + s^2), H^2 = (tau^2 + s^2) / s^2 with the typical
        within-study variance s^2 = (k-1) sum(w) / ((sum w)^2 - sum(w^2)), w = 1/vi
        (for FE: I^2 = (Q - (k-1)) / Q, H^2 = Q / (k-1)). Prediction interval as
        metafor's predict(): mu -/+ crit sqrt(se^2 + tau^2), crit from N(0,1) for
        test "z" and t(k-1) otherwise. Weights are percentages of sum(w).

    References
    ----------
    DerSimonian R, Laird N (1986). Control Clin Trials 7:177-188.
    Viechtbauer W (2005). J Educ Behav Stat 30:261-293 (REML, ML).
    Paule RC, Mandel J (1982). J Res Natl Bur Stand 87:377-385.
    Knapp G, Hartung J (2003). Stat Med 22:2693-2710.
    Higgins JPT, Thompson SG (2002). Stat Med 21:1539-1558.
    """
    yi, vi = check_effects(yi, vi)
    require_choice(method, "method", UNIVARIATE_METHODS)
    require_choice(test, "test", ("z", "knha", "t"))
    level = require_level(level)
    k = yi.size
    labels = np.array([f"Study {i + 1}" for i in range(k)], dtype=object) if labels is None \
        else as_labels(labels, "labels", k)

    warn_fixed_knha(method, test)
    model = MixedModel(yi, vi, np.ones((k, 1)), Groups.singletons(k), ["row"])
    tau2 = estimate_tau2(model, method)
    fit = infer(model, [tau2], test, level, btt=np.array([0]))
    i2, h2 = heterogeneity_indices(method, fit.residual.stat, fit.typical_vi, tau2, k - 1)
    return RandomEffectsResult(
        **_pooled_fields(fit, tau2),
        tau2=float(tau2), tau=float(np.sqrt(tau2)), i2=float(i2), h2=float(h2),
        q=float(fit.residual.stat), q_df=k - 1, q_p=float(fit.residual.p), k=k, weights=fit.weights,
        yi=yi, vi=vi, labels=labels, method=method, test=test, df=fit.df, level=level,
        loglik=float(fit.ll_reml if method == "REML" else fit.ll_ml))


def fixed_effect(yi, vi, test="z", labels=None, level=0.95) -> RandomEffectsResult:
    """Pool effect sizes assuming one common true effect: metafor ``rma(yi, vi, method = "FE")``.

    Model: yi = mu + e_i, e_i ~ N(0, vi): no between-study variance (tau^2 = 0).
    Estimate mu_hat = sum(w yi) / sum(w), w = 1/vi, se = sqrt(1/sum(w)).
    The same fit as ``random_effects(yi, vi, method="FE")``.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and their sampling variances (vi > 0), at least 2.
    test : {"z", "t", "knha"}
        "z" (normal) or "t" (t with k - 1 df); "knha" warns, as in metafor,
        since the Knapp-Hartung adjustment is meant for random-effects models.
    labels : sequence, optional
        A label per study (default "Study 1", "Study 2", ...).
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    RandomEffectsResult
        The fit, printed as a "Fixed-effects model", with ``method`` "FE",
        ``tau2`` = 0 and Cochran's Q; I^2 and H^2 from Q as metafor reports them
        for a fixed-effect model.

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2010). A basic
        introduction to fixed-effect and random-effects models for
        meta-analysis. Res Synth Methods 1:97-111.
    Viechtbauer W (2010). J Stat Softw 36(3) (rma with method = "FE").
    """
    return random_effects(yi, vi, method="FE", test=test, labels=labels, level=level)


PREDICTION_FORMS = ("z", "t(k-2)")
"""The two forms of :func:`prediction_interval`."""


def prediction_interval(fit, form="t(k-2)", level=None) -> tuple[float, float]:
    """The prediction interval for the true effect of a new study, in the z or the t(k - 2) form.

    interval = mu_hat -/+ crit sqrt(se^2 + tau^2)

    with the fit's estimate mu_hat, its standard error se and the between-study
    variance tau^2, and

    - form "z": crit = z_{(1 + level)/2} from N(0, 1): what metafor's
      ``predict(rma(...))`` prints after a z test (and ``fit.pi_low``,
      ``fit.pi_high`` for ``test="z"``);
    - form "t(k-2)": crit = t_{k-2, (1 + level)/2}, a t quantile on k - 2
      degrees of freedom, which allows for tau^2 being estimated from few
      studies (Higgins, Thompson & Spiegelhalter 2009; IntHout et
      al. 2016); metafor's ``predict(fit, pi.type = "riley")``.

    After ``test="knha"`` se is the Knapp-Hartung standard error, as in metafor.

    Parameters
    ----------
    fit : RandomEffectsResult
        A random-effects fit from :func:`random_effects` (not method "FE", which
        assumes tau^2 = 0 and so predicts nothing beyond its CI).
    form : {"t(k-2)", "z"}
        The quantile: t on k - 2 degrees of freedom (default) or standard normal.
    level : float, optional
        Coverage, strictly between 0 and 1 (default: the fit's level).

    Returns
    -------
    tuple of float
        (low, high).

    Raises
    ------
    TypeError
        If ``fit`` is not a :class:`RandomEffectsResult`.
    ValueError
        If ``form`` is unknown, ``fit`` is a fixed-effect fit, the t(k - 2)
        form has fewer than 3 studies, or ``level`` is not in (0, 1).

    References
    ----------
    Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). A re-evaluation of
        random-effects meta-analysis. J R Stat Soc A 172:137-159.
    IntHout J, Ioannidis JPA, Rovers MM, Goeman JJ (2016). Plea for routinely
        presenting prediction intervals in meta-analysis. BMJ Open 6:e010247.
    Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects
        meta-analyses. BMJ 342:d549.
    """
    if not isinstance(fit, RandomEffectsResult):
        raise TypeError(f"fit: a result of meta.random_effects is needed, got {type(fit).__name__}")
    require_choice(form, "form", PREDICTION_FORMS)
    if fit.method == "FE":
        raise ValueError("fit: a fixed-effect fit (method 'FE') assumes tau^2 = 0; fit a random-effects model "
                         "(e.g. method 'REML') to predict a new study's effect")
    level = fit.level if level is None else require_level(level)
    if form == "t(k-2)" and fit.k < 3:
        raise ValueError(f"fit: the t(k-2) form needs at least 3 studies (k - 2 >= 1), this fit has k = {fit.k}")
    upper = (1 + level) / 2
    crit = special.ndtri(upper) if form == "z" else special.stdtrit(fit.k - 2, upper)   # norm.ppf, t.ppf
    half = float(crit * np.sqrt(fit.se ** 2 + fit.tau2))
    return fit.estimate - half, fit.estimate + half


# ==========================================================================
# Three-level model
# ==========================================================================
def _multilevel_i2(sigma2, typical_vi):
    """I^2 per level (metafor web site, "I^2 for multilevel and multivariate
    models"): 100 sigma2_l / (sum(sigma2) + (k - p) / tr(P)), W = diag(1/vi),
    P = W - W X (X'WX)^-1 X'W."""
    return 100 * np.asarray(sigma2) / (np.sum(sigma2) + typical_vi)


@dataclass(repr=False)
class ThreeLevelResult(PooledResult):
    """A fitted three-level model (metafor ``rma.mv`` with ~ 1 | study/outcome), from :func:`three_level`.

    Attributes
    ----------
    estimate, se, stat, p, ci_low, ci_high, pi_low, pi_high : float
        As in :class:`PooledResult`.
    sigma2 : numpy.ndarray
        [between-study, within-study] variance.
    q, q_df, q_p : float, int, float
        Cochran's Q_E (weights 1/vi), df = k - 1, p-value.
    loglik : float
        metafor's logLik (restricted for REML).
    i2_between, i2_within, i2_total : float
        I^2 per level and their sum, in percent.
    k, n_studies : int
        Number of effects (outcomes) and of studies.
    yi, vi, study, outcome : numpy.ndarray
        The data as fitted (outcome None when not given).
    method, test : str
        "REML" or "ML"; "z" or "t".
    df : int or None
        Degrees of freedom of the t test.
    level : float
        Confidence level.
    weights : numpy.ndarray
        Diagonal of W = M^-1 in percent (metafor weights()).

    References
    ----------
    Konstantopoulos S (2011). Res Synth Methods 2:61-76.
    Cheung MW-L (2014). Modeling dependent effect sizes with three-level
        meta-analyses. Psychol Methods 19:211-229.
    """
    sigma2: np.ndarray
    q: float
    q_df: int
    q_p: float
    loglik: float
    i2_between: float
    i2_within: float
    i2_total: float
    k: int
    n_studies: int
    yi: np.ndarray
    vi: np.ndarray
    study: np.ndarray
    outcome: np.ndarray | None
    method: str = "REML"
    test: str = "z"
    df: int | None = None
    level: float = 0.95
    weights: np.ndarray | None = None

    def _header(self):
        return f"Three-level model (k = {self.k} outcomes in {self.n_studies} studies; method: {self.method})"

    def _lines(self):
        sb, sw = self.sigma2
        return [f"sigma^2 between studies: {fmt(sb)} (sd {fmt(np.sqrt(sb))}), I^2 = {self.i2_between:.2f}%",
                f"sigma^2 within studies:  {fmt(sw)} (sd {fmt(np.sqrt(sw))}), I^2 = {self.i2_within:.2f}%",
                f"I^2 total: {self.i2_total:.2f}%",
                f"log-likelihood ({self.method}): {fmt(self.loglik)}",
                "",
                f"Test for heterogeneity: Q(df = {self.q_df}) = {fmt(self.q)}, {p_text(self.q_p)}"]


def three_level(yi, vi, study, outcome=None, method="REML", test="z", level=0.95) -> ThreeLevelResult:
    """Three-level meta-analysis: metafor ``rma.mv(yi, vi, random = ~ 1 | study/outcome)``.

    Model: y_ij = mu + u_j + w_ij + e_ij with u_j ~ N(0, sigma2_between) shared
    by all outcomes of study j, w_ij ~ N(0, sigma2_within), e_ij ~ N(0, vi).
    Variance components by REML (default) or ML, to the exact optimum; a
    component whose optimum is 0 is reported as exactly 0.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    study : sequence
        The study of each effect; at least one study must have several.
    outcome : sequence, optional
        Outcome labels, unique within a study (default: one per row).
    method : {"REML", "ML"}
    test : {"z", "t"}
        "t": t with k - 1 df, as rma.mv test = "t".
    level : float
        Confidence level.

    Returns
    -------
    ThreeLevelResult
        Q is metafor's Q_E with fixed-effect weights 1/vi; I^2 per level by the
        multilevel formula (``_multilevel_i2``); the prediction interval is
        mu -/+ crit sqrt(se^2 + sum(sigma2)). A study list in which every study
        has a single outcome is rejected: then only the sum of the two variances
        is identified (use :func:`random_effects`).

    References
    ----------
    Konstantopoulos S (2011). Res Synth Methods 2:61-76.
    Viechtbauer W (2010). J Stat Softw 36(3) (rma.mv).
    """
    yi, vi = check_effects(yi, vi)
    require_choice(method, "method", THREE_LEVEL_METHODS)
    require_choice(test, "test", ("z", "t"))
    level = require_level(level)
    k = yi.size
    study, outcome, groups = nested_groups(study, outcome, k)
    model = MixedModel(yi, vi, np.ones((k, 1)), groups, ["study", "row"])
    sigma2 = model.maximise(reml=(method == "REML"))
    fit = infer(model, sigma2, test, level, btt=np.array([0]))
    i2 = _multilevel_i2(sigma2, fit.typical_vi)
    return ThreeLevelResult(
        **_pooled_fields(fit, np.sum(sigma2)),
        sigma2=sigma2, q=float(fit.residual.stat), q_df=k - 1, q_p=float(fit.residual.p),
        loglik=float(fit.ll_reml if method == "REML" else fit.ll_ml),
        i2_between=float(i2[0]), i2_within=float(i2[1]), i2_total=float(np.sum(i2)),
        k=k, n_studies=groups.n, yi=yi, vi=vi, study=study, outcome=outcome,
        method=method, test=test, df=fit.df, level=level, weights=fit.weights)


# ==========================================================================
# Aggregation within clusters
# ==========================================================================
def aggregate(yi, vi, cluster, rho=0.6) -> pd.DataFrame:
    """One effect per cluster: metafor ``aggregate.escalc(struct = "CS", rho = rho)``.

    Within a cluster the effects are assumed correlated rho (compound symmetry):
    V = S R S, S = diag(sqrt(vi)), R = 1 on the diagonal and rho elsewhere.
    The aggregate is the inverse-variance weighted mean using W = V^-1:
    yi = 1'W y / 1'W 1 and vi = 1 / 1'W 1.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and sampling variances.
    cluster : sequence
        The cluster (e.g. study) of each effect.
    rho : float
        The assumed correlation within a cluster, in (-1, 1).

    Returns
    -------
    pandas.DataFrame
        Columns cluster, yi, vi; clusters in order of first appearance.

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis, ch. 24 (multiple outcomes within a study).
    Viechtbauer W (2010). J Stat Softw 36(3) (aggregate.escalc).
    """
    yi, vi = check_effects(yi, vi, minimum_k=1)
    rho_arr = as_float_array(rho, "rho", ndim=0)
    require_in_range(np.atleast_1d(rho_arr), "rho", -1, 1, closed=False)
    rho = float(rho_arr)
    cluster = as_labels(cluster, "cluster", yi.size)
    groups = Groups(cluster)
    # V = diag((1 - rho) vi) + rho s s', s = sqrt(vi): positive definite iff rho > -1/(n_j - 1)
    too_small = np.flatnonzero(1 + rho * groups.sizes / (1 - rho) <= 0)
    if too_small.size:
        j = int(too_small[0])
        raise ValueError(f"rho = {rho} makes the covariance matrix of cluster {groups.labels[j]!r} "
                         f"({groups.sizes[j]} effects) not positive definite; rho must exceed "
                         f"{-1 / (groups.sizes[j] - 1):.4f}")
    cov = BlockCovariance(groups, (1 - rho) * vi, rho, u=np.sqrt(vi))
    sum_w = groups.sum(cov.solve(np.ones_like(yi)))
    sum_wy = groups.sum(cov.solve(yi))
    return pd.DataFrame({"cluster": groups.labels, "yi": sum_wy / sum_w, "vi": 1 / sum_w})
