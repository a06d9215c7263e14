"""Exercises of lesson 04 (The fMRI trial)."""
import numpy as np
from scipy import stats

from instructor.definitions import ChoiceExercise, Forbidden, FunctionExercise, Mistake, ValueExercise, Written
from utils import effects, fmri

# The lesson's simulated participant (section 4): the same design, time series and fit as the notebook builds.
_X = fmri.design_matrix(fmri.alternating_events(n_per_condition=6, duration=16, spacing=30, first_onset=10),
                        n_scans=200, tr=2.0)
_FIT = fmri.fit_glm(fmri.simulate_vs_timeseries(_X, {"close_other": 1.0, "stranger": 0.4}, noise_sd=0.6, ar1=0.3,
                                                seed=4), _X)
_COV = _FIT.residual_variance * _FIT.xtx_inv  # covariance of the betas; columns 0 and 1 are close_other, stranger
SE_CONTRAST = _FIT.contrast({"close_other": 1, "stranger": -1}).se

T_REPORTED, DF_REPORTED, N_GROUP = 1.859, 75, 40  # Inagaki et al. 2019: t(75) = 1.859, 40 per group


def reference_fisher(r1, n1, r2, n2):
    """Fisher's z test of two independent correlations (Fisher 1921): the course's fmri.fisher_z_compare."""
    return tuple(fmri.fisher_z_compare(r1, n1, r2, n2))


def _fisher_with_n(r1, n1, r2, n2):
    z = (np.arctanh(r1) - np.arctanh(r2)) / np.sqrt(1 / n1 + 1 / n2)
    return z, 2 * stats.norm.sf(abs(z))


def _fisher_n_minus_1(r1, n1, r2, n2):
    z = (np.arctanh(r1) - np.arctanh(r2)) / np.sqrt(1 / (n1 - 1) + 1 / (n2 - 1))
    return z, 2 * stats.norm.sf(abs(z))


def _fisher_no_square_root(r1, n1, r2, n2):
    z = (np.arctanh(r1) - np.arctanh(r2)) / (1 / (n1 - 3) + 1 / (n2 - 3))
    return z, 2 * stats.norm.sf(abs(z))


def _fisher_sd_sum(r1, n1, r2, n2):
    z = (np.arctanh(r1) - np.arctanh(r2)) / (1 / np.sqrt(n1 - 3) + 1 / np.sqrt(n2 - 3))
    return z, 2 * stats.norm.sf(abs(z))


def _fisher_t_distribution(r1, n1, r2, n2):
    z = reference_fisher(r1, n1, r2, n2)[0]
    return z, 2 * stats.t.sf(abs(z), n1 + n2 - 4)


def _fisher_one_tailed(r1, n1, r2, n2):
    z = reference_fisher(r1, n1, r2, n2)[0]
    return z, stats.norm.sf(abs(z))


def _fisher_untransformed(r1, n1, r2, n2):
    z = (r1 - r2) / np.sqrt(1 / (n1 - 3) + 1 / (n2 - 3))
    return z, 2 * stats.norm.sf(abs(z))


EXERCISES = [
    ValueExercise(
        id="04.se_by_hand", target="se_by_hand", title="Exercise 1: the standard error of a contrast",
        expected=SE_CONTRAST, decimals=4,
        mistakes=[
            Mistake("no_covariance", "You added the two variances but left out their covariance: c'(X'X)^-1 c "
                                     "includes -2 times the off-diagonal element.",
                    value=np.sqrt(_COV[0, 0] + _COV[1, 1])),
            Mistake("covariance_added", "The covariance enters with a minus sign for close - stranger: "
                                        "c'(X'X)^-1 c = v11 + v22 - 2 v12.",
                    value=np.sqrt(_COV[0, 0] + _COV[1, 1] + 2 * _COV[0, 1])),
            Mistake("variance", "That is the variance of the contrast: take the square root.", value=SE_CONTRAST ** 2),
            Mistake("no_sigma2", "You left out sigma^2 (result.residual_variance).",
                    value=np.sqrt(_FIT.xtx_inv[0, 0] + _FIT.xtx_inv[1, 1] - 2 * _FIT.xtx_inv[0, 1])),
            Mistake("one_beta", "That is the standard error of the close-other beta alone; the contrast is close - "
                                "stranger (a 1 and a -1 in c).", value=np.sqrt(_COV[0, 0])),
            Mistake("residual_sd", "c'(X'X)^-1 c is multiplied by the residual VARIANCE sigma^2 "
                                   "(result.residual_variance), not by its square root, before the square root is "
                                   "taken.", value=np.sqrt(np.sqrt(_FIT.residual_variance) * SE_CONTRAST ** 2
                                                           / _FIT.residual_variance)),
            Mistake("contrast_estimate", "That is the contrast's estimate (the difference of the two betas), not its "
                                         "standard error.",
                    value=_FIT.contrast({"close_other": 1, "stranger": -1}).effect),
        ],
    ),
    FunctionExercise(
        id="04.compare_correlations", target="compare_correlations",
        title="Exercise 2: comparing two independent correlations",
        reference=reference_fisher,
        # Positive and negative correlations, equal ones (z = 0, p = 1), small and large groups: the hidden cases
        # are of the same kinds.
        cases=[(0.4, 40, 0.0, 40), (0.5, 40, -0.1, 39), (-0.2, 25, 0.35, 31), (0.2, 30, 0.2, 60),
               (-0.6, 10, -0.1, 300)],
        hidden_cases=[(0.75, 18, 0.2, 22), (0.1, 120, 0.12, 80), (0.0, 50, 0.0, 50), (-0.45, 12, 0.6, 400)],
        mistakes=[
            Mistake("variance_1_over_n", "The variance of Fisher's z is 1/(n - 3), not 1/n.", function=_fisher_with_n),
            Mistake("sd_sum", "You added the two standard errors, 1/√(n1 - 3) + 1/√(n2 - 3): add the *variances* "
                              "1/(n1 - 3) + 1/(n2 - 3) and take one square root of the sum.", function=_fisher_sd_sum),
            Mistake("untransformed", "Transform the correlations first: use np.arctanh(r), not r itself.",
                    function=_fisher_untransformed),
            Mistake("variance_n_minus_1", "The variance of Fisher's z is 1/(n - 3), not 1/(n - 1).",
                    function=_fisher_n_minus_1),
            Mistake("no_square_root", "Divide by the standard error, the SQUARE ROOT of 1/(n1 - 3) + 1/(n2 - 3) (that "
                                      "sum is the variance).", function=_fisher_no_square_root),
            Mistake("t_distribution", "Fisher's z is compared with the standard normal distribution (stats.norm.sf), "
                                      "not with a t distribution.", function=_fisher_t_distribution, partial=True),
            Mistake("one_tailed", "That p is one-tailed: the test of a difference in either direction counts both "
                                  "tails, 2 * stats.norm.sf(abs(z)).", function=_fisher_one_tailed, partial=True),
        ],
        forbidden=[Forbidden(names=("fisher_z_compare",),
                             hint="Write the test yourself with np.arctanh and stats.norm.sf: the exercise asks you "
                                  "not to call the course's fmri.fisher_z_compare, which the check compares with.")],
        parts=("z", "p"),
        rtol=1e-6,
    ),
    ValueExercise(
        id="04.d_reported", target="d_reported", title="Exercise 3: from a reported t to Cohen's d",
        expected=T_REPORTED * np.sqrt(1 / N_GROUP + 1 / N_GROUP), decimals=3,
        mistakes=[
            Mistake("paired_formula", "t / sqrt(n) is the formula for a paired (within-person) t, d_z; here two "
                                      "independent groups are compared.", value=T_REPORTED / np.sqrt(2 * N_GROUP)),
            Mistake("two_t_over_sqrt_df", "2t / sqrt(df) is only an approximation (and 75 or 78 df gives two different "
                                          "answers); use the formula given above, with the group sizes.",
                    value=2 * T_REPORTED / np.sqrt(DF_REPORTED)),
            Mistake("two_t_over_sqrt_78", "2t / sqrt(df) is only an approximation; use the formula given above, with "
                                          "the group sizes.", value=2 * T_REPORTED / np.sqrt(2 * N_GROUP - 2)),
            Mistake("no_square_root", "Take the square root of (1/n1 + 1/n2).",
                    value=T_REPORTED * (1 / N_GROUP + 1 / N_GROUP)),
            Mistake("hedges_g", "That is Hedges' g, d shrunk by the small-sample correction (effects.g_from_t); the "
                                "question asks for Cohen's d from the formula above.",
                    value=effects.g_from_t(T_REPORTED, N_GROUP, N_GROUP)[0]),
            Mistake("total_n", "You used the total N = 80 as each group's size: n1 = n2 = 40.",
                    value=T_REPORTED * np.sqrt(2 / (2 * N_GROUP))),
            Mistake("divided", "Multiply t by √(1/n1 + 1/n2); you divided by it.",
                    value=T_REPORTED / np.sqrt(1 / N_GROUP + 1 / N_GROUP)),
        ],
    ),
    ValueExercise(
        id="04.p_two_tailed", target="p_two_tailed", title="Exercise 4: one-tailed and two-tailed p",
        expected=2 * stats.t.sf(T_REPORTED, DF_REPORTED), decimals=4, quantity="p",
        mistakes=[
            Mistake("one_tailed", "That is the one-tailed p the paper reports: a two-tailed test counts both tails.",
                    value=stats.t.sf(T_REPORTED, DF_REPORTED)),
            Mistake("halved", "You halved instead of doubling.", value=stats.t.sf(T_REPORTED, DF_REPORTED) / 2),
            Mistake("normal", "That uses the normal distribution; use the t distribution with 75 df.",
                    value=2 * stats.norm.sf(T_REPORTED)),
            Mistake("wrong_df", "Check the degrees of freedom: use the 75 the paper reports, t(75), not 78 = 40 + 40 "
                                "- 2 (the test had a covariate or a missing participant).",
                    value=2 * stats.t.sf(T_REPORTED, 2 * N_GROUP - 2)),
            Mistake("doubled_rounded", "2 × .034 doubles a one-tailed p that was already rounded to 3 decimals: "
                                       "compute the two-tailed p from t and df, 2 * stats.t.sf(1.859, 75), to get 4 "
                                       "decimals.", value=2 * 0.034),
            Mistake("one_minus_p", "That is 1 - p: stats.t.cdf gives the area BELOW t; the p value is the area beyond "
                                   "t in both tails, 2 * stats.t.sf(1.859, 75).",
                    value=1 - 2 * stats.t.sf(T_REPORTED, DF_REPORTED)),
        ],
    ),
    ChoiceExercise(
        id="04.answer_5", target="answer_5", title="Exercise 5: reverse inference",
        options={"a": "Naltrexone weakened participants' social bonds: less VS activity to close others means weaker "
                      "bonds.",
                 "b": "The drug's effect is specific to close others: the VS response to strangers did not change.",
                 "c": "Naltrexone reduced a VS response that differs between close others and strangers; what it "
                      "reflects is open.",
                 "d": "Nothing about neurons: the BOLD signal measures blood flow, so it cannot show a drug's effect "
                      "on the brain."},
        answer="c",
        explanations={
            "a": "That is reverse inference: it assumes lower VS activity *means* weaker bonds. The VS also tracks "
                 "reward and familiarity (section 9c), and one scan session says nothing about lasting bonds.",
            "b": "That reads a non-significant simple effect as 'no change' and compares two verdicts: the "
                 "difference-in-significance trap. Only the drug x target interaction (section 7a) tests whether "
                 "the effect differs between close others and strangers.",
            "c": "Yes. The measurement supports a statement about the VS contrast; whether it reflects bonding, "
                 "reward or familiarity rests on other evidence (here the self-reported connection, which also "
                 "fell, and the correlation under placebo).",
            "d": "The BOLD signal is an indirect and sluggish but real measure of local brain activity (section 2); "
                 "its limits call for careful interpretation, not dismissal."},
    ),
    Written(
        id="04.written-1", title="Reflection: a better comparison condition than strangers",
        rubric={2: "Proposes a control that separates closeness from familiarity (familiar but not close people, "
                   "e.g. celebrities or acquaintances) and/or from general reward (a liked non-social object such "
                   "as the car, a favourite food), AND states the result pattern that would favour bonding: "
                   "naltrexone lowers the VS response to close others but not to the familiar non-close people or "
                   "the non-social rewards.",
                1: "A sensible control condition without the predicted pattern, or the pattern without a control "
                   "that separates familiarity or reward from closeness.",
                0: "Blank, or a control that changes nothing (e.g. more strangers), with no predicted pattern."},
    ),
]
