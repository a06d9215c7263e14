"""Every notebook runs; every check works; every explorer keeps working.

* solutions/ run under nbval with output comparison (tests/nbval_sanitize.cfg
  masks figure sizes, memory addresses and widget reprs; explorer cells are
  tagged nbval-ignore-output by the build), so every visible check in them
  must show the same tick it showed when the solutions were executed, and
  every hidden test passes;
* lessons/ run under nbval --nbval-lax: blank exercises must not stop "Run All";
* a blank lesson (what a learner gets) runs with no error in any cell, every
  check says "not attempted", and afterwards every explorer in the notebook
  redraws when each of its controls moves, and every Check button still
  answers. (The grader's view of a blank submission is in test_grading.py.)
"""
import json
import subprocess
import sys

import nbformat
import pytest

from instructor import build_lessons
from instructor.notebook_runner import execute
from conftest import LESSONS, ROOT, SOLUTIONS

pytestmark = pytest.mark.slow

SOURCES = sorted(SOLUTIONS.glob("*.ipynb"))
STUDENT = sorted(LESSONS.glob("*.ipynb"))


def run_nbval(notebook, *flags):
    # -o addopts=: the sanitize file's folder (tests/) holds the suite's pytest.ini, which the inner run
    # would otherwise read, and its "-n 2" would spread one notebook's cells over two kernels.
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
               "--nbval-cell-timeout=120", str(notebook), *flags]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"nbval failed on {notebook.name}:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.stem)
def test_solution_runs_and_reproduces_its_outputs(notebook):
    out = run_nbval(notebook, "--nbval", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"))
    assert " passed" in out


@pytest.mark.parametrize("notebook", STUDENT, ids=lambda p: p.stem)
def test_blank_lesson_runs_to_the_last_cell(notebook):
    out = run_nbval(notebook, "--nbval-lax")
    assert " passed" in out


PROBE = r'''
import gc, json
import ipywidgets as _w
from utils.explorer import Explorer as _Explorer
from utils.exercises import FeedbackBox as _FeedbackBox

def _another_value(control):
    if isinstance(control, (_w.FloatSlider, _w.IntSlider, _w.FloatLogSlider)):
        return control.max if control.value != control.max else control.min
    if isinstance(control, _w.Checkbox):
        return not control.value
    values = list(getattr(control, "_options_values", ()))
    if isinstance(control, _w.SelectMultiple):
        return tuple(values[: max(1, len(values) - 1)]) if tuple(control.value) == tuple(values) else tuple(values)
    others = [v for v in values if v != control.value]
    return others[0] if others else control.value

_report = {"explorers": [], "boxes": []}
for _obj in list(gc.get_objects()):
    if isinstance(_obj, _Explorer):
        for _name, _control in _obj.controls.items():
            _before = _obj.redraws
            _control.value = _another_value(_control)
            _report["explorers"].append({"explorer": repr(_obj), "control": _name,
                                         "redrew": _obj.redraws > _before, "errors": list(_obj.errors)})
    elif isinstance(_obj, _FeedbackBox):
        _obj.button.click()
        _report["boxes"].append({"box": repr(_obj), "errors": list(_obj.errors)})
print("PROBE" + json.dumps(_report))
'''


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.stem)
def test_blank_lesson_says_not_attempted_and_explorers_still_work(notebook):
    nb = build_lessons.tidy_solution(nbformat.read(notebook, as_version=4), notebook.stem)
    blank = build_lessons.release(nb)
    blank.cells.append(nbformat.v4.new_code_cell(PROBE))
    execute(blank, SOLUTIONS, timeout=120, allow_errors=True)

    for cell in blank.cells[:-1]:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"a cell fails when exercises are left blank:\n{cell.source[:300]}\n" \
                           f"{errors[0].ename if errors else ''}: {errors[0].evalue if errors else ''}"
        if build_lessons.check_ids(cell.source):
            shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert "Not attempted" in shown, f"a blank answer is not 'not attempted': {shown[:200]}"

    printed = "".join(o.get("text", "") for o in blank.cells[-1].outputs if o.output_type == "stream")
    assert "PROBE" in printed, blank.cells[-1].outputs
    report = json.loads(printed.split("PROBE", 1)[1])
    for row in report["explorers"]:
        assert row["redrew"] and not row["errors"], row
    for row in report["boxes"]:
        assert not row["errors"], row
        assert "Correct" not in row["box"], f"a blank answer was marked correct: {row['box']}"
    explorer_cells = [c for c in nb.cells if c.cell_type == "code" and "explorer(" in c.source]
    assert len({r["explorer"] for r in report["explorers"]}) >= min(1, len(explorer_cells))
