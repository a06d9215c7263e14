"""Exercises of lesson 06 (Pooling)."""
import numpy as np
from scipy import stats

from instructor.definitions import (Alternative, ChoiceExercise, Forbidden, FunctionExercise, Mistake,
                                    ValueExercise, Written)
from utils import data, meta

_STUDIES = data.table1_effects()
_YI, _VI = _STUDIES["yi"].to_numpy(), _STUDIES["vi"].to_numpy()
_SHORTCUT = Forbidden(names=("random_effects", "three_level", "regression"),
                      hint="meta.random_effects computes this for you; the exercise asks you to write the formula "
                           "yourself with numpy.")


def _fe(yi, vi, weight="1/v", se="sqrt"):
    """Inverse-variance estimate and SE (Borenstein et al. 2009, ch. 11), and the variants learners write."""
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    w = {"1/v": 1 / vi, "1/se": 1 / np.sqrt(vi), "equal": np.ones_like(vi)}[weight]
    sum_w = np.sum(1 / vi)
    return np.sum(w * yi) / np.sum(w), {"sqrt": np.sqrt(1 / sum_w), "nosqrt": 1 / sum_w}[se]


def _fe_reference(yi, vi):
    result = meta.random_effects(yi, vi, method="FE")
    return result.estimate, result.se


def _dl(yi, vi, df_offset=1, c="right", truncate=True):
    """DerSimonian & Laird (1986) τ², and the variants learners write."""
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    w = 1 / vi
    q = np.sum(w * (yi - np.sum(w * yi) / np.sum(w)) ** 2)
    c_value = {"right": np.sum(w) - np.sum(w**2) / np.sum(w), "sum_w": np.sum(w)}[c]
    tau2 = (q - (len(yi) - df_offset)) / c_value
    return max(0.0, tau2) if truncate else tau2


_DL = meta.random_effects(_YI, _VI, method="DL")
_REML = meta.random_effects(_YI, _VI, method="REML")
_Q, _DF = 28.47, 16


def _interval(fit, quantile, spread):
    return fit.estimate - quantile * spread, fit.estimate + quantile * spread


EXERCISES = [
    FunctionExercise(
        id="06.fixed_effect", target="fixed_effect", title="Exercise 1: the fixed-effect estimate",
        reference=_fe_reference,
        # Lists and arrays, two studies to twelve, equal effects, the eight studies of Table 1.
        cases=[([0.2, 0.5], [0.04, 0.01]), (list(_YI), list(_VI)), (np.array([1.0, 1.0, 1.0]), np.array([0.1, 0.2, 0.3]))],
        hidden_cases=[([-0.3, 0.1, 0.4, -1.2], [0.02, 0.05, 0.1, 0.5]),
                      (np.linspace(-1, 1, 12), np.linspace(0.01, 0.3, 12))],
        parts=("estimate", "se"),
        mistakes=[
            Mistake("unweighted", "The estimate is an unweighted mean: weight each study by 1 / vi.",
                    function=lambda y, v: _fe(y, v, weight="equal")),
            Mistake("weights_1_over_se", "You weighted by 1 / SE; inverse-*variance* weights are 1 / SE² = 1 / vi.",
                    function=lambda y, v: _fe(y, v, weight="1/se")),
        ],
        forbidden=[_SHORTCUT],
        rtol=1e-6,
    ),
    FunctionExercise(
        id="06.dl_tau2", target="dl_tau2", title="Exercise 2: the DerSimonian-Laird τ²",
        reference=lambda yi, vi: meta.random_effects(yi, vi, method="DL").tau2,
        # Q above and below k - 1 (τ² = 0), lists and arrays, three to eight studies.
        cases=[(list(_YI), list(_VI)), ([0.1, 0.5, -0.2, 0.8], [0.02, 0.03, 0.05, 0.04]),
               (np.array([0.1, 0.12, 0.09]), np.array([0.05, 0.04, 0.06]))],
        hidden_cases=[([-0.3, 0.1, 0.4, -1.2, 0.0], [0.02, 0.05, 0.1, 0.5, 0.03]),
                      (np.array([0.2, 0.21, 0.19, 0.2]), np.array([0.1, 0.1, 0.2, 0.05])),
                      (np.linspace(-1, 1, 10), np.linspace(0.05, 0.2, 10))],
        quantity="variance",
        mistakes=[
            Mistake("not_truncated", "A negative estimate must be set to 0: τ² is a variance (use max(0, ...)).",
                    function=lambda y, v: _dl(y, v, truncate=False)),
            Mistake("df_k", "Q's expectation is k - 1 (its degrees of freedom), not k.",
                    function=lambda y, v: _dl(y, v, df_offset=0)),
            Mistake("c_sum_w", "The denominator C is Σw - Σw²/Σw, not Σw.",
                    function=lambda y, v: _dl(y, v, c="sum_w")),
        ],
        forbidden=[_SHORTCUT],
        rtol=1e-6,
    ),
    ValueExercise(
        id="06.i2_from_q", target="i2_from_q", title="Exercise 3: I² from Q",
        # To the nearest whole percent: 44 (the lesson's "about 44%") and 43.8 are both right.
        expected=100 * (_Q - _DF) / _Q, decimals=0, unit="%", quantity="percentage",
        mistakes=[
            Mistake("divided_by_df", "Divide Q - df by Q, not by the degrees of freedom.",
                    value=100 * (_Q - _DF) / _DF),
            Mistake("k_not_df", "The degrees of freedom are k - 1 = 16, already given in Q(16).",
                    value=100 * (_Q - 17) / _Q),
            Mistake("published_23", "23% is the paper's I² from its estimated variance components; the question "
                                    "asks for I² computed from Q with the formula above.", value=23),
        ],
    ),
    ValueExercise(
        id="06.pi_dl", target="pi_dl", title="Exercise 4: a prediction interval",
        expected=(_DL.pi_low, _DL.pi_high), decimals=2, parts=("low", "high"),
        alternatives=[Alternative(
            "t_k_minus_2", "with a t quantile on k - 2 = 6 degrees of freedom instead of 1.96: Higgins, Thompson & "
                           "Spiegelhalter (2009), cited above, recommend it for few studies",
            value=_interval(_DL, stats.t.ppf(0.975, len(_YI) - 2), np.sqrt(_DL.se**2 + _DL.tau2)))],
        mistakes=[
            Mistake("confidence_interval", "That is the confidence interval of the average (estimate ± 1.96 SE): "
                                           "the prediction interval adds τ² to SE² under the square root.",
                    value=(_DL.ci_low, _DL.ci_high)),
            Mistake("tau_only", "You used only τ: the prediction interval also carries the uncertainty of the "
                                "average, sqrt(SE² + τ²).", value=_interval(_DL, 1.96, _DL.tau)),
            Mistake("sd_sum", "Add the variances, not the standard deviations: sqrt(SE² + τ²), not SE + τ.",
                    value=_interval(_DL, 1.96, _DL.se + _DL.tau)),
            Mistake("reml_fit", "That is the prediction interval of the REML fit; the question asks for the "
                                "DerSimonian-Laird fit, fits[\"DL\"].", value=(_REML.pi_low, _REML.pi_high)),
        ],
    ),
    ChoiceExercise(
        id="06.answer_5", target="answer_5", title="Exercise 5: reading the models",
        options={"a": "FE, REML and DL give nearly the same estimate, so the estimator does not change the conclusion",
                 "b": "a random-effects estimate is closer to zero than the fixed-effect one whenever τ² > 0",
                 "c": "REML's I² (0.67%) and DL's (53%) cannot both be right; DL's, straight from Q, is correct",
                 "d": "τ² is imprecise with 8 studies; whether the CI excludes 0 depends on the estimator"},
        answer="d",
        explanations={
            "a": "Similar point estimates are not the same conclusion: in the table of section 4 the 95% intervals "
                 "of FE and REML exclude 0 while those of DL and PM include it.",
            "b": "Not in general: PM's estimate (-0.26) is further from zero than FE's (-0.20). A larger τ² evens out "
                 "the weights (section 4), so the extreme small Charles et al. studies get more say, and here they "
                 "pull away from zero.",
            "c": "Both are computed correctly: each estimator's τ² gives its own I², and eight studies cannot pin "
                 "τ² down. Q tests whether the studies scatter beyond chance; I² sizes the spread (section 4, 'Why "
                 "one Q gives an I² of 0.67%, 53% or 87%').",
            "d": "Yes. Table of section 4: FE and REML exclude 0, DL and PM do not; without Charles et al. Study 1 "
                 "all four exclude 0 (try it in the explorer)."},
    ),
    ValueExercise(
        id="06.pi_t", target="pi_t", title="Exercise 6: the t(k − 2) prediction interval",
        expected=meta.prediction_interval(_DL, form="t(k-2)"), decimals=2, parts=("low", "high"),
        alternatives=[Alternative(
            "scipy_interval", "stats.t.interval(0.95, k - 2, loc=estimate, scale=sqrt(SE² + τ²)) is the same interval",
            value=stats.t.interval(0.95, len(_YI) - 2, loc=_DL.estimate, scale=np.sqrt(_DL.se**2 + _DL.tau2)))],
        mistakes=[
            Mistake("z_quantile", "That is the z form of exercise 4 (1.96): the t form takes the t quantile on "
                                  "k - 2 degrees of freedom, stats.t.ppf(0.975, len(yi) - 2).",
                    value=(_DL.pi_low, _DL.pi_high)),
            Mistake("df_k_minus_1", "You used k - 1 = 7 degrees of freedom; the prediction interval uses k - 2 = 6 "
                                    "(one for the average, one for τ²).",
                    value=_interval(_DL, stats.t.ppf(0.975, len(_YI) - 1), np.sqrt(_DL.se**2 + _DL.tau2))),
            Mistake("no_tau2", "τ² is missing: that is a t interval for the average, not for a new study; add τ² to "
                               "SE² under the square root.",
                    value=_interval(_DL, stats.t.ppf(0.975, len(_YI) - 2), _DL.se)),
            Mistake("se_not_variance", "You added the SE where its square belongs: sqrt(SE² + τ²), with SE² "
                                       "(the variance of the average), not sqrt(SE + τ²).",
                    value=_interval(_DL, stats.t.ppf(0.975, len(_YI) - 2), np.sqrt(_DL.se + _DL.tau2))),
            Mistake("tau_not_tau2", "You added τ where τ² belongs: sqrt(SE² + τ²) adds two variances.",
                    value=_interval(_DL, stats.t.ppf(0.975, len(_YI) - 2), np.sqrt(_DL.se**2 + _DL.tau))),
            Mistake("reml_fit", "That is the t(k - 2) interval of the REML fit; the question asks for the "
                                "DerSimonian-Laird fit, fits[\"DL\"].", value=meta.prediction_interval(_REML)),
        ],
    ),
    Written(
        id="06.written-1", title="Reflection: include Charles et al. Study 1?",
        rubric={2: "Argues both sides with reasons from the lesson (for: it met the criteria, excluding extreme "
                   "results invites bias, its weight is already small; against: 9 people, a noisy SD, it drives "
                   "half of Q and decides whether the DL/PM interval excludes zero) AND names a model with a reason "
                   "(e.g. random effects because settings differ, REML, with a prediction interval) AND a "
                   "sensitivity analysis (leave-one-out or results with and without it).",
                1: "Argues only one side, or both sides without choosing a model and an analysis, or chooses "
                   "without reasons from the data.",
                0: "Blank, or a verdict with no argument (e.g. 'remove it, it is an outlier')."},
    ),
]
