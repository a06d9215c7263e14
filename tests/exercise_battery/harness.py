"""Run a learner's answer through the Check and through the grader's judging, in this process.

The namespace of each lesson is that of its solution notebook after every
cell has run (except the check cells and explorers), so an answer is tried
with the rest of the lesson in place, as a learner would have it. The
grader's side uses the full definition (hidden cases too) and the same
collect/judge code the sandboxed grader uses; tests/grading/test_grading_sandbox.py
shows that the sandbox returns the same data.
"""
from __future__ import annotations

import contextlib
import copy
import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat

from instructor import definitions
from instructor.grading import scoring
from utils.exercises import collect, evaluate
from utils.exercises.judging import Verdict

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
KINDS = ("reference", "alternative", "rounded", "mistake", "shortcut", "crash", "wrong type", "blank", "other")


@dataclass(frozen=True)
class Answer:
    """One learner answer: the code of the answer cell, and what the feedback must say."""

    exercise: str  # "05.hedges_g"
    code: str  # what the learner wrote in the answer cell
    verdict: str  # "correct", "partly correct", "wrong" or "not attempted"
    hint: tuple = ()  # words the message or hint must contain (case-insensitive)
    kind: str = "other"  # one of KINDS
    hidden_only: bool = False  # right on the visible cases, wrong on a hidden one (Check says ✔, the grader not)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind: {self.kind!r} is not one of {KINDS}")


def lesson_of(exercise_id: str) -> str:
    number = exercise_id.split(".", 1)[0]
    return next(p.stem for p in sorted(SOLUTIONS.glob(f"{number}_*.ipynb")))


def _skip(source: str) -> bool:
    return bool(re.search(r"\bex\.check\(|\bexplorer\(", source))


@lru_cache(maxsize=None)
def base_namespace(lesson: str) -> dict:
    """The solution notebook's namespace after running its cells (no checks, no explorers).

    Each lesson gets its own dictionary, which stays the globals of the functions its cells define: a later
    lesson's run cannot empty it under them (one shared IPython namespace would be reset).
    """
    from IPython.core.interactiveshell import InteractiveShell
    import matplotlib

    matplotlib.use("Agg")
    shell = InteractiveShell.instance()  # only to turn IPython syntax into Python, and for display()
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    nb = nbformat.read(SOLUTIONS / f"{lesson}.ipynb", as_version=4)
    previous = os.getcwd()
    os.chdir(SOLUTIONS)
    try:
        for cell in nb.cells:
            if cell.cell_type != "code" or _skip(cell.source):
                continue
            source = shell.transform_cell(cell.source.replace("%matplotlib inline", ""))
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, f"<{lesson} solution cell>", "exec"), namespace)
            except Exception as exc:
                raise RuntimeError(f"{lesson}: a solution cell failed: {exc!r}\n{source[:300]}") from exc
    finally:
        os.chdir(previous)
        import matplotlib.pyplot as plt
        plt.close("all")
    return namespace


@dataclass(frozen=True)
class Outcome:
    check: Verdict  # what the learner's Check shows
    grader_visible: Verdict  # the grader's verdict on the visible cases only
    grader: Verdict  # the grader's verdict with the hidden cases: its points


@lru_cache(maxsize=None)
def visible_spec(exercise_id: str) -> dict:
    """The spec a learner's Check uses (visible cases only): its expected outputs are computed once per process,
    as scoring.full_specs does for the grader's."""
    return definitions.graded(lesson_of(exercise_id))[exercise_id].spec(include_hidden=False)


def try_answer(answer: Answer) -> Outcome:
    lesson = lesson_of(answer.exercise)
    visible, full = copy.deepcopy(visible_spec(answer.exercise)), scoring.full_specs(lesson)[answer.exercise]
    namespace = dict(base_namespace(lesson))
    namespace[visible["target"]] = None  # the stub: what the cell holds before the learner's code
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            exec(compile(answer.code, "<answer cell>", "exec"), namespace)
        except Exception:  # a cell that raises leaves the variable as the stub left it
            pass
    check = evaluate(visible, namespace)
    target = namespace.get(visible["target"])

    def grader(spec):
        data = collect(spec["kind"], target, [c["args"] for c in spec.get("cases", [])], spec.get("timeout", 2.0))
        return scoring.judge_answer(spec, data, [answer.code])

    return Outcome(check, grader(visible), grader(full))
