"""Lesson 04 (the fMRI trial): the blockade at the scan, the simple effects and the one-tailed p.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""

import pytest
from lesson_text import (
    markdown_cells,
    outputs,
    predictions,
)


def test_04_blockade_at_the_scan_is_likely_adequate_but_uncertain_and_the_model_gives_89_9():
    from utils import pharmacology
    cells = markdown_cells("04")
    text = "\n".join(cells)
    assert "blocks more\n  than 90%" not in text and "more than 90% of mu-opioid receptors" not in text
    assert "Likely adequate but uncertain" in text and "60-95 min" in text and "2 h post-ingestion" in text
    assert "*Results: Quality of individual studies*" in text
    model = pharmacology.blockade(50)
    assert model == pytest.approx(100 * 50 / (50 + 5.59)) and round(model, 1) == 89.9 < 90
    assert f"after 50 mg: {model:.1f}%" in outputs("04")  # computed in the lesson ...
    assert f"at {model:.1f}% (computed below)" in text  # ... and the text says the same


def test_04_key_points_teach_the_two_simple_effects_as_the_difference_in_significance_trap():
    cells = markdown_cells("04")
    key = next(c for c in cells if "## Key points" in c).split("## Key points")[1]
    for words in ("*simple effects*", "difference-in-significance trap", "interaction test does, and the abstract "
                  "reports none", "P2", "*felt* connection"):
        assert words in key.replace("\n  ", " "), words


def test_04_the_042_was_significant_one_tailed_only():
    from scipy import stats
    cells = markdown_cells("04")
    power_text = next(c for c in cells if "winner's curse" in c).replace("\n", " ")
    two_tailed = 2 * stats.t.sf(1.859, 75)
    assert 0.05 < two_tailed and f"{two_tailed:.3f}"[1:] == ".067"
    assert "significant only one-tailed (*p* = .034; two-tailed *p* = .067" in power_text
    assert stats.t.sf(1.859, 75) == pytest.approx(0.034, abs=1e-3)  # the paper's one-tailed p


def test_the_prediction_is_right_at_c():
    [(_, correct, _)] = predictions("04")
    assert correct == "c"
