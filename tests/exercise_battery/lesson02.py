"""Learner answers for lesson 02."""
from .harness import Answer
from .lesson01 import choice_answers

B = "02.blockade_percent"
D95, R7, R10, K = "02.dose_95", "02.residual_7_days", "02.residual_10_days", "02.kappa_at_mu90"

ANSWERS = [
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    dose = np.asarray(dose_mg, dtype=float)\n"
              "    return 100 * dose / (dose + ed50_mg)", "correct", kind="reference"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    return 100 / (1 + ed50_mg / np.asarray(dose_mg, float))",
           "correct", kind="alternative"),  # the same curve rearranged (a zero dose gives 100 / inf = 0)
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    return 100 * ed50_mg / (np.asarray(dose_mg) + ed50_mg)",
           "wrong", ("free",), kind="mistake"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    return 100 * np.asarray(dose_mg) / ed50_mg", "wrong",
           ("denominator",), kind="mistake"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    d = np.asarray(dose_mg, float)\n"
              "    return 100 * d / (d + 5.59)", "wrong", ("ed50_mg argument",), kind="mistake"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    d = np.asarray(dose_mg, float)\n"
              "    return d / (d + ed50_mg)",
           "wrong", ("100 times too small",), kind="mistake"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    return ph.occupancy(dose_mg, ed50_mg)", "wrong",
           ("ph.occupancy",), kind="shortcut"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    d = np.asarray(dose_mg, float)\n"
              "    return np.round(100 * d / (d + ed50_mg), 1)", "wrong", ("blockade_percent(",), kind="rounded"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    return 100 * dose_mg / (dose_mg + ed50)", "wrong",
           ("NameError",), kind="crash"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    if dose_mg > 0:\n        return 100 * dose_mg / "
              "(dose_mg + ed50_mg)\n    return 0.0", "wrong", ("array",), kind="crash"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    return f'{100 * dose_mg / (dose_mg + ed50_mg)}%'", "wrong",
           ("did not return numbers",), kind="wrong type"),
    Answer(B, "def blockade_percent(dose_mg):\n    return 100 * dose_mg / (dose_mg + 5.59)", "wrong", ("arguments",),
           kind="wrong type"),
    Answer(B, "def blockade_percent(dose_mg, ed50_mg):\n    # YOUR CODE HERE\n    pass", "not attempted",
           kind="blank"),

    Answer(D95, "dose_95 = 5.59 * 95 / (100 - 95)", "correct", kind="reference"),
    Answer(D95, "dose_95 = 106.2", "correct", kind="rounded"),
    Answer(D95, "dose_95 = 5.59 * 0.95 / 0.05", "correct", kind="alternative"),
    Answer(D95, "dose_95 = ph.dose_for_blockade(95)", "correct", kind="shortcut"),  # the course's solver: same number
    Answer(D95, "dose_95 = 106", "wrong", ("rounded", "106.2"), kind="rounded"),
    Answer(D95, "dose_95 = 5.59 * 5 / 95", "wrong", ("upside down",), kind="mistake"),
    Answer(D95, "dose_95 = 5.59 * 100 / 5", "wrong", ("numerator",), kind="mistake"),
    Answer(D95, "dose_95 = 5.59 * 95 / 100", "wrong", ("solve",), kind="mistake"),
    Answer(D95, "dose_95 = 5.59 * 95 / (100 - 95 - 5)", "not attempted", kind="crash"),
    Answer(D95, "dose_95 = '106.2 mg'", "wrong", ("text",), kind="wrong type"),
    Answer(D95, "dose_95 = None", "not attempted", kind="blank"),

    Answer(R7, "residual_7_days = ph.blockade(50, 7 * 24)", "correct", kind="reference"),
    Answer(R7, "residual_7_days = 18.2", "correct", kind="rounded"),
    Answer(R7, "level = 50 * 2 ** (-168 / 31.5)\nresidual_7_days = 100 * level / (level + 5.59)", "correct",
           kind="alternative"),
    Answer(R7, "residual_7_days = 18", "wrong", ("rounded",), kind="rounded"),
    Answer(R7, "residual_7_days = ph.blockade(50, 7)", "wrong", ("hours",), kind="mistake"),
    Answer(R7, "residual_7_days = ph.naive_exponential(7 * 24)", "wrong", ("shortcut of Figure 1",), kind="mistake"),
    Answer(R7, "residual_7_days = ph.blockade(50, 7 * 24) / 100", "wrong", ("100 times too small",), kind="mistake"),
    # Reading the explorer's default (50 mg at 2 h) instead of moving it to 168 h.
    Answer(R7, "residual_7_days = ph.blockade(50, 2)", "wrong", kind="shortcut"),
    Answer(R7, "residual_7_days = ph.blockade(50, 7 * 24, receptor='kapa')", "not attempted", kind="crash"),
    Answer(R7, "residual_7_days = [ph.blockade(50, 7 * 24), ph.blockade(50, 10 * 24)]", "wrong", ("2 number",),
           kind="wrong type"),
    Answer(R7, "residual_7_days = None", "not attempted", kind="blank"),

    Answer(R10, "residual_10_days = ph.blockade_after_doses([25, 25, 50, 50], [0, 24, 48, 72], 72 + 240)", "correct",
           kind="reference"),
    Answer(R10, "residual_10_days = 7.8", "correct", kind="rounded"),
    Answer(R10, "levels = sum(d * 2 ** (-(312 - h) / 31.5) for d, h in zip([25, 25, 50, 50], [0, 24, 48, 72]))\n"
                "residual_10_days = 100 * levels / (levels + 5.59)", "correct", kind="alternative"),
    Answer(R10, "residual_10_days = ph.blockade_after_doses([25, 25, 50, 50], [0, 24, 48, 72], 240)", "wrong",
           ("FIRST dose",), kind="mistake"),
    Answer(R10, "residual_10_days = ph.blockade(50, 240)", "wrong", ("earlier doses",), kind="mistake"),
    Answer(R10, "residual_10_days = sum(ph.blockade(d, 312 - h) for d, h in zip([25, 25, 50, 50], [0, 24, 48, 72]))",
           "wrong", ("LEVELS",), kind="mistake"),
    Answer(R10, "residual_10_days = 8", "wrong", ("rounded",), kind="rounded"),
    # Typing the "about 8%" of the paragraph after Figure 2 (or lesson 03's printout) instead of computing it.
    Answer(R10, "residual_10_days = 8.0", "wrong", kind="shortcut"),
    Answer(R10, "residual_10_days = ph.blockade_after_doses([25, 25, 50, 50], [0, 24, 48], 312)", "not attempted",
           kind="crash"),
    Answer(R10, "residual_10_days = '7.8%'", "wrong", ("text",), kind="wrong type"),
    Answer(R10, "residual_10_days = ...", "not attempted", kind="blank"),

    Answer(K, "kappa_at_mu90 = ph.blockade(ph.dose_for_blockade(90), receptor='kappa')", "correct", kind="reference"),
    Answer(K, "kappa_at_mu90 = 81.8", "correct", kind="rounded"),
    Answer(K, "dose = 5.59 * 90 / 10\nkappa_at_mu90 = 100 * dose / (dose + 2 * 5.59)", "correct", kind="alternative"),
    Answer(K, "kappa_at_mu90 = ph.blockade(50, receptor='kappa')", "wrong", ("89.9%", "dose_for_blockade(90)"),
           kind="shortcut"),
    Answer(K, "kappa_at_mu90 = 82", "wrong", ("rounded",), kind="shortcut"),  # the "about 82%" of the prediction
    Answer(K, "kappa_at_mu90 = ph.blockade(ph.dose_for_blockade(90), receptor='delta')", "wrong", ("delta",),
           kind="mistake"),
    Answer(K, "kappa_at_mu90 = ph.blockade(ph.dose_for_blockade(90))", "wrong", ("mu blockade",), kind="mistake"),
    Answer(K, "kappa_at_mu90 = ph.occupancy(ph.dose_for_blockade(90), 5.59 / 2)", "wrong", ("TWICE",),
           kind="mistake"),
    Answer(K, "kappa_at_mu90 = ph.blockade(ph.dose_for_blockade(90), receptor=kappa)", "not attempted", kind="crash"),
    Answer(K, "kappa_at_mu90 = True", "wrong", ("True/False",), kind="wrong type"),
    Answer(K, "kappa_at_mu90 = None", "not attempted", kind="blank"),

    *choice_answers("02.answer_3", "answer_3", "b", "(B)", "a", ("never falls",)),
    Answer("02.answer_3", "answer_3 = 'c'", "wrong", ("absorption",), kind="mistake"),
    *choice_answers("02.answer_6", "answer_6", "a", "a.", "c", ("one-sided",)),
    Answer("02.answer_6", "answer_6 = 'd'", "wrong", ("backwards",), kind="mistake"),
]

# Named slips of the checklist (precedence, hours vs days, level vs blockade, percent vs proportion, the wrong
# receptor or dose) and the generic detections.
BH = "def blockade_percent(dose_mg, ed50_mg):\n    d = np.asarray(dose_mg, float)\n"
ANSWERS += [
    Answer(B, BH + "    return 100 * d / d + ed50_mg", "wrong", ("parentheses",), kind="mistake"),
    Answer(B, BH + "    return 100 * d / (d * ed50_mg)", "wrong", ("ADDS",), kind="mistake"),
    Answer(B, BH + "    return np.round(100 * d / (d + ed50_mg), 2)", "wrong", ("rounds its result",), kind="rounded"),
    Answer(B, BH + "    blockade = 100 * d / (d + ed50_mg)", "wrong", ("return",), kind="mistake"),
    Answer(D95, "dose_95 = 5.59 * 95 / (1 - 0.95)", "wrong", ("mixed a percentage",), kind="mistake"),
    Answer(D95, "dose_95 = 2 * 5.59 * 95 / 5", "wrong", ("kappa ED50",), kind="mistake"),
    Answer(R7, "residual_7_days = 50 * 2 ** (-7 * 24 / 31.5)", "wrong", ("LEVEL",), kind="mistake"),
    Answer(R7, "residual_7_days = ph.blockade(50, 0)", "wrong", ("right after the dose",), kind="mistake"),
    Answer(R7, "residual_7_days = ph.occupancy(50 * 2 ** -7, 5.59)", "wrong", ("31.5 hours",), kind="mistake"),
    Answer(R10, "residual_10_days = ph.blockade(150, 240)", "wrong", ("150 mg",), kind="mistake"),
    Answer(R10, "residual_10_days = ph.blockade_after_doses([25, 25, 50, 50], [0, 1, 2, 3], 3 + 10)", "wrong",
           ("in hours", "[0, 24, 48, 72]"), kind="mistake"),
    Answer(R10, "residual_10_days = sum(d * 2 ** (-(312 - h) / 31.5) "
                "for d, h in zip([25, 25, 50, 50], [0, 24, 48, 72]))",
           "wrong", ("LEVEL",), kind="mistake"),
    Answer(K, "kappa_at_mu90 = 45", "wrong", ("not proportional",), kind="mistake"),
    Answer(K, "kappa_at_mu90 = ph.blockade(ph.dose_for_blockade(95), receptor='kappa')", "wrong", ("95%",),
           kind="mistake"),
    Answer(K, "kappa_at_mu90 = ph.blockade(ph.dose_for_blockade(90), receptor='kappa') / 100", "wrong",
           ("100 times too small",), kind="mistake"),
    Answer(R7, "residual_7_days = ph.blockade(50, 7 * 24) * 100", "wrong", ("already a percentage",),
           kind="mistake"),
]
