"""Lesson 10 (critique): the essay's claims and sources, the blockade, and the explorers' words.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""
import ast

import numpy as np
import pytest
from lesson_text import (
    cells,
    describe,
    exercise,
    explorer_draws,
    flat,
    markdown,
    outputs,
    predictions,
    strictly_longest,
)

from instructor.definitions import lesson10
from utils import data, pharmacology


def test_the_blockade_about_an_hour_after_50_mg_is_the_models_89_9_percent_not_over_90():
    peak = float(pharmacology.blockade(50))
    assert round(peak, 1) == 89.9 and peak < 90  # 100 * 50 / (50 + 5.59): the model never reaches 90% at 50 mg
    assert float(pharmacology.blockade(50, 1.0)) < peak  # an hour later it can only be lower
    text = flat(markdown(CRITIQUE))
    assert f"gives 50 mg at most {peak:.1f}%" in text
    assert f"at most {peak:.1f}% of mu" in outputs(CRITIQUE)  # printed by the lesson's own code, not pasted
    assert "available only from 2 h post-ingestion" in text and "Results: Quality of individual studies" in text
    assert "block > 90% of mu receptors at the time of rating" not in text

CRITIQUE = "10_critique"


def test_the_kappa_blockade_quoted_is_the_models_and_inside_the_primers_range():
    kappa = float(pharmacology.blockade(50, receptor="kappa"))
    assert 78 <= kappa <= 100  # Trøstheim et al. 2023: kappa 78-100% at 50 mg
    assert f"{kappa:.0f}%" in exercise("10.answer_kappa").explanations["d"]
    assert f"{kappa:.1f}% of kappa" in outputs(CRITIQUE)
    assert f"the course's model gives {kappa:.1f}%" in flat(markdown(CRITIQUE))


def test_the_essays_d_is_misattributed_to_a_review_article_not_untraceable():
    reasons = flat(" ".join(lesson10.CLAIM_REASONS.values()))   # shown by ex.sorted_reasons under exercise 3
    assert "Misattributed, not untraceable" in reasons
    assert "Annual Review of Neuroscience 2020, a review " in reasons and "not a meta-analysis" in reasons
    assert "cannot be traced to any paper" not in reasons and "untraceable code" not in reasons
    text = flat(markdown(CRITIQUE))
    assert "none of those codes can be traced" not in text
    for named in ("Emery and colleagues (2020)", "Monroe and colleagues (2023)", "Elman and colleagues (2016)",
                  "Hsu and colleagues (2013)"):
        assert named in text, named
    assert "Emery MA, Akil H." in text  # in the references, as in the review's ref. 70
    assert "Emery" in lesson10.CLAIM_HINTS["C4"] and "Monroe" in lesson10.CLAIM_HINTS["C6"]


def test_the_heroin_row_says_four_days_of_dosing_not_once():
    text = flat(markdown(CRITIQUE))
    assert "*antagonist* once" not in text
    assert "daily doses over 4 days in the 2016 diary study" in text


def test_the_poppy_comment_is_given_both_readings():
    row = next(line for line in markdown(CRITIQUE).splitlines() if line.startswith("| opioids \"have nothing"))
    assert "depends on how you read it" in row
    assert "*endogenous* opioids" in row and "led by the hand to understand why" in row and "irony" in row


def test_the_essay_is_described_with_its_caveats_and_the_texts_with_full_references():
    text = flat(markdown(CRITIQUE))
    for point in ("reverse causality", "social-isolation confounder", "error of reductionism"):
        assert point in text, point
    assert "Read the essay in full" not in text
    for title in ("Do opioids contribute to social bonding?", "Drug Addiction, Social Connection, and the Brain",
                  "The Endogenous Opioid System: Not Just Pain Relief, but the Architecture of Social Survival and "
                  "Stress Regulation"):
        assert text.count(title) >= 2, title  # where the texts are introduced, and in the references


@pytest.mark.parametrize("target, answer, words", [
    ("answer_kappa", "d", "indirectness"),
    ("answer_tests", "c", "in voles: it stopped the partner preference"),
    ("answer_hsu", "a", "need not clash"),
    ("answer_outgroup", "b", "no source is given"),
])
def test_each_addition_has_a_checked_exercise_in_the_lesson(target, answer, words):
    spec = exercise(f"10.{target}")
    assert spec.answer == answer and words in spec.options[answer]
    sources = [c.source for c in cells(CRITIQUE)]
    assert f'ex.check("10.{target}")' in "\n".join(sources)
    assert f'{target} = "{answer}"' in "\n".join(sources)


def test_the_voles_result_and_the_two_lists_of_regions_are_quoted_from_the_sources():
    assert "Not a single animal treated with repeated doses of naltrexone preferred their partner" in \
        exercise("10.answer_tests").explanations["c"]
    text = flat(markdown(CRITIQUE))
    assert "anterior cingulate cortex, insula, and ventral striatum" in text
    assert "anterior cingulate cortex, insula, amygdala, and periaqueductal gray matter" in text
    assert "They also increase negative feelings towards outgroups." in text


def test_the_critique_explorers_describe_their_state_in_words():
    (grade, grade_start), (sample, sample_start) = explorer_draws(CRITIQUE)
    text = describe(grade, grade_start)
    assert "ends at low" in text and "indirectness -1, imprecision -1" in text
    assert "ends at very low" in describe(grade, dict(grade_start, publication_bias=1))
    n = int(np.ceil(lesson10.per_group_n(-0.20)))
    assert f"needs {n} people per group for 80% power" in describe(sample, sample_start)
    assert f"needs {int(np.ceil(lesson10.per_group_n(-0.40)))} people" in describe(sample, dict(sample_start,
                                                                                                  effect=-0.40))


def test_the_review_is_shown_to_disagree_with_itself_about_full_blockade():
    text = flat(markdown(CRITIQUE))
    results = ("it is uncertain whether mu-opioid receptor blockade had reached >90% since stable PET data on "
               "mu-opioid receptor blockade with oral naltrexone are available only from 2 h post-ingestion")
    grade = ("measured social connectedness at a time point when the administered dose of naltrexone (50–100 mg) "
             "would likely have produced full (i.e., >90%) mu-opioid receptor blockade")
    discussion = "the included studies used opioid antagonist doses estimated to cause full (>90%) blockade of " \
                 "mu-opioid receptors"
    for quote in (results, grade, discussion):
        assert f'"{quote}' in text, quote
    assert "the review is **not consistent with itself**" in text


def test_claim_c11_gives_the_trials_own_table_1_interval_which_includes_zero():
    table1 = data.load_table1().set_index("study")
    row = table1.loc["Inagaki et al. [60, 61] & Ross et al. [62]"]
    g, low, high = row["connectedness_g"], row["connectedness_ci_low"], row["connectedness_ci_high"]
    assert (g, low, high) == (-0.19, -0.39, 0.02) and low < 0 < high
    reason = lesson10.CLAIM_REASONS["C11"]
    assert f"g = {g:.2f} [{low:.2f}, {high:.2f}], an interval that includes zero" in flat(reason)
    assert lesson10.CLAIM_ANSWERS["C11"] == "S"


def claims_cells() -> str:
    return "\n".join(c.source for c in cells(CRITIQUE) if c.cell_type == "code" and "CLAIMS" in c.source)


def claims() -> list:
    """The claims as the lesson lists them, from running its two claim cells (the display is not needed)."""
    namespace = {"display": lambda *args: None, "Markdown": str}
    exec(compile(claims_cells(), "<lesson 10 claims>", "exec"), namespace)
    return namespace["CLAIMS"]


def test_claim_c4_shows_the_essays_attribution_and_the_reviews_three_citations():
    quote = next(c["quote"] for c in claims() if c["id"] == "C4")
    assert quote.startswith("A systematic review by Emery and colleagues (2020)") and "(S001)" in quote
    assert "mean effect d = −0.54, 95% CI [−0.82, −0.26]" in quote
    reason = flat(lesson10.CLAIM_REASONS["C4"])
    for cited_for in ("'fine-tuned by - but not dependent on'", "spinning plate", "'come into action'"):
        assert cited_for in reason, cited_for
    assert "cites it three times" in reason and "an inference" in reason
    assert "cites it for a metaphor" not in reason
    assert "cites it three times" in flat(markdown(CRITIQUE))


def test_the_two_lists_of_regions_are_not_called_a_contradiction():
    spec = exercise("10.answer_hsu")
    assert "need not clash" in spec.options[spec.answer]
    assert "contradicts itself" in spec.options["b"] and spec.answer != "b"
    assert "not necessarily in conflict" in spec.explanations["b"]
    text = flat(markdown(CRITIQUE))
    assert "two different lists of brain regions" not in text and "the essay contradicts itself about which" not in text
    assert "(acceptance and rejection; rejection only) are partial summaries, not a contradiction" in text


def test_the_situations_include_stress_preparation_and_pain_empathy():
    contexts = set(data.load_table1()["contexts"].sum())
    assert {"Stress preparation with close other", "Pain empathy task"} <= contexts
    text = flat(markdown(CRITIQUE))
    assert "self-reported connection in kind or neutral situations" not in text
    assert "mostly in kind or neutral situations" in text
    assert "preparing for a stress task with a close other and a pain-empathy task" in text


def test_the_benchmark_for_modest_and_the_abstracts_framing_are_quoted():
    text = flat(markdown(CRITIQUE))
    assert ("Small (or null) effects are also often reported in opioid antagonist studies of socially relevant "
            "behaviours such as emotion perception [77–79], facial mimicry [80], responses to music [81–83] and "
            "stroking touch [84, 85]") in text
    assert "pleasantness of pain relief [71], photos of rewarding faces and bodies [15, 72, 73], monetary reward " \
           "[74] and taste reward [75, 76]" in text
    assert '"Results were highly consistent within and between studies (*I*² = 23%)"' in text
    assert '"driven by variance in outcomes within studies" (*I*² within = 23%, between = 0%)' in text
    assert '"The results clearly demonstrate that intact mu-opioid signalling is not essential' in text


def test_the_essays_other_unsourced_numbers_are_in_the_claim_check():
    listed = claims()
    quotes = " ".join(c["quote"] for c in listed)
    for detail in ("heart rate r = 0.71, cortisol level r = 0.58", "subjective distress (r = 0.82)",
                   "The A118G polymorphism", "normalization within 2–4 weeks (S002)"):
        assert detail in quotes, detail
    ids = [c["id"] for c in listed]
    assert ids == [f"C{i}" for i in range(1, 16)]
    assert list(lesson10.CLAIM_ANSWERS) == ids == list(lesson10.CLAIM_HINTS) == list(lesson10.CLAIM_REASONS)
    assert {k: lesson10.CLAIM_ANSWERS[k] for k in ("C13", "C14", "C15")} == {"C13": "U", "C14": "E", "C15": "U"}
    solution = next(c.source for c in cells(CRITIQUE) if "### BEGIN SOLUTION" in c.source
                    and "claim_labels" in c.source)
    assert ast.literal_eval(solution.split("### BEGIN SOLUTION")[1].split("=", 1)[1].split("###")[0].strip()) == \
        lesson10.CLAIM_ANSWERS
    assert "one fifteenth of the 3 points" in flat(markdown(CRITIQUE))


def test_exercise_3c_recaps_the_vole_study_of_lesson_01():
    text = flat(markdown(CRITIQUE))
    assert "*Recap of lesson 01:* Burkett et al. (2011) gave female prairie voles repeated naltrexone" in text


def test_the_prediction_is_right_at_a_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("10")
    assert correct == "a" and not strictly_longest(options, correct)
