"""Learner answers for lesson 03."""
from .harness import Answer
from .lesson01 import choice_answers

T, DZ = "03.paired_t", "03.d_z_from_scores"
N, E = "03.n_per_group_needed", "03.expected_estimate"
DIFF = "    d = np.asarray(naltrexone, dtype=float) - np.asarray(placebo, dtype=float)\n"

ANSWERS = [
    *choice_answers("03.answer_1", "answer_1", "d", "participants' and experimenters' expectations shaping the "
                    "ratings", "a", ("randomisation",)),

    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return d.mean() / (d.std(ddof=1) / np.sqrt(len(d)))",
           "correct", kind="reference"),
    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return d.mean() / stats.sem(d)", "correct",
           kind="alternative"),
    Answer(T, "def paired_t(naltrexone, placebo):\n    return stats.ttest_ind(naltrexone, placebo).statistic", "wrong",
           ("pairing",), kind="mistake"),
    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return d.mean() / (np.std(d) / np.sqrt(len(d)))",
           "wrong", ("n - 1",), kind="mistake"),
    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return d.mean() / d.std(ddof=1)", "wrong",
           ("standard error",), kind="mistake"),
    Answer(T, "def paired_t(naltrexone, placebo):\n    d = np.asarray(placebo, float) - np.asarray(naltrexone, float)\n"
              "    return d.mean() / (d.std(ddof=1) / np.sqrt(len(d)))", "wrong", ("sign",), kind="mistake"),
    Answer(T, "def paired_t(naltrexone, placebo):\n    return stats.ttest_rel(naltrexone, placebo).statistic", "wrong",
           ("ttest_rel",), kind="shortcut"),
    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return stats.ttest_1samp(d, 0).statistic", "wrong",
           ("ttest_rel",), kind="shortcut"),
    Answer(T, "def paired_t(naltrexone, placebo):\n    d = naltrexone - placebo\n"
              "    return d.mean() / (d.std(ddof=1) / np.sqrt(len(d)))", "wrong", ("TypeError", "np.asarray"),
           kind="crash"),
    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return round(d.mean() / (d.std(ddof=1) / "
              "np.sqrt(len(d))), 2)", "wrong", ("paired_t(",), kind="rounded"),
    Answer(T, "def paired_t(naltrexone, placebo):\n" + DIFF + "    return {'t': d.mean() / (d.std(ddof=1) / "
              "np.sqrt(len(d)))}", "wrong", ("did not return numbers",), kind="wrong type"),
    Answer(T, "def paired_t(differences):\n    return 0.0", "wrong", ("arguments",), kind="wrong type"),
    Answer(T, "def paired_t(naltrexone, placebo):\n    # YOUR CODE HERE\n    pass", "not attempted", kind="blank"),

    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n" + DIFF + "    return d.mean() / d.std(ddof=1)", "correct",
           kind="reference"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n    t = stats.ttest_rel(naltrexone, placebo).statistic\n"
               "    return t / np.sqrt(len(naltrexone))", "correct", kind="alternative"),  # t = d_z sqrt(n)
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n    a, b = np.asarray(naltrexone), np.asarray(placebo)\n"
               "    return (a.mean() - b.mean()) / ((a.std(ddof=1) + b.std(ddof=1)) / 2)", "wrong", ("d_av",),
           kind="mistake"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n" + DIFF + "    return d.mean() / d.std()", "wrong",
           ("n - 1",), kind="mistake"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n" + DIFF + "    return d.mean() / d.std(ddof=1) * "
               "np.sqrt(len(d))", "wrong", ("sqrt(n)",), kind="mistake"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n    a, b = np.asarray(naltrexone), np.asarray(placebo)\n"
               "    return effects.d_z(a.mean(), b.mean(), a.std(ddof=1), b.std(ddof=1), np.corrcoef(a, b)[0, 1])",
           "wrong", ("utils.effects",), kind="shortcut"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n" + DIFF + "    return d.mean() / d.std(ddof=1) * "
               "(1 / (len(d) - 4))", "wrong", ("ZeroDivisionError",), kind="crash"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n" + DIFF + "    return [d.mean(), d.std(ddof=1)]", "wrong",
           ("2 number",), kind="wrong type"),
    Answer(DZ, "d_z_from_scores = -0.435", "wrong", ("function",), kind="wrong type"),
    Answer(DZ, "def d_z_from_scores(naltrexone, placebo):\n    pass", "not attempted", kind="blank"),

    Answer(N, "n_per_group_needed = 31 / (1 - 0.6)", "correct", kind="reference"),
    Answer(N, "n_per_group_needed = 77.5", "correct", kind="alternative"),
    Answer(N, "n_per_group_needed = 78", "wrong", ("rounded", "77.5"), kind="rounded"),
    Answer(N, "n_per_group_needed = 31 * (1 - 0.6)", "wrong", ("(1 - r)",), kind="mistake"),
    Answer(N, "n_per_group_needed = 2 * 31 / (1 - 0.6)", "wrong", ("total",), kind="mistake"),
    Answer(N, "n_per_group_needed = 31 / 0.6", "wrong", ("1 - r",), kind="mistake"),
    # The "80 people (2020 parallel)" of the power figure that follows: a number from the lesson, not the answer.
    Answer(N, "n_per_group_needed = 40", "wrong", kind="shortcut"),
    Answer(N, "n_per_group_needed = 31 / (1 - 0.6) if r > 0 else 31", "not attempted", kind="crash"),
    Answer(N, "n_per_group_needed = '77.5 people'", "wrong", ("text",), kind="wrong type"),
    Answer(N, "n_per_group_needed = None", "not attempted", kind="blank"),

    Answer(E, "naltrexone_first = -0.4 - 0.25 * (-0.4)\nplacebo_first = -0.4\n"
              "expected_estimate = (naltrexone_first + placebo_first) / 2", "correct", kind="reference"),
    Answer(E, "expected_estimate = -0.4 * (1 - 0.25 / 2)", "correct", kind="alternative"),
    Answer(E, "expected_estimate = -0.35", "correct", kind="rounded"),
    Answer(E, "expected_estimate = -0.4", "wrong", ("cancel",), kind="mistake"),
    Answer(E, "expected_estimate = -0.3", "wrong", ("placebo-first",), kind="mistake"),
    Answer(E, "expected_estimate = -0.45", "wrong", ("towards zero",), kind="mistake"),
    Answer(E, "expected_estimate = 0.35", "wrong", ("sign",), kind="mistake"),
    Answer(E, "expected_estimate = -0.1", "wrong", ("carried over",), kind="shortcut"),
    Answer(E, "expected_estimate = -0.4", "wrong", ("cancel",), kind="shortcut"),  # the true effect, typed in
    Answer(E, "expected_estimate = (naltrexone_1st + placebo_1st) / 2", "not attempted", kind="crash"),
    Answer(E, "expected_estimate = (-0.3, -0.4)", "wrong", ("2 number",), kind="wrong type"),
    Answer(E, "expected_estimate = None", "not attempted", kind="blank"),
    *choice_answers("03.answer_6", "answer_6", "c", "(c)", "a", ("difference-in-significance trap",)),
    Answer("03.answer_6", "answer_6 = 'd'", "wrong", ("point estimates",), kind="mistake"),
    *choice_answers("03.answer_7", "answer_7", "a", " A", "b", ("hides the pill, not the question",)),
    Answer("03.answer_7", "answer_7 = 'd'", "wrong", ("placebo's job",), kind="mistake"),
    *choice_answers("03.answer_8", "answer_8", "d", "d)", "a", ("self-disclosure",)),
    Answer("03.answer_8", "answer_8 = 'c'", "wrong", ("not significantly reduced",), kind="mistake"),
]

# Named slips of the checklist (√(n - 1) for √n, a missing square root, variance for SD, sign, 1 + r) and the
# generic detections (numpy's broadcast error in the course's words).
TH = "def paired_t(naltrexone, placebo):\n" + DIFF
ZH = "def d_z_from_scores(naltrexone, placebo):\n"
ANSWERS += [
    Answer(T, TH + "    return d.mean() / (d.std(ddof=1) / np.sqrt(len(d) - 1))", "wrong", ("with n, not n - 1",),
           kind="mistake"),
    Answer(T, TH + "    return d.mean() / (d.std(ddof=1) / len(d))", "wrong", ("square root of n",), kind="mistake"),
    Answer(T, TH + "    return d.mean() / (d.var(ddof=1) / np.sqrt(len(d)))", "wrong", ("variance",), kind="mistake"),
    Answer(T, "def paired_t(naltrexone, placebo):\n"
              "    d = np.asarray(naltrexone, float) - np.asarray(placebo, float)[:-1]\n"
              "    return d.mean() / (d.std(ddof=1) / np.sqrt(len(d)))", "wrong",
           ("different lengths", "the line"), kind="crash"),
    Answer(DZ, ZH + "    a, b = np.asarray(naltrexone), np.asarray(placebo)\n"
               "    return (a.mean() - b.mean()) / np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)", "wrong",
           ("root mean square",), kind="mistake"),
    Answer(DZ, ZH + DIFF + "    return d.mean() / d.var(ddof=1)", "wrong", ("variance",), kind="mistake"),
    Answer(DZ, ZH + "    d = np.asarray(placebo, float) - np.asarray(naltrexone, float)\n"
               "    return d.mean() / d.std(ddof=1)", "wrong", ("sign",), kind="mistake"),
    Answer(N, "n_per_group_needed = 31 / (1 + 0.6)", "wrong", ("1 + r",), kind="mistake"),
    Answer(N, "n_per_group_needed = 31 / np.sqrt(1 - 0.6)", "wrong", ("No square root",), kind="mistake"),
    Answer(E, "expected_estimate = -0.4 + -0.3", "wrong", ("average them",), kind="mistake"),
    Answer(E, "expected_estimate = -0.05", "wrong", ("towards zero",), kind="mistake"),
    Answer(E, "expected_estimate = -35", "wrong", ("100 times too large",), kind="mistake"),
]
