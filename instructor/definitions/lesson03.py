"""Exercises of lesson 03 (The trials: placebo, blinding and two ways to compare)."""
import numpy as np
from scipy import stats

from instructor.definitions import ChoiceExercise, Forbidden, FunctionExercise, Mistake, ValueExercise, Written
from utils import effects, simulate

# The lesson's simulated crossover (31 simulated people, illustrative parameters), as plain lists.
_PEOPLE = simulate.person_means(simulate.simulate_diary_trial(n=31, effect=-0.3, sd=1.0, correlation=0.6, seed=2016))
NALTREXONE, PLACEBO = [float(x) for x in _PEOPLE["naltrexone"]], [float(x) for x in _PEOPLE["placebo"]]
# Another simulated crossover of 31, for the hidden cases (same kind of input, different people).
_OTHERS = simulate.person_means(simulate.simulate_diary_trial(n=31, effect=-0.2, sd=1.0, correlation=0.3, seed=5))
NALTREXONE_2, PLACEBO_2 = [float(x) for x in _OTHERS["naltrexone"]], [float(x) for x in _OTHERS["placebo"]]

# Lists and numpy arrays, 2 to 31 people, differences of both signs: visible and hidden cases are of the same kinds.
VISIBLE = [([3.2, 4.1, 2.5, 5.0], [3.6, 4.2, 3.1, 5.1]), ([4.0, 5.5, 3.0, 6.1, 2.2], [4.6, 5.4, 3.9, 6.8, 2.0]),
           (np.array([5.0, 1.0]), np.array([4.0, 1.5])), (np.array(NALTREXONE), np.array(PLACEBO))]
HIDDEN = [([1.0, 2.0, 4.0], [2.0, 2.5, 4.1]), (list(np.linspace(2, 6, 9)), list(np.linspace(2, 6, 9) ** 1.05)),
          (np.array([6.0, 1.0, 3.5]), np.array([5.0, 1.5, 3.0])), (NALTREXONE_2, PLACEBO_2)]


def _differences(naltrexone, placebo):
    return np.asarray(naltrexone, dtype=float) - np.asarray(placebo, dtype=float)


def reference_paired_t(naltrexone, placebo):
    """t = mean(D) / (s_D / sqrt(n)), D = naltrexone - placebo (scipy's ttest_rel)."""
    return stats.ttest_rel(naltrexone, placebo).statistic


def reference_d_z(naltrexone, placebo):
    """d_z = mean(D) / s_D (Lakens 2013, eq. 6), through the course's effects.d_z."""
    a, b = np.asarray(naltrexone, dtype=float), np.asarray(placebo, dtype=float)
    return effects.d_z(a.mean(), b.mean(), a.std(ddof=1), b.std(ddof=1), np.corrcoef(a, b)[0, 1])


def _independent_t(naltrexone, placebo):
    return stats.ttest_ind(naltrexone, placebo).statistic


def _t_ddof0(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / (d.std() / np.sqrt(len(d)))


def _d_z(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / d.std(ddof=1)


def _d_av(naltrexone, placebo):
    a, b = np.asarray(naltrexone, dtype=float), np.asarray(placebo, dtype=float)
    return effects.d_av(a.mean(), b.mean(), a.std(ddof=1), b.std(ddof=1))


def _d_z_ddof0(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / d.std()


def _t_sqrt_n_minus_1(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / (d.std(ddof=1) / np.sqrt(len(d) - 1))


def _t_no_square_root(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / (d.std(ddof=1) / len(d))


def _t_variance(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / (d.var(ddof=1) / np.sqrt(len(d)))


def _d_rms_sd(naltrexone, placebo):
    a, b = np.asarray(naltrexone, dtype=float), np.asarray(placebo, dtype=float)
    return (a.mean() - b.mean()) / np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)


def _d_z_variance(naltrexone, placebo):
    d = _differences(naltrexone, placebo)
    return d.mean() / d.var(ddof=1)


EXERCISES = [
    ChoiceExercise(
        id="03.answer_1", target="answer_1", title="Exercise 1: what double-blinding protects against",
        options={"a": "people in the two groups differing in how connected they usually feel",
                 "b": "naltrexone's nausea making people feel less sociable on drug days",
                 "c": "the drug still acting during the placebo period that follows it",
                 "d": "participants' and experimenters' expectations shaping the ratings"},
        answer="d",
        explanations={
            "a": "That mixes up blinding with randomisation: chance deciding who gets which pill (or, in a crossover, "
                 "each person being compared with themselves) is what evens out usual levels (section 1's table).",
            "b": "Blinding cannot stop a side effect. Worse: a noticeable side effect can *break* the blind "
                 "(section 8).",
            "c": "That is carry-over, which no blinding touches; it needs a long enough washout between periods "
                 "(section 7).",
            "d": "Yes. If nobody knows who took what, expectations cannot differ between the conditions, so they "
                 "cannot produce a difference between them."},
    ),
    FunctionExercise(
        id="03.paired_t", target="paired_t", title="Exercise 2: paired_t",
        reference=reference_paired_t, cases=VISIBLE, hidden_cases=HIDDEN,
        mistakes=[
            Mistake("independent_t", "That is the independent-groups t: it ignores the pairing. Work with the "
                                     "differences naltrexone_i - placebo_i.", function=_independent_t),
            Mistake("ddof0", "The standard deviation of the differences divides by n - 1 (np.std(d, ddof=1)).",
                    function=_t_ddof0),
            Mistake("d_z", "That is d_z (mean / SD of the differences). The t statistic divides by the standard "
                           "error, s_D / sqrt(n).", function=_d_z),
            Mistake("sqrt_n_minus_1", "The standard error is s_D / sqrt(n), with n, not n - 1: the n - 1 is already "
                                      "inside s_D.", function=_t_sqrt_n_minus_1),
            Mistake("no_square_root", "The standard error divides s_D by the square root of n: s_D / sqrt(n), not "
                                      "s_D / n.", function=_t_no_square_root),
            Mistake("variance", "You divided by the variance of the differences: the standard error uses their SD, "
                                "s_D / sqrt(n) (the square root of the variance).", function=_t_variance),
        ],
        forbidden=[Forbidden(names=("ttest_rel", "ttest_1samp"),
                             hint="Compute t from the differences with numpy, as the exercise asks: scipy's "
                                  "ttest_rel (or ttest_1samp on the differences) is what the check compares with.")],
        rtol=1e-6,
    ),
    FunctionExercise(
        id="03.d_z_from_scores", target="d_z_from_scores", title="Exercise 3: d_z from scores",
        reference=reference_d_z, cases=VISIBLE, hidden_cases=HIDDEN,
        mistakes=[
            Mistake("d_av", "That is d_av: it divides by the average SD of the two conditions. d_z divides by the SD "
                            "of the within-person differences.", function=_d_av),
            Mistake("ddof0", "The SD of the differences divides by n - 1 (np.std(d, ddof=1)).", function=_d_z_ddof0),
            Mistake("paired_t", "That is the paired t statistic: d_z does not multiply by sqrt(n) (t = d_z * sqrt(n)).",
                    function=reference_paired_t),
            Mistake("rms_sd", "That standardises by the root mean square of the two conditions' SDs (d_av-type): d_z "
                              "divides by the SD of the within-person differences.", function=_d_rms_sd),
            Mistake("variance", "You divided by the variance of the differences: d_z divides by their SD (the square "
                                "root of the variance).", function=_d_z_variance),
        ],
        forbidden=[Forbidden(names=("effects",),
                             hint="Compute d_z from the differences yourself: the exercise asks you not to call the "
                                  "course's utils.effects (its d_z is what the check compares with).")],
        rtol=1e-6,
    ),
    ValueExercise(
        id="03.n_per_group_needed", target="n_per_group_needed",
        title="Exercise 4: people per group for the same precision",
        expected=31 / (1 - 0.6), decimals=1,
        mistakes=[
            Mistake("times_one_minus_r", "You multiplied by (1 - r). Set 2 sigma^2 (1 - r) / n equal to 2 sigma^2 / m "
                                         "and solve for m.", value=31 * (1 - 0.6)),
            Mistake("both_groups", "That is the total of both groups, not the number per group.",
                    value=2 * 31 / (1 - 0.6)),
            Mistake("divided_by_r", "You divided by r instead of by 1 - r.", value=31 / 0.6),
            Mistake("one_plus_r", "You divided by 1 + r: the variance of a within-person difference has (1 - r), so "
                                  "m = n / (1 - r).", value=31 / (1 + 0.6)),
            Mistake("square_root", "No square root: set the two VARIANCES equal, "
                                   "2 sigma^2 (1 - r) / n = 2 sigma^2 / m, so m = n / (1 - r).",
                    value=31 / np.sqrt(1 - 0.6)),
        ],
    ),
    ValueExercise(
        id="03.expected_estimate", target="expected_estimate", title="Exercise 5: what carry-over does to the estimate",
        expected=-0.35, decimals=2, unit="rating points",
        mistakes=[
            Mistake("counterbalancing_cancels", "Counterbalancing does not cancel carry-over: it happens only in the "
                                                "naltrexone-first order.", value=-0.4),
            Mistake("one_order_only", "That is the naltrexone-first group alone; average it with the placebo-first "
                                      "group, who have no carry-over.", value=-0.3),
            Mistake("wrong_direction", "Carry-over lowers the *placebo* period, so it shrinks the difference: the "
                                       "estimate moves towards zero, not away from it.", value=-0.45),
            Mistake("carried_amount", "-0.1 is the amount carried over (0.25 x -0.4), not the estimate of the study.",
                    value=-0.1),
            Mistake("summed_orders", "You added the two orders' estimates: average them (each order is half of the "
                                     "participants).", value=-0.7),
            Mistake("bias_only", "0.05 is how far carry-over moves the estimate towards zero (half of the 0.1 "
                                 "carried over, as half the people are in each order), not the estimate itself: "
                                 "start from the true effect, -0.4.", value=-0.05),
        ],
    ),
    ChoiceExercise(
        id="03.answer_6", target="answer_6", title="Exercise 6: is it just mood?",
        options={"a": "it is ruled out: connection fell significantly and positive mood did not, so the drug acted on "
                      "connection",
                 "b": "mood was unaffected, since its interval includes zero, so only the drop in connection needs "
                      "explaining",
                 "c": "little either way: the mood interval holds the connection estimate, and their difference was "
                      "not tested",
                 "d": "it is ruled out: connection fell by 0.21 more than mood, and a dip in mood would lower both "
                      "equally"},
        answer="c",
        explanations={
            "a": "That is the difference-in-significance trap of lesson 01: one interval excluding zero and another "
                 "including it is not a difference between the two effects. Section 9 shows how much they overlap.",
            "b": "Not significant is not zero: the mood interval runs from -0.41 to 0.15, so it allows a drop as "
                 "large as the connection effect (section 9).",
            "c": "Yes. The mood interval [-0.41, 0.15] contains -0.34; the difference between the two effects "
                 "needs its own test, and with both rated by the same people that test needs a correlation the "
                 "study does not report (section 9).",
            "d": "-0.21 is the gap between two point estimates, each with a wide interval; no test shows that it "
                 "differs from zero (section 9; lesson 01: a difference in significance is not a significant "
                 "difference)."},
    ),
    ChoiceExercise(
        id="03.answer_7", target="answer_7", title="Exercise 7: why hide the purpose?",
        options={"a": "someone who knows the hypothesis and guesses the pill from side effects knows which way to "
                      "rate",
                 "b": "nothing: double-blinding already keeps every expectation out of the daily connection "
                      "ratings",
                 "c": "it keeps nausea from lowering connection, since people who feel sick cannot blame the pill",
                 "d": "it stops people from rating connection differently only because they are taking part in a "
                      "study"},
        answer="a",
        explanations={
            "a": "Yes. Self-reported feelings are open to expectation; hiding the purpose protects them even when "
                 "a participant guesses the pill.",
            "b": "Blinding hides the pill, not the question. Side effects can let people guess their pill; if they "
                 "also know the hypothesis, they know which way to rate (sections 8 and 9).",
            "c": "Side effects act on the body whatever participants know or blame; only the design and the "
                 "analysis of section 8 deal with them.",
            "d": "That is the placebo's job: both conditions share the experience of being in a study, so it cannot "
                 "make a difference between them (section 1's table)."},
    ),
    ChoiceExercise(
        id="03.answer_8", target="answer_8", title="Exercise 8: a behavioural result",
        options={"a": "nothing: connection was not significantly lower on naltrexone, so the study found no effect",
                 "b": "evidence that the effect is a mood effect, since the mood lift after the conversation was "
                      "missing on naltrexone",
                 "c": "a clear drop in self-reported closeness, which the lower self-disclosure then confirms in "
                      "behaviour",
                 "d": "a behavioural sign (less self-disclosure on naltrexone), with a connection rating whose "
                      "interval includes zero"},
        answer="d",
        explanations={
            "a": "Not significant is not 'no effect' (g = -0.18, interval from -0.57 to 0.22; section 9 reads such "
                 "an interval), and the study measured more than feelings: self-disclosure, a behaviour, was lower "
                 "on naltrexone.",
            "b": "That takes any mood change for a general one. The missing mood lift followed a social experience, "
                 "so it may itself be a blunted social reward (the paragraph under the study's row); and "
                 "self-disclosure is a behaviour, not a mood.",
            "c": "The self-reported closeness effect is not clear: g = -0.18 with an interval from -0.57 to 0.22 "
                 "includes zero; the review says closeness 'was not significantly reduced' (the quote above the "
                 "study's row).",
            "d": "Yes. The review calls the lower self-disclosure 'a subtle disruption in a behaviour key to "
                 "forming new relationships' (Løseth et al. 2024, Discussion)."},
    ),
    Written(
        id="03.written-1", title="Reflection: what adjusting for physical symptoms can and cannot show",
        rubric={2: "Says what the result makes less likely (that the drop in connection is only a by-product of "
                   "feeling unwell, among people with similar measured symptoms) AND at least one thing it does not "
                   "rule out (symptoms measured coarsely, an unmeasured common cause, unblinding through side "
                   "effects) AND at least one design remedy (a blinding check, an active placebo, a lower starting "
                   "dose or screening, with exclusions reported).",
                1: "Two of the three parts, or all three but vaguely (e.g. 'side effects may still matter').",
                0: "Blank, or claims the adjustment proves the effect is about bonding, with nothing on its limits "
                   "or on design."},
    ),
]
