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
    """Inverse-variance estimate and SE (Borenstein et al. 2009, ch. 11), and the variants learners write.

    ``se="same_w"``: the SE from the same (wrong) weights, sqrt(1 / Σw); ``se="sd_of_effects"``: SD(yi) / √k
    (``"sd_of_effects_n"``: the SD with n, numpy's default, in place of n - 1).
    """
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    w = {"1/v": 1 / vi, "1/se": 1 / np.sqrt(vi), "equal": np.ones_like(vi), "v": vi, "1/v2": 1 / vi**2}[weight]
    sum_w = np.sum(1 / vi)
    return np.sum(w * yi) / np.sum(w), {"sqrt": np.sqrt(1 / sum_w), "nosqrt": 1 / sum_w,
                                        "same_w": np.sqrt(1 / np.sum(w)),
                                        "sd_of_effects": np.std(yi, ddof=1) / np.sqrt(len(yi)),
                                        "sd_of_effects_n": np.std(yi) / np.sqrt(len(yi))}[se]


def _fe_reference(yi, vi):
    result = meta.random_effects(yi, vi, method="FE")
    return result.estimate, result.se


def _dl(yi, vi, df_offset=1, c="right", truncate=True, centre="weighted", q_weights=True, root=False):
    """DerSimonian & Laird (1986) τ², and the variants learners write (Q around the plain mean or without its
    weights; τ instead of τ²)."""
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    w = 1 / vi
    mean = np.sum(w * yi) / np.sum(w) if centre == "weighted" else np.mean(yi)
    q = np.sum((w if q_weights else 1.0) * (yi - mean) ** 2)
    c_value = {"right": np.sum(w) - np.sum(w**2) / np.sum(w), "sum_w": np.sum(w)}[c]
    tau2 = (q - (len(yi) - df_offset)) / c_value
    tau2 = max(0.0, tau2) if truncate else tau2
    return np.sqrt(tau2) if root else tau2


_DL = meta.random_effects(_YI, _VI, method="DL")
_FE = meta.random_effects(_YI, _VI, method="FE")
_REML = meta.random_effects(_YI, _VI, method="REML")
_PM = meta.random_effects(_YI, _VI, method="PM")
_Q, _DF = 28.47, 16
_T6, _T7 = stats.t.ppf(0.975, len(_YI) - 2), stats.t.ppf(0.975, len(_YI) - 1)
_SPREAD = np.sqrt(_DL.se**2 + _DL.tau2)  # of a prediction: sqrt(SE² + τ²)


def _interval(fit, quantile, spread):
    return fit.estimate - quantile * spread, fit.estimate + quantile * spread


EXERCISES = [
    FunctionExercise(
        id="06.fixed_effect", target="fixed_effect", title="Exercise 1: the fixed-effect estimate",
        reference=_fe_reference,
        # Lists and arrays, two studies to twelve, equal effects, the eight studies of Table 1.
        cases=[([0.2, 0.5], [0.04, 0.01]), (list(_YI), list(_VI)),
               (np.array([1.0, 1.0, 1.0]), np.array([0.1, 0.2, 0.3]))],
        hidden_cases=[([-0.3, 0.1, 0.4, -1.2], [0.02, 0.05, 0.1, 0.5]),
                      (np.linspace(-1, 1, 12), np.linspace(0.01, 0.3, 12))],
        parts=("estimate", "se"),
        mistakes=[
            Mistake("unweighted", "The estimate is an unweighted mean: weight each study by 1 / vi.",
                    function=lambda y, v: _fe(y, v, weight="equal")),
            Mistake("weights_1_over_se", "You weighted by 1 / SE; inverse-*variance* weights are 1 / SE² = 1 / vi.",
                    function=lambda y, v: _fe(y, v, weight="1/se")),
            Mistake("weights_variance", "You weighted each study by its variance vi: the weight is the *inverse* of "
                                        "the variance, w = 1 / vi, so that precise studies count more.",
                    function=lambda y, v: _fe(y, v, weight="v", se="same_w")),
            Mistake("weights_1_over_v_squared", "You squared the variance: vi is already SE², so the weight is "
                                                "1 / vi, not 1 / vi².",
                    function=lambda y, v: _fe(y, v, weight="1/v2", se="same_w")),
            Mistake("unweighted_sd", "That is the plain mean of the effects with the SD of the effects / √k: both "
                                     "ignore how precise each study is. Weight by w = 1 / vi and take "
                                     "SE = sqrt(1 / Σw).",
                    function=lambda y, v: _fe(y, v, weight="equal", se="sd_of_effects")),
            Mistake("unweighted_sd_n", "That is the plain mean of the effects with the SD of the effects / √k (and "
                                       "np.std divides by k, not k − 1): both ignore how precise each study is. Weight "
                                       "by w = 1 / vi and take SE = sqrt(1 / Σw).",
                    function=lambda y, v: _fe(y, v, weight="equal", se="sd_of_effects_n")),
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
            Mistake("tau_not_tau2", "That is τ, the standard deviation of the true effects: the exercise asks for "
                                    "the variance τ² (no square root).", function=lambda y, v: _dl(y, v, root=True)),
            Mistake("q_plain_mean", "Q measures the deviations from the *weighted* (fixed-effect) estimate "
                                    "Σw·y / Σw, not from the plain mean of the effects.",
                    function=lambda y, v: _dl(y, v, centre="plain")),
            Mistake("q_unweighted", "Each squared deviation in Q is weighted by w = 1 / vi: "
                                    "Q = Σ w (y − estimate)².", function=lambda y, v: _dl(y, v, q_weights=False)),
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
            Mistake("df_over_q", "That is df / Q = 1 − I²: I² = (Q − df) / Q, the share of Q beyond its "
                                 "degrees of freedom.", value=100 * _DF / _Q),
            Mistake("eight_studies_q", "That is I² from our 8 studies' Q (fe.q = 14.92 on 7 df): the question asks "
                                       "for the paper's Q(16) = 28.47 on its 17 outcomes.",
                    value=100 * (_FE.q - _FE.q_df) / _FE.q),
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
            Mistake("se_not_variance", "You added the SE where its square belongs: sqrt(SE² + τ²), with SE² "
                                       "(dl.se**2), not sqrt(SE + τ²).",
                    value=_interval(_DL, 1.96, np.sqrt(_DL.se + _DL.tau2))),
            Mistake("tau_not_tau2", "You added τ where τ² belongs: sqrt(SE² + τ²) adds two variances (dl.tau2).",
                    value=_interval(_DL, 1.96, np.sqrt(_DL.se**2 + _DL.tau))),
            Mistake("pm_fit", "That is the prediction interval of the Paule-Mandel fit; the question asks for the "
                              "DerSimonian-Laird fit, fits[\"DL\"].", value=(_PM.pi_low, _PM.pi_high)),
            Mistake("one_sided_quantile", "1.645 (stats.norm.ppf(0.95)) leaves all 5% in one tail: a two-sided 95% "
                                          "interval takes stats.norm.ppf(0.975) = 1.96.",
                    value=_interval(_DL, stats.norm.ppf(0.95), _SPREAD)),
            Mistake("t_k_minus_1", "A t quantile is accepted, but on k − 2 = 6 degrees of freedom (one for the "
                                   "average, one for τ²), not k − 1 = 7.", value=_interval(_DL, _T7, _SPREAD)),
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
            # stats.t.ppf(0.95, 6) = 1.94 gives an interval within 0.005 of the z form's: one hint for both
            Mistake("z_quantile", "That is the z form of exercise 4 (1.96), or the one-sided quantile "
                                  "stats.t.ppf(0.95, 6), which gives almost the same interval: the t form takes the "
                                  "two-sided 95% t quantile on k - 2 degrees of freedom, "
                                  "stats.t.ppf(0.975, len(yi) - 2).",
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
            Mistake("pm_fit", "That is the t(k - 2) interval of the Paule-Mandel fit; the question asks for the "
                              "DerSimonian-Laird fit, fits[\"DL\"].", value=meta.prediction_interval(_PM)),
            Mistake("df_k", "You used k = 8 degrees of freedom; the prediction interval uses k - 2 = 6 (one for "
                            "the average, one for τ²).",
                    value=_interval(_DL, stats.t.ppf(0.975, len(_YI)), _SPREAD)),
            Mistake("sd_sum", "Add the variances, not the standard deviations: sqrt(SE² + τ²), not SE + τ.",
                    value=_interval(_DL, _T6, _DL.se + _DL.tau)),
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
