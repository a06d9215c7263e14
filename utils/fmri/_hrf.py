"""The haemodynamic response and the design matrix (nilearn does the work)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..validation import (
    as_float_array,
    as_positive_float,
    as_whole_number,
    require_choice,
    rng_from_seed,
)

CONDITIONS = ("close_other", "stranger")


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
