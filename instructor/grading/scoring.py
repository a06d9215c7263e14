"""Points from reported answers: the trusted side of grading.

The sandboxed kernel reported each answer as plain data (``runner``). Here,
outside it, every answer is judged with the exercise's full definition
(visible and hidden cases, expected results computed from the reference in
this process) by the same ``judge`` the learner's Check uses. An exercise
whose report is missing, repeated or malformed scores 0, with a note.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from instructor import definitions
from utils.exercises.judging import WRONG, Verdict, judge


@dataclass(frozen=True)
class Scored:
    """One exercise of one submission: its verdict and points."""

    exercise: str
    grade_id: str
    verdict: Verdict
    points: float
    max_points: float

    def to_dict(self) -> dict:
        return {"exercise": self.exercise, "points": self.points, "max_points": self.max_points,
                **self.verdict.to_dict()}


@lru_cache(maxsize=None)
def full_specs(lesson: str) -> dict:
    """id -> spec with the hidden cases, for one lesson (computed once per process)."""
    return {i: e.spec(include_hidden=True) for i, e in definitions.graded(lesson).items()}


def requests(lesson: str) -> list[dict]:
    """What the kernel is asked for: each exercise's target, kind and case inputs (no expected results)."""
    return [{"id": i, "kind": s["kind"], "target": s["target"], "cases": [c["args"] for c in s.get("cases", [])],
             "timeout": s.get("timeout", 2.0)} for i, s in full_specs(lesson).items()]


def _identifiers(source: str) -> set[str]:
    """The global names, attribute names and imported names a cell uses (for the forbidden-shortcut rule).

    The same kind of names as ``answers.names_used`` reads from the code the
    kernel ran (a function's ``co_names``): local variables, arguments, the
    cell's own functions and variables and the words in strings do not
    count, so an honest answer gets the same verdict from the Check and from
    the grader.
    """
    import symtable

    try:
        tree = ast.parse(source)
        table = symtable.symtable(source, "<cell>", "exec")
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
    own = {s.get_name() for s in table.get_symbols() if s.is_assigned() and not s.is_imported()}
    stack = [table]
    while stack:
        scope = stack.pop()
        stack.extend(scope.get_children())
        for symbol in scope.get_symbols():
            if scope.get_type() == "module" or symbol.is_global():
                if symbol.is_imported() or (symbol.is_referenced() and symbol.get_name() not in own):
                    names.add(symbol.get_name())
    return names


def _defining_cells(nb, target: str) -> list[str]:
    """Sources of the cells that define ``target`` (a def, a lambda or an assignment)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if re.search(rf"(^|\n)\s*(def\s+{re.escape(target)}\b|{re.escape(target)}\s*=)", cell.source):
            found.append(cell.source)
    return found


def judge_answer(spec: dict, answer, defining_sources=()) -> Verdict:
    """The grader's verdict on one reported answer.

    ``defining_sources``: the submitted cells that define the answer; for a
    function exercise that forbids a shortcut, the names they use count as
    used even if the kernel did not report them.
    """
    try:
        if spec["kind"] == "function" and spec.get("forbidden") and isinstance(answer, dict) \
                and answer.get("status") == "answered":
            seen = set()
            for source in defining_sources:
                seen |= _identifiers(source)
            reported = answer.get("names_used") if isinstance(answer.get("names_used"), list) else []
            answer = {**answer, "names_used": sorted(set(map(str, reported)) | seen)}
        return judge(spec, answer)
    except Exception:  # data of a shape no honest report has (a forged one): no points, and a note
        return Verdict(WRONG, "Not graded: the reported answer was malformed.", category="invalid")


def score(lesson: str, reports: dict, problems: dict, nb=None) -> dict[str, Scored]:
    """grade id -> Scored, for every graded exercise of ``lesson``.

    ``reports``: exercise id -> answer data from the kernel; ``problems``:
    exercise id -> why there is none; ``nb``: the submitted notebook, whose
    answer cells are also read here for calls the question forbids (a
    check on the source the kernel cannot change).
    """
    scored = {}
    for exercise_id, spec in full_specs(lesson).items():
        grade_id = definitions.grade_id(lesson, exercise_id)
        points = float(spec["points"])
        answer = reports.get(exercise_id)
        if answer is None:
            why = problems.get(exercise_id, "no answer was reported")
            verdict = Verdict(WRONG, f"Not graded: {why}.", category="crash" if "stopped" in why else "invalid")
        else:
            sources = _defining_cells(nb, spec["target"]) if nb is not None else []
            verdict = judge_answer(spec, answer, sources)
        scored[grade_id] = Scored(exercise_id, grade_id, verdict, round(verdict.score * points, 4), points)
    return scored
