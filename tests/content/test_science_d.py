"""Lessons 10 and 11 say what the sources say (issue 21, items 1, 2, 4, 12, 15 and the additions), with every
number computed, and describe every figure and explorer state in words."""
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from instructor.definitions import lesson10
from tests.conftest import SOLUTIONS
from tests.exercise_battery.harness import base_namespace, _skip
from utils import bias, data, effects, meta, pharmacology

CRITIQUE, CAPSTONE = "10_critique", "11_capstone"


def notebook(stem):
    return nbformat.read(SOLUTIONS / f"{stem}.ipynb", as_version=4)


def markdown(stem) -> str:
    return "\n".join(c.source for c in notebook(stem).cells if c.cell_type == "markdown")


def code(stem) -> str:
    return "\n".join(c.source for c in notebook(stem).cells if c.cell_type == "code")


def outputs(stem) -> str:
    """Every text output of the solution notebook (printed text and the plain-text part of displays)."""
    texts = []
    for cell in notebook(stem).cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def flat(text: str) -> str:
    return " ".join(text.split())


def exercise(exercise_id):
    return next(e for e in lesson10.EXERCISES if e.id == exercise_id)


# --- item 2: the blockade at the scan -----------------------------------------------------------------------------
def test_the_blockade_about_an_hour_after_50_mg_is_the_models_89_9_percent_not_over_90():
    peak = float(pharmacology.blockade(50))
    assert round(peak, 1) == 89.9 and peak < 90  # 100 * 50 / (50 + 5.59): the model never reaches 90% at 50 mg
    assert float(pharmacology.blockade(50, 1.0)) < peak  # an hour later it can only be lower
    text = flat(markdown(CRITIQUE))
    assert f"gives 50 mg at most {peak:.1f}%" in text
    assert f"at most {peak:.1f}% of mu" in outputs(CRITIQUE)  # printed by the lesson's own code, not pasted
    assert "available only from 2 h post-ingestion" in text and "Results: Quality of individual studies" in text
    assert "block > 90% of mu receptors at the time of rating" not in text


def test_the_kappa_blockade_quoted_is_the_models_and_inside_the_primers_range():
    kappa = float(pharmacology.blockade(50, receptor="kappa"))
    assert 78 <= kappa <= 100  # Trøstheim et al. 2023: kappa 78-100% at 50 mg
    assert f"{kappa:.0f}%" in exercise("10.answer_kappa").explanations["d"]
    assert f"{kappa:.1f}% of kappa" in outputs(CRITIQUE)
    assert f"the course's model gives {kappa:.1f}%" in flat(markdown(CRITIQUE))


# --- item 1: the essay's named sources ---------------------------------------------------------------------------
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


# --- items 4, 12, 15 --------------------------------------------------------------------------------------------
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


# --- additions: each with a checked exercise -------------------------------------------------------------------
@pytest.mark.parametrize("target, answer, words", [
    ("answer_kappa", "d", "indirectness"),
    ("answer_tests", "c", "in voles: it stopped the partner preference"),
    ("answer_hsu", "a", "need not clash"),
    ("answer_outgroup", "b", "no source is given"),
])
def test_each_addition_has_a_checked_exercise_in_the_lesson(target, answer, words):
    spec = exercise(f"10.{target}")
    assert spec.answer == answer and words in spec.options[answer]
    sources = [c.source for c in notebook(CRITIQUE).cells]
    assert f'ex.check("10.{target}")' in "\n".join(sources)
    assert f'{target} = "{answer}"' in "\n".join(sources)


def test_the_voles_result_and_the_two_lists_of_regions_are_quoted_from_the_sources():
    assert "Not a single animal treated with repeated doses of naltrexone preferred their partner" in \
        exercise("10.answer_tests").explanations["c"]
    text = flat(markdown(CRITIQUE))
    assert "anterior cingulate cortex, insula, and ventral striatum" in text
    assert "anterior cingulate cortex, insula, amygdala, and periaqueductal gray matter" in text
    assert "They also increase negative feelings towards outgroups." in text


# --- discussion prompts and the glossary line -------------------------------------------------------------------
@pytest.mark.parametrize("stem", [CRITIQUE, CAPSTONE])
def test_each_lesson_ends_with_discussion_prompts_and_links_the_glossary(stem):
    cells = [c for c in notebook(stem).cells if c.cell_type == "markdown"]
    assert "Terms in this lesson are explained in the course [glossary](glossary.md)." in cells[0].source
    discuss = [i for i, c in enumerate(cells) if c.source.startswith("## Discuss")]
    assert len(discuss) == 1
    assert cells[discuss[0] + 1].source.startswith("## Key points")  # the last section before the summary
    answers = cells[discuss[0]].source.count("<details><summary>What a good discussion reaches</summary>")
    assert 2 <= answers <= 3 and answers == len(re.findall(r"^\*\*\d\. ", cells[discuss[0]].source, re.M))


# --- lesson 11: captions say the figures' numbers ---------------------------------------------------------------
def nine_studies():
    real = data.table1_effects()
    g, v = effects.hedges_g(5.02, 1.21, 100, 5.09, 1.17, 100)  # the hypothetical study H of the assignment
    return np.r_[real["yi"], g], np.r_[real["vi"], v], float(g), float(v), real


def captions(stem):
    return [t for t in outputs(stem).split("\n") if t.startswith("Figure. ")]


def test_the_capstone_captions_give_the_numbers_the_figures_show():
    yi, vi, g, v, real = nine_studies()
    fit9, fit8 = meta.random_effects(yi, vi), meta.random_effects(real["yi"], real["vi"])
    forest, egger_caption, loo_caption = (flat(c) for c in captions(CAPSTONE))
    assert f"Pooled with 9 studies: {fit9.estimate:.2f} [{fit9.ci_low:.2f}, {fit9.ci_high:.2f}]" in forest
    assert f"{fit8.estimate:.2f} [{fit8.ci_low:.2f}, {fit8.ci_high:.2f}]" in forest
    assert f"takes {fit9.weights[-1]:.0f}% of the weight" in forest
    assert f"only {int((vi < v).sum())} real studies have narrower intervals" in forest
    egger = bias.egger(yi, vi)
    assert f"slope {egger.slope:.2f}, p = {egger.p:.3f}" in egger_caption
    loo = np.array([meta.random_effects(np.delete(yi, i), np.delete(vi, i)).estimate for i in range(len(yi))])
    assert f"run from {loo.min():.3f} to {loo.max():.3f}" in loo_caption
    assert "leaving out Inagaki et al. [20, 59] moves it furthest" in loo_caption


# --- explorers: a description of each state ---------------------------------------------------------------------
def explorer_draws(stem):
    """Each explorer's draw function and its starting settings, from the solution's explorer cells."""
    namespace = dict(base_namespace(stem))
    found = []
    namespace["explorer"] = lambda draw, title=None, **controls: found.append(
        (draw, {name: widget.value for name, widget in controls.items()}))
    for cell in notebook(stem).cells:
        if cell.cell_type == "code" and _skip(cell.source) and "explorer(" in cell.source:
            exec(compile(cell.source, f"<{stem} explorer>", "exec"), namespace)
    return found


def describe(draw, settings):
    figure, description = draw(**settings)
    plt.close(figure)
    return description


def test_the_critique_explorers_describe_their_state_in_words():
    (grade, grade_start), (sample, sample_start) = explorer_draws(CRITIQUE)
    text = describe(grade, grade_start)
    assert "ends at low" in text and "indirectness -1, imprecision -1" in text
    assert "ends at very low" in describe(grade, dict(grade_start, publication_bias=1))
    n = int(np.ceil(lesson10.per_group_n(-0.20)))
    assert f"needs {n} people per group for 80% power" in describe(sample, sample_start)
    assert f"needs {int(np.ceil(lesson10.per_group_n(-0.40)))} people" in describe(sample, dict(sample_start,
                                                                                                  effect=-0.40))


def test_the_capstone_explorer_describes_the_updated_pooled_estimate():
    [(update, start)] = explorer_draws(CAPSTONE)
    real = data.table1_effects()
    g, n = start["g_new"], start["n_per_arm"]
    fit = meta.random_effects(np.r_[real["yi"], g], np.r_[real["vi"], 2 / n + g ** 2 / (4 * n)])
    text = describe(update, start)
    assert f"pooled g = {fit.estimate:.2f} [{fit.ci_low:.2f}, {fit.ci_high:.2f}]" in text
    assert f"weight {fit.weights[-1]:.1f}%" in text
