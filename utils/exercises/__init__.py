"""Checked exercises: one line in a lesson, one definition per exercise.

In a lesson, the cell below an exercise is just::

    ex.check("05.hedges_g")

It shows a feedback box with a **Check** button: ✔ (correct), ◐ (partly
correct), ✘ with a hint that names the mistake, or ○ (not attempted yet).
The box reads the learner's answer again at every click.

How it works, in three steps that the course's grader repeats outside the
learner's Python (see the README, "Grading"):

1. the exercise's definition (``specs/<lesson>.json``, made from the
   course's definitions by the lesson build) gives the visible cases with
   their expected results, the known mistakes and the accepted alternatives;
2. :func:`answers.collect` reads the learner's answer (for a function: its
   result on every case) as plain data;
3. :func:`judging.judge` compares that data with the definition and returns a
   :class:`Verdict`. It runs no learner code.

``choice`` (a clickable prediction, not graded) and ``reflection`` (a
written answer read by instructors) need no definition.
"""
from __future__ import annotations

import json
import secrets
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from .answers import POSITIONAL_FALLBACK, DEFAULT_TIMEOUT, collect
from .display import FeedbackBox, feedback_html, radio_question, reflection_banner, show_once, shown
from .judging import CORRECT, NOT_ATTEMPTED, PARTLY, WRONG, Verdict, judge, judge_choice

# pandas 2 answers series[0] on a labelled Series with its first element (and a FutureWarning); pandas 3, which
# requirements.txt allows too, raises KeyError. In a lesson both fail alike, so no answer (and no verdict) depends
# on the pandas version: take an element by position with .iloc[0], or by its label.
warnings.filterwarnings("error", message=POSITIONAL_FALLBACK, category=FutureWarning)

SPECS = Path(__file__).resolve().parent / "specs"
REPORT_MIME = "application/vnd.course.report+json"


@lru_cache(maxsize=None)
def _lesson_specs(prefix: str) -> dict:
    matches = sorted(SPECS.glob(f"{prefix}_*.json"))
    if not matches:
        raise ValueError(f"exercise_id: no lesson numbered {prefix!r} has exercise definitions")
    return json.loads(matches[0].read_text(encoding="utf-8"))["exercises"]


def spec(exercise_id: str) -> dict:
    """The learner-visible definition of exercise ``"NN.name"`` (cases, expected results, hints)."""
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ValueError(f"exercise_id: expected 'NN.name' (e.g. '05.hedges_g'), got {exercise_id!r}")
    specs = _lesson_specs(exercise_id.split(".", 1)[0])
    if exercise_id not in specs:
        raise ValueError(f"exercise_id: {exercise_id!r} is not defined; this lesson has {sorted(specs)}")
    return specs[exercise_id]


def _namespace(namespace: Mapping | None) -> Mapping:
    if namespace is not None:
        return namespace
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None:
        raise RuntimeError("check() looks up answers in the notebook; outside one, pass namespace=")
    return shell.user_ns


def evaluate(exercise_spec: dict, namespace: Mapping) -> Verdict:
    """Collect the answer named in the spec from ``namespace`` and judge it."""
    cases = [case["args"] for case in exercise_spec.get("cases", [])]
    answer = collect(exercise_spec["kind"], namespace.get(exercise_spec["target"]), cases,
                     exercise_spec.get("timeout", DEFAULT_TIMEOUT))
    return judge(exercise_spec, answer)


def check(exercise_id: str, namespace: Mapping | None = None) -> FeedbackBox:
    """Show the feedback box of exercise ``exercise_id`` (e.g. ``"05.hedges_g"``)."""
    exercise_spec = spec(exercise_id)
    names = _namespace(namespace)
    return shown(FeedbackBox(lambda: evaluate(exercise_spec, names), exercise_spec.get("title", "")))


def sorted_reasons(exercise_id: str, labels, category_names: Mapping | None = None) -> None:
    """Print why each item of a sort exercise belongs where it does, for the items ``labels`` sorts right.

    The other items say "not right yet" until they are. The reasons come with the exercise's definition (its
    ``explanations``), so a lesson need not spell them out in a cell where they would give the answers away.

    Parameters
    ----------
    exercise_id : str
        A sort exercise, e.g. ``"10.claim_labels"``.
    labels : dict or None
        The learner's answer: item -> category (letters in any case); anything else counts as no labels.
    category_names : dict, optional
        Category -> the words printed beside it, e.g. ``{"S": "supported by the 2024 review"}``.

    Raises
    ------
    ValueError
        If ``exercise_id`` is not a sort exercise with explanations.
    """
    exercise_spec = spec(exercise_id)
    if exercise_spec["kind"] != "sort" or not exercise_spec.get("explanations"):
        raise ValueError(f"exercise_id: {exercise_id!r} is not a sort exercise with explanations")
    labels = labels if isinstance(labels, Mapping) else {}
    names = dict(category_names or {})
    for item, answer in exercise_spec["answer"].items():
        given = labels.get(item)
        if isinstance(given, str) and given.strip().upper() == answer.upper():
            named = f" ({names[answer]})" if answer in names else ""
            print(f"{item} ✔ {answer}{named}: {exercise_spec['explanations'].get(item, '')}")
        else:
            print(f"{item} ○ not right yet: the reasoning appears when it is.")


def choice(question: str, options: Mapping[str, str], correct: str, explanations=None) -> FeedbackBox:
    """A clickable multiple-choice or prediction question (not graded).

    The explanation appears when the learner picks an option.
    """
    quiz = {"kind": "choice", "options": dict(options), "answer": correct, "explanations": dict(explanations or {}),
            "target": "your choice"}
    return radio_question(question, options,
                          lambda letter: judge_choice(quiz, {"status": "answered", "kind": "choice", "value": letter}))


def reflection(prompt: str) -> None:
    """Say that the next cell holds a written answer read by instructors, not checked."""
    reflection_banner(prompt)


def report(request: dict) -> None:
    """The grader's question to a notebook: publish this notebook's answer to one exercise, as data.

    ``request``: {"nonce", "id", "kind", "target", "cases", "timeout"}. The
    answer is displayed once under the MIME type ``REPORT_MIME``; the
    grader, outside this Python process, judges it.
    """
    from IPython.display import display

    names = _namespace(None)
    answer = collect(request["kind"], names.get(request["target"]), request.get("cases", []),
                     request.get("timeout", DEFAULT_TIMEOUT))
    display({REPORT_MIME: {"nonce": request["nonce"], "id": request["id"], "answer": answer},
             "text/plain": f"answer to {request['id']} reported"}, raw=True)


def new_nonce() -> str:
    return secrets.token_hex(16)


__all__ = [
    "check", "choice", "reflection", "spec", "sorted_reasons", "evaluate", "report", "judge", "collect", "Verdict",
    "FeedbackBox",
    "feedback_html", "show_once", "CORRECT", "PARTLY", "WRONG", "NOT_ATTEMPTED", "REPORT_MIME",
]
