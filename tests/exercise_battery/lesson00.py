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
    Answer("00.answer_3", "answer_3 = '0.20 standard deviations lower than the placebo group'", "correct",
           kind="alternative"),
    Answer("00.answer_3", "answer_3 = 'c'", "wrong", ("share of people",), kind="mistake"),
    Answer("00.answer_3", "answer_3 = 'd'", "wrong", ("percentage change",), kind="mistake"),
    Answer("00.answer_3", "answer_3 = 'a'", "wrong", ("raw mean difference",), kind="mistake"),
    Answer("00.answer_3", "answer_3 = 'e'", "wrong", ("not one of the options",), kind="wrong type"),
    Answer("00.answer_3", "answer_3 = 2", "wrong", ("letter",), kind="wrong type"),
    Answer("00.answer_3", "answer_3 = 'bc'", "wrong", ("not one of the options",), kind="shortcut"),
    Answer("00.answer_3", "answer_3 = b", "not attempted", kind="crash"),
    Answer("00.answer_3", "answer_3 = ''", "not attempted", kind="blank"),
]

# Named slips of the checklist (n + 1, SE for SD, the square root, percentages) and the generic detections
# (no return, print instead of return, rounding inside the function, 6 significant figures).
X = "def sample_sd(ratings):\n    x = np.asarray(ratings, dtype=float)\n"
ANSWERS += [
    Answer(SD, X + "    return np.sqrt(np.sum((x - x.mean()) ** 2) / (len(x) + 1))", "wrong", ("n + 1",),
           kind="mistake"),
    Answer(SD, X + "    return x.std(ddof=1) / np.sqrt(len(x))", "wrong", ("standard error",), kind="mistake"),
    Answer(SD, X + "    return np.sqrt(np.sum((x - x.mean()) ** 2)) / (len(x) - 1)", "wrong",
           ("inside the square root",), kind="mistake"),
    Answer(SD, "def sample_sd(ratings):\n    return np.var(ratings)", "wrong", ("variance", "n - 1"), kind="mistake"),
    Answer(SD, X + "    sd = x.std(ddof=1)", "wrong", ("no `return`", "None"), kind="mistake"),
    Answer(SD, X + "    print(x.std(ddof=1))", "wrong", ("prints its result", "return"), kind="mistake"),
    Answer(SD, X + "    return round(float(x.std(ddof=1)), 3)", "wrong", ("rounds its result", "3 decimals"),
           kind="rounded"),
    Answer(SD, X + "    return float(f'{x.std(ddof=1):.6g}')", "correct", kind="rounded"),  # 6 significant figures
    Answer("00.percent_negative", "percent_negative = 100 * 12 / 5", "wrong", ("12 / 5",), kind="mistake"),
    Answer("00.percent_negative", "percent_negative = 100 * 5 / 12", "wrong", ("5 / 12",), kind="mistake"),
    Answer("00.percent_negative", "percent_negative = round(12 / 17, 3)", "wrong", ("100 times too small",),
           kind="mistake"),
]
