"""Notebook run times and explorer update times, measured in one kernel per notebook.

For each notebook: start a fresh kernel (nbclient, working directory
solutions/, as utils.build_lessons.execute does), run every cell, then, in
the same kernel, find every Explorer (as tests/test_notebooks.py does) and
move each of its controls through ``values`` settings, collecting
``Explorer.last_seconds`` (control change -> redrawn figure displayed) after
every redraw. Controls are put back where they were afterwards.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

MOVE_CONTROLS = r'''
import gc as _gc, json as _json
import numpy as _np
import ipywidgets as _w
from utils.explorer import Explorer as _Explorer

def _settings(control, n):
    """n new values for a control, spread over its range or cycling through its options."""
    if isinstance(control, _w.FloatLogSlider):
        return list(control.base ** _np.linspace(control.min, control.max, n))
    if isinstance(control, (_w.FloatSlider, _w.IntSlider)):
        grid = control.min + _np.round((_np.linspace(control.min, control.max, n) - control.min) / control.step) * control.step
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

_found = sorted((o for o in _gc.get_objects() if isinstance(o, _Explorer)), key=repr)
_report = []
for _explorer in _found:
    _row = {"explorer": repr(_explorer), "seconds": [], "errors_before": len(_explorer.errors), "skipped": []}
    for _name, _control in _explorer.controls.items():
        _original = _control.value
        _moves = _settings(_control, __N__)
        if not _moves:
            _row["skipped"].append(_name)
        for _value in _moves:
            _before = _explorer.redraws + len(_explorer.errors)
            _control.value = _value
            if _explorer.redraws + len(_explorer.errors) > _before:
                _row["seconds"].append(_explorer.last_seconds)
        _control.value = _original
    _row["errors"] = _explorer.errors[_row.pop("errors_before"):]
    _report.append(_row)
print("EXPLORERS" + _json.dumps(_report))
'''


def percentile(seconds, q):
    return float(np.percentile(np.asarray(seconds, float), q)) if len(seconds) else float("nan")


def run_notebook(path: Path, cwd: Path, values: int = 20, timeout: int = 300) -> dict:
    """Run one notebook on a fresh kernel; then move its explorers' controls.

    Returns {"notebook", "kernel_start", "cells", "total", "error", "explorers": [...]},
    times in seconds; "total" runs from asking for a kernel to the end of the last cell.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    row = {"notebook": path.stem, "kernel_start": None, "cells": None, "total": None, "error": None,
           "explorers": []}
    client.reset_execution_trackers()
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        row["kernel_start"] = ready - start
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except CellExecutionError as exc:
            row["error"] = str(exc).strip().splitlines()[-1][:200]
            return row
        finished = time.perf_counter()
        row["cells"], row["total"] = finished - ready, finished - start
        if values > 0:
            probe = nbformat.v4.new_code_cell(MOVE_CONTROLS.replace("__N__", str(int(values))))
            nb.cells.append(probe)
            client.execute_cell(probe, len(nb.cells) - 1)
            printed = "".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream")
            for found in json.loads(printed.split("EXPLORERS", 1)[1]):
                seconds = found.pop("seconds")
                found.update(updates=len(seconds), median=percentile(seconds, 50), p95=percentile(seconds, 95),
                             max=max(seconds) if seconds else float("nan"))
                row["explorers"].append(found)
    return row
