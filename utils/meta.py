"""Meta-analysis models, reproducing R's metafor (Viechtbauer 2010, J Stat Softw 36(3)).

==================  ========================================================
function            metafor equivalent
==================  ========================================================
``random_effects``  ``rma(yi, vi, method=, test=)``: FE, DL, REML, PM, ML;
                    z or Knapp-Hartung (``"knha"``) tests
``three_level``     ``rma.mv(yi, vi, random = ~ 1 | study/outcome)``
``regression``      ``rma(yi, vi, mods = ...)`` and ``rma.mv(..., mods = ...)``
``aggregate``       ``aggregate(escalc, cluster, struct = "CS", rho = )``
``influence``       ``influence(rma(...))`` (in utils/influence.py)
``baujat``, ``gosh``  ``baujat(rma(...))``, ``gosh(rma(...))`` (utils/influence.py)
``robust``          ``robust(fit, cluster, clubSandwich = TRUE)`` (utils/robust.py)
==================  ========================================================

One model underlies all of them (a linear mixed model with known sampling
variances):

    y = X beta + (random effects) + e,    Var(y) = M = diag(vi) + sum_r theta_r G_r

where each variance component theta_r either adds one random effect per row
(G = identity; tau^2, or the within-study sigma^2) or one per study
(G = J, a block of ones per study; the between-study sigma^2). A pooled
estimate is the intercept-only case, X = a column of ones.

M is block-diagonal, one block per study: diag(d) + c 11'. Its inverse and
log-determinant have closed forms (Sherman-Morrison), so the likelihood and
its derivatives are sums over studies computed all at once (no k x k matrix):
100,000 outcomes fit in about a second.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd
from scipy import linalg, optimize, sparse, stats

from .validation import (
    as_float_array,
    as_labels,
    require_choice,
    require_in_range,
    require_level,
    require_positive,
    require_same_length,
)

__all__ = ["random_effects", "three_level", "regression", "aggregate", "influence", "baujat", "gosh",
           "robust", "RandomEffectsResult", "ThreeLevelResult", "RegressionResult"]

UNIVARIATE_METHODS = ("REML", "DL", "PM", "FE", "ML")
THREE_LEVEL_METHODS = ("REML", "ML")
TOL = 1e-12          # convergence: change in a variance component, relative to the data's scale
BOUNDARY = 1e-10     # a variance component below BOUNDARY * mean(vi) is tried at exactly 0
MAX_ITER = 200


# ==========================================================================
# 1. Studies (clusters) and the block-diagonal covariance matrix
# ==========================================================================
class _Groups:
    """Which study (cluster) each row belongs to; sums rows within studies."""

    def __init__(self, labels):
        codes, uniques = pd.factorize(pd.Series(list(labels), dtype=object), sort=False)
        self.codes = codes                      # 0..n-1, in order of first appearance
        self.labels = np.asarray(uniques, dtype=object)
        self.n = len(uniques)
        k = len(codes)
        # n x k indicator matrix: (indicator @ x)[j] = sum of x over the rows of study j
        self._indicator = sparse.csr_matrix((np.ones(k), (codes, np.arange(k))), shape=(self.n, k))
        self.sizes = np.bincount(codes, minlength=self.n)

    @classmethod
    def singletons(cls, k):
        """Every row its own group (the univariate model)."""
        return cls(np.arange(k))

    def sum(self, x):
        """Sums of x (rows, or rows of a matrix) within each study."""
        return self._indicator @ x

    def expand(self, per_study):
        """A per-study value repeated on each of the study's rows."""
        return per_study[self.codes]


class _BlockCovariance:
    """M = block-diagonal with block j = diag(d_j) + c_j u_j u_j'.

    Sherman-Morrison gives the inverse W = M^-1 block by block,
        W_j = diag(e) - gamma_j a a',   e = 1/d,  a = e u,
        gamma_j = c_j / (1 + c_j sum(u a)),
    and the log-determinant, log|M| = sum log d + sum_j log(1 + c_j sum(u a)).
    The likelihood uses u = 1; ``aggregate`` uses u = sqrt(vi).
    """

    def __init__(self, groups: _Groups, d, c, u=None):
        self.groups = groups
        self.d = d
        self.c = np.broadcast_to(np.asarray(c, dtype=float), (groups.n,))
        self.e = 1.0 / d
        self.a = self.e if u is None else self.e * u
        u = np.ones_like(d) if u is None else u
        self._one_plus = 1.0 + self.c * groups.sum(u * self.a)
        self.gamma = self.c / self._one_plus
        self._diagonal = not np.any(self.c)     # univariate model: W = diag(e)

    def solve(self, y):
        """W y (y a vector or a matrix with one row per observation)."""
        g = self.groups
        column = (slice(None),) if y.ndim == 1 else (slice(None), None)
        a, e, gamma = self.a[column], self.e[column], self.gamma[column]
        if self._diagonal:
            return e * y
        inner = g.sum(a * y)                        # a'y within each study
        return e * y - a * g.expand(gamma * inner)

    def logdet(self):
        return np.sum(np.log(self.d)) + np.sum(np.log(self._one_plus))

    def diag(self):
        """Diagonal of W."""
        return self.e - self.groups.expand(self.gamma) * self.a**2

    def trace(self):
        """tr(W)."""
        return np.sum(self.e) - np.sum(self.gamma * self.groups.sum(self.a**2))

    def frobenius2(self):
        """tr(W W) = sum of squared entries of W."""
        s_aa = self.groups.sum(self.a**2)
        return (np.sum(self.e**2) - 2 * np.sum(self.gamma * self.groups.sum(self.a**2 * self.e))
                + np.sum(self.gamma**2 * s_aa**2))


# ==========================================================================
# 2. Generalised least squares given the covariance
# ==========================================================================
@dataclass
class _GLS:
    beta: np.ndarray       # (X'WX)^-1 X'W y
    vb: np.ndarray         # (X'WX)^-1
    WX: np.ndarray         # W X
    Py: np.ndarray         # P y = W (y - X beta)
    rss: float             # (y - X beta)' W (y - X beta) = y'Py
    logdet_xwx: float


def _gls(y, X, cov: _BlockCovariance) -> _GLS:
    """Weighted least squares with covariance M: beta = (X'WX)^-1 X'Wy, W = M^-1."""
    WX = cov.solve(X)
    xwx = X.T @ WX
    chol = linalg.cho_factor(xwx, lower=True)
    vb = linalg.cho_solve(chol, np.eye(X.shape[1]))
    beta = vb @ (WX.T @ y)
    resid = y - X @ beta
    Py = cov.solve(resid)
    return _GLS(beta, vb, WX, Py, float(resid @ Py), 2.0 * np.sum(np.log(np.diag(chol[0]))))


# ==========================================================================
# 3. The mixed model: likelihood, derivatives and the variance components
# ==========================================================================
@dataclass
class _Derivatives:
    loglik: float
    grad: np.ndarray
    observed: np.ndarray   # minus the Hessian
    expected: np.ndarray   # Fisher information


class _MixedModel:
    """y = X beta + random effects + e; Var(y) = diag(vi) + sum_r theta_r G_r.

    ``components`` names each variance component's G: ``"row"`` (identity:
    one effect per row) or ``"study"`` (J: one effect per study).
    """

    def __init__(self, y, vi, X, groups: _Groups, components):
        self.y, self.vi, self.X, self.groups = y, vi, X, groups
        self.components = tuple(components)
        self.k, self.p = X.shape
        self._logdet_xx = np.linalg.slogdet(X.T @ X)[1]

    # -- covariance ----------------------------------------------------------
    def covariance(self, theta) -> _BlockCovariance:
        d = self.vi + sum(t for t, kind in zip(theta, self.components) if kind == "row")
        c = sum(t for t, kind in zip(theta, self.components) if kind == "study")
        return _BlockCovariance(self.groups, d, c)

    def _G(self, kind, Y):
        """G Y for G = identity ("row") or the per-study block of ones ("study")."""
        return Y if kind == "row" else self.groups.expand(self.groups.sum(Y))

    # -- log-likelihood (metafor's fit.stats "ll") -----------------------------
    def loglik_at(self, cov, fit: _GLS, reml):
        """ML:   -k/2 log(2 pi) - 1/2 log|M| - 1/2 RSS
        REML: -(k-p)/2 log(2 pi) + 1/2 log|X'X| - 1/2 log|M| - 1/2 log|X'WX| - 1/2 RSS
        (metafor rma.uni / rma.mv, including the log|X'X| term, REMLf = TRUE)."""
        if reml:
            return (-0.5 * (self.k - self.p) * np.log(2 * np.pi) + 0.5 * self._logdet_xx
                    - 0.5 * cov.logdet() - 0.5 * fit.logdet_xwx - 0.5 * fit.rss)
        return -0.5 * self.k * np.log(2 * np.pi) - 0.5 * cov.logdet() - 0.5 * fit.rss

    def loglik(self, theta, reml):
        cov = self.covariance(theta)
        return self.loglik_at(cov, _gls(self.y, self.X, cov), reml)

    # -- derivatives -------------------------------------------------------------
    def derivatives(self, theta, reml) -> _Derivatives:
        """Score and information for the variance components.

        With P = W - WX (X'WX)^-1 X'W and Py = P y:
          REML score_r     = -1/2 tr(P G_r) + 1/2 Py' G_r Py
          ML   score_r     = -1/2 tr(W G_r) + 1/2 Py' G_r Py
          expected info_rs = 1/2 tr(Q G_r Q G_s)            (Q = P for REML, W for ML)
          observed info_rs = -1/2 tr(Q G_r Q G_s) + (G_r Py)' P (G_s Py)
        (Harville 1977, JASA 72:320-338). Traces use tr(PG) = tr(WG) - tr(A X'WGWX)
        and tr(PGPH) = tr(WGWH) - 2 tr(A X'WGWHWX) + tr(A X'WGWX A X'WHWX),
        A = (X'WX)^-1, with tr(WG) and tr(WGWH) in closed form per study.
        """
        cov = self.covariance(theta)
        fit = _gls(self.y, self.X, cov)
        kinds = self.components
        m = len(kinds)
        A, WX = fit.vb, fit.WX

        w1 = cov.solve(np.ones(self.k))          # W 1: row sums of W (block by block)
        tr_wg = {"row": cov.trace(), "study": np.sum(w1)}
        tr_wgwh = {("row", "row"): cov.frobenius2(),
                   ("row", "study"): np.sum(w1**2),
                   ("study", "row"): np.sum(w1**2),
                   ("study", "study"): np.sum(self.groups.sum(w1) ** 2)}
        GWX = {kind: self._G(kind, WX) for kind in set(kinds)}
        B = {kind: WX.T @ GWX[kind] for kind in GWX}      # X'W G W X

        def P(v):  # P v = W v - WX A X'W v
            return cov.solve(v) - WX @ (A @ (WX.T @ v))

        GPy = [self._G(kind, fit.Py) for kind in kinds]
        grad = np.empty(m)
        T = np.empty((m, m))
        quad = np.empty((m, m))
        for r, kr in enumerate(kinds):
            tr_g = tr_wg[kr] - np.sum(A * B[kr]) if reml else tr_wg[kr]
            grad[r] = 0.5 * (fit.Py @ GPy[r]) - 0.5 * tr_g
            PGPy_r = P(GPy[r])
            for s, ks in enumerate(kinds):
                t = tr_wgwh[(kr, ks)]
                if reml:
                    C = GWX[kr].T @ cov.solve(GWX[ks])        # X'W G W H W X
                    t += -2 * np.sum(A * C.T) + np.sum((A @ B[kr]) * (A @ B[ks]).T)
                T[r, s] = t
                quad[r, s] = PGPy_r @ GPy[s]
        quad = (quad + quad.T) / 2
        return _Derivatives(self.loglik_at(cov, fit, reml), grad, quad - T / 2, T / 2)

    # -- maximising the (restricted) likelihood ---------------------------------
    def start(self):
        """Starting values as metafor rma.mv: the residual variance of a
        fixed-effect fit beyond the typical sampling variance, split evenly."""
        fe = _gls(self.y, self.X, self.covariance(np.zeros(len(self.components))))
        resid = self.y - self.X @ fe.beta
        m = len(self.components)
        total = max(0.001 * m, np.var(resid, ddof=1) - 1 / np.mean(1 / self.vi))
        return np.full(m, total / m)

    def maximise(self, reml, theta=None):
        """Variance components maximising the (restricted) log-likelihood, >= 0.

        Newton's method with the observed information (Fisher scoring when that
        is not positive definite) and a backtracking line search, so that the
        likelihood never decreases. One step may shrink a component by at most
        90%: the search cannot jump over an interior peak to the boundary (an ML
        likelihood can have a second, lower peak at 0). A component that has
        shrunk below BOUNDARY * scale is set to exactly 0 if that does not lower
        the likelihood, and stays at 0 while the score pushes it below (the
        boundary optimum). Stops when no component changes by more than
        TOL * (scale + largest component), scale = mean(vi).
        """
        theta = self.start() if theta is None else np.asarray(theta, dtype=float)
        scale = np.mean(self.vi)
        for _ in range(MAX_ITER):
            der = self.derivatives(theta, reml)
            free = (theta > 0) | (der.grad > 0)
            if not free.any():
                return theta
            new = self._snap_to_zero(self._step(theta, der, free, reml), scale, reml)
            change = np.max(np.abs(new - theta))
            theta = new
            if change <= TOL * (scale + np.max(theta)):
                return theta
        raise RuntimeError("the likelihood maximisation did not converge in "
                           f"{MAX_ITER} iterations; the variance components are not identified")

    def _step(self, theta, der, free, reml):
        f = np.flatnonzero(free)
        directions = []
        for info in (der.observed, der.expected):
            H = info[np.ix_(f, f)]
            if np.all(np.linalg.eigvalsh(H) > 0):
                directions.append(np.linalg.solve(H, der.grad[f]))
        directions.append(der.grad[f] / np.diag(der.expected)[f])   # scaled gradient ascent
        floor = der.loglik - 1e-13 * (1 + abs(der.loglik))
        for direction in directions:
            step = np.zeros_like(theta)
            step[f] = direction
            shrinking = (theta > 0) & (step < 0)
            t = min(1.0, np.min(0.9 * theta[shrinking] / -step[shrinking], initial=1.0))
            for _ in range(60):
                new = np.maximum(theta + t * step, 0.0)
                if self.loglik(new, reml) >= floor:
                    return new
                t /= 2
        return theta

    def _snap_to_zero(self, theta, scale, reml):
        tiny = (theta > 0) & (theta < BOUNDARY * scale)
        if tiny.any():
            at_zero = np.where(tiny, 0.0, theta)
            ll = self.loglik(theta, reml)
            if self.loglik(at_zero, reml) >= ll - 1e-13 * (1 + abs(ll)):
                return at_zero
        return theta


# ==========================================================================
# 4. From a fitted model to the numbers metafor prints
# ==========================================================================
@dataclass
class _Fit:
    theta: np.ndarray
    beta: np.ndarray
    vb: np.ndarray
    se: np.ndarray
    stat: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    df: float | None
    crit: float
    qm: float
    qm_df: int
    qm_p: float
    qe: float
    qe_df: int
    qe_p: float
    typical_vi: float      # (k - p) / tr(P_FE): the "typical" sampling variance s^2
    weights: np.ndarray    # percent
    ll_ml: float
    ll_reml: float


def _fixed_effect_q(model: _MixedModel):
    """Q_E = y'Py and tr(P) of the fixed-effect fit, W = diag(1/vi),
    P = W - WX (X'WX)^-1 X'W (metafor's heterogeneity test, rma.uni and rma.mv).

    (k - p) / tr(P) is the "typical" within-study variance s^2 used for I^2 and
    H^2; for an intercept-only model s^2 = (k - 1) sum(w) / ((sum w)^2 - sum(w^2))
    (Higgins & Thompson 2002, Stat Med 21:1539-1558)."""
    cov = model.covariance(np.zeros(len(model.components)))
    fe = _gls(model.y, model.X, cov)
    tr_p = cov.trace() - np.sum(fe.vb * (fe.WX.T @ fe.WX))
    return max(0.0, fe.rss), tr_p


def _infer(model: _MixedModel, theta, test, level, btt=None) -> _Fit:
    """Coefficients, tests and intervals at given variance components.

    test "z": normal; "t": t with k - p df; "knha": t with k - p df and the
    variance of beta multiplied by s2w = RSS / (k - p) (Knapp & Hartung 2003),
    without truncation at 1, as metafor's test = "knha" (test = "adhoc" truncates).
    """
    cov = model.covariance(theta)
    fit = _gls(model.y, model.X, cov)
    k, p = model.k, model.p
    vb = fit.vb
    if test == "knha":
        s2w = fit.rss / (k - p) if fit.rss > np.finfo(float).eps else 0.0
        vb = vb * s2w
    se = np.sqrt(np.diag(vb))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = fit.beta / se        # knha with zero residuals: se = 0, |stat| = inf (metafor too)
    if test == "z":
        df = None
        dist = stats.norm
    else:
        df = k - p
        dist = stats.t(df)
    p_val = 2 * dist.sf(np.abs(stat))
    crit = dist.ppf((1 + level) / 2)

    btt = np.arange(1, p) if btt is None else btt
    if len(btt) and not np.any(se[btt] == 0):
        b = fit.beta[btt]
        qm = float(b @ np.linalg.solve(vb[np.ix_(btt, btt)], b))
        m = len(btt)
        if test == "z":
            qm_p = stats.chi2.sf(qm, m)
        else:                   # F test, as metafor for test = "t" / "knha"
            qm = qm / m
            qm_p = stats.f.sf(qm, m, k - p)
    else:                       # no moderators, or a zero variance (metafor: QM is NA)
        qm, m, qm_p = np.nan, len(btt), np.nan

    qe, tr_p = _fixed_effect_q(model)
    w = cov.diag()             # metafor weights(): diagonal of W, in percent
    return _Fit(theta=np.asarray(theta, float), beta=fit.beta, vb=vb, se=se, stat=stat, p=p_val,
                ci_low=fit.beta - crit * se, ci_high=fit.beta + crit * se, df=df, crit=crit,
                qm=qm, qm_df=m, qm_p=qm_p, qe=qe, qe_df=k - p, qe_p=stats.chi2.sf(qe, k - p),
                typical_vi=(k - p) / tr_p, weights=100 * w / np.sum(w),
                ll_ml=model.loglik_at(cov, fit, reml=False), ll_reml=model.loglik_at(cov, fit, reml=True))


def _estimate_tau2(model: _MixedModel, method):
    """tau^2 of a univariate model (metafor rma.uni), truncated at 0.

    DL (DerSimonian & Laird 1986): (Q_E - (k - p)) / tr(P_FE).
    PM (Paule & Mandel 1982): the root of Q(tau^2) = k - p, Q the generalised
        Q statistic with weights 1/(vi + tau^2), found by Brent's method.
    REML / ML: maximum of the (restricted) likelihood (``maximise``).
    FE: 0.
    """
    k, p = model.k, model.p
    if method == "FE":
        return 0.0
    if method == "DL":
        qe, tr_p = _fixed_effect_q(model)
        return max(0.0, (qe - (k - p)) / tr_p)
    if method == "PM":
        def excess(tau2):
            return _gls(model.y, model.X, model.covariance([tau2])).rss - (k - p)
        if excess(0.0) <= 0:
            return 0.0
        high = max(np.mean(model.vi), 10 * np.var(model.y))
        while excess(high) > 0:
            high *= 10
        # xtol relative to the data's scale: a fixed 1e-15 would stop early on tiny variances
        return optimize.brentq(excess, 0.0, high, xtol=1e-15 * np.mean(model.vi),
                               rtol=4 * np.finfo(float).eps, maxiter=500)
    reml = method == "REML"
    tau2 = float(model.maximise(reml=reml, theta=[_hedges_tau2(model)])[0])
    # The likelihood can have a local maximum above a higher value at tau^2 = 0;
    # metafor then warns and sets tau^2 = 0 ("stuck at a local maximum"): so do we.
    if tau2 > 0 and model.loglik([0.0], reml) > model.loglik([tau2], reml) + 1e-10:
        warnings.warn("tau^2: the likelihood is higher at tau^2 = 0 than at the local maximum "
                      f"{tau2:.4g}; tau^2 is set to 0 (as metafor)", stacklevel=3)
        tau2 = 0.0
    return tau2


def _hedges_tau2(model: _MixedModel):
    """Hedges' (HE) estimate, where metafor rma.uni starts Fisher scoring:
    tau^2 = (RSS_OLS - sum vi (1 - h_ii)) / (k - p), h = diag of the hat matrix, >= 0."""
    X, y = model.X, model.y
    xtx_inv_xt = np.linalg.solve(X.T @ X, X.T)
    resid = y - X @ (xtx_inv_xt @ y)
    leverage = np.einsum("ij,ji->i", X, xtx_inv_xt)
    return max(0.0, (resid @ resid - np.sum(model.vi * (1 - leverage))) / (model.k - model.p))


# ==========================================================================
# 5. Input checks shared by the public functions
# ==========================================================================
MAX_SCALE = 1e60     # |yi| and sqrt(vi) above this: squares of variances overflow double precision
MIN_SCALE = 1e-30    # sqrt(vi) below this: the weights 1/vi and their powers overflow


def _check_effects(yi, vi, minimum_k=2):
    yi = as_float_array(yi, "yi")
    vi = as_float_array(vi, "vi")
    require_same_length(yi=yi, vi=vi)
    require_positive(vi, "vi")
    if yi.size < minimum_k:
        raise ValueError(f"yi must hold at least {minimum_k} effect sizes (studies); got {yi.size}")
    _check_scale(yi, vi)
    return yi, vi


def _check_scale(yi, vi):
    """The likelihood uses powers of the weights and variances up to the fourth
    (e.g. tr(W W) and tau^4); beyond these scales they overflow double
    precision and the fit fails with a misleading message. Rescaling
    (yi / c, vi / c^2) changes no conclusion, so ask for that."""
    big_y, big_v, small_v = np.max(np.abs(yi)), np.max(vi), np.min(vi)
    if big_y > MAX_SCALE or big_v > MAX_SCALE**2:
        what = f"yi reaches {big_y:.3g}" if big_y > MAX_SCALE else f"vi reaches {big_v:.3g}"
        raise ValueError(f"yi, vi: the scale is the problem: {what}, beyond what the model can compute "
                         f"in double precision (|yi| and sqrt(vi) must stay below {MAX_SCALE:g}). Rescale: "
                         "divide yi by a constant c and vi by c^2, then multiply estimates back by c.")
    if small_v < MIN_SCALE**2:
        raise ValueError(f"vi: the scale is the problem: vi goes down to {small_v:.3g}, so the weights 1/vi "
                         f"overflow in double precision (sqrt(vi) must stay above {MIN_SCALE:g}). Rescale: "
                         "multiply yi by a constant c and vi by c^2, then divide estimates by c.")


def _warn_fixed_knha(method, test):
    if method == "FE" and test == "knha":
        warnings.warn("the Knapp-Hartung method is not meant for fixed-effects models (as metafor warns)",
                      stacklevel=3)


def _nested_groups(study, outcome, k):
    """Study groups for the three-level model; each (study, outcome) pair must be unique."""
    study = as_labels(study, "study", k)
    groups = _Groups(study)
    if groups.n < 2:
        raise ValueError(f"study must contain at least 2 different studies; all {k} effects are from "
                         f"study {groups.labels[0]!r}")
    if np.all(groups.sizes == 1):
        raise ValueError(
            "study: every study contributes a single effect, so the between- and within-study "
            "variances cannot be told apart (metafor splits their sum evenly, an artefact of its "
            "starting values). Fit random_effects(yi, vi) instead.")
    if outcome is not None:
        outcome = as_labels(outcome, "outcome", k)
        dup = pd.DataFrame({"s": study, "o": outcome}).duplicated().to_numpy()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            raise ValueError(f"outcome {outcome[i]!r} appears twice in study {study[i]!r} "
                             f"(position {i}); each outcome label must be unique within its study")
    return study, outcome, groups


# ==========================================================================
# 6. Printing
# ==========================================================================
def _fmt(x, digits=4):
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "NA"
    return f"{x:.{digits}f}"


def _fmt_p(p):
    return "<.0001" if p < 1e-4 else f"{p:.4f}"


def _p_text(p):
    """'p-val < .0001' or 'p-val = 0.0371', as metafor prints it."""
    return "p-val < .0001" if p < 1e-4 else f"p-val = {p:.4f}"


def _stars(p):
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else "." if p < 0.1 else ""


def _coef_table(names, fit: _Fit):
    return pd.DataFrame({"estimate": fit.beta, "se": fit.se, "stat": fit.stat, "p": fit.p,
                         "ci_low": fit.ci_low, "ci_high": fit.ci_high}, index=pd.Index(names, name="term"))


def _coef_text(table: pd.DataFrame, stat_name):
    rows = [["", "estimate", "se", stat_name, "pval", "ci.lb", "ci.ub", ""]]
    for name, r in table.iterrows():
        rows.append([str(name), _fmt(r["estimate"]), _fmt(r["se"]), _fmt(r.iloc[2]), _fmt_p(r["p"]),
                     _fmt(r["ci_low"]), _fmt(r["ci_high"]), _stars(r["p"])])
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:-1], widths[1:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _stat_name(test):
    return "zval" if test == "z" else "tval"


def _estimate_table(result):
    """The one-row coefficient table of an intercept-only model."""
    return pd.DataFrame({"estimate": [result.estimate], "se": [result.se], "stat": [result.stat],
                         "p": [result.p], "ci_low": [result.ci_low], "ci_high": [result.ci_high]},
                        index=pd.Index(["estimate"], name="term"))


def _html(title, lines, table: pd.DataFrame):
    body = "".join(f"<li>{escape(line)}</li>" for line in lines if line)
    return (f"<div><p><strong>{escape(title)}</strong></p><ul style='list-style:none;padding-left:0'>"
            f"{body}</ul>{table.to_html(float_format=lambda v: f'{v:.4f}')}</div>")


# ==========================================================================
# 7. Univariate random-effects model
# ==========================================================================
@dataclass(repr=False)
class Estimate:
    """An estimate with its test and confidence interval: the fields every result
    with one main estimate shares (pooled, PET/PEESE intercept, selection model,
    cluster-robust test)."""
    estimate: float
    se: float
    stat: float
    p: float
    ci_low: float
    ci_high: float


@dataclass(repr=False)
class _PooledSummary(Estimate):
    """What the pooled-estimate results share: the estimate with its test, CI and
    prediction interval, and their printing (like metafor's print.rma): a header,
    the heterogeneity lines, the coefficient table and the prediction interval."""
    pi_low: float
    pi_high: float

    def _table(self):
        return _estimate_table(self)

    def _test_note(self) -> str:
        return "" if self.test == "z" else f" (t with {self.df} df)"

    def _prediction_line(self) -> str:
        return f"{100 * self.level:g}% prediction interval: [{_fmt(self.pi_low)}, {_fmt(self.pi_high)}]"

    def __str__(self):
        return "\n".join([self._header(), "", *self._lines(), "", f"Model results{self._test_note()}:", "",
                          _coef_text(self._table(), _stat_name(self.test)), "", self._prediction_line()])

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        return _html(self._header(), self._lines() + [self._prediction_line()], self._table())


@dataclass(repr=False)
class RandomEffectsResult(_PooledSummary):
    """A fitted univariate model (metafor ``rma``). Percentages are 0-100."""
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
            lines += [f"tau^2 (estimated amount of total heterogeneity): {_fmt(self.tau2)}",
                      f"tau (square root of estimated tau^2 value):      {_fmt(self.tau)}"]
        lines += [f"I^2 (total heterogeneity / total variability):   {self.i2:.2f}%",
                  f"H^2 (total variability / sampling variability):  {self.h2:.2f}",
                  "",
                  f"Test for heterogeneity: Q(df = {self.q_df}) = {_fmt(self.q)}, {_p_text(self.q_p)}"]
        return lines

    def _test_note(self) -> str:
        return f" (Knapp-Hartung, t with {self.df} df)" if self.test == "knha" else super()._test_note()

    def to_frame(self) -> pd.DataFrame:
        """One-row summary table."""
        cols = ["estimate", "se", "stat", "p", "ci_low", "ci_high", "pi_low", "pi_high", "tau2", "tau",
                "i2", "h2", "q", "q_df", "q_p", "k", "method", "test"]
        return pd.DataFrame([{c: getattr(self, c) for c in cols}], index=pd.Index([self.method], name="model"))

    def study_table(self) -> pd.DataFrame:
        """One row per study: label, yi, vi, se, 95% CI and weight (percent)."""
        se = np.sqrt(self.vi)
        z = stats.norm.ppf((1 + self.level) / 2)
        return pd.DataFrame({"label": self.labels, "yi": self.yi, "vi": self.vi, "se": se,
                             "ci_low": self.yi - z * se, "ci_high": self.yi + z * se,
                             "weight": self.weights})


def random_effects(yi, vi, method="REML", test="z", labels=None, level=0.95) -> RandomEffectsResult:
    """Pool effect sizes: metafor ``rma(yi, vi, method = method, test = test)``.

    Model: yi = mu + u_i + e_i, u_i ~ N(0, tau^2), e_i ~ N(0, vi).
    Estimate mu_hat = sum(w yi) / sum(w), w = 1/(vi + tau^2), se = sqrt(1/sum(w)).

    method: "REML" (default), "DL", "PM", "ML" or "FE" (tau^2 = 0).
    test:   "z" (normal), "knha" (Knapp-Hartung: t with k-1 df, se scaled by
            sqrt(sum(w (yi - mu)^2) / (k - 1)), not truncated) or "t".
    I^2 = 100 tau^2 / (tau^2 + s^2), H^2 = (tau^2 + s^2) / s^2 with the typical
    within-study variance s^2 = (k-1) sum(w) / ((sum w)^2 - sum(w^2)), w = 1/vi
    (for FE: I^2 = (Q - (k-1)) / Q, H^2 = Q / (k-1)). Prediction interval as
    metafor's predict(): mu -/+ crit sqrt(se^2 + tau^2), crit from N(0,1) for
    test "z" and t(k-1) otherwise. Weights are percentages of sum(w).
    """
    yi, vi = _check_effects(yi, vi)
    require_choice(method, "method", UNIVARIATE_METHODS)
    require_choice(test, "test", ("z", "knha", "t"))
    level = require_level(level)
    k = yi.size
    labels = np.array([f"Study {i + 1}" for i in range(k)], dtype=object) if labels is None \
        else as_labels(labels, "labels", k)

    _warn_fixed_knha(method, test)
    model = _MixedModel(yi, vi, np.ones((k, 1)), _Groups.singletons(k), ["row"])
    tau2 = _estimate_tau2(model, method)
    fit = _infer(model, [tau2], test, level, btt=np.array([0]))
    pred_se = np.sqrt(fit.se[0] ** 2 + tau2)
    if method == "FE":
        i2 = max(0.0, 100 * (fit.qe - (k - 1)) / fit.qe) if fit.qe > 0 else 0.0
        h2 = fit.qe / (k - 1)
    else:
        i2 = 100 * tau2 / (fit.typical_vi + tau2)
        h2 = tau2 / fit.typical_vi + 1
    return RandomEffectsResult(
        estimate=float(fit.beta[0]), se=float(fit.se[0]), stat=float(fit.stat[0]), p=float(fit.p[0]),
        ci_low=float(fit.ci_low[0]), ci_high=float(fit.ci_high[0]),
        pi_low=float(fit.beta[0] - fit.crit * pred_se), pi_high=float(fit.beta[0] + fit.crit * pred_se),
        tau2=float(tau2), tau=float(np.sqrt(tau2)), i2=float(i2), h2=float(h2),
        q=float(fit.qe), q_df=k - 1, q_p=float(fit.qe_p), k=k, weights=fit.weights,
        yi=yi, vi=vi, labels=labels, method=method, test=test, df=fit.df, level=level,
        loglik=float(fit.ll_reml if method == "REML" else fit.ll_ml))


# ==========================================================================
# 8. Three-level model
# ==========================================================================
def _multilevel_i2(sigma2, typical_vi):
    """I^2 per level (metafor web site, "I^2 for multilevel and multivariate
    models"): 100 sigma2_l / (sum(sigma2) + (k - p) / tr(P)), W = diag(1/vi),
    P = W - W X (X'WX)^-1 X'W."""
    return 100 * np.asarray(sigma2) / (np.sum(sigma2) + typical_vi)


@dataclass(repr=False)
class ThreeLevelResult(_PooledSummary):
    """A fitted three-level model (metafor ``rma.mv`` with ~ 1 | study/outcome).

    sigma2 = [between-study, within-study] variance; I^2 values in percent.
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
        return [f"sigma^2 between studies: {_fmt(sb)} (sd {_fmt(np.sqrt(sb))}), I^2 = {self.i2_between:.2f}%",
                f"sigma^2 within studies:  {_fmt(sw)} (sd {_fmt(np.sqrt(sw))}), I^2 = {self.i2_within:.2f}%",
                f"I^2 total: {self.i2_total:.2f}%",
                f"log-likelihood ({self.method}): {_fmt(self.loglik)}",
                "",
                f"Test for heterogeneity: Q(df = {self.q_df}) = {_fmt(self.q)}, {_p_text(self.q_p)}"]

    def to_frame(self) -> pd.DataFrame:
        """One-row summary table."""
        row = {c: getattr(self, c) for c in ["estimate", "se", "stat", "p", "ci_low", "ci_high",
                                             "pi_low", "pi_high"]}
        row.update(sigma2_between=self.sigma2[0], sigma2_within=self.sigma2[1], i2_between=self.i2_between,
                   i2_within=self.i2_within, i2_total=self.i2_total, q=self.q, q_df=self.q_df, q_p=self.q_p,
                   loglik=self.loglik, k=self.k, n_studies=self.n_studies, method=self.method)
        return pd.DataFrame([row], index=pd.Index([self.method], name="model"))


def three_level(yi, vi, study, outcome=None, method="REML", test="z", level=0.95) -> ThreeLevelResult:
    """Three-level meta-analysis: metafor ``rma.mv(yi, vi, random = ~ 1 | study/outcome)``.

    Model: y_ij = mu + u_j + w_ij + e_ij with u_j ~ N(0, sigma2_between) shared
    by all outcomes of study j, w_ij ~ N(0, sigma2_within), e_ij ~ N(0, vi).
    Variance components by REML (default) or ML, to the exact optimum; a
    component whose optimum is 0 is reported as exactly 0.

    Q is metafor's Q_E with fixed-effect weights 1/vi; I^2 per level by the
    multilevel formula (see ``_multilevel_i2``); loglik is metafor's logLik;
    the prediction interval is mu -/+ crit sqrt(se^2 + sum(sigma2)).
    ``outcome`` labels need only be unique within a study (default: one per row).
    test: "z" or "t" (t with k - 1 df, as rma.mv test = "t").

    A study list in which every study has a single outcome is rejected: then
    only the sum of the two variances is identified (use ``random_effects``).
    """
    yi, vi = _check_effects(yi, vi)
    require_choice(method, "method", THREE_LEVEL_METHODS)
    require_choice(test, "test", ("z", "t"))
    level = require_level(level)
    k = yi.size
    study, outcome, groups = _nested_groups(study, outcome, k)
    model = _MixedModel(yi, vi, np.ones((k, 1)), groups, ["study", "row"])
    sigma2 = model.maximise(reml=(method == "REML"))
    fit = _infer(model, sigma2, test, level, btt=np.array([0]))
    i2 = _multilevel_i2(sigma2, fit.typical_vi)
    pred_se = np.sqrt(fit.se[0] ** 2 + np.sum(sigma2))
    return ThreeLevelResult(
        estimate=float(fit.beta[0]), se=float(fit.se[0]), stat=float(fit.stat[0]), p=float(fit.p[0]),
        ci_low=float(fit.ci_low[0]), ci_high=float(fit.ci_high[0]),
        pi_low=float(fit.beta[0] - fit.crit * pred_se), pi_high=float(fit.beta[0] + fit.crit * pred_se),
        sigma2=sigma2, q=float(fit.qe), q_df=k - 1, q_p=float(fit.qe_p),
        loglik=float(fit.ll_reml if method == "REML" else fit.ll_ml),
        i2_between=float(i2[0]), i2_within=float(i2[1]), i2_total=float(np.sum(i2)),
        k=k, n_studies=groups.n, yi=yi, vi=vi, study=study, outcome=outcome,
        method=method, test=test, df=fit.df, level=level, weights=fit.weights)


# ==========================================================================
# 9. Aggregation within clusters
# ==========================================================================
def aggregate(yi, vi, cluster, rho=0.6) -> pd.DataFrame:
    """One effect per cluster: metafor ``aggregate.escalc(struct = "CS", rho = rho)``.

    Within a cluster the effects are assumed correlated rho (compound symmetry):
    V = S R S, S = diag(sqrt(vi)), R = 1 on the diagonal and rho elsewhere.
    The aggregate is the inverse-variance weighted mean using W = V^-1:
    yi = 1'W y / 1'W 1 and vi = 1 / 1'W 1. Clusters in order of first appearance.
    """
    yi, vi = _check_effects(yi, vi, minimum_k=1)
    rho_arr = as_float_array(rho, "rho", ndim=0)
    require_in_range(np.atleast_1d(rho_arr), "rho", -1, 1, closed=False)
    rho = float(rho_arr)
    cluster = as_labels(cluster, "cluster", yi.size)
    groups = _Groups(cluster)
    # V = diag((1 - rho) vi) + rho s s', s = sqrt(vi): positive definite iff rho > -1/(n_j - 1)
    too_small = np.flatnonzero(1 + rho * groups.sizes / (1 - rho) <= 0)
    if too_small.size:
        j = int(too_small[0])
        raise ValueError(f"rho = {rho} makes the covariance matrix of cluster {groups.labels[j]!r} "
                         f"({groups.sizes[j]} effects) not positive definite; rho must exceed "
                         f"{-1 / (groups.sizes[j] - 1):.4f}")
    cov = _BlockCovariance(groups, (1 - rho) * vi, rho, u=np.sqrt(vi))
    sum_w = groups.sum(cov.solve(np.ones_like(yi)))
    sum_wy = groups.sum(cov.solve(yi))
    return pd.DataFrame({"cluster": groups.labels, "yi": sum_wy / sum_w, "vi": 1 / sum_w})


# ==========================================================================
# 10. Meta-regression
# ==========================================================================
@dataclass
class _Term:
    name: str
    kind: str              # "numeric" or "categorical"
    levels: list | None    # categorical: all levels, the first is the reference


def _columns(moderators):
    """Moderators as an ordered dict of named columns."""
    if isinstance(moderators, pd.DataFrame):
        return {str(c): moderators[c] for c in moderators.columns}
    if isinstance(moderators, pd.Series):
        return {str(moderators.name) if moderators.name is not None else "moderator": moderators}
    if isinstance(moderators, dict):
        return {str(k): v for k, v in moderators.items()}
    if isinstance(moderators, (str, bytes)) or moderators is None:
        raise ValueError("moderators must be a pandas DataFrame, a Series, a dict of columns or a "
                         f"1-D array; got {type(moderators).__name__}")
    arr = np.asarray(moderators, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"moderators as an array must be one-dimensional, got shape {arr.shape}; "
                         "pass a DataFrame for several moderators")
    return {"moderator": moderators}


def _is_categorical(values):
    """Text, booleans, Categoricals and mixtures are categorical; numbers are not."""
    kind = pd.api.types.infer_dtype(values, skipna=True)
    return kind not in ("integer", "floating", "mixed-integer-float", "decimal", "empty")


def _missing(arr):
    """True where a value is None, NaN or NA."""
    return np.asarray(pd.isna(arr), dtype=bool)


def _r_sort_key(value):
    """Order of R's factor() levels in a UTF-8 locale, for text: letters compare
    case-insensitively first, and a lower-case letter precedes its capital
    ("a" < "A" < "b" < "B"; plain Python sorting gives "A" < "B" < "a" < "b").
    Non-text labels (booleans) sort by value, after grouping by type."""
    if isinstance(value, str):
        return (str(type(value)), value.casefold(), value.swapcase())
    return (str(type(value)), value, "")


def _design_terms(moderators, k):
    """Inspect the moderators: numeric or categorical, and each categorical's
    levels (a Categorical's own order, otherwise sorted as R's factor() does in a
    UTF-8 locale, see ``_r_sort_key``)."""
    terms = []
    for name, values in _columns(moderators).items():
        n = len(values)
        if n != k:
            raise ValueError(f"moderator {name!r} has {n} values but there are {k} effect sizes")
        if _is_categorical(values):
            arr = np.asarray(values, dtype=object)
            missing = np.flatnonzero(_missing(arr))
            if missing.size:
                raise ValueError(f"moderator {name!r} is missing a value at position {int(missing[0])}")
            if isinstance(values, (pd.Categorical, pd.Series)) and isinstance(
                    getattr(values, "dtype", None), pd.CategoricalDtype):
                present = set(arr)
                levels = [c for c in pd.Categorical(values).categories if c in present]
            else:
                levels = sorted(set(arr), key=_r_sort_key)
            if len(levels) < 2:
                raise ValueError(f"moderator {name!r} has a single category ({levels[0]!r}); it cannot "
                                 "explain differences between effects")
            terms.append(_Term(name, "categorical", levels))
        else:
            as_float_array(np.asarray(values), f"moderator {name!r}")
            terms.append(_Term(name, "numeric", None))
    return terms


def _design_matrix(terms, moderators, k):
    """Intercept, numeric columns, and treatment-coded dummies (first level = reference)."""
    cols = _columns(moderators)
    X = [np.ones(k)]
    names = ["intercept"]
    for term in terms:
        if term.name not in cols:
            raise ValueError(f"moderators is missing the column {term.name!r}")
        values = cols[term.name]
        if len(values) != k:
            raise ValueError(f"moderator {term.name!r} has {len(values)} values, expected {k}")
        if term.kind == "numeric":
            X.append(as_float_array(np.asarray(values), f"moderator {term.name!r}"))
            names.append(term.name)
        else:
            arr = np.asarray(values, dtype=object)
            unknown = np.flatnonzero(_missing(arr) | ~pd.Series(arr).isin(term.levels).to_numpy())
            if unknown.size:
                i = int(unknown[0])
                raise ValueError(f"moderator {term.name!r} has the unknown category {arr[i]!r} at "
                                 f"position {i}; known: {term.levels}")
            for level in term.levels[1:]:
                X.append((arr == level).astype(float))
                names.append(f"{term.name}[{level}]")
    return np.column_stack(X), names


@dataclass(repr=False)
class RegressionResult:
    """A fitted meta-regression (metafor ``rma``/``rma.mv`` with ``mods``)."""
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
    model: str                      # "univariate" or "three_level"
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
                for name, v in _columns(new_moderators).items()}
        sizes = {len(v) for v in cols.values()}
        if len(sizes) != 1:
            raise ValueError("new_moderators: all columns must have the same length")
        X, _ = _design_matrix(self._terms, cols, sizes.pop())
        beta = self.coefficients["estimate"].to_numpy()
        pred = X @ beta
        se = np.sqrt(np.einsum("ij,jk,ik->i", X, self._vb, X))
        extra = self.tau2 if self.model == "univariate" else float(np.sum(self.sigma2))
        pi_se = np.sqrt(se**2 + extra)
        return pd.DataFrame({"pred": pred, "se": se, "ci_low": pred - self._crit * se,
                             "ci_high": pred + self._crit * se, "pi_low": pred - self._crit * pi_se,
                             "pi_high": pred + self._crit * pi_se})

    def _header(self):
        if self.model == "univariate":
            kind = "Fixed-effects" if self.method == "FE" else "Mixed-effects"
            return f"{kind} meta-regression (k = {self.k}; method: {self.method})"
        return (f"Three-level meta-regression (k = {self.k} outcomes in {self.n_studies} studies; "
                f"method: {self.method})")

    def _lines(self):
        if self.model == "univariate":
            lines = [] if self.method == "FE" else [
                f"tau^2 (estimated amount of residual heterogeneity): {_fmt(self.tau2)}"]
            lines += [f"I^2 (residual heterogeneity / unaccounted variability): {self.i2:.2f}%"]
        else:
            lines = [f"sigma^2 between studies: {_fmt(self.sigma2[0])}",
                     f"sigma^2 within studies:  {_fmt(self.sigma2[1])}"]
        if self.test == "z":
            qm = f"QM(df = {self.qm_df}) = {_fmt(self.qm)}"
        else:
            qm = f"F(df1 = {self.qm_df}, df2 = {self.df}) = {_fmt(self.qm)}"
        return lines + ["",
                        f"Test for residual heterogeneity: QE(df = {self.qe_df}) = {_fmt(self.qe)}, "
                        f"{_p_text(self.qe_p)}",
                        f"Test of moderators (coefficients 2:{self.qm_df + 1}): {qm}, {_p_text(self.qm_p)}"]

    def __str__(self):
        test = {"z": "", "knha": f" (Knapp-Hartung, t with {self.df} df)"}.get(self.test, f" (t with {self.df} df)")
        return "\n".join([self._header(), "", *self._lines(), "", f"Model results{test}:", "",
                          _coef_text(self.coefficients, _stat_name(self.test))])

    __repr__ = __str__

    def _repr_html_(self):
        return _html(self._header(), self._lines(), self.coefficients)

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table."""
        return self.coefficients.copy()


def regression(yi, vi, moderators, method="REML", study=None, outcome=None, test="z",
               level=0.95) -> RegressionResult:
    """Meta-regression: y = X beta + random effects + e.

    Without ``study``: metafor ``rma(yi, vi, mods = X, method = method, test = test)``
    (method REML, DL, PM, ML or FE; test "z", "knha" or "t"). With ``study``
    (and optionally ``outcome``): the three-level model
    ``rma.mv(yi, vi, mods = X, random = ~ 1 | study/outcome)`` (method REML or
    ML; test "z" or "t").

    ``moderators``: a DataFrame, Series, dict of columns or a 1-D array.
    Text, boolean or Categorical columns become treatment-coded dummies with
    the first level (sorted as R's factor() in a UTF-8 locale: case-insensitive,
    "a" before "A" before "b"; or the Categorical's order) as reference. The omnibus QM test covers every coefficient but the intercept
    (chi-square; an F test when test is "knha" or "t"); QE tests the residual
    heterogeneity with fixed-effect weights 1/vi.
    """
    three = study is not None
    yi, vi = _check_effects(yi, vi)
    k = yi.size
    if three:
        require_choice(method, "method", THREE_LEVEL_METHODS)
        require_choice(test, "test", ("z", "t"))
    else:
        if outcome is not None:
            raise ValueError("outcome needs study: give the study of each outcome for a three-level model")
        require_choice(method, "method", UNIVARIATE_METHODS)
        require_choice(test, "test", ("z", "knha", "t"))
        _warn_fixed_knha(method, test)
    level = require_level(level)
    terms = _design_terms(moderators, k)
    X, names = _design_matrix(terms, moderators, k)
    p = X.shape[1]
    if np.linalg.matrix_rank(X) < p:
        raise ValueError(f"moderators: the design matrix ({', '.join(names)}) is not of full rank; "
                         "a moderator is constant or a combination of the others")
    if k <= p:
        raise ValueError(f"yi: {k} effect sizes cannot estimate {p} coefficients and the residual "
                         "heterogeneity; use fewer moderators")

    if three:
        _, _, groups = _nested_groups(study, outcome, k)
        model = _MixedModel(yi, vi, X, groups, ["study", "row"])
        theta = model.maximise(reml=(method == "REML"))
    else:
        groups = _Groups.singletons(k)
        model = _MixedModel(yi, vi, X, groups, ["row"])
        theta = np.array([_estimate_tau2(model, method)])
    fit = _infer(model, theta, test, level)
    coef = _coef_table(names, fit)
    result = RegressionResult(
        coefficients=coef, qm=float(fit.qm), qm_df=fit.qm_df, qm_p=float(fit.qm_p),
        qe=float(fit.qe), qe_df=fit.qe_df, qe_p=float(fit.qe_p),
        tau2=None if three else float(theta[0]), sigma2=theta if three else None, k=k,
        method=method, test=test, df=fit.df, level=level, model="three_level" if three else "univariate",
        n_studies=groups.n if three else None,
        loglik=float(fit.ll_reml if method == "REML" else fit.ll_ml),
        _terms=terms, _vb=fit.vb, _crit=float(fit.crit))
    if not three:
        if method == "FE":
            result.i2 = max(0.0, 100 * (fit.qe - (k - p)) / fit.qe) if fit.qe > 0 else 0.0
            result.h2 = fit.qe / (k - p)
        else:
            result.i2 = 100 * theta[0] / (fit.typical_vi + theta[0])
            result.h2 = theta[0] / fit.typical_vi + 1
    return result


# ==========================================================================
# 11. Diagnostics and robust inference (implemented in their own modules)
# ==========================================================================
def influence(fit) -> pd.DataFrame:
    """Case diagnostics (metafor ``influence``); see :func:`utils.influence.influence`."""
    from .influence import influence as diagnostics
    return diagnostics(fit)


def baujat(fit) -> pd.DataFrame:
    """Baujat plot coordinates (metafor ``baujat``); see :func:`utils.influence.baujat`."""
    from .influence import baujat as coordinates
    return coordinates(fit)


def gosh(fit, subsets=None, seed=1) -> pd.DataFrame:
    """The model on subsets of studies (metafor ``gosh``); see :func:`utils.influence.gosh`."""
    from .influence import gosh as subset_fits
    return subset_fits(fit, subsets=subsets, seed=seed)


def robust(fit, cluster, level=None):
    """CR2 cluster-robust test of the estimate (metafor ``robust(clubSandwich = TRUE)``);
    see :func:`utils.robust.robust`."""
    from .robust import robust as cluster_robust
    return cluster_robust(fit, cluster, level=level)
