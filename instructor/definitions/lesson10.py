"""Exercises of lesson 10 (Critique)."""
from typing import NamedTuple

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from instructor.definitions import (Alternative, ChoiceExercise, Mistake, SortExercise, ValueExercise, Written)
from utils import pharmacology, power


def trial_power(n_total, effect=-0.20, alpha=0.05):
    """Power of a two-arm trial: power.study_power with SE = sqrt(variance_d(n_total, g)) (lesson 05)."""
    return float(power.study_power(np.sqrt(power.variance_d(n_total, effect)), effect, alpha))


def per_group_n(effect, target=0.80, alpha=0.05):
    """People per group for a two-arm trial to reach ``target`` power (the course helper, solved with brentq)."""
    return optimize.brentq(lambda n: trial_power(2 * n, effect, alpha) - target, 2, 1e6)


_POWER_40 = trial_power(80)
_N_80 = per_group_n(-0.20)
_N_T = TTestIndPower().solve_power(effect_size=0.20, power=0.80, alpha=0.05)
_N_Z = NormalIndPower().solve_power(effect_size=0.20, power=0.80, alpha=0.05)
_KAPPA_50 = float(pharmacology.blockade(50, receptor="kappa"))   # the course's model (lesson 02)
_Z_975, _Z_80 = stats.norm.ppf(0.975), stats.norm.ppf(0.80)
_STATSMODELS = ("statsmodels' {}, taught in lessons 03-04, answers the same question with a {}; the two methods "
                "differ only in their approximation")


class Claim(NamedTuple):
    """One claim of the essay to sort in exercise 3."""

    id: str
    label: str   # the right category: S, O, E or U (see ``CATEGORIES``)
    hint: str    # shown when the claim is labelled wrong
    reason: str  # why it belongs there (shown by ex.sorted_reasons once labelled right)


# S supported by the 2024 review, O supported by other cited evidence, E extrapolation, U unconfirmed number
CATEGORIES = ("S", "O", "E", "U")
CLAIMS = [
    Claim("C1", "O",
          hint="Is this PET study one of the 8 naltrexone trials, or a study the review cites for other reasons?",
          reason="A real study outside the review's pool: the review cites it (ref. 16, Hsu et al. 2013, Mol "
                 "Psychiatry) among PET studies showing mu-opioid binding related to feeling accepted or rejected. "
                 "The essay's further details about that study cannot be checked from our texts."),
    Claim("C2", "U",
          hint="Where could a reader look up r = 0.62 or '321 times'? Is a table, figure or page given?",
          reason="Two precise numbers with no table, figure or page; a citation count also changes by the day and "
                 "says nothing about whether a finding is right."),
    Claim("C3", "U",
          hint="Which study is this? Does the essay name it, or give a reference that can be traced?",
          reason="No study is named and no source code is given. The review's trials measured connectedness, not "
                 "Cyberball distress, and report standardised effects, not percentages."),
    Claim("C4", "U",
          hint="The essay names 'a systematic review by Emery and colleagues (2020)' (S001) just before the number. "
               "Find it in the review's reference list: is it a meta-analysis, or a review article that could not "
               "have produced a pooled d? A number put under the wrong kind of source is not confirmed.",
          reason="Misattributed, not untraceable, as far as the essay lets us tell. It names its source just before "
                 "the number: 'A systematic review by Emery and colleagues (2020) ... (S001)', followed by "
                 "'Meta-analysis of postmortem studies shows ...'. It never says who ran that meta-analysis; "
                 "crediting it to Emery and colleagues is the natural reading, an inference. Their paper is in the "
                 "2024 review's own reference list (ref. 70): Emery & Akil, 'Endogenous opioids at the intersection "
                 "of opioid addiction, pain, and depression', Annual Review of Neuroscience 2020, a review article, "
                 "not a meta-analysis. The 2024 review cites it three times: for feelings of connection being "
                 "'fine-tuned by - but not dependent on' mu-opioid signalling (refs 69, 70), for the metaphor of the "
                 "opioid system as a spinning plate, and for a system thought to 'come into action' under threat "
                 "(refs 70, 113), never for a number. To check d = -0.54 you would need the meta-analysis it came "
                 "from, and the essay does not name one."),
    Claim("C5", "U",
          hint="'Longitudinal studies show': which ones? The code (S001) belongs to a review article, not to a named "
               "study.",
          reason="A hazard ratio with a CI from 'longitudinal studies' that are never named. The code (S001) is the "
                 "essay's code for Emery and colleagues (2020), a review article (see C4): which study inside it, if "
                 "any, gives HR = 2.3 is not said."),
    Claim("C6", "U",
          hint="The essay names 'Monroe and colleagues (2023)', but which species, drug, dose and measurement method "
               "give '30–50%'? Can the name alone confirm the ranges?",
          reason="A named source that does not let you check the numbers: the essay credits 'a systematic review by "
                 "Monroe and colleagues (2023)' (code S015), but gives no title or journal, and no species, drug, "
                 "dose or method for the ranges; the review's reference list does not include it. And the ranges are "
                 "about chronic drug exposure, not relationships."),
    Claim("C7", "E",
          hint="The review the essay cites for this table (Elman and colleagues 2016) is about pain and addiction. "
               "Who measured the third row?",
          reason="No number is given, but nobody measured it: the row copies the pain and addiction rows and adds "
                 "'Social Loss' by analogy. A table makes an analogy look like data."),
    Claim("C8", "E",
          hint="The cited evidence is about stress-induced relapse to drug seeking in animals. Was any person's "
               "return to a partner studied?",
          reason="From animal studies of drug relapse to human relationships, with no study of the claim itself."),
    Claim("C9", "E",
          hint="Compare with what people felt during full mu-opioid blockade in the naltrexone trials.",
          reason="Relationship 'dependence' was never measured; and the review found that 'robust feelings of "
                 "connectedness are evident even during full pharmacological mu-opioid blockade' (Abstract): "
                 "connection is fine-tuned by, not dependent on, mu-opioids."),
    Claim("C10", "O",
          hint="This is about animals separated from their mothers. Are any of the review's 8 studies animal studies?",
          reason="Animal evidence outside the review: low doses of morphine reduced separation distress crying in "
                 "puppies (Panksepp et al. 1978) and in guinea pigs (Herman & Panksepp 1978)."),
    Claim("C11", "S",
          hint="Is this study among the 8 the review pooled, and which way does the pooled estimate point?",
          reason="Inagaki et al. (2020) is pooled in the review (Table 1, with refs 60-62). Its own Table 1 effect, "
                 "over all six of its contexts, is g = -0.19 [-0.39, 0.02], an interval that includes zero; the "
                 "abstract's claim is about close others only. The review backs the claim's direction through its "
                 "pooled effect, g = -0.20 [-0.32, -0.07], and effects were somewhat larger for established "
                 "relationships (B = -0.30, p = 0.06)."),
    Claim("C12", "S",
          hint="The 2016 crossover diary study: is it one of the review's 8 studies?",
          reason="Inagaki et al. (2016, the review's ref. 20) is pooled in the review, in the Table 1 row 'Inagaki et "
                 "al. [20, 59]' (g = -0.34 [-0.58, -0.09]), and the pooled effect points the same way."),
    Claim("C13", "U",
          hint="Which source gives r = 0.71, 0.58 and 0.82? The paragraph's code (S005) is given for the scale being "
               "'the gold standard', not for the correlations.",
          reason="Three precise correlations with no source: the paragraph's code (S005) is given for the Clinical "
                 "Opiate Withdrawal Scale being 'the gold standard', not for r = 0.71, 0.58 and 0.82. And they are "
                 "about drug withdrawal, not break-ups."),
    Claim("C14", "E",
          hint="Has anyone measured 'emotional withdrawal' after a break-up by OPRM1 genotype? The essay gives no "
               "source for this paragraph.",
          reason="No source is given for the A118G paragraph, and the step from a gene variant to vulnerability to "
                 "'emotional withdrawal' after a break-up goes beyond anything measured: none of the course's sources "
                 "studied break-ups, or people's OPRM1 genotype (the nearest, the review's ref. 93, varied the number "
                 "of mu-receptor gene copies in mice)."),
    Claim("C15", "U",
          hint="'Some studies' under a bare code (S002): which studies, of which drug and species, give '2–4 weeks'?",
          reason="'Some studies' under a code (S002) that the essay never ties to a name, so '2–4 weeks' cannot be "
                 "looked up; and it is about receptors recovering after chronic drug stimulation, not after a "
                 "break-up."),
]
CLAIM_ANSWERS = {claim.id: claim.label for claim in CLAIMS}
CLAIM_HINTS = {claim.id: claim.hint for claim in CLAIMS}
CLAIM_REASONS = {claim.id: claim.reason for claim in CLAIMS}

EXERCISES = [
    ChoiceExercise(
        id="10.answer_1", target="answer_1", title="Exercise 1: why 'low'?",
        options={"a": "indirectness and imprecision", "b": "publication bias and imprecision",
                 "c": "inconsistency and imprecision", "d": "risk of bias and indirectness"},
        answer="a",
        explanations={
            "a": "Yes: naltrexone blocks kappa as well as mu receptors (indirect evidence about mu-opioids), and every "
                 "study was underpowered for g = -0.20 (median power 0.15).",
            "b": "Imprecision, yes; but the review did not name publication bias: trim-and-fill found no missing "
                 "studies and the estimate did not change, even though Egger's test was significant (section 2).",
            "c": "Imprecision, yes; the Q test was significant (p = 0.03), but heterogeneity was small (I2 = 23%) "
                 "and the CIs overlapped, so inconsistency was not downgraded (section 2).",
            "d": "Indirectness, yes; but risk of bias was judged low: randomised double-blind trials with Jadad "
                 "scores 3-5 and 'only some concerns'. That only 4 of 8 were preregistered is not part of that "
                 "judgement (section 2)."},
    ),
    ChoiceExercise(
        id="10.answer_2", target="answer_2", title="Exercise 2: two questions, two ratings",
        options={"a": "imprecision: the same 8 studies pin down a drug's effect more precisely than a receptor's",
                 "b": "publication bias: missing studies of mu-selective drugs would bias only the mu question",
                 "c": "indirectness: naltrexone also blocks kappa receptors, so it answers the mu question only "
                      "indirectly",
                 "d": "risk of bias: no trial checked with PET scans that mu receptors were really blocked during "
                      "the ratings"},
        answer="c",
        explanations={
            "a": "Both questions rest on the same 8 studies and the same pooled estimate and CI, so imprecision is "
                 "judged the same for both.",
            "b": "Nothing suggests such missing studies, and missing studies of any kind would distort both questions "
                 "alike.",
            "c": "Right. The trials test naltrexone against placebo directly. Whether the effect comes from mu "
                 "receptors is another question: kappa receptors are blocked too (78-100% at 50 mg, Trøstheim et al. "
                 "2023), and their effects could even cancel some of mu's (Løseth et al. 2024, Discussion). One "
                 "level down: moderate -> low.",
            "d": "Risk of bias is about how the trials were run (randomisation, blinding, drop-out), the same for both "
                 "questions. How complete the blockade was, and of which receptors, is a question of indirectness "
                 "(section 2)."},
    ),
    SortExercise(
        id="10.claim_labels", target="claim_labels", title="Exercise 3: sorting the claims",
        answer=CLAIM_ANSWERS, categories=CATEGORIES, hints=CLAIM_HINTS, explanations=CLAIM_REASONS,
        points=3.0,
    ),
    ChoiceExercise(
        id="10.answer_kappa", target="answer_kappa", title="Exercise 3b: the essay's kappa point",
        options={"a": "imprecision: more naltrexone trials, of any size, would narrow the interval until it showed "
                      "which receptor matters",
                 "b": "inconsistency: studies that blocked more kappa than mu receptors would disagree with each "
                      "other, which is what the Q test detects",
                 "c": "publication bias: trials that found kappa effects were less likely to be published, so the mu "
                      "effect looks larger",
                 "d": "indirectness: naltrexone blocks kappa as well as mu receptors, so its trials cannot say which "
                      "receptor the effect comes from"},
        answer="d",
        explanations={
            "a": "More naltrexone trials would narrow the interval, but every one would still block both receptors: "
                 "precision cannot separate mu from kappa.",
            "b": "Every study used the same drug at 50-100 mg, blocking both receptors alike, so studies cannot differ "
                 "in that way; and the review found little heterogeneity (I2 = 23%, section 2).",
            "c": "Nothing in the review suggests missing kappa studies; the issue is that the one drug used blocks "
                 "both receptors.",
            "d": "Right. The review downgraded the mu question for indirectness: 'Naltrexone's high affinity for both "
                 "mu-opioid and kappa-opioid receptors precludes the assessment of their unique contributions' "
                 "(Løseth et al. 2024, Overall certainty in evidence). At 50 mg kappa receptors are 78-100% blocked "
                 f"(Trøstheim et al. 2023; the course's model gives {_KAPPA_50:.0f}%), and mu and kappa effects could "
                 "even cancel (Discussion). The essay's selective-antagonist study is the one that would lift the "
                 "downgrade."},
    ),
    ChoiceExercise(
        id="10.answer_tests", target="answer_tests", title="Exercise 3c: the essay's proposed tests",
        options={"a": "buprenorphine after break-ups: the review cites a trial in which it eased people's distress",
                 "b": "naltrexone against attachment, in the 8 human trials: people on naltrexone formed weaker new "
                      "bonds",
                 "c": "naltrexone against attachment, in voles: it stopped the partner preference, as the essay "
                      "predicts",
                 "d": "naltrexone against attachment, in voles: they kept huddling and mating, so the prediction "
                      "failed"},
        answer="c",
        explanations={
            "a": "None of the course's sources reports such a trial; do not invent evidence for a prediction.",
            "b": "The human trials measured feelings of connection in a session or a few days, and found a small drop "
                 "(g = -0.20) with 'robust feelings of connectedness' intact during blockade; they did not test "
                 "whether bonds form.",
            "c": "Right. 'Not a single animal treated with repeated doses of naltrexone preferred their partner over "
                 "a stranger. Yet, these animals continued to huddle and mate' (Løseth et al. 2024, Discussion, on "
                 "Burkett et al. 2011). So the essay's first test has passed in voles, for forming a bond; no study "
                 "here measured its break-up 'withdrawal'.",
            "d": "The essay predicts that naltrexone prevents attachment, not social behaviour: huddling and mating "
                 "went on, but the bond (the partner preference) failed to form, as predicted (lesson 01)."},
    ),
    ChoiceExercise(
        id="10.answer_hsu", target="answer_hsu", title="Exercise 3d: two lists of brain regions",
        options={"a": "the lists need not clash (one is about acceptance and rejection, one about rejection), but "
                      "neither can be checked: read Hsu et al. (2013)",
                 "b": "the lists differ, so the essay contradicts itself about the regions and neither passage can "
                      "be trusted",
                 "c": "the second list is the accurate one, because it names the study while the first gives only "
                      "a code",
                 "d": "they describe two different PET experiments, since only the first one mentions social "
                      "acceptance"},
        answer="a",
        explanations={
            "a": "Right. Different subsets are not a contradiction: the first sentence is about acceptance and "
                 "rejection, the second about rejection only, and a summary may name some regions and not others. "
                 "But neither gives a table or figure, and the first is tied to a review article (S001, Emery and "
                 "colleagues 2020), not to the PET study. Hsu et al. (2013) is the review's ref. 16, so the original "
                 "can be found and read.",
            "b": "Lists that differ are not necessarily in conflict: one covers acceptance and rejection, the other "
                 "rejection only, and each may be partial. The problem is that neither can be checked from the "
                 "essay, not that one of them must be false.",
            "c": "Naming a study makes a claim checkable, not correct; the essay gives no table or figure, so only "
                 "the original can say which regions were found.",
            "d": "The essay's own Hsu passage says that study scanned people 'during social rejection and "
                 "acceptance' (claim C1); the (S001) list is tied to a review article, not to a separate experiment."},
    ),
    ValueExercise(
        id="10.power_40_per_arm", target="power_40_per_arm", title="Exercise 4: the power of a 40 + 40 trial",
        expected=_POWER_40, decimals=3, quantity="proportion",
        alternatives=[
            Alternative("statsmodels_t", _STATSMODELS.format("TTestIndPower().power", "t-test on the raw means"),
                        value=TTestIndPower().power(effect_size=0.20, nobs1=40, alpha=0.05)),
            Alternative("statsmodels_normal", _STATSMODELS.format("NormalIndPower().power",
                                                                  "z-test without the g² term"),
                        value=NormalIndPower().power(effect_size=0.20, nobs1=40, alpha=0.05)),
        ],
        mistakes=[
            Mistake("one_sided", "That is the power of a one-sided test (or of alpha = 0.10). Use the default "
                                 "two-sided alpha = 0.05.", value=trial_power(80, alpha=0.10)),
            Mistake("n_40_total", "You used 40 people in total (20 per arm). The trial had 40 per arm, 80 in all.",
                    value=trial_power(40)),
            Mistake("variance_not_se", "You passed the variance, not the standard error: take the square root.",
                    value=float(power.study_power(power.variance_d(80, -0.20), -0.20))),
            Mistake("one_minus_power", "That is 1 - power, the chance of missing the effect.", value=1 - _POWER_40),
            Mistake("median_power_copied", "0.15 is the review's median power across its 8 studies, not this "
                                           "trial's: compute it with power.study_power and give 3 decimals.",
                    value=0.15),
            Mistake("n_80_per_arm", "You used 80 per arm (160 in all): the trial had 40 per arm, 80 in all, so "
                                    "variance_d(80, ...) (statsmodels' nobs1 is per group: 40).",
                    value=trial_power(160)),
            Mistake("statsmodels_t_80", "statsmodels' nobs1 is the size of *one* group: 40 here, not 80.",
                    value=TTestIndPower().power(effect_size=0.20, nobs1=80, alpha=0.05)),
            Mistake("statsmodels_normal_80", "statsmodels' nobs1 is the size of *one* group: 40 here, not 80.",
                    value=NormalIndPower().power(effect_size=0.20, nobs1=80, alpha=0.05)),
        ],
    ),
    ChoiceExercise(
        id="10.answer_5", target="answer_5", title="Exercise 5: the thermometer on the motherboard",
        options={"a": "nothing: the connection in the abstract was read off the ventral striatum signal, so the "
                      "reading is fair",
                 "b": "the feelings were self-reported ratings, collected apart from the scan; the fMRI result is a "
                      "second finding",
                 "c": "the reading fits the feelings, but the meta-analysis pooled the trial's fMRI results rather "
                      "than its ratings",
                 "d": "fMRI does not measure blood flow at all, only the brain's electrical activity, so the wording "
                      "is wrong"},
        answer="b",
        explanations={
            "a": "Re-read the abstract: 'Feelings of social connection to the close others ... were also collected'. "
                 "They were rated, not scanned.",
            "b": "Right. The abstract reports two results: lower rated connection, and lower left VS activity to "
                 "close others. The 'thermometer' criticism applies to the second (reverse inference, lesson 04), not "
                 "to the first, and the meta-analysis pools only self-reports.",
            "c": "The other way round: every study in the review measured social connectedness by self-report, and "
                 "the meta-analysis pools those ratings, not brain data (Løseth et al. 2024, Abstract).",
            "d": "fMRI's BOLD signal reflects blood oxygenation, roughly blood flow, not electrical activity; and the "
                 "problem with the comment is what was measured, not the word."},
    ),
    ChoiceExercise(
        id="10.answer_6", target="answer_6", title="Exercise 6: a fair objection",
        options={"a": "opium poppies were unknown in the Americas before about 1500, so opioids cannot matter for "
                      "bonding",
                 "b": "heroin users are socially isolated, which disproves the theory",
                 "c": "the individual studies are too small to detect an effect of the size found",
                 "d": "opioid painkillers must therefore damage family relationships"},
        answer="c",
        explanations={
            "a": "As stated here, it misses the point: the theory is about endogenous opioids, which the body makes, "
                 "so the poppy is irrelevant. (The commenter may even have meant exactly that, ironically: see the "
                 "verdicts below.)",
            "b": "Chronic use of an exogenous agonist is a different situation from a single dose of an antagonist "
                 "in healthy people, and isolation has many causes. An anecdote cannot disprove a trial result.",
            "c": "Yes: 'All studies were underpowered to detect a significant average effect size of g = -0.20' "
                 "(Løseth et al. 2024, Overall certainty in evidence); median power 0.15. That is why certainty was "
                 "downgraded for imprecision.",
            "d": "The trials blocked opioid receptors; an agonist's effect on relationships was not tested."},
    ),
    ChoiceExercise(
        id="10.answer_outgroup", target="answer_outgroup", title="Exercise 6b: a claim check",
        options={"a": "supported: the review found lower connection to strangers after naltrexone, and strangers are "
                      "an outgroup",
                 "b": "unchecked: no source is given, and none of the course's sources measured feelings towards "
                      "outgroups",
                 "c": "refuted: blocking opioids lowered connection, so opioids must raise connection to everyone, "
                      "outgroups too",
                 "d": "supported by the fMRI trial, because ventral striatum responses to strangers did not change"},
        answer="b",
        explanations={
            "a": "Strangers in the trials are new acquaintances, not an outgroup, and the trials blocked opioids; "
                 "they say nothing about opioids increasing negative feelings.",
            "b": "Right. An unsourced claim is not evidence either way: look for the study before repeating it. "
                 "Nothing in the review, the trials or the articles measured attitudes towards outgroups, and "
                 "'they' could mean the body's opioids or opioid drugs.",
            "c": "The review measured what blocking opioids does to connectedness (a small drop); it did not test "
                 "what opioids do to attitudes towards other groups, in either direction.",
            "d": "An unchanged response to strangers is not a negative feeling towards an outgroup, and 'no change' "
                 "cannot support 'an increase'."},
    ),
    ValueExercise(
        id="10.n_per_group", target="n_per_group", title="Exercise 7: people per group for 80% power",
        expected=_N_80, decimals=0, unit="per group", quantity="count",
        alternatives=[
            Alternative("rounded_up", "rounded up to whole people, as a trial recruits them",
                        value=float(np.ceil(_N_80))),
            Alternative("statsmodels_t", _STATSMODELS.format("TTestIndPower().solve_power",
                                                             "t-test on the raw means"), value=_N_T),
            Alternative("statsmodels_normal", _STATSMODELS.format("NormalIndPower().solve_power",
                                                                  "z-test without the g² term; it is the "
                                                                  "textbook formula 2(z₀.₉₇₅ + z₀.₈₀)²/g²"),
                        value=_N_Z),
        ],
        mistakes=[
            Mistake("total", "That is the total of both groups (or variance_d was given n instead of 2n): the "
                             "question asks per group.", value=2 * _N_80),
            Mistake("one_sided", "That is the size for a one-sided test (or alpha = 0.10). Use two-sided 0.05.",
                    value=per_group_n(-0.20, alpha=0.10)),
            Mistake("one_sided_statsmodels", "That is statsmodels' one-sided answer (alternative='larger'). Use the "
                                             "default two-sided test.",
                    value=TTestIndPower().solve_power(effect_size=0.20, power=0.80, alpha=0.05,
                                                      alternative="larger")),
            Mistake("meta_analysis_size", "That is the per-study size the review gives for the *meta-analysis* to "
                                          "have 80% power (120 per study, 60 per group); a single trial needs far "
                                          "more.", value=60),
            Mistake("meta_analysis_total", "That is the per-study size the review gives for the *meta-analysis* to "
                                           "have 80% power (120 per study); a single trial needs far more.",
                    value=120),
            Mistake("half_power", "That gives 50% power, not 80%.", value=per_group_n(-0.20, target=0.5)),
            Mistake("formula_without_2", "The normal approximation per group is n ≈ 2(z₀.₉₇₅ + z₀.₈₀)²/g²: the "
                                         "factor 2 is missing (each group's mean carries sampling error).",
                    value=(_Z_975 + _Z_80) ** 2 / 0.20**2),
            Mistake("z_power_subtracted", "The two quantiles add: n ≈ 2(z₀.₉₇₅ + z₀.₈₀)²/g², with "
                                          "z₀.₈₀ = stats.norm.ppf(0.80) = +0.84.",
                    value=2 * (_Z_975 - _Z_80) ** 2 / 0.20**2),
        ],
    ),
    Written(
        id="10.written-1", title="Reflection: should a doctor warn patients on naltrexone?",
        rubric={2: "Gives the size of the effect (g = -0.20, small) with its certainty (low for mu-opioids, moderate "
                   "for naltrexone vs placebo), says to whom it applies (healthy young volunteers, acute doses) and "
                   "that long-term treatment was not studied in the trials (clinical reports found no social "
                   "impairment), and ends in a proportionate recommendation (e.g. mention and monitor, not a strong "
                   "warning).",
                1: "A sensible recommendation using two or three of these elements, or one that overstates "
                   "(a firm warning) or dismisses (no effect at all) the evidence while using it correctly "
                   "otherwise.",
                0: "Blank, no use of the course's evidence, or a recommendation contradicted by it."},
    ),
    Written(
        id="10.written-2", title="Reflection: design the decisive trial",
        rubric={2: "A coherent design with a sample size near 395 per group (or a justified within-subject "
                   "alternative with washout), an active placebo, established relationships and/or a stress "
                   "context, named outcomes and a preregistered plan, and links at least three choices to the "
                   "GRADE domain each addresses (imprecision, indirectness, risk of bias, publication bias).",
                1: "A plausible design that lacks the sample size or links at most one or two choices to GRADE "
                   "domains, or misses the active placebo and the relationship/situation choice.",
                0: "Blank, or only 'a bigger study' without design choices."},
    ),
]
