"""Shared helpers for the engine tests: the metafor reference values and a
comparison with a clear failure message.

The reference values come from tests/fixtures/make_engine_fixtures.R (R's
metafor, tight convergence) via tests/fixtures/engine.json.
"""
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "engine.json"


@lru_cache(maxsize=1)
def reference():
    with open(FIXTURE, encoding="utf-8") as handle:
        return json.load(handle)


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
