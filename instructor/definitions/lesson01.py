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
        options={"a": "A large dose could quiet any animal by sedating it; quieting at low doses points to a "
                      "specific effect on distress.",
                 "b": "It shows that the puppies' own opioids were easing their distress, which a high dose of "
                      "morphine could not show.",
                 "c": "Low doses act on mu receptors only, so the quieting can be pinned on the receptor the "
                      "theory is about.",
                 "d": "If even a little morphine quiets them, opioids must drive most of the distress: a low dose "
                      "shows how big the effect is."},
        answer="a",
        explanations={
            "a": "Yes. A sleepy or sedated animal calls less for reasons that have nothing to do with attachment; "
                 "low doses make that explanation less likely.",
            "b": "That mixes up agonists and antagonists. Morphine is an agonist: it shows that opioids can ease "
                 "separation distress, not that the puppy's own opioids normally do. Only an antagonist such as "
                 "naloxone shows that (section 3, after Figure 1).",
            "c": "The dose does not make morphine selective: it acts mainly on mu receptors at low and high doses "
                 "alike. 'Low' matters for another reason: a large dose could quiet a puppy by sedating it.",
            "d": "That reads potency as importance. The abstracts give directions, not sizes (Figure 1), so how "
                 "much of the distress opioids explain is unknown. 'Low' matters because it makes sedation an "
                 "unlikely explanation."},
    ),
    ChoiceExercise(
        id="01.answer_2", target="answer_2", title="Exercise 2: the knockout puzzle",
        options={"a": "They cannot both fit: if the body's opioids eased separation distress, pups with no mu "
                      "receptors at all should call more than normal pups.",
                 "b": "Without mu receptors the pups feel less distress of every kind, so they call less in any "
                      "unpleasant situation, not only when separated.",
                 "c": "Knockout pups formed no normal bond (no preference for their mother's cues), so separation "
                      "takes less from them; naloxone takes comfort from a bond that exists.",
                 "d": "The knockout pups rely on their kappa receptors instead, and kappa activity calms "
                      "separation distress in just the same way that mu activity does in normal pups."},
        answer="c",
        explanations={
            "a": "That assumes fewer opioids always mean more distress. The knockouts' deficit was specific to the "
                 "mother (not cold or male odour) and came with no preference for her cues: what a failure to "
                 "attach would look like (Figure 1 and its note).",
            "b": "The deficit was not general: the knockout pups called less only when separated from their "
                 "mother, not when cold or exposed to male odour (Moles et al. 2004; the note under Figure 1).",
            "c": "Yes. The theory says opioids build the bond and make its absence painful. Without mu receptors "
                 "there is little bond and so little distress at its loss; with a bond in place, blocking opioids "
                 "makes separation worse. This is also why the 2024 review calls mu-opioids 'necessary for mouse "
                 "pups to form a normal preference for their mother' (Løseth et al. 2024, Introduction).",
            "d": "Kappa is no stand-in for mu: in animals its activity has pain-promoting and social-aversion-like "
                 "effects, opposite to mu's (section 2's table). The clue is the missing bond: the knockouts "
                 "showed no preference for their mother's cues."},
    ),
    ChoiceExercise(
        id="01.answer_3", target="answer_3", title="Exercise 3: endogenous vs exogenous",
        options={"a": "Opioids came into human life with the opium poppy, so bonds formed before then must have "
                      "relied on other chemicals, such as oxytocin.",
                 "b": "Poppies did grow in the Americas before 1500, so the objection fails on its facts and the "
                      "theory survives unchanged.",
                 "c": "The objection is right about drugs, but the trials avoid the problem because naltrexone is "
                      "one of the body's own opioids.",
                 "d": "The theory is about opioids every mammal's body makes, poppies or not; drugs such as "
                      "naltrexone are only tools to switch them down."},
        answer="d",
        explanations={
            "a": "This mixes up exogenous opioids (from poppies) with endogenous ones, which every mammal's body "
                 "makes: endorphins, enkephalins, dynorphins (section 4).",
            "b": "That answers the wrong question: whatever the botany, the theory does not need poppies at all, "
                 "because it is about the opioids the body makes (section 4).",
            "c": "Naltrexone is a drug, an exogenous antagonist: it blocks the receptors so that the body's own "
                 "opioids cannot act (section 4). It is not one of the body's opioids.",
            "d": "Yes: read as an objection, the comment confuses the drug with the body's own system that the "
                 "drug happens to act on. (On the other reading, the commenter is making this very point himself.)"},
    ),
    ChoiceExercise(
        id="01.answer_4", target="answer_4", title="Exercise 4: two simple effects",
        options={"a": "Not by itself: these are two simple effects, not the drug x target interaction P2 needs, "
                      "and VS activity is a brain response, not felt connection.",
                 "b": "Yes: a significant drop for close others next to no significant change for strangers shows "
                      "that the drop is larger for established bonds, as P2 says.",
                 "c": "No, it counts against the theory: \"did not alter\" shows that naltrexone had no effect at "
                      "all on strangers, so blockade does not lower connection in general.",
                 "d": "Yes, and more: VS activity is the brain's reward response, so a drop in it for close others "
                      "shows directly that people felt less connected to them."},
        answer="a",
        explanations={
            "a": "Yes. Each simple effect compares one drug effect with zero; only the interaction compares the "
                 "two. The pattern is consistent with P2 but does not test it, and P2 is about felt connection, "
                 "while VS activity is a brain response that goes with it (lesson 04 asks how much it can show).",
            "b": "That is the 'difference in significance' trap: a significant drop for close others and a "
                 "non-significant one for strangers is not evidence that the two drops differ. P2 is about that "
                 "difference, so it needs the interaction test, which the abstract does not report (the box after "
                 "this exercise; lesson 04).",
            "c": "'Did not alter' means no significant change, which is not evidence of no change (section 6: a CI "
                 "that includes zero is inconclusive). And a drop for close others with less or none for strangers "
                 "is the pattern P2 predicts; without the interaction test it neither confirms nor contradicts P2.",
            "d": "That is reverse inference: VS activity goes with reward, but it is not the feeling, and P2 is "
                 "about felt connection (the box after this exercise; lesson 04). Nor does a drop for close others "
                 "alone settle the comparison with strangers, which needs the interaction test."},
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
        options={"a": "It contradicts P2: with p above .05, the drop is no larger for established relationships "
                      "than for new ones.",
                 "b": "It confirms P2: without the outlier p = .04, and the analysis without an outlier is the "
                      "cleaner of the two.",
                 "c": "It cannot bear on P2, because the relationship types were judged by the authors, not "
                      "reported by participants.",
                 "d": "It is consistent with P2 but weak: p = .06, significance hinges on one outlier, and it was "
                      "not planned."},
        answer="d",
        explanations={
            "a": "p > .05 means the data are compatible with no difference; it is not evidence that the difference "
                 "is zero, and the estimate points the way P2 predicts (section 6: inconclusive is not "
                 "contradicting).",
            "b": "Choosing, after seeing the data, the analysis that crosses p < .05 is how fragile findings are "
                 "made: one outlier decides significance, and the analysis was added at a reviewer's suggestion, "
                 "not planned. Lesson 09 looks at this moderator closely.",
            "c": "The authors' classification is a limitation (another reader might classify some contexts "
                 "differently), but it does not stop the regression from being a direct, if weak, test of P2.",
            "d": "Yes. The direction fits P2, but the evidence is fragile: borderline p, sensitive to one outlier, "
                 "and not preregistered. Lesson 09 looks at this moderator closely."},
    ),
    ChoiceExercise(
        id="01.answer_7", target="answer_7", title="Exercise 7: why smaller in humans?",
        options={"a": "The student is right: if bonds depended on opioids, blocking them in people would have "
                      "wiped out felt connection as it did in voles.",
                 "b": "The human studies used too little naltrexone to block many receptors, so a small human "
                      "effect is simply what a weak blockade gives.",
                 "c": "They measure different things (voles: forming a bond; people: felt connection, mostly not "
                      "to an existing bond); species may differ; naltrexone also blocks kappa.",
                 "d": "The student has it backwards: the people in the trials rated bonds they already had, and "
                      "the theory is only about forming bonds, so no effect at all was expected."},
        answer="c",
        explanations={
            "a": "That expects all or nothing. The review does not reject the animal work: it gives reasons why "
                 "the human effect could be smaller (measures, species, kappa receptors) and still finds a small, "
                 "consistent drop (section 7).",
            "b": "50 mg blocks about 90% of mu receptors in the first hours (lesson 02), and the review judged the "
                 "doses broadly consistent with full mu-opioid blockade (Løseth et al. 2024, Discussion). Dose is "
                 "not the review's explanation.",
            "c": "Yes: these are the three reasons the review gives (Løseth et al. 2024, Abstract and Discussion). "
                 "In Table 1 only 5 of the 16 contexts concern established relationships (5 new, 6 unspecified), "
                 "and 4 of the 8 studies rated only new ones; the review's Conclusion asks future studies to "
                 "'target established connections'. Partial reductions in mu signalling can also act differently "
                 "from a knockout (Toddes et al. 2021).",
            "d": "Most human ratings were not about existing bonds: in Table 1 only 5 of the 16 contexts concern "
                 "established relationships (5 new, 6 unspecified), and 4 of the 8 studies rated only new ones "
                 "(section 7). And the theory is also about keeping bonds (P2), so an effect was expected."},
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
