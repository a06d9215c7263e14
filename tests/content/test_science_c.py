"""Lessons 07-09 against the review (Løseth, Trøstheim & Leknes 2024): the numbers and wording issue 21 fixed.

Each test reads the solution notebooks or the exercise definitions and checks them against the review's reported
values, so that a later edit that brings back a wrong statement fails here.
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from instructor.definitions import lesson08, lesson09
from utils import data

ROOT = Path(__file__).resolve().parents[2]
LESSONS = {"07": "07_dependent_effects", "08": "08_bias_and_power", "09": "09_moderators_and_sensitivity"}

# The review's section headings (Introduction, Methods, Results, Discussion, Conclusion) and subsections, as printed
# in the article. There is no "Limitations" section: the limitations are paragraphs of the Discussion.
SECTIONS = {"Abstract", "Introduction", "Methods", "Results", "Discussion", "Conclusion",
            "Eligibility criteria", "Information sources", "Search strategy", "Selection process",
            "Data collection process", "Data items", "Effect size measures", "Synthesis methods",
            "Study quality assessment", "Reporting bias assessment", "Overall certainty in evidence assessment",
            "Study selection", "Study characteristics", "Results of individual studies", "Results of syntheses",
            "Quality of individual studies", "Reporting bias", "Overall certainty in evidence"}

# Negative-mood moderator, Løseth et al. 2024, Results: Results of syntheses: (B, SE, reported z, reported p).
NEGATIVE_MOOD = {"with": (-3.62, 1.55, -2.33, 0.02), "without": (0.75, 4.01, 0.19, 0.85)}


def notebook_text(lesson, kinds=("markdown", "code")):
    cells = json.loads((ROOT / "solutions" / f"{LESSONS[lesson]}.ipynb").read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] in kinds)


def caption_texts(lesson):
    cells = json.loads((ROOT / "solutions" / f"{LESSONS[lesson]}.ipynb").read_text())["cells"]
    return ["".join(o["data"]["text/plain"]) for c in cells for o in c.get("outputs", [])
            if "Figure." in "".join(o.get("data", {}).get("text/plain", ""))]


def cited_sections(text):
    """Every italic section name cited for the review: '(Løseth et al. 2024, *Results: Reporting bias*)' and the
    short forms '(*Results: Reporting bias*)' that follow a quotation of it."""
    found = []
    for match in re.finditer(r"(?:Løseth[^()]*?2024,|\()\s*\*([^*]+)\*", text):
        found += [" ".join(part.split()) for part in match.group(1).split(":")]
    return [name for name in found if len(name) > 2]       # not a statistic in italics, such as *p* or *z*


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_every_section_cited_for_the_review_exists(lesson):
    cited = cited_sections(notebook_text(lesson, kinds=("markdown",)))
    assert cited, "the lesson should cite the review's sections"
    assert not [name for name in cited if name not in SECTIONS]


def test_the_section_check_catches_a_made_up_section():
    assert cited_sections("(Løseth et al. 2024, *Limitations*)") == ["Limitations"]
    assert "Limitations" not in SECTIONS


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_no_lesson_calls_the_pooled_effect_an_upper_bound(lesson):
    # The review says the estimate "could be a slight overestimate" (Results: Reporting bias), not an upper bound.
    text = notebook_text(lesson).lower()
    assert "upper bound" not in text.replace("not an upper bound", "")


def test_lesson_08_quotes_the_reviews_wording_with_its_section():
    assert '"could be a slight overestimate" (Løseth et al. 2024, *Results:\nReporting bias*)' in notebook_text("08")


def test_the_analysed_doses_are_50_and_100_mg_and_the_explanation_says_so():
    doses = {dose for doses in data.load_table1()["naltrexone_mg"] for dose in doses}
    assert doses == {50, 100}
    explanation = next(e for e in lesson08.EXERCISES if e.id == "08.answer_2").explanations["a"]
    assert "50 or 100 mg" in explanation and "25-100 mg (Table 1)" not in explanation


def test_lesson_09_gives_each_moderator_model_its_own_number_of_outcomes():
    text = notebook_text("09", kinds=("markdown",))
    assert "on its 17\noutcomes in the three-level model" not in text
    assert "positive\nmood uses 8 outcomes from 6 studies, and negative mood 6 outcomes from 5 studies" in text


@pytest.mark.parametrize("which", ["with", "without"])
def test_the_reviews_z_and_p_follow_from_its_b_and_se(which):
    b, se, z_reported, p_reported = NEGATIVE_MOOD[which]
    z = b / se
    assert abs(z - z_reported) <= 0.01          # B and SE are rounded: -3.62 / 1.55 = -2.335
    assert round(2 * stats.norm.sf(abs(z)), 2) == p_reported


def test_the_confidence_intervals_of_the_negative_mood_slope():
    z = stats.norm.ppf(0.975)
    with_ci = (-3.62 - z * 1.55, -3.62 + z * 1.55)
    without_ci = (0.75 - z * 4.01, 0.75 + z * 4.01)
    assert np.allclose(lesson09.wald_interval(-3.62, 1.55), with_ci)
    assert np.allclose(lesson09._CI_WITHOUT, without_ci)
    assert np.round(with_ci, 2).tolist() == [-6.66, -0.58] and with_ci[1] < 0
    assert np.round(without_ci, 2).tolist() == [-7.11, 8.61] and without_ci[0] < 0 < without_ci[1]
    assert round(4.01 / 1.55, 1) == 2.6
    # the numbers the lesson states in words and in its caption
    text = notebook_text("09", kinds=("markdown",))
    assert "[−6.66, −0.58] to [−7.11, 8.61]" in text and "runs from −7.11 to\n8.61, 2.6 times as wide" in text
    negative_mood_caption = next(c for c in caption_texts("09") if "negative-mood slope" in c)
    assert "CI -6.66 to -0.58" in negative_mood_caption and "CI -7.11 to 8.61, 2.6 times" in negative_mood_caption


def test_the_negative_mood_exercise_rejects_the_interval_with_the_outlier():
    exercise = next(e for e in lesson09.EXERCISES if e.id == "09.ci_without_outlier")
    with_outlier = next(m for m in exercise.mistakes if m.name == "with_outlier")
    assert np.round(with_outlier.value, 2).tolist() == [-6.66, -0.58]
    assert np.round(exercise.expected, 2).tolist() == [-7.11, 8.61]


def test_the_hypothetical_null_explorer_has_every_setting_its_text_discusses():
    # Lesson 08's explorer looks its tables up (all settings computed once); the text after it discusses 4 and 8
    # hypothetical studies at SE 0.4 and 4 at SE 0.2.
    code = notebook_text("08", kinds=("code",))
    assert "N_NULL = range(0, 9, 2)" in code and "SE_NULL = (0.2, 0.4, 0.6, 0.8)" in code
    assert 'slider("hypothetical null studies added", 0, 8, 2, 0, integer=True)' in code
    assert 'slider("their standard error", 0.2, 0.8, 0.2, 0.4' in code
    assert {4, 8} <= set(range(0, 9, 2))


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_each_lesson_links_the_glossary_and_ends_with_a_discussion(lesson):
    cells = json.loads((ROOT / "solutions" / f"{LESSONS[lesson]}.ipynb").read_text())["cells"]
    assert "Terms in this lesson are explained in the course [glossary](glossary.md)." in "".join(cells[0]["source"])
    discuss = [i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Discuss")]
    assert len(discuss) == 1
    body = "".join(cells[discuss[0]]["source"])
    prompts = body.count("<details><summary>What a good discussion reaches</summary>")
    assert 2 <= prompts <= 3 and body.count("</details>") == prompts
    # only the key points and references come after it
    after = ["".join(c["source"]).split("\n", 1)[0] for c in cells[discuss[0] + 1:]]
    assert after == ["## Key points"]
