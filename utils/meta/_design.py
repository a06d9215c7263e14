"""Moderators into the design matrix X of a meta-regression, as R's ``model.matrix`` with treatment coding."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..validation import as_float_array

@dataclass
class Term:
    """One moderator as it enters the design matrix."""
    name: str
    kind: str              # "numeric" or "categorical"
    levels: list | None    # categorical: all levels, the first is the reference


def moderator_columns(moderators):
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


def design_terms(moderators, k):
    """Inspect the moderators: numeric or categorical, and each categorical's levels.

    Levels are a Categorical's own order, otherwise sorted as R's factor() does
    in a UTF-8 locale (see ``_r_sort_key``).
    """
    terms = []
    for name, values in moderator_columns(moderators).items():
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
            terms.append(Term(name, "categorical", levels))
        else:
            as_float_array(np.asarray(values), f"moderator {name!r}")
            terms.append(Term(name, "numeric", None))
    return terms


def design_matrix(terms, moderators, k):
    """Intercept, numeric columns, and treatment-coded dummies (first level = reference).

    X = [1, x_1, ..., I(z = level_2), ..., I(z = level_m)], as R's
    ``model.matrix`` builds it with treatment contrasts for metafor's
    ``rma(mods = ~ ...)`` (Chambers & Hastie 1992, Statistical Models in S,
    ch. 2). Returns (X, names): "intercept", a numeric moderator's name, or
    "name[level]" for a dummy.
    """
    cols = moderator_columns(moderators)
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

