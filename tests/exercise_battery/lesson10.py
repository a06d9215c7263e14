"""Learner answers for lesson 10 (critique)."""
from .harness import Answer
from .lesson09 import choice

CLAIMS, POWER, N = "10.claim_labels", "10.power_40_per_arm", "10.n_per_group"
RIGHT = {"C1": "O", "C2": "U", "C3": "U", "C4": "U", "C5": "U", "C6": "U", "C7": "E", "C8": "E",
         "C9": "E", "C10": "O", "C11": "S", "C12": "S", "C13": "U", "C14": "E", "C15": "U"}


def labels(**changes):
    return f"claim_labels = {dict(RIGHT, **changes)!r}"


SOLVE = ("def _gap(n):\n    return power.study_power(np.sqrt(power.variance_d(2 * n, -0.20)), -0.20) - 0.80\n"
         "n_per_group = optimize.brentq(_gap, 10, 5000)")

ANSWERS = [
    *choice("10.answer_1", "answer_1", "a", "b", ("publication bias",), "indirectness and imprecision"),
    # the significant Q test taken for a downgrade
    Answer("10.answer_1", "answer_1 = 'c'", "wrong", ("I2 = 23%", "not downgraded"), kind="mistake"),
    *choice("10.answer_2", "answer_2", "c", "a", ("same 8 studies",),
            "indirectness: naltrexone also blocks kappa receptors, so it answers the mu question only indirectly"),
    # PET checks of the blockade belong to indirectness, not to risk of bias
    Answer("10.answer_2", "answer_2 = 'd'", "wrong", ("question of indirectness",), kind="mistake"),

    Answer(CLAIMS, labels(), "correct", kind="reference"),
    Answer(CLAIMS, f"claim_labels = {({k: v.lower() for k, v in RIGHT.items()})!r}", "correct", kind="alternative"),
    # the PET study taken for one of the review's trials: 11 of 12, with the hint for C1
    Answer(CLAIMS, labels(C1="S"), "partly correct", ("C1", "PET study"), kind="mistake"),
    Answer(CLAIMS, labels(C7="U", C9="S"), "partly correct", ("C7", "C9", "third row"), kind="mistake"),
    # the named source taken on trust: Emery & Akil 2020 is a review article, not the meta-analysis it is credited with
    Answer(CLAIMS, labels(C4="O", C6="O"), "partly correct", ("C4", "Emery", "review article", "C6", "Monroe"),
           kind="mistake"),
    # one label for everything: only the claims that happen to carry it
    Answer(CLAIMS, f"claim_labels = {({k: 'U' for k in RIGHT})!r}", "partly correct", ("7 of 15",),
           kind="shortcut"),
    Answer(CLAIMS, labels(C3="X"), "partly correct", ("not one of the categories", "C3"), kind="other"),
    Answer(CLAIMS, "claim_labels = {'C1': 'O', 'C2': 'U', 'C3': 'U'}", "partly correct", ("not sorted yet",),
           kind="other"),
    Answer(CLAIMS, "claim_labels = {'C1': O}", "not attempted", kind="crash"),
    # the essay's unsourced correlations credited to the code of the sentence before; a gene variant taken for a number
    Answer(CLAIMS, labels(C13="O", C14="U"), "partly correct", ("C13", "S005", "C14", "emotional withdrawal"),
           kind="mistake"),
    Answer(CLAIMS, labels(C15="O"), "partly correct", ("14 of 15", "C15", "S002"), kind="mistake"),
    Answer(CLAIMS, "claim_labels = ['O', 'U', 'U', 'U', 'U', 'U', 'E', 'E', 'E', 'O', 'S', 'S', 'U', 'E', 'U']",
           "wrong", ("dictionary",), kind="wrong type"),
    Answer(CLAIMS, f"claim_labels = {({k: None for k in RIGHT})!r}", "not attempted", kind="blank"),

    *choice("10.answer_kappa", "answer_kappa", "d", "a", ("cannot separate mu from kappa",),
            "indirectness: naltrexone blocks kappa as well as mu receptors, so its trials cannot say which receptor "
            "the effect comes from"),
    *choice("10.answer_tests", "answer_tests", "c", "b", ("small drop", "did not test"),
            "naltrexone against attachment, in voles: it stopped the partner preference, as the essay predicts"),
    # huddling and mating taken for the bond
    Answer("10.answer_tests", "answer_tests = 'd'", "wrong", ("not social behaviour", "partner preference"),
           kind="mistake"),
    *choice("10.answer_hsu", "answer_hsu", "a", "b", ("not necessarily in conflict",),
            "the lists need not clash (one is about acceptance and rejection, one about rejection), but neither can "
            "be checked: read Hsu et al. (2013)"),
    # a named study taken for a correct summary of it
    Answer("10.answer_hsu", "answer_hsu = 'c'", "wrong", ("checkable, not correct",), kind="mistake"),

    Answer(POWER, "power_40_per_arm = power.study_power(np.sqrt(1 / 40 + 1 / 40 + 0.20 ** 2 / (2 * 80)), -0.20)",
           "correct", kind="reference"),
    Answer(POWER, "power_40_per_arm = sm_power.TTestIndPower().power(effect_size=0.20, nobs1=40, alpha=0.05)",
           "correct", kind="alternative"),
    Answer(POWER, "from statsmodels.stats.power import NormalIndPower\n"  # the learner's own import
           "power_40_per_arm = NormalIndPower().power(effect_size=0.20, nobs1=40, alpha=0.05)", "correct",
           kind="alternative"),
    Answer(POWER, "power_40_per_arm = 0.145", "correct", kind="rounded"),
    Answer(POWER, "power_40_per_arm = 0.14", "wrong", ("rounded", "3"), kind="rounded"),
    Answer(POWER, "power_40_per_arm = power.study_power(power.variance_d(80, -0.20), -0.20)", "wrong",
           ("square root",), kind="mistake"),
    Answer(POWER, "power_40_per_arm = power.study_power(np.sqrt(power.variance_d(40, -0.20)), -0.20)", "wrong",
           ("40 per arm",), kind="mistake"),
    Answer(POWER, "power_40_per_arm = 14.5", "wrong", ("100 times",), kind="mistake"),
    # the review's median power, printed in section 2, is another quantity
    Answer(POWER, "power_40_per_arm = 0.15", "wrong", ("median power",), kind="shortcut"),
    Answer(POWER, "power_40_per_arm = power.study_power(se=0.2)", "not attempted", kind="crash"),
    Answer(POWER, "power_40_per_arm = '0.145'", "wrong", ("quotes",), kind="wrong type"),
    Answer(POWER, "power_40_per_arm = None", "not attempted", kind="blank"),

    Answer(N, SOLVE, "correct", kind="reference"),
    Answer(N, "n_per_group = sm_power.TTestIndPower().solve_power(effect_size=0.20, power=0.80, alpha=0.05)", "correct",
           kind="alternative"),
    Answer(N, "n_per_group = sm_power.NormalIndPower().solve_power(effect_size=-0.20, power=0.80, alpha=0.05)",
           "correct", kind="alternative"),
    Answer(N, "n_per_group = 394", "correct", kind="rounded"),
    Answer(N, "n_per_group = 395", "correct", kind="rounded"),
    # the hand formula with 1.96 and 0.84 is the normal approximation: accepted
    Answer(N, "n_per_group = 2 * (1.96 + 0.84) ** 2 / 0.20 ** 2", "correct", kind="alternative"),
    Answer(N, SOLVE.replace("2 * n,", "n,"), "wrong", ("total",), kind="mistake"),
    Answer(N, SOLVE.replace("- 0.80", "- 0.50"), "wrong", ("50%",), kind="mistake"),
    Answer(N, "n_per_group = sm_power.TTestIndPower().solve_power(effect_size=0.20, power=0.80, alpha=0.05, "
              "alternative='larger')", "wrong", ("one-sided",), kind="mistake"),
    # the review's 120 per study (for the meta-analysis), printed in section 2
    Answer(N, "n_per_group = 120 / 2", "wrong", ("meta-analysis",), kind="shortcut"),
    Answer(N, SOLVE.replace("10, 5000", "10, 100"), "not attempted", kind="crash"),
    Answer(N, "n_per_group = '395'", "wrong", ("quotes",), kind="wrong type"),
    Answer(N, "n_per_group = None", "not attempted", kind="blank"),

    *choice("10.answer_5", "answer_5", "b", "a", ("rated, not scanned",),
            "the feelings were self-reported ratings, collected apart from the scan; the fMRI result is a second "
            "finding"),
    # what the meta-analysis pooled
    Answer("10.answer_5", "answer_5 = 'c'", "wrong", ("self-report",), kind="mistake"),
    *choice("10.answer_6", "answer_6", "c", "b", ("anecdote",),
            "the individual studies are too small to detect an effect of the size found"),
    # the poppy objection as stated misses the point, though the commenter may have meant it ironically
    Answer("10.answer_6", "answer_6 = 'a'", "wrong", ("endogenous", "ironically"), kind="mistake"),
    *choice("10.answer_outgroup", "answer_outgroup", "b", "a", ("new acquaintances, not an outgroup",),
            "unchecked: no source is given, and none of the course's sources measured feelings towards outgroups"),
    Answer("10.answer_outgroup", "answer_outgroup = 'c'", "wrong", ("either direction",), kind="mistake"),
]

# The slips of the checklist (per arm vs in all, statsmodels' nobs1, the hand formula's factor 2 and signs)
ANSWERS += [
    Answer(POWER, "power_40_per_arm = power.study_power(np.sqrt(power.variance_d(160, -0.20)), -0.20)", "wrong",
           ("40 per arm",), kind="mistake"),
    Answer(POWER, "power_40_per_arm = sm_power.TTestIndPower().power(effect_size=0.20, nobs1=80, alpha=0.05)", "wrong",
           ("one* group",), kind="mistake"),
    Answer(POWER, "power_40_per_arm = sm_power.NormalIndPower().power(effect_size=-0.20, nobs1=80, alpha=0.05)",
           "wrong", ("nobs1",), kind="mistake"),
    # the SE without its g² term differs in the 4th decimal: within the stated 3 decimals
    Answer(POWER, "power_40_per_arm = power.study_power(np.sqrt(1 / 40 + 1 / 40), -0.20)", "correct",
           kind="alternative"),

    Answer(N, "from scipy import stats\n"
              "n_per_group = (stats.norm.ppf(0.975) + stats.norm.ppf(0.80)) ** 2 / 0.20 ** 2", "wrong", ("factor 2",),
           kind="mistake"),
    Answer(N, "from scipy import stats\n"
              "n_per_group = 2 * (stats.norm.ppf(0.975) - stats.norm.ppf(0.80)) ** 2 / 0.20 ** 2", "wrong",
           ("quantiles add",), kind="mistake"),
    Answer(N, "n_per_group = next(n for n in range(2, 2000)\n"
              "                   if power.study_power(np.sqrt(power.variance_d(2 * n, -0.20)), -0.20) >= 0.80)",
           "correct", kind="alternative"),
]
