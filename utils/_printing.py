"""How every result of the package prints itself: one module, one way.

Every result class (pooled models, meta-regression, bias tests, robust and
selection-model estimates, power) derives from :class:`Printout` and so offers

* ``str(result)`` / ``repr(result)``: plain text, laid out like metafor's
  ``print`` (numbers to 4 decimals, p-values as metafor prints them);
* ``_repr_html_()``: the same content as an HTML table, which Jupyter shows;
* ``to_frame()``: a pandas DataFrame with **one row per item the result
  reports** (an estimate, a coefficient, a power setting), indexed by the
  item's name. Estimates always have the columns of :data:`ESTIMATE_COLUMNS`
  (``estimate, se, stat, p, ci_low, ci_high``; NaN where one does not apply).

A result lays itself out in one of two ways, chosen by what it reports:

``ModelPrintout``
    a fitted model, as metafor prints one: a header, the heterogeneity lines,
    "Model results:" and the coefficient table (``_header``, ``_lines``,
    ``_table``);
``SummaryPrintout``
    a method that yields a few labelled numbers (Egger's test, trim-and-fill,
    PET-PEESE, ...): a title and one "name  value" row each (``_title``, ``_rows``).

Tests are reported with the small :class:`Test` type (statistic, df, p) and
every p-value goes through :func:`format_p`. The layout and the significance
codes are those of metafor's print.rma (Viechtbauer 2010, J Stat Softw 36(3)).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

ESTIMATE_COLUMNS = ["estimate", "se", "stat", "p", "ci_low", "ci_high"]
"""The columns of every coefficient table and of ``to_frame()`` for estimates."""


# --------------------------------------------------------------------------
# Numbers as text
# --------------------------------------------------------------------------
def fmt(x, digits: int = 4) -> str:
    """A number to ``digits`` decimals; "NA" for None or NaN (as R prints them)."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "NA"
    return f"{x:.{digits}f}"


def format_p(p) -> str:
    """A p-value as metafor prints it: "<.0001" below 1e-4, otherwise 4 decimals; "NA" if not finite."""
    if p is None or not np.isfinite(p):
        return "NA"
    return "<.0001" if p < 1e-4 else f"{p:.4f}"


def p_text(p) -> str:
    """'p-val < .0001' or 'p-val = 0.0371', as metafor's print.rma writes a test's p."""
    text = format_p(p)
    return f"p-val < {text[1:]}" if text.startswith("<") else f"p-val = {text}"


def stars(p) -> str:
    """R's significance codes: *** < .001 < ** < .01 < * < .05 < . < .1."""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else "." if p < 0.1 else ""


def stat_name(test: str) -> str:
    """The column heading of the test statistic: "zval" for a z test, else "tval"."""
    return "zval" if test == "z" else "tval"


# --------------------------------------------------------------------------
# Shared value types
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Test:
    """A hypothesis test: statistic, degrees of freedom and p-value.

    Attributes
    ----------
    stat : float
        The test statistic (z, t, chi-square, F or likelihood ratio).
    df : float, tuple or None
        Its degrees of freedom: None for a z test, (df1, df2) for an F test.
    p : float
        The p-value.
    """
    stat: float
    df: float | tuple | None
    p: float

    def __str__(self) -> str:
        df = "" if self.df is None else f" (df = {self.df})"
        return f"{fmt(self.stat)}{df}, p = {format_p(self.p)}"


def estimate_frame(rows: dict) -> pd.DataFrame:
    """``to_frame()`` of estimates: one row each, ESTIMATE_COLUMNS first."""
    records = [{c: (row.get(c, np.nan) if isinstance(row, dict) else getattr(row, c, np.nan))
                for c in ESTIMATE_COLUMNS} for row in rows.values()]
    return pd.DataFrame(records, index=pd.Index(list(rows), name="term"), columns=ESTIMATE_COLUMNS)


def coefficient_text(table: pd.DataFrame, stat_heading: str) -> str:
    """A coefficient table as metafor prints it (estimate, se, zval/tval, pval, ci.lb, ci.ub, stars)."""
    rows = [["", "estimate", "se", stat_heading, "pval", "ci.lb", "ci.ub", ""]]
    for name, r in table.iterrows():
        rows.append([str(name), fmt(r["estimate"]), fmt(r["se"]), fmt(r.iloc[2]), format_p(r["p"]),
                     fmt(r["ci_low"]), fmt(r["ci_high"]), stars(r["p"])])
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:-1], widths[1:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------
# The result classes' common behaviour
# --------------------------------------------------------------------------
class Printout:
    """Text (``str``/``repr``), HTML (``_repr_html_``) and ``to_frame()`` for a result."""

    def __str__(self) -> str:
        return self._text()

    def __repr__(self) -> str:
        return self._text()

    def _repr_html_(self) -> str:
        return self._html()

    def to_frame(self) -> pd.DataFrame:
        """One row per item the result reports (see the module docstring)."""
        raise NotImplementedError


class ModelPrintout(Printout):
    """A fitted model printed as metafor's print.rma: ``_header()``, ``_lines()``,
    "Model results" with ``_table()``, and an optional ``_footer()`` line."""

    def _test_note(self) -> str:
        return "" if self.test == "z" else f" (t with {self.df} df)"

    def _footer(self) -> str | None:
        return None

    def _text(self) -> str:
        parts = [self._header(), "", *self._lines(), "", f"Model results{self._test_note()}:", "",
                 coefficient_text(self._table(), stat_name(self.test))]
        footer = self._footer()
        return "\n".join(parts + (["", footer] if footer else []))

    def _html(self) -> str:
        footer = self._footer()
        lines = self._lines() + ([footer] if footer else [])
        body = "".join(f"<li>{escape(line)}</li>" for line in lines if line)
        table = self._table().to_html(float_format=lambda v: f"{v:.4f}")
        return (f"<div><p><strong>{escape(self._header())}</strong></p>"
                f"<ul style='list-style:none;padding-left:0'>{body}</ul>{table}</div>")

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table: one row per coefficient, ESTIMATE_COLUMNS."""
        return self._table().copy()


class SummaryPrintout(Printout):
    """A few labelled numbers: ``_title()`` and ``_rows()``, a list of (name, value text)."""

    def _text(self) -> str:
        rows = self._rows()
        width = max(len(name) for name, _ in rows)
        body = "\n".join(f"  {name.ljust(width)}  {value}" for name, value in rows)
        return f"{self._title()}\n{body}"

    def _html(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{escape(name)}</th>"
                       f"<td style='text-align:left'>{escape(value)}</td></tr>" for name, value in self._rows())
        return (f"<table><caption style='text-align:left'><b>{escape(self._title())}</b></caption>"
                f"{rows}</table>")


@dataclass(repr=False)
class Estimate:
    """An estimate with its test and confidence interval: the fields every result
    with one main estimate shares (pooled, PET/PEESE intercept, selection model,
    cluster-robust test).

    Attributes
    ----------
    estimate, se : float
        The estimate and its standard error.
    stat, p : float
        Its test statistic (z or t) against 0 and the two-sided p-value.
    ci_low, ci_high : float
        The confidence interval (at the result's ``level``, 95% by default).
    """
    estimate: float
    se: float
    stat: float
    p: float
    ci_low: float
    ci_high: float
