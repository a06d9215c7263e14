"""Exercises of lesson 09 (Moderators and sensitivity)."""
from functools import lru_cache

import numpy as np
from scipy import stats

from instructor.definitions import ChoiceExercise, Forbidden, FunctionExercise, Mistake, ValueExercise, Written
from utils import data, meta


@lru_cache(maxsize=None)
def _table1():
    table1 = data.load_table1()
    studies = data.table1_effects()
    return table1, studies["yi"].to_numpy(), studies["vi"].to_numpy()


def _mood_fit():
    """The positive-mood meta-regression of section 3 (6 studies, REML)."""
    table1, yi, vi = _table1()
    has_mood = table1["positive_mood_g"].notna().to_numpy()
    mood = table1.loc[has_mood, "positive_mood_g"].rename("positive_mood")
    return meta.regression(yi[has_mood], vi[has_mood], {"positive_mood": mood})


def loo_estimates(yi, vi, method="REML"):
    """Pooled estimate without study i, for every i (Viechtbauer & Cheung 2010; metafor's leave1out)."""
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    return np.array([meta.random_effects(np.delete(yi, i), np.delete(vi, i), method=method).estimate
                     for i in range(len(yi))])


def cooks_distance(yi, vi, denominator="full", square=True, refit_tau2=True, method="REML"):
    """Cook's distance of each study, (b - b(-i))^2 / Var(b), b(-i) refitted without study i (Viechtbauer &
    Cheung 2010; metafor's influence()$inf$cook.d), and the variants learners write (``square="abs"``: the
    square root of D)."""
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    fit = meta.random_effects(yi, vi, method=method)
    if refit_tau2:
        loo = [meta.random_effects(np.delete(yi, i), np.delete(vi, i), method=method) for i in range(len(yi))]
        b_i, var_i = np.array([f.estimate for f in loo]), np.array([f.se**2 for f in loo])
    else:  # the weights of the full model, study i dropped
        w = 1 / (vi + fit.tau2)
        b_i = np.array([np.sum(np.delete(w * yi, i)) / np.sum(np.delete(w, i)) for i in range(len(yi))])
        var_i = np.array([1 / np.sum(np.delete(w, i)) for i in range(len(yi))])
    diff = fit.estimate - b_i
    scale = {"full": fit.se**2, "deleted": var_i, "se": fit.se}[denominator]
    if square == "abs":
        return np.abs(diff) / np.sqrt(scale)
    return diff**2 / scale if square else diff / np.sqrt(scale)


def _loo_p_values():
    _, yi, vi = _table1()
    return np.array([meta.random_effects(np.delete(yi, i), np.delete(vi, i)).p for i in range(len(yi))])


_B0, _B1 = (float(b) for b in _mood_fit().coefficients["estimate"])
_PREDICTED = float(_mood_fit().predict({"positive_mood": [-0.5]})["pred"].iloc[0])
_P_LOO = _loo_p_values()
_N_SIGNIFICANT = int((_P_LOO < 0.05).sum())
_YI, _VI = _table1()[1], _table1()[2]

# The review's negative-mood moderator (Løseth et al. 2024, Results: Results of syntheses): B and SE with and
# without the outlier. Only these coefficients are reported; the per-study negative-mood effects are not.
NEGATIVE_MOOD = {"with": (-3.62, 1.55), "without": (0.75, 4.01)}


def wald_interval(b, se, level=0.95):
    """Wald interval b -/+ z_(1 - alpha/2) * se, as the review's z tests."""
    z = stats.norm.ppf(0.5 + level / 2)
    return b - z * se, b + z * se


_CI_WITHOUT = wald_interval(*NEGATIVE_MOOD["without"])

LEAVE_ONE_OUT_SLIPS = [  # slips of a leave-one-out function (lesson 09; the capstone's Part 5 reuses them)
    Mistake("return_in_loop", "Your function returns after the first study: its `return` is inside the loop. "
                              "Collect every estimate in a list and return np.array(...) after the loop.",
            function=lambda yi, vi: loo_estimates(yi, vi)[:1]),
    Mistake("change_reversed", "Return the estimates without each study, not how far each one moves the "
                               "estimate.",
            function=lambda yi, vi: loo_estimates(yi, vi) - meta.random_effects(yi, vi).estimate),
    Mistake("plain_mean", "A plain mean of the other effects ignores their precision: pool them with "
                          "meta.random_effects(...).estimate (REML).",
            function=lambda yi, vi: np.array([np.mean(np.delete(np.asarray(yi, dtype=float), i))
                                              for i in range(len(yi))])),
]

EXERCISES = [
    ValueExercise(
        id="09.predicted_g", target="predicted_g", title="Exercise 1: a prediction from the meta-regression",
        expected=_PREDICTED, decimals=2,
        mistakes=[
            Mistake("no_intercept", "Add the intercept: the prediction is b0 + b1 · x.", value=_B1 * -0.5),
            Mistake("sign_of_x", "x is −0.5, a negative number: b0 + b1 · (−0.5).", value=_B0 + _B1 * 0.5),
            Mistake("intercept_only", "That is the intercept alone (x = 0): add b1 · (−0.5).", value=_B0),
            Mistake("slope_only", "That is the slope b1; the prediction is b0 + b1 · (−0.5).", value=_B1),
            Mistake("swapped", "The coefficients come intercept first: b0, b1 = mood_fit.coefficients[\"estimate\"], "
                               "and the prediction is b0 + b1 · (−0.5), not b1 + b0 · (−0.5).",
                    value=_B1 + _B0 * -0.5),
            Mistake("paper_slope", "1.02 is the paper's slope on 8 outcomes; use this model's own coefficients, "
                                   "mood_fit.coefficients[\"estimate\"].", value=_B0 + 1.02 * -0.5),
            Mistake("paper_slope_only", "1.02 is the paper's slope on 8 outcomes, and the intercept is missing: use "
                                        "this model's b0 + b1 · (−0.5), from mood_fit.coefficients[\"estimate\"].",
                    value=1.02 * -0.5),
        ],
    ),
    ChoiceExercise(
        id="09.answer_2", target="answer_2", title="Exercise 2: study level versus outcome level",
        options={"a": "it compares close others with strangers inside the same studies, so the rituals, tasks and "
                      "doses that differ between studies cannot confound it",
                 "b": "it gives the same answer as our coding A, because both use the same 8 studies and their "
                      "Table 1 effects",
                 "c": "it cannot be fitted with fewer than about ten studies, so its p = 0.06 carries no information",
                 "d": "it keeps apart the contexts Table 1 averages, but only 2 of its 8 studies rate more than one "
                      "type, so it mostly compares different studies"},
        answer="d",
        explanations={
            "a": "That is the tempting reading, but only the two Inagaki et al. studies rate more than one type; in "
                 "the other 6 the type is fixed per study, so most of the comparison is between studies, with all "
                 "their other differences (section 4). The review describes no within-study centring that would "
                 "isolate the within-study part.",
            "b": "Coding A gives B = -0.17 (p = 0.22) on 8 study averages; the paper's B = -0.30 comes from 17 "
                 "outcomes, with the two Inagaki et al. studies' contexts kept apart (the table in section 4).",
            "c": "The Cochrane Handbook says meta-regression is rarely *useful* with fewer than about ten studies "
                 "(section 1): it can be fitted, but with little power and much room for confounding, so p = 0.06 "
                 "is weak evidence, not none.",
            "d": "Right. The outcome-level data let the paper use the two Inagaki et al. studies' separate contexts, "
                 "which Table 1 averages away; but 6 of the 8 studies have one relationship type each, so the "
                 "comparison is still mostly between studies that differ in much more than relationship type."},
    ),
    FunctionExercise(
        id="09.leave_one_out", target="leave_one_out", title="Exercise 3: leave_one_out",
        reference=loo_estimates,
        # Arrays and lists, k = 8, 4 and 3 (two studies left): the hidden cases are of the same kinds.
        cases=[(_YI, _VI), ([0.1, 0.3, -0.2, 0.5], [0.04, 0.02, 0.05, 0.03]),
               ([0.2, 0.1, 0.4], [0.01, 0.02, 0.03])],
        hidden_cases=[(_YI[:6], _VI[:6]), ([-0.5, 0.0, -0.3, 0.2, -0.1], [0.05, 0.02, 0.08, 0.04, 0.03]),
                      (np.array([-0.4, 0.3, -0.1]), np.array([0.02, 0.06, 0.01]))],
        mistakes=[
            Mistake("fixed_effect", "Those are fixed-effect estimates: use meta.random_effects with its default "
                                    "REML.", function=lambda yi, vi: loo_estimates(yi, vi, method="FE")),
            Mistake("dersimonian_laird", "That is the DerSimonian-Laird estimator of τ²: use REML (the default).",
                    function=lambda yi, vi: loo_estimates(yi, vi, method="DL")),
            Mistake("own_effect", "Element i should be the estimate *without* study i, not study i's own effect "
                                  "(keep every index != i, not == i).",
                    function=lambda yi, vi: np.asarray(yi, dtype=float)),
            Mistake("change", "Return the estimates without each study, not how far each one moves the estimate.",
                    function=lambda yi, vi: meta.random_effects(yi, vi).estimate - loo_estimates(yi, vi)),
            *LEAVE_ONE_OUT_SLIPS,
        ],
        rtol=1e-4, atol=1e-6,
    ),
    ValueExercise(
        id="09.n_still_significant", target="n_still_significant", title="Exercise 4: robust to leaving one out?",
        expected=_N_SIGNIFICANT, rtol=0.0, atol=1e-6, quantity="count",  # a count is exact
        mistakes=[
            Mistake("not_significant", "That is the number that are *not* significant (p ≥ .05).",
                    value=len(_P_LOO) - _N_SIGNIFICANT),
            Mistake("all", "Not all of them: look at the p column and count p < 0.05 only.", value=len(_P_LOO)),
            Mistake("share", "That is a share of the 8 analyses, not a count: give the number of analyses with "
                             "p < 0.05.", value=_N_SIGNIFICANT / len(_P_LOO)),
            Mistake("percent", "That is a percentage of the 8 analyses, not a count: give the number of analyses "
                               "with p < 0.05.", value=100 * _N_SIGNIFICANT / len(_P_LOO)),
        ],
    ),
    FunctionExercise(
        id="09.cooks_distance", target="cooks_distance", title="Exercise 5: cooks_distance",
        reference=cooks_distance,
        # Arrays and lists, k = 8, 5, 4 and 3, with and without heterogeneity: the hidden cases are alike.
        cases=[(_YI, _VI), ([0.1, 0.3, -0.2, 0.5], [0.04, 0.02, 0.05, 0.03]), ([0.2, 0.1, 0.4], [0.01, 0.02, 0.03]),
               (np.array([-0.9, -0.1, -0.3, 0.4, -0.2]), np.array([0.2, 0.01, 0.04, 0.02, 0.05]))],
        hidden_cases=[(list(_YI), list(_VI)), ([-0.5, 0.0, -0.3, 0.2, -0.1], [0.05, 0.02, 0.08, 0.04, 0.03]),
                      (np.array([-0.4, 0.3, -0.1]), np.array([0.02, 0.06, 0.01]))],
        mistakes=[
            Mistake("baujat_y", "You divided by the variance of the estimate *without* study i: that is the y axis "
                                "of a Baujat plot. Cook's distance divides by Var(b) of the model with all studies, "
                                "fit.se ** 2.", function=lambda yi, vi: cooks_distance(yi, vi, denominator="deleted")),
            Mistake("not_squared", "Square the change: D_i = (b − b(−i))² / Var(b), which is never negative.",
                    function=lambda yi, vi: cooks_distance(yi, vi, square=False)),
            Mistake("divided_by_se", "Divide by the variance Var(b) = SE², not by the SE.",
                    function=lambda yi, vi: cooks_distance(yi, vi, denominator="se")),
            Mistake("tau2_kept", "Refit the model without study i (meta.random_effects on the other studies): its τ² "
                                 "changes too, not only the weights.",
                    function=lambda yi, vi: cooks_distance(yi, vi, refit_tau2=False)),
            Mistake("return_in_loop", "Your function returns after the first study: its `return` is inside the "
                                      "loop. Collect every D_i and return the array after the loop.",
                    function=lambda yi, vi: cooks_distance(yi, vi)[:1]),
            Mistake("square_root", "That is √D, |b − b(−i)| / SE: Cook's distance squares the change and divides by "
                                   "the variance, (b − b(−i))² / SE².",
                    function=lambda yi, vi: cooks_distance(yi, vi, square="abs")),
            Mistake("fixed_effect", "Those are fixed-effect fits: use meta.random_effects with its default REML, for "
                                    "the full model and for each fit without study i.",
                    function=lambda yi, vi: cooks_distance(yi, vi, method="FE")),
            Mistake("dersimonian_laird", "That is the DerSimonian-Laird estimator of τ²: use REML, "
                                         "meta.random_effects' default.",
                    function=lambda yi, vi: cooks_distance(yi, vi, method="DL")),
        ],
        forbidden=[Forbidden(names=("influence", "baujat"),
                             hint="meta.influence gives Cook's distance ready-made: compute it from the leave-one-out "
                                  "estimates (your leave_one_out, or meta.random_effects) and the full model's SE.")],
        rtol=1e-4, atol=1e-8,
    ),
    ValueExercise(
        id="09.ci_without_outlier", target="ci_without_outlier",
        title="Exercise 6: the negative-mood slope without the outlier",
        expected=_CI_WITHOUT, decimals=2, parts=("low", "high"),
        mistakes=[
            Mistake("with_outlier", "That is the interval *with* the outlier (B = -3.62, SE = 1.55); the question asks "
                                    "for the slope without it, B = 0.75, SE = 4.01.",
                    value=wald_interval(*NEGATIVE_MOOD["with"])),
            Mistake("one_se", "You added and subtracted one SE: a 95% interval is B ± 1.96 SE.",
                    value=(0.75 - 4.01, 0.75 + 4.01)),
            Mistake("ninety_percent", "That is a 90% interval (quantile 1.645): for 95% use stats.norm.ppf(0.975), "
                                      "1.96.", value=wald_interval(0.75, 4.01, level=0.90)),
            Mistake("t_quantile", "You used a t quantile; the review tests its moderators with z, so use the normal "
                                  "quantile stats.norm.ppf(0.975).",
                    value=(0.75 - stats.t.ppf(0.975, 3) * 4.01, 0.75 + stats.t.ppf(0.975, 3) * 4.01)),
            Mistake("squared_se", "You multiplied 1.96 by the variance 4.01²: 4.01 is already the standard error, "
                                  "so the interval is B ± 1.96 × 4.01.", value=wald_interval(0.75, 4.01**2)),
            Mistake("sqrt_of_se", "4.01 is already the standard error: multiply it by 1.96 as it is, without a "
                                  "square root.", value=wald_interval(0.75, np.sqrt(4.01))),
            Mistake("mixed_rows", "You mixed the two rows: B = 0.75 without the outlier goes with its own SE, 4.01, "
                                  "not 1.55 (the SE with the outlier).", value=wald_interval(0.75, 1.55)),
            Mistake("ninety_nine_percent", "That is a 99% interval (quantile 2.58): for 95% use "
                                           "stats.norm.ppf(0.975), 1.96.", value=wald_interval(0.75, 4.01, level=0.99)),
        ],
    ),
    Written(
        id="09.written-1", title="Reflection: the relationship-type result in an abstract",
        rubric={2: "Reports B = -0.30 (p = 0.06) and the outlier-removed p = 0.04 as exploratory / not "
                   "preregistered and in need of confirmation (neither 'no effect' nor 'established relationships "
                   "matter'), AND names a settling study: preregistered, adequately powered, comparing close "
                   "others with strangers within the same participants, with the contrast fixed in advance.",
                1: "Reports the result with its uncertainty but without saying it is exploratory (or overstates "
                   "the outlier-removed p = 0.04), or the proposed study is vague ('more studies') or lacks the "
                   "within-person contrast.",
                0: "Blank, reports the result as established (or as absent), or gives no study design."},
    ),
]
