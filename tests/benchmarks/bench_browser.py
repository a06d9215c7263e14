"""Explorer redraw times where the learner sees them: JupyterLab in headless Chromium.

As tests/e2e/test_browser.py does (and with its code): one JupyterLab server on a
temporary copy of the course, Debian's chromium driven by Playwright. Each
notebook with an explorer is opened and run (Run All); then every control of
every explorer is moved through ``values`` settings (arrow keys on a slider,
the next choice in a list, a click on a box) and each redraw is timed inside
the page, from the control's input event to the new figure decoded
(performance.now, a MutationObserver and img.decode(): see ``armRedraw`` in
tests/browser/notebook.js). After each explorer the 1-minute load average is
read, and how busy the machine was meanwhile with other people's work: the
CPU time of all processes (/proc/stat) minus that of this benchmark and its
children (JupyterLab, the kernel, Chromium), over the wall time, in cores.
The benchmark's own processes alone raise the load average by about 2 on an
idle machine, so the second number says more about the conditions.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]  # conftest; test_browser

EXPLORER_CELL = re.compile(r"\bexplorer\(")


def _has_explorer(path: Path) -> bool:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return any(c.cell_type == "code" and EXPLORER_CELL.search(c.source) for c in nb.cells)


def _copy(folder: Path, target: Path) -> None:
    """The notebooks' folder under its own name, and utils/ and data/ beside it (as in the repository).

    A copied notebook without a kernelspec gets Python 3's (JupyterLab would
    otherwise ask which kernel to start).
    """
    import nbformat

    shutil.copytree(folder, target / folder.name, symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for path in (target / folder.name).glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        if "kernelspec" not in nb.metadata:
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            nbformat.write(nb, path)
    for name in ("utils", "data"):
        if not (target / name).exists():
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


def _jiffies() -> tuple[int, int]:
    """(busy CPU time of the whole machine, CPU time of this process and its descendants), in clock ticks."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields]
    busy = sum(ticks) - ticks[3] - (ticks[4] if len(ticks) > 4 else 0)  # minus idle and iowait
    parent, used = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        after = text.rsplit(")", 1)[1].split()  # the command name may contain spaces and brackets
        pid = int(stat.parent.name)
        # ppid; utime + stime, and cutime + cstime: the time of children that have ended (and were waited for)
        parent[pid], used[pid] = int(after[1]), sum(int(x) for x in after[11:15])
    ours, frontier = set(), {os.getpid()}
    while frontier:
        ours |= frontier
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - ours
    return busy, sum(used.get(pid, 0) for pid in ours)


class OtherLoad:
    """Cores used by processes outside this benchmark between start() and cores() (None where /proc is missing)."""

    def start(self) -> None:
        try:
            self._then, self._wall = _jiffies(), time.monotonic()
        except (OSError, ValueError, IndexError):
            self._then = None

    def cores(self):
        if getattr(self, "_then", None) is None:
            return None
        (busy, ours), (busy0, ours0) = _jiffies(), self._then
        wall = time.monotonic() - self._wall
        return (round(max(0.0, (busy - busy0) - (ours - ours0)) / os.sysconf("SC_CLK_TCK") / wall, 2)
                if wall > 0 else None)


def summarise(moves: list[dict]) -> dict:
    """Median, 95th percentile and maximum of the timed moves (seconds), and what went wrong."""
    seconds = [m["ms"] / 1000 for m in moves if m["ms"] is not None and not m["error"] and not m["timeout"]]
    q = (lambda p: float(np.percentile(seconds, p))) if seconds else (lambda p: float("nan"))
    return {"moves": len(moves), "redraws": len(seconds), "median": q(50), "p95": q(95),
            "max": max(seconds) if seconds else float("nan"),
            "errors": [m["error"] for m in moves if m["error"]][:5],
            "missed": sum(1 for m in moves if m["timeout"] or m["ms"] is None)}


def run(notebooks: list[Path], folder: Path, values: int, progress=lambda items, **_: items) -> dict:
    """Time every explorer of ``notebooks`` (all in ``folder``) in the browser.

    Returns {"status": "measured" or why not, "rows": [{"notebook", "explorer",
    "moves", "redraws", "median", "p95", "max", "errors", "missed", "load"}]}.
    """
    chromium = shutil.which("chromium")
    if chromium is None:
        return {"status": "not measured: chromium is not installed", "rows": []}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"status": "not measured: Playwright is not installed", "rows": []}
    import pytest
    import test_browser as tb

    wanted = [p for p in notebooks if _has_explorer(p)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        course, state = Path(tmp) / "course", Path(tmp) / "jupyter"
        course.mkdir()
        state.mkdir()
        _copy(folder, course)
        server = tb.LabServer(course, state)
        try:
            server.wait_until_up()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=tb.CHROMIUM_ARGS)
                context = browser.new_context(viewport=tb.VIEWPORT)
                context.add_init_script(path=str(tb.HELPERS_JS))
                for path in progress(wanted, desc="explorers in the browser", unit="notebook"):
                    rows += _one_notebook(tb, server, context, folder, path, values, pytest)
                context.close()
                browser.close()
        finally:
            server.stop()
    return {"status": "measured", "rows": rows}


def _one_notebook(tb, server, context, folder, path, values, pytest) -> list[dict]:
    rows = []
    others = OtherLoad()

    def record(found):
        rows.append({"notebook": path.stem, "explorer": found["title"], "controls": found["controls"],
                     **summarise(found["moves"]), "load": round(os.getloadavg()[0], 2), "others": others.cores()})
        others.start()  # the next explorer's moves start now

    notebook = None
    try:
        notebook = tb.OpenNotebook(server, context, PurePosixPath(folder.name, path.name).as_posix())
        notebook.run_all()
        others.start()
        tb.move_explorers(notebook, moves=values, on_explorer=record)
    except (Exception, pytest.fail.Exception) as exc:  # a time-out or a broken page: reported, not fatal
        rows.append({"notebook": path.stem, "explorer": "(not measured)", "controls": [], "moves": 0,
                     "redraws": 0, "median": float("nan"), "p95": float("nan"), "max": float("nan"),
                     "errors": [str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__],
                     "missed": 0, "load": round(os.getloadavg()[0], 2), "others": None})
    finally:
        if notebook is not None:
            try:
                notebook.close()
            except (Exception, pytest.fail.Exception):
                pass
    return rows
