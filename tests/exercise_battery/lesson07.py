"""Learner answers for lesson 07."""
from .choices import choice_answers
from .harness import Answer

A1 = "07.answer_1"
I2 = "07.i2_within_pct"
S2 = "07.s2_implied"
AG = "07.aggregate_one"
TI = "07.t_interval"
TI_HEAD = "def t_interval(estimate, se, df, level=0.95):\n"
I2_HEAD = "def i2_within_pct(sigma2, vi):\n    w = 1 / np.asarray(vi, dtype=float)\n"
TYPICAL = "    s2 = (len(w) - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum())\n"
AG_HEAD = ("def aggregate_one(yi, vi, rho):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
           "    se = np.sqrt(vi)\n    V = rho * np.outer(se, se)\n    np.fill_diagonal(V, vi)\n")
ANSWERS = [
    *choice_answers(A1, "answer_1", "a", {"b": "level 1", "c": "typical distance", "d": "spread"},
                    alternative="(A)"),

    Answer(I2, I2_HEAD + TYPICAL + "    return 100 * sigma2[1] / (sigma2[0] + sigma2[1] + s2)", "correct",
           kind="reference"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    w = np.array([1 / v for v in vi])\n"
               "    s2 = (len(w) - 1) / (w.sum() - (w**2).sum() / w.sum())\n"
               "    return sigma2[1] / (np.sum(sigma2) + s2) * 100", "correct", kind="alternative"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    return 100 * sigma2[1] / (sigma2[0] + sigma2[1])", "wrong",
           ("sampling variance",), kind="mistake"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    return 100 * sigma2[1] / (sigma2[0] + sigma2[1] + np.mean(vi))",
           "wrong", ("typical",), kind="mistake"),
    Answer(I2, I2_HEAD + TYPICAL + "    return 100 * sigma2[0] / (sigma2[0] + sigma2[1] + s2)", "wrong",
           ("between",), kind="mistake"),
    Answer(I2, I2_HEAD + TYPICAL + "    return sigma2[1] / (sigma2[0] + sigma2[1] + s2)", "wrong",
           ("100 times too small",), kind="mistake"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    return three.i2_within", "wrong", ("i2_within_pct(",),
           kind="shortcut"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    return 31.86", "wrong", ("expected",), kind="shortcut"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    w = 1 / vi\n    s2 = (len(w) - 1) * w.sum() / (w.sum() ** 2 - "
               "(w**2).sum())\n    return 100 * sigma2[1] / (sum(sigma2) + s2)", "wrong", ("TypeError",), kind="crash"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    return sigma2.sum()", "wrong", ("AttributeError",), kind="crash"),
    Answer(I2, I2_HEAD + TYPICAL + "    return f'{100 * sigma2[1] / (sum(sigma2) + s2):.1f}%'", "wrong", ("text",),
           kind="wrong type"),
    Answer(I2, "i2_within_pct = 31.86", "wrong", ("function",), kind="wrong type"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    pass", "not attempted", ("not attempted",), kind="blank"),

    Answer(S2, "s2_implied = 0.12**2 * (1 - 0.23) / 0.23", "correct", kind="reference"),
    Answer(S2, "s2_implied = 0.048", "correct", kind="rounded"),
    Answer(S2, "sigma2 = 0.12 ** 2\ns2_implied = sigma2 / 0.23 - sigma2", "correct", kind="alternative"),
    Answer(S2, "s2_implied = 0.05", "wrong", ("rounded",), kind="rounded"),
    Answer(S2, "s2_implied = 0.12 * (1 - 0.23) / 0.23", "wrong", ("square it",), kind="mistake"),
    Answer(S2, "s2_implied = 0.12**2 * 0.23 / (1 - 0.23)", "wrong", ("solve",), kind="mistake"),
    Answer(S2, "s2_implied = 0.12**2 * (1 - 23) / 23", "wrong", ("cannot be negative",), kind="mistake"),
    Answer(S2, "s2_implied = np.sqrt(0.12**2 * (1 - 0.23) / 0.23)", "wrong", ("standard error",), kind="mistake"),
    Answer(S2, "s2_implied = 0.12 ** 2", "wrong", kind="shortcut"),
    Answer(S2, "s2_implied = sigma_within**2 * (1 - 0.23) / 0.23", "not attempted", kind="crash"),
    Answer(S2, "s2_implied = '0.048'", "wrong", ("text",), kind="wrong type"),
    Answer(S2, "s2_implied = None", "not attempted", kind="blank"),

    Answer(AG, AG_HEAD + "    W = np.linalg.inv(V)\n    return (W @ yi).sum() / W.sum(), 1 / W.sum()", "correct",
           kind="reference"),
    Answer(AG, AG_HEAD + "    one = np.ones_like(yi)\n    a = np.linalg.solve(V, one)\n"
               "    return a @ yi / (a @ one), 1 / (a @ one)", "correct", kind="alternative"),
    Answer(AG, "def aggregate_one(yi, vi, rho):\n    w = 1 / np.asarray(vi, dtype=float)\n"
               "    return np.sum(w * np.asarray(yi, dtype=float)) / w.sum(), 1 / w.sum()", "wrong", ("ignores rho",),
           kind="mistake"),
    Answer(AG, "def aggregate_one(yi, vi, rho):\n    return np.mean(yi), np.mean(vi) / len(vi)", "wrong",
           ("plain average",), kind="mistake"),
    Answer(AG, AG_HEAD + "    W = np.linalg.inv(V)\n    return (W @ yi).sum() / W.sum(), 1 / np.sum(1 / vi)",
           "partly correct", ("y_bar is right",), kind="mistake"),
    Answer(AG, "def aggregate_one(yi, vi, rho):\n    one = meta.aggregate(yi, vi, cluster=[1] * len(yi), rho=rho)\n"
               "    return one['yi'].iloc[0], one['vi'].iloc[0]", "wrong", ("meta.aggregate",), kind="shortcut"),
    Answer(AG, "def aggregate_one(yi, vi, rho):\n    W = np.linalg.inv(np.asarray(vi) * rho)\n"
               "    return (W @ yi).sum() / W.sum(), 1 / W.sum()", "wrong", ("LinAlgError",), kind="crash"),
    Answer(AG, AG_HEAD + "    W = np.linalg.inv(V)\n    return (W @ yi).sum() / W.sum()", "wrong", ("1 number",),
           kind="wrong type"),
    Answer(AG, "def aggregate_one(yi, vi, rho):\n    pass", "not attempted", ("not attempted",), kind="blank"),

    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, df)\n    return estimate - q * se, estimate + q * se",
           "correct", kind="reference"),
    Answer(TI, TI_HEAD + "    return stats.t.interval(level, df, loc=estimate, scale=se)", "correct",
           kind="alternative"),
    Answer(TI, TI_HEAD + "    q = stats.t.isf((1 - level) / 2, df)\n    return (estimate - q * se, estimate + q * se)",
           "correct", kind="alternative"),
    Answer(TI, TI_HEAD + "    q = stats.norm.ppf((1 + level) / 2)\n    return estimate - q * se, estimate + q * se",
           "wrong", ("z interval",), kind="mistake"),
    Answer(TI, TI_HEAD + "    return estimate - 1.96 * se, estimate + 1.96 * se", "wrong", ("1.96",), kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf(level, df)\n    return estimate - q * se, estimate + q * se", "wrong",
           ("one tail",), kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf(0.975, df)\n    return estimate - q * se, estimate + q * se", "wrong",
           ("(1 + level) / 2",), kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, int(df))\n"
                         "    return estimate - q * se, estimate + q * se",
           "wrong", ("whole numbers",), kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, df)\n    return estimate - q * se, estimate + 1.96 * se",
           "partly correct", ("ci_low is right",), kind="mistake"),
    Answer(TI, TI_HEAD + "    fit = meta.robust(three, cluster=district)\n    return fit.ci_low, fit.ci_high", "wrong",
           ("meta.robust",), kind="shortcut"),
    Answer(TI, TI_HEAD + "    return -0.0552, 0.3109", "wrong", ("expected",), kind="shortcut"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, df=df, level=level)\n"
                         "    return estimate - q * se, estimate + q * se",
           "wrong", ("TypeError",), kind="crash"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, df)\n"
                         "    return f'{estimate - q * se:.3f} to {estimate + q * se:.3f}'",
           "wrong", ("text",), kind="wrong type"),
    Answer(TI, TI_HEAD + "    pass", "not attempted", ("not attempted",), kind="blank"),
]

# The slips of the checklist (levels of I², k vs k - 1, square roots, correlation vs covariance, quantiles and df)
AG_ONE = "def aggregate_one(yi, vi, rho):\n    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)\n"
W_MEAN = "    W = np.linalg.inv(V)\n    return (W @ yi).sum() / W.sum(), 1 / W.sum()"
ANSWERS += [
    Answer(I2, I2_HEAD + TYPICAL + "    return 100 * (sigma2[0] + sigma2[1]) / (sigma2[0] + sigma2[1] + s2)", "wrong",
           ("total I²",), kind="mistake"),
    Answer(I2, I2_HEAD + "    s2 = len(w) * w.sum() / (w.sum() ** 2 - (w**2).sum())\n"
                         "    return 100 * sigma2[1] / (sigma2[0] + sigma2[1] + s2)", "wrong", ("k − 1",),
           kind="mistake"),
    Answer(I2, I2_HEAD + "    s2 = (w.sum() ** 2 - (w**2).sum()) / ((len(w) - 1) * w.sum())\n"
                         "    return 100 * sigma2[1] / (sigma2[0] + sigma2[1] + s2)", "wrong", ("upside down",),
           kind="mistake"),
    Answer(I2, "def i2_within_pct(sigma2, vi):\n    between, within = sigma2\n    k = len(vi)\n"
               "    sw = sum(1 / v for v in vi)\n    sw2 = sum(1 / v**2 for v in vi)\n"
               "    return 100 * within / (between + within + (k - 1) * sw / (sw**2 - sw2))", "correct",
           kind="alternative"),

    Answer(S2, "s2_implied = 0.12**2 / 0.23", "wrong", ("subtract σ²",), kind="mistake"),
    Answer(S2, "s2_implied = 0.12**2 * (1 - 0.23)", "wrong", ("divide by I²",), kind="mistake"),

    Answer(AG, AG_ONE + "    V = rho * np.ones((len(vi), len(vi)))\n    np.fill_diagonal(V, vi)\n" + W_MEAN, "wrong",
           ("correlation", "covariance"), kind="mistake"),
    Answer(AG, AG_ONE + "    V = rho * np.outer(vi, vi)\n    np.fill_diagonal(V, vi)\n" + W_MEAN, "wrong",
           ("standard errors",), kind="mistake"),
    Answer(AG, AG_ONE + "    se = np.sqrt(vi)\n    V = rho * np.outer(se, se) + np.diag((1 - rho) * vi)\n"
                        "    w = np.linalg.solve(V, np.ones(len(yi)))\n    return w @ yi / w.sum(), 1 / w.sum()",
           "correct", kind="alternative"),

    Answer(TI, TI_HEAD + "    q = stats.t.ppf(1 - level / 2, df)\n    return estimate - q * se, estimate + q * se",
           "wrong", ("(1 + level) / 2",), kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, df - 1)\n"
                         "    return estimate - q * se, estimate + q * se",
           "wrong", ("not df − 1",), kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 - level) / 2, df)\n    return estimate - q * se, estimate + q * se",
           "wrong", ("wrong order",), kind="mistake"),
    Answer(TI, TI_HEAD + "    return tuple(estimate + stats.t.ppf([(1 - level) / 2, (1 + level) / 2], df) * se)",
           "correct", kind="alternative"),
]

# both levels where one is asked; the estimate inside the interval
ANSWERS += [
    Answer(I2, I2_HEAD + TYPICAL + "    total = sigma2[0] + sigma2[1] + s2\n"
                         "    return 100 * sigma2[0] / total, 100 * sigma2[1] / total", "wrong", ("one number",),
           kind="mistake"),
    Answer(TI, TI_HEAD + "    q = stats.t.ppf((1 + level) / 2, df)\n"
                         "    return estimate - q * se, estimate, estimate + q * se",
           "wrong", ("two bounds",), kind="mistake"),
]
