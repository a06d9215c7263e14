"""What one learner's kernel holds: memory and imports after Run All, and after moving every explorer.

    python tests/benchmarks/bench_kernel_memory.py            # all solution notebooks
    python tests/benchmarks/bench_kernel_memory.py 03 11      # some of them
    python tests/benchmarks/bench_kernel_memory.py --moves 0  # skip the explorer moves

For each notebook: a fresh kernel (nbclient, working directory solutions/,
as tests/benchmarks/bench_notebooks.py does) runs every cell; then the
kernel's resident memory (VmRSS of the kernel process, read from
/proc/PID/status outside it) and what it has imported (``sys.modules``,
and which of the heavy libraries: statsmodels, nilearn, sklearn,
scipy.stats, ...). Then every explorer's controls are moved through
``--moves`` settings each (bench_notebooks' ``_move``), and memory and the
figures still alive are counted again: figures pyplot still holds
(``plt.get_fignums()``) and every Figure object still in memory. A hub
serving N learners needs about N times the RSS column (plus the server).
Linux only (/proc). Prints a table; ``--json FILE`` also writes the rows.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_notebooks import FIND_EXPLORERS, _printed, _run_probe  # noqa: E402
from instructor import notebook_runner  # noqa: E402

HEAVY = ("statsmodels", "nilearn", "nibabel", "sklearn", "scipy.stats", "scipy.optimize", "scipy.special",
         "pandas.plotting._matplotlib", "ipywidgets", "PIL.PngImagePlugin", "patsy")
"""Libraries worth knowing about when they are loaded: each costs import time and memory."""

COUNT = (r'''
import sys as _sys, gc as _gc, json as _json
import matplotlib.pyplot as _plt
from matplotlib.figure import Figure as _Figure
_gc.collect()
print("COUNTED" + _json.dumps({"modules": len(_sys.modules),
      "heavy": [m for m in %r if m in _sys.modules],
      "pyplot_figures": len(_plt.get_fignums()),
      "live_figures": sum(isinstance(o, _Figure) for o in _gc.get_objects())}))
''')


def memory_kb(pid: int) -> dict:
    """VmRSS (resident now) and VmHWM (the most it was resident) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def measure(path: Path, moves: int = 50, timeout: int = 300) -> dict:
    """Run ``path`` on a fresh kernel; memory and imports after Run All and after moving its explorers."""
    nb = nbformat.read(path, as_version=4)
    client = notebook_runner.notebook_client(nb, path.parent, timeout)
    row = {"notebook": path.stem, "error": None}
    start = time.perf_counter()
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        pid = client.km.provisioner.process.pid
        row["rss_start_mb"] = memory_kb(pid)["VmRSS"] / 1024
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except Exception as exc:  # reported in the row, the other notebooks go on
            row["error"] = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:200]
            return row
        row["run_seconds"] = time.perf_counter() - start
        row.update(_count(client, nb, pid, timeout, "run"))
        found = _printed(_run_probe(client, nb, FIND_EXPLORERS, timeout), "FOUND") or []
        row["explorers"] = len(found)
        if moves and found:
            for index, (_name, controls, _title) in enumerate(found):
                for control in controls:
                    _run_probe(client, nb, f"_move(_found[{index}], {control!r}, {int(moves)})", timeout)
            row.update(_count(client, nb, pid, timeout, "moved"))
    return row


def _count(client, nb, pid, timeout, when) -> dict:
    counted = _printed(_run_probe(client, nb, COUNT % (HEAVY,), timeout), "COUNTED")
    memory = memory_kb(pid)
    return {f"{when}_{key}": value for key, value in counted.items()} | {
        f"{when}_rss_mb": memory["VmRSS"] / 1024, f"{when}_peak_mb": memory["VmHWM"] / 1024}


def table(rows: list[dict]) -> str:
    head = ("notebook", "RSS MB", "peak MB", "modules", "figs", "moved RSS", "moved figs", "heavy libraries loaded")
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        if r["error"]:
            lines.append(f"{r['notebook']} | error: {r['error']}")
            continue
        moved = "moved_rss_mb" in r
        lines.append(" | ".join([
            r["notebook"], f"{r['run_rss_mb']:.0f}", f"{r.get('moved_peak_mb', r['run_peak_mb']):.0f}",
            str(r["run_modules"]), f"{r['run_pyplot_figures']}/{r['run_live_figures']}",
            f"{r['moved_rss_mb']:.0f}" if moved else "-",
            f"{r['moved_pyplot_figures']}/{r['moved_live_figures']}" if moved else "-",
            ", ".join(r["run_heavy"]) or "-"]))
    return "\n".join(lines)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers or name prefixes (default: all)")
    parser.add_argument("--moves", type=int, default=50, help="settings per explorer control (default 50)")
    parser.add_argument("--folder", type=Path, default=ROOT / "solutions")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    paths = sorted(p for p in args.folder.glob("[0-9][0-9]_*.ipynb")
                   if not args.lessons or any(p.stem.startswith(lesson) for lesson in args.lessons))
    if not paths:
        parser.error(f"lessons: no notebook in {args.folder} starts with any of {args.lessons}")
    rows = []
    for path in paths:
        rows.append(measure(path, args.moves))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    print(f"\nfigs: pyplot's open figures / Figure objects alive. Load average {os.getloadavg()[0]:.1f}.")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
