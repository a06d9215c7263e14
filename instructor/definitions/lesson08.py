"""Exercises of lesson 08 (Bias and power)."""
import numpy as np
from scipy import stats
from statsmodels.stats.power import TTestIndPower

from instructor.definitions import (Alternative, ChoiceExercise, Forbidden, FunctionExercise, Mistake,
                                    ValueExercise, Written)
from utils import bias, data, meta, power

_P = 2 * stats.norm.sf(2.16 / 0.93)


def _z_power(se, effect, alpha=0.05, tails="both", z_level="two-sided", signed=False):
    """Power of a z test from the SE (Løseth et al. 2024, Table 1 footnote), and the variants learners write
    (``tails="sign_slip"``: the second term as Φ(z − |δ|/SE); ``z_level="lower"``: the lower quantile α/2)."""
    se = np.asarray(se, float)
    shift = (effect if signed else np.abs(effect)) / se
    z_crit = {"two-sided": stats.norm.ppf(1 - alpha / 2), "one-sided": stats.norm.ppf(1 - alpha),
              "1.96": 1.96, "lower": stats.norm.ppf(alpha / 2)}[z_level]
    upper = stats.norm.cdf(shift - z_crit)
    if tails == "sign_slip":
        return upper + stats.norm.cdf(z_crit - shift)
    return upper + stats.norm.cdf(-shift - z_crit) if tails == "both" else upper


def _t_power(se, effect, alpha=0.05):
    """Lessons 03-04's two-sample t-test power (statsmodels), for two equal groups of n = 2 / SE² people."""
    return TTestIndPower().power(effect_size=np.abs(effect), nobs1=2 / np.asarray(se, float) ** 2, alpha=alpha)


def _even(n):
    return int(2 * np.ceil(n / 2))


def _peese(yi, vi, method="REML", moderator="vi", term=0):
    """PEESE: the intercept of the meta-regression of yi on vi (Stanley & Doucouliagos 2014), REML as metafor's
    rma(yi, vi, mods = ~ vi); the variants learners write (PET's SE as moderator, the slope, FE weights)."""
    vi = np.asarray(vi, dtype=float)
    x = {"vi": vi, "sei": np.sqrt(vi)}[moderator]
    return float(meta.regression(yi, vi, {moderator: x}, method=method).coefficients["estimate"].iloc[term])


def _peese_ols(yi, vi, weights=None, term=1):
    """np.polyfit's line of yi on vi; its ``w`` multiplies the residuals, so w = 1/vi weights by 1/vi²."""
    vi = np.asarray(vi, dtype=float)
    w = {None: None, "1/vi": 1 / vi, "1/se": 1 / np.sqrt(vi)}[weights]
    return float(np.polyfit(vi, np.asarray(yi, dtype=float), 1, w=w)[term])


_T1 = data.table1_effects()
_T1_YI, _T1_VI = _T1["yi"].to_numpy(), _T1["vi"].to_numpy()


# 90% power: the 80% answer (140) is printed just above the exercise.
_N = _even(power.n_for_power(-0.20, k=8, i2=0.23, power=0.9))

EXERCISES = [
    ValueExercise(
        id="08.egger_p_paper", target="egger_p_paper", title="Exercise 1: the p value of the paper's Egger test",
        expected=_P, decimals=4, quantity="p",
        alternatives=[Alternative("rounded_z", "from the paper's rounded z = -2.33, which the question also allows",
                                  value=2 * stats.norm.sf(2.33))],
        mistakes=[
            Mistake("one_sided", "That is one-sided: the test asks about asymmetry in either direction, so double "
                                 "the tail probability.", value=_P / 2),
            Mistake("negative_z_upper_tail", "stats.norm.sf(z) with the negative z gives the upper tail, almost 1: "
                                             "use the absolute value of z.", value=2 * stats.norm.sf(-2.16 / 0.93)),
            Mistake("study_level", "That is the p value of our Egger test on the 8 study-level effects (egg.p); the "
                                   "question asks for the paper's test on 17 outcomes, from its B = -2.16 and "
                                   "SE = 0.93.", value=bias.egger(_T1_YI, _T1_VI).p),
            Mistake("b_as_z", "You used B as the z statistic: z = B / SE = -2.16 / 0.93 = -2.32.",
                    value=2 * stats.norm.sf(2.16)),
            Mistake("t_15", "The review's Wald test uses the normal distribution (stats.norm.sf), not a t "
                            "distribution on 15 df.", value=2 * stats.t.sf(2.16 / 0.93, 15)),
            Mistake("t_16", "The review's Wald test uses the normal distribution (stats.norm.sf), not a t "
                            "distribution on 16 df.", value=2 * stats.t.sf(2.16 / 0.93, 16)),
            Mistake("one_minus_p", "That is 1 − p: stats.norm.cdf(|z|) is the probability *below* |z|; the tail "
                                   "beyond it is stats.norm.sf(|z|), doubled for two sides.", value=1 - _P),
        ],
    ),
    ChoiceExercise(
        id="08.answer_2", target="answer_2", title="Exercise 2: reading Egger's slope",
        options={"a": "the small studies gave higher doses, and the slope shows that this is the cause",
                 "b": "less precise studies reported larger decreases; selective publication is one cause",
                 "c": "small null studies are missing from the literature, so publication bias is established",
                 "d": "the limit estimate of +0.17 shows that a very large study would find no effect"},
        answer="b",
        explanations={
            "a": "The test says nothing about why. Doses did differ (50 or 100 mg in the data analysed, Table 1; "
                 "the abstract's 25-100 mg includes 25 mg days of Inagaki et al. that the analysis left out, "
                 "Results: Quality of individual studies), but the test cannot tell a dose effect from any other "
                 "difference between small and large studies.",
            "b": "Yes: Egger's test detects *small-study effects*. Selective publication is one cause; others are "
                 "real differences between small and large studies (setting, population, dose, design: the two "
                 "Charles et al. studies were rituals, a yoga session and an Afro-Brazilian religious ritual) and "
                 "chance.",
            "c": "Asymmetry is consistent with publication bias but does not prove it (section 1, the "
                 "contour-enhanced funnel); with 8 or 17 points the test also has low power and can mislead in both "
                 "directions.",
            "d": "The limit estimate extrapolates to SE = 0 with a very wide CI, [-0.29, 0.62] (section 2): it is "
                 "compatible with no effect and with a decrease larger than -0.20, so it shows neither."},
    ),
    FunctionExercise(
        id="08.study_power_z", target="study_power_z", title="Exercise 3: study_power_z",
        reference=power.study_power,
        # Negative and positive effects, other alphas, tiny and large SEs, arrays of SEs: hidden cases alike.
        cases=[(0.2, -0.2), (0.85, -0.2), (0.1, 0.3), (0.125, -0.2, 0.01), (np.array([0.1, 0.2, 0.4]), -0.2)],
        hidden_cases=[(0.05, 0.5), (0.3, 0.2, 0.1), (np.array([0.13, 0.85, 0.2, 0.5]), -0.5, 0.05)],
        quantity="p",
        alternatives=[Alternative("t_test_power", "the two-sample t-test power of lessons 03-04 (statsmodels' "
                                                  "TTestIndPower) for two equal groups of n = 2 / SE² people: "
                                                  "slightly lower than the z-test power the paper uses, most for "
                                                  "tiny groups", function=_t_power)],
        mistakes=[
            Mistake("sqrt_of_se", "se is already a standard error: divide the effect by se itself, not by its "
                                  "square root (that would treat se as a variance).",
                    function=lambda se, e, a=0.05: _z_power(np.sqrt(np.asarray(se, float)), e, a)),
            Mistake("one_tail", "Close: you have only the first term. The test is two-sided, so add the (small) "
                                "chance of a significant result in the wrong direction, Φ(−|δ|/SE − z).",
                    function=lambda se, e, a=0.05: _z_power(se, e, a, tails="upper")),
            Mistake("one_sided_alpha", "The critical value of a two-sided test at level α is z for 1 − α/2 (1.96 "
                                       "for α = .05), not for 1 − α (1.64).",
                    function=lambda se, e, a=0.05: _z_power(se, e, a, z_level="one-sided")),
            Mistake("signed_effect", "With a negative effect, δ/SE − z is very negative: use the absolute value "
                                     "|δ| and both tails.",
                    function=lambda se, e, a=0.05: _z_power(se, e, a, tails="upper", signed=True)),
            Mistake("fixed_alpha", "You used the critical value of alpha = 0.05 whatever alpha is: it is "
                                   "stats.norm.ppf(1 - alpha / 2), 2.58 for alpha = 0.01.",
                    function=lambda se, e, a=0.05: _z_power(se, e, 0.05)),
            Mistake("typed_1.96", "You typed 1.96: at the stated precision (6 significant figures) the critical "
                                  "value must be exact, stats.norm.ppf(1 - alpha / 2) = 1.959964 for alpha = 0.05 "
                                  "(and 2.58 for alpha = 0.01).",
                    function=lambda se, e, a=0.05: _z_power(se, e, z_level="1.96")),
            Mistake("second_term_sign", "Your two terms always add up to 1: the second term is "
                                        "Φ(−|δ|/SE − z), with a minus sign before both.",
                    function=lambda se, e, a=0.05: _z_power(se, e, a, tails="sign_slip")),
            Mistake("lower_quantile", "stats.norm.ppf(alpha / 2) is the *lower* critical value, −1.96: use the "
                                      "upper one, stats.norm.ppf(1 - alpha / 2) = +1.96.",
                    function=lambda se, e, a=0.05: _z_power(se, e, a, z_level="lower")),
            Mistake("beta", "That is 1 − power (β, the chance of missing the effect): power is the chance of a "
                            "significant result, Φ(|δ|/SE − z) + Φ(−|δ|/SE − z).",
                    function=lambda se, e, a=0.05: 1 - _z_power(se, e, a)),
        ],
        forbidden=[Forbidden(names=("study_power", "power_plot"),
                             hint="power.study_power is the function this exercise asks you to write: use "
                                  "stats.norm.cdf and stats.norm.ppf.")],
        rtol=1e-6,
    ),
    ValueExercise(
        id="08.n_per_study_i2_23", target="n_per_study_i2_23",
        title="Exercise 4: participants per study for 90% power with I² = 23%",
        expected=_N, rtol=0, atol=1e-6, quantity="count",
        mistakes=[
            Mistake("rounded_down", "Round up to an even number: two arms of equal size, and rounding down would "
                                    "leave power just below 90%.", value=_N - 2),
            Mistake("odd", "Round up to an even number (two equal arms).", value=_N - 1),
            Mistake("i2_zero", "That is the answer for I² = 0; the question asks for I² = 0.23.",
                    value=_even(power.n_for_power(-0.20, k=8, i2=0.0, power=0.9))),
            Mistake("fixed_effect", "Is that the fixed-effect answer? Use the default model='random'.",
                    value=_even(power.n_for_power(-0.20, k=8, i2=0.23, power=0.9, model="fixed"))),
            Mistake("power_80", "That is the answer for 80% power (the text above); the question asks for 90%: "
                                "give n_for_power the argument power=0.9.",
                    value=_even(power.n_for_power(-0.20, k=8, i2=0.23))),
            Mistake("paper_120", "120 is the paper's answer for 80% power, which matches I² = 0; the question asks "
                                 "for 90% power with I² = 0.23.", value=120),
            Mistake("per_arm", "That is per arm: n_for_power gives the participants of a whole study (both arms), "
                               "which is what the question asks.", value=_N // 2),
            Mistake("k_17", "k is the number of studies, 8, not the paper's 17 outcomes.",
                    value=_even(power.n_for_power(-0.20, k=17, i2=0.23, power=0.9))),
        ],
    ),
    FunctionExercise(
        id="08.peese_intercept", target="peese_intercept", title="Exercise 5: peese_intercept",
        reference=_peese,
        # Table 1 as arrays and lists, 3 to 6 made-up studies with and without heterogeneity: hidden alike.
        cases=[(_T1_YI, _T1_VI), (list(_T1_YI), list(_T1_VI)), ([0.1, 0.5, -0.2], [0.02, 0.08, 0.05]),
               (np.array([-0.6, -0.1, -0.3, 0.2, -0.9]), np.array([0.09, 0.01, 0.04, 0.02, 0.2]))],
        hidden_cases=[([0.4, 0.1, 0.9, 0.0, 0.3, 1.2], [0.03, 0.01, 0.1, 0.02, 0.05, 0.25]),
                      (np.array([-0.2, -0.5, 0.1, -0.8]), np.array([0.01, 0.06, 0.03, 0.15])),
                      (_T1_YI[1:], _T1_VI[1:])],
        alternatives=[Alternative("weighted_least_squares", "the fixed-effect meta-regression (method='FE'): the "
                                                            "point estimate of Stanley & Doucouliagos' own weighted "
                                                            "least squares PEESE, with weights 1/vi; the course's "
                                                            "helper follows metafor's default REML",
                                  function=lambda yi, vi: _peese(yi, vi, method="FE"))],
        mistakes=[
            Mistake("pet", "That is PET's intercept (the moderator is the SE, √vi): PEESE regresses on the "
                           "variance SE² = vi.", function=lambda yi, vi: _peese(yi, vi, moderator="sei")),
            Mistake("slope", "That is the slope on vi; PEESE's estimate is the intercept, the first coefficient "
                             "(the effect of a study with SE = 0).", function=lambda yi, vi: _peese(yi, vi, term=1)),
            Mistake("unweighted", "np.polyfit fits an unweighted line: meta.regression weights each study by "
                                  "1/(vi + τ²), so precise studies count more.", function=_peese_ols),
            Mistake("polyfit_weights_squared", "np.polyfit squares its weights w: w = 1/vi weights each study by "
                                               "1/vi². Pass w = 1/√vi (= 1/SE) for weights 1/vi, or use "
                                               "meta.regression.",
                    function=lambda yi, vi: _peese_ols(yi, vi, weights="1/vi")),
            Mistake("polyfit_slope", "np.polyfit returns the highest power first: [0] is the slope, [1] (or [-1]) "
                                     "the intercept.",
                    function=lambda yi, vi: _peese_ols(yi, vi, weights="1/se", term=0)),
            Mistake("dersimonian_laird", "That is the meta-regression with the DerSimonian-Laird τ²: use REML, "
                                         "meta.regression's default (as metafor's rma).",
                    function=lambda yi, vi: _peese(yi, vi, method="DL")),
        ],
        forbidden=[Forbidden(names=("pet_peese",), hint="bias.pet_peese is the helper this exercise asks you to "
                                                        "reproduce: fit meta.regression with vi as the moderator.")],
        rtol=1e-6,
    ),
    Written(
        id="08.written-1", title="Reflection: is the pooled g = -0.20 untrustworthy?",
        rubric={2: "Reaches a reasoned, qualified verdict using at least three of the lesson's results: the weights "
                   "(the precise Inagaki et al. trials carry the estimate), the funnel plots, Egger's negative slope "
                   "(p = 0.02 on 17 outcomes, 0.067 on 8), trim-and-fill finding nothing, and the low power (median "
                   "0.15, so significant small studies overestimate); notes that both bias tools are weak with 8 "
                   "studies.",
                1: "A verdict supported by one or two of these results, or a list of results without a verdict.",
                0: "Blank, or a verdict with no argument from the lesson's results."},
    ),
]
