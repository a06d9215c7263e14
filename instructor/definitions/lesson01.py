"""Exercises of lesson 01 (The brain opioid theory of social attachment)."""
import numpy as np

from instructor.definitions import ChoiceExercise, FunctionExercise, Mistake, Written


def reference_verdict(ci_low, ci_high):
    """+1 if the CI lies below zero (supports P1), -1 if above zero (contradicts P1), 0 if it includes zero."""
    low, high = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    return np.where(high < 0, 1, np.where(low > 0, -1, 0))


def _signs_reversed(ci_low, ci_high):
    return -reference_verdict(ci_low, ci_high)


def _by_middle(ci_low, ci_high):
    return -np.sign((np.asarray(ci_low, dtype=float) + np.asarray(ci_high, dtype=float)) / 2)


def _inconclusive_as_contradicting(ci_low, ci_high):
    return np.where(np.asarray(ci_high, dtype=float) < 0, 1, -1)


def _boundary_included(ci_low, ci_high):
    low, high = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    return np.where(high <= 0, 1, np.where(low >= 0, -1, 0))


def _ends_swapped(ci_low, ci_high):
    low, high = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    return np.where(low < 0, 1, np.where(high > 0, -1, 0))


def _never_contradicts(ci_low, ci_high):
    return np.where(np.asarray(ci_high, dtype=float) < 0, 1, 0)


EXERCISES = [
    ChoiceExercise(
        id="01.answer_1", target="answer_1", title="Exercise 1: why low doses?",
        options={"a": "Low doses are cheaper, so more puppies could be tested.",
                 "b": "A large dose could quiet any animal by sedating it; an effect at low doses points to a "
                      "specific effect on separation distress.",
                 "c": "Low doses act only on kappa receptors.",
                 "d": "Puppies cannot break down large doses."},
        answer="b",
        explanations={
            "a": "Cost has nothing to do with what the result means.",
            "b": "Yes. A sleepy or sedated animal calls less for reasons that have nothing to do with attachment; "
                 "low doses make that explanation less likely.",
            "c": "Morphine acts mainly on mu receptors, at low and high doses alike.",
            "d": "The point is about interpretation: what else could make a puppy quiet?"},
    ),
    ChoiceExercise(
        id="01.answer_2", target="answer_2", title="Exercise 2: the knockout puzzle",
        options={"a": "They cannot: the knockout result refutes the theory.",
                 "b": "The knockout pups never formed a normal attachment (they showed no preference for their "
                      "mother's cues), so separation takes less away from them; naloxone instead removes the "
                      "opioid comfort of a bond that already exists.",
                 "c": "Knockout mice make extra mu receptors to compensate.",
                 "d": "Mouse pups do not call when separated."},
        answer="b",
        explanations={
            "a": "The knockouts' deficit was specific to the mother (not cold or male odour) and came with no "
                 "preference for her cues: exactly what a failure to attach would look like.",
            "b": "Yes. The theory says opioids build the bond and make its absence painful. Without mu receptors "
                 "there is little bond and so little distress at its loss; with a bond in place, blocking opioids "
                 "makes separation worse. This is also why the 2024 review calls mu-opioids 'necessary for mouse "
                 "pups to form a normal preference for their mother' (Løseth et al. 2024, Introduction).",
            "c": "A knockout lacks the receptor's gene; it cannot make the receptor at all.",
            "d": "They do; the knockout pups simply called less than normal pups."},
    ),
    ChoiceExercise(
        id="01.answer_3", target="answer_3", title="Exercise 3: endogenous vs exogenous",
        options={"a": "True: before poppies were known, people had no opioids, so the theory applies only to "
                      "modern humans.",
                 "b": "The theory is about the opioids every mammal's brain makes; poppies are irrelevant to it. "
                      "Drugs such as naltrexone are only tools for switching that system down.",
                 "c": "Poppies grew on every continent, so the objection fails on the facts.",
                 "d": "The theory is about oxytocin, not opioids."},
        answer="b",
        explanations={
            "a": "This mixes up exogenous opioids (from poppies) with endogenous ones (made by the body), which "
                 "every mammal has.",
            "b": "Yes: read as an objection, the comment confuses the drug with the body's own system that the drug "
                 "happens to act on. (On the other reading, the commenter is making this very point himself.)",
            "c": "Even if it were true, it would miss the point: the theory does not need poppies at all.",
            "d": "Oxytocin is another candidate system, but this theory is about opioids (endogenous ones)."},
    ),
    ChoiceExercise(
        id="01.answer_4", target="answer_4", title="Exercise 4: two simple effects",
        options={"a": "Yes: a drop for close others and none for strangers means the drop is larger for established "
                      "bonds, which is P2.",
                 "b": "Not by itself: \"reduced for close others\" and \"not altered for strangers\" are two separate "
                      "tests (two simple effects); P2 needs a test of the difference between the two drug effects "
                      "(the drug x target interaction), which the abstract does not report; and VS activity is a "
                      "brain response, not the felt connection P2 is about.",
                 "c": "It contradicts P2, because the strangers showed no effect.",
                 "d": "It supports the rival explanation R."},
        answer="b",
        explanations={
            "a": "That is the 'difference in significance' trap: a significant drop for close others and a "
                 "non-significant one for strangers is not evidence that the two drops differ. P2 is about that "
                 "difference, so it needs the interaction test, which the abstract does not report (lesson 04).",
            "b": "Yes. Each simple effect compares one drug effect with zero; only the interaction compares the two. "
                 "The pattern is consistent with P2 but does not test it, and P2 is about felt connection, while "
                 "VS activity is a brain response that goes with it (lesson 04 asks how much it can show).",
            "c": "'Did not alter' means no significant change, which is not evidence of no change; and the pattern "
                 "points the way P2 predicts. It neither confirms nor contradicts P2 without the interaction test.",
            "d": "Feeling worse overall would lower the response to strangers too, and the effects remained after "
                 "adjusting for physical symptoms."},
    ),
    FunctionExercise(
        id="01.verdict", target="verdict", title="Exercise 5: verdict",
        reference=reference_verdict,
        # Single CIs and numpy arrays of CIs, each verdict, and a CI that ends exactly at zero (it includes
        # zero: inconclusive); the hidden cases are of the same kinds (Table 1's CIs among them).
        cases=[(-0.58, -0.09), (-0.35, 0.51), (0.10, 0.60), (-0.40, 0.0),
               (np.array([-0.9, -0.2, 0.3]), np.array([-0.1, 0.4, 0.8]))],
        hidden_cases=[(-4.16, -0.84), (-1.63, 0.05), (0.0, 0.35),
                      (np.array([-4.16, -0.39, 0.20, -0.57]), np.array([-0.84, 0.02, 0.90, -0.01])),
                      (np.array([-0.57, -0.49, -0.36]), np.array([0.22, 0.91, 0.46]))],
        mistakes=[
            Mistake("signs_reversed", "The signs are reversed: a CI below zero (less connection on naltrexone) "
                                      "supports P1 and should give +1.", function=_signs_reversed),
            Mistake("middle_of_ci", "You judged the study by the middle of its CI. A CI that includes zero is "
                                    "inconclusive (0), whichever side its middle is on.", function=_by_middle),
            Mistake("inconclusive_as_contradicting", "An inconclusive CI (one that includes zero) should give 0, "
                                                     "not -1: failing to find an effect is not evidence against "
                                                     "it.", function=_inconclusive_as_contradicting),
            Mistake("never_contradicts", "A CI entirely above zero (more connection on naltrexone) contradicts P1 "
                                         "and should give -1, even though no study in Table 1 does that.",
                    function=_never_contradicts),
            Mistake("boundary_included", "A CI that ends exactly at zero includes zero, so it is inconclusive (0): "
                                         "use high < 0 and low > 0, not <= and >=.", function=_boundary_included),
            Mistake("ends_swapped", "You tested the wrong end of the CI: it lies below zero when its HIGH end is "
                                    "below zero (high < 0), and above zero when its LOW end is above zero (low > 0).",
                    function=_ends_swapped),
        ],
        rtol=0, atol=1e-9,
    ),
    ChoiceExercise(
        id="01.answer_6", target="answer_6", title="Exercise 6: how strong is the evidence for P2?",
        options={"a": "It proves P2.",
                 "b": "It is consistent with P2 but weak evidence: p = .06, significance hinges on one outlier, "
                      "and the analysis was not planned in advance.",
                 "c": "It contradicts P2, because p is above .05.",
                 "d": "It says nothing, because meta-regressions cannot test predictions."},
        answer="b",
        explanations={
            "a": "One unplanned analysis with p = .06 proves nothing on its own.",
            "b": "Yes. The direction fits P2, but the evidence is fragile: borderline p, sensitive to one outlier, "
                 "and not preregistered. Lesson 09 looks at this moderator closely.",
            "c": "p > .05 means the data are compatible with no difference; it is not evidence that the difference "
                 "is zero, and the estimate points the way P2 predicts.",
            "d": "A meta-regression on relationship type is a direct, if weak, test of P2."},
    ),
    ChoiceExercise(
        id="01.answer_7", target="answer_7", title="Exercise 7: why smaller in humans?",
        options={"a": "The student is right: a theory built on animal work cannot apply to humans.",
                 "b": "The two kinds of study measure different things (behaviour and the forming of a preference in "
                      "animals, felt connection mostly to existing bonds in humans); species may differ; and "
                      "naltrexone also blocks kappa receptors. A smaller human effect is what one might expect, not "
                      "a contradiction.",
                 "c": "The human studies used too little naltrexone to block many receptors.",
                 "d": "The human studies were not blinded, so their small effects cannot be trusted."},
        answer="b",
        explanations={
            "a": "The review does not reject the animal work: it names reasons why the human effect should be "
                 "smaller (measures, species, kappa receptors) and still finds a small, consistent drop in humans.",
            "b": "Yes: these are the three reasons the review gives (Løseth et al. 2024, Abstract and Discussion). "
                 "It adds that partial reductions in mu signalling can act differently from a full knockout "
                 "(Toddes et al. 2021), so knockout animals are no simple guide to a drug blockade in people.",
            "c": "50 mg blocks about 90% of mu receptors in the first hours (lesson 02), and the review judged full "
                 "blockade likely at some point in every study (Results, Quality of individual studies).",
            "d": "All eight studies were randomised, double-blind and placebo-controlled (Løseth et al. 2024, "
                 "Table 1 note)."},
    ),
    Written(
        id="01.written-1", title="Reflection: does the isolation of heroin users count against the theory?",
        rubric={2: "Answers 'not necessarily' with both reasons: (1) the theory is about endogenous opioids, and "
                   "heroin is an exogenous opioid acting on the same receptors; (2) the animal findings (low doses "
                   "of morphine took away separation distress) suggest a steady drug supply could stand in for the "
                   "comfort of company, so isolation is consistent with the theory. A remark that the observation "
                   "is confounded (stigma, money, illness) and cannot test the theory is welcome.",
                1: "Gives only one of the two reasons, or draws the endogenous/exogenous distinction without "
                   "linking it to the animal findings or to a conclusion.",
                0: "Blank, or treats heroin users' isolation as a direct test of the theory without telling "
                   "endogenous from exogenous opioids."},
    ),
]
