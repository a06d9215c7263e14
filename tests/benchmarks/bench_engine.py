"""Fit times of the statistical engine (REML), printed as a small table.

Run from the repository root:   .venv/bin/python tests/benchmarks/bench_engine.py

Univariate random-effects models with k = 10, 1,000 and 100,000 effects, and
three-level models with 56 outcomes (dat.konstantopoulos2011, from the metafor
fixtures), 5,000 and 100,000 outcomes (simulated, about 10 outcomes per study).
Each time is the best of a few repeats (the machine may be busy).
"""
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from utils import meta  # noqa: E402


def best_time(fit, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - start)
    return min(times), result


def simulated_univariate(k, rng):
    """Simulated: tau^2 = 0.05, sampling variances uniform on [0.01, 0.2]."""
    vi = rng.uniform(0.01, 0.2, k)
    return 0.2 + rng.normal(0, np.sqrt(0.05), k) + rng.normal(0, np.sqrt(vi)), vi


def simulated_three_level(k, rng):
    """Simulated: k outcomes in k/10 studies, sigma2 = (0.05, 0.02)."""
    n_studies = max(2, k // 10)
    study = np.sort(rng.integers(0, n_studies, k))
    vi = rng.uniform(0.01, 0.2, k)
    yi = (0.2 + rng.normal(0, np.sqrt(0.05), n_studies)[study] + rng.normal(0, np.sqrt(0.02), k)
          + rng.normal(0, np.sqrt(vi)))
    return yi, vi, study


def main():
    rng = np.random.default_rng(2024)
    rows = []
    for k in (10, 1_000, 100_000):
        yi, vi = simulated_univariate(k, rng)
        seconds, res = best_time(lambda: meta.random_effects(yi, vi, method="REML"), 5 if k < 100_000 else 3)
        rows.append(("random_effects REML", f"k = {k:,} (simulated)", seconds, f"tau2 = {res.tau2:.4f}"))

    fixtures = json.loads((ROOT / "tests" / "fixtures" / "engine.json").read_text())
    ko = next(e for e in fixtures["three_level"] if e["dataset"] == "dat.konstantopoulos2011")
    seconds, res = best_time(lambda: meta.three_level(ko["yi"], ko["vi"], ko["study"], ko["outcome"]), 5)
    rows.append(("three_level REML", "k = 56 (dat.konstantopoulos2011)", seconds,
                 f"sigma2 = {res.sigma2[0]:.4f}, {res.sigma2[1]:.4f}"))
    for k in (5_000, 100_000):
        yi, vi, study = simulated_three_level(k, rng)
        seconds, res = best_time(lambda: meta.three_level(yi, vi, study), 5 if k < 100_000 else 3)
        rows.append(("three_level REML", f"k = {k:,} in {res.n_studies:,} studies (simulated)", seconds,
                     f"sigma2 = {res.sigma2[0]:.4f}, {res.sigma2[1]:.4f}"))

    print(f"{'model':<22}{'data':<45}{'seconds':>9}   estimates")
    for model, data, seconds, note in rows:
        print(f"{model:<22}{data:<45}{seconds:>9.4f}   {note}")


if __name__ == "__main__":
    main()
