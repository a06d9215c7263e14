"""The usual learner answers to a multiple-choice exercise, built from its right letter and wrong options."""
from .harness import Answer


def choice_answers(exercise: str, target: str, right: str, mistakes: dict, alternative: str = "") -> list[Answer]:
    """Answers of every required kind for a choice exercise.

    ``mistakes``: wrong letter -> a word its explanation must contain;
    ``alternative``: another way of writing the right answer (the option's text, "(B)", ...).
    """
    answers = [Answer(exercise, f"{target} = {right!r}", "correct", kind="reference"),
               Answer(exercise, f"{target} = {right.upper()!r}", "correct", kind="alternative")]
    if alternative:
        answers.append(Answer(exercise, f"{target} = {alternative!r}", "correct", kind="alternative"))
    answers += [Answer(exercise, f"{target} = {letter!r}", "wrong", (word,), kind="mistake")
                for letter, word in mistakes.items()]
    return answers + [
        Answer(exercise, f"{target} = '{right} or {next(iter(mistakes))}'", "wrong", ("not one of the options",),
               kind="shortcut"),
        Answer(exercise, f"{target} = 2", "wrong", ("letter",), kind="wrong type"),
        Answer(exercise, f"{target} = {right}", "not attempted", kind="crash"),  # a bare name: NameError
        Answer(exercise, f"{target} = ''", "not attempted", kind="blank"),
    ]
