"""Shared helpers for the engine tests: the metafor reference values and a
comparison with a clear failure message.

The reference values come from tests/fixtures/make_engine_fixtures.R (R's
metafor, tight convergence) via tests/fixtures/engine.json, and from
tests/fixtures/make_robust_bias_fixtures.R (metafor and clubSandwich) via
tests/fixtures/robust_bias.json.
"""
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "engine.json"
ROBUST_BIAS = Path(__file__).resolve().parent / "fixtures" / "robust_bias.json"


@lru_cache(maxsize=1)
def reference():
    with open(FIXTURE, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def robust_bias():
    """robust_bias.json: PET-PEESE, selmodel, influence, gosh and robust cases."""
    with open(ROBUST_BIAS, encoding="utf-8") as handle:
        return json.load(handle)


def cases(section, dataset=None, **match):
    """The entries of a robust_bias.json section, selected by dataset name (and
    other fields such as method), never by position."""
    found = [c for c in robust_bias()[section]
             if (dataset is None or c["dataset"] == dataset) and all(c.get(k) == v for k, v in match.items())]
    assert found, f"no {section} case for {dataset} {match} in robust_bias.json"
    return found


def dataset(name):
    """A data set of robust_bias.json as numpy arrays (yi, vi) plus its label columns."""
    d = robust_bias()["datasets"][name]
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
