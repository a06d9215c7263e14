"""Exercises of lesson 05 (Effect sizes)."""
import numpy as np
from scipy import special, stats

from instructor.definitions import (Alternative, ChoiceExercise, Forbidden, FunctionExercise, Mistake,
                                    ValueExercise, Written)
from utils import effects


def _j(m):
    """Hedges' exact J(m) on the log scale (Hedges 1981)."""
    return np.exp(special.gammaln(m / 2) - 0.5 * np.log(m / 2) - special.gammaln((m - 1) / 2))


def _hedges(m1, sd1, n1, m2, sd2, n2, ddof=1, correction="exact", sd="pooled", variance="full"):
    """Hedges' g and its variance, with the variations learners make (for the mistakes)."""
    s_pooled = np.sqrt(((n1 - ddof) * sd1**2 + (n2 - ddof) * sd2**2) / (n1 + n2 - 2 * ddof))
    if sd == "average":
        s_pooled = (sd1 + sd2) / 2
    if sd == "variance":  # the pooled variance, its square root not taken
        s_pooled = s_pooled**2
    m = n1 + n2 - 2
    j = {"exact": _j(m), "approx": 1 - 3 / (4 * m - 1), "none": 1.0, "m_is_n": _j(n1 + n2)}[correction]
    g = j * (m1 - m2) / s_pooled
    v = 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))
    return g, {"full": v, "no_g_term": 1 / n1 + 1 / n2, "se": np.sqrt(v)}[variance]


_G_INAGAKI, _ = effects.g_from_f(2.017, 40, 40, sign=-1)
_SE = effects.se_from_ci(-0.58, -0.09)

EXERCISES = [
    FunctionExercise(
        id="05.correction_exact", target="correction_exact", title="Exercise 1: the exact correction factor",
        reference=effects.correction_factor,
        # The smallest m, everyday ones and a large one where Γ overflows: the hidden cases are of the same kinds.
        cases=[(2,), (8,), (18,), (78,), (400,)],
        hidden_cases=[(3,), (33,), (1000,), (5000,)],
        mistakes=[
            Mistake("approximation", "That is the approximation 1 - 3/(4m - 1): close (within 0.5% even at m = 3) "
                                     "but not exact. Use the gamma-function formula, on the log scale with "
                                     "special.gammaln.", function=lambda m: 1 - 3 / (4 * m - 1)),
            Mistake("reciprocal", "You returned 1/J(m): swap numerator and denominator.",
                    function=lambda m: 1 / _j(m)),
            Mistake("no_square_root", "The denominator has √(m/2), not m/2: take the square root (on the log "
                                      "scale, 0.5 * np.log(m / 2)).",
                    function=lambda m: np.exp(special.gammaln(m / 2) - np.log(m / 2)
                                              - special.gammaln((m - 1) / 2))),
            Mistake("log_scale", "That is log J(m): after working on the log scale, take np.exp at the end.",
                    function=lambda m: np.log(_j(m))),
            Mistake("sqrt_m", "The denominator has √(m/2), not √m: on the log scale, 0.5 * np.log(m / 2).",
                    function=lambda m: np.exp(special.gammaln(m / 2) - 0.5 * np.log(m)
                                              - special.gammaln((m - 1) / 2))),
            Mistake("sqrt_multiplied", "√(m/2) belongs in the denominator: subtract 0.5 * np.log(m / 2) on the log "
                                       "scale, do not add it.",
                    function=lambda m: np.exp(special.gammaln(m / 2) + 0.5 * np.log(m / 2)
                                              - special.gammaln((m - 1) / 2))),
            Mistake("half_shifted", "The gamma functions take m/2 and (m - 1)/2: you shifted both by 1/2 "
                                    "(Γ((m + 1)/2) / Γ(m/2)).",
                    function=lambda m: np.exp(special.gammaln((m + 1) / 2) - 0.5 * np.log(m / 2)
                                              - special.gammaln(m / 2))),
        ],
        forbidden=[Forbidden(names=("correction_factor",),
                             hint="effects.correction_factor is the function this exercise asks you to write: "
                                  "compute J(m) from special.gammaln yourself.")],
        rtol=1e-6,
    ),
    FunctionExercise(
        id="05.hedges_g", target="hedges_g", title="Exercise 2: Hedges' g and its variance",
        reference=effects.hedges_g,
        # Equal and unequal groups, tiny groups, raw (non 1-7) scales and large groups where Γ(m/2) overflows.
        cases=[(4.2, 1.1, 20, 4.6, 1.0, 20), (5.0, 0.9, 31, 4.5, 1.2, 28), (3.0, 0.8, 4, 3.9, 1.0, 5),
               (60.0, 20.0, 16, 52.0, 25.0, 18), (1.5, 1.0, 200, 1.2, 1.1, 210)],
        hidden_cases=[(4.3, 1.3, 75, 4.4, 1.2, 84), (2.0, 0.5, 3, 1.0, 0.7, 3), (10.0, 3.0, 350, 9.5, 3.2, 360)],
        parts=("g", "v"),
        mistakes=[
            Mistake("pooled_variance", "You divided by the pooled *variance*: the pooled SD is its square root, "
                                       "s_p = √(((n1 - 1)s1² + (n2 - 1)s2²) / (n1 + n2 - 2)).",
                    function=lambda *a: _hedges(*a, sd="variance")),
            Mistake("pooled_sd_with_n", "The pooled SD should weight each variance by n - 1 and divide by "
                                        "n1 + n2 - 2; you used n (and n1 + n2).",
                    function=lambda *a: _hedges(*a, ddof=0)),
            Mistake("cohens_d", "The small-sample correction is missing: that is Cohen's d. Multiply by "
                                "J(n1 + n2 - 2) (your correction_exact).",
                    function=lambda *a: _hedges(*a, correction="none")),
            Mistake("approximate_j", "You used the approximation 1 - 3/(4m - 1). It is within 0.5% of the exact "
                                     "factor, so your understanding is right, but the question (and metafor) use "
                                     "the exact J(m): call your correction_exact.",
                    function=lambda *a: _hedges(*a, correction="approx")),
            Mistake("sign", "The sign is flipped: compute group 1 (naltrexone) minus group 2 (placebo).",
                    function=lambda m1, sd1, n1, m2, sd2, n2: effects.hedges_g(m2, sd2, n2, m1, sd1, n1)),
            Mistake("average_sd", "You averaged the two SDs; the pooled SD averages the VARIANCES, weighted by "
                                  "n - 1, and takes the square root: "
                                  "√(((n1 - 1) sd1² + (n2 - 1) sd2²) / (n1 + n2 - 2)).",
                    function=lambda *a: _hedges(*a, sd="average")),
            Mistake("j_of_n", "J takes the degrees of freedom m = n1 + n2 - 2, not the total n1 + n2.",
                    function=lambda *a: _hedges(*a, correction="m_is_n")),
            Mistake("variance_without_g_term", "The variance of g also has the term g² / (2 (n1 + n2)): "
                                               "v = 1/n1 + 1/n2 + g² / (2 (n1 + n2)).",
                    function=lambda *a: _hedges(*a, variance="no_g_term"), partial=True),
            Mistake("standard_error", "That is the standard error (the square root of the variance); the function "
                                      "returns the variance v itself.",
                    function=lambda *a: _hedges(*a, variance="se"), partial=True),
        ],
        forbidden=[Forbidden(names=("hedges_g", "g_from_d", "cohens_d", "smd_change"),
                             hint="The exercise asks you to write Hedges' g yourself, so the course's helpers "
                                  "effects.hedges_g, effects.cohens_d and effects.g_from_d are not allowed here "
                                  "(your own correction_exact is).")],
        rtol=1e-6,
    ),
    ChoiceExercise(
        id="05.answer_3", target="answer_3", title="Exercise 3: when d_z equals d_av",
        options={"a": "r = 0: when the sessions are unrelated", "b": "r = 0.5: halfway between unrelated and identical",
                 "c": "r = 1: when the sessions agree perfectly", "d": "never: d_z is always the larger one"},
        answer="b",
        explanations={
            "a": "At r = 0 the SD of the differences is s·√2, larger than s, so |d_z| is smaller than |d_av| "
                 "(section 3's formula for s_diff with r = 0).",
            "b": "s_diff = √(2 s² - 2 r s²) = s·√(2(1 - r)) equals s exactly when 2(1 - r) = 1, i.e. r = 0.5.",
            "c": "At r = 1 the differences do not vary at all and d_z is infinite: the sessions agreeing perfectly "
                 "makes d_z grow without limit, not equal d_av.",
            "d": "d_z is the larger one only above r = 0.5; below it d_z is the smaller one (see the explorer with r "
                 "near 0), so somewhere in between they are equal."},
    ),
    ValueExercise(
        id="05.g_inagaki_2019", target="g_inagaki_2019", title="Exercise 4: g from Inagaki et al. (2019)'s F(1, 76)",
        expected=_G_INAGAKI, decimals=3,
        mistakes=[
            Mistake("no_correction", "That is d without the small-sample correction: multiply by J(78).",
                    value=_G_INAGAKI / effects.correction_factor(78)),
            Mistake("f_as_t", "You used F as if it were t: take the square root first, t = -√F.",
                    value=-2.017 * np.sqrt(2 / 40) * effects.correction_factor(78)),
            Mistake("paired_formula", "You divided t by √N as for a paired test; for two groups multiply by "
                                      "√(1/n1 + 1/n2).", value=-np.sqrt(2.017 / 80) * effects.correction_factor(78)),
            Mistake("study_effect", "-0.19 is the meta-analysis's effect for the whole study (several outcomes "
                                    "aggregated, Table 1); compute the g of this one F test.", value=-0.19),
            Mistake("total_n", "You used the total N = 80 as each group's size: n1 = n2 = 40, so √(1/40 + 1/40).",
                    value=-np.sqrt(2.017) * np.sqrt(2 / 80) * effects.correction_factor(78)),
            Mistake("two_t_over_sqrt_df", "2t/√df is only an approximation; use t·√(1/n1 + 1/n2) with the group "
                                          "sizes, then J(78).",
                    value=-2 * np.sqrt(2.017) / np.sqrt(76) * effects.correction_factor(78)),
        ],
        # J(76) instead of J(78), or the approximate J, change g by less than 0.0001: right at 3 decimals anyway.
    ),
    ValueExercise(
        id="05.se_inagaki_crossover", target="se_inagaki_crossover",
        title="Exercise 5: standard error from a 95% CI",
        expected=_SE, decimals=3,
        alternatives=[Alternative("z_1.96", "1.96 for the exact 1.959964 quantile changes the SE by 0.000002, far "
                                            "below the 3 decimals asked for", value=0.49 / (2 * 1.96))],
        mistakes=[
            Mistake("width_over_1.96", "You divided the whole width by 1.96: the width spans 1.96 SE on *each* "
                                       "side, so divide by 2 × 1.96.", value=0.49 / 1.96),
            Mistake("half_width", "That is half the width of the CI, in g units: divide it by 1.96 too.",
                    value=0.49 / 2),
            Mistake("variance", "That is the variance (SE squared); the question asks for the SE.", value=_SE**2),
            Mistake("t_quantile", "A 95% CI of g in Table 1 is a normal (Wald) interval: divide by 2 × 1.96, not by "
                                  "a t quantile.", value=0.49 / (2 * stats.t.ppf(0.975, 30))),
            Mistake("z_90", "1.645 (stats.norm.ppf(0.95)) belongs to a 90% interval: a 95% interval leaves 2.5% in "
                            "each tail, so use stats.norm.ppf(0.975) = 1.96.", value=0.49 / (2 * stats.norm.ppf(0.95))),
            Mistake("t_90", "stats.t.ppf(0.95, ...) is the quantile of a 90% interval (5% in each tail), and Table 1's "
                            "intervals are normal ones: use stats.norm.ppf(0.975) = 1.96.",
                    value=0.49 / (2 * stats.t.ppf(0.95, 30))),
            Mistake("sd_not_se", "You multiplied the SE by √n as if to get an SD: the question asks for the standard "
                                 "error of g itself, the width / (2 × 1.96).", value=_SE * np.sqrt(31)),
        ],
    ),
    Written(
        id="05.written-1", title="Reflection: a crossover without the correlation between sessions",
        rubric={2: "Chooses an effect size that does not depend on r (d_av-type, standardised by the session SDs) "
                   "AND says that the variance still needs r; proposes a way to get or impute r (paired t or F, "
                   "asking the authors, a value from similar crossovers) AND a sensitivity analysis over a range "
                   "of r (e.g. 0.2 to 0.8) to show how much the result depends on it.",
                1: "Sees that r is needed and proposes a single imputed value or a sensitivity analysis, but not "
                   "both; or does not separate the effect size (r-free) from its variance (needs r).",
                0: "Blank, or ignores the correlation (treats the crossover as two independent groups without "
                   "saying so), or uses d_z without comment."},
    ),
]
