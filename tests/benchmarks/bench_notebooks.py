"""Notebook run times and explorer update times, measured in one kernel per notebook.

For each notebook: start a fresh kernel (nbclient, working directory
solutions/, as instructor.notebook_runner.execute does), run every cell, then, in
the same kernel, find every Explorer (as tests/e2e/test_notebooks.py does) and
move each of its controls through ``values`` settings, collecting
``Explorer.last_seconds`` (control change -> redrawn figure displayed) after
every redraw, and the 1-minute load average after each explorer. Controls
are put back where they were afterwards.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import nbformat
import numpy as np

from instructor import notebook_runner

FIND_EXPLORERS = (r'''
import gc as _gc, json as _json
import numpy as _np
import ipywidgets as _w
from utils.explorer import Explorer as _Explorer, _figure_and_description

def _settings(control, n):
    # n new values for a control, spread over its range or cycling through its options
    if isinstance(control, _w.FloatLogSlider):
        return list(control.base ** _np.linspace(control.min, control.max, n))
    if isinstance(control, (_w.FloatSlider, _w.IntSlider)):
        grid = control.min + _np.round((_np.linspace(control.min, control.max, n) - control.min) '''
                  r'''/ control.step) * control.step
        grid = _np.clip(grid, control.min, control.max)
        return [int(v) for v in grid] if isinstance(control, _w.IntSlider) else [float(v) for v in grid]
    if isinstance(control, _w.Checkbox):
        return [bool((i + 1) % 2) != control.value for i in range(n)]
    options = list(getattr(control, "_options_values", ()))
    if isinstance(control, _w.SelectMultiple):
        subsets = [tuple(options)] + [tuple(o for j, o in enumerate(options) if j != i) for i in range(len(options))]
        return [subsets[i % len(subsets)] for i in range(n)]
    if len(options) > 1:
        start = options.index(control.value) if control.value in options else 0
        return [options[(start + 1 + i) % len(options)] for i in range(n)]
    return []

def _move(explorer, name, n):
    # move one control through n settings, record the redraw times, then put it back
    control, seconds, errors_before = explorer.controls[name], [], len(explorer.errors)
    original = control.value
    for value in _settings(control, n):
        before = explorer.redraws + len(explorer.errors)
        control.value = value
        if explorer.redraws + len(explorer.errors) > before:
            seconds.append(explorer.last_seconds)
    control.value = original
    print("MOVED" + _json.dumps({"seconds": seconds, "errors": explorer.errors[errors_before:]}))

def _draw_only(explorer, n):
    # the explorer's own draw() alone, without showing the figure: the rest of a redraw is rendering it
    import matplotlib.pyplot as plt, time
    seconds = []
    for _ in range(n):
        start = time.perf_counter()
        figure, _ = _figure_and_description(explorer.draw(**explorer.values()))
        seconds.append(time.perf_counter() - start)
        plt.close(figure)
    print("DRAWN" + _json.dumps(seconds))

_found = sorted((o for o in _gc.get_objects() if isinstance(o, _Explorer)), key=repr)
print("FOUND" + _json.dumps([[repr(e), list(e.controls), e.title] for e in _found]))
''')


def _printed(cell, marker):
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return json.loads(text.split(marker, 1)[1].splitlines()[0]) if marker in text else None


def percentile(seconds, q):
    return float(np.percentile(np.asarray(seconds, float), q)) if len(seconds) else float("nan")


def run_notebook(path: Path, cwd: Path, values: int = 20, timeout: int = 120, probe_timeout: int = 60) -> dict:
    """Run one notebook on a fresh kernel; then move its explorers' controls.

    Returns {"notebook", "kernel_start", "cells", "total", "error", "explorers": [...]},
    times in seconds; "total" runs from asking for a kernel to the end of the last cell.
    """
    nb = nbformat.read(path, as_version=4)
    client = notebook_runner.notebook_client(nb, cwd, timeout)  # local sockets: see its docstring
    row = {"notebook": path.stem, "kernel_start": None, "cells": None, "total": None, "error": None,
           "explorers": []}
    client.reset_execution_trackers()
    _run(client, nb, row, values, probe_timeout)
    return row


def _run(client, nb, row, values, probe_timeout):
    start = time.perf_counter()
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's start/stop chatter; errors reach the cells
        ready = time.perf_counter()
        row["kernel_start"] = ready - start
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except Exception as exc:  # a failing cell, a time-out, a dead kernel: reported, not fatal
            row["error"] = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:200]
            return
        finished = time.perf_counter()
        row["cells"], row["total"] = finished - ready, finished - start
        if values > 0:
            row["explorers"] = _move_explorers(client, nb, values, probe_timeout)


def _run_probe(client, nb, source, timeout):
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.append(cell)
    client.timeout = timeout
    client.execute_cell(cell, len(nb.cells) - 1)
    return cell


def _move_explorers(client, nb, values, timeout):
    """One probe cell per control (small cells: one slow control cannot hide the others).

    On a busy machine a probe cell has been seen to get no reply although the
    kernel sat idle; such a control is tried once more, then listed in
    "stalled" (its settings are not counted) and the run goes on.
    """
    found = _printed(_run_probe(client, nb, FIND_EXPLORERS, timeout), "FOUND") or []
    rows = []
    for index, (name, controls, title) in enumerate(found):
        seconds, errors, stalled = [], [], []
        for control in controls:
            moved = None
            for _attempt in range(2):
                try:
                    cell = _run_probe(client, nb, f"_move(_found[{index}], {control!r}, {int(values)})", timeout)
                    moved = _printed(cell, "MOVED")
                    break
                except Exception:  # no reply within the time-out
                    continue
            if moved is None:
                stalled.append(control)
                continue
            seconds += moved["seconds"]
            errors += moved["errors"]
        try:
            drawn = _printed(_run_probe(client, nb, f"_draw_only(_found[{index}], 5)", timeout), "DRAWN") or []
        except Exception:
            drawn = []
        rows.append({"explorer": name, "title": title, "errors": errors, "stalled": stalled, "updates": len(seconds),
                     "draw_only_median": percentile(drawn, 50), "load": round(os.getloadavg()[0], 2),
                     "median": percentile(seconds, 50), "p95": percentile(seconds, 95),
                     "max": max(seconds) if seconds else float("nan")})
    return rows
