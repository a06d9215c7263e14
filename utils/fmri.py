"""From BOLD signal to a group result: the HRF, a design matrix, a first-level
GLM, and the simulated naltrexone fMRI trial.

=============================  ===============================================
function                       does
=============================  ===============================================
``hrf``                        the canonical haemodynamic response (nilearn's
                               SPM or Glover HRF), sampled on a time grid
``alternating_events``         an events table: "close_other" and "stranger"
                               pictures taking turns (a block or event design)
``design_matrix``              nilearn's ``make_first_level_design_matrix``
                               with checked input
``fit_glm``                    ordinary least squares for one time series;
                               ``GLMResult.contrast`` gives effect, SE and t
``simulate_vs_timeseries``     a SIMULATED ventral striatum time series
``simulate_group_trial``       a SIMULATED 2 (drug) x 2 (target) trial, tidy
``participant_table``          one row per participant (wide), for analyses
``fisher_z_compare``           compare two independent correlations
``correlation_difference_power``  power of that comparison
``sphere_roi`` / ``mni_template``  a spherical region on nilearn's MNI template
=============================  ===============================================

nilearn supplies the HRFs, the design matrices and the MNI152 template (a
file inside the nilearn package: nothing is downloaded). nilearn is imported
inside the functions that need it, because importing it takes about a second.

The group simulation reproduces the *pattern* reported for the trial (Inagaki
et al. 2020, J Exp Psychol Gen 149:732-745; N = 80, 40 naltrexone, 40 placebo,
one 50 mg dose, scan about 1 h later): naltrexone lowers left ventral striatum
(VS) activity to close others but not to strangers, the connection-VS
correlation seen under placebo is absent under naltrexone, and the drug effect
survives adjustment for physical symptoms. The papers' correlations and
symptom scores are not reported in the sources we have, so every default
below that is not cited is illustrative, and the output is labelled
"simulated".
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from .lazy import lazy_import
from .validation import (
    as_float,
    as_float_array,
    as_positive_float,
    as_whole_number,
    broadcast_same_length,
    require_choice,
    require_greater_than,
    require_in_range,
    rng_from_seed,
)

# scipy.stats: imported on first use, to keep a lesson's set-up cell quick
stats = lazy_import("scipy.stats")

CONDITIONS = ("close_other", "stranger")

# An APPROXIMATE left ventral striatum (nucleus accumbens) location in MNI
# space, in mm, read off nilearn's MNI152 template. It is not the trial's
# region of interest: Inagaki et al. (2019, 2020) used an a priori VS mask
# whose coordinates are not in the sources available to this course.
LEFT_VS_APPROX_MNI = (-10.0, 12.0, -8.0)


# --------------------------------------------------------------------------
# The haemodynamic response and the design matrix (nilearn does the work)
# --------------------------------------------------------------------------
def hrf(tr: float = 2.0, model: str = "spm", oversampling: int = 50, time_length: float = 32.0):
    """The canonical HRF: returns (times in s, response).

    ``model="spm"``: difference of two gamma densities, peak about 5 s,
    undershoot about 15 s (Friston et al. 1998, as SPM's spm_hrf);
    ``model="glover"``: Glover (1999). Both are nilearn's
    ``nilearn.glm.first_level.spm_hrf`` / ``glover_hrf`` sampled every
    ``tr / oversampling`` seconds; nilearn scales the samples to sum to 1,
    so only the shape matters (divide by the maximum to plot it).

    Parameters
    ----------
    tr : float
        Repetition time in seconds (> 0).
    model : {"spm", "glover"}
        Which canonical HRF.
    oversampling : int
        Samples per TR (>= 1).
    time_length : float
        Length of the response in seconds (> 0).

    Returns
    -------
    (times, response) : tuple of numpy.ndarray
        Sample times in seconds and the HRF values.

    Raises
    ------
    ValueError
        If model is not a known HRF, or an argument is out of range.

    References
    ----------
    Glover GH (1999). Deconvolution of impulse response in event-related BOLD fMRI.
        NeuroImage 9:416-429.
    Friston KJ, et al. (1998). Event-related fMRI: characterizing differential
        responses. NeuroImage 7:30-40 (the SPM canonical HRF).
    """
    from nilearn.glm.first_level import glover_hrf, spm_hrf

    tr = as_positive_float(tr, "tr")
    model = require_choice(model, "model", ("spm", "glover"))
    oversampling = as_whole_number(oversampling, "oversampling", 1)
    time_length = as_positive_float(time_length, "time_length")
    function = spm_hrf if model == "spm" else glover_hrf
    values = np.asarray(function(tr, oversampling=oversampling, time_length=time_length), dtype=float)
    times = np.arange(values.size) * tr / oversampling
    return times, values


def alternating_events(n_per_condition: int = 6, duration: float = 16.0, spacing: float = 30.0,
                       first_onset: float = 10.0, conditions: Sequence[str] = CONDITIONS,
                       seed: int | None = None) -> pd.DataFrame:
    """An events table (onset, duration, trial_type) in nilearn's format.

    Trials of the ``conditions`` take turns (A, B, A, B, ...), one every
    ``spacing`` seconds (onset to onset), each lasting ``duration`` seconds:
    onset_k = first_onset + k * spacing. Long durations give a *block* design,
    short ones an *event-related* design. With a ``seed`` the order is shuffled
    instead of alternating. The timings are illustrative: the trial's own
    timings are not in our sources.

    Parameters
    ----------
    n_per_condition : int
        Trials per condition (>= 1).
    duration : float
        Duration of each trial in seconds (> 0, not above spacing).
    spacing : float
        Onset-to-onset interval in seconds (> 0).
    first_onset : float
        Onset of the first trial in seconds (>= 0).
    conditions : sequence of str
        Condition names (non-empty text).
    seed : int or None
        If given, shuffle the order with this seed.

    Returns
    -------
    pandas.DataFrame
        Columns onset, duration, trial_type; one row per trial.

    Raises
    ------
    ValueError
        If an argument is out of range, trials would overlap, or a condition
        name is not text.
    """
    n = as_whole_number(n_per_condition, "n_per_condition", 1)
    duration = as_positive_float(duration, "duration")
    spacing = as_positive_float(spacing, "spacing")
    first_onset = as_positive_float(first_onset, "first_onset", allow_zero=True)
    if duration > spacing:
        raise ValueError(f"duration ({duration} s) must not exceed spacing ({spacing} s): trials would overlap")
    conditions = list(conditions)
    if len(conditions) < 1 or any(not isinstance(c, str) or not c for c in conditions):
        raise ValueError("conditions must be a non-empty list of condition names (text)")
    order = np.tile(conditions, n)
    if seed is not None:
        order = rng_from_seed(seed).permutation(order)
    onsets = first_onset + spacing * np.arange(order.size)
    return pd.DataFrame({"onset": onsets, "duration": duration, "trial_type": order})


def design_matrix(events: pd.DataFrame, n_scans: int, tr: float = 2.0, hrf_model: str = "spm",
                  drift_model: str | None = "cosine", high_pass: float = 0.01) -> pd.DataFrame:
    """The first-level design matrix: each condition's boxcar convolved with the HRF.

    X[:, j] = (boxcar_j * h)(frame_times), the GLM design of Friston et al.
    (1995). A thin, checked wrapper of nilearn's ``make_first_level_design_matrix``
    with scans at ``frame_times = tr * (0, 1, ..., n_scans - 1)``. Columns:
    one per condition, the drift terms (cosine basis up to ``high_pass`` Hz),
    and ``constant``.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns onset, duration, trial_type (as ``alternating_events`` returns).
    n_scans : int
        Number of scans (>= 2).
    tr : float
        Repetition time in seconds (> 0).
    hrf_model : {"spm", "glover"}
        The HRF convolved with each boxcar.
    drift_model : {"cosine", "polynomial"} or None
        Slow drift regressors, or None for none.
    high_pass : float
        Cut-off frequency of the cosine drift basis in Hz.

    Returns
    -------
    pandas.DataFrame
        One row per scan, one column per regressor.

    Raises
    ------
    ValueError
        If events lacks a column, an onset falls after the last scan, or an
        argument is out of range.

    References
    ----------
    Friston KJ, et al. (1995). Statistical parametric maps in functional imaging: a
        general linear approach. Hum Brain Mapp 2:189-210.
    Glover GH (1999). Deconvolution of impulse response in event-related BOLD fMRI.
        NeuroImage 9:416-429.
    nilearn: https://nilearn.github.io (make_first_level_design_matrix, spm_hrf, glover_hrf).
    """
    from nilearn.glm.first_level import make_first_level_design_matrix

    n_scans = as_whole_number(n_scans, "n_scans", 2)
    tr = as_positive_float(tr, "tr")
    hrf_model = require_choice(hrf_model, "hrf_model", ("spm", "glover"))
    if drift_model is not None:
        require_choice(drift_model, "drift_model", ("cosine", "polynomial"))
    if not isinstance(events, pd.DataFrame) or not {"onset", "duration", "trial_type"} <= set(events.columns):
        raise ValueError("events must be a DataFrame with columns onset, duration and trial_type")
    onset = as_float_array(events["onset"].to_numpy(), "events['onset']")
    as_float_array(events["duration"].to_numpy(), "events['duration']")
    late = np.flatnonzero(onset >= n_scans * tr)
    if late.size:
        raise ValueError(f"events['onset'] must fall inside the scan (before {n_scans * tr:g} s); "
                         f"position {late[0]} is {onset[late[0]]:g} s")
    frame_times = tr * np.arange(n_scans)
    return make_first_level_design_matrix(frame_times, events, hrf_model=hrf_model,
                                          drift_model=drift_model, high_pass=high_pass)


# --------------------------------------------------------------------------
# The first-level GLM, by ordinary least squares
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# The simulated group trial
# --------------------------------------------------------------------------
# Connection ratings (1-7 scale) to close others and strangers, pooled over
# drugs: M = 4.671 (SD 0.871) and M = 1.966 (SD 0.720), Inagaki, Hazlett &
# Andreescu (2019), SCAN 14:471-479, Results (their messages task; 80 participants).
_CONNECTION = {"close other": (4.671, 0.871), "stranger": (1.966, 0.720)}


def simulate_group_trial(n_per_group: int = 40, close_effect: float = 0.9, drug_effect: float = 0.42,
                         r_placebo: float = 0.4, r_naltrexone: float = 0.0, connection_drug_effect: float = 0.4,
                         symptom_drug_effect: float = 0.8, scale: float = 0.25, seed: int | None = 2020
                         ) -> pd.DataFrame:
    """A SIMULATED between-subjects trial: drug (placebo, naltrexone) x target (close other, stranger).

    For participant i with standardised connection z_i ~ N(0, 1) and noise e_i ~ N(0, 1):

        VS contrast   d_i = scale * (close_effect - drug_effect * NTX_i + r_g z_i + sqrt(1 - r_g^2) e_i)
        VS stranger   s_i = 0.10 + u_i,  u_i ~ N(0, 0.15^2)       (no drug effect)
        VS close      c_i = s_i + d_i
        connection    4.671 + 0.871 (z_i - connection_drug_effect NTX_i) to close others,
                      1.966 + 0.720 N(0, 1) to strangers, clipped to 1-7
        symptoms      1.5 + 0.5 (symptom_drug_effect NTX_i + N(0, 1)), clipped at 1

    where NTX_i is 1 on naltrexone, r_g is ``r_placebo`` or ``r_naltrexone``
    (the population correlation between connection to close others and the
    close-minus-stranger VS contrast), and effects are in SDs of that
    contrast. ``drug_effect`` = 0.42 is about the d implied by the reported
    left VS drug effect, t(75) = 1.859 (Inagaki et al. 2019, Results:
    d = t sqrt(1/40 + 1/40)); the connection means and SDs are the 2019
    paper's. Everything else (correlations, symptom scale, ``scale`` in %
    signal change) is illustrative: the papers' values are not in our sources.
    Symptoms depend on the drug only, so adjusting for them should not
    remove the drug effect on VS. The design follows Inagaki et al. (2020).

    Parameters
    ----------
    n_per_group : int
        Participants per drug group (>= 4).
    close_effect : float
        Mean close-minus-stranger VS contrast under placebo, in SDs.
    drug_effect : float
        Reduction of that contrast on naltrexone, in SDs.
    r_placebo, r_naltrexone : float
        Correlation of connection with the VS contrast in each group, in (-1, 1).
    connection_drug_effect : float
        Reduction of connection to close others on naltrexone, in SDs.
    symptom_drug_effect : float
        Increase of physical symptoms on naltrexone, in SDs.
    scale : float
        SD of the VS contrast in % signal change (> 0).
    seed : int or None
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per participant and target, with columns participant,
        drug, target, vs_beta, connection, symptoms; ``.attrs["label"]`` is
        "simulated" and ``.attrs["parameters"]`` holds the arguments.

    Raises
    ------
    ValueError
        If n_per_group is too small, a correlation is outside (-1, 1) or
        scale is not positive.

    References
    ----------
    Inagaki TK, Hazlett LI, Andreescu C (2019). Soc Cogn Affect Neurosci 14:471-479.
    Inagaki TK, et al. (2020). J Exp Psychol Gen 149:732-745.
    """
    n = as_whole_number(n_per_group, "n_per_group", 4)
    params = dict(close_effect=close_effect, drug_effect=drug_effect, r_placebo=r_placebo,
                  r_naltrexone=r_naltrexone, connection_drug_effect=connection_drug_effect,
                  symptom_drug_effect=symptom_drug_effect, scale=scale)
    values = {k: as_float(v, k) for k, v in params.items()}
    for name in ("r_placebo", "r_naltrexone"):
        if not -1 < values[name] < 1:
            raise ValueError(f"{name} must lie strictly between -1 and 1; got {values[name]}")
    as_positive_float(values["scale"], "scale")
    rng = rng_from_seed(seed)

    ntx = np.repeat([0.0, 1.0], n)                       # first n placebo, then n naltrexone
    r = np.where(ntx == 1, values["r_naltrexone"], values["r_placebo"])
    z, e, u, e_conn_s, e_sym = rng.standard_normal((5, 2 * n))
    contrast = values["scale"] * (values["close_effect"] - values["drug_effect"] * ntx
                                  + r * z + np.sqrt(1 - r ** 2) * e)
    stranger = 0.10 + 0.15 * u
    mean_c, sd_c = _CONNECTION["close other"]
    mean_s, sd_s = _CONNECTION["stranger"]
    connection_close = np.clip(mean_c + sd_c * (z - values["connection_drug_effect"] * ntx), 1, 7)
    connection_stranger = np.clip(mean_s + sd_s * e_conn_s, 1, 7)
    symptoms = np.maximum(1.0, 1.5 + 0.5 * (values["symptom_drug_effect"] * ntx + e_sym))

    participant = np.arange(1, 2 * n + 1)
    drug = np.where(ntx == 1, "naltrexone", "placebo")
    frame = pd.DataFrame({
        "participant": np.repeat(participant, 2),
        "drug": np.repeat(drug, 2),
        "target": np.tile(["close other", "stranger"], 2 * n),
        "vs_beta": np.column_stack([stranger + contrast, stranger]).ravel(),
        "connection": np.column_stack([connection_close, connection_stranger]).ravel(),
        "symptoms": np.repeat(symptoms, 2),
    })
    frame["drug"] = pd.Categorical(frame["drug"], categories=["placebo", "naltrexone"])
    frame["target"] = pd.Categorical(frame["target"], categories=["close other", "stranger"])
    frame.attrs["label"] = "simulated"
    frame.attrs["parameters"] = dict(n_per_group=n, seed=seed, **values)
    return frame


def participant_table(trial: pd.DataFrame) -> pd.DataFrame:
    """One row per participant from the tidy trial table.

    Parameters
    ----------
    trial : pandas.DataFrame
        As ``simulate_group_trial`` returns (columns participant, drug, target,
        vs_beta, connection, symptoms).

    Returns
    -------
    pandas.DataFrame
        Columns participant, drug, symptoms, vs_close, vs_stranger,
        vs_difference (close - stranger), connection_close,
        connection_stranger; the attrs of ``trial`` are kept.

    Raises
    ------
    ValueError
        If trial is not a DataFrame with the needed columns.
    """
    needed = {"participant", "drug", "target", "vs_beta", "connection", "symptoms"}
    if not isinstance(trial, pd.DataFrame) or not needed <= set(trial.columns):
        raise ValueError(f"trial must be a DataFrame with columns {', '.join(sorted(needed))} "
                         "(as simulate_group_trial returns)")
    wide = trial.pivot_table(index=["participant", "drug", "symptoms"], columns="target",
                             values=["vs_beta", "connection"], observed=True).reset_index()
    wide.columns = [a if not b else f"{'vs' if a == 'vs_beta' else a}_{b.split()[0]}" for a, b in wide.columns]
    wide["vs_difference"] = wide["vs_close"] - wide["vs_stranger"]
    wide.attrs = dict(trial.attrs)
    return wide[["participant", "drug", "symptoms", "vs_close", "vs_stranger", "vs_difference",
                 "connection_close", "connection_stranger"]]


# --------------------------------------------------------------------------
# Comparing two independent correlations
# --------------------------------------------------------------------------
class FisherZResult(NamedTuple):
    """The Fisher z comparison of two independent correlations.

    Attributes
    ----------
    z : float or numpy.ndarray
        The z statistic.
    p : float or numpy.ndarray
        Its p-value for the chosen alternative.
    """
    z: float | np.ndarray
    p: float | np.ndarray


def fisher_z_compare(r1, n1, r2, n2, alternative: str = "two-sided") -> FisherZResult:
    """Test whether two correlations from independent samples differ.

        z = (atanh r1 - atanh r2) / sqrt(1/(n1 - 3) + 1/(n2 - 3))

    atanh r = 0.5 log((1 + r)/(1 - r)) is Fisher's (1921) z transform, whose
    sampling variance is about 1/(n - 3) (Cohen, Cohen, West & Aiken 2003).
    The same z is the Wald test of the group difference in a fixed-effect
    meta-regression of metafor ``escalc("ZCOR")`` effects (tests/fixtures/fmri.json).
    Vectorised: numbers or equal-length arrays.

    Parameters
    ----------
    r1, r2 : float or array_like
        The two correlations, strictly between -1 and 1.
    n1, n2 : float or array_like
        Their sample sizes (> 3).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests r1 > r2.

    Returns
    -------
    FisherZResult
        z and p (floats for single numbers, arrays otherwise).

    Raises
    ------
    ValueError
        If a correlation is outside (-1, 1), a sample size is not above 3, or
        alternative is unknown.

    References
    ----------
    Fisher RA (1921). On the 'probable error' of a coefficient of correlation deduced
        from a small sample. Metron 1:3-32.
    Cohen J, Cohen P, West SG, Aiken LS (2003). Applied Multiple Regression/Correlation
        Analysis for the Behavioral Sciences, 3rd ed., section 2.8.
    """
    alternative = require_choice(alternative, "alternative", ("two-sided", "greater", "less"))
    difference, se = _fisher_z_difference(r1, n1, r2, n2)
    z = difference / se
    p = {"two-sided": 2 * stats.norm.sf(np.abs(z)), "greater": stats.norm.sf(z),
         "less": stats.norm.cdf(z)}[alternative]
    if all(np.ndim(v) == 0 for v in (r1, n1, r2, n2)):
        return FisherZResult(float(z[0]), float(p[0]))
    return FisherZResult(z, p)


def _fisher_z_difference(r1, n1, r2, n2):
    """atanh(r1) - atanh(r2) and its standard error sqrt(1/(n1-3) + 1/(n2-3)), inputs checked."""
    arrays = {name: as_float_array(v, name) for name, v in dict(r1=r1, n1=n1, r2=r2, n2=n2).items()}
    a = broadcast_same_length(**arrays)
    for name in ("r1", "r2"):
        require_in_range(a[name], name, -1.0, 1.0, closed=False)
    for name in ("n1", "n2"):
        require_greater_than(a[name], name, 3, why="the variance of Fisher's z is 1/(n - 3)")
    se = np.sqrt(1 / (a["n1"] - 3) + 1 / (a["n2"] - 3))
    return np.arctanh(a["r1"]) - np.arctanh(a["r2"]), se


def correlation_difference_power(r1, r2, n1, n2, alpha: float = 0.05):
    """Power of the two-sided Fisher z comparison of two independent correlations.

    The test is a z test of atanh r1 - atanh r2 with SE sqrt(1/(n1-3) + 1/(n2-3)),
    so its power is ``utils.power.study_power(se, effect, alpha)``
    (Phi(|effect|/se - z) + Phi(-|effect|/se - z); Cohen 1988, ch. 4).

    Parameters
    ----------
    r1, r2 : float or array_like
        The two population correlations, strictly between -1 and 1.
    n1, n2 : float or array_like
        The two sample sizes (> 3).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    float or numpy.ndarray
        Power (a float when every input is a single number).

    Raises
    ------
    ValueError
        If a correlation is outside (-1, 1) or a sample size is 3 or less.

    References
    ----------
    Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed., ch. 4.
    Fisher RA (1921). On the 'probable error' of a coefficient of correlation deduced
        from a small sample. Metron 1:3-32.
    """
    from .power import study_power

    difference, se = _fisher_z_difference(r1, n1, r2, n2)
    power = np.asarray(study_power(se, difference, alpha), dtype=float)
    return float(power.ravel()[0]) if all(np.ndim(v) == 0 for v in (r1, r2, n1, n2)) else power


# --------------------------------------------------------------------------
# A region of interest on the MNI template
# --------------------------------------------------------------------------
@lru_cache(maxsize=2)
def mni_template(resolution: int = 1):
    """nilearn's MNI152 T1 template, read from a file shipped inside nilearn.

    ``nilearn.datasets.load_mni152_template``: no download.
    ``resolution=1``: the 1 mm original. ``resolution=2``: every second voxel
    along each axis (2 mm, no interpolation), eight times smaller and much
    faster to draw; nilearn's own ``resolution=2`` resamples instead, which is slower.

    Parameters
    ----------
    resolution : {1, 2}
        Voxel size in mm.

    Returns
    -------
    nibabel.Nifti1Image
        The template image.

    Raises
    ------
    ValueError
        If resolution is not 1 or 2.
    """
    from nilearn.datasets import load_mni152_template
    from nilearn.image import new_img_like

    if isinstance(resolution, bool) or resolution not in (1, 2):
        raise ValueError(f"resolution must be 1 or 2 (mm); got {resolution!r}")
    template = load_mni152_template()
    if resolution == 1:
        return template
    data = np.asarray(template.dataobj)[::2, ::2, ::2]
    return new_img_like(template, data, affine=template.affine @ np.diag([2.0, 2.0, 2.0, 1.0]))


def sphere_roi(center_mm=LEFT_VS_APPROX_MNI, radius_mm: float = 6.0, reference=None, crop: bool = False):
    """A spherical region of interest: 1 inside, 0 outside, as a Nifti image.

    A voxel belongs to the sphere when its centre, in mm (voxel index mapped
    through the image's affine), lies within ``radius_mm`` of ``center_mm``:
    ||A [i, j, k, 1]' - c|| <= radius. Only a box around the sphere is examined,
    so this is fast.

    Parameters
    ----------
    center_mm : sequence of 3 floats
        Centre (x, y, z) in mm; default an approximate left ventral striatum.
    radius_mm : float
        Radius in mm (> 0).
    reference : nibabel image, optional
        Image whose grid is used; default ``mni_template()``.
    crop : bool
        Return only the box around the sphere (same voxels, same world
        coordinates), which nilearn draws much faster than a whole-brain image.

    Returns
    -------
    nibabel.Nifti1Image
        The mask (int8).

    Raises
    ------
    ValueError
        If center_mm is not three numbers, radius_mm is not positive, the
        centre lies outside the image, or the sphere contains no voxel.
    """
    from nilearn.image import new_img_like

    center = as_float_array(center_mm, "center_mm")
    if center.size != 3:
        raise ValueError(f"center_mm must be three numbers (x, y, z in mm); got {center.size}")
    radius = as_positive_float(radius_mm, "radius_mm")
    reference = mni_template() if reference is None else reference
    affine, shape = reference.affine, reference.shape[:3]
    centre_ijk = np.linalg.solve(affine[:3, :3], center - affine[:3, 3])
    reach = np.ceil(radius / np.abs(np.diag(affine[:3, :3]))).astype(int) + 1
    low = np.maximum(np.floor(centre_ijk).astype(int) - reach, 0)
    high = np.minimum(np.ceil(centre_ijk).astype(int) + reach + 1, shape)
    if np.any(high <= low):
        raise ValueError(f"center_mm {tuple(center)} lies outside the reference image")
    box = np.stack(np.meshgrid(*(np.arange(lo, hi) for lo, hi in zip(low, high)), indexing="ij"))
    xyz = np.tensordot(affine[:3, :3], box, axes=1) + affine[:3, 3][:, None, None, None]
    inside = np.sum((xyz - center[:, None, None, None]) ** 2, axis=0) <= radius ** 2
    if not inside.any():
        raise ValueError("the sphere contains no voxel: increase radius_mm")
    if crop:
        box_affine = affine.copy()
        box_affine[:3, 3] = affine[:3, :3] @ low + affine[:3, 3]
        return new_img_like(reference, inside.astype(np.int8), affine=box_affine)
    mask = np.zeros(shape, dtype=np.int8)
    mask[low[0]:high[0], low[1]:high[1], low[2]:high[2]] = inside
    return new_img_like(reference, mask, copy_header=True)


# what ``from utils import fmri`` shows (dir, tab completion) and docs/api.md lists
__all__ = ["hrf", "alternating_events", "design_matrix", "fit_glm", "simulate_vs_timeseries", "simulate_group_trial",
           "participant_table", "fisher_z_compare", "correlation_difference_power", "mni_template", "sphere_roi",
           "GLMResult", "ContrastResult", "FisherZResult", "CONDITIONS", "LEFT_VS_APPROX_MNI"]


def __dir__():
    return sorted(__all__)
