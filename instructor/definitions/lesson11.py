"""Exercises of lesson 11 (Capstone). Points as in the assignment's table: 4, 1, 3, 3, 3, 2, and 2 + 2 written."""
from functools import lru_cache

import numpy as np

from instructor.definitions import (Alternative, ChoiceExercise, Forbidden, FunctionExercise, Mistake,
                                    ValueExercise, Written)
from instructor.definitions.lesson05 import _hedges  # Hedges' g and the slips of lesson 05's exercise 2
from instructor.definitions.lesson09 import LEAVE_ONE_OUT_SLIPS, loo_estimates  # as lesson 09's
from utils import bias, data, effects, meta

# HYPOTHETICAL study H of the assignment (invented numbers): naltrexone first, placebo second.
STUDY_H = (5.02, 1.21, 100, 5.09, 1.17, 100)


# --------------------------------------------------------------------------
# Part 1: smd_g, the reference and the mistakes it names
# --------------------------------------------------------------------------
def _pooled(sd1, n1, sd2, n2):
    return np.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))


def _no_correction(m1, sd1, n1, m2, sd2, n2):
    d = (m1 - m2) / _pooled(sd1, n1, sd2, n2)
    return d, 1 / n1 + 1 / n2 + d ** 2 / (2 * (n1 + n2))


def _approximate_j(m1, sd1, n1, m2, sd2, n2):
    d, _ = _no_correction(m1, sd1, n1, m2, sd2, n2)
    g = (1 - 3 / (4 * (n1 + n2 - 2) - 1)) * d
    return g, 1 / n1 + 1 / n2 + g ** 2 / (2 * (n1 + n2))


def _variance_with_d(m1, sd1, n1, m2, sd2, n2):
    g, _ = effects.hedges_g(m1, sd1, n1, m2, sd2, n2)
    return g, _no_correction(m1, sd1, n1, m2, sd2, n2)[1]


def _variance_without_g_term(m1, sd1, n1, m2, sd2, n2):
    g, _ = effects.hedges_g(m1, sd1, n1, m2, sd2, n2)
    return g, 1 / n1 + 1 / n2


def _average_sd(m1, sd1, n1, m2, sd2, n2):
    sd = np.sqrt((sd1 ** 2 + sd2 ** 2) / 2)
    return effects.hedges_g(m1, sd, n1, m2, sd, n2)


def _n_weights(m1, sd1, n1, m2, sd2, n2):
    sp = np.sqrt((n1 * sd1 ** 2 + n2 * sd2 ** 2) / (n1 + n2))
    return effects.hedges_g(m1, sp, n1, m2, sp, n2)


def _pooled_over_n(m1, sd1, n1, m2, sd2, n2):
    """s_p with (n1 - 1) and (n2 - 1) weights but divided by n1 + n2 instead of n1 + n2 - 2."""
    sp = np.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2))
    return effects.hedges_g(m1, sp, n1, m2, sp, n2)


def _variance_df(m1, sd1, n1, m2, sd2, n2):
    """The last term of v over 2 df = 2 (n1 + n2 - 2) instead of 2 (n1 + n2)."""
    g, _ = effects.hedges_g(m1, sd1, n1, m2, sd2, n2)
    return g, 1 / n1 + 1 / n2 + g ** 2 / (2 * (n1 + n2 - 2))


def _standard_error(m1, sd1, n1, m2, sd2, n2):
    g, v = effects.hedges_g(m1, sd1, n1, m2, sd2, n2)
    return g, np.sqrt(v)


def _swapped(m1, sd1, n1, m2, sd2, n2):
    g, v = effects.hedges_g(m1, sd1, n1, m2, sd2, n2)
    return -g, v


def _j_on_n(m1, sd1, n1, m2, sd2, n2):
    """J computed with df = n1 + n2 instead of n1 + n2 - 2."""
    from scipy import special
    d, _ = _no_correction(m1, sd1, n1, m2, sd2, n2)
    df = n1 + n2
    g = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2)) * d
    return g, 1 / n1 + 1 / n2 + g ** 2 / (2 * (n1 + n2))


# --------------------------------------------------------------------------
# Parts 2-5: the nine studies
# --------------------------------------------------------------------------
@lru_cache(maxsize=None)
def nine_studies():
    """(yi, vi) of the 8 real studies of Table 1 plus the hypothetical study H."""
    real = data.table1_effects()
    g, v = effects.hedges_g(*STUDY_H)
    return np.r_[real["yi"].to_numpy(), g], np.r_[real["vi"].to_numpy(), v]


def _summary(result):
    return (result.estimate, result.ci_low, result.ci_high)


def _bias_summary(yi, vi):
    fill = bias.trim_and_fill(yi, vi)
    return (bias.egger(yi, vi).p, fill.k0, fill.estimate)


_YI9, _VI9 = nine_studies()
_YI8, _VI8 = _YI9[:8], _VI9[:8]
_G_H, _V_H = (float(x) for x in effects.hedges_g(*STUDY_H))
_RNG = np.random.default_rng(2024)
_HIDDEN_7 = (_RNG.normal(-0.2, 0.3, 7), _RNG.uniform(0.01, 0.2, 7))
_HIDDEN_12 = (_RNG.normal(0.3, 0.5, 12), _RNG.uniform(0.02, 0.5, 12))
_UTILS_EFFECTS = ("effects", "hedges_g", "cohens_d", "correction_factor", "pooled_sd", "g_from_d", "g_from_t",
                  "_c", "_pooled_sd", "_smd_variance")

EXERCISES = [
    FunctionExercise(
        id="11.smd_g", target="smd_g", title="Part 1: smd_g",
        reference=effects.hedges_g,
        # Study H, a small study, a large one (700 per arm: Γ overflows, gammaln does not), tiny groups, a
        # positive g: the hidden cases are of the same kinds.
        cases=[STUDY_H, (3.1, 0.9, 12, 3.8, 1.1, 10), (4.4, 1.0, 700, 4.6, 0.9, 700), (6.1, 1.4, 3, 5.2, 1.3, 2)],
        hidden_cases=[(4.0, 1.0, 4, 5.0, 1.2, 5), (2.5, 0.5, 30, 2.2, 0.7, 25), (4.4, 1.0, 700, 4.6, 0.9, 650),
                      (3.0, 2.0, 3, 3.0, 1.0, 3), (1.7, 0.4, 2, 2.9, 0.6, 2), (6.1, 1.4, 8, 5.2, 1.3, 9),
                      (5.5, 1.3, 400, 5.1, 1.2, 380)],
        mistakes=[
            Mistake("swapped", "The sign is flipped: subtract placebo (group 2) from naltrexone (group 1), so that "
                               "lower connection after naltrexone gives a negative g.", function=_swapped),
            Mistake("no_correction", "The small-sample correction J is missing: that is Cohen's d, not Hedges' g.",
                    function=_no_correction),
            Mistake("approximate_j", "You used the approximation J = 1 - 3/(4 df - 1). Use the exact J with "
                                     "gammaln, as the formula shows.", function=_approximate_j),
            Mistake("j_on_n", "J uses df = n1 + n2 - 2, not n1 + n2.", function=_j_on_n),
            Mistake("variance_with_d", "g is right, but the variance uses d instead of g in its last term.",
                    function=_variance_with_d),
            Mistake("variance_without_g_term", "g is right, but the variance lacks its last term, "
                                               "g^2 / (2 (n1 + n2)).", function=_variance_without_g_term),
            Mistake("average_sd", "The pooled SD is not the plain average of the two variances: weight each by "
                                  "n - 1.", function=_average_sd),
            Mistake("n_weights", "Weight each variance by n - 1 (and divide by n1 + n2 - 2), not by n.",
                    function=_n_weights),
            Mistake("pooled_variance", "You divided by the pooled *variance*: s_p is its square root, "
                                       "sqrt(((n1 - 1) sd1² + (n2 - 1) sd2²) / (n1 + n2 - 2)).",
                    function=lambda *a: _hedges(*a, sd="variance")),
            Mistake("pooled_over_n", "The pooled variance is divided by its degrees of freedom, n1 + n2 - 2, not "
                                     "by n1 + n2.", function=_pooled_over_n),
            Mistake("variance_df", "g is right, but the last term of the variance is g² / (2 (n1 + n2)), as in the "
                                   "formula (metafor's escalc), not g² / (2 (n1 + n2 - 2)).", function=_variance_df),
            Mistake("standard_error", "g is right, but the second number is the standard error √v: return the "
                                      "variance v itself.", function=_standard_error),
        ],
        forbidden=[Forbidden(names=_UTILS_EFFECTS,
                             hint="Part 1 asks you to write the formulas yourself, without utils.effects "
                                  "(effects.hedges_g gives the answer you are asked to build). Use numpy and "
                                  "scipy.special.gammaln.")],
        rtol=1e-6, atol=1e-9, points=4.0,
    ),
    ValueExercise(
        id="11.hypo_effect", target="hypo_effect", title="Part 2: the hypothetical study's g and variance",
        expected=(_G_H, _V_H), decimals=4, parts=("g", "v"), points=1.0,
        mistakes=[
            Mistake("cohens_d", "That is Cohen's d and its variance: apply the correction J.",
                    value=_no_correction(*STUDY_H)),
            Mistake("standard_error", "The variance is the square of the standard error, not the standard error.",
                    value=(_G_H, np.sqrt(_V_H))),
            Mistake("review_estimate", "-0.20 is the review's pooled estimate, not study H's g: compute H's own "
                                       "effect from its means, SDs and sizes.", value=(-0.20, _V_H)),
            Mistake("pooled_variance", "g is divided by the pooled *variance*: s_p is its square root (see the "
                                       "hint of Part 1).", value=_hedges(*STUDY_H, sd="variance")),
        ],
    ),
    ValueExercise(
        id="11.pooled_9", target="pooled_9", title="Part 3: the pooled estimate with 9 studies",
        expected=_summary(meta.random_effects(_YI9, _VI9, method="REML")), decimals=3,
        parts=("estimate", "ci_low", "ci_high"), points=3.0,
        alternatives=[
            Alternative("knapp_hartung", "with the Knapp-Hartung CI of lesson 06, a defensible choice that is wider "
                                         "and here includes zero; the later parts use the default z-based CI",
                        value=_summary(meta.random_effects(_YI9, _VI9, test="knha"))),
        ],
        mistakes=[
            Mistake("eight_studies", "Those are the 8 real studies only: add the hypothetical study (yi9, vi9).",
                    value=_summary(meta.random_effects(_YI8, _VI8))),
            Mistake("fixed_effect", "That is the fixed-effect model; the assignment asks for random effects (REML).",
                    value=_summary(meta.random_effects(_YI9, _VI9, method="FE"))),
            Mistake("dersimonian_laird", "That is the DerSimonian-Laird estimator of tau^2; use REML.",
                    value=_summary(meta.random_effects(_YI9, _VI9, method="DL"))),
            Mistake("review_values", "Those are the review's published values for the 8 studies; fit the model to "
                                     "the nine effects.", value=(-0.20, -0.32, -0.07)),
            Mistake("ci_low_first", "Right numbers, wrong order: store (estimate, ci_low, ci_high), the estimate "
                                    "first.",
                    value=tuple(np.array(_summary(meta.random_effects(_YI9, _VI9)))[[1, 0, 2]])),
            Mistake("se_as_variance", "meta.random_effects takes the sampling *variances* vi9, not their square "
                                      "roots (the standard errors).",
                    value=_summary(meta.random_effects(_YI9, np.sqrt(_VI9)))),
        ],
    ),
    ValueExercise(
        id="11.bias_9", target="bias_9", title="Part 4: Egger and trim-and-fill with 9 studies",
        expected=_bias_summary(_YI9, _VI9), decimals=3, parts=("Egger p", "k0", "trim-and-fill estimate"),
        points=3.0,
        mistakes=[
            Mistake("eight_studies", "Those are the values for the 8 real studies: use yi9, vi9.",
                    value=_bias_summary(_YI8, _VI8)),
            Mistake("review_values", "Those are the review's published values (outcome-level Egger test); recompute "
                                     "them on the 9 study-level effects.", value=(0.02, 0, -0.20)),
            Mistake("se_as_variance", "bias.egger and bias.trim_and_fill take the sampling *variances* vi9, not "
                                      "their square roots (the standard errors).",
                    value=_bias_summary(_YI9, np.sqrt(_VI9))),
        ],
    ),
    FunctionExercise(
        id="11.leave_one_out", target="leave_one_out", title="Part 5: leave_one_out",
        reference=loo_estimates,
        # Arrays and lists, 9, 5 and 3 studies: the hidden cases are of the same kinds.
        cases=[(_YI9, _VI9), ([-0.3, 0.1, -0.5, 0.0, -0.2], [0.04, 0.09, 0.02, 0.05, 0.03]),
               ([0.2, -0.1, 0.4], [0.01, 0.02, 0.03])],
        hidden_cases=[_HIDDEN_7, _HIDDEN_12, (_YI9[:4], _VI9[:4]), ([0.5, 0.1, -0.2], [0.1, 0.05, 0.02])],
        mistakes=[
            Mistake("fixed_effect", "That is the fixed-effect model; use meta.random_effects with REML.",
                    function=lambda yi, vi: loo_estimates(yi, vi, "FE")),
            Mistake("dersimonian_laird", "That is the DerSimonian-Laird estimator; use REML (the default).",
                    function=lambda yi, vi: loo_estimates(yi, vi, "DL")),
            Mistake("change", "Return the estimates without each study, not how much each one moves the estimate.",
                    function=lambda yi, vi: meta.random_effects(yi, vi).estimate - loo_estimates(yi, vi)),
            Mistake("own_effect", "Element i should be the estimate *without* study i, not study i's own effect.",
                    function=lambda yi, vi: np.asarray(yi, dtype=float)),
            *LEAVE_ONE_OUT_SLIPS,
        ],
        rtol=1e-4, atol=1e-6, points=3.0,
    ),
    ChoiceExercise(
        id="11.answer_6", target="answer_6", title="Part 6: the most influential study", points=2.0,
        options={"a": "Charles et al. Study 1, the 9-person yoga study with g = -2.50",
                 "b": "Inagaki et al. [20, 59], the crossover studies with g = -0.34",
                 "c": "the hypothetical study H, the newest and one of the most precise",
                 "d": "Tchalova & MacDonald, the largest real study (159 people)"},
        answer="b",
        explanations={
            "a": "Its g is extreme, but its variance is so large that it carries little weight; removing it changes "
                 "the estimate by about 0.01. Extreme is not the same as influential.",
            "b": "Right. A crossover's precision is high for its size, and its g is well below the pooled estimate: "
                 "it combines a large weight with a large distance from the mean. Without it the 9-study CI "
                 "includes zero.",
            "c": "Precise is not enough to be influential: removing the hypothetical study H brings you back to the 8 "
                 "real studies (-0.20), a move of about 0.02, not the largest.",
            "d": "Its g (-0.18) is close to the pooled estimate, so removing it moves the estimate very little."},
    ),
    Written(
        id="11.written-1", title="Part 7: a results paragraph",
        rubric={2: "Gives the updated estimate and 95% CI correctly and compares it with the eight-study result; "
                   "mentions heterogeneity, both bias checks and the leave-one-out range or the most influential "
                   "study; states that H is hypothetical.",
                1: "The estimate and CI are right but two or more of the other elements are missing or wrong, or H "
                   "is presented as a real study.",
                0: "No correct estimate, or numbers without interpretation."},
    ),
    Written(
        id="11.written-2", title="Part 8: a short critique",
        rubric={2: "A justified overall judgement that uses at least two GRADE domains correctly (imprecision "
                   "addressed at most in part by one study; indirectness unchanged because the drug is the same), "
                   "notes at least one limit of generalisability, and names one unsupported popular claim with a "
                   "reason tied to the evidence.",
                1: "A reasonable judgement but only one domain used correctly, or the unsupported claim is missing "
                   "or not argued.",
                0: "Restates the numbers without judging them, or claims the study settles the question."},
    ),
]
