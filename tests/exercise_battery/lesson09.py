"""Learner answers for lesson 09 (moderators and sensitivity)."""
from .harness import Answer
from .lesson01 import choice_answers

PRED, LOO, COUNT = "09.predicted_g", "09.leave_one_out", "09.n_still_significant"
COOK = "09.cooks_distance"
CI = "09.ci_without_outlier"
COOK_HEAD = ("def cooks_distance(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
             "    fit = meta.random_effects(yi, vi)\n")
COOK_LOO = ("    b = np.array([meta.random_effects(np.delete(yi, i), np.delete(vi, i)).estimate "
            "for i in range(len(yi))])\n")
COEF = 'b0, b1 = mood_fit.coefficients["estimate"]\n'

LOO_REFERENCE = """def leave_one_out(yi, vi):
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    estimates = []
    for i in range(len(yi)):
        keep = np.arange(len(yi)) != i
        estimates.append(meta.random_effects(yi[keep], vi[keep]).estimate)
    return np.array(estimates)"""


def choice(exercise, target, right, wrong, wrong_words, text):
    """lesson01's choice answers, with a crash that does not depend on a name the notebook may define."""
    return choice_answers(exercise, target, right, text, wrong, wrong_words, crash=f"{target} = '{right}'.lower(1)")


ANSWERS = [
    Answer(PRED, COEF + "predicted_g = b0 + b1 * (-0.5)", "correct", kind="reference"),
    Answer(PRED, 'predicted_g = float(mood_fit.predict({"positive_mood": [-0.5]})["pred"].iloc[0])', "correct",
           kind="alternative"),
    Answer(PRED, "predicted_g = -0.67", "correct", kind="rounded"),
    Answer(PRED, "predicted_g = -0.7", "wrong", ("rounded", "2"), kind="rounded"),
    Answer(PRED, COEF + "predicted_g = b1 * (-0.5)", "wrong", ("intercept",), kind="mistake"),
    Answer(PRED, COEF + "predicted_g = b0 + b1 * 0.5", "wrong", ("negative",), kind="mistake"),
    Answer(PRED, COEF + "predicted_g = b0", "wrong", ("intercept alone",), kind="mistake"),
    # the paper's slope (B = 1.02 on 8 outcomes) is not this model's: no credit
    Answer(PRED, "predicted_g = 1.02 * -0.5", "wrong", kind="shortcut"),
    Answer(PRED, 'predicted_g = mood_fit.coefficients["slope"]', "not attempted", kind="crash"),
    Answer(PRED, "predicted_g = '-0.67'", "wrong", ("quotes",), kind="wrong type"),
    Answer(PRED, "predicted_g = None", "not attempted", kind="blank"),

    *choice("09.answer_2", "answer_2", "d", "a", ("between studies", "centring"),
            "it keeps apart the contexts Table 1 averages, but only 2 of its 8 studies rate more than one type, so "
            "it mostly compares different studies"),

    Answer(LOO, LOO_REFERENCE, "correct", kind="reference"),
    Answer(LOO, "def leave_one_out(yi, vi):\n    return np.array([meta.random_effects(np.delete(yi, i), "
                "np.delete(vi, i)).estimate\n                     for i in range(len(yi))])", "correct",
           kind="alternative"),
    Answer(LOO, LOO_REFERENCE.replace("vi[keep])", "vi[keep], method='FE')"), "wrong", ("fixed-effect",),
           kind="mistake"),
    Answer(LOO, LOO_REFERENCE.replace("vi[keep])", "vi[keep], method='DL')"), "wrong", ("DerSimonian",),
           kind="mistake"),
    Answer(LOO, "def leave_one_out(yi, vi):\n    return np.asarray(yi, dtype=float)", "wrong", ("without",),
           kind="mistake"),
    # copying the eight estimates of the table above: right on the first case only
    Answer(LOO, 'def leave_one_out(yi, vi):\n    return loo["estimate"].to_numpy()', "wrong", ("expected",),
           kind="shortcut"),
    # no np.asarray: indexing a list with a boolean mask fails on the list case the Check shows
    Answer(LOO, LOO_REFERENCE.replace("    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n",
                                      ""), "wrong", ("TypeError", "np.asarray"), kind="crash"),
    Answer(LOO, 'leave_one_out = loo["estimate"]', "wrong", ("function",), kind="wrong type"),
    Answer(LOO, "def leave_one_out(yi, vi):\n    pass", "not attempted", kind="blank"),

    Answer(COUNT, 'n_still_significant = int((loo["p"] < 0.05).sum())', "correct", kind="reference"),
    Answer(COUNT, "n_still_significant = len(loo[loo.p < .05])", "correct", kind="alternative"),
    Answer(COUNT, "n_still_significant = 6.0", "correct", kind="rounded"),
    Answer(COUNT, 'n_still_significant = int((loo["p"] >= 0.05).sum())', "wrong", ("not* significant",),
           kind="mistake"),
    Answer(COUNT, "n_still_significant = len(loo)", "wrong", ("p column",), kind="mistake"),
    # counted by eye from the printed table: the table is the exercise's data, so this is right
    Answer(COUNT, "n_still_significant = 6", "correct", kind="shortcut"),
    Answer(COUNT, "n_still_significant = 6.5", "wrong", ("whole number",), kind="other"),
    Answer(COUNT, 'n_still_significant = int((loo["pvalue"] < 0.05).sum())', "not attempted", kind="crash"),
    Answer(COUNT, 'n_still_significant = loo["p"] < 0.05', "wrong", ("8 number",), kind="wrong type"),
    Answer(COUNT, "n_still_significant = None", "not attempted", kind="blank"),

    Answer(COOK, COOK_HEAD + COOK_LOO + "    return (fit.estimate - b) ** 2 / fit.se ** 2", "correct",
           kind="reference"),
    Answer(COOK, COOK_HEAD + "    return (fit.estimate - leave_one_out(yi, vi)) ** 2 / fit.se ** 2", "correct",
           kind="alternative"),
    Answer(COOK, COOK_HEAD + COOK_LOO
           + "    return np.array([float(f'{d:.5g}') for d in (fit.estimate - b) ** 2 / fit.se ** 2])", "correct",
           kind="rounded"),
    Answer(COOK, COOK_HEAD + "    out = []\n    for i in range(len(yi)):\n"
                 "        f = meta.random_effects(np.delete(yi, i), np.delete(vi, i))\n"
                 "        out.append((fit.estimate - f.estimate) ** 2 / f.se ** 2)\n    return np.array(out)", "wrong",
           ("Baujat",), kind="mistake"),
    Answer(COOK, COOK_HEAD + COOK_LOO + "    return (fit.estimate - b) / fit.se", "wrong", ("square",), kind="mistake"),
    Answer(COOK, COOK_HEAD + COOK_LOO + "    return (fit.estimate - b) ** 2 / fit.se", "wrong", ("variance",),
           kind="mistake"),
    Answer(COOK, COOK_HEAD + "    w = 1 / (vi + fit.tau2)\n"
                 "    b = np.array([np.sum(np.delete(w * yi, i)) / np.sum(np.delete(w, i)) for i in range(len(yi))])\n"
                 "    return (fit.estimate - b) ** 2 / fit.se ** 2", "wrong", ("refit",), kind="mistake"),
    Answer(COOK, "def cooks_distance(yi, vi):\n"
                 "    return meta.influence(meta.random_effects(yi, vi))['cook_d'].to_numpy()",
           "wrong", ("meta.influence",), kind="shortcut"),
    Answer(COOK, "def cooks_distance(yi, vi):\n    return diagnostics['cook_d'].to_numpy()", "wrong", ("expected",),
           kind="shortcut"),
    Answer(COOK, COOK_HEAD + "    b = np.array([meta.random_effects(np.delete(yi, i, axis=1), "
                 "np.delete(vi, i, axis=1)).estimate "
                 "for i in range(len(yi))])\n    return (fit.estimate - b) ** 2 / fit.se ** 2", "wrong", ("AxisError",),
           kind="crash"),
    Answer(COOK, COOK_HEAD + COOK_LOO
           + "    return {name: d for name, d in zip(short, (fit.estimate - b) ** 2 / fit.se ** 2)}",
           "wrong", kind="wrong type"),
    Answer(COOK, "def cooks_distance(yi, vi):\n    pass", "not attempted", ("not attempted",), kind="blank"),

    Answer(CI, "z_975 = stats.norm.ppf(0.975)\nci_without_outlier = (0.75 - z_975 * 4.01, 0.75 + z_975 * 4.01)",
           "correct", kind="reference"),
    Answer(CI, "ci_without_outlier = (-3.62 - 1.96 * 1.55, -3.62 + 1.96 * 1.55)", "wrong", ("*with* the outlier",),
           kind="mistake"),
    Answer(CI, "ci_without_outlier = tuple(stats.norm.interval(0.95, loc=0.75, scale=4.01))", "correct",
           kind="alternative"),
    Answer(CI, "ci_without_outlier = (0.75 - 4.01, 0.75 + 4.01)", "wrong", ("1.96 SE",), kind="mistake"),
    Answer(CI, "ci_without_outlier = (-7.11, 8.61)", "correct", kind="rounded"),
    Answer(CI, "ci_without_outlier = (0.75 - 1.645 * 4.01, 0.75 + 1.645 * 4.01)", "wrong", ("90%",), kind="mistake"),
    Answer(CI, "ci_without_outlier = (0.75 - 1.96 * 4.01, 0.75 + 1.96 * 4.01)", "correct", kind="alternative"),
    Answer(CI, "q = stats.t.ppf(0.975, 3)\nci_without_outlier = (0.75 - q * 4.01, 0.75 + q * 4.01)", "wrong",
           ("normal quantile",), kind="mistake"),
    Answer(CI, "ci_without_outlier = (-7.1, 8.6)", "wrong", ("rounded", "2"), kind="rounded"),
    Answer(CI, "ci_without_outlier = (0.75 - 2 * 4.01, 0.75 + 2 * 4.01)", "wrong", kind="shortcut"),  # "2 SE"
    Answer(CI, "ci_without_outlier = (0.75 - stats.norm.ppf(0.975) * se, 0.75 + 1.96 * se)", "not attempted",
           kind="crash"),
    Answer(CI, "ci_without_outlier = -7.11", "wrong", ("1 number",), kind="wrong type"),
    Answer(CI, "ci_without_outlier = (-7.11, None)", "wrong", ("every part",), kind="wrong type"),
    Answer(CI, "ci_without_outlier = None", "not attempted", kind="blank"),
]

# The slips of the checklist (coefficient order, the paper's slope, share vs count, √D, the model, SE vs √SE, rows)
COOK_FITS = ("    fit = meta.random_effects(yi, vi, method={m!r})\n"
             "    b = np.array([meta.random_effects(np.delete(yi, i), np.delete(vi, i), method={m!r}).estimate "
             "for i in range(len(yi))])\n    return (fit.estimate - b) ** 2 / fit.se ** 2")
COOK_START = "def cooks_distance(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
ANSWERS += [
    Answer(PRED, COEF + "predicted_g = b1 + b0 * (-0.5)", "wrong", ("intercept first",), kind="mistake"),
    Answer(PRED, COEF + "predicted_g = b0 + 1.02 * (-0.5)", "wrong", ("paper's slope",), kind="mistake"),
    Answer(PRED, "predicted_g = -0.51", "wrong", ("paper's slope", "intercept is missing"), kind="shortcut"),
    Answer(PRED, "b = mood_fit.coefficients['estimate'].to_numpy()\npredicted_g = b @ [1, -0.5]", "correct",
           kind="alternative"),

    Answer(LOO, "def leave_one_out(yi, vi):\n    yi = np.asarray(yi, dtype=float)\n"
                "    return np.array([np.mean(np.delete(yi, i)) for i in range(len(yi))])", "wrong", ("plain mean",),
           kind="mistake"),
    Answer(LOO, LOO_REFERENCE.replace("return np.array(estimates)",
                                      "return np.array(estimates) - meta.random_effects(yi, vi).estimate"), "wrong",
           ("moves the estimate",), kind="mistake"),
    Answer(LOO, LOO_REFERENCE.replace("return np.array(estimates)", "return [float(e) for e in estimates]"), "correct",
           kind="alternative"),

    Answer(COUNT, 'n_still_significant = (loo["p"] < 0.05).mean()', "wrong", ("share", "count"), kind="mistake"),
    Answer(COUNT, 'n_still_significant = 100 * (loo["p"] < 0.05).mean()', "wrong", ("percentage", "count"),
           kind="mistake"),

    Answer(COOK, COOK_HEAD + COOK_LOO + "    return np.abs(fit.estimate - b) / fit.se", "wrong", ("√D",),
           kind="mistake"),
    Answer(COOK, COOK_START + COOK_FITS.format(m="FE"), "wrong", ("fixed-effect",), kind="mistake"),
    Answer(COOK, COOK_START + COOK_FITS.format(m="DL"), "wrong", ("DerSimonian-Laird",), kind="mistake"),
    Answer(COOK, COOK_HEAD + "    d = []\n    for i in range(len(yi)):\n        keep = np.arange(len(yi)) != i\n"
                 "        d.append((fit.estimate - meta.random_effects(yi[keep], vi[keep]).estimate) ** 2 "
                 "/ fit.se ** 2)\n"
                 "    return np.array(d)", "correct", kind="alternative"),

    Answer(CI, "ci_without_outlier = (0.75 - 1.96 * np.sqrt(4.01), 0.75 + 1.96 * np.sqrt(4.01))", "wrong",
           ("already the standard error",), kind="mistake"),
    Answer(CI, "ci_without_outlier = (0.75 - 1.96 * 1.55, 0.75 + 1.96 * 1.55)", "wrong", ("mixed the two rows",),
           kind="mistake"),
    Answer(CI, "q = stats.norm.ppf(0.995)\nci_without_outlier = (0.75 - q * 4.01, 0.75 + q * 4.01)", "wrong", ("99%",),
           kind="mistake"),
]

# `return` inside the loop: one number where the whole array is asked
LOOP_RETURN = LOO_REFERENCE.replace("        estimates.append(meta.random_effects(yi[keep], vi[keep]).estimate)\n"
                                    "    return np.array(estimates)",
                                    "        return meta.random_effects(yi[keep], vi[keep]).estimate")
ANSWERS += [
    Answer(LOO, LOOP_RETURN, "wrong", ("inside the loop",), kind="mistake"),
    Answer(COOK, COOK_HEAD + "    for i in range(len(yi)):\n"
                 "        b = meta.random_effects(np.delete(yi, i), np.delete(vi, i)).estimate\n"
                 "        return (fit.estimate - b) ** 2 / fit.se ** 2", "wrong", ("inside the loop",), kind="mistake"),
]
