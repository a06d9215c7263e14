"""The sandboxed kernel reports what the learner's own kernel sees: the grader's verdict on every battery
answer of two lessons, asked through a real sandbox, equals the in-process verdict the battery asserts."""
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SOLUTIONS, require_sandbox
from instructor.grading import scoring
from instructor.grading.runner import Budget, _run_code, ask
from instructor.grading.sandbox import SandboxConfig, SandboxedKernel, default_hidden
from tests.exercise_battery.harness import _skip, try_answer
from tests.test_exercise_battery import ANSWERS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox")]
LESSONS = ("00_start_here", "05_effect_sizes")


@pytest.mark.parametrize("lesson", LESSONS)
def test_sandbox_reports_give_the_battery_verdicts(lesson):
    require_sandbox(needed_for="the sandboxed kernel")
    number = lesson[:2]
    answers = [a for a in ANSWERS if a.exercise.startswith(number + ".")]
    specs = scoring.full_specs(lesson)
    budget = Budget(cell_seconds=60, report_seconds=30)
    config = SandboxConfig(assignment_dir=ROOT, hidden=default_hidden(Path("/nonexistent")))
    nb = nbformat.read(SOLUTIONS / f"{lesson}.ipynb", as_version=4)
    with SandboxedKernel(config) as kernel:
        for cell in nb.cells:  # the lesson as the learner has it, every exercise answered
            if cell.cell_type == "code" and not _skip(cell.source):
                status, _, _ = _run_code(kernel, cell.source, 60, budget)
                assert status == "ok", cell.source[:200]
        _run_code(kernel, "_course_saved = dict(globals()); _course_saved['_course_saved'] = _course_saved", 10,
                  budget)
        mismatches = []
        for answer in answers:
            spec = specs[answer.exercise]
            setup = ("(lambda saved: (globals().clear(), globals().update(saved)))(dict(_course_saved))\n"
                     f"{spec['target']} = None")
            assert _run_code(kernel, setup, 10, budget)[0] == "ok"
            _run_code(kernel, answer.code, 20, budget)
            request = {"id": answer.exercise, "kind": spec["kind"], "target": spec["target"],
                       "cases": [c["args"] for c in spec.get("cases", [])], "timeout": spec.get("timeout", 2.0)}
            data, problem, alive = ask(kernel, request, budget)
            assert alive and data is not None, problem
            sandboxed = scoring.judge_answer(spec, data, [answer.code])
            local = try_answer(answer).grader
            if (sandboxed.status, sandboxed.score, sandboxed.category) != (local.status, local.score, local.category):
                mismatches.append((answer.exercise, answer.kind, sandboxed.text(), local.text()))
    assert not mismatches, mismatches
    assert len(answers) >= 30
