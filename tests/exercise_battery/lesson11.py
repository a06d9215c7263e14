"""Learner answers for lesson 11 (capstone)."""
from .harness import Answer
from .lesson09 import LOO_REFERENCE, choice

SMD, HYPO, POOLED, BIAS, LOO = "11.smd_g", "11.hypo_effect", "11.pooled_9", "11.bias_9", "11.leave_one_out"

SMD_REFERENCE = """def smd_g(m1, sd1, n1, m2, sd2, n2):
    df = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / df)
    d = (m1 - m2) / sp
    j = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))
    g = j * d
    v = 1 / n1 + 1 / n2 + g ** 2 / (2 * (n1 + n2))
    return g, v"""
GAMMA_J = "j = special.gamma(df / 2) / (np.sqrt(df / 2) * special.gamma((df - 1) / 2))"
EXACT_J = "j = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))"
H = ('_n, _p = HYPOTHETICAL_STUDY["naltrexone"], HYPOTHETICAL_STUDY["placebo"]\n'
     '_h = (_n["mean"], _n["sd"], _n["n"], _p["mean"], _p["sd"], _p["n"])\n')

ANSWERS = [
    Answer(SMD, SMD_REFERENCE, "correct", kind="reference"),
    Answer(SMD, "import math\n" + SMD_REFERENCE.replace(
        EXACT_J, "j = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)"),
        "correct", kind="alternative"),
    # a variable named hedges_g and a docstring naming the helper are not calls to it: Check and grader agree
    Answer(SMD, SMD_REFERENCE.replace("    df = n1 + n2 - 2", '    """As effects.hedges_g, by hand."""\n'
                                                               "    df = n1 + n2 - 2")
           .replace("g = j * d", "hedges_g = j * d\n    g = hedges_g"), "correct", kind="alternative"),
    # scipy's gamma overflows at 700 per arm: the Check shows it (NaN), not only the grader
    Answer(SMD, SMD_REFERENCE.replace(EXACT_J, GAMMA_J), "wrong", ("NaN", "gammaln"), kind="mistake"),
    Answer(SMD, "import math\n" + SMD_REFERENCE.replace(
        EXACT_J, "j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))"),
        "wrong", ("OverflowError", "gammaln"), kind="crash"),
    Answer(SMD, SMD_REFERENCE.replace(EXACT_J, "j = 1 - 3 / (4 * df - 1)"), "wrong", ("approximation",),
           kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace("d = (m1 - m2) / sp", "d = (m2 - m1) / sp"), "wrong", ("sign",),
           kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace("g = j * d", "g = d"), "wrong", ("Cohen's d",), kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace(" + g ** 2 / (2 * (n1 + n2))", ""), "wrong", ("last term",),
           kind="mistake"),
    # the helper the assignment forbids, directly and under another name
    Answer(SMD, "def smd_g(m1, sd1, n1, m2, sd2, n2):\n    return effects.hedges_g(m1, sd1, n1, m2, sd2, n2)",
           "wrong", ("utils.effects",), kind="shortcut"),
    Answer(SMD, "from utils.effects import hedges_g as my_g\ndef smd_g(m1, sd1, n1, m2, sd2, n2):\n"
                "    return my_g(m1, sd1, n1, m2, sd2, n2)", "wrong", ("utils.effects",), kind="shortcut"),
    Answer(SMD, "def smd_g(m1, sd1, n1, m2, sd2, n2):\n    return {'g': 0.1, 'v': 0.02}", "wrong",
           ("dictionary",), kind="wrong type"),
    Answer(SMD, "smd_g = (-0.0586, 0.0200)", "wrong", ("function",), kind="wrong type"),
    Answer(SMD, "def smd_g(m1, sd1, n1, m2, sd2, n2):\n    pass", "not attempted", kind="blank"),

    Answer(HYPO, H + "hypo_effect = smd_g(*_h)", "correct", kind="reference"),
    # Part 2 allows the helper
    Answer(HYPO, "hypo_effect = effects.hedges_g(5.02, 1.21, 100, 5.09, 1.17, 100)", "correct", kind="alternative"),
    Answer(HYPO, "hypo_effect = (-0.0586, 0.0200)", "correct", kind="rounded"),
    Answer(HYPO, "hypo_effect = (-0.06, 0.02)", "partly correct", ("v is right", "rounded"), kind="rounded"),
    Answer(HYPO, H + "hypo_effect = effects.cohens_d(*_h)", "wrong", ("Cohen's d",), kind="mistake"),
    Answer(HYPO, H + "_g, _v = smd_g(*_h)\nhypo_effect = (_g, np.sqrt(_v))", "wrong", ("square",), kind="mistake"),
    Answer(HYPO, H + "_g, _v = smd_g(*_h)\nhypo_effect = (-_g, _v)", "partly correct", ("sign",), kind="mistake"),
    Answer(HYPO, H + "hypo_effect = (-0.20, smd_g(*_h)[1])", "wrong", ("review",), kind="shortcut"),
    Answer(HYPO, "hypo_effect = smd_g(*HYPOTHETICAL_STUDY)", "not attempted", kind="crash"),
    Answer(HYPO, "hypo_effect = -0.0586", "wrong", ("2 expected",), kind="wrong type"),
    Answer(HYPO, "hypo_effect = None", "not attempted", kind="blank"),

    Answer(POOLED, "_fit = meta.random_effects(yi9, vi9, method='REML')\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)", "correct", kind="reference"),
    Answer(POOLED, "_fit = meta.random_effects(yi9, vi9, test='knha')\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)", "correct", ("Knapp-Hartung",),
           kind="alternative"),
    Answer(POOLED, "pooled_9 = (-0.172, -0.289, -0.056)", "correct", kind="rounded"),
    Answer(POOLED, "pooled_9 = (-0.17, -0.29, -0.06)", "wrong", ("rounded", "3"), kind="rounded"),
    Answer(POOLED, "_fit = meta.random_effects(real['yi'], real['vi'])\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)", "wrong", ("8 real",), kind="mistake"),
    Answer(POOLED, "_fit = meta.random_effects(yi9, vi9, method='FE')\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)", "wrong", ("fixed-effect",),
           kind="mistake"),
    Answer(POOLED, "_fit = meta.random_effects(yi9, vi9, method='DL')\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)", "wrong", ("DerSimonian",),
           kind="mistake"),
    # a 90% interval: the estimate earns its point, the bounds do not
    Answer(POOLED, "_fit = meta.random_effects(yi9, vi9, level=0.90)\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)", "partly correct",
           ("estimate is right",), kind="mistake"),
    Answer(POOLED, "pooled_9 = (-0.20, -0.32, -0.07)", "wrong", ("published",), kind="shortcut"),
    Answer(POOLED, "pooled_9 = meta.random_effects(yi9).estimate", "not attempted", kind="crash"),
    Answer(POOLED, "pooled_9 = meta.random_effects(yi9, vi9)", "wrong", ("not a number",), kind="wrong type"),
    Answer(POOLED, "pooled_9 = None", "not attempted", kind="blank"),

    Answer(BIAS, "_egger = bias.egger(yi9, vi9)\n_tf = bias.trim_and_fill(yi9, vi9)\n"
                 "bias_9 = (_egger.p, _tf.k0, _tf.estimate)", "correct", kind="reference"),
    # nothing filled: the trim-and-fill estimate is the REML estimate itself
    Answer(BIAS, "bias_9 = (bias.egger(yi9, vi9).p, 0, meta.random_effects(yi9, vi9).estimate)", "correct",
           kind="alternative"),
    Answer(BIAS, "bias_9 = (0.086, 0, -0.172)", "correct", kind="rounded"),
    Answer(BIAS, "bias_9 = (bias.egger(real['yi'], real['vi']).p, 0, "
                 "bias.trim_and_fill(real['yi'], real['vi']).estimate)", "wrong", ("8 real",), kind="mistake"),
    Answer(BIAS, "_tf = bias.trim_and_fill(yi9, vi9)\nbias_9 = (bias.egger(yi9, vi9).slope, _tf.k0, _tf.estimate)",
           "partly correct", ("k0", "check the Egger p"), kind="mistake"),
    Answer(BIAS, "bias_9 = (0.02, 0, -0.20)", "wrong", ("published",), kind="shortcut"),
    Answer(BIAS, "bias_9 = (bias.egger(yi9, vi9).p_value, 0, -0.17)", "not attempted", kind="crash"),
    Answer(BIAS, "bias_9 = bias.egger(yi9, vi9)", "wrong", ("not a number",), kind="wrong type"),
    Answer(BIAS, "bias_9 = None", "not attempted", kind="blank"),

    Answer(LOO, "def leave_one_out(yi, vi):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
                "    keep = ~np.eye(len(yi), dtype=bool)\n"
                "    return np.array([meta.random_effects(yi[row], vi[row]).estimate for row in keep])", "correct",
           kind="reference"),
    Answer(LOO, LOO_REFERENCE, "correct", kind="alternative"),
    Answer(LOO, LOO_REFERENCE.replace("vi[keep])", "vi[keep], method='FE')"), "wrong", ("fixed-effect",),
           kind="mistake"),
    Answer(LOO, LOO_REFERENCE.replace("vi[keep])", "vi[keep], method='DL')"), "wrong", ("DerSimonian",),
           kind="mistake"),
    Answer(LOO, LOO_REFERENCE.replace("return np.array(estimates)",
                                      "return meta.random_effects(yi, vi).estimate - np.array(estimates)"),
           "wrong", ("moves the estimate",), kind="mistake"),
    # the nine values of the figure below, typed in: right on the nine studies only
    Answer(LOO, "def leave_one_out(yi, vi):\n    return np.array(loo_9)", "wrong", ("expected",), kind="shortcut"),
    Answer(LOO, LOO_REFERENCE.replace("    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n",
                                      ""), "wrong", ("TypeError", "np.asarray"), kind="crash"),
    Answer(LOO, "leave_one_out = loo_9", "wrong", ("function",), kind="wrong type"),
    Answer(LOO, "def leave_one_out(yi, vi):\n    pass", "not attempted", kind="blank"),

    *choice("11.answer_6", "answer_6", "b", "a", ("Extreme is not the same as influential",),
            "Inagaki et al. [20, 59], the crossover studies with g = -0.34"),
]

# The slips of the checklist (square roots, n vs n - 2, SE vs variance, order, variances vs SEs, summaries)
SP = "    sp = np.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / df)"
FIT9 = "_fit = meta.random_effects(yi9, vi9)\n"
ANSWERS += [
    Answer(SMD, SMD_REFERENCE.replace(SP, "    sp = ((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / df"), "wrong",
           ("pooled *variance*", "square root"), kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace(SP, "    sp = np.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2))"),
           "wrong", ("n1 + n2 - 2",), kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace("g ** 2 / (2 * (n1 + n2))", "g ** 2 / (2 * df)"), "wrong",
           ("g² / (2 (n1 + n2))",), kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace("return g, v", "return g, np.sqrt(v)"), "wrong", ("standard error",),
           kind="mistake"),
    Answer(SMD, SMD_REFERENCE.replace(EXACT_J, "j = np.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) "
                                               "/ np.sqrt(df / 2)"), "correct", kind="alternative"),

    Answer(HYPO, H + "_sp2 = (99 * 1.21 ** 2 + 99 * 1.17 ** 2) / 198\n"
                     "_g = (1 - 3 / (4 * 198 - 1)) * (5.02 - 5.09) / _sp2\n"
                     "hypo_effect = (_g, 1 / 100 + 1 / 100 + _g ** 2 / 400)", "wrong", ("pooled *variance*",),
           kind="mistake"),
    Answer(HYPO, "hypo_effect = (-0.0586, 0.02)", "correct", kind="rounded"),
    Answer(HYPO, "hypo_effect = tuple(float(x) for x in effects.hedges_g(5.02, 1.21, 100, 5.09, 1.17, 100))", "correct",
           kind="alternative"),

    Answer(POOLED, FIT9 + "pooled_9 = (_fit.ci_low, _fit.estimate, _fit.ci_high)", "wrong", ("wrong order",),
           kind="mistake"),
    Answer(POOLED, "_fit = meta.random_effects(yi9, np.sqrt(vi9))\n"
                   "pooled_9 = (_fit.estimate, _fit.ci_low, _fit.ci_high)",
           "wrong", ("*variances*",), kind="mistake"),
    # the prediction interval for the confidence interval: the estimate earns its point
    Answer(POOLED, FIT9 + "pooled_9 = (_fit.estimate, _fit.pi_low, _fit.pi_high)", "partly correct",
           ("estimate is right", "ci_low"), kind="mistake"),

    Answer(BIAS, "bias_9 = (bias.egger(yi9, np.sqrt(vi9)).p, bias.trim_and_fill(yi9, np.sqrt(vi9)).k0,\n"
                 "          bias.trim_and_fill(yi9, np.sqrt(vi9)).estimate)", "wrong", ("*variances*",),
           kind="mistake"),
    # Egger's limit estimate (PET) taken for the trim-and-fill estimate: two parts of three
    Answer(BIAS, "_egger = bias.egger(yi9, vi9)\n"
                 "bias_9 = (_egger.p, bias.trim_and_fill(yi9, vi9).k0, _egger.limit_estimate)",
           "partly correct", ("Egger p, k0 are right", "trim-and-fill estimate"), kind="mistake"),
    # trim-and-fill's own p (of its pooled estimate) taken for Egger's
    Answer(BIAS, "_tf = bias.trim_and_fill(yi9, vi9)\nbias_9 = (_tf.p, _tf.k0, _tf.estimate)", "partly correct",
           ("check the Egger p",), kind="mistake"),

    Answer(LOO, LOO_REFERENCE.replace("return np.array(estimates)",
                                      "return np.array(estimates) - meta.random_effects(yi, vi).estimate"), "wrong",
           ("moves the estimate",), kind="mistake"),
    Answer(LOO, "def leave_one_out(yi, vi):\n    yi = np.asarray(yi, dtype=float)\n"
                "    return np.array([np.mean(np.delete(yi, i)) for i in range(len(yi))])", "wrong", ("plain mean",),
           kind="mistake"),
    Answer(LOO, "def leave_one_out(yi, vi):\n    out = []\n    for i in range(len(yi)):\n"
                "        rest = [j for j in range(len(yi)) if j != i]\n"
                "        out.append(meta.random_effects([yi[j] for j in rest], [vi[j] for j in rest]).estimate)\n"
                "    return out", "correct", kind="alternative"),
]

# `return` inside the loop: one number where the whole array is asked
from .lesson09 import LOOP_RETURN  # noqa: E402  (lesson 09's answer, the same exercise)
ANSWERS += [Answer(LOO, LOOP_RETURN, "wrong", ("inside the loop",), kind="mistake")]
