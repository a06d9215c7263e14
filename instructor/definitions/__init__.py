"""Exercise definitions: one per exercise, read by the learner's Check and by the grader.

Each lesson has a module here (``lesson05.py`` for 05_effect_sizes) with a
list ``EXERCISES`` of definitions:

``FunctionExercise``  the learner writes a function; the reference is called
                      on visible and hidden cases;
``ValueExercise``     the learner stores a number (or a few, with ``parts``);
``ChoiceExercise``    a multiple-choice answer, typed as a letter;
``SortExercise``      items sorted into categories (one share of the points each);
``Written``           a written answer graded by hand, with its rubric.

A definition holds the reference, the visible cases, the hidden cases, the
tolerance (stated in the question, applied as stated), the named mistakes
with their hints, the accepted alternatives with a sentence on why each is
acceptable, and the points. ``spec(include_hidden)`` turns it into plain
data: the lesson build writes the visible part to
``utils/exercises/specs/<lesson>.json`` (shipped with the lessons); the
grader computes the full part here, outside any student's Python.
"""
from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from utils.exercises.answers import as_numbers, encode_value


@dataclass(frozen=True)
class Mistake:
    """A named wrong answer: ``function`` (for function exercises) or ``value`` gives its result.

    ``partial``: for an answer with ``parts``, the parts it gets right still earn their share (e.g. a right z with
    a one-tailed p); otherwise a named mistake earns nothing.
    """

    name: str
    hint: str
    function: Callable | None = None
    value: Any = None
    partial: bool = False


@dataclass(frozen=True)
class Alternative:
    """An answer that is right by another method the course accepts, and why."""

    name: str
    why: str
    function: Callable | None = None
    value: Any = None


@dataclass(frozen=True)
class Forbidden:
    """Functions the question asks the learner not to call, and the hint to give if they do."""

    names: tuple
    hint: str


def _numbers(value) -> list:
    return as_numbers(value, "a definition's value")


def _outputs(function: Callable, cases: Sequence[tuple]) -> list:
    """``function`` on every case, as numbers (None where it fails: a mistake need not apply everywhere)."""
    outputs = []
    for case in cases:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                outputs.append(_numbers(function(*case)))
        except Exception:
            outputs.append(None)
    return outputs


@dataclass
class FunctionExercise:
    """The learner writes ``target``; it must agree with ``reference`` on every case."""

    id: str
    target: str
    title: str
    reference: Callable
    cases: Sequence[tuple]
    hidden_cases: Sequence[tuple] = ()
    mistakes: Sequence[Mistake] = ()
    alternatives: Sequence[Alternative] = ()
    forbidden: Sequence[Forbidden] = ()
    parts: Sequence[str] = ()
    rtol: float = 1e-6
    atol: float = 1e-9
    sig_figs: int | None = None
    points: float = 1.0
    quantity: str = ""
    timeout: float = 2.0
    kind: str = field(default="function", init=False)

    def tolerance(self) -> dict:
        """The precision the question states. The course words rtol = 1e-6 as "6 significant figures", so an
        answer rounded to 6 significant figures is right too (``sig_figs``, unless set otherwise)."""
        digits = self.sig_figs if self.sig_figs is not None else (6 if self.rtol == 1e-6 else None)
        return {"rtol": self.rtol, "atol": self.atol, **({"sig_figs": digits} if digits else {})}

    def spec(self, include_hidden: bool = False) -> dict:
        cases = [(c, False) for c in self.cases] + ([(c, True) for c in self.hidden_cases] if include_hidden else [])
        args = [c for c, _ in cases]
        expected = _outputs(self.reference, args)
        if any(e is None for e in expected):
            raise ValueError(f"{self.id}: the reference fails on a case")
        return {
            "id": self.id, "kind": self.kind, "target": self.target, "title": self.title, "points": self.points,
            "tolerance": self.tolerance(), "quantity": self.quantity, "timeout": self.timeout,
            "cases": [{"args": encode_value(list(c)), "expected": e, "hidden": h}
                      for (c, h), e in zip(cases, expected)],
            "mistakes": [{"name": m.name, "hint": m.hint, "outputs": _outputs(m.function, args),
                          **({"partial": True} if m.partial else {})} for m in self.mistakes],
            "alternatives": [{"name": a.name, "why": a.why, "outputs": _outputs(a.function, args)}
                             for a in self.alternatives],
            "forbidden": [{"names": list(f.names), "hint": f.hint} for f in self.forbidden],
            "parts": list(self.parts),
        }


@dataclass
class ValueExercise:
    """The learner stores a number (or a tuple of numbers) in ``target``.

    ``decimals``: the precision the question asks for ("to 1 decimal"); any
    answer within half a unit of it is right ("to 3 decimals" accepts
    ±0.0005). ``sig_figs``: "to d significant figures" (any answer rounded
    to d significant figures is right). Otherwise ``rtol``/``atol``.
    """

    id: str
    target: str
    title: str
    expected: Any
    mistakes: Sequence[Mistake] = ()
    alternatives: Sequence[Alternative] = ()
    decimals: int | None = None
    sig_figs: int | None = None
    rtol: float = 1e-3
    atol: float = 1e-9
    unit: str = ""
    parts: Sequence[str] = ()
    quantity: str = ""
    points: float = 1.0
    kind: str = field(default="value", init=False)

    def spec(self, include_hidden: bool = False) -> dict:
        tolerance = {"decimals": self.decimals} if self.decimals is not None else {
            "rtol": self.rtol, "atol": self.atol, **({"sig_figs": self.sig_figs} if self.sig_figs else {})}
        value = self.expected() if callable(self.expected) else self.expected
        return {
            "id": self.id, "kind": self.kind, "target": self.target, "title": self.title, "points": self.points,
            "tolerance": tolerance, "unit": self.unit, "quantity": self.quantity, "parts": list(self.parts),
            "expected": _numbers(value),
            "mistakes": [{"name": m.name, "hint": m.hint, "value": _numbers(m.value)} for m in self.mistakes],
            "alternatives": [{"name": a.name, "why": a.why, "value": _numbers(a.value)} for a in self.alternatives],
        }


@dataclass
class ChoiceExercise:
    """A multiple-choice answer typed as a letter; ``answer`` is the right letter (or a list of them)."""

    id: str
    target: str
    title: str
    options: dict
    answer: Any
    explanations: dict = field(default_factory=dict)
    points: float = 1.0
    kind: str = field(default="choice", init=False)

    def spec(self, include_hidden: bool = False) -> dict:
        answers = self.answer if isinstance(self.answer, (list, tuple)) else [self.answer]
        unknown = [a for a in answers if a not in self.options]
        if unknown:
            raise ValueError(f"{self.id}: answer {unknown} is not one of the options")
        return {"id": self.id, "kind": self.kind, "target": self.target, "title": self.title, "points": self.points,
                "options": dict(self.options), "answer": list(answers), "explanations": dict(self.explanations)}


@dataclass
class SortExercise:
    """Items sorted into categories; each item right earns its share of the points."""

    id: str
    target: str
    title: str
    answer: dict
    categories: Sequence[str]
    hints: dict = field(default_factory=dict)  # item -> a question that helps when it is sorted wrongly
    explanations: dict = field(default_factory=dict)  # item -> why it belongs where it does (shown once right)
    points: float = 1.0
    kind: str = field(default="sort", init=False)

    def spec(self, include_hidden: bool = False) -> dict:
        for what, given in (("hints", self.hints), ("explanations", self.explanations)):
            unknown = sorted(set(given) - set(self.answer))
            if unknown:
                raise ValueError(f"{self.id}: {what} for items that are not sorted: {unknown}")
        return {"id": self.id, "kind": self.kind, "target": self.target, "title": self.title, "points": self.points,
                "answer": dict(self.answer), "categories": list(self.categories), "hints": dict(self.hints),
                "explanations": dict(self.explanations)}


@dataclass
class Written:
    """A written answer, graded by hand with a 2/1/0 rubric (instructors only)."""

    id: str
    title: str
    rubric: dict
    points: float = 2.0
    kind: str = field(default="written", init=False)

    def __post_init__(self):
        if sorted(self.rubric) != [0, 1, 2]:
            raise ValueError(f"{self.id}: a rubric says what earns 2, 1 and 0 points")


GRADED_KINDS = ("function", "value", "choice", "sort")


def module_name(lesson: str) -> str:
    """``05_effect_sizes`` -> ``instructor.definitions.lesson05``."""
    number = lesson.split("_", 1)[0]
    if not number.isdigit():
        raise ValueError(f"lesson: expected a name starting with its number, e.g. '05_effect_sizes', got {lesson!r}")
    return f"{__name__}.lesson{number}"


def load(lesson: str) -> list:
    """The definitions of one lesson, in the order of its notebook."""
    module = importlib.import_module(module_name(lesson))
    exercises = list(module.EXERCISES)
    ids = [e.id for e in exercises]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"{lesson}: exercise ids used twice: {sorted(duplicates)}")
    number = lesson.split("_", 1)[0]
    wrong = [i for i in ids if not i.startswith(number + ".")]
    if wrong:
        raise ValueError(f"{lesson}: exercise ids must start with '{number}.': {wrong}")
    return exercises


def graded(lesson: str) -> dict:
    """id -> definition, for the exercises a check cell grades automatically."""
    return {e.id: e for e in load(lesson) if e.kind in GRADED_KINDS}


def written(lesson: str) -> list:
    return [e for e in load(lesson) if e.kind == "written"]


def visible_specs(lesson: str) -> dict:
    """What the lesson ships: every graded exercise's spec without hidden cases."""
    return {"lesson": lesson, "exercises": {i: e.spec(include_hidden=False) for i, e in graded(lesson).items()}}


def grade_id(lesson: str, exercise_id: str) -> str:
    """nbgrader's grade id of an exercise's check cell: ``05_effect_sizes-hedges_g``."""
    return f"{lesson}-{exercise_id.split('.', 1)[1]}"
