"""Input checks shared by the whole package.

Every public function validates its arguments here first, so that bad input
stops with a ``ValueError`` that names the argument and the offending
position, never with a silent NaN or a traceback from deep inside numpy.
"""
from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name: str, *, ndim: int = 1, allow_nan: bool = False) -> np.ndarray:
    """Return ``value`` as a float array, or raise ValueError naming ``name``.

    Scalars are accepted and become arrays of length 1 when ``ndim == 1``.
    Strings, booleans and objects that are not numbers are rejected.
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
        bad = _first_non_number(arr.ravel())
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
    """Return ``value`` as one finite float, or raise ValueError naming ``name``."""
    return float(as_float_array(value, name, ndim=0))


def require_positive(arr: np.ndarray, name: str, *, allow_zero: bool = False) -> None:
    """Raise unless every element of ``arr`` is > 0 (or >= 0 with allow_zero)."""
    bad = np.flatnonzero(arr < 0) if allow_zero else np.flatnonzero(arr <= 0)
    if bad.size:
        i = int(bad[0])
        rule = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be {rule}; position {i} is {arr[i]}")


def require_at_least(arr: np.ndarray, name: str, minimum: float) -> None:
    """Raise unless every element of ``arr`` is >= ``minimum``."""
    bad = np.flatnonzero(arr < minimum)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name} must be at least {minimum}; position {i} is {arr[i]}")


def require_in_range(arr: np.ndarray, name: str, low: float, high: float, *, closed: bool = True) -> None:
    """Raise unless every element of ``arr`` lies in [low, high] (or (low, high))."""
    outside = (arr < low) | (arr > high) if closed else (arr <= low) | (arr >= high)
    bad = np.flatnonzero(outside)
    if bad.size:
        i = int(bad[0])
        interval = f"[{low}, {high}]" if closed else f"({low}, {high})"
        raise ValueError(f"{name} must lie in {interval}; position {i} is {arr[i]}")


def broadcast_same_length(**arrays: np.ndarray) -> dict[str, np.ndarray]:
    """Broadcast length-1 arrays to the common length; raise on mismatched lengths."""
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
    """Raise unless all arrays (or sequences) have the same length; return it."""
    lengths = {k: len(a) for k, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"arguments must have the same length: {detail}")
    return next(iter(lengths.values()))


def as_labels(value, name: str, length: int) -> np.ndarray:
    """Return cluster labels (study, outcome) as an object array; no missing labels."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of labels, one per effect, not a single string")
    arr = np.asarray(list(value), dtype=object)
    if arr.ndim != 1 or arr.shape[0] != length:
        raise ValueError(f"{name} must have one label per effect size: expected {length}, got {arr.shape[0] if arr.ndim else 0}")
    for i, label in enumerate(arr):
        if label is None or (isinstance(label, float) and np.isnan(label)) or (isinstance(label, str) and not label.strip()):
            raise ValueError(f"{name} is missing a label at position {i}")
    return arr
