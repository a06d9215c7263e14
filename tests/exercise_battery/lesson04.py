"""Learner answers for lesson 04."""
from .harness import Answer
from .lesson01 import choice_answers

SE, F, D, P = "04.se_by_hand", "04.compare_correlations", "04.d_reported", "04.p_two_tailed"
CONTRAST = ("c = np.zeros(len(X.columns))\nc[list(X.columns).index('close_other')] = 1\n"
            "c[list(X.columns).index('stranger')] = -1\n")
Z = "    z = (np.arctanh(r1) - np.arctanh(r2)) / np.sqrt(1 / (n1 - 3) + 1 / (n2 - 3))\n"

ANSWERS = [
    Answer(SE, CONTRAST + "se_by_hand = np.sqrt(result.residual_variance * c @ result.xtx_inv @ c)", "correct",
           kind="reference"),
    Answer(SE, "v = result.residual_variance * result.xtx_inv\n"
               "se_by_hand = np.sqrt(v[0, 0] + v[1, 1] - 2 * v[0, 1])", "correct", kind="alternative"),
    Answer(SE, "se_by_hand = 0.1167", "correct", kind="rounded"),
    # The fitted model's own contrast method: the same number, which a value exercise cannot tell from the formula.
    Answer(SE, "se_by_hand = result.contrast({'close_other': 1, 'stranger': -1}).se", "correct", kind="shortcut"),
    Answer(SE, "se_by_hand = 0.117", "wrong", ("rounded", "0.1167"), kind="shortcut"),  # copied from the printout
    Answer(SE, "v = result.residual_variance * result.xtx_inv\nse_by_hand = np.sqrt(v[0, 0] + v[1, 1])", "wrong",
           ("covariance",), kind="mistake"),
    Answer(SE, "v = result.residual_variance * result.xtx_inv\nse_by_hand = np.sqrt(v[0, 0] + v[1, 1] + 2 * v[0, 1])",
           "wrong", ("minus sign",), kind="mistake"),
    Answer(SE, CONTRAST + "se_by_hand = result.residual_variance * c @ result.xtx_inv @ c", "wrong",
           ("square root",), kind="mistake"),
    Answer(SE, CONTRAST + "se_by_hand = np.sqrt(c @ result.xtx_inv @ c)", "wrong", ("sigma^2",), kind="mistake"),
    Answer(SE, "se_by_hand = np.sqrt(result.residual_variance * result.xtx_inv[0, 0])", "wrong", ("alone",),
           kind="mistake"),
    Answer(SE, "c = np.array([1, -1])\nse_by_hand = np.sqrt(result.residual_variance * c @ result.xtx_inv @ c)",
           "not attempted", kind="crash"),  # a 2-entry contrast against an 11-column matrix: the cell raises
    Answer(SE, CONTRAST + "se_by_hand = np.sqrt(result.residual_variance * result.xtx_inv)", "wrong",
           ("121 number",), kind="wrong type"),
    Answer(SE, "se_by_hand = None", "not attempted", kind="blank"),

    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n" + Z + "    return z, 2 * stats.norm.sf(abs(z))", "correct",
           kind="reference"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n"
              "    z1, z2 = 0.5 * np.log((1 + r1) / (1 - r1)), 0.5 * np.log((1 + r2) / (1 - r2))\n"
              "    z = (z1 - z2) / np.sqrt(1 / (n1 - 3) + 1 / (n2 - 3))\n"
              "    return z, 2 * (1 - stats.norm.cdf(abs(z)))", "correct", kind="alternative"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n    z = (np.arctanh(r1) - np.arctanh(r2)) / "
              "np.sqrt(1 / n1 + 1 / n2)\n    return z, 2 * stats.norm.sf(abs(z))", "wrong", ("1/(n - 3)",),
           kind="mistake"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n    z = (r1 - r2) / np.sqrt(1 / (n1 - 3) + 1 / (n2 - 3))\n"
              "    return z, 2 * stats.norm.sf(abs(z))", "wrong", ("arctanh",), kind="mistake"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n" + Z + "    return z, stats.norm.sf(abs(z))",
           "partly correct", ("z is right",), kind="mistake"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n" + Z + "    return z, 2 * stats.norm.sf(z)",
           "partly correct", ("z is right",), kind="mistake"),  # right only when z > 0
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n    return tuple(fmri.fisher_z_compare(r1, n1, r2, n2))",
           "wrong", ("fisher_z_compare",), kind="shortcut"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n" + Z + "    return z, 2 * stat.norm.sf(abs(z))", "wrong",
           ("NameError", "'stat'"), kind="crash"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n" + Z + "    return z", "wrong", ("1 number",),
           kind="wrong type"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n" + Z + "    return f'z = {z:.2f}'", "wrong",
           ("did not return numbers",), kind="wrong type"),
    Answer(F, "def compare_correlations(r1, n1, r2, n2):\n    pass", "not attempted", kind="blank"),

    Answer(D, "d_reported = 1.859 * np.sqrt(1 / 40 + 1 / 40)", "correct", kind="reference"),
    Answer(D, "d_reported = 1.859 * np.sqrt(2 / 40)", "correct", kind="alternative"),
    Answer(D, "d_reported = 0.416", "correct", kind="rounded"),
    Answer(D, "d_reported = 0.42", "wrong", ("rounded", "0.416"), kind="shortcut"),  # the 0.42 of section 7
    Answer(D, "d_reported = 1.859 / np.sqrt(80)", "wrong", ("paired",), kind="mistake"),
    Answer(D, "d_reported = 2 * 1.859 / np.sqrt(75)", "wrong", ("approximation",), kind="mistake"),
    Answer(D, "d_reported = 2 * 1.859 / np.sqrt(78)", "wrong", ("approximation",), kind="mistake"),
    Answer(D, "d_reported = 1.859 * (1 / 40 + 1 / 40)", "wrong", ("square root",), kind="mistake"),
    Answer(D, "d_reported = effects.g_from_t(1.859, 40, 40)[0]", "wrong", ("Hedges",), kind="shortcut"),
    Answer(D, "d_reported = 1.859 * np.sqrt(1 / n1 + 1 / n2)", "not attempted", kind="crash"),
    Answer(D, "d_reported = effects.g_from_t(1.859, 40, 40)", "wrong", ("2 number",), kind="wrong type"),
    Answer(D, "d_reported = None", "not attempted", kind="blank"),

    Answer(P, "p_two_tailed = 2 * stats.t.sf(1.859, 75)", "correct", kind="reference"),
    Answer(P, "p_two_tailed = 2 * (1 - stats.t.cdf(1.859, 75))", "correct", kind="alternative"),
    Answer(P, "p_two_tailed = stats.t.sf(1.859, 75) + stats.t.cdf(-1.859, 75)", "correct", kind="alternative"),
    Answer(P, "p_two_tailed = 0.0669", "correct", kind="rounded"),
    Answer(P, "p_two_tailed = 0.067", "wrong", ("rounded", "0.0669"), kind="rounded"),  # the key points' "about .067"
    Answer(P, "p_two_tailed = 2 * stats.t.sf(1.859, 78)", "wrong", ("75",), kind="mistake"),
    Answer(P, "p_two_tailed = 0.0668", "wrong", ("75",), kind="mistake"),  # 78 df, rounded
    Answer(P, "p_two_tailed = stats.t.sf(1.859, 75)", "wrong", ("one-tailed",), kind="mistake"),
    Answer(P, "p_two_tailed = stats.t.sf(1.859, 75) / 2", "wrong", ("halved",), kind="mistake"),
    Answer(P, "p_two_tailed = 2 * stats.norm.sf(1.859)", "wrong", ("normal",), kind="mistake"),
    Answer(P, "p_two_tailed = 2 * stats.t.cdf(1.859, 75)", "wrong", ("between 0 and 1",), kind="mistake"),
    Answer(P, "p_two_tailed = 2 * 0.034", "wrong", kind="shortcut"),  # doubling the rounded p the paper prints
    Answer(P, "p_two_tailed = 2 * stats.t.sf(1.859)", "not attempted", kind="crash"),
    Answer(P, "p_two_tailed = '0.067'", "wrong", ("text",), kind="wrong type"),
    Answer(P, "p_two_tailed = None", "not attempted", kind="blank"),

    *choice_answers("04.answer_5", "answer_5", "c", "(c)", "a", ("reverse inference",),
                    crash="answer_5 = C"),  # a bare c is the lesson's contrast vector
    Answer("04.answer_5", "answer_5 = 'b'", "wrong", ("difference-in-significance trap",), kind="mistake"),
]

# Named slips of the checklist (n - 1 for n - 3, the square root, z vs t, one- vs two-tailed, 2 × .034, N for n,
# SD vs variance) and the generic detections (a whole result where one of its numbers was asked).
FH = "def compare_correlations(r1, n1, r2, n2):\n"
ANSWERS += [
    Answer(SE, CONTRAST + "se_by_hand = np.sqrt(np.sqrt(result.residual_variance) * c @ result.xtx_inv @ c)", "wrong",
           ("residual VARIANCE",), kind="mistake"),
    Answer(SE, "se_by_hand = result.contrast({'close_other': 1, 'stranger': -1}).effect", "wrong", ("estimate",),
           kind="mistake"),
    Answer(SE, "se_by_hand = result.contrast({'close_other': 1, 'stranger': -1})", "wrong", (".se",),
           kind="wrong type"),
    Answer(F, FH + "    z = (np.arctanh(r1) - np.arctanh(r2)) / np.sqrt(1 / (n1 - 1) + 1 / (n2 - 1))\n"
              "    return z, 2 * stats.norm.sf(abs(z))", "wrong", ("1/(n - 1)",), kind="mistake"),
    Answer(F, FH + "    z = (np.arctanh(r1) - np.arctanh(r2)) / (1 / (n1 - 3) + 1 / (n2 - 3))\n"
              "    return z, 2 * stats.norm.sf(abs(z))", "wrong", ("SQUARE ROOT",), kind="mistake"),
    Answer(F, FH + Z + "    return z, 2 * stats.t.sf(abs(z), n1 + n2 - 4)", "partly correct", ("z is right", "normal"),
           kind="mistake"),
    Answer(F, FH + Z + "    return z", "wrong", ("1 number", "z, p", "tuple"), kind="wrong type"),
    Answer(D, "d_reported = 1.859 * np.sqrt(1 / 80 + 1 / 80)", "wrong", ("N = 80",), kind="mistake"),
    Answer(D, "d_reported = 1.859 / np.sqrt(1 / 40 + 1 / 40)", "wrong", ("divided",), kind="mistake"),
    Answer(P, "p_two_tailed = 2 * 0.034", "wrong", ("already rounded",), kind="mistake"),
    Answer(P, "p_two_tailed = 1 - 2 * stats.t.sf(1.859, 75)", "wrong", ("1 - p",), kind="mistake"),
    Answer(P, "p_two_tailed = stats.ttest_ind_from_stats(0.5, 1, 40, 0.1, 1, 40)", "wrong", ("2 number",),
           kind="wrong type"),
    Answer(P, "p_two_tailed = 6.69", "wrong", ("100 times too large", "not a percentage"), kind="mistake"),
    Answer(F, FH + "    z = (np.arctanh(r2) - np.arctanh(r1)) / np.sqrt(1 / (n1 - 3) + 1 / (n2 - 3))\n"
              "    return z, 2 * stats.norm.sf(abs(z))", "partly correct", ("p is right", "sign is flipped"),
           kind="mistake"),
]
