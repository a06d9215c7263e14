"""Cluster-robust inference for a pooled estimate, as metafor's
``robust(fit, cluster, clubSandwich = TRUE)``: the CR2 sandwich variance with
Satterthwaite degrees of freedom (Bell & McCaffrey 2002, Survey Methodology
28:169-181; Tipton 2015, Psychol Methods 20:375-393; Pustejovsky & Tipton 2018,
J Bus Econ Stat 36:672-683), computed as clubSandwich 0.5.8 does for rma models.

The working model is the fitted one: M_j, the model's marginal covariance of
the effects in cluster j (diag(vi + tau^2) for ``random_effects``; diag(vi +
sigma^2_within) + sigma^2_between within a study for ``three_level``), and
W_j = M_j^-1. With X = 1 (the intercept), B = (sum_j X_j' W_j X_j)^-1 and the
residuals e_j = y_j - X_j b:

    CR2:   V = B [sum_j X_j' W_j A_j e_j e_j' A_j' W_j X_j] B,
           A_j = U_j' (U_j (I - X_j B X_j' W_j) M_j U_j')^(-1/2) U_j,  M_j = U_j' U_j (Cholesky)
    df:    P = diag(g_j) - h h',  g_j = |B X_j' W_j A_j U_j'|^2,  h_j = B X_j' W_j A_j X_j sqrt(B)
           nu = tr(P)^2 / sum(P^2)

and t = b / sqrt(V) on nu df, CI b -/+ t_{nu, 1 - alpha/2} sqrt(V).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..lazy import lazy_import
from ._pooled import RandomEffectsResult, ThreeLevelResult
from .._printing import Estimate, SummaryPrintout, Test, estimate_frame, format_p
from ..validation import as_labels, require_level

# scipy.stats: imported on first use, to keep a lesson's set-up cell quick
stats = lazy_import("scipy.stats")


@dataclass(repr=False)
class RobustResult(Estimate, SummaryPrintout):
    """A cluster-robust (CR2, Satterthwaite) test of the pooled estimate, from :func:`robust`.

    Attributes
    ----------
    estimate, se, stat, p, ci_low, ci_high : float
        The model's estimate with its CR2 standard error, t test on ``df`` and CI.
    df : float
        Satterthwaite degrees of freedom.
    n_clusters, k : int
        Number of clusters and of effects.
    model_name : str
        The working model ("random-effects model" or "three-level model").
    level : float
        Confidence level.
    vcov : str
        The sandwich estimator ("CR2").

    References
    ----------
    Pustejovsky JE, Tipton E (2018). J Bus Econ Stat 36:672-683.
    """
    df: float
    n_clusters: int
    k: int
    model_name: str
    level: float = 0.95
    vcov: str = "CR2"

    @property
    def t_test(self) -> Test:
        """The t test of the estimate on the Satterthwaite df."""
        return Test(self.stat, self.df, self.p)

    def _title(self) -> str:
        return (f"Cluster-robust inference ({self.vcov}, Satterthwaite df; {self.model_name}, k = {self.k} "
                f"in {self.n_clusters} clusters)")

    def _rows(self):
        pct = f"{100 * self.level:g}%"
        return [("Estimate", f"{self.estimate:.4f} (SE = {self.se:.4f}), {pct} CI {self.ci_low:.4f} to "
                             f"{self.ci_high:.4f}"),
                ("Test", f"t({self.df:.2f}) = {self.stat:.4f}, p = {format_p(self.p)}")]

    def to_frame(self):
        """One row: the estimate with its cluster-robust test and CI."""
        return estimate_frame({"estimate": self})


def _marginal_covariance(fit):
    """M as a function of rows (a, b) of one cluster, and the model's name."""
    if isinstance(fit, RandomEffectsResult):
        def block(rows):
            return np.diag(fit.vi[rows] + fit.tau2)
        return block, "random-effects model", None
    if isinstance(fit, ThreeLevelResult):
        between, within = fit.sigma2
        study = np.asarray(fit.study, dtype=object)

        def block(rows):
            same = study[rows][:, None] == study[rows][None, :]
            return np.diag(fit.vi[rows] + within) + between * same
        return block, "three-level model", study
    raise TypeError(f"fit must be a utils.meta.random_effects or three_level result; got {type(fit).__name__}")


def _inverse_sqrt(G, tol=1e-12):
    """G^(-1/2) of a symmetric matrix via its eigenvalues; those <= tol give 0 (clubSandwich)."""
    values, vectors = np.linalg.eigh(G)
    powered = np.where(values > tol, np.abs(values) ** -0.5, 0.0)
    return (vectors * powered) @ vectors.T


def robust(fit, cluster, level=None) -> RobustResult:
    """CR2 cluster-robust SE, Satterthwaite df, t test and CI of the pooled
    estimate: metafor ``robust(fit, cluster = cluster, clubSandwich = TRUE)``.

    ``fit``: a ``random_effects`` or ``three_level`` result; ``cluster``: one
    label per effect size (e.g. the study, or a coarser grouping). In a
    three-level model each study must lie within one cluster (the random
    effects nested in the clusters), as clubSandwich requires. ``level``
    defaults to the model's.

    Parameters
    ----------
    fit : RandomEffectsResult or ThreeLevelResult
        The fitted working model.
    cluster : sequence
        One cluster label per effect size.
    level : float, optional
        Confidence level (default: the model's).

    Returns
    -------
    RobustResult
        The estimate with its CR2 standard error, Satterthwaite df, t test and CI.

    References
    ----------
    Bell RM, McCaffrey DF (2002). Survey Methodology 28:169-181.
    Tipton E (2015). Small sample adjustments for robust variance estimation with
        meta-regression. Psychol Methods 20:375-393.
    Pustejovsky JE, Tipton E (2018). J Bus Econ Stat 36:672-683.
    """
    block, name, study = _marginal_covariance(fit)
    k = fit.k
    if cluster is None or np.ndim(cluster) == 0:
        raise ValueError(f"cluster must hold one label per effect size ({k}); got {cluster!r}")
    if len(cluster) != k:
        raise ValueError(f"cluster has {len(cluster)} labels but the model has {k} effect sizes")
    cluster = as_labels(cluster, "cluster", k)
    level = require_level(fit.level if level is None else level)
    codes, labels = pd.factorize(pd.Series(list(cluster), dtype=object))
    n = len(labels)
    if n < 2:
        raise ValueError(f"cluster: all {k} effects are in one cluster ({labels[0]!r}); cluster-robust "
                         "inference needs at least 2 clusters (more than the 1 coefficient)")
    if study is not None:
        per_study = pd.DataFrame({"s": list(study), "c": codes}).groupby("s", sort=False)["c"].nunique()
        split = per_study[per_study > 1]
        if len(split):
            raise ValueError(f"cluster: study {split.index[0]!r} is split over several clusters; the "
                             "random effects must be nested in the clusters (clubSandwich requires it)")

    rows_of = [np.flatnonzero(codes == j) for j in range(n)]
    M = [block(rows) for rows in rows_of]
    W = [np.linalg.inv(m) for m in M]
    B = 1.0 / sum(w.sum() for w in W)                     # (X'WX)^-1 with X = 1
    resid = fit.yi - fit.estimate
    meat, g, h = 0.0, np.empty(n), np.empty(n)
    for j, (rows, m, w) in enumerate(zip(rows_of, M, W)):
        U = np.linalg.cholesky(m).T                        # upper: M = U'U
        ones = np.ones(rows.size)
        xw = ones @ w                                      # X_j' W_j
        ih = np.eye(rows.size) - B * np.outer(ones, xw)    # I - X_j B X_j' W_j
        A = U.T @ _inverse_sqrt(U @ ih @ m @ U.T) @ U
        e = xw @ A                                         # X_j' W_j A_j
        meat += float(e @ resid[rows]) ** 2
        g[j] = np.sum((B * e @ U.T) ** 2)
        h[j] = B * float(e @ ones) * np.sqrt(B)
    se = float(np.sqrt(B * meat * B))
    P = np.diag(g) - np.outer(h, h)
    df = float(np.trace(P) ** 2 / np.sum(P**2))
    stat = fit.estimate / se
    crit = stats.t.ppf((1 + level) / 2, df)
    return RobustResult(estimate=float(fit.estimate), se=se, df=df, stat=float(stat),
                        p=float(2 * stats.t.sf(abs(stat), df)), ci_low=float(fit.estimate - crit * se),
                        ci_high=float(fit.estimate + crit * se), n_clusters=n, k=k, model_name=name, level=level)
