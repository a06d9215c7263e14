"""Naltrexone's blockade of opioid receptors over dose and time.

A two-step teaching model (hours and mg of oral naltrexone throughout):

1. **Level.** An *effective level* L, in mg of oral naltrexone still acting,
   falls with first-order elimination; doses taken at times t_i add up::

       L(t) = sum_i D_i * 2 ** (-(t - t_i) / T)      for t >= t_i

   with the level half-life T = ``LEVEL_HALF_LIFE_H``. L is not a measured
   plasma concentration: it is "the dose that would give this blockade in the
   first hours".

2. **Occupancy.** The blockade follows the level through the saturating
   (hyperbolic, law-of-mass-action) dose-occupancy curve::

       blockade % = 100 * L / (L + ED50)

   ED50 = 5.59 mg for mu receptors: Trøstheim et al.'s planning tool (2023,
   Neuropsychopharmacology 48:299-307), fitted to the PET points of Rabiner
   et al. (2011) taken within about 8 h of dosing. At t = 0 the model *is*
   that curve: 25 mg -> 82%, 50 mg -> 90%, 100 mg -> 95%. Kappa receptors
   need about 2x and delta receptors about 79x the mu ED50 (Trøstheim et
   al. 2023).

Why T = 31.5 h. Lee et al. (1988, J Nucl Med 29:1207-1211) scanned five
volunteers 1, 48, 72, 120 and 168 h after 50 mg and reported a "half-time of
blockade" of 72-108 h. Because the blockade is a saturating function of the
level, it does not fall exponentially, so "half-time" needs a definition.
With T = 31.5 h the two natural readings span exactly Lee's range:

* a single exponential fitted to the model's blockade at Lee's five scan
  times has a half-life of 72 h (``fitted_half_time``), the value the 2024
  review quotes (Løseth, Trøstheim & Leknes 2024, Results: Quality of individual studies);
* the blockade takes 108 h to fall to half its 1-h value
  (``blockade_half_time``).

The model then also gives blockade practically gone (0.3%) after 15 days, five
72-h half-lives (Trøstheim et al. 2023; Løseth et al. 2024). What it cannot
give is "> 90% for at least 49 h" (Løseth et al. 2024, citing Lee 1988 and
Trøstheim 2023): with ED50 = 5.59 mg, 50 mg gives at most
100 * 50 / 55.59 = 89.9%, and a level that only falls can never bring the
blockade above its starting value (at 49 h the model gives 75%). The two
measured 50-mg points, 92% and 98% (Rabiner et al. 2011), lie above the
fitted curve: the hyperbola underestimates the top of the range. The model
also ignores absorption: do not read it for the first hour after a dose.

References
----------
Lee MC, et al. (1988). J Nucl Med 29:1207-1211 (blockade half-time 72-108 h).
Rabiner EA, et al. (2011). Mol Psychiatry 16:826-835 (PET points < 8 h after
    oral naltrexone).
Trøstheim M, et al. (2023). Neuropsychopharmacology 48:299-307 (ED50 = 5.59 mg and
    the kappa and delta ratios of the planning tool).
Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379.
Inagaki TK, et al. (2016). Soc Cogn Affect Neurosci 11:728-735.

The functions' References sections cite these entries by author and year.
"""
from __future__ import annotations

import numpy as np

from .validation import (as_float, as_float_array, as_positive_float, require_choice, require_in_range,
                         require_positive)

# Trøstheim et al. 2023 (planning tool, fitted to Rabiner et al. 2011).
ED50_MU_MG = 5.59
# ED50 of each receptor as a multiple of the mu ED50 (Trøstheim et al. 2023).
ED50_RATIO = {"mu": 1.0, "kappa": 2.0, "delta": 79.0}
# Half-life of the effective level (hours): chosen so that the blockade
# half-time spans Lee et al.'s (1988) 72-108 h; see the module docstring.
LEVEL_HALF_LIFE_H = 31.5
# Lee et al. 1988: [11C]carfentanil scans 1, 48, 72, 120 and 168 h after 50 mg.
LEE_SCAN_HOURS = (1.0, 48.0, 72.0, 120.0, 168.0)
# Rabiner et al. 2011 (N = 20, PET < 8 h after oral naltrexone), as tabulated
# by Trøstheim et al. 2023, Table 1: dose (mg) and mu-receptor blockade (%).
RABINER_2011_DOSE_MG = (2.0, 5.0, 5.0, 5.0, 15.0, 50.0, 50.0)
RABINER_2011_BLOCKADE_PCT = (27.0, 43.0, 46.0, 58.0, 61.0, 92.0, 98.0)


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------
def _non_negative(value, name: str) -> np.ndarray:
    """``value`` as a float array of any shape; ValueError if not numbers >= 0."""
    arr = as_float_array(value, name, ndim=None)
    require_positive(arr.ravel(), name, allow_zero=True)
    return arr


def _result(values: np.ndarray, *inputs):
    """A plain float when every input was a single number, else the array."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(values)
    return values


def ed50(receptor: str = "mu") -> float:
    """The oral naltrexone ED50 (mg) of ``receptor``: "mu", "kappa" or "delta".

    mu 5.59 mg; kappa about 2x and delta about 79x that (Trøstheim et al. 2023).

    Parameters
    ----------
    receptor : {"mu", "kappa", "delta"}
        Receptor whose ED50 is used.

    Returns
    -------
    float
        ED50 in mg of oral naltrexone.

    Raises
    ------
    ValueError
        If receptor is not one of the three names.

    References
    ----------
    Trøstheim et al. (2023).
    """
    return ED50_MU_MG * ED50_RATIO[require_choice(receptor, "receptor", tuple(ED50_RATIO))]


# --------------------------------------------------------------------------
# The two steps
# --------------------------------------------------------------------------
def occupancy(level_mg, ed50_mg=ED50_MU_MG):
    """Blockade (%) at an effective level: 100 * L / (L + ED50).

    The hyperbolic dose-occupancy curve of Trøstheim et al. (2023), fitted to the
    PET data of Rabiner et al. (2011). A level of 0 gives 0%; the blockade
    approaches but never reaches 100%.

    Parameters
    ----------
    level_mg : float or array_like
        Effective level L in mg (>= 0).
    ed50_mg : float
        ED50 in mg (> 0); default the mu ED50, 5.59 mg.

    Returns
    -------
    float or numpy.ndarray
        Blockade in percent (a float when level_mg is a single number).

    Raises
    ------
    ValueError
        If level_mg holds a negative value, or ed50_mg is not positive.

    References
    ----------
    Trøstheim et al. (2023); Rabiner et al. (2011).
    """
    level = _non_negative(level_mg, "level_mg")
    e = as_positive_float(ed50_mg, "ed50_mg")
    return _result(100.0 * level / (level + e), level_mg)


def dose_for_blockade(percent, receptor: str = "mu"):
    """The dose (mg) giving ``percent`` blockade in the first hours.

    The dose-occupancy curve solved for the dose: D = ED50 * p / (100 - p),
    with 0 <= p < 100 (Trøstheim et al. 2023; Rabiner et al. 2011).

    Parameters
    ----------
    percent : float or array_like
        Target blockade p in percent, 0 <= p < 100.
    receptor : {"mu", "kappa", "delta"}
        Receptor whose ED50 is used.

    Returns
    -------
    float or numpy.ndarray
        Dose in mg.

    Raises
    ------
    ValueError
        If a percent is negative or >= 100, or receptor is unknown.

    References
    ----------
    Trøstheim et al. (2023); Rabiner et al. (2011).
    """
    p = _non_negative(percent, "percent")
    bad = np.flatnonzero(p.ravel() >= 100)
    if bad.size:
        raise ValueError(f"percent must be below 100 (full blockade needs an infinite dose); "
                         f"position {int(bad[0])} is {p.ravel()[bad[0]]}")
    return _result(ed50(receptor) * p / (100.0 - p), percent)


def level(dose_mg, hours, half_life_h=LEVEL_HALF_LIFE_H):
    """Effective level (mg) ``hours`` after one dose: D * 2 ** (-t / T).

    ``dose_mg`` and ``hours`` broadcast against each other (numpy rules), so
    a column of doses and a row of times give a dose x time grid. T is chosen
    so the blockade half-time spans Lee et al.'s (1988) 72-108 h (module
    docstring).

    Parameters
    ----------
    dose_mg : float or array_like
        Oral dose D in mg (>= 0).
    hours : float or array_like
        Time t since the dose in hours (>= 0).
    half_life_h : float
        Half-life T of the effective level in hours (> 0); default 31.5 h.

    Returns
    -------
    float or numpy.ndarray
        Effective level in mg.

    Raises
    ------
    ValueError
        If a dose or time is negative, the half-life is not positive, or the
        shapes do not broadcast.

    References
    ----------
    Lee et al. (1988).
    """
    dose = _non_negative(dose_mg, "dose_mg")
    t = _non_negative(hours, "hours")
    half = as_positive_float(half_life_h, "half_life_h")
    _check_broadcast(dose, t)
    return _result(dose * np.exp2(-t / half), dose_mg, hours)


def _check_broadcast(*arrays) -> None:
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise ValueError(f"dose_mg and hours must have shapes that broadcast together; got {shapes}") from None


def blockade(dose_mg, hours=0.0, receptor: str = "mu", half_life_h=LEVEL_HALF_LIFE_H):
    """Receptor blockade (%) ``hours`` after a single oral dose of ``dose_mg``.

    100 * L / (L + ED50) with L = D * 2 ** (-t / T) (module docstring). At
    hours = 0 this is the planning curve of Trøstheim et al. (2023).
    Vectorised: ``dose_mg`` and ``hours`` broadcast against each other.

    Parameters
    ----------
    dose_mg : float or array_like
        Oral dose in mg (>= 0).
    hours : float or array_like
        Time since the dose in hours (>= 0).
    receptor : {"mu", "kappa", "delta"}
        Receptor whose ED50 is used.
    half_life_h : float
        Half-life T of the effective level in hours (> 0); default 31.5 h.

    Returns
    -------
    float or numpy.ndarray
        Blockade in percent.

    Raises
    ------
    ValueError
        If an input is out of range or the shapes do not broadcast.

    References
    ----------
    Trøstheim et al. (2023); Rabiner et al. (2011); Lee et al. (1988).
    """
    return occupancy(level(dose_mg, hours, half_life_h), ed50(receptor))


def blockade_after_doses(doses_mg, dose_hours, hours, receptor: str = "mu", half_life_h=LEVEL_HALF_LIFE_H):
    """Blockade (%) at ``hours`` after a schedule of doses (levels add up).

    L(t) = sum_i D_i * 2 ** (-(t - t_i) / T) over the doses already taken
    (t_i <= t); blockade = 100 * L / (L + ED50). ``doses_mg`` and
    ``dose_hours`` are one number per dose; ``hours`` may have any shape.
    Example: the diary study of Inagaki et al. (2016), 25 mg on days 1-2 and
    50 mg on days 3-4 (trial NCT01672723): doses (25, 25, 50, 50) at hours
    (0, 24, 48, 72).

    Parameters
    ----------
    doses_mg : array_like
        Dose D_i of each intake in mg (>= 0).
    dose_hours : array_like
        Time t_i of each intake in hours (>= 0), one per dose.
    hours : float or array_like
        Times t at which to evaluate the blockade (>= 0).
    receptor, half_life_h
        As in :func:`blockade`.

    Returns
    -------
    numpy.ndarray
        Blockade in percent, shaped like ``hours``.

    Raises
    ------
    ValueError
        If a dose or time is negative or doses and times differ in number.

    References
    ----------
    Trøstheim et al. (2023); Lee et al. (1988); Inagaki et al. (2016).
    """
    doses = as_float_array(doses_mg, "doses_mg")
    times = as_float_array(dose_hours, "dose_hours")
    require_positive(doses, "doses_mg", allow_zero=True)
    require_positive(times, "dose_hours", allow_zero=True)
    if doses.shape != times.shape:
        raise ValueError(f"doses_mg and dose_hours need one value per dose: {doses.size} doses, {times.size} times")
    t = _non_negative(hours, "hours")
    half = as_positive_float(half_life_h, "half_life_h")
    since = t[..., np.newaxis] - times                       # hours since each dose
    taken = since >= 0
    contributions = np.where(taken, doses * np.exp2(-np.where(taken, since, 0.0) / half), 0.0)
    return occupancy(contributions.sum(axis=-1), ed50(receptor))


# --------------------------------------------------------------------------
# Durations read off the model
# --------------------------------------------------------------------------
def hours_until(dose_mg, percent, receptor: str = "mu", half_life_h=LEVEL_HALF_LIFE_H):
    """Hours after one dose until the blockade has fallen to ``percent``.

    Solve D * 2 ** (-t / T) = ED50 * p / (100 - p) for t:
    t = T * log2(D / L_p). Gives 0 where the dose never reaches ``percent``.

    Parameters
    ----------
    dose_mg : float or array_like
        Oral dose in mg (>= 0).
    percent : float or array_like
        Blockade p in percent, 0 <= p < 100.
    receptor, half_life_h
        As in :func:`blockade`.

    Returns
    -------
    float or numpy.ndarray
        Hours (infinite for percent 0 and a positive dose).

    Raises
    ------
    ValueError
        If a dose or percent is out of range, or their shapes do not broadcast.

    References
    ----------
    Trøstheim et al. (2023).
    """
    dose = _non_negative(dose_mg, "dose_mg")
    target = np.asarray(dose_for_blockade(percent, receptor), dtype=float)   # the level L_p
    half = as_positive_float(half_life_h, "half_life_h")
    _check_broadcast(dose, target)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = half * np.log2(dose / target)       # percent 0 is never reached: infinite
    t = np.where(dose > 0, np.maximum(t, 0.0), 0.0)
    return _result(t, dose_mg, percent)


def blockade_half_time(dose_mg=50.0, reference_hours=1.0, receptor: str = "mu", half_life_h=LEVEL_HALF_LIFE_H):
    """Hours from ``reference_hours`` until the blockade is half its value then.

    One reading of Lee et al.'s (1988) "half-time of blockade" (their first
    scan was 1 h after the dose). For 50 mg and T = 31.5 h: 108 h.

    Parameters
    ----------
    dose_mg : float or array_like
        Oral dose in mg (>= 0).
    reference_hours : float or array_like
        Time of the reference blockade in hours (>= 0).
    receptor, half_life_h
        As in :func:`blockade`.

    Returns
    -------
    float or numpy.ndarray
        The half-time in hours.

    Raises
    ------
    ValueError
        If a dose or the reference time is negative, or the half-life is not positive.

    References
    ----------
    Lee et al. (1988).
    """
    ref = _non_negative(reference_hours, "reference_hours")
    start = np.asarray(blockade(dose_mg, ref, receptor, half_life_h), dtype=float)
    end = np.asarray(hours_until(dose_mg, start / 2.0, receptor, half_life_h), dtype=float)
    return _result(end - ref, dose_mg, reference_hours)


def fitted_half_time(dose_mg=50.0, scan_hours=LEE_SCAN_HOURS, receptor: str = "mu",
                     half_life_h=LEVEL_HALF_LIFE_H) -> float:
    """Half-life (h) of one exponential fitted to the blockade at ``scan_hours``.

    The other reading of Lee et al.'s (1988) half-time: a straight line
    fitted by least squares to log(blockade) at their scan times (1, 48, 72,
    120, 168 h); half-life = -ln 2 / slope. For 50 mg and T = 31.5 h: 72 h,
    the value quoted by Løseth et al. (2024).

    Parameters
    ----------
    dose_mg : float
        Oral dose in mg (> 0).
    scan_hours : array_like
        Scan times in hours (>= 0, at least two different).
    receptor, half_life_h
        As in :func:`blockade`.

    Returns
    -------
    float
        The fitted half-life in hours.

    Raises
    ------
    ValueError
        If fewer than two different scan times are given or an input is out of range.

    References
    ----------
    Lee et al. (1988); Løseth et al. (2024).
    """
    t = as_float_array(scan_hours, "scan_hours")
    require_positive(t, "scan_hours", allow_zero=True)
    if np.unique(t).size < 2:
        raise ValueError("scan_hours needs at least two different times")
    dose = as_positive_float(dose_mg, "dose_mg")
    b = np.asarray(blockade(dose, t, receptor, half_life_h), dtype=float)
    slope = np.polyfit(t, np.log(b), 1)[0]
    return float(-np.log(2.0) / slope)


def fit_ed50(dose_mg, blockade_pct) -> float:
    """Least-squares ED50 (mg) of 100 * D / (D + ED50) through measured points.

    Minimises sum (p_i - 100 D_i / (D_i + ED50))^2 over log ED50. Fitting
    Rabiner et al.'s (2011) seven PET points this way gives 5.58 mg, the
    5.59 mg of Trøstheim et al. (2023) to rounding.

    Parameters
    ----------
    dose_mg : array_like
        Doses D_i in mg (> 0).
    blockade_pct : array_like
        Measured blockade p_i in percent, strictly between 0 and 100.

    Returns
    -------
    float
        The fitted ED50 in mg.

    Raises
    ------
    ValueError
        If a dose is not positive, a blockade is outside (0, 100), or the two
        arrays differ in length.

    References
    ----------
    Rabiner et al. (2011); Trøstheim et al. (2023).
    """
    from scipy.optimize import minimize_scalar  # imported on use: keeps the module light

    dose = as_float_array(dose_mg, "dose_mg")
    pct = as_float_array(blockade_pct, "blockade_pct")
    require_positive(dose, "dose_mg")
    if dose.shape != pct.shape:
        raise ValueError(f"dose_mg and blockade_pct need one value per point: {dose.size} and {pct.size}")
    require_in_range(pct, "blockade_pct", 0.0, 100.0, closed=False)

    def sse(log_e):
        return float(np.sum((pct - 100.0 * dose / (dose + np.exp(log_e))) ** 2))

    lo, hi = np.log(dose.min()) - 5, np.log(dose.max()) + 5
    best = minimize_scalar(sse, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    return float(np.exp(best.x))


def naive_exponential(hours, start_pct=98.0, half_life_h=72.0):
    """What the model replaces: blockade itself decaying from 98%, half-life 72 h.

    start * 2 ** (-t / 72). At 49 h this gives 61%, against the "> 90% for at
    least 49 h" it was meant to describe (Løseth et al. 2024, Results: Quality of individual studies).

    Parameters
    ----------
    hours : float or array_like
        Time since the dose in hours (>= 0).
    start_pct : float
        Blockade at t = 0 in percent.
    half_life_h : float
        Half-life of the blockade in hours (> 0).

    Returns
    -------
    float or numpy.ndarray
        The naive curve's blockade in percent.

    Raises
    ------
    ValueError
        If a time is negative or the half-life is not positive.

    References
    ----------
    Løseth et al. (2024); Lee et al. (1988).
    """
    t = _non_negative(hours, "hours")
    start = as_float(start_pct, "start_pct")
    return _result(start * np.exp2(-t / as_positive_float(half_life_h, "half_life_h")), hours)


__all__ = [
    "ED50_MU_MG", "ED50_RATIO", "LEVEL_HALF_LIFE_H", "LEE_SCAN_HOURS", "RABINER_2011_DOSE_MG",
    "RABINER_2011_BLOCKADE_PCT", "ed50", "occupancy", "dose_for_blockade", "level", "blockade",
    "blockade_after_doses", "hours_until", "blockade_half_time", "fitted_half_time", "fit_ed50",
    "naive_exponential",
]


def __dir__():
    return sorted(__all__)


