"""Every learner answer in tests/exercise_battery gets the verdict and hint it should, and the
learner's Check and the grader agree on it (✔ means full points on the visible cases)."""
import importlib
import pkgutil
from collections import defaultdict

import pytest

from instructor import definitions
from tests import exercise_battery
from tests.exercise_battery.harness import Answer, lesson_of, try_answer

REQUIRED_KINDS = {"reference", "mistake", "crash", "wrong type", "blank"}


def battery() -> list[Answer]:
    answers = []
    for module in pkgutil.iter_modules(exercise_battery.__path__):
        if module.name.startswith("lesson"):
            answers += importlib.import_module(f"tests.exercise_battery.{module.name}").ANSWERS
    return answers


ANSWERS = battery()


# One lesson's answers run in one worker (pytest-xdist's loadgroup), so each lesson's solution namespace is built
# once (harness.base_namespace runs the lesson's solution cells: seconds), not once per worker.
@pytest.mark.parametrize("answer", [pytest.param(a, marks=pytest.mark.xdist_group(f"battery-{lesson_of(a.exercise)}"),
                                                 id=f"{a.exercise}:{a.kind}:{i}") for i, a in enumerate(ANSWERS)])
def test_answer_gets_its_verdict_and_hint(answer):
    outcome = try_answer(answer)
    shown = f"{outcome.check.message} {outcome.check.hint}".lower()
    expected_check = "correct" if answer.hidden_only else answer.verdict
    assert outcome.check.status == expected_check, outcome.check.text()
    for word in answer.hint:
        assert word.lower() in shown, f"{word!r} missing from: {outcome.check.text()}"
    assert "hint: \n" not in shown and "array([" not in shown  # short messages, no array dumps
    # Check and grader judge the visible cases alike; the grader's points follow its verdict.
    assert (outcome.grader_visible.status, outcome.grader_visible.score) == (outcome.check.status,
                                                                               outcome.check.score)
    if answer.hidden_only:
        assert outcome.grader.score < 1
    else:
        assert outcome.grader.status == answer.verdict, outcome.grader.text()
        graded = f"{outcome.grader.message} {outcome.grader.hint}".lower()
        for word in answer.hint:  # the grader's feedback names the mistake as the Check does
            assert word.lower() in graded, f"{word!r} missing from the grader's: {outcome.grader.text()}"
    if outcome.check.status != "correct":
        assert outcome.grader.score < 1


def test_every_graded_exercise_has_a_full_battery():
    kinds = defaultdict(set)
    for answer in ANSWERS:
        kinds[answer.exercise].add(answer.kind)
        if answer.verdict == "correct" and answer.kind != "reference":
            kinds[answer.exercise].add("correct alternative")
    lessons = sorted({lesson_of(e) for e in kinds} | {p for p in definitions_lessons()})
    missing = {}
    for lesson in lessons:
        for exercise in definitions.graded(lesson):
            needed = REQUIRED_KINDS | {"correct alternative", "shortcut"}
            gap = needed - kinds.get(exercise, set())
            if gap:
                missing[exercise] = sorted(gap)
    assert not missing, missing
    assert len(ANSWERS) >= 200, len(ANSWERS)


def definitions_lessons():
    from tests.conftest import SOLUTIONS
    return [p.stem for p in sorted(SOLUTIONS.glob("*.ipynb"))]
