"""The sandboxed kernel reports what the learner's own kernel sees: the grader's verdict on every battery
answer of two lessons, asked through a real sandbox, equals the in-process verdict the battery asserts."""
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SOLUTIONS, require_sandbox
from instructor.grading import scoring
from instructor.grading.runner import Budget, _run_code, ask
from instructor.grading.sandbox import SandboxConfig, SandboxedKernel, default_hidden
from tests.exercise_battery.harness import _skip, try_answer
from tests.exercises.test_exercise_battery import ANSWERS

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


def test_each_sandbox_is_one_control_group_with_a_cpu_share_and_a_total_memory_cap():
    """Every process a submission starts is in its sandbox's group; together they may use one core and the
    group's memory, and the out-of-memory killer acts inside the group, never on the grader. Where control
    groups cannot be used, the kernel runs at a lower priority instead (the documented fallback)."""
    from instructor.grading.sandbox import Limits

    budget = Budget(cell_seconds=30, report_seconds=10, interrupt_seconds=5)
    config = SandboxConfig(assignment_dir=ROOT, hidden=default_hidden(Path("/nonexistent")),
                           limits=Limits(total_memory_bytes=300 * 1024 ** 2))
    with SandboxedKernel(config) as kernel:
        status, collector, _ = _run_code(kernel, "import os\nprint(os.nice(0))", 20, budget)
        assert status == "ok" and collector.finish()[0]["text"].strip() == "10"
        group = kernel.group
        if group is None:
            return  # no control groups here: the priority above is the fallback
        assert kernel.process.pid in group.pids()
        code = "import os, time\nfor _ in range(5):\n    if os.fork() == 0:\n        while True:\n            pass"
        assert _run_code(kernel, code, 20, budget)[0] == "ok"
        assert len(group.pids()) >= 7, "the busy children are in the group too"
        quota = group.folders["cpu"] / "cpu.cfs_quota_us" if group.version == 1 else group.folders[""] / "cpu.max"
        assert quota.read_text().split()[0] == "100000"
        status, _, _ = _run_code(kernel, "blocks = [bytearray(50 * 10**6) for _ in range(20)]", 20, budget)
        assert status in ("dead", "error") and group.memory_events() > 0
    assert not any(folder.exists() for folder in group.folders.values()), "the group is removed with the sandbox"
    assert group.pids() == []
