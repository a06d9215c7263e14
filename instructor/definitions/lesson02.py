"""Exercises of lesson 02 (Blocking the system: what naltrexone does to opioid receptors)."""
import numpy as np

from instructor.definitions import ChoiceExercise, Forbidden, FunctionExercise, Mistake, ValueExercise, Written
from utils import pharmacology as ph

SCHEDULE_MG, SCHEDULE_H = [25, 25, 50, 50], [0, 24, 48, 72]  # NCT01672723: 25, 25, 50, 50 mg, 24 h apart
DOSE_MU90 = ph.dose_for_blockade(90)  # 9 x ED50 = 50.31 mg


def reference_blockade(dose_mg, ed50_mg):
    """Blockade (%) = 100 D / (D + ED50) (Trøstheim et al. 2023), the course's ``ph.occupancy``."""
    return ph.occupancy(dose_mg, ed50_mg)


EXERCISES = [
    FunctionExercise(
        id="02.blockade_percent", target="blockade_percent", title="Exercise 1: blockade_percent",
        reference=reference_blockade,
        # Single doses and arrays (with a zero dose), the mu ED50 and other ED50s (kappa 2x, delta 79x): the
        # hidden cases are of the same kinds.
        cases=[(50, 5.59), (25, 5.59), (5.59, 5.59), (np.array([0.0, 2.0, 100.0]), 5.59), (50, 79 * 5.59)],
        hidden_cases=[(100, 5.59), (2, 5.59), (50, 2 * 5.59), (np.array([1.0, 30.0, 150.0]), 2 * 5.59), (0.0, 5.59),
                      (10, 3.0)],
        mistakes=[
            Mistake("free_share", "That is the share of receptors still FREE: blockade is D / (D + ED50), not "
                                  "ED50 / (D + ED50).",
                    function=lambda d, e: 100 * e / (np.asarray(d, dtype=float) + e)),
            Mistake("dose_over_ed50", "The curve is D / (D + ED50): the ED50 goes into the denominator together "
                                      "with the dose.", function=lambda d, e: 100 * np.asarray(d, dtype=float) / e),
            Mistake("fixed_ed50", "You used 5.59 mg whatever the ed50_mg argument: use the argument, so the same "
                                  "function works for kappa and delta receptors too.",
                    function=lambda d, e: 100 * np.asarray(d, dtype=float) / (np.asarray(d, dtype=float) + 5.59)),
            Mistake("precedence", "Python computes 100 * D / D + ED50 as (100 * D / D) + ED50: put the denominator "
                                  "in parentheses, 100 * D / (D + ED50).",
                    function=lambda d, e: 100 * np.asarray(d, dtype=float) / np.asarray(d, dtype=float) + e),
            Mistake("ed50_times_dose", "The denominator ADDS the dose and the ED50: D / (D + ED50), not D / (D * "
                                       "ED50).",
                    function=lambda d, e: 100 * np.asarray(d, dtype=float) / (np.asarray(d, dtype=float) * e)),
        ],
        forbidden=[Forbidden(names=("ph", "pharmacology"),
                             hint="Write the formula 100 * D / (D + ED50) yourself: the exercise asks you not to call "
                                  "the course's ph.occupancy or ph.blockade, which the check compares with.")],
        rtol=1e-6,
        quantity="percentage",
    ),
    ValueExercise(
        id="02.dose_95", target="dose_95", title="Exercise 2: dose for 95% blockade",
        expected=ph.dose_for_blockade(95), decimals=1, unit="mg",
        mistakes=[
            Mistake("fraction_inverted", "Solving gives D = ED50 * p / (100 - p); you seem to have the fraction upside "
                                         "down.", value=5.59 * 5 / 95),
            Mistake("p_missing", "Close to the right idea, but the p in the numerator is missing: "
                                 "D = ED50 * p / (100 - p).", value=5.59 * 100 / 5),
            Mistake("not_solved", "ED50 * p / 100 is not the solution: solve p = 100 D / (D + ED50) for D "
                                  "(multiply out, collect the D terms).", value=5.59 * 95 / 100),
            Mistake("percent_and_proportion", "You mixed a percentage and a proportion: 95 in the numerator but "
                                              "1 - 0.95 in the denominator. Use 95 / (100 - 95), or 0.95 / (1 - 0.95).",
                    value=5.59 * 95 / (1 - 0.95)),
            Mistake("kappa_ed50", "That uses the kappa ED50 (about 2 × 5.59 mg); the question is about mu receptors "
                                  "(ED50 5.59 mg).", value=2 * 5.59 * 95 / 5),
        ],
    ),
    ChoiceExercise(
        id="02.answer_3", target="answer_3", title="Exercise 3: the 49-hour statement",
        options={"a": "Because 31.5 h is too short; with a level half-life of a few hundred hours the blockade "
                      "would stay above 90%.",
                 "b": "Because the curve gives 50 mg only 89.9% at the start, and a level that only falls can "
                      "never raise the blockade.",
                 "c": "Because the model ignores absorption; adding the first hour's rise would lift the blockade "
                      "above 90% for 49 h.",
                 "d": "Because doses do not add up in the model, so it cannot build up the higher level that "
                      "repeated dosing would give."},
        answer="b",
        explanations={
            "a": "That assumes the half-life is the bottleneck. Try it: ph.blockade(50, 49, half_life_h=1e6) is "
                 "still 89.9%. Even a level that never falls stays below 90%.",
            "b": "Yes. 100 * 50 / (50 + 5.59) = 89.9% is the most the model can give for 50 mg, at any time.",
            "c": "Absorption would make the first hour lower, not higher: the model's ceiling is the curve's value "
                 "for the whole dose, 89.9% (section 4: the model ignores absorption, and even its value at the "
                 "moment of dosing is under 90%).",
            "d": "Doses do add up in the model (section 3, step 1: levels from doses at different times are "
                 "summed), but the statement is about one 50 mg dose, whose ceiling is 89.9%."},
    ),
    ValueExercise(
        id="02.residual_7_days", target="residual_7_days", title="Exercise 4: residual blockade after 7 days",
        expected=ph.blockade(50, 7 * 24), decimals=1, unit="%", quantity="percentage",
        mistakes=[
            Mistake("days_as_hours", "The model counts time in hours: 7 days is 7 * 24 hours.",
                    value=ph.blockade(50, 7)),
            Mistake("naive_exponential", "That is the shortcut of Figure 1 (blockade halving every 72 h from 98%). "
                                         "Use the model: ph.blockade(50, 7 * 24).",
                    value=ph.naive_exponential(7 * 24)),
            Mistake("kappa", "That is the kappa blockade; the question asks about mu receptors (the default).",
                    value=ph.blockade(50, 7 * 24, receptor="kappa")),
            Mistake("level_not_blockade", "That is the drug LEVEL left after 7 days (in mg), not the blockade: put it "
                                          "through the curve, 100 L / (L + ED50), or use ph.blockade(50, 7 * 24).",
                    value=50 * 2 ** (-7 * 24 / ph.LEVEL_HALF_LIFE_H)),
            Mistake("at_the_dose", "That is the blockade right after the dose (hour 0); the question asks 7 days "
                                   "(168 hours) later.", value=ph.blockade(50, 0)),
            Mistake("halved_per_day", "Halving once a day treats the half-life as 24 hours; the model's level "
                                      "halves every 31.5 hours (ph.blockade(50, 7 * 24)).",
                    value=ph.occupancy(50 * 2 ** -7, ph.ED50_MU_MG)),
        ],
    ),
    ValueExercise(
        id="02.residual_10_days", target="residual_10_days",
        title="Exercise 5: residual blockade after the diary study's washout",
        expected=ph.blockade_after_doses(SCHEDULE_MG, SCHEDULE_H, 72 + 240), decimals=1, unit="%",
        quantity="percentage",
        mistakes=[
            Mistake("from_first_dose", "You measured 10 days from the FIRST dose; the washout starts after the last "
                                       "one (hour 72).", value=ph.blockade_after_doses(SCHEDULE_MG, SCHEDULE_H, 240)),
            Mistake("last_dose_only", "That counts only the last 50 mg dose; the three earlier doses still add to the "
                                      "level.", value=ph.blockade(50, 240)),
            Mistake("days_as_hours", "The model counts time in hours: 10 days is 240 hours.",
                    value=ph.blockade_after_doses(SCHEDULE_MG, SCHEDULE_H, 72 + 10)),
            Mistake("blockades_added", "Doses add up as drug LEVELS, not as blockades: adding four blockades "
                                       "overcounts, because the curve saturates. ph.blockade_after_doses adds the "
                                       "levels, then applies the curve once.",
                    value=sum(ph.blockade(d, 72 + 240 - h) for d, h in zip(SCHEDULE_MG, SCHEDULE_H))),
            Mistake("all_at_last_dose", "You put all 150 mg at the last dose's time: the earlier doses have had "
                                        "longer to wear off. Give each dose its own time (ph.blockade_after_doses).",
                    value=ph.blockade(sum(SCHEDULE_MG), 240)),
            Mistake("level_not_blockade", "That is the drug LEVEL left (in mg), not the blockade: put it through the "
                                          "curve, 100 L / (L + ED50), as ph.blockade_after_doses does.",
                    value=sum(d * 2 ** (-(72 + 240 - h) / ph.LEVEL_HALF_LIFE_H)
                              for d, h in zip(SCHEDULE_MG, SCHEDULE_H))),
            Mistake("schedule_in_days", "The model counts time in hours: a schedule written in days ([0, 1, 2, 3], "
                                        "then 3 + 10) is read as hours. Use [0, 24, 48, 72] and 72 + 240.",
                    value=ph.blockade_after_doses(SCHEDULE_MG, [0, 1, 2, 3], 3 + 10)),
        ],
    ),
    ChoiceExercise(
        id="02.answer_6", target="answer_6", title="Exercise 6: carry-over",
        options={"a": "It moves their placebo session towards a naltrexone session: the drug-placebo gap shrinks, "
                      "and second sessions look worse.",
                 "b": "It inflates the naltrexone effect: leftover drug adds to the blockade, so the drug seems to "
                      "do more than it really does.",
                 "c": "Nothing in the end: the order was randomised, so whatever carry-over does in one order is "
                      "balanced by the other order.",
                 "d": "It affects mainly the people who had placebo first, since their naltrexone session comes "
                      "after a session without any drug."},
        answer="a",
        explanations={
            "a": "Yes. Carry-over biases the drug effect towards zero and lowers second-session ratings, the "
                 "pattern the review points to in Inagaki et al.'s study (Løseth et al. 2024, Results: Quality of "
                 "individual studies).",
            "b": "That reads leftover drug as extra drug effect. Residual blockade lowers the placebo condition, "
                 "which brings it closer to naltrexone: the gap shrinks (Figure 2).",
            "c": "Randomising the order balances order across people, but carry-over is one-sided (naltrexone to "
                 "placebo only), so it does not cancel out (Figure 2).",
            "d": "That gets the direction backwards. Placebo leaves nothing behind; it is the naltrexone that "
                 "lingers into the next session (Figure 2)."},
    ),
    ValueExercise(
        id="02.kappa_at_mu90", target="kappa_at_mu90", title="Exercise 7: kappa blockade at 90% mu",
        expected=ph.blockade(DOSE_MU90, receptor="kappa"), decimals=1, unit="%", quantity="percentage",
        mistakes=[
            Mistake("fifty_mg", "That is the kappa blockade for 50 mg, which blocks 89.9% of mu receptors, not "
                                "exactly 90%: take the dose from ph.dose_for_blockade(90) (about 50.3 mg).",
                    value=ph.blockade(50, receptor="kappa")),
            Mistake("delta", "That is the delta receptor (ED50 79 x mu's); the question asks about kappa.",
                    value=ph.blockade(DOSE_MU90, receptor="delta")),
            Mistake("mu", "That is the mu blockade; use receptor=\"kappa\" (ED50 about 2 x mu's).", value=90.0),
            Mistake("half_ed50", "For kappa the ED50 is about TWICE the mu ED50, not half of it.",
                    value=ph.occupancy(DOSE_MU90, ph.ED50_MU_MG / 2)),
            Mistake("halved_blockade", "Blockade is not proportional to affinity: doubling the ED50 does not halve "
                                       "the blockade. Put the dose into the curve with the kappa ED50.", value=45.0),
            Mistake("dose_for_95", "That uses the dose for 95% mu blockade; the question starts from 90% "
                                   "(ph.dose_for_blockade(90)).",
                    value=ph.blockade(ph.dose_for_blockade(95), receptor="kappa")),
        ],
    ),
    Written(
        id="02.written-1", title="Reflection: planning a within-subject naltrexone study",
        rubric={2: "Chooses all three with a reason from the lesson: a dose near 50 mg (about 90% mu blockade; more "
                   "adds little and cannot spare kappa), testing soon after dosing (1-2 h, within the first hours of "
                   "high blockade), and at least 15 days between sessions (7-10 days leave residual blockade); AND "
                   "says what to report for carry-over (results by session order / period x treatment, or placebo "
                   "sessions before vs after naltrexone).",
                1: "Gives the three choices without reasons, or with reasons but no plan for reporting carry-over, "
                   "or keeps a washout shorter than 15 days without justification.",
                0: "Blank, or choices that contradict the lesson (e.g. a 7-day washout called sufficient, testing "
                   "days after the dose) with no reasoning."},
    ),
]
