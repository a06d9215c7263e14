"""Lesson 02 (blocking the system): the blockade model's numbers and what the lesson says of them.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""
import re

import pytest
from lesson_text import (
    cell,
    flat,
    joined,
    predictions,
    printed,
    review_text,
    strictly_longest,
)

from utils import pharmacology as ph


def test_02_prints_the_models_50mg_blockade_and_states_the_same_number():
    model = f"{ph.blockade(50):.1f}%"
    assert model == "89.9%"  # the hyperbola 100 * 50 / (50 + 5.59)
    shown = re.search(r"highest value \(at the start\): ([\d.]+%)", printed(cell("02_blocking_the_system",
                                                                                 "c4e1a9b7")))
    assert shown and shown.group(1) == model
    stated = "".join(cell("02_blocking_the_system", "d8f3b2e6")["source"])
    assert f"gives {model} for 50 mg" in stated and "likely adequate but uncertain" in stated

# The review's own words (Løseth, Trøstheim & Leknes 2024, Transl Psychiatry 14:379), copied from its text.
QUOTE_15_DAYS = "at least 15 days"


def test_02_no_longer_claims_more_than_90_percent_at_the_scan():
    lesson = joined("02_blocking_the_system")
    assert "likely adequate" in lesson and "available\nonly from 2 h" in lesson
    assert not re.search(r">\s*90\s*%[^.\n]*(at the scan|1 h after)", lesson)
    assert "model gives 89.9% for 50 mg" in "".join(cell("02_blocking_the_system", "31b3b74b")["source"])


def test_the_72_hour_half_life_and_the_carry_over_cite_results_quality():
    lesson = joined("02_blocking_the_system")
    for phrase in ("the 2024 review quotes 72 h", "the first in Inagaki et al.'s study"):
        after = lesson[lesson.index(phrase):lesson.index(phrase) + 160]
        assert "*Results: Quality of individual studies*" in after, after


def test_02_says_what_the_model_assumes_beyond_saturation():
    body = flat(joined("02_blocking_the_system"))
    assert "Saturation is the answer" not in body
    code = cell("02_blocking_the_system", "dbd9c0a7")
    halves = [ph.blockade_half_time(50, half_life_h=t) for t in (4, 12)]
    shown = [int(h) for h in re.findall(r"after (\d+) h", printed(code))]
    assert shown == [round(h) for h in halves] == [13, 41]
    # saturation alone halves the blockade within about a day; only the assumed 31.5 h reaches Lee's 72-108 h
    assert max(halves) < 72 and 72 <= ph.blockade_half_time(50) <= 108.5
    assert "That is 13 to 41 hours, far short of the 72-108 h" in body
    assert "the model **assumes** something that saturation does not explain" in body
    assert f"halves every $T$ = {ph.LEVEL_HALF_LIFE_H} h" in body


def test_02_says_at_least_15_days():
    body = flat(joined("02_blocking_the_system"))
    assert "about 15 days" not in body
    assert f'"{QUOTE_15_DAYS}" (Løseth et al. 2024, *Results: Quality of individual studies*)' in body
    assert 'label="cited: eliminated after at least 15 days"' in body


def test_the_prediction_is_right_at_a_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("02")
    assert correct == "a" and not strictly_longest(options, correct)


def test_the_quotes_match_the_review_where_its_text_is_at_hand():
    quotes = [QUOTE_15_DAYS]
    assert all(quote.strip() == quote for quote in quotes)
    review = review_text()
    if review is None:
        pytest.skip("the review's text is not at hand (shared/seeds/ beside the checkout)")
    for quote in quotes:
        assert quote in review, quote
