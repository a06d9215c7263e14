"""Input checks shared by the whole package (internal: learners never call these).

Every public function checks its arguments here first, so that bad input
stops with a ``ValueError`` that names the argument and the offending
position, never with a silent NaN or a traceback from deep inside numpy.

Conventions, for every function below: ``value`` is the caller's input,
``name`` the argument's name as the caller wrote it (every message quotes
it), and ``arr`` an array already converted by :func:`as_float_array`. An
``as_*`` function returns the input converted; a ``require_*`` check
returns None when the input passes. Each raises ValueError otherwise.
"""
from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name: str, *, ndim: int = 1, allow_nan: bool = False) -> np.ndarray:
    """``value`` as a float array of ``ndim`` dimensions (1, 0 or None: any), all finite unless allow_nan.

    A scalar becomes a length-1 array when ndim is 1. Text, booleans and objects that are not numbers
    are refused, naming the first offending position.
    """
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be numeric, got the text {value!r}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists, odd objects
        raise ValueError(f"{name} must be an array of numbers ({exc})") from None
    if arr.dtype == bool:
        raise ValueError(f"{name} must be numeric, got booleans")
    if arr.dtype.kind not in "iuf":
        try:  # look at the elements as given: numpy turns [5.0, "six"] into all-text
            original = np.asarray(value, dtype=object).ravel()
        except Exception:
            original = arr.ravel()
        bad = _first_non_number(original)
        where = f" at position {bad[0]} ({bad[1]!r})" if bad else ""
        raise ValueError(f"{name} must be numeric; found a non-number{where}")
    arr = arr.astype(float)
    if ndim == 1:
        arr = np.atleast_1d(arr)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    elif ndim == 0:
        if arr.ndim != 0:
            raise ValueError(f"{name} must be a single number, got shape {arr.shape}")
    if not allow_nan:
        _reject_non_finite(arr, name)
    return arr


def _first_non_number(flat):
    for i, item in enumerate(flat):
        if isinstance(item, bool) or not isinstance(item, numbers.Real):
            return i, item
    return None


def _reject_non_finite(arr: np.ndarray, name: str) -> None:
    bad = np.flatnonzero(~np.isfinite(arr.ravel()))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name} must be finite; position {i} is {arr.ravel()[i]} "
            f"({bad.size} non-finite value{'s' if bad.size > 1 else ''} in all)"
        )


def as_float(value, name: str) -> float:
    """``value`` as one finite float."""
    return float(as_float_array(value, name, ndim=0))


def require_positive(arr: np.ndarray, name: str, *, allow_zero: bool = False) -> None:
    """Every element > 0 (>= 0 with allow_zero)."""
    bad = np.flatnonzero(arr < 0) if allow_zero else np.flatnonzero(arr <= 0)
    if bad.size:
        i = int(bad[0])
        rule = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be {rule}; position {i} is {arr[i]}")


def require_at_least(arr: np.ndarray, name: str, minimum: float) -> None:
    """Every element >= ``minimum``."""
    bad = np.flatnonzero(arr < minimum)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name} must be at least {minimum}; position {i} is {arr[i]}")


def require_in_range(arr: np.ndarray, name: str, low: float, high: float, *, closed: bool = True) -> None:
    """Every element in [low, high], or in (low, high) when not ``closed``."""
    outside = (arr < low) | (arr > high) if closed else (arr <= low) | (arr >= high)
    bad = np.flatnonzero(outside)
    if bad.size:
        i = int(bad[0])
        interval = f"[{low}, {high}]" if closed else f"({low}, {high})"
        raise ValueError(f"{name} must lie in {interval}; position {i} is {arr[i]}")


def broadcast_same_length(**arrays: np.ndarray) -> dict[str, np.ndarray]:
    """The 1-D arrays broadcast to their common length (length-1 arrays are repeated)."""
    lengths = {k: a.shape[0] for k, a in arrays.items()}
    longest = max(lengths.values())
    out = {}
    for key, arr in arrays.items():
        if arr.shape[0] not in (1, longest):
            detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
            raise ValueError(f"{key} has length {arr.shape[0]} but other arguments have {longest} ({detail})")
        out[key] = np.broadcast_to(arr, (longest,)).copy() if arr.shape[0] == 1 and longest > 1 else arr
    return out


def require_same_length(**arrays) -> int:
    """The common length of the arrays or sequences."""
    lengths = {k: len(a) for k, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"arguments must have the same length: {detail}")
    return next(iter(lengths.values()))


def as_labels(value, name: str, length: int) -> np.ndarray:
    """Cluster labels (study, outcome) as an object array of ``length``, none missing or blank."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of labels, one per effect, not a single string")
    if value is None or np.ndim(value) == 0:
        raise ValueError(f"{name} must be a sequence of {length} labels, one per effect size; "
                         f"got {'None' if value is None else repr(value)}")
    arr = np.asarray(list(value), dtype=object)
    if arr.ndim != 1 or arr.shape[0] != length:
        raise ValueError(f"{name} must have one label per effect size: expected {length}, "
                         f"got {arr.shape[0] if arr.ndim else 0}")
    missing = _missing_labels(arr)
    if missing.any():
        raise ValueError(f"{name} is missing a label at position {int(np.flatnonzero(missing)[0])}")
    return arr


def _missing_labels(arr: np.ndarray) -> np.ndarray:
    """True where a label is None, NaN, NA or a blank string (vectorised)."""
    import pandas as pd  # local: keep importing this module cheap

    blank = np.char.str_len(np.char.strip(arr.astype(str))) == 0
    return np.asarray(pd.isna(arr), dtype=bool) | blank


def require_greater_than(arr: np.ndarray, name: str, bound: float, *, why: str = "") -> None:
    """Every element > ``bound``; ``why`` is added to the message."""
    bad = np.flatnonzero(~(arr > bound))
    if bad.size:
        i = int(bad[0])
        reason = f" ({why})" if why else ""
        raise ValueError(f"{name} must be greater than {bound}{reason}; position {i} is {arr[i]}")


def all_equal(values: np.ndarray) -> bool:
    """True when the values agree to 1e-8 relative (max - min <= 1e-8 max |value|)."""
    return bool(np.ptp(values) <= 1e-8 * np.max(np.abs(values)))


def require_choice(value, name: str, choices) -> str:
    """``value``, if it is one of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def as_probability(value, name: str, example: str) -> float:
    """One number strictly between 0 and 1; ``example`` is shown in the message."""
    number = as_float(value, name)
    if not 0 < number < 1:
        raise ValueError(f"{name} must lie strictly between 0 and 1 (e.g. {example}); got {number}")
    return number


def require_level(level) -> float:
    """A confidence level in (0, 1)."""
    return as_probability(level, "level", "0.95")


def require_alpha(alpha) -> float:
    """A two-sided significance level in (0, 1)."""
    return as_probability(alpha, "alpha", "0.05")


# --------------------------------------------------------------------------
# Effect sizes and their sampling variances (every meta-analytic function)
# --------------------------------------------------------------------------
MAX_SCALE = 1e60     # |yi| and sqrt(vi) above this: squares of variances overflow double precision
MIN_SCALE = 1e-30    # sqrt(vi) below this: the weights 1/vi and their powers overflow


def check_effects(yi, vi, minimum_k: int = 2):
    """(yi, vi) as float arrays: same length, vi > 0, at least ``minimum_k`` effects, a computable scale."""
    yi = as_float_array(yi, "yi")
    vi = as_float_array(vi, "vi")
    require_same_length(yi=yi, vi=vi)
    require_positive(vi, "vi")
    if yi.size < minimum_k:
        raise ValueError(f"yi must hold at least {minimum_k} effect sizes (studies); got {yi.size}")
    check_scale(yi, vi)
    return yi, vi


def check_scale(yi, vi) -> None:
    """Refuse yi or vi too large or too small for double precision, asking to rescale.

    The likelihood uses powers of the weights and variances up to the fourth (tr(W W), tau^4);
    beyond MAX_SCALE and MIN_SCALE they overflow and the fit would fail with a misleading message.
    Rescaling (yi / c, vi / c^2) changes no conclusion.
    """
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


def as_positive_float(value, name: str, *, allow_zero: bool = False) -> float:
    """One finite number > 0 (>= 0 with allow_zero)."""
    number = as_float(value, name)
    if number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'non-negative' if allow_zero else 'positive'}; got {number}")
    return number


def as_whole_number(value, name: str, minimum: int = 0) -> int:
    """A count (people, scans, trials) >= ``minimum`` as an int; 3.0 is accepted, 3.5 is not."""
    number = as_float(value, name)
    if number != int(number):
        raise ValueError(f"{name} must be a whole number; got {value!r}")
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {int(number)}")
    return int(number)


def as_float_in_range(value, name: str, low: float, high: float) -> float:
    """One finite number in [low, high] (a rate, a correlation)."""
    number = as_float(value, name)
    if not low <= number <= high:
        raise ValueError(f"{name} must lie in [{low}, {high}]; got {number}")
    return number


def rng_from_seed(seed):
    """A numpy Generator from a non-negative whole-number seed (None: fresh entropy)."""
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number (or None); got {seed!r}")
    return np.random.default_rng(int(seed))
