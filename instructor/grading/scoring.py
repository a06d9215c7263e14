"""Points from reported answers: the trusted side of grading.

The sandboxed kernel reported each answer as plain data (``runner``). Here,
outside it, every answer is judged with the exercise's full definition
(visible and hidden cases, expected results computed from the reference in
this process) by the same ``judge`` the learner's Check uses. An exercise
whose report is missing, repeated or malformed scores 0, with a note.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

from instructor import definitions
from utils.exercises import answers
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


def _parse(source: str):
    """A cell's syntax tree (IPython's %magic and !shell lines left out), or None if it is not Python."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in str(source).splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _top_level(statements):
    """The statements that run at the top of a cell, also inside if/for/while/with/try blocks."""
    for statement in statements:
        yield statement
        if isinstance(statement, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
            for block in ("body", "orelse", "finalbody"):
                yield from _top_level(getattr(statement, block, []))
            for handler in getattr(statement, "handlers", []):
                yield from _top_level(handler.body)


def _bindings(sources) -> dict:
    """Global name -> what the notebook's cells bind it to: ("def", node), ("import", names) or ("expr", node)."""
    bound: dict = {}
    for source in sources:
        tree = _parse(source)
        if tree is None:
            continue
        for node in _top_level(tree.body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bound.setdefault(node.name, []).append(("def", node))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    module = alias.name if alias.asname else alias.name.split(".")[0]
                    bound.setdefault(alias.asname or module, []).append(("import", answers.module_names(module)))
            elif isinstance(node, ast.ImportFrom):
                from_utils = node.level == 0 and str(node.module or "").split(".")[0] == "utils"
                for alias in node.names:
                    names = {alias.name} | (answers.module_names(node.module) if from_utils else set())
                    bound.setdefault(alias.asname or alias.name, []).append(("import", names))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        bound.setdefault(target.id, []).append(("expr", node.value))
    return bound


def _function_names(node, bound: dict, seen_defs: set) -> set[str]:
    """The names a learner's function (a def or a lambda) uses, by the rule of ``answers.names_used``."""
    local = set()
    for child in ast.walk(node):
        if isinstance(child, ast.arg):
            local.add(child.arg)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            local.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child is not node:
            local.add(child.name)
    for child in ast.walk(node):
        if isinstance(child, ast.Global):
            local -= set(child.names)
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute):
            names.add(child.attr)
        elif isinstance(child, ast.Import):
            for alias in child.names:
                names |= answers.module_names(alias.name)
        elif isinstance(child, ast.ImportFrom):
            names |= answers.module_names(child.module) | {alias.name for alias in child.names}
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) and child.id not in local:
            names |= _global_names(child.id, bound, seen_defs)
    return names


def _global_names(name: str, bound: dict, seen_defs: set) -> set[str]:
    """What using the global ``name`` counts: the learner's own functions are followed, not named; an import or
    an alias (``g = effects.hedges_g``) counts its name and what it stands for (``answers.alias_names``)."""
    names = set()
    counted = False
    for how, what in bound.get(name, []):
        if how == "def" or (how == "expr" and isinstance(what, ast.Lambda)):
            if id(what) not in seen_defs:
                seen_defs.add(id(what))
                names |= _function_names(what, bound, seen_defs)
        elif how == "import":
            names |= what
            counted = True
        elif isinstance(what, (ast.Name, ast.Attribute)):  # an alias of a module or a library function
            names |= _expression_names(what, bound, seen_defs)
            counted = True
        else:  # a value computed in the notebook: counts by its name only
            counted = True
    if counted or not bound.get(name):
        names.add(name)
    return names


def _expression_names(node, bound: dict, seen_defs: set) -> set[str]:
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute):
            names.add(child.attr)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            names |= _global_names(child.id, bound, seen_defs)
        elif isinstance(child, ast.Lambda) and id(child) not in seen_defs:
            seen_defs.add(id(child))
            names |= _function_names(child, bound, seen_defs)
    return names


def names_in_source(sources, target: str) -> set[str]:
    """The names the answer ``target`` uses, read from the submitted cells by the rule the learner's Check applies
    to the running code (``answers.names_used``): what the function's body refers to, the notebook's own helpers
    followed, imports and aliases resolved (``from utils.effects import hedges_g as g``, ``import utils.effects as
    e``, ``hedges_g = effects.hedges_g``). Read from the source, which the learner's kernel cannot change."""
    bound = _bindings(sources)
    names, seen_defs = set(), set()
    for how, what in bound.get(target, []):
        if how == "def":
            seen_defs.add(id(what))
            names |= _function_names(what, bound, seen_defs)
        elif how == "import":
            names |= what
        elif isinstance(what, ast.Lambda):
            seen_defs.add(id(what))
            names |= _function_names(what, bound, seen_defs)
        else:  # the answer is bound to another object: everything its expression refers to
            names |= _expression_names(what, bound, seen_defs)
    return names


def judge_answer(spec: dict, answer, sources=()) -> Verdict:
    """The grader's verdict on one reported answer.

    ``sources``: the submitted notebook's code cells (in order); for a
    function exercise that forbids a shortcut, the names its answer uses
    there (:func:`names_in_source`) count as used even if the kernel did not
    report them.
    """
    try:
        if spec["kind"] == "function" and spec.get("forbidden") and isinstance(answer, dict) \
                and answer.get("status") == "answered":
            seen = names_in_source(sources, spec["target"])
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
            sources = [cell.source for cell in nb.cells if cell.cell_type == "code"] if nb is not None else []
            verdict = judge_answer(spec, answer, sources)
        scored[grade_id] = Scored(exercise_id, grade_id, verdict, round(verdict.score * points, 4), points)
    return scored
