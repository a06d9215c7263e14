"""Loaders for the CSV files in ``data/``, each checked before use.

Every loader reads one file, checks its columns (names, types, ranges,
allowed values) and the rules that tie columns together (for example
N = women + men, or CI low <= g <= CI high), and returns a pandas DataFrame.
A corrupted file stops with a ``ValueError`` that names the file, the data
row (1-based, as a spreadsheet would count it after the header), the line
of the file and the column, e.g.::

    data/loseth2024_table1.csv: row 3 (line 4), column 'n': N (80) is not women + men (48 + 33 = 81)

The sources of every value are in ``data/README.md``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["load_table1", "table1_effects", "load_table1_contexts", "load_konstantopoulos2011", "load_bcg",
           "load_hackshaw1998", "data_path", "TABLE1_COLUMNS", "CONTEXT_COLUMNS", "RELATIONSHIP_TYPES"]


def __dir__():
    return sorted(__all__)


DATA_DIR = Path(__file__).resolve().parent.parent / "data"

RELATIONSHIP_TYPES = ("new", "unspecified", "established")
"""Løseth et al. (2024) Table 1, "Relationship type"; ``new`` is the reference level."""


@dataclass(frozen=True)
class Column:
    """What one CSV column must hold.

    Parameters
    ----------
    name : str
        Column name in the file.
    kind : {"int", "float", "text", "bool", "text_list", "int_list"}
        Type of the cells; lists are ``;``-separated in the file and become tuples.
    required : bool
        False lets a cell be empty (it becomes NaN / <NA> / None).
    low, high : float, optional
        Bounds for numbers (and every item of an int_list).
    allowed : tuple of str, optional
        The permitted texts.
    """

    name: str
    kind: str
    required: bool = True
    low: float | None = None
    high: float | None = None
    allowed: tuple[str, ...] | None = None


# --------------------------------------------------------------------------- #
# Generic reading and checking
# --------------------------------------------------------------------------- #

def data_path(filename: str) -> Path:
    """Path of ``filename`` inside ``data/`` (next to the ``utils`` package).

    Parameters
    ----------
    filename : str
        A file name in the course data folder.

    Returns
    -------
    pathlib.Path
        Its absolute path.

    Raises
    ------
    FileNotFoundError
        If the data folder or the file is missing.
    """
    if not DATA_DIR.is_dir():
        raise FileNotFoundError(
            f"the course data folder was not found at {DATA_DIR}; the 'data' folder "
            "must sit next to the 'utils' folder (run the notebooks from inside the course repository)"
        )
    path = DATA_DIR / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the course data folder {DATA_DIR}")
    return path


class _Table:
    """A CSV file being checked; ``fail`` builds the file/row/column message."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def fail(self, row_index: int | None, column: str, problem: str) -> None:
        where = "" if row_index is None else f" row {row_index + 1} (line {row_index + 2}),"
        raise ValueError(f"{self.path}:{where} column '{column}': {problem}")

    def fail_first(self, bad: np.ndarray, column: str, problem) -> None:
        """Fail at the first True in ``bad``; ``problem(i)`` describes row ``i``."""
        bad = np.flatnonzero(np.asarray(bad, dtype=bool))
        if bad.size:
            i = int(bad[0])
            self.fail(i, column, problem(i))


def _read_checked(path: Path, columns: list[Column]) -> pd.DataFrame:
    """Read ``path`` as text, check it against ``columns`` and return typed columns."""
    table = _Table(path)
    if not table.path.is_file():
        raise FileNotFoundError(f"{table.path} does not exist")
    try:
        raw = pd.read_csv(table.path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{table.path}: cannot be read as a UTF-8 CSV file ({exc})") from None
    expected = [c.name for c in columns]
    for name in expected:
        if name not in raw.columns:
            table.fail(None, name, f"is missing (expected columns: {', '.join(expected)})")
    for name in raw.columns:
        if name not in expected:
            table.fail(None, name, f"is not expected in this file (expected columns: {', '.join(expected)})")
    if raw.empty:
        raise ValueError(f"{table.path}: the file has a header but no data rows")
    raw = raw[expected].apply(lambda s: s.str.strip())
    out = {c.name: _parse_column(table, raw[c.name], c) for c in columns}
    return pd.DataFrame(out)


def _parse_column(table: _Table, text: pd.Series, col: Column) -> pd.Series:
    empty = (text == "").to_numpy()
    if col.required:
        table.fail_first(empty, col.name, lambda i: "is empty but a value is required")
    if col.kind in ("int", "float"):
        return _parse_number(table, text, empty, col)
    if col.kind == "bool":
        lowered = text.str.lower()
        table.fail_first(~empty & ~lowered.isin(["true", "false"]).to_numpy(), col.name,
                         lambda i: f"{text.iloc[i]!r} is not True or False")
        flags = lowered.map({"true": True, "false": False})
        return flags.astype(bool) if col.required else flags.astype("boolean")
    if col.kind == "text":
        if col.allowed is not None:
            table.fail_first(~empty & ~text.isin(col.allowed).to_numpy(), col.name,
                             lambda i: f"{text.iloc[i]!r} is not one of {', '.join(col.allowed)}")
        return text.where(~empty, None)
    if col.kind in ("text_list", "int_list"):
        return _parse_list(table, text, empty, col)
    raise AssertionError(f"unknown column kind {col.kind!r}")


def _parse_number(table: _Table, text: pd.Series, empty: np.ndarray, col: Column) -> pd.Series:
    values = pd.to_numeric(text.where(~empty, None), errors="coerce").astype(float).to_numpy()
    table.fail_first(~empty & ~np.isfinite(values), col.name,
                     lambda i: f"{text.iloc[i]!r} is not a finite number")
    if col.kind == "int":
        table.fail_first(~empty & (values != np.round(values)), col.name,
                         lambda i: f"{text.iloc[i]!r} is not a whole number")
    _check_range(table, values, ~empty, col, lambda i: text.iloc[i])
    if col.kind == "int":  # plain int64, or nullable Int64 where cells may be empty
        return pd.Series(values).round().astype("int64" if col.required else "Int64")
    return pd.Series(values, dtype=float)


def _check_range(table: _Table, values, present, col: Column, shown) -> None:
    if col.low is not None:
        table.fail_first(present & (values < col.low), col.name,
                         lambda i: f"{shown(i)} is below the allowed minimum {col.low}")
    if col.high is not None:
        table.fail_first(present & (values > col.high), col.name,
                         lambda i: f"{shown(i)} is above the allowed maximum {col.high}")


def _parse_list(table: _Table, text: pd.Series, empty: np.ndarray, col: Column) -> pd.Series:
    items = [tuple(part.strip() for part in cell.split(";")) if cell else None for cell in text]
    for i, parts in enumerate(items):
        if parts is None:
            continue
        if any(p == "" for p in parts):
            table.fail(i, col.name, f"{text.iloc[i]!r} has an empty item (items are separated by ';')")
        if col.allowed is not None:
            wrong = [p for p in parts if p not in col.allowed]
            if wrong:
                table.fail(i, col.name, f"{wrong[0]!r} is not one of {', '.join(col.allowed)}")
        if col.kind == "int_list":
            try:
                numbers = tuple(int(p) for p in parts)
            except ValueError:
                table.fail(i, col.name, f"{text.iloc[i]!r} is not a ';'-separated list of whole numbers")
            _check_range(table, np.array(numbers, dtype=float), np.ones(len(numbers), bool), col,
                         lambda _j, cell=text.iloc[i]: repr(cell))
            items[i] = numbers
    return pd.Series(items, dtype=object)


def _check_unique(table: _Table, values: pd.Series, column: str) -> None:
    table.fail_first(values.duplicated().to_numpy(), column,
                     lambda i: f"{values.iloc[i]!r} appears more than once")


def _check_ci(table: _Table, df: pd.DataFrame, g: str, low: str, high: str) -> None:
    """All three of g, CI low, CI high present or all absent; low <= g <= high."""
    present = df[[g, low, high]].notna().to_numpy()
    partial = present.any(axis=1) & ~present.all(axis=1)
    table.fail_first(partial, g, lambda i: f"{g}, {low} and {high} must be all given or all empty")
    ok = present.all(axis=1)
    table.fail_first(ok & (df[low] > df[g]).to_numpy(), low,
                     lambda i: f"the lower CI bound {df[low].iloc[i]} is above the estimate {df[g].iloc[i]}")
    table.fail_first(ok & (df[g] > df[high]).to_numpy(), high,
                     lambda i: f"the upper CI bound {df[high].iloc[i]} is below the estimate {df[g].iloc[i]}")


# --------------------------------------------------------------------------- #
# Løseth, Trøstheim & Leknes (2024), Table 1
# --------------------------------------------------------------------------- #

TABLE1_COLUMNS = [
    Column("study", "text"),
    Column("references", "int_list", low=1),
    Column("n", "int", low=1),
    Column("women", "int", low=0),
    Column("men", "int", low=0),
    Column("age_mean", "float", low=0, high=120),
    Column("age_sd", "float", low=0),
    Column("design", "text", allowed=("WS", "BS")),
    Column("isi_days", "int", required=False, low=1),
    Column("naltrexone_mg", "int_list", low=1),
    Column("naltrexone_n", "int_list", low=1),
    Column("placebo_n", "int", low=1),
    Column("contexts", "text_list"),
    Column("relationship_types", "text_list", allowed=RELATIONSHIP_TYPES),
    Column("connectedness_g", "float"),
    Column("connectedness_ci_low", "float"),
    Column("connectedness_ci_high", "float"),
    Column("positive_mood_g", "float", required=False),
    Column("positive_mood_ci_low", "float", required=False),
    Column("positive_mood_ci_high", "float", required=False),
    Column("jadad", "int", low=0, high=5),
    Column("preregistered", "bool"),
    Column("unpublished", "bool"),
]


def load_table1(path: str | Path | None = None) -> pd.DataFrame:
    """The 8 studies of Løseth, Trøstheim & Leknes (2024) Table 1, checked.

    One row per study: demographics, design, doses and arm sizes, contexts and
    relationship types (tuples, in the same order), the study-aggregated
    Hedges' g for social connectedness and for positive mood with 95% CIs
    (positive mood is missing where the table shows "---"), Jadad quality and
    the preregistered / unpublished flags. Columns: ``data/README.md``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV file to read; default ``data/loseth2024_table1.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per study.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing, a value is out of its column's range, a study repeats,
        N is not women + men, or a g lies outside its CI.

    References
    ----------
    Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379, Table 1.
    """
    path = Path(path) if path is not None else data_path("loseth2024_table1.csv")
    df = _read_checked(path, TABLE1_COLUMNS)
    table = _Table(path)
    _check_unique(table, df["study"], "study")
    _check_table1_rows(table, df)
    _check_ci(table, df, "connectedness_g", "connectedness_ci_low", "connectedness_ci_high")
    _check_ci(table, df, "positive_mood_g", "positive_mood_ci_low", "positive_mood_ci_high")
    return df


def _check_table1_rows(table: _Table, df: pd.DataFrame) -> None:
    n, women, men = (df[c].to_numpy(dtype=float) for c in ("n", "women", "men"))
    table.fail_first(n != women + men, "n",
                     lambda i: f"N ({n[i]:.0f}) is not women + men "
                               f"({women[i]:.0f} + {men[i]:.0f} = {women[i] + men[i]:.0f})")
    within = (df["design"] == "WS").to_numpy()
    has_isi = df["isi_days"].notna().to_numpy()
    table.fail_first(within & ~has_isi, "isi_days",
                     lambda i: "a within-subject (WS) study needs its intersession interval")
    table.fail_first(~within & has_isi, "isi_days",
                     lambda i: "a between-subject (BS) study has no intersession interval; leave it empty")
    n_doses = df["naltrexone_mg"].map(len).to_numpy()
    n_arms = df["naltrexone_n"].map(len).to_numpy()
    table.fail_first(n_doses != n_arms, "naltrexone_n",
                     lambda i: f"{n_arms[i]} group size(s) for {n_doses[i]} dose(s); give one n per dose")
    drug = df["naltrexone_n"].map(sum).to_numpy(dtype=float)
    placebo = df["placebo_n"].to_numpy(dtype=float)
    table.fail_first(~within & (drug + placebo != n), "naltrexone_n",
                     lambda i: f"naltrexone arms ({drug[i]:.0f}) + placebo ({placebo[i]:.0f}) "
                               f"do not add up to N ({n[i]:.0f})")
    table.fail_first(within & (drug != n), "naltrexone_n",
                     lambda i: f"in a within-subject study every participant takes naltrexone: "
                               f"{drug[i]:.0f} is not N ({n[i]:.0f})")
    table.fail_first(within & (placebo != n), "placebo_n",
                     lambda i: f"in a within-subject study every participant takes placebo: "
                               f"{placebo[i]:.0f} is not N ({n[i]:.0f})")
    n_ctx = df["contexts"].map(len).to_numpy()
    n_rel = df["relationship_types"].map(len).to_numpy()
    table.fail_first(n_ctx != n_rel, "relationship_types",
                     lambda i: f"{n_rel[i]} relationship type(s) for {n_ctx[i]} context(s); "
                               "give one per context, in the same order")


def table1_effects(outcome: str = "connectedness", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Study effects from Table 1 ready for meta-analysis: study, yi, sei, vi.

    yi is the study-aggregated Hedges' g; its standard error comes from the
    95% CI, se = (high - low) / (2 * 1.959964) (``utils.effects.se_from_ci``;
    Borenstein et al. 2009), and vi = se**2. Because the table rounds g and the
    CI to 2 decimals, these are approximations of the authors' values. Studies
    without the outcome are left out.

    Parameters
    ----------
    outcome : {"connectedness", "positive_mood"}
        Which outcome of Table 1.
    table : pandas.DataFrame, optional
        A table as ``load_table1`` returns; default ``load_table1()``.

    Returns
    -------
    pandas.DataFrame
        Columns study, yi, sei, vi; one row per study with that outcome.

    Raises
    ------
    ValueError
        If outcome is unknown.

    References
    ----------
    Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379, Table 1.
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
        Meta-Analysis. Wiley (SE from a CI).
    """
    from .effects import se_from_ci

    if outcome not in ("connectedness", "positive_mood"):
        raise ValueError(f"outcome must be 'connectedness' or 'positive_mood', got {outcome!r}")
    df = load_table1() if table is None else table
    df = df[df[f"{outcome}_g"].notna()]
    sei = np.asarray(se_from_ci(df[f"{outcome}_ci_low"].to_numpy(), df[f"{outcome}_ci_high"].to_numpy()), dtype=float)
    return pd.DataFrame({
        "study": df["study"].to_numpy(),
        "yi": df[f"{outcome}_g"].to_numpy(dtype=float),
        "sei": sei,
        "vi": sei ** 2,
    })


CONTEXT_COLUMNS = [
    Column("study", "text"),
    Column("context_number", "int", low=1),
    Column("context", "text"),
    Column("relationship_type", "text", allowed=RELATIONSHIP_TYPES),
]


def load_table1_contexts(path: str | Path | None = None, table1: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (study, context, relationship type) of Table 1, checked.

    Holds no effect sizes: the outcome-level effects (Fig. 1 of the paper) are
    not in the published text. Each study's contexts must match, in order,
    the ``contexts`` and ``relationship_types`` of ``load_table1()``.
    ``relationship_type`` is returned as an ordered categorical
    new < unspecified < established, so "new" is the reference level.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV file to read; default ``data/loseth2024_contexts.csv``.
    table1 : pandas.DataFrame, optional
        Table 1 to check against; default ``load_table1()``.

    Returns
    -------
    pandas.DataFrame
        Columns study, context_number, context, relationship_type.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing, a value is out of its column's range, or the contexts
        disagree with Table 1.

    References
    ----------
    Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379, Table 1.
    """
    path = Path(path) if path is not None else data_path("loseth2024_contexts.csv")
    df = _read_checked(path, CONTEXT_COLUMNS)
    table1 = load_table1() if table1 is None else table1
    _check_contexts_against_table1(_Table(path), df, table1)
    df["relationship_type"] = pd.Categorical(df["relationship_type"], categories=RELATIONSHIP_TYPES, ordered=True)
    return df


def _check_contexts_against_table1(table: _Table, df: pd.DataFrame, table1: pd.DataFrame) -> None:
    known = table1.set_index("study")
    table.fail_first(~df["study"].isin(known.index).to_numpy(), "study",
                     lambda i: f"{df['study'].iloc[i]!r} is not a study of Table 1")
    expected_number = df.groupby("study", sort=False).cumcount().to_numpy() + 1
    number = df["context_number"].to_numpy(dtype=int)
    table.fail_first(number != expected_number, "context_number",
                     lambda i: f"{number[i]} should be {expected_number[i]} "
                               "(contexts are numbered 1, 2, ... within each study, in Table 1 order)")
    pos = number - 1
    contexts = known.loc[df["study"], "contexts"].to_numpy()
    types = known.loc[df["study"], "relationship_types"].to_numpy()
    n_listed = np.array([len(c) for c in contexts])
    table.fail_first(pos >= n_listed, "context_number",
                     lambda i: f"Table 1 lists only {n_listed[i]} context(s) for {df['study'].iloc[i]!r}")
    want_ctx = np.array([c[p] for c, p in zip(contexts, pos)], dtype=object)
    want_rel = np.array([t[p] for t, p in zip(types, pos)], dtype=object)
    table.fail_first(df["context"].to_numpy() != want_ctx, "context",
                     lambda i: f"{df['context'].iloc[i]!r} differs from Table 1 ({want_ctx[i]!r})")
    table.fail_first(df["relationship_type"].to_numpy() != want_rel, "relationship_type",
                     lambda i: f"{df['relationship_type'].iloc[i]!r} differs from Table 1 ({want_rel[i]!r})")
    counts = df.groupby("study", sort=False).size()
    short = [s for s in known.index if counts.get(s, 0) != len(known.loc[s, "contexts"])]
    if short:
        s = short[0]
        raise ValueError(f"{table.path}: column 'study': {s!r} has {counts.get(s, 0)} context row(s) "
                         f"but Table 1 lists {len(known.loc[s, 'contexts'])}")


# --------------------------------------------------------------------------- #
# metadat example data sets (GPL >= 2; exported by data/export_metadat.R)
# --------------------------------------------------------------------------- #

KONSTANTOPOULOS2011_COLUMNS = [
    Column("district", "int", low=1),
    Column("school", "int", low=1),
    Column("study", "int", low=1),
    Column("year", "int", low=1900, high=2100),
    Column("yi", "float"),
    Column("vi", "float", low=1e-12),
]


def load_konstantopoulos2011(path: str | Path | None = None) -> pd.DataFrame:
    """metadat::dat.konstantopoulos2011: 56 schools in 11 districts (three-level example).

    yi = standardised mean difference (modified vs traditional school calendar),
    vi = its sampling variance; schools are nested in districts.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV file (default: the course's ``data/konstantopoulos2011.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns district, school, study, year, yi, vi.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing, a value is out of its column's range, or a study or a
        school within its district repeats.

    References
    ----------
    Konstantopoulos S (2011). Fixed effects and variance components estimation in
        three-level meta-analysis. Res Synth Methods 2:61-76.
    metadat: Meta-Analysis Datasets, R package (see data/README.md).
    """
    path = Path(path) if path is not None else data_path("konstantopoulos2011.csv")
    df = _read_checked(path, KONSTANTOPOULOS2011_COLUMNS)
    table = _Table(path)
    _check_unique(table, df["study"], "study")
    _check_unique(table, df["district"].astype(str) + "/" + df["school"].astype(str), "school")
    return df


BCG_COLUMNS = [
    Column("trial", "int", low=1),
    Column("author", "text"),
    Column("year", "int", low=1900, high=2100),
    Column("tpos", "int", low=0),
    Column("tneg", "int", low=0),
    Column("cpos", "int", low=0),
    Column("cneg", "int", low=0),
    Column("ablat", "float", low=0, high=90),
    Column("alloc", "text", allowed=("random", "alternate", "systematic")),
]


def load_bcg(path: str | Path | None = None) -> pd.DataFrame:
    """metadat::dat.bcg: 13 BCG vaccine trials (2x2 tables, latitude, allocation).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV file to read (default ``data/bcg.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns trial, author, year, tpos, tneg, cpos, cneg, ablat, alloc.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing or a count, year, latitude or allocation breaks its column's rule.

    References
    ----------
    Colditz GA, et al. (1994). Efficacy of BCG vaccine in the prevention of
        tuberculosis: meta-analysis of the published literature. JAMA 271:698-702.
    metadat: Meta-Analysis Datasets, R package (see data/README.md).
    """
    path = Path(path) if path is not None else data_path("bcg.csv")
    df = _read_checked(path, BCG_COLUMNS)
    _check_unique(_Table(path), df["trial"], "trial")
    return df


HACKSHAW1998_COLUMNS = [
    Column("study", "int", low=1),
    Column("author", "text"),
    Column("year", "int", low=1900, high=2100),
    Column("country", "text"),
    Column("design", "text", allowed=("cohort", "case-control")),
    Column("cases", "int", low=0),
    Column("or", "float", low=1e-12),
    Column("or_lb", "float", low=1e-12),
    Column("or_ub", "float", low=1e-12),
    Column("yi", "float"),
    Column("vi", "float", low=1e-12),
]


def load_hackshaw1998(path: str | Path | None = None) -> pd.DataFrame:
    """metadat::dat.hackshaw1998: 37 studies of lung cancer and spousal smoking.

    yi = log odds ratio, vi = its variance (back-calculated by metadat from the
    reported OR and 95% CI; the columns ``or.lb``/``or.ub`` are renamed
    ``or_lb``/``or_ub``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Where to read the CSV from; default ``data/hackshaw1998.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns study, author, year, country, design, cases, or, or_lb, or_ub,
        yi, vi.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing, a study repeats, or an odds ratio lies outside its CI
        (or another value breaks its column's rule).

    References
    ----------
    Hackshaw AK, Law MR, Wald NJ (1997). The accumulated evidence on lung cancer
        and environmental tobacco smoke. BMJ 315:980-988.
    metadat: Meta-Analysis Datasets, R package (see data/README.md).
    """
    path = Path(path) if path is not None else data_path("hackshaw1998.csv")
    df = _read_checked(path, HACKSHAW1998_COLUMNS)
    table = _Table(path)
    _check_unique(table, df["study"], "study")
    _check_ci(table, df, "or", "or_lb", "or_ub")
    return df
