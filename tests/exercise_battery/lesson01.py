"""Learner answers for lesson 01."""
from .harness import Answer


def choice_answers(exercise: str, target: str, right: str, right_text: str, wrong: str, wrong_words: tuple,
                   crash: str = "") -> list:
    """The seven kinds of answer to a multiple-choice exercise.

    ``crash``: an answer that fails when run (default the bare letter, a NameError; a lesson whose notebook
    defines that name passes another).
    """
    return [
        Answer(exercise, f"{target} = '{right}'", "correct", kind="reference"),
        Answer(exercise, f"{target} = '{right.upper()}'", "correct", kind="alternative"),
        Answer(exercise, f"{target} = {right_text!r}", "correct", kind="alternative"),
        Answer(exercise, f"{target} = '{wrong}'", "wrong", wrong_words, kind="mistake"),
        Answer(exercise, f"{target} = '{right}{wrong}'", "wrong", ("not one of the options",), kind="shortcut"),
        Answer(exercise, f"{target} = ['{right}', '{wrong}']", "wrong", ("letter",), kind="shortcut"),
        Answer(exercise, crash or f"{target} = {right}", "not attempted", kind="crash"),
        Answer(exercise, f"{target} = 2", "wrong", ("letter",), kind="wrong type"),
        Answer(exercise, f"{target} = ''", "not attempted", ("not attempted",), kind="blank"),
    ]


V = "01.verdict"
REFERENCE = ("def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low, dtype=float), np.asarray(ci_high, "
             "dtype=float)\n    return np.where(high < 0, 1, np.where(low > 0, -1, 0))")

ANSWERS = [
    *choice_answers("01.answer_1", "answer_1", "a", "A large dose could quiet any animal by sedating it; quieting at "
                    "low doses points to a specific effect on distress.", "b", ("agonists and antagonists",)),
    Answer("01.answer_1", "answer_1 = 'd'", "wrong", ("potency as importance",), kind="mistake"),
    *choice_answers("01.answer_2", "answer_2", "c", "(c)", "a", ("specific to the mother",)),
    Answer("01.answer_2", "answer_2 = 'd'", "wrong", ("kappa", "opposite"), kind="mistake"),
    *choice_answers("01.answer_3", "answer_3", "d", " D ", "a", ("exogenous",)),
    Answer("01.answer_3", "answer_3 = 'c'", "wrong", ("exogenous antagonist",), kind="mistake"),
    *choice_answers("01.answer_4", "answer_4", "a", "(a)", "b", ("interaction",)),
    Answer("01.answer_4", "answer_4 = 'd'", "wrong", ("reverse inference",), kind="mistake"),
    *choice_answers("01.answer_7", "answer_7", "c", " c ", "b", ("90%",)),
    Answer("01.answer_7", "answer_7 = 'd'", "wrong", ("5 of the 16 contexts",), kind="mistake"),
    *choice_answers("01.answer_6", "answer_6", "d", "d)", "a", ("compatible with no difference",)),
    Answer("01.answer_6", "answer_6 = 'b'", "wrong", ("outlier",), kind="mistake"),

    Answer(V, REFERENCE, "correct", kind="reference"),
    Answer(V, "def verdict(ci_low, ci_high):\n    return np.select([np.asarray(ci_high) < 0, np.asarray(ci_low) > 0],"
              " [1, -1], 0)", "correct", kind="alternative"),
    Answer(V, "def verdict(ci_low, ci_high):\n    lo, hi = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    return (hi < 0).astype(int) - (lo > 0).astype(int)", "correct", kind="alternative"),
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    return np.where(high < 0, -1, np.where(low > 0, 1, 0))", "wrong", ("reversed",), kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    return -np.sign((np.asarray(ci_low) + np.asarray(ci_high)) / 2)",
           "wrong", ("middle",), kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    return np.where(np.asarray(ci_high) < 0, 1, -1)", "wrong",
           ("not evidence against",), kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    return np.where(np.asarray(ci_high) <= 0, 1, "
              "np.where(np.asarray(ci_low) >= 0, -1, 0))", "wrong", ("verdict(-0.4, 0.0)",), kind="mistake"),
    # Only the verdicts the lesson's own data contain (no study lies above zero): a shortcut the check refuses.
    Answer(V, "def verdict(ci_low, ci_high):\n    return np.where(np.asarray(ci_high) < 0, 1, 0)", "wrong",
           ("above zero",), kind="shortcut"),
    Answer(V, "def verdict(ci_low, ci_high):\n    if ci_high < 0:\n        return 1\n    if ci_low > 0:\n"
              "        return -1\n    return 0", "wrong", ("array", "np.where"), kind="crash"),
    Answer(V, "def verdict(ci_low, ci_high):\n    return np.where(ci_high < 0, 1, 0) / undefined_name", "wrong",
           ("NameError",), kind="crash"),
    Answer(V, "def verdict(ci_low, ci_high):\n    return np.where(np.asarray(ci_high) < 0, 'supports', "
              "np.where(np.asarray(ci_low) > 0, 'contradicts', 'inconclusive'))", "wrong", ("did not return numbers",),
           kind="wrong type"),
    Answer(V, "verdict = 1", "wrong", ("function",), kind="wrong type"),
    Answer(V, "def verdict(ci_low, ci_high):\n    # YOUR CODE HERE\n    pass", "not attempted", ("not attempted",),
           kind="blank"),
]

# Named slips of the checklist (< vs <= at zero, the ends of the CI) and the generic detections.
ANSWERS += [
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    return np.where(high <= 0, 1, np.where(low >= 0, -1, 0))", "wrong", ("includes zero", "< 0"),
           kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    return np.where(low < 0, 1, np.where(high > 0, -1, 0))", "wrong", ("wrong end",), kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    return int(high < 0) - int(low > 0)", "wrong", ("whole array", "np.where"), kind="crash"),
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    print(np.where(high < 0, 1, np.where(low > 0, -1, 0)))", "wrong", ("prints", "return"),
           kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    result = np.where(high < 0, 1, np.where(low > 0, -1, 0))", "wrong", ("no `return`",),
           kind="mistake"),
    Answer(V, "def verdict(ci_low, ci_high):\n    low, high = np.asarray(ci_low), np.asarray(ci_high)\n"
              "    return float(np.where(high < 0, 1, np.where(low > 0, -1, 0)).ravel()[0])", "wrong",
           ("3 numbers are expected", "whole array"), kind="mistake"),  # one verdict for three CIs
]
