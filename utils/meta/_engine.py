"""The numerical engine behind :mod:`utils.meta`: the linear mixed model with
known sampling variances, its (restricted) likelihood, Fisher scoring, and the
block algebra that makes it fast. Nothing here is meant for a notebook; the
public functions and their results are in :mod:`utils.meta`.

One model underlies every function of utils.meta:

    y = X beta + (random effects) + e,    Var(y) = M = diag(vi) + sum_r theta_r G_r

where each variance component theta_r either adds one random effect per row
(G = identity; tau^2, or the within-study sigma^2) or one per study
(G = J, a block of ones per study; the between-study sigma^2). A pooled
estimate is the intercept-only case, X = a column of ones.

M is block-diagonal, one block per study: diag(d) + c 11'. Its inverse and
log-determinant have closed forms (Sherman-Morrison), so the likelihood and
its derivatives are sums over studies computed all at once (no k x k matrix):
100,000 outcomes fit in about a second.

References
----------
Harville DA (1977). Maximum likelihood approaches to variance component
    estimation and to related problems. J Am Stat Assoc 72:320-338.
Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators
    in the random-effects model. J Educ Behav Stat 30:261-293 (REML, ML, Fisher scoring).
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    J Stat Softw 36(3) (rma.uni, rma.mv: the numbers reproduced here).
DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Control Clin
    Trials 7:177-188.
Paule RC, Mandel J (1982). Consensus values and weighting factors. J Res Natl
    Bur Stand 87:377-385.
Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression
    with a single covariate. Stat Med 22:2693-2710.
Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis.
    Stat Med 21:1539-1558 (I^2, H^2, the typical within-study variance).
Sherman J, Morrison WJ (1950). Adjustment of an inverse matrix corresponding to a
    change in one element of a given matrix. Ann Math Stat 21:124-127.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, special

from ..lazy import lazy_import
from .._printing import Test
from ..validation import as_labels

# scipy.optimize, scipy.sparse: imported on first use, to keep a lesson's set-up cell quick. The tests' p-values and
# critical values come from scipy.special, whose functions scipy.stats' norm, t, chi2 and f call: the same numbers
# without importing scipy.stats (about 45 MB in each learner's kernel) or building a distribution object each time
# (about 5 ms for a t)
optimize = lazy_import("scipy.optimize")
sparse = lazy_import("scipy.sparse")


TOL = 1e-12          # convergence: change in a variance component, relative to the data's scale
BOUNDARY = 1e-10     # a variance component below BOUNDARY * mean(vi) is tried at exactly 0
MAX_ITER = 200


# ==========================================================================
# 1. Studies (clusters) and the block-diagonal covariance matrix
# ==========================================================================
class Groups:
    """Which study (cluster) each row belongs to; sums rows within studies.

    Attributes
    ----------
    codes : numpy.ndarray
        The study number (0 .. n-1) of each row.
    labels : numpy.ndarray
        The n study labels.
    n : int
        Number of studies.
    sizes : numpy.ndarray
        Rows per study.
    """

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


class BlockCovariance:
    """M = block-diagonal with block j = diag(d_j) + c_j u_j u_j'.

    Sherman-Morrison gives the inverse W = M^-1 block by block,
        W_j = diag(e) - gamma_j a a',   e = 1/d,  a = e u,
        gamma_j = c_j / (1 + c_j sum(u a)),
    and the log-determinant, log|M| = sum log d + sum_j log(1 + c_j sum(u a)).
    d has one value per row (vi plus the per-row components), c one per study
    (or one for all). The likelihood uses u = 1 (the default); ``aggregate``
    uses u = sqrt(vi).
    """

    def __init__(self, groups: Groups, d, c, u=None):
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
class GLS:
    """Generalised least squares at a given covariance M, W = M^-1 (from :func:`gls`).

    Attributes
    ----------
    beta : numpy.ndarray
        (X'WX)^-1 X'W y.
    vb : numpy.ndarray
        (X'WX)^-1, the covariance of beta.
    WX : numpy.ndarray
        W X.
    Py : numpy.ndarray
        P y = W (y - X beta), P = W - WX (X'WX)^-1 X'W.
    rss : float
        (y - X beta)' W (y - X beta) = y'Py.
    logdet_xwx : float
        log|X'WX|, for the REML likelihood.
    """

    beta: np.ndarray
    vb: np.ndarray
    WX: np.ndarray
    Py: np.ndarray
    rss: float
    logdet_xwx: float


def gls(y, X, cov: BlockCovariance) -> GLS:
    """Weighted least squares with covariance M: beta = (X'WX)^-1 X'Wy, W = M^-1.

    X'WX is inverted through its Cholesky factor, which also gives
    log|X'WX| = 2 sum log diag(L).
    """
    WX = cov.solve(X)
    xwx = X.T @ WX
    chol = linalg.cho_factor(xwx, lower=True)
    vb = linalg.cho_solve(chol, np.eye(X.shape[1]))
    beta = vb @ (WX.T @ y)
    resid = y - X @ beta
    Py = cov.solve(resid)
    return GLS(beta, vb, WX, Py, float(resid @ Py), 2.0 * np.sum(np.log(np.diag(chol[0]))))


# ==========================================================================
# 3. The mixed model: likelihood, derivatives and the variance components
# ==========================================================================
@dataclass
class Derivatives:
    """The (restricted) log-likelihood and its derivatives at one theta (:meth:`MixedModel.derivatives`).

    Attributes
    ----------
    loglik : float
        The log-likelihood.
    grad : numpy.ndarray
        The score, d loglik / d theta_r.
    observed : numpy.ndarray
        The observed information (minus the Hessian).
    expected : numpy.ndarray
        The expected (Fisher) information.
    """

    loglik: float
    grad: np.ndarray
    observed: np.ndarray   # minus the Hessian
    expected: np.ndarray   # Fisher information


class MixedModel:
    """y = X beta + random effects + e; Var(y) = diag(vi) + sum_r theta_r G_r.

    ``components`` names each variance component's G: ``"row"`` (identity:
    one effect per row) or ``"study"`` (J: one effect per study).
    """

    def __init__(self, y, vi, X, groups: Groups, components):
        self.y, self.vi, self.X, self.groups = y, vi, X, groups
        self.components = tuple(components)
        self.k, self.p = X.shape
        self._logdet_xx = np.linalg.slogdet(X.T @ X)[1]

    # -- covariance ----------------------------------------------------------
    def covariance(self, theta) -> BlockCovariance:
        d = self.vi + sum(t for t, kind in zip(theta, self.components) if kind == "row")
        c = sum(t for t, kind in zip(theta, self.components) if kind == "study")
        return BlockCovariance(self.groups, d, c)

    def _G(self, kind, Y):
        """G Y for G = identity ("row") or the per-study block of ones ("study")."""
        return Y if kind == "row" else self.groups.expand(self.groups.sum(Y))

    # -- log-likelihood (metafor's fit.stats "ll") -----------------------------
    def loglik_at(self, cov, fit: GLS, reml):
        """ML:   -k/2 log(2 pi) - 1/2 log|M| - 1/2 RSS
        REML: -(k-p)/2 log(2 pi) + 1/2 log|X'X| - 1/2 log|M| - 1/2 log|X'WX| - 1/2 RSS
        (metafor rma.uni / rma.mv, including the log|X'X| term, REMLf = TRUE)."""
        if reml:
            return (-0.5 * (self.k - self.p) * np.log(2 * np.pi) + 0.5 * self._logdet_xx
                    - 0.5 * cov.logdet() - 0.5 * fit.logdet_xwx - 0.5 * fit.rss)
        return -0.5 * self.k * np.log(2 * np.pi) - 0.5 * cov.logdet() - 0.5 * fit.rss

    def loglik(self, theta, reml):
        cov = self.covariance(theta)
        return self.loglik_at(cov, gls(self.y, self.X, cov), reml)

    # -- derivatives -------------------------------------------------------------
    def derivatives(self, theta, reml) -> Derivatives:
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
        fit = gls(self.y, self.X, cov)
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
        return Derivatives(self.loglik_at(cov, fit, reml), grad, quad - T / 2, T / 2)

    # -- maximising the (restricted) likelihood ---------------------------------
    def start(self):
        """Starting values as metafor rma.mv: the residual variance of a
        fixed-effect fit beyond the typical sampling variance, split evenly."""
        fe = gls(self.y, self.X, self.covariance(np.zeros(len(self.components))))
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
class Fit:
    """A model evaluated at its variance components, in metafor's terms (from :func:`infer`).

    Attributes
    ----------
    theta : numpy.ndarray
        The variance components.
    beta, vb, se : numpy.ndarray
        Coefficients, their covariance and standard errors.
    stat, p, ci_low, ci_high : numpy.ndarray
        z or t statistics, two-sided p-values and confidence limits.
    df : float or None
        Degrees of freedom of the t tests (None for z tests).
    crit : float
        The critical value of the intervals.
    moderators : Test
        Omnibus test of the coefficients in btt (QM; NaN when there are none).
    residual : Test
        Q_E, the test of (residual) heterogeneity, df = k - p.
    typical_vi : float
        (k - p) / tr(P_FE): the "typical" sampling variance s^2.
    weights : numpy.ndarray
        Weights in percent.
    ll_ml, ll_reml : float
        The ML and REML log-likelihoods.
    """

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
    moderators: Test
    residual: Test
    typical_vi: float
    weights: np.ndarray
    ll_ml: float
    ll_reml: float


def fixed_effect_q(model: MixedModel):
    """Q_E = y'Py and tr(P) of the fixed-effect fit (metafor's heterogeneity test, rma.uni and rma.mv).

    W = diag(1/vi) and P = W - WX (X'WX)^-1 X'W. (k - p) / tr(P) is the
    "typical" within-study variance s^2 used for I^2 and H^2; for an
    intercept-only model s^2 = (k - 1) sum(w) / ((sum w)^2 - sum(w^2)).
    """
    cov = model.covariance(np.zeros(len(model.components)))
    fe = gls(model.y, model.X, cov)
    tr_p = cov.trace() - np.sum(fe.vb * (fe.WX.T @ fe.WX))
    return max(0.0, fe.rss), tr_p


def _chi2_sf(x, df):
    """P(chi-square with ``df`` degrees of freedom > x), as scipy.stats.chi2.sf gives it (NaN when df < 1)."""
    return float(special.chdtrc(df, max(x, 0.0))) if df >= 1 else np.nan   # max: NaN stays NaN


def _f_sf(x, df1, df2):
    """P(F with df1, df2 degrees of freedom > x), as scipy.stats.f.sf gives it (NaN when a df < 1)."""
    return float(special.fdtrc(df1, df2, max(x, 0.0))) if df1 >= 1 and df2 >= 1 else np.nan


def infer(model: MixedModel, theta, test, level, btt=None) -> Fit:
    """Coefficients, tests and intervals at given variance components.

    test "z": normal; "t": t with k - p df; "knha": t with k - p df and the
    variance of beta multiplied by s2w = RSS / (k - p), without truncation at
    1, as metafor's test = "knha" (test = "adhoc" truncates). The omnibus test
    of the coefficients in ``btt`` (default: all but the intercept) is
    QM = b' V^-1 b, chi-square with m df for "z", QM / m on F(m, k - p) otherwise.
    """
    cov = model.covariance(theta)
    fit = gls(model.y, model.X, cov)
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
        p_val, crit = 2 * special.ndtr(-np.abs(stat)), special.ndtri((1 + level) / 2)
    else:
        df = k - p
        p_val, crit = 2 * special.stdtr(df, -np.abs(stat)), special.stdtrit(df, (1 + level) / 2)

    btt = np.arange(1, p) if btt is None else btt
    if len(btt) and not np.any(se[btt] == 0):
        b = fit.beta[btt]
        qm = float(b @ np.linalg.solve(vb[np.ix_(btt, btt)], b))
        m = len(btt)
        if test == "z":
            qm_p = _chi2_sf(qm, m)
        else:                   # F test, as metafor for test = "t" / "knha"
            qm = qm / m
            qm_p = _f_sf(qm, m, k - p)
    else:                       # no moderators, or a zero variance (metafor: QM is NA)
        qm, m, qm_p = np.nan, len(btt), np.nan

    qe, tr_p = fixed_effect_q(model)
    w = cov.diag()             # metafor weights(): diagonal of W, in percent
    return Fit(theta=np.asarray(theta, float), beta=fit.beta, vb=vb, se=se, stat=stat, p=p_val,
                ci_low=fit.beta - crit * se, ci_high=fit.beta + crit * se, df=df, crit=crit,
                moderators=Test(qm, m, qm_p), residual=Test(qe, k - p, _chi2_sf(qe, k - p)),
                typical_vi=(k - p) / tr_p, weights=100 * w / np.sum(w),
                ll_ml=model.loglik_at(cov, fit, reml=False), ll_reml=model.loglik_at(cov, fit, reml=True))


def estimate_tau2(model: MixedModel, method):
    """tau^2 of a univariate model (metafor rma.uni), truncated at 0.

    DL (DerSimonian & Laird 1986): (Q_E - (k - p)) / tr(P_FE).
    PM (Paule & Mandel 1982): the root of Q(tau^2) = k - p, Q the generalised
        Q statistic with weights 1/(vi + tau^2), found by Brent's method.
    REML / ML: maximum of the (restricted) likelihood (``maximise``), started
        at :func:`hedges_tau2`.
    FE: 0.
    """
    k, p = model.k, model.p
    if method == "FE":
        return 0.0
    if method == "DL":
        qe, tr_p = fixed_effect_q(model)
        return max(0.0, (qe - (k - p)) / tr_p)
    if method == "PM":
        def excess(tau2):
            return gls(model.y, model.X, model.covariance([tau2])).rss - (k - p)
        if excess(0.0) <= 0:
            return 0.0
        high = max(np.mean(model.vi), 10 * np.var(model.y))
        while excess(high) > 0:
            high *= 10
        # xtol relative to the data's scale: a fixed 1e-15 would stop early on tiny variances
        return optimize.brentq(excess, 0.0, high, xtol=1e-15 * np.mean(model.vi),
                               rtol=4 * np.finfo(float).eps, maxiter=500)
    reml = method == "REML"
    tau2 = float(model.maximise(reml=reml, theta=[hedges_tau2(model)])[0])
    # The likelihood can have a local maximum above a higher value at tau^2 = 0;
    # metafor then warns and sets tau^2 = 0 ("stuck at a local maximum"): so do we.
    if tau2 > 0 and model.loglik([0.0], reml) > model.loglik([tau2], reml) + 1e-10:
        warnings.warn("tau^2: the likelihood is higher at tau^2 = 0 than at the local maximum "
                      f"{tau2:.4g}; tau^2 is set to 0 (as metafor)", stacklevel=3)
        tau2 = 0.0
    return tau2


def hedges_tau2(model: MixedModel):
    """Hedges' (HE) estimate, where metafor rma.uni starts Fisher scoring.

    tau^2 = (RSS_OLS - sum vi (1 - h_ii)) / (k - p), h = diag of the hat
    matrix X (X'X)^-1 X', truncated at 0.
    """
    X, y = model.X, model.y
    xtx_inv_xt = np.linalg.solve(X.T @ X, X.T)
    resid = y - X @ (xtx_inv_xt @ y)
    leverage = np.einsum("ij,ji->i", X, xtx_inv_xt)
    return max(0.0, (resid @ resid - np.sum(model.vi * (1 - leverage))) / (model.k - model.p))


def heterogeneity_indices(method, qe, typical_vi, tau2, df):
    """I^2 (percent) and H^2 of a univariate model, as metafor's rma.uni reports them.

    Random effects (tau^2 estimated): I^2 = 100 tau^2 / (tau^2 + s^2) and
    H^2 = (tau^2 + s^2) / s^2, with s^2 the typical within-study variance
    (``typical_vi``). Fixed effect (method "FE"): from Q, I^2 = max(0, 100 (Q - df) / Q)
    and H^2 = Q / df, df = k - p.
    """
    if method == "FE":
        i2 = max(0.0, 100 * (qe - df) / qe) if qe > 0 else 0.0
        return i2, qe / df
    return 100 * tau2 / (typical_vi + tau2), tau2 / typical_vi + 1


# ==========================================================================
# 5. Set-up checks shared by the model functions
# ==========================================================================
def warn_fixed_knha(method, test):
    """Warn, as metafor does, that Knapp-Hartung is not meant for a fixed-effects model."""
    if method == "FE" and test == "knha":
        warnings.warn("the Knapp-Hartung method is not meant for fixed-effects models (as metafor warns)",
                      stacklevel=3)


def nested_groups(study, outcome, k):
    """Study groups for the three-level model; each (study, outcome) pair must be unique."""
    study = as_labels(study, "study", k)
    groups = Groups(study)
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
