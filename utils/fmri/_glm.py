"""The first-level GLM by ordinary least squares, and a SIMULATED time series to fit it to."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, NamedTuple

import numpy as np
import pandas as pd

from ..lazy import lazy_import
from ..validation import (
    as_float,
    as_float_array,
    as_positive_float,
    rng_from_seed,
)

# scipy.stats: imported on first use, to keep a lesson's set-up cell quick
stats = lazy_import("scipy.stats")


class ContrastResult(NamedTuple):
    """A t test of one contrast c' beta of a first-level GLM.

    Attributes
    ----------
    effect : float
        c' beta.
    se : float
        sqrt(sigma^2 c' (X'X)^-1 c).
    t : float
        effect / se.
    df : int
        Residual degrees of freedom n - p.
    p : float
        Two-sided p-value.
    """
    effect: float   # c' beta
    se: float       # sqrt(sigma^2 c' (X'X)^-1 c)
    t: float
    df: int
    p: float        # two-sided


@dataclass(frozen=True)
class GLMResult:
    """Ordinary least squares fit of y = X beta + e for one time series.

    Attributes
    ----------
    betas : pandas.Series
        One estimate per design column.
    residual_variance : float
        sigma^2 = RSS / (n - p).
    df : int
        n - p.
    xtx_inv : numpy.ndarray
        (X'X)^-1.
    fitted : numpy.ndarray
        X beta.
    residuals : numpy.ndarray
        y - X beta.

    References
    ----------
    Friston KJ, et al. (1995). Statistical parametric maps in functional imaging: a
        general linear approach. Hum Brain Mapp 2:189-210.
    """

    betas: pd.Series            # one estimate per design column
    residual_variance: float    # sigma^2 = RSS / (n - p)
    df: int                     # n - p
    xtx_inv: np.ndarray         # (X'X)^-1
    fitted: np.ndarray
    residuals: np.ndarray

    def contrast(self, weights) -> ContrastResult:
        """t test of c' beta = 0.

        t = c' beta / sqrt(sigma^2 c' (X'X)^-1 c) on n - p df (the OLS
        contrast, e.g. Poldrack, Mumford & Nichols 2011, Handbook of fMRI
        Data Analysis, ch. 5).

        Parameters
        ----------
        weights : array_like or mapping
            c as one weight per design column, or a mapping {column: weight}
            (other columns get 0), e.g. ``{"close_other": 1, "stranger": -1}``.

        Returns
        -------
        ContrastResult
            effect, se, t, df and the two-sided p.

        Raises
        ------
        ValueError
            If a named column is not in the design, the number of weights is
            wrong, or all weights are zero.
        """
        names = list(self.betas.index)
        if isinstance(weights, Mapping):
            unknown = [k for k in weights if k not in names]
            if unknown:
                raise ValueError(f"contrast names a column the design does not have: {unknown[0]!r} "
                                 f"(columns: {', '.join(map(str, names))})")
            c = np.array([float(weights.get(name, 0.0)) for name in names])
        else:
            c = as_float_array(weights, "weights")
            if c.size != len(names):
                raise ValueError(f"weights must have one value per design column: expected {len(names)}, "
                                 f"got {c.size}")
        if not np.any(c):
            raise ValueError("weights must not all be zero")
        effect = float(c @ self.betas.to_numpy())
        se = float(np.sqrt(self.residual_variance * (c @ self.xtx_inv @ c)))
        t = effect / se
        return ContrastResult(effect, se, t, self.df, float(2 * stats.t.sf(abs(t), self.df)))


def fit_glm(y, design) -> GLMResult:
    """Fit y = X beta + e by least squares: beta = (X'X)^-1 X'y.

    The general linear model of Friston et al. (1995). Errors are treated as
    independent (OLS); SPM and nilearn by default model serial correlation
    (AR(1)), which changes the SE, not the idea.

    Parameters
    ----------
    y : array_like
        One time series, one value per scan.
    design : pandas.DataFrame or array_like
        The design X (scans x regressors); a DataFrame's column names label
        the betas.

    Returns
    -------
    GLMResult
        Betas, residual variance, df, (X'X)^-1, fitted values and residuals.

    Raises
    ------
    ValueError
        If the rows of X and y differ, X is not 2-D, X is rank-deficient (two
        columns carry the same information, so their betas are not
        identifiable) or there are not more scans than columns.

    References
    ----------
    Friston KJ, et al. (1995). Statistical parametric maps in functional imaging: a
        general linear approach. Hum Brain Mapp 2:189-210.
    """
    y = as_float_array(y, "y")
    if isinstance(design, pd.DataFrame):
        names = [str(c) for c in design.columns]
        X = as_float_array(design.to_numpy(), "design", ndim=2)
    else:
        X = as_float_array(design, "design", ndim=2)
        if X.ndim != 2:
            raise ValueError(f"design must be two-dimensional (scans x regressors), got shape {X.shape}")
        names = [f"x{i}" for i in range(X.shape[1])]
    if X.shape[0] != y.size:
        raise ValueError(f"design has {X.shape[0]} rows but y has {y.size} values: one row per scan is needed")
    n, p = X.shape
    if np.linalg.matrix_rank(X) < p:
        raise ValueError(f"design is rank-deficient (rank {np.linalg.matrix_rank(X)} < {p} columns): "
                         "some regressors are linear combinations of others")
    if n <= p:
        raise ValueError(f"y needs more scans ({n}) than design columns ({p})")
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    fitted = X @ beta
    residuals = y - fitted
    df = n - p
    return GLMResult(pd.Series(beta, index=names), float(residuals @ residuals / df), df,
                     np.linalg.inv(X.T @ X), fitted, residuals)


def simulate_vs_timeseries(design: pd.DataFrame, amplitudes: Mapping[str, float], noise_sd: float = 1.0,
                           ar1: float = 0.0, seed: int | None = 0) -> np.ndarray:
    """A SIMULATED region time series: y = X beta + noise.

    ``amplitudes`` gives beta for some design columns (e.g. {"close_other": 1.0,
    "stranger": 0.4}, in percent signal change); the others are 0. Noise is
    Gaussian with SD ``noise_sd``, optionally AR(1) with coefficient ``ar1``
    (e_t = ar1 e_{t-1} + u_t, scaled so that its SD stays ``noise_sd``).

    Parameters
    ----------
    design : pandas.DataFrame
        A design matrix from ``design_matrix``.
    amplitudes : mapping
        {column: beta} for the columns with a nonzero effect.
    noise_sd : float
        SD of the noise (>= 0).
    ar1 : float
        AR(1) coefficient, strictly between -1 and 1.
    seed : int or None
        Seed of the random generator.

    Returns
    -------
    numpy.ndarray
        The simulated time series, one value per scan.

    Raises
    ------
    ValueError
        If design is not a DataFrame, amplitudes names an unknown column, or
        noise_sd or ar1 is out of range.
    """
    if not isinstance(design, pd.DataFrame):
        raise ValueError("design must be a DataFrame from design_matrix (its column names are needed)")
    unknown = [k for k in amplitudes if k not in design.columns]
    if unknown:
        raise ValueError(f"amplitudes names a column the design does not have: {unknown[0]!r}")
    beta = np.array([as_float(amplitudes.get(col, 0.0), f"amplitudes[{col!r}]") for col in design.columns])
    noise_sd = as_positive_float(noise_sd, "noise_sd", allow_zero=True)
    ar1 = as_float(ar1, "ar1")
    if not -1 < ar1 < 1:
        raise ValueError(f"ar1 must lie strictly between -1 and 1; got {ar1}")
    rng = rng_from_seed(seed)
    u = rng.normal(0.0, noise_sd * np.sqrt(1 - ar1 ** 2), len(design))
    noise = np.empty_like(u)
    noise[0] = rng.normal(0.0, noise_sd)
    for t in range(1, u.size):  # a recursion over time, not over studies
        noise[t] = ar1 * noise[t - 1] + u[t]
    return design.to_numpy(dtype=float) @ beta + noise
