"""Lesson 09 (moderators and sensitivity): the negative-mood slope, outcomes per model, relationship types.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""

import numpy as np
import pytest
from lesson_text import (
    cells,
    exercise,
    flat,
    joined,
    markdown,
    markdown_cells,
    predictions,
    strictly_longest,
)
from scipy import stats

from instructor.definitions import lesson09
from utils import data


def caption_texts(lesson):
    return ["".join(o["data"]["text/plain"]) for c in cells(lesson) for o in c.get("outputs", [])
            if "Figure." in "".join(o.get("data", {}).get("text/plain", ""))]

MODERATORS = "09_moderators_and_sensitivity"

# Negative-mood moderator, Løseth et al. 2024, Results: Results of syntheses: (B, SE, reported z, reported p).
NEGATIVE_MOOD = {"with": (-3.62, 1.55, -2.33, 0.02), "without": (0.75, 4.01, 0.19, 0.85)}


def test_lesson_09_gives_each_moderator_model_its_own_number_of_outcomes():
    text = joined("09", kinds=("markdown",))
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
    text = joined("09", kinds=("markdown",))
    assert "[−6.66, −0.58] to [−7.11, 8.61]" in text and "runs from −7.11 to\n8.61, 2.6 times as wide" in text
    negative_mood_caption = next(c for c in caption_texts("09") if "negative-mood slope" in c)
    assert "CI -6.66 to -0.58" in negative_mood_caption and "CI -7.11 to 8.61, 2.6 times" in negative_mood_caption


def test_the_negative_mood_exercise_rejects_the_interval_with_the_outlier():
    exercise = next(e for e in lesson09.EXERCISES if e.id == "09.ci_without_outlier")
    with_outlier = next(m for m in exercise.mistakes if m.name == "with_outlier")
    assert np.round(with_outlier.value, 2).tolist() == [-6.66, -0.58]
    assert np.round(exercise.expected, 2).tolist() == [-7.11, 8.61]


def test_only_two_of_the_eight_studies_rate_more_than_one_relationship_type():
    table1 = data.load_table1()
    mixed = table1.loc[table1["relationship_types"].map(lambda types: len(set(types)) > 1), "study"].tolist()
    assert len(table1) == 8 and len(mixed) == 2 and all(name.startswith("Inagaki") for name in mixed)
    text = flat(markdown(MODERATORS))
    assert "those are the only 2 of the 8 studies that rate more than one relationship type: in the other 6 the " \
           "type is fixed per study" in text
    assert "the review describes no such step" in text and "centring" in text
    # the old claim, that the outcome-level analysis compares within studies and so controls for everything
    assert "which controls for all of that" not in text
    spec = exercise("09.answer_2")
    assert "only 2 of its 8 studies rate more than one type" in spec.options[spec.answer]
    assert "within-study contrasts" not in " ".join(spec.explanations.values()).lower()
    assert "centring" in spec.explanations["a"]


def test_the_inagaki_studies_are_described_with_the_relationship_types_they_have():
    contexts = data.load_table1_contexts()
    types = contexts.groupby("study")["relationship_type"].agg(set)
    assert types["Inagaki et al. [20, 59]"] == {"unspecified", "established"}   # no strangers
    assert types["Inagaki et al. [60, 61] & Ross et al. [62]"] == {"unspecified", "established", "new"}
    text = flat(markdown(MODERATORS))
    assert "the two Inagaki et al. studies rated strangers" not in text
    assert "Inagaki et al. [20, 59] rated unspecified targets and close others; Inagaki et al. [60-62] strangers, " \
           "unspecified targets and close others" in text


def test_gosh_sits_in_an_optional_going_deeper_section():
    cells = markdown_cells(MODERATORS)
    deeper = [i for i, source in enumerate(cells) if source.startswith("### Going deeper")]
    assert len(deeper) == 1 and "GOSH" in cells[deeper[0]].splitlines()[0]
    assert "skip to **Key points**" in cells[deeper[0]]
    # nothing of the core path comes after it: only the key points (with the references) and the discussion
    assert [source.split("\n", 1)[0] for source in cells[deeper[0] + 2:]] == ["## Key points", "## Discuss"]
    assert not any("### GOSH" in source for source in cells)


def test_the_predictions_are_right_at_d_and_c_and_those_options_are_not_the_longest():
    found = predictions("09")
    assert [correct for _, correct, _ in found] == ["d", "c"]
    assert not any(strictly_longest(options, correct) for options, correct, _ in found)
