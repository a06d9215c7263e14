"""Multiple choice that cannot be passed by test-taking.

Over every choice exercise of every lesson (and every clickable prediction in
the solution notebooks): the right letters are spread over a-d, the right
option is not systematically the longest, answering one letter everywhere
earns at most a third of the choice points, and every wrong option has an
explanation that a learner sees when picking it. A new exercise that breaks
these rules fails here.
"""
import ast
from collections import Counter

import nbformat
import pytest

from instructor import definitions
from tests.conftest import SOLUTIONS

LESSONS = [p.stem for p in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))]
CHOICES = [e for lesson in LESSONS for e in definitions.load(lesson) if e.kind == "choice"]


def _predictions() -> list[dict]:
    """Every ``ex.choice(question, options, correct=..., explanations=...)`` call in the solution notebooks."""
    found = []
    for lesson in LESSONS:
        nb = nbformat.read(SOLUTIONS / f"{lesson}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "ex.choice(" not in cell.source:
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "choice"):
                    given = dict(zip(("question", "options", "correct", "explanations"), node.args))
                    given.update({k.arg: k.value for k in node.keywords})
                    found.append({"lesson": lesson, "options": ast.literal_eval(given["options"]),
                                  "correct": ast.literal_eval(given["correct"]),
                                  "explanations": ast.literal_eval(given.get("explanations", ast.Dict([], [])))})
    return found


PREDICTIONS = _predictions()


def _right(exercise) -> list[str]:
    return list(exercise.answer) if isinstance(exercise.answer, (list, tuple)) else [exercise.answer]


def _strictly_longest(options: dict, right: str) -> bool:
    return all(len(options[right]) > len(text) for key, text in options.items() if key != right)


def test_there_are_choice_exercises_and_predictions():
    assert len(CHOICES) >= 20 and len(PREDICTIONS) >= 4, (len(CHOICES), len(PREDICTIONS))


def letter_spread_problem(right_letters: list[list[str]]) -> str:
    """Empty when no letter is right in more than a third of the exercises and all four are used."""
    counts = Counter(letter for letters in right_letters for letter in letters)
    if any(n > len(right_letters) / 3 for n in counts.values()) or len(counts) < 4:
        return f"right letters {dict(sorted(counts.items()))} over {len(right_letters)} exercises"
    return ""


def test_right_letters_are_spread_over_the_options():
    assert not letter_spread_problem([_right(e) for e in CHOICES])


def test_right_option_is_not_systematically_the_longest():
    longest = [e.id for e in CHOICES if len(_right(e)) == 1 and _strictly_longest(e.options, _right(e)[0])]
    assert len(longest) <= len(CHOICES) / 3, longest


def test_one_letter_everywhere_earns_at_most_a_third_of_the_points():
    total = sum(e.points for e in CHOICES)
    for letter in "abcd":
        earned = sum(e.points for e in CHOICES if letter in _right(e))
        assert earned <= total / 3, (letter, earned, total)


@pytest.mark.parametrize("exercise", CHOICES, ids=[e.id for e in CHOICES])
def test_every_option_is_explained_and_of_similar_length(exercise):
    assert len(exercise.options) >= 4, f"{exercise.id}: four options (a-d)"
    missing = sorted(set(exercise.options) - set(exercise.explanations))
    assert not missing, f"{exercise.id}: no explanation for {missing}"
    lengths = [len(text) for text in exercise.options.values()]
    # "Similar length": no option more than three times as long as the shortest.
    assert max(lengths) <= 3 * min(lengths), (exercise.id, lengths)


def test_predictions_spread_their_letters_and_explain_every_option():
    counts = Counter(p["correct"] for p in PREDICTIONS)
    assert max(counts.values()) <= max(2, len(PREDICTIONS) / 2), counts
    for p in PREDICTIONS:
        missing = sorted(set(p["options"]) - set(p["explanations"]))
        assert not missing, f"{p['lesson']}: prediction without an explanation for {missing}"


def test_the_spread_rule_catches_test_taking_patterns():
    assert letter_spread_problem([["b"]] * 25 + [["c"]] * 3)  # the course before this rule
    assert letter_spread_problem([["a"], ["b"], ["c"]] * 4)  # "d" never right
    assert not letter_spread_problem([["a"], ["b"], ["c"], ["d"]] * 7)
