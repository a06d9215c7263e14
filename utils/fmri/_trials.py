"""The SIMULATED group trial (drug x target) and its one-row-per-participant table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import (
    as_float,
    as_positive_float,
    as_whole_number,
    rng_from_seed,
)

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
