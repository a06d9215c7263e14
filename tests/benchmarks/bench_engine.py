"""Fit times of the statistical engine (REML), with metafor timed on the same data.

Run from the repository root:   .venv/bin/python tests/benchmarks/bench_engine.py
(or as part of everything:       .venv/bin/python tests/benchmarks/run_all.py)

Univariate random-effects models with k = 10, 1,000 and 100,000 effects, and
three-level models with 56 outcomes (dat.konstantopoulos2011, from the metafor
fixtures), 5,000 and 100,000 outcomes (simulated, about 10 outcomes per study).
Each time is the best of a few repeats (the machine may be busy). Where R is
installed, metafor's rma() / rma.mv() are timed on the same data, around the
fit only (proc.time() inside R, so starting R and loading metafor are not
counted), and reported as a ratio R / Python. rma.mv gets sparse=TRUE above
100 outcomes (rma.mv's option for speed on large data; faster here).
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from utils import meta  # noqa: E402

UNIVARIATE_SIZES = (10, 1_000, 100_000)
THREE_LEVEL_SIZES = (56, 5_000, 100_000)   # 56 = dat.konstantopoulos2011
R_MEMORY_LIMIT = 8 * 2**30                 # bytes of address space an R fit may take


@dataclass
class Case:
    """One data set to fit: ``study`` is None for the univariate model."""
    model: str
    data: str
    yi: np.ndarray
    vi: np.ndarray
    study: np.ndarray | None = None
    outcome: np.ndarray | None = None

    @property
    def k(self) -> int:
        return len(self.yi)

    def fit(self):
        if self.study is None:
            return meta.random_effects(self.yi, self.vi, method="REML")
        return meta.three_level(self.yi, self.vi, self.study, self.outcome)

    def estimates(self, result) -> str:
        if self.study is None:
            return f"tau2 = {result.tau2:.4f}"
        return f"sigma2 = {result.sigma2[0]:.4f}, {result.sigma2[1]:.4f}"


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


def cases(univariate=UNIVARIATE_SIZES, three_level=THREE_LEVEL_SIZES, seed=2024) -> list[Case]:
    """The benchmark's data sets (k = 56 three-level is the real dat.konstantopoulos2011)."""
    rng = np.random.default_rng(seed)
    out = []
    for k in univariate:
        yi, vi = simulated_univariate(k, rng)
        out.append(Case("random_effects REML", f"k = {k:,} (simulated)", yi, vi))
    fixtures = None
    for k in three_level:
        if k == 56:
            fixtures = fixtures or json.loads((ROOT / "tests" / "fixtures" / "engine.json").read_text())
            ko = next(e for e in fixtures["three_level"] if e["dataset"] == "dat.konstantopoulos2011")
            out.append(Case("three_level REML", "k = 56 (dat.konstantopoulos2011)", np.asarray(ko["yi"], float),
                            np.asarray(ko["vi"], float), np.asarray(ko["study"]), np.asarray(ko["outcome"])))
            continue
        yi, vi, study = simulated_three_level(k, rng)
        out.append(Case("three_level REML", f"k = {k:,} in {len(np.unique(study)):,} studies (simulated)",
                        yi, vi, study))
    return out


def python_seconds(case: Case, repeats: int | None = None):
    """Best-of-repeats fit time in seconds, and the estimates as text."""
    repeats = repeats or (5 if case.k < 100_000 else 3)
    seconds, result = best_time(case.fit, repeats)
    return seconds, case.estimates(result)


R_SCRIPT = (r"""
args <- commandArgs(trailingOnly = TRUE)
repeats <- as.integer(args[2]); budget <- as.numeric(args[3])
suppressMessages(library(metafor))
d <- read.csv(args[1])
three_level <- "study" %in% names(d)
fit <- function() {
  if (three_level) rma.mv(yi, vi, random = ~ 1 | study/outcome, data = d, sparse = nrow(d) > 100)
  else rma(yi, vi, data = d, method = "REML")
}
times <- c()
for (i in seq_len(repeats)) {
  start <- proc.time()[["elapsed"]]
  res <- fit()
  times <- c(times, proc.time()[["elapsed"]] - start)
  if (sum(times) > budget) break   # one slow fit is enough
}
est <- if (three_level) sprintf("sigma2 = %.4f, %.4f", res$sigma2[1], res$sigma2[2]) """
            r"""else sprintf("tau2 = %.4f", res$tau2)
cat(sprintf("RESULT\t%.6f\t%s\t%s\t%s\n", min(times), est, R.version$version.string, packageVersion("metafor")))
""")


def rscript() -> str | None:
    return shutil.which("Rscript")


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (R_MEMORY_LIMIT, R_MEMORY_LIMIT))


def r_seconds(case: Case, repeats: int = 3, timeout: float = 120.0, rscript_path: str | None = None) -> dict:
    """Time metafor on ``case`` (rma for univariate, rma.mv for three-level).

    Returns {"seconds", "estimates", "r_version", "metafor"} or {"status": why not}.
    """
    rscript_path = rscript_path if rscript_path is not None else rscript()
    if not rscript_path or not Path(rscript_path).exists():
        return {"status": "R not installed"}
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "data.csv"
        columns = {"yi": case.yi, "vi": case.vi}
        if case.study is not None:
            columns["study"] = np.asarray(case.study)
            columns["outcome"] = (np.asarray(case.outcome) if case.outcome is not None
                                  else np.arange(1, case.k + 1))
        header = ",".join(columns)
        table = np.column_stack([np.asarray(c, dtype=float) for c in columns.values()])
        np.savetxt(csv, table, delimiter=",", header=header, comments="", fmt="%.17g")
        script = Path(tmp) / "fit.R"
        script.write_text(R_SCRIPT)
        try:
            done = subprocess.run([rscript_path, str(script), str(csv), str(repeats), str(timeout / 4)],
                                  capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory,
                                  env={**os.environ, "OMP_NUM_THREADS": "1"})
        except subprocess.TimeoutExpired:
            return {"status": f"over {timeout:.0f} s (stopped)"}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT\t"):
            _, seconds, estimates, r_version, metafor = line.split("\t")
            return {"seconds": float(seconds), "estimates": estimates, "r_version": r_version, "metafor": metafor}
    message = (done.stderr.strip().splitlines() or ["no output"])[-1]
    if "cannot allocate" in done.stderr:
        message = "R failed: " + done.stderr[done.stderr.index("cannot allocate"):].splitlines()[0]
    return {"status": message[:120]}


def main():
    print(f"{'model':<22}{'data':<45}{'seconds':>9}   estimates")
    for case in cases():
        seconds, note = python_seconds(case)
        print(f"{case.model:<22}{case.data:<45}{seconds:>9.4f}   {note}")


if __name__ == "__main__":
    main()
