"""Learner answers for lesson 06."""
from .choices import choice_answers
from .harness import Answer

FE = "06.fixed_effect"
DL = "06.dl_tau2"
I2 = "06.i2_from_q"
PI = "06.pi_dl"
A5 = "06.answer_5"
PT = "06.pi_t"
T6 = "stats.t.ppf(0.975, len(yi) - 2)"
DLF = "dl = fits['DL']\n"
FE_HEAD = "def fixed_effect(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
DL_HEAD = ("def dl_tau2(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
           "    w = 1 / vi\n    q = np.sum(w * (yi - np.sum(w * yi) / np.sum(w)) ** 2)\n")
C = "np.sum(w) - np.sum(w**2) / np.sum(w)"
ANSWERS = [
    Answer(FE, FE_HEAD + "    w = 1 / vi\n    return np.sum(w * yi) / np.sum(w), np.sqrt(1 / np.sum(w))", "correct",
           kind="reference"),
    Answer(FE, FE_HEAD + "    return np.average(yi, weights=1 / vi), (1 / vi).sum() ** -0.5", "correct",
           kind="alternative"),
    Answer(FE, "def fixed_effect(yi, vi):\n    w = [1 / v for v in vi]\n"
               "    est = sum(wi * y for wi, y in zip(w, yi)) / sum(w)\n    return [est, (1 / sum(w)) ** 0.5]",
           "correct", kind="alternative"),
    Answer(FE, FE_HEAD + "    return yi.mean(), np.sqrt(1 / np.sum(1 / vi))", "wrong", ("unweighted",), kind="mistake"),
    Answer(FE, FE_HEAD + "    w = 1 / np.sqrt(vi)\n    return np.sum(w * yi) / np.sum(w), np.sqrt(1 / np.sum(1 / vi))",
           "wrong", ("1 / SE",), kind="mistake"),
    Answer(FE, FE_HEAD + "    w = 1 / vi\n    return np.sum(w * yi) / np.sum(w), 1 / np.sum(w)", "partly correct",
           ("estimate is right",), kind="mistake"),
    Answer(FE, "def fixed_effect(yi, vi):\n    fit = meta.random_effects(yi, vi, method='FE')\n"
               "    return fit.estimate, fit.se", "wrong", ("meta.random_effects",), kind="shortcut"),
    Answer(FE, "def fixed_effect(yi, vi):\n    w = 1 / vi\n    return sum(w * yi) / sum(w), (1 / sum(w)) ** 0.5",
           "wrong", ("TypeError", "np.asarray"), kind="crash"),
    Answer(FE, FE_HEAD + "    w = 1 / vi\n    return np.sum(w * yi) / np.sum(w)", "wrong", ("1 number", "2 expected"),
           kind="wrong type"),
    Answer(FE, "def fixed_effect(yi, vi):\n    pass", "not attempted", ("not attempted",), kind="blank"),

    Answer(DL, DL_HEAD + f"    return max(0.0, (q - (len(yi) - 1)) / ({C}))", "correct", kind="reference"),
    Answer(DL, "def dl_tau2(yi, vi):\n    est, se = fixed_effect(yi, vi)\n    w = 1 / np.asarray(vi, dtype=float)\n"
               "    q = np.sum(w * (np.asarray(yi) - est) ** 2)\n"
               f"    return float(np.clip((q - len(w) + 1) / ({C}), 0, None))", "correct", kind="alternative"),
    Answer(DL, DL_HEAD + f"    return (q - (len(yi) - 1)) / ({C})", "wrong", ("max(0",), kind="mistake"),
    Answer(DL, DL_HEAD + f"    return max(0.0, (q - len(yi)) / ({C}))", "wrong", ("k - 1",), kind="mistake"),
    Answer(DL, DL_HEAD + "    return max(0.0, (q - (len(yi) - 1)) / np.sum(w))", "wrong", ("denominator C",),
           kind="mistake"),
    Answer(DL, "def dl_tau2(yi, vi):\n    return meta.random_effects(yi, vi, method='DL').tau2", "wrong",
           ("meta.random_effects",), kind="shortcut"),
    Answer(DL, "def dl_tau2(yi, vi):\n    return 0.0442", "wrong", ("dl_tau2(",), kind="shortcut"),
    Answer(DL, DL_HEAD + f"    return np.max(0, (q - (len(yi) - 1)) / ({C}))", "wrong", ("raised",), kind="crash"),
    Answer(DL, DL_HEAD + f"    return max(0.0, (q - (len(yi) - 1)) / ({C})), q", "wrong", ("2 number",),
           kind="wrong type"),
    Answer(DL, "def dl_tau2(yi, vi):\n    pass", "not attempted", ("not attempted",), kind="blank"),

    Answer(I2, "i2_from_q = 100 * (28.47 - 16) / 28.47", "correct", kind="reference"),
    Answer(I2, "i2_from_q = 44", "correct", kind="rounded"),
    Answer(I2, "i2_from_q = 43.8", "correct", kind="rounded"),
    Answer(I2, "i2_from_q = max(0, (28.47 - 16) / 28.47) * 100", "correct", kind="alternative"),
    Answer(I2, "i2_from_q = (28.47 - 16) / 28.47", "wrong", ("100 times too small",), kind="mistake"),
    Answer(I2, "i2_from_q = 100 * (28.47 - 16) / 16", "wrong", ("not by the degrees of freedom",), kind="mistake"),
    Answer(I2, "i2_from_q = 100 * (28.47 - 17) / 28.47", "wrong", ("k - 1 = 16",), kind="mistake"),
    Answer(I2, "i2_from_q = 23", "wrong", ("variance components",), kind="shortcut"),
    Answer(I2, "i2_from_q = 100 * (Q - 16) / Q", "not attempted", kind="crash"),
    Answer(I2, "i2_from_q = '44%'", "wrong", ("text",), kind="wrong type"),
    Answer(I2, "i2_from_q = None", "not attempted", kind="blank"),

    Answer(PI, "dl = fits['DL']\nh = stats.norm.ppf(0.975) * np.sqrt(dl.se**2 + dl.tau2)\n"
               "pi_dl = (dl.estimate - h, dl.estimate + h)", "correct", kind="reference"),
    Answer(PI, "dl = fits['DL']\nh = stats.t.ppf(0.975, len(yi) - 2) * np.sqrt(dl.se**2 + dl.tau2)\n"
               "pi_dl = (dl.estimate - h, dl.estimate + h)", "correct", ("t quantile",), kind="alternative"),
    Answer(PI, "pi_dl = (-0.66, 0.28)", "correct", kind="rounded"),
    Answer(PI, "pi_dl = (-0.7, 0.3)", "wrong", ("rounded", "2"), kind="rounded"),
    Answer(PI, "dl = fits['DL']\npi_dl = (dl.ci_low, dl.ci_high)", "wrong", ("confidence interval",), kind="mistake"),
    Answer(PI, "dl = fits['DL']\npi_dl = (dl.estimate - 1.96 * dl.tau, dl.estimate + 1.96 * dl.tau)", "wrong",
           ("only τ",), kind="mistake"),
    Answer(PI, "dl = fits['DL']\npi_dl = (dl.estimate - 1.96 * np.sqrt(dl.se**2 + dl.tau2), 0.3)", "partly correct",
           ("low is right",), kind="mistake"),
    Answer(PI, "r = fits['REML']\npi_dl = (r.pi_low, r.pi_high)", "wrong", ("REML",), kind="shortcut"),
    Answer(PI, "pi_dl = (fits['DL'].pi_low, fits['DL'].pi_high)", "correct", kind="shortcut"),
    Answer(PI, "dl = fits['dl']\npi_dl = (dl.pi_low, dl.pi_high)", "not attempted", kind="crash"),
    Answer(PI, "pi_dl = -0.66", "wrong", ("1 number",), kind="wrong type"),
    Answer(PI, "pi_dl = (-0.66, None)", "wrong", ("every part",), kind="wrong type"),
    Answer(PI, "pi_dl = None", "not attempted", kind="blank"),

    *choice_answers(A5, "answer_5", "d", {"a": "intervals", "b": "PM", "c": "computed correctly"}),

    Answer(PT, DLF + f"h = {T6} * np.sqrt(dl.se**2 + dl.tau2)\npi_t = (dl.estimate - h, dl.estimate + h)", "correct",
           kind="reference"),
    Answer(PT, DLF + "pi_t = stats.t.interval(0.95, 6, loc=dl.estimate, scale=np.hypot(dl.se, dl.tau))", "correct",
           kind="alternative"),
    Answer(PT, "pi_t = (-0.77, 0.39)", "correct", kind="rounded"),
    Answer(PT, "pi_t = (-0.8, 0.4)", "wrong", ("rounded", "2"), kind="rounded"),
    Answer(PT, "pi_t = meta.prediction_interval(fits['DL'])", "correct", kind="shortcut"),
    Answer(PT, DLF + "pi_t = (dl.pi_low, dl.pi_high)", "wrong", ("z form",), kind="mistake"),
    Answer(PT, DLF + "h = stats.t.ppf(0.975, len(yi) - 1) * np.sqrt(dl.se**2 + dl.tau2)\n"
                     "pi_t = (dl.estimate - h, dl.estimate + h)", "wrong", ("k - 2 = 6",), kind="mistake"),
    Answer(PT, DLF + f"h = {T6} * dl.se\npi_t = (dl.estimate - h, dl.estimate + h)", "wrong", ("τ² is missing",),
           kind="mistake"),
    Answer(PT, DLF + f"h = {T6} * np.sqrt(dl.se + dl.tau2)\npi_t = (dl.estimate - h, dl.estimate + h)", "wrong",
           ("SE²",), kind="mistake"),
    Answer(PT, DLF + f"h = {T6} * np.sqrt(dl.se**2 + dl.tau)\npi_t = (dl.estimate - h, dl.estimate + h)", "wrong",
           ("τ where τ² belongs",), kind="mistake"),
    Answer(PT, "r = fits['REML']\npi_t = meta.prediction_interval(r)", "wrong", ("REML",), kind="mistake"),
    Answer(PT, "dl = fits['DerSimonian-Laird']\nh = stats.t.ppf(0.975, 6) * np.sqrt(dl.se**2 + dl.tau2)\n"
               "pi_t = (dl.estimate - h, dl.estimate + h)", "not attempted", kind="crash"),
    Answer(PT, "pi_t = -0.77", "wrong", ("1 number",), kind="wrong type"),
    Answer(PT, "pi_t = None", "not attempted", kind="blank"),
]

# The slips of the checklist (weights, square roots, SD vs variance, df, quantiles, numbers from other cells)
ANSWERS += [
    Answer(FE, FE_HEAD + "    w = vi\n    return np.sum(w * yi) / np.sum(w), np.sqrt(1 / np.sum(w))", "wrong",
           ("inverse", "1 / vi"), kind="mistake"),
    Answer(FE, FE_HEAD + "    w = 1 / vi**2\n    return np.sum(w * yi) / np.sum(w), np.sqrt(1 / np.sum(w))", "wrong",
           ("squared the variance",), kind="mistake"),
    Answer(FE, FE_HEAD + "    return yi.mean(), yi.std(ddof=1) / np.sqrt(len(yi))", "wrong",
           ("plain mean", "SD of the effects"), kind="mistake"),
    Answer(FE, FE_HEAD + "    w = 1 / vi\n    return np.sum(w * yi) / np.sum(w), np.sqrt(np.sum(w))", "partly correct",
           ("estimate is right", "se is not"), kind="mistake"),
    Answer(FE, FE_HEAD + "    w = 1 / vi\n    return w @ yi / w.sum(), w.sum() ** -0.5", "correct", kind="alternative"),

    Answer(DL, DL_HEAD + f"    return np.sqrt(max(0.0, (q - (len(yi) - 1)) / ({C})))", "wrong", ("τ²", "square root"),
           kind="mistake"),
    Answer(DL, "def dl_tau2(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
               "    w = 1 / vi\n    q = np.sum(w * (yi - yi.mean()) ** 2)\n"
               f"    return max(0.0, (q - (len(yi) - 1)) / ({C}))", "wrong", ("weighted", "plain mean"),
           kind="mistake"),
    Answer(DL, "def dl_tau2(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
               "    w = 1 / vi\n    q = np.sum((yi - np.sum(w * yi) / np.sum(w)) ** 2)\n"
               f"    return max(0.0, (q - (len(yi) - 1)) / ({C}))", "wrong", ("Σ w (y − estimate)²",), kind="mistake"),
    Answer(DL, "def dl_tau2(yi, vi):\n    est, se = fixed_effect(yi, vi)\n    w = [1 / v for v in vi]\n"
               "    q = sum(wi * (y - est) ** 2 for wi, y in zip(w, yi))\n"
               "    c = sum(w) - sum(wi ** 2 for wi in w) / sum(w)\n    return max(0.0, (q - (len(w) - 1)) / c)",
           "correct", kind="alternative"),

    Answer(I2, "i2_from_q = 100 * 16 / 28.47", "wrong", ("1 − I²",), kind="mistake"),
    Answer(I2, "i2_from_q = 100 * (fe.q - fe.q_df) / fe.q", "wrong", ("8 studies", "28.47"), kind="mistake"),
    Answer(I2, "i2_from_q = fits['DL'].i2", "wrong", ("8 studies",), kind="mistake"),

    Answer(PI, DLF + "h = stats.norm.ppf(0.975) * np.sqrt(dl.se + dl.tau2)\npi_dl = (dl.estimate - h, dl.estimate + h)",
           "wrong", ("SE²",), kind="mistake"),
    Answer(PI, DLF + "h = 1.96 * np.sqrt(dl.se**2 + dl.tau)\npi_dl = (dl.estimate - h, dl.estimate + h)", "wrong",
           ("τ where τ² belongs",), kind="mistake"),
    Answer(PI, DLF + "h = stats.norm.ppf(0.95) * np.sqrt(dl.se**2 + dl.tau2)\n"
                     "pi_dl = (dl.estimate - h, dl.estimate + h)",
           "wrong", ("one tail", "0.975"), kind="mistake"),
    Answer(PI, DLF + "h = stats.t.ppf(0.975, len(yi) - 1) * np.sqrt(dl.se**2 + dl.tau2)\n"
                     "pi_dl = (dl.estimate - h, dl.estimate + h)", "wrong", ("k − 2 = 6",), kind="mistake"),

    Answer(PT, DLF + "h = stats.t.ppf(0.95, len(yi) - 2) * np.sqrt(dl.se**2 + dl.tau2)\n"
                     "pi_t = (dl.estimate - h, dl.estimate + h)", "wrong", ("one-sided", "stats.t.ppf(0.975"),
           kind="mistake"),
    Answer(PT, DLF + "h = stats.t.ppf(0.975, len(yi)) * np.sqrt(dl.se**2 + dl.tau2)\n"
                     "pi_t = (dl.estimate - h, dl.estimate + h)", "wrong", ("k = 8", "k - 2 = 6"), kind="mistake"),
    Answer(PT, DLF + f"h = {T6} * (dl.se + dl.tau)\npi_t = (dl.estimate - h, dl.estimate + h)", "wrong",
           ("add the variances",), kind="mistake"),
    Answer(PT, DLF + "pi_t = tuple(dl.estimate + np.array([-1, 1]) * stats.t.isf(0.025, 6) * np.hypot(dl.se, dl.tau))",
           "correct", kind="alternative"),
]

# another fit's interval (a number from the wrong cell)
ANSWERS += [
    Answer(PI, "pm = fits['PM']\npi_dl = (pm.pi_low, pm.pi_high)", "wrong", ("Paule-Mandel",), kind="mistake"),
    Answer(PT, "pi_t = meta.prediction_interval(fits['PM'])", "wrong", ("Paule-Mandel",), kind="mistake"),
]
# np.std divides by n unless told ddof=1
ANSWERS += [Answer(FE, FE_HEAD + "    return np.mean(yi), np.std(yi) / np.sqrt(len(yi))", "wrong",
                   ("plain mean", "k − 1"), kind="mistake")]
