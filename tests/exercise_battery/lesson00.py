"""Learner answers for lesson 00."""
from .harness import Answer

SD = "00.sample_sd"
ANSWERS = [
    Answer(SD, "def sample_sd(ratings):\n    import numpy as np\n    x = np.asarray(ratings, dtype=float)\n"
               "    return np.sqrt(np.sum((x - x.mean()) ** 2) / (len(x) - 1))", "correct", kind="reference"),
    Answer(SD, "import statistics\ndef sample_sd(ratings):\n    return statistics.stdev(ratings)", "correct",
           kind="alternative"),
    Answer(SD, "def sample_sd(ratings):\n    n = len(ratings)\n    m = sum(ratings) / n\n"
               "    return (sum((r - m) ** 2 for r in ratings) / (n - 1)) ** 0.5", "correct", kind="alternative"),
    Answer(SD, "def sample_sd(ratings):\n    return np.std(ratings)", "wrong", ("n - 1",), kind="mistake"),
    Answer(SD, "def sample_sd(ratings):\n    return np.var(ratings, ddof=1)", "wrong", ("variance",), kind="mistake"),
    Answer(SD, "def sample_sd(ratings):\n    return np.std(ratings, ddof=1)", "correct", kind="shortcut"),
    Answer(SD, "def sample_sd(ratings):\n    return round(float(np.std(ratings, ddof=1)), 2)", "wrong",
           ("sample_sd(",), kind="rounded"),
    Answer(SD, "def sample_sd(ratings):\n    return sum(ratings) / 0", "wrong", ("ZeroDivisionError",),
           kind="crash"),
    Answer(SD, "def sample_sd(ratings):\n    if np.asarray(ratings) > 3:\n        return 1.0\n    return 0.0",
           "wrong", ("array", "np.where"), kind="crash"),
    Answer(SD, "def sample_sd(ratings):\n    return str(np.std(ratings, ddof=1))", "wrong", ("text", "quotes"),
           kind="wrong type"),
    Answer(SD, "sample_sd = 1.29", "wrong", ("function",), kind="wrong type"),
    Answer(SD, "def sample_sd(ratings):\n    pass", "not attempted", ("not attempted",), kind="blank"),
    Answer(SD, "def sample_sd(ratings):\n    while True:\n        pass", "wrong", ("loop",), kind="crash"),
    Answer(SD, "def sample_sd(x, y):\n    return 1.0", "wrong", ("arguments",), kind="wrong type"),

    Answer("00.percent_negative", "percent_negative = 100 * 12 / 17", "correct", kind="reference"),
    Answer("00.percent_negative", "percent_negative = 70.6", "correct", kind="rounded"),
    Answer("00.percent_negative", "percent_negative = 70.59", "correct", kind="alternative"),
    Answer("00.percent_negative", "percent_negative = 71", "wrong", ("rounded", "1"), kind="rounded"),
    Answer("00.percent_negative", "percent_negative = 12 / 17", "wrong", ("proportion",), kind="mistake"),
    Answer("00.percent_negative", "percent_negative = 100 * 5 / 17", "wrong", ("positive",), kind="mistake"),
    Answer("00.percent_negative", "percent_negative = -70.6", "wrong", ("sign",), kind="mistake"),
    Answer("00.percent_negative", "percent_negative = '70.6%'", "wrong", ("text", "quotes"), kind="wrong type"),
    Answer("00.percent_negative", "percent_negative = 100 * 12 / undefined_name", "not attempted", kind="crash"),
    Answer("00.percent_negative", "percent_negative = (70.6, 29.4)", "wrong", ("2 number",), kind="wrong type"),
    Answer("00.percent_negative", "percent_negative = None", "not attempted", kind="blank"),
    Answer("00.percent_negative", "percent_negative = 70.58823529411765  # typed from a calculator", "correct",
           kind="shortcut"),
    Answer("00.percent_negative", "percent_negative = float('nan')", "wrong", ("NaN",), kind="crash"),

    Answer("00.answer_3", "answer_3 = 'b'", "correct", kind="reference"),
    Answer("00.answer_3", "answer_3 = 'B'", "correct", kind="alternative"),
    Answer("00.answer_3", "answer_3 = '(b)'", "correct", kind="alternative"),
    Answer("00.answer_3", "answer_3 = '0.20 standard deviations lower'", "correct", kind="alternative"),
    Answer("00.answer_3", "answer_3 = 'a'", "wrong", ("raw mean difference",), kind="mistake"),
    Answer("00.answer_3", "answer_3 = 'e'", "wrong", ("not one of the options",), kind="wrong type"),
    Answer("00.answer_3", "answer_3 = 2", "wrong", ("letter",), kind="wrong type"),
    Answer("00.answer_3", "answer_3 = 'bc'", "wrong", ("not one of the options",), kind="shortcut"),
    Answer("00.answer_3", "answer_3 = b", "not attempted", kind="crash"),
    Answer("00.answer_3", "answer_3 = ''", "not attempted", kind="blank"),
]
