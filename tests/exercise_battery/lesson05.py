"""Learner answers for lesson 05."""
from .choices import choice_answers
from .harness import Answer

J = "05.correction_exact"
G = "05.hedges_g"
GI = "05.g_inagaki_2019"
SE = "05.se_inagaki_crossover"
HEAD = "def hedges_g(m1, sd1, n1, m2, sd2, n2):\n"
POOLED = "    s = np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))\n"
ANSWERS = [
    Answer(J, "def correction_exact(m):\n    return np.exp(special.gammaln(m / 2) - 0.5 * np.log(m / 2)"
              " - special.gammaln((m - 1) / 2))", "correct", kind="reference"),
    Answer(J, "import math\ndef correction_exact(m):\n"
              "    return math.exp(math.lgamma(m / 2) - math.lgamma((m - 1) / 2))"
              " / math.sqrt(m / 2)", "correct", kind="alternative"),
    Answer(J, "def correction_exact(m):\n    return 1 - 3 / (4 * m - 1)", "wrong", ("approximation",), kind="mistake"),
    Answer(J, "def correction_exact(m):\n"
              "    return special.gamma(m / 2) / (np.sqrt(m / 2) * special.gamma((m - 1) / 2))",
           "wrong", ("NaN", "gammaln"), kind="mistake"),
    Answer(J, "def correction_exact(m):\n    return special.gammaln(m / 2) - 0.5 * np.log(m / 2)"
              " - special.gammaln((m - 1) / 2)", "wrong", ("np.exp",), kind="mistake"),
    Answer(J, "def correction_exact(m):\n    return np.exp(special.gammaln((m - 1) / 2) + 0.5 * np.log(m / 2)"
              " - special.gammaln(m / 2))", "wrong", ("1/J(m)",), kind="mistake"),
    Answer(J, "def correction_exact(m):\n    return effects.correction_factor(m)", "wrong",
           ("write yourself", "effects.correction_factor"), kind="shortcut"),
    Answer(J, "J = effects.correction_factor\ndef correction_exact(m):\n    return J(m)", "wrong",
           ("effects.correction_factor",), kind="shortcut"),
    Answer(J, "import math\ndef correction_exact(m):\n    return math.gamma(m / 2) / (math.sqrt(m / 2) * "
              "math.gamma((m - 1) / 2))", "wrong", ("OverflowError", "gammaln"), kind="crash"),
    Answer(J, "def correction_exact(m):\n    return f'{1 - 3 / (4 * m - 1):.4f}'", "wrong", ("text",),
           kind="wrong type"),
    Answer(J, "correction_exact = 0.9027", "wrong", ("function",), kind="wrong type"),
    Answer(J, "def correction_exact(m):\n    pass", "not attempted", ("not attempted",), kind="blank"),

    Answer(G, HEAD + POOLED + "    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "correct", kind="reference"),
    Answer(G, HEAD + "    m = n1 + n2 - 2\n    s2 = ((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / m\n"
              "    j = np.exp(special.gammaln(m / 2) - special.gammaln((m - 1) / 2)) / np.sqrt(m / 2)\n"
              "    g = j * (m1 - m2) / s2**0.5\n    return [g, (n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2))]",
           "correct", kind="alternative"),
    Answer(G, HEAD + POOLED + "    g = (m1 - m2) / s\n    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong",
           ("correction is missing",), kind="mistake"),
    Answer(G, HEAD + POOLED + "    m = n1 + n2 - 2\n    g = (1 - 3 / (4 * m - 1)) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("approximation",), kind="mistake"),
    Answer(G, HEAD + POOLED + "    d = (m1 - m2) / s\n    g = correction_exact(n1 + n2 - 2) * d\n"
              "    return g, 1 / n1 + 1 / n2 + d**2 / (2 * (n1 + n2))", "partly correct", ("g is right",),
           kind="mistake"),
    Answer(G, HEAD + POOLED + "    g = correction_exact(n1 + n2 - 2) * (m2 - m1) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("sign",), kind="mistake"),
    Answer(G, HEAD + "    s = np.sqrt((n1 * sd1**2 + n2 * sd2**2) / (n1 + n2))\n"
              "    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("n - 1",), kind="mistake"),
    Answer(G, HEAD + POOLED + "    m = n1 + n2 - 2\n"
              "    g = special.gamma(m / 2) / (np.sqrt(m / 2) * special.gamma((m - 1) / 2)) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("NaN",), kind="mistake"),
    Answer(G, HEAD + "    return effects.hedges_g(m1, sd1, n1, m2, sd2, n2)", "wrong", ("not allowed",),
           kind="shortcut"),
    Answer(G, HEAD + "    d, _ = effects.cohens_d(m1, sd1, n1, m2, sd2, n2)\n"
              "    return effects.g_from_d(d, n1, n2)", "wrong", ("not allowed",), kind="shortcut"),
    Answer(G, HEAD + POOLED + "    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / sd_pooled\n    return g, 0.1",
           "wrong", ("NameError", "not defined"), kind="crash"),
    Answer(G, HEAD + POOLED + "    return correction_exact(n1 + n2 - 2) * (m1 - m2) / s", "wrong",
           ("1 number", "2 expected"), kind="wrong type"),
    Answer(G, HEAD + "    pass", "not attempted", ("not attempted",), kind="blank"),

    *choice_answers("05.answer_3", "answer_3", "b", {"a": "√2", "c": "infinite"},
                    alternative="r = 0.5: halfway between unrelated and identical"),

    Answer(GI, "t = -np.sqrt(2.017)\ng_inagaki_2019 = effects.correction_factor(78) * t * np.sqrt(1 / 40 + 1 / 40)",
           "correct", kind="reference"),
    Answer(GI, "g_inagaki_2019, _ = effects.g_from_f(2.017, 40, 40, sign=-1)", "correct", kind="alternative"),
    Answer(GI, "g_inagaki_2019 = correction_exact(78) * -np.sqrt(2.017) * np.sqrt(2 / 40)", "correct",
           kind="alternative"),
    Answer(GI, "g_inagaki_2019 = -0.315", "correct", kind="rounded"),
    Answer(GI, "g_inagaki_2019 = -0.31", "wrong", ("rounded", "3"), kind="rounded"),
    Answer(GI, "g_inagaki_2019 = -np.sqrt(2.017) * np.sqrt(2 / 40)", "wrong", ("small-sample correction",),
           kind="mistake"),
    Answer(GI, "g_inagaki_2019 = -2.017 * np.sqrt(2 / 40) * correction_exact(78)", "wrong", ("square root",),
           kind="mistake"),
    Answer(GI, "g_inagaki_2019 = np.sqrt(2.017) * np.sqrt(2 / 40) * correction_exact(78)", "wrong", ("sign",),
           kind="mistake"),
    Answer(GI, "g_inagaki_2019 = -0.19", "wrong", ("Table 1",), kind="shortcut"),
    Answer(GI, "g_inagaki_2019 = effects.g_from_f(2.017, 40, 40)", "not attempted", kind="crash"),
    Answer(GI, "g_inagaki_2019 = effects.g_from_f(2.017, 40, 40, sign=-1)", "wrong", ("2 number",),
           kind="wrong type"),
    Answer(GI, "g_inagaki_2019 = '-0.3145'", "wrong", ("text",), kind="wrong type"),
    Answer(GI, "g_inagaki_2019 = None", "not attempted", kind="blank"),

    Answer(SE, "se_inagaki_crossover = (-0.09 - (-0.58)) / (2 * stats.norm.ppf(0.975))", "correct", kind="reference"),
    Answer(SE, "se_inagaki_crossover = 0.49 / (2 * 1.96)", "correct", kind="alternative"),
    Answer(SE, "se_inagaki_crossover = 0.125", "correct", kind="rounded"),
    Answer(SE, "se_inagaki_crossover = 0.49 / 1.96", "wrong", ("2 × 1.96",), kind="mistake"),
    Answer(SE, "se_inagaki_crossover = 0.49 / 2", "wrong", ("half the width",), kind="mistake"),
    Answer(SE, "se_inagaki_crossover = (0.49 / 3.92) ** 2", "wrong", ("variance",), kind="mistake"),
    Answer(SE, "se_inagaki_crossover = effects.se_from_ci(-0.58, -0.09)", "correct", kind="shortcut"),
    Answer(SE, "se_inagaki_crossover = 0.13", "wrong", ("rounded",), kind="shortcut"),
    Answer(SE, "se_inagaki_crossover = (-0.09 - -0.58) / (2 * norm.ppf(0.975))", "not attempted", kind="crash"),
    Answer(SE, "se_inagaki_crossover = '0.125'", "wrong", ("text",), kind="wrong type"),
    Answer(SE, "se_inagaki_crossover = None", "not attempted", kind="blank"),
]

# Named slips of the checklist (√m for √(m/2), the square root multiplied, SD averaged, J of n1 + n2, SE for
# variance, N for n, 2t/√df, 90% quantiles, SE vs SD) and the generic detections (rounding inside the function,
# 6 significant figures, the course's helper reached by an alias or an import).
JH = "def correction_exact(m):\n"
ANSWERS += [
    Answer(J, JH + "    return np.exp(special.gammaln(m / 2) - 0.5 * np.log(m) - special.gammaln((m - 1) / 2))",
           "wrong", ("not √m",), kind="mistake"),
    Answer(J, JH + "    return np.exp(special.gammaln(m / 2) + 0.5 * np.log(m / 2) - special.gammaln((m - 1) / 2))",
           "wrong", ("denominator",), kind="mistake"),
    Answer(J, JH + "    return np.exp(special.gammaln((m + 1) / 2) - 0.5 * np.log(m / 2) - special.gammaln(m / 2))",
           "wrong", ("(m - 1)/2",), kind="mistake"),
    Answer(J, JH + "    return round(float(np.exp(special.gammaln(m / 2) - 0.5 * np.log(m / 2)"
                   " - special.gammaln((m - 1) / 2))), 4)", "wrong", ("rounds its result",), kind="rounded"),
    Answer(J, JH + "    j = np.exp(special.gammaln(m / 2) - 0.5 * np.log(m / 2) - special.gammaln((m - 1) / 2))\n"
                   "    return float(f'{j:.6g}')", "correct", kind="rounded"),  # "to 6 significant figures"
    Answer(J, "from utils.effects import correction_factor as cf\n" + JH + "    return cf(m)", "wrong",
           ("effects.correction_factor",), kind="shortcut"),
    Answer(G, HEAD + "    s = (sd1 + sd2) / 2\n    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("VARIANCES",), kind="mistake"),
    Answer(G, HEAD + POOLED + "    g = correction_exact(n1 + n2) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("n1 + n2 - 2",), kind="mistake"),
    Answer(G, HEAD + POOLED + "    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / s\n"
              "    return g, 1 / n1 + 1 / n2", "partly correct", ("g is right", "g² / (2 (n1 + n2))"), kind="mistake"),
    Answer(G, HEAD + POOLED + "    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / s\n"
              "    return g, np.sqrt(1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2)))", "partly correct",
           ("g is right", "standard error"), kind="mistake"),
    Answer(G, "hedges_g = effects.hedges_g", "wrong", ("not allowed",), kind="shortcut"),
    Answer(G, "from utils.effects import hedges_g as g\n" + HEAD + "    return g(m1, sd1, n1, m2, sd2, n2)", "wrong",
           ("not allowed",), kind="shortcut"),
    Answer(G, "import utils.effects as e\n" + HEAD + "    return e.hedges_g(m1, sd1, n1, m2, sd2, n2)", "wrong",
           ("not allowed",), kind="shortcut"),
    Answer(G, "from utils.effects import hedges_g", "wrong", ("not allowed",), kind="shortcut"),
    Answer(GI, "g_inagaki_2019 = -np.sqrt(2.017) * np.sqrt(2 / 80) * correction_exact(78)", "wrong", ("N = 80",),
           kind="mistake"),
    Answer(GI, "g_inagaki_2019 = -2 * np.sqrt(2.017) / np.sqrt(76) * correction_exact(78)", "wrong",
           ("approximation",), kind="mistake"),
    Answer(SE, "se_inagaki_crossover = 0.49 / (2 * 1.645)", "wrong", ("90%", "1.96"), kind="mistake"),
    Answer(SE, "se_inagaki_crossover = 0.49 / (2 * stats.t.ppf(0.95, 30))", "wrong", ("t.ppf(0.95", "90%"),
           kind="mistake"),
    Answer(SE, "se_inagaki_crossover = 0.49 / (2 * 1.96) * np.sqrt(31)", "wrong", ("standard error of g",),
           kind="mistake"),
]
