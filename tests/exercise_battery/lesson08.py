"""Learner answers for lesson 08."""
from .choices import choice_answers
from .harness import Answer

P = "08.egger_p_paper"
A2 = "08.answer_2"
PW = "08.study_power_z"
N = "08.n_per_study_i2_23"
PE = "08.peese_intercept"
PE_HEAD = "def peese_intercept(yi, vi):\n    vi = np.asarray(vi, dtype=float)\n"
HEAD = "def study_power_z(se, effect, alpha=0.05):\n    se = np.asarray(se, dtype=float)\n"
ANSWERS = [
    Answer(P, "egger_p_paper = 2 * stats.norm.sf(abs(-2.16 / 0.93))", "correct", kind="reference"),
    Answer(P, "egger_p_paper = 2 * stats.norm.cdf(-2.16 / 0.93)", "correct", kind="alternative"),
    Answer(P, "egger_p_paper = 2 * stats.norm.sf(2.33)", "correct", ("rounded z",), kind="alternative"),
    Answer(P, "egger_p_paper = 0.0202", "correct", kind="rounded"),
    Answer(P, "egger_p_paper = 0.02", "wrong", ("rounded", "4"), kind="shortcut"),
    Answer(P, "egger_p_paper = stats.norm.sf(2.16 / 0.93)", "wrong", ("one-sided",), kind="mistake"),
    Answer(P, "egger_p_paper = 2 * stats.norm.sf(-2.16 / 0.93)", "wrong", ("absolute value",), kind="mistake"),
    Answer(P, "egger_p_paper = 200 * stats.norm.sf(2.16 / 0.93)", "wrong", ("between 0 and 1",), kind="mistake"),
    Answer(P, "egger_p_paper = 2 * norm.sf(2.16 / 0.93)", "not attempted", kind="crash"),
    Answer(P, "egger_p_paper = 'p = 0.0202'", "wrong", ("text",), kind="wrong type"),
    Answer(P, "egger_p_paper = None", "not attempted", kind="blank"),

    *choice_answers(A2, "answer_2", "b", {"a": "dose", "c": "does not prove", "d": "neither"},
                    alternative="B."),

    Answer(PW, HEAD + "    z = stats.norm.ppf(1 - alpha / 2)\n    shift = np.abs(effect) / se\n"
               "    return stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z)", "correct", kind="reference"),
    Answer(PW, "from statsmodels.stats.power import NormalIndPower\n" + HEAD
               + "    return NormalIndPower().power(effect_size=abs(effect), nobs1=2 / se**2, alpha=alpha)", "correct",
           kind="alternative"),
    Answer(PW, "from statsmodels.stats.power import TTestIndPower\n" + HEAD
               + "    return TTestIndPower().power(effect_size=abs(effect), nobs1=2 / se**2, alpha=alpha)", "correct",
           ("t-test power",), kind="alternative"),
    Answer(PW, HEAD + "    z = stats.norm.ppf(1 - alpha / 2)\n    shift = np.abs(effect) / se\n"
               "    return stats.norm.cdf(shift - z) + stats.norm.sf(shift + z)", "correct", kind="alternative"),
    Answer(PW, HEAD + "    return stats.norm.cdf(np.abs(effect) / se - stats.norm.ppf(1 - alpha / 2))", "wrong",
           ("first term",), kind="mistake"),
    Answer(PW, HEAD + "    z = stats.norm.ppf(1 - alpha)\n    shift = np.abs(effect) / se\n"
               "    return stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z)", "wrong", ("1 − α/2",),
           kind="mistake"),
    Answer(PW, HEAD + "    return stats.norm.cdf(effect / se - stats.norm.ppf(1 - alpha / 2))", "wrong",
           ("absolute value",), kind="mistake"),
    Answer(PW, HEAD + "    shift = np.abs(effect) / se\n    return stats.norm.cdf(shift - 1.96) + "
               "stats.norm.cdf(-shift - 1.96)", "wrong", ("1.959964",), kind="mistake"),
    Answer(PW, HEAD + "    z = stats.norm.ppf(0.975)\n    shift = np.abs(effect) / se\n"
               "    return stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z)", "wrong", ("2.58",), kind="mistake"),
    Answer(PW, "def study_power_z(se, effect, alpha=0.05):\n    return power.study_power(se, effect, alpha)", "wrong",
           ("power.study_power",), kind="shortcut"),
    Answer(PW, HEAD + "    if se <= 0:\n        return 0.0\n"
               "    shift, z = abs(effect) / se, stats.norm.ppf(1 - alpha / 2)\n"
               "    return stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z)", "wrong", ("np.where",),
           kind="crash"),
    Answer(PW, HEAD + "    return [f'{p:.0%}' for p in np.atleast_1d(stats.norm.cdf(abs(effect) / se - 1.96))]",
           "wrong", ("not a number",), kind="wrong type"),
    Answer(PW, "def study_power_z(se, effect, alpha=0.05):\n    pass", "not attempted", ("not attempted",),
           kind="blank"),

    Answer(N, "n_exact = power.n_for_power(-0.20, k=8, i2=0.23, power=0.9)\n"
              "n_per_study_i2_23 = int(2 * np.ceil(n_exact / 2))", "correct", kind="reference"),
    Answer(N, "n_per_study_i2_23 = next(n for n in range(2, 400, 2)\n"
              "                         if power.meta_power(-0.20, n, k=8, i2=0.23).random >= 0.9)", "correct",
           kind="alternative"),
    Answer(N, "n_per_study_i2_23 = 188", "correct", kind="rounded"),
    Answer(N, "n_per_study_i2_23 = 186", "wrong", ("round up",), kind="mistake"),
    Answer(N, "n_per_study_i2_23 = int(np.ceil(power.n_for_power(-0.20, k=8, i2=0.23, power=0.9))) - 1", "wrong",
           ("even",), kind="mistake"),
    Answer(N, "n_per_study_i2_23 = power.n_for_power(-0.20, k=8, i2=0.23, power=0.9)", "wrong", ("whole number",),
           kind="mistake"),
    Answer(N, "n_per_study_i2_23 = int(2 * np.ceil(power.n_for_power(-0.20, k=8, i2=0, power=0.9) / 2))", "wrong",
           ("I² = 0",), kind="mistake"),
    Answer(N, "n_per_study_i2_23 = 140", "wrong", ("80%", "power=0.9"), kind="shortcut"),
    Answer(N, "n_per_study_i2_23 = 120", "wrong", ("paper",), kind="shortcut"),
    Answer(N, "n_per_study_i2_23 = power.n_for_power(-0.20, k=8, i2=23, power=0.9)", "not attempted", kind="crash"),
    Answer(N, "n_per_study_i2_23 = '188'", "wrong", ("text",), kind="wrong type"),
    Answer(N, "n_per_study_i2_23 = None", "not attempted", kind="blank"),

    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'vi': vi}).coefficients['estimate'].iloc[0]", "correct",
           kind="reference"),
    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'vi': vi}, method='FE').coefficients['estimate'].iloc[0]",
           "correct", ("weighted least squares",), kind="alternative"),
    Answer(PE, PE_HEAD + "    fit = meta.regression(np.asarray(yi, dtype=float), vi, pd.DataFrame({'v': vi}))\n"
               "    return float(fit.coefficients.loc['intercept', 'estimate'])", "correct", kind="alternative"),
    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'sei': np.sqrt(vi)}).coefficients['estimate'].iloc[0]",
           "wrong", ("PET",), kind="mistake"),
    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'vi': vi}).coefficients['estimate'].iloc[1]", "wrong",
           ("slope",), kind="mistake"),
    Answer(PE, PE_HEAD + "    return np.polyfit(vi, np.asarray(yi, dtype=float), 1)[1]", "wrong", ("unweighted",),
           kind="mistake"),
    Answer(PE, "def peese_intercept(yi, vi):\n    return bias.pet_peese(yi, vi).peese.estimate", "wrong",
           ("bias.pet_peese",), kind="shortcut"),
    Answer(PE, "def peese_intercept(yi, vi):\n    return -0.0553", "wrong", ("expected",), kind="shortcut"),
    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'vi': vi}).coefficients['intercept']", "wrong",
           ("KeyError",), kind="crash"),
    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'vi': vi}).coefficients", "wrong", kind="wrong type"),
    Answer(PE, "def peese_intercept(yi, vi):\n    pass", "not attempted", ("not attempted",), kind="blank"),
]

# The slips of the checklist (z vs t, tails and quantiles, β for power, per arm vs per study, k, polyfit's weights)
SHIFT = "    z = stats.norm.ppf(1 - alpha / 2)\n    shift = np.abs(effect) / se\n"
ANSWERS += [
    Answer(P, "egger_p_paper = 2 * stats.norm.sf(2.16)", "wrong", ("B / SE",), kind="mistake"),
    Answer(P, "egger_p_paper = 2 * stats.t.sf(2.16 / 0.93, 17 - 2)", "wrong", ("normal distribution",), kind="mistake"),
    Answer(P, "egger_p_paper = 2 * stats.t.sf(2.16 / 0.93, 16)", "wrong", ("not a t",), kind="mistake"),
    Answer(P, "egger_p_paper = 1 - 2 * stats.norm.sf(2.16 / 0.93)", "wrong", ("1 − p",), kind="mistake"),

    Answer(PW, HEAD + SHIFT + "    return stats.norm.cdf(shift - z) + stats.norm.cdf(z - shift)", "wrong",
           ("add up to 1",), kind="mistake"),
    Answer(PW, HEAD + "    z = stats.norm.ppf(alpha / 2)\n    shift = np.abs(effect) / se\n"
                      "    return stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z)", "wrong", ("lower",),
           kind="mistake"),
    Answer(PW, HEAD + SHIFT + "    return stats.norm.sf(shift - z) - stats.norm.cdf(-shift - z)", "wrong",
           ("1 − power",), kind="mistake"),
    Answer(PW, "def study_power_z(se, effect, alpha=0.05):\n    z = stats.norm.isf(alpha / 2)\n"
               "    return np.array([stats.norm.cdf(abs(effect) / s - z) + stats.norm.cdf(-abs(effect) / s - z)\n"
               "                     for s in np.atleast_1d(se)])", "correct", kind="alternative"),

    Answer(N, "n_per_study_i2_23 = int(2 * np.ceil(power.n_for_power(-0.20, k=8, i2=0.23, power=0.9) / 2)) // 2",
           "wrong", ("per arm",), kind="mistake"),
    Answer(N, "n_per_study_i2_23 = int(2 * np.ceil(power.n_for_power(-0.20, k=17, i2=0.23, power=0.9) / 2))", "wrong",
           ("17 outcomes",), kind="mistake"),
    Answer(N, "n_per_study_i2_23 = next(n for n in range(2, 400, 2)\n"
              "                         if power.meta_power(-0.20, n, k=8, i2=0.23).random > 0.9)", "correct",
           kind="alternative"),

    Answer(PE, PE_HEAD + "    return np.polyfit(vi, np.asarray(yi, dtype=float), 1, w=1 / np.sqrt(vi))[1]", "correct",
           ("weighted least squares",), kind="alternative"),
    Answer(PE, "import statsmodels.api as sm\n" + PE_HEAD
               + "    fit = sm.WLS(np.asarray(yi, dtype=float), sm.add_constant(vi), weights=1 / vi).fit()\n"
                 "    return fit.params[0]", "correct", kind="alternative"),
    Answer(PE, PE_HEAD + "    return np.polyfit(vi, np.asarray(yi, dtype=float), 1, w=1 / vi)[1]", "wrong",
           ("squares its weights",), kind="mistake"),
    Answer(PE, PE_HEAD + "    return np.polyfit(vi, np.asarray(yi, dtype=float), 1, w=1 / np.sqrt(vi))[0]", "wrong",
           ("highest power first",), kind="mistake"),
    Answer(PE, PE_HEAD + "    return meta.regression(yi, vi, {'vi': vi}, method='DL').coefficients['estimate'].iloc[0]",
           "wrong", ("DerSimonian-Laird", "REML"), kind="mistake"),
]

# our study-level test's p where the paper's is asked (a number from the wrong cell)
ANSWERS += [Answer(P, "egger_p_paper = egg.p", "wrong", ("8 study-level", "B = -2.16"), kind="mistake")]
