"""Exercises of lesson 00 (Start here)."""
import numpy as np

from instructor.definitions import ChoiceExercise, FunctionExercise, Mistake, ValueExercise, Written


def reference_sd(ratings):
    """Sample standard deviation, dividing by n - 1."""
    return np.std(np.asarray(ratings, dtype=float), ddof=1)


def _sum_of_squares(ratings):
    x = np.asarray(ratings, dtype=float)
    return np.sum((x - x.mean()) ** 2)


EXERCISES = [
    FunctionExercise(
        id="00.sample_sd", target="sample_sd", title="Exercise 1: sample_sd",
        reference=reference_sd,
        # Lists and arrays, whole and decimal ratings, two values: the hidden cases are of the same kinds.
        cases=[([4, 5, 6],), ([1, 7, 7, 2, 5],), (np.array([2.5, 3.0, 6.5]),), ([2.0, 2.5],)],
        hidden_cases=[([3.5, 3.5, 4.0, 6.5],), (list(range(1, 8)),), ([1, 1, 1, 7],), (np.linspace(1, 7, 13),)],
        mistakes=[
            Mistake("divided_by_n", "You divided by n instead of n - 1. (np.std divides by n unless you give "
                                    "ddof=1.)", function=lambda r: np.std(np.asarray(r, dtype=float))),
            Mistake("variance", "That is the variance: take the square root.",
                    function=lambda r: np.var(np.asarray(r, dtype=float), ddof=1)),
            Mistake("no_square_root_of_mean", "You took the square root of the sum of squares without dividing "
                                              "by n - 1 first.",
                    function=lambda r: np.sqrt(np.sum((np.asarray(r, float) - np.mean(r)) ** 2))),
            Mistake("divided_by_n_plus_1", "You divided by n + 1; the sample SD divides the sum of squares by "
                                           "n - 1.", function=lambda r: np.sqrt(_sum_of_squares(r) / (len(r) + 1))),
            Mistake("standard_error", "That is the standard error of the mean (SD / √n): the question asks for the "
                                      "SD itself.",
                    function=lambda r: reference_sd(r) / np.sqrt(len(r))),
            Mistake("n_minus_1_outside_root", "You divided the square root of the sum of squares by n - 1: the n - 1 "
                                              "belongs inside the square root, √(Σ(x - mean)² / (n - 1)).",
                    function=lambda r: np.sqrt(_sum_of_squares(r)) / (len(r) - 1)),
            Mistake("variance_by_n", "That is the variance dividing by n: take the square root, and divide by "
                                     "n - 1 (np.var(x, ddof=1), then np.sqrt).",
                    function=lambda r: np.var(np.asarray(r, dtype=float))),
        ],
        rtol=1e-6,
    ),
    ValueExercise(
        id="00.percent_negative", target="percent_negative", title="Exercise 2: percentage of negative outcomes",
        expected=100 * 12 / 17, decimals=1, unit="%", quantity="percentage",
        mistakes=[Mistake("positive_share", "That is the share of outcomes with a *positive* effect (5 of 17).",
                          value=100 * 5 / 17),
                  Mistake("negative_over_positive", "You divided the negative outcomes by the positive ones (12 / 5): "
                                                    "a percentage of all outcomes divides by all 17.",
                          value=100 * 12 / 5),
                  Mistake("positive_over_negative", "You divided the positive outcomes by the negative ones (5 / 12): "
                                                    "the question asks for the negative outcomes out of all 17.",
                          value=100 * 5 / 12)],
    ),
    ChoiceExercise(
        id="00.answer_3", target="answer_3", title="Exercise 3: what g means",
        options={"a": "0.20 points lower on the 1-7 rating scale than the placebo group",
                 "b": "0.20 standard deviations lower than the placebo group",
                 "c": "20% of the people on naltrexone felt less connected than on placebo",
                 "d": "an average rating 20% lower than the placebo group's average rating"},
        answer="b",
        explanations={
            "a": "That would be a raw mean difference, in the scale's own points. g divides the difference in means "
                 "by the standard deviation, the yardstick of section 2, so it has no scale units.",
            "b": "A standardised mean difference is the difference in means divided by the (pooled) standard "
                 "deviation: -0.20 means 0.20 standard deviations lower. Lesson 05 computes it.",
            "c": "That reads g as a share of people. g compares the groups' averages; it says nothing directly about "
                 "how many people changed (section 2: the standard deviation is the yardstick).",
            "d": "That reads g as a percentage change of the average. g divides the difference by the standard "
                 "deviation (section 2's yardstick), not by the placebo group's average."},
    ),
    Written(
        id="00.written-1", title="Reflection: what evidence would convince you?",
        rubric={2: "Names evidence for AND evidence against, each concrete (e.g. replicated drop in connection "
                   "under blockade in adequately powered, blinded trials; or well-powered null results despite "
                   "full blockade).",
                1: "Names evidence on one side only, or both sides but vaguely ('more studies').",
                0: "Blank, or no kind of evidence named."},
    ),
]
