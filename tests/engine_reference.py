"""Shared helpers for the tests that compare with R: the one loader of the
JSON fixtures (``fixture``, ``cases``, ``case``, ``dataset``) and the one
comparison with a clear failure message (``assert_close``).

The reference values come from tests/fixtures/make_engine_fixtures.R (R's
metafor, tight convergence) via tests/fixtures/engine.json, and from
tests/fixtures/make_robust_bias_fixtures.R (metafor and clubSandwich) via
tests/fixtures/robust_bias.json.
"""
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@lru_cache(maxsize=None)
def fixture(name):
    """tests/fixtures/<name>.json (engine, robust_bias, bias, power, fmri, prediction): the one loader."""
    with open(FIXTURES / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def reference():
    """engine.json: escalc, rma, rma.mv, aggregate and meta-regression cases."""
    return fixture("engine")


def robust_bias():
    """robust_bias.json: PET-PEESE, selmodel, influence, gosh and robust cases."""
    return fixture("robust_bias")


def cases(section, dataset=None, *, source="robust_bias", **match):
    """The entries of a fixture's section, selected by dataset name (and other
    fields such as method), never by position."""
    found = [c for c in fixture(source)[section]
             if (dataset is None or c["dataset"] == dataset) and all(c.get(k) == v for k, v in match.items())]
    assert found, f"no {section} case for {dataset} {match} in {source}.json"
    return found


def case(section, dataset, *, source="robust_bias", **match):
    """The one entry of a section that matches; fails if the selection is ambiguous."""
    found = cases(section, dataset, source=source, **match)
    assert len(found) == 1, f"{len(found)} {section} cases match {dataset} {match} in {source}.json"
    return found[0]


def dataset(name, source="robust_bias"):
    """A data set of a fixture as numpy arrays (yi, vi) plus its label columns."""
    d = fixture(source)["datasets"][name]
    return {k: (np.asarray(v, dtype=float) if k in ("yi", "vi") else v) for k, v in d.items()}


def case_id(entry):
    """A readable pytest id for one fixture entry."""
    parts = [entry["dataset"].split(" ")[0], entry.get("formula", ""), entry.get("method", ""),
             entry.get("test", ""), f"rho={entry['rho']}" if "rho" in entry else ""]
    return "-".join(p for p in parts if p)


def assert_close(ours, ref, what, rtol=1e-6, atol=0.0, against="metafor"):
    """|ours - ref| <= rtol * scale + atol, element-wise, where scale is the
    largest |ref| of the quantity (so that a value that happens to lie near
    zero, e.g. one bound of a confidence interval, is compared on the scale of
    its neighbours rather than relative to almost nothing)."""
    ours = np.asarray(ours, dtype=float)
    ref = np.asarray(ref, dtype=float)
    assert ours.shape == ref.shape, f"{what}: shape {ours.shape} but {against} has {ref.shape}"
    scale = np.max(np.abs(ref)) if ref.size else 0.0
    bound = rtol * scale + atol
    diff = np.abs(ours - ref)
    assert np.all(diff <= bound), (
        f"{what}: differs from {against} by up to {np.max(diff):.3g} (allowed {bound:.3g})\n"
        f"  ours: {ours}\n  {against}: {ref}")
