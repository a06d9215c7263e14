"""Learner answers for the judge's generic detections, in exercises of lessons 06 and 08: an answer that is a
fitted model's result object (the hint names the attribute to take), and a function that returns the whole
result instead of one of its numbers."""
from .harness import Answer

ANSWERS = [
    Answer("06.i2_from_q", "i2_from_q = meta.random_effects(yi, vi, method='DL')", "wrong",
           ("RandomEffectsResult", ".i2"), kind="wrong type"),
    Answer("06.dl_tau2", "def dl_tau2(yi, vi):\n    pass\n    # YOUR CODE HERE", "not attempted", kind="blank"),
]

# Results inside results: a list of fitted models, a regression's table of coefficients, a fit holding every part.
ANSWERS += [
    Answer("09.leave_one_out", "def leave_one_out(yi, vi):\n    yi, vi = np.asarray(yi, float), np.asarray(vi, float)\n"
                               "    return [meta.random_effects(np.delete(yi, i), np.delete(vi, i)) for i in "
                               "range(len(yi))]", "wrong", ("list of RandomEffectsResult", ".estimate of each"),
           kind="wrong type"),
    Answer("08.peese_intercept", "def peese_intercept(yi, vi):\n    return meta.regression(yi, vi, {'vi': vi})",
           "wrong", ("RegressionResult", ".coefficients['estimate'].iloc[0]"), kind="wrong type"),
    Answer("11.pooled_9", "pooled_9 = meta.random_effects(yi9, vi9, method='REML')", "wrong",
           ("result.estimate, result.ci_low, result.ci_high",), kind="wrong type"),
]

# Named slips added after trying answers the battery had not seen.
ANSWERS += [
    Answer("04.compare_correlations", "def compare_correlations(r1, n1, r2, n2):\n"
                                      "    z = (np.arctanh(r1) - np.arctanh(r2)) "
                                      "/ (1 / np.sqrt(n1 - 3) + 1 / np.sqrt(n2 - 3))\n"
                                      "    return z, 2 * stats.norm.sf(abs(z))", "wrong", ("add the *variances*",),
           kind="mistake"),
    Answer("05.hedges_g", "def hedges_g(m1, sd1, n1, m2, sd2, n2):\n"
                          "    sp = ((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2)\n"
                          "    g = correction_exact(n1 + n2 - 2) * (m1 - m2) / sp\n"
                          "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))", "wrong", ("pooled *variance*",),
           kind="mistake"),
    Answer("07.t_interval", "def t_interval(estimate, se, df, level=0.95):\n"
                            "    q = stats.t.ppf(1 - (1 - level) / 2, round(df))\n"
                            "    return estimate - q * se, estimate + q * se", "wrong", ("nearest whole number",),
           kind="mistake"),
    Answer("07.s2_implied", "s2_implied = 0.12**2 * (1 - 23) / 23", "wrong", ("proportion, 0.23",), kind="mistake"),
    Answer("08.study_power_z", "def study_power_z(se, effect, alpha=0.05):\n    z = stats.norm.ppf(1 - alpha / 2)\n"
                               "    s = np.sqrt(np.asarray(se, float))\n"
                               "    return stats.norm.cdf(abs(effect) / s - z) + stats.norm.cdf(-z - abs(effect) / s)",
           "wrong", ("not by its square root",), kind="mistake"),
    Answer("09.ci_without_outlier", "ci_without_outlier = (0.75 - 1.96 * 4.01**2, 0.75 + 1.96 * 4.01**2)", "wrong",
           ("variance 4.01²",), kind="mistake"),
]
