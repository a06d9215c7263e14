"""Case diagnostics of a random-effects model (metafor ``influence``, ``baujat``, ``gosh``):
the model refitted on subsets of its studies."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._pooled import RandomEffectsResult, random_effects
from ..lazy import lazy_import

# scipy.stats: imported on first use, to keep a lesson's set-up cell quick
stats = lazy_import("scipy.stats")

EPS = np.finfo(float).eps


def _require_random_effects(fit, what, minimum_k=3):
    if not isinstance(fit, RandomEffectsResult):
        raise TypeError(f"fit must be a utils.meta.random_effects result for {what}; "
                        f"got {type(fit).__name__}")
    if fit.k < minimum_k:
        raise ValueError(f"fit: {what} needs at least {minimum_k} studies (each is left out in turn); "
                         f"the model has k = {fit.k}")


def _leave_one_out(fit):
    """Per study i, the model refitted without i: tau^2, estimate, its variance
    (with the Knapp-Hartung factor s2w for test "knha", as metafor's vb) and s2w."""
    k = fit.k
    out = {name: np.empty(k) for name in ("tau2", "estimate", "var", "s2w", "qe")}
    for i in range(k):
        keep = np.arange(k) != i
        res = random_effects(fit.yi[keep], fit.vi[keep], method=fit.method, test=fit.test,
                                  level=fit.level)
        w = 1 / (fit.vi[keep] + res.tau2)
        out["tau2"][i], out["estimate"][i], out["var"][i] = res.tau2, res.estimate, res.se**2
        out["s2w"][i] = res.se**2 * np.sum(w)        # 1 unless test = "knha"
        out["qe"][i] = res.q
    return out


def influence(fit) -> pd.DataFrame:
    """Case diagnostics of a random-effects model: metafor ``influence(rma(...))``.

    With b the estimate, b(-i) the estimate without study i (refitted, same
    method and test), tau2(-i), s2w(-i) (Knapp-Hartung factor, 1 for a z test),
    v(b) the variance of b and h_i = w_i / sum(w) the hat value (w = 1/(vi + tau^2)):

    * rstudent = (yi - b(-i)) / sqrt((vi + tau2(-i)) s2w(-i) + v(b(-i)))
    * dffits = (b - b(-i)) / sqrt(s2w(-i) h_i (tau2(-i) + vi))
    * cook_d = (b - b(-i))^2 / v(b);  cov_r = v(b(-i)) / v(b)
    * dfbetas = (b - b(-i)) / sqrt(s2w(-i) / sum_all(1 / (vj + tau2(-i))))
    * tau2_del, qe_del: tau^2 and Q of the model without i; weight in percent.

    ``inf`` is "*" where metafor marks a case influential: |dffits| > 3
    sqrt(p / (k - p)), or pchisq(cook_d, 1) > 0.5, or hat > 3 p / k, or
    |dfbetas| > 1 (p = 1 coefficient). One row per study, indexed by label.

    Parameters
    ----------
    fit : RandomEffectsResult
        A fitted :func:`utils.meta.random_effects` model (k >= 3).

    Returns
    -------
    pandas.DataFrame
        One row per study (index: its label): rstudent, dffits, cook_d, cov_r,
        tau2_del, qe_del, hat, weight, dfbetas, inf.

    References
    ----------
    Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for
        meta-analysis. Res Synth Methods 1:112-125.
    """
    _require_random_effects(fit, "influence")
    k, p = fit.k, 1
    loo = _leave_one_out(fit)
    w = 1 / (fit.vi + fit.tau2)
    hat = w / np.sum(w)
    var_b = fit.se**2
    diff = fit.estimate - loo["estimate"]
    resid = fit.yi - loo["estimate"]
    resid[np.abs(resid) < 100 * EPS] = 0.0
    rstudent = resid / np.sqrt(fit.vi * loo["s2w"] + loo["var"] + loo["tau2"] * loo["s2w"])
    dffits = diff / np.sqrt(loo["s2w"] * hat * (loo["tau2"] + fit.vi))
    var_all = 1 / np.sum(1 / (fit.vi[None, :] + loo["tau2"][:, None]), axis=1)
    dfbetas = diff / np.sqrt(loo["s2w"] * var_all)
    cook_d = diff**2 / var_b
    flagged = ((np.abs(dffits) > 3 * np.sqrt(p / (k - p))) | (stats.chi2.cdf(cook_d, p) > 0.5)
               | (hat > 3 * p / k) | (np.abs(dfbetas) > 1))
    return pd.DataFrame({
        "rstudent": rstudent, "dffits": dffits, "cook_d": cook_d, "cov_r": loo["var"] / var_b,
        "tau2_del": loo["tau2"], "qe_del": loo["qe"], "hat": hat, "weight": np.asarray(fit.weights, float),
        "dfbetas": dfbetas, "inf": np.where(flagged, "*", "")},
        index=pd.Index([str(label) for label in fit.labels], name="study"))


def baujat(fit) -> pd.DataFrame:
    """The coordinates of a Baujat plot: metafor ``baujat(rma(...))``.

    x = (yi - b)^2 / (vi + tau^2), the study's squared Pearson residual (its
    contribution to the heterogeneity); y = (b(-i) - b)^2 / v(b(-i)), how far
    leaving it out moves the pooled estimate, in units of the new variance.

    Parameters
    ----------
    fit : RandomEffectsResult
        As for :func:`influence` (k >= 3); each study is left out in turn.

    Returns
    -------
    pandas.DataFrame
        Columns x and y, one row per study.

    References
    ----------
    Baujat B, Mahe C, Pignon J-P, Hill C (2002). A graphical method for exploring
        heterogeneity in meta-analyses. Stat Med 21:2641-2652.
    """
    _require_random_effects(fit, "a Baujat plot")
    loo = _leave_one_out(fit)
    return pd.DataFrame({"x": (fit.yi - fit.estimate) ** 2 / (fit.vi + fit.tau2),
                         "y": (loo["estimate"] - fit.estimate) ** 2 / loo["var"]},
                        index=pd.Index([str(label) for label in fit.labels], name="study"))


# --------------------------------------------------------------------------
# GOSH: the model fitted to (all or many) subsets of the studies
# --------------------------------------------------------------------------
MAX_EXACT_K = 15        # 2^15 - 1 = 32,767 subsets; above this a random sample


def _all_subsets(k):
    """Every non-empty subset as a boolean row, in metafor's order: expand.grid
    order (study 1 changes fastest), then stably sorted by subset size."""
    codes = np.arange(1, 2**k)
    incl = ((codes[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
    return incl[np.argsort(incl.sum(axis=1), kind="stable")]


def _random_subsets(k, n, rng):
    """n random subsets as metafor draws them: a size m in 1..k with probability
    dbinom(m, k, 0.5) (renormalised), then m studies at random; sorted by size."""
    sizes = np.arange(1, k + 1)
    prob = stats.binom.pmf(sizes, k, 0.5)
    m = rng.choice(sizes, size=n, p=prob / prob.sum())
    order = np.argsort(rng.random((n, k)), axis=1)
    incl = np.zeros((n, k), dtype=bool)
    rows = np.repeat(np.arange(n), m)
    incl[rows, order[np.arange(n)[:, None], np.arange(k)][np.arange(k)[None, :] < m[:, None]]] = True
    return incl[np.argsort(m, kind="stable")]


class _Subsets:
    """Sums over the included studies of many subsets at once (rows = subsets)."""

    def __init__(self, incl, yi, vi):
        self.M = incl.astype(float)
        self.y, self.v = yi, vi
        self.k = self.M.sum(axis=1)

    def rows(self, index):
        """The same sums for some of the subsets only."""
        part = _Subsets.__new__(_Subsets)
        part.M, part.y, part.v, part.k = self.M[index], self.y, self.v, self.k[index]
        return part

    def weights(self, tau2):
        return self.M / (self.v[None, :] + tau2[:, None])

    def pooled(self, tau2):
        w = self.weights(tau2)
        sw = w.sum(axis=1)
        return w, sw, (w @ self.y) / sw

    def q(self, tau2):
        w, _, mu = self.pooled(tau2)
        return np.sum(w * (self.y[None, :] - mu[:, None]) ** 2, axis=1)

    def loglik(self, tau2, reml):
        """-1/2 sum log(v + tau^2) - 1/2 sum w r^2 (- 1/2 log sum w for REML), constants dropped."""
        w, sw, mu = self.pooled(tau2)
        ll = -0.5 * np.sum(self.M * np.log(self.v[None, :] + tau2[:, None]), axis=1)
        ll -= 0.5 * np.sum(w * (self.y[None, :] - mu[:, None]) ** 2, axis=1)
        return ll - 0.5 * np.log(sw) if reml else ll

    def score_info(self, tau2, reml):
        """REML/ML score and Fisher information for tau^2 (intercept-only model):
        ML:   s = -1/2 sum w + 1/2 sum w^2 r^2,  I = 1/2 sum w^2
        REML: s = -1/2 tr(P) + 1/2 sum w^2 r^2,  I = 1/2 tr(PP),
        tr(P) = sum w - sum w^2 / sum w, tr(PP) = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2."""
        w, sw, mu = self.pooled(tau2)
        r2 = (self.y[None, :] - mu[:, None]) ** 2
        s1, s2, s3 = sw, np.sum(w**2, axis=1), np.sum(w**3, axis=1)
        quad = 0.5 * np.sum(w**2 * r2, axis=1)
        if reml:
            return quad - 0.5 * (s1 - s2 / s1), 0.5 * (s2 - 2 * s3 / s1 + (s2 / s1) ** 2)
        return quad - 0.5 * s1, 0.5 * s2


def _gosh_tau2(sub: _Subsets, method, scale):
    n = sub.M.shape[0]
    zero = np.zeros(n)
    several = sub.k > 1
    if method == "FE":
        return zero
    w, sw, _ = sub.pooled(zero)
    q_fe = sub.q(zero)
    if method == "DL":
        with np.errstate(divide="ignore", invalid="ignore"):
            dl = (q_fe - (sub.k - 1)) / (sw - np.sum(w**2, axis=1) / sw)
        return np.where(several, np.maximum(0.0, dl), 0.0)
    if method == "PM":
        active = several & (q_fe > sub.k - 1)
        low, high = np.zeros(n), np.full(n, max(scale, 10 * np.var(sub.y)))
        while True:
            grow = active & (sub.q(high) > sub.k - 1)
            if not grow.any():
                break
            high[grow] *= 10
        for _ in range(200):
            mid = (low + high) / 2
            above = sub.q(mid) > sub.k - 1
            low, high = np.where(above, mid, low), np.where(above, high, mid)
        return np.where(active, (low + high) / 2, 0.0)
    # REML / ML: Fisher scoring from Hedges' estimate, as rma.uni (and utils.meta) start
    reml = method == "REML"
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (sub.M @ sub.y) / sub.k
        rss = np.sum(sub.M * (sub.y[None, :] - mean[:, None]) ** 2, axis=1)
        he = (rss - (sub.M @ sub.v) * (1 - 1 / sub.k)) / (sub.k - 1)
    tau2 = np.where(several, np.maximum(np.nan_to_num(he), 0.0), 0.0)
    todo = np.flatnonzero(several)            # rows still iterating
    for _ in range(1000):
        if not todo.size:
            break
        part = sub.rows(todo)
        t = tau2[todo]
        score, info = part.score_info(t, reml)
        free = (t > 0) | (score > 0)
        step = np.divide(score, info, out=np.zeros(t.size), where=free & (info > 0))
        # shrink by at most 90% per step (as utils.meta's maximise); a tiny tau^2 with
        # a negative score is the boundary optimum 0
        new = np.maximum(t + step, 0.1 * t)
        new[(new < 1e-10 * scale) & (score < 0)] = 0.0
        tau2[todo] = new
        todo = todo[np.abs(new - t) > 1e-13 * (scale + t)]
    # a local maximum below the likelihood at tau^2 = 0 gives way to 0 (metafor, utils.meta)
    tau2[sub.loglik(tau2, reml) < sub.loglik(zero, reml) - 1e-10] = 0.0
    return tau2


def gosh(fit, subsets=None, seed=1, max_exact_k=MAX_EXACT_K) -> pd.DataFrame:
    """The model refitted to subsets of the studies: metafor ``gosh(rma(...))``
    (graphical display of study heterogeneity; Olkin, Dahabreh & Trikalinos 2012).

    All 2^k - 1 non-empty subsets when k <= ``max_exact_k`` (15: 32,767 fits),
    otherwise ``subsets`` random ones (default 100,000) drawn with
    ``numpy.random.default_rng(seed)`` as metafor draws them (subset size with
    probability proportional to dbinom(m, k, 0.5)). Each fit uses the model's
    method (FE, DL, PM, REML or ML; vectorised: Fisher scoring for REML/ML,
    bisection for PM). Returns one row per subset, ordered by size as metafor:
    k, qe (Q with weights 1/vi), i2, h2, tau2, estimate, and ``incl``, a string
    of 0/1 per study. I^2 and H^2 follow rma: from tau^2 for REML/ML/PM, from Q
    for FE and DL (metafor's shortcut, so H^2 < 1 can appear for DL).

    Parameters
    ----------
    fit : RandomEffectsResult
        A fitted :func:`utils.meta.random_effects` model (k >= 2).
    subsets : int, optional
        Random subsets to fit when k > max_exact_k (default 100,000).
    seed : int
        Seed of the random subsets.
    max_exact_k : int
        Largest k for which every subset is fitted.

    Returns
    -------
    pandas.DataFrame
        One row per subset: k, qe, i2, h2, tau2, estimate, incl.

    References
    ----------
    Olkin I, Dahabreh IJ, Trikalinos TA (2012). GOSH - a graphical display of study
        heterogeneity. Res Synth Methods 3:214-223.
    """
    _require_random_effects(fit, "GOSH", minimum_k=2)
    k = fit.k
    if subsets is None:
        subsets = 100_000
    if not isinstance(subsets, (int, np.integer)) or subsets < 2:
        raise ValueError(f"subsets must be an integer >= 2, got {subsets!r}")
    if k <= max_exact_k or 2**k - 1 <= subsets:
        incl = _all_subsets(k)
    else:
        incl = _random_subsets(k, int(subsets), np.random.default_rng(seed))
    sub = _Subsets(incl, fit.yi, fit.vi)
    scale = float(np.mean(fit.vi))
    tau2 = _gosh_tau2(sub, fit.method, scale)
    _, sw_fe, _ = sub.pooled(np.zeros(len(tau2)))
    w_fe = sub.weights(np.zeros(len(tau2)))
    q = np.where(sub.k > 1, sub.q(np.zeros(len(tau2))), 0.0)   # one study: Q = 0 exactly
    _, _, estimate = sub.pooled(tau2)
    kk = sub.k
    with np.errstate(divide="ignore", invalid="ignore"):
        if fit.method in ("FE", "DL"):
            i2 = np.where(q > 0, np.maximum(0.0, 100 * (q - (kk - 1)) / q), 0.0)
            h2 = np.where(kk > 1, q / (kk - 1), 1.0)
        else:
            typical = (kk - 1) * sw_fe / (sw_fe**2 - np.sum(w_fe**2, axis=1))
            i2 = np.where(kk > 1, 100 * tau2 / (typical + tau2), 0.0)
            h2 = np.where(kk > 1, tau2 / typical + 1, 1.0)
    return pd.DataFrame({"k": kk.astype(int), "qe": q, "i2": i2, "h2": h2, "tau2": tau2,
                         "estimate": estimate,
                         "incl": ["".join("1" if b else "0" for b in row) for row in incl]})
