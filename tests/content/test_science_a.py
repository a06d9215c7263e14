"""Lessons 00-03 state what their sources and the course's own models give (issue 21, science pass)."""
import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import TTestIndPower

from instructor import definitions
from utils import pharmacology as ph
from utils.data import load_table1

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
LESSONS = ["00_start_here", "01_opioid_theory", "02_blocking_the_system", "03_the_trials"]

# The sections of Løseth, Trøstheim & Leknes 2024 (Transl Psychiatry 14:379) and the Results' subsections.
REVIEW_SECTIONS = {"Abstract", "Introduction", "Methods", "Results", "Discussion", "Conclusion", "Table 1"}
RESULTS_SUBSECTIONS = {"Study selection", "Study characteristics", "Results of individual studies",
                       "Results of syntheses", "Quality of individual studies", "Reporting bias",
                       "Overall certainty in evidence"}


def cells(lesson):
    return json.loads((SOLUTIONS / f"{lesson}.ipynb").read_text())["cells"]


def cell(lesson, cell_id):
    found = [c for c in cells(lesson) if c.get("id") == cell_id]
    assert found, f"{lesson}: no cell {cell_id}"
    return found[0]


def text(lesson):
    return "\n".join("".join(c["source"]) for c in cells(lesson))


def printed(code_cell):
    return "".join("".join(o.get("text", "")) for o in code_cell.get("outputs", []))


# --- item 2: the blockade at the time of testing (lesson 02) -------------------------------------------------

def test_02_prints_the_models_50mg_blockade_and_states_the_same_number():
    model = f"{ph.blockade(50):.1f}%"
    assert model == "89.9%"  # the hyperbola 100 * 50 / (50 + 5.59)
    shown = re.search(r"highest value \(at the start\): ([\d.]+%)", printed(cell("02_blocking_the_system",
                                                                                 "c4e1a9b7")))
    assert shown and shown.group(1) == model
    stated = "".join(cell("02_blocking_the_system", "d8f3b2e6")["source"])
    assert f"gives {model} for 50 mg" in stated and "likely adequate but uncertain" in stated


def test_02_no_longer_claims_more_than_90_percent_at_the_scan():
    lesson = text("02_blocking_the_system")
    assert "likely adequate" in lesson and "available\nonly from 2 h" in lesson
    assert not re.search(r">\s*90\s*%[^.\n]*(at the scan|1 h after)", lesson)
    assert "model gives 89.9% for 50 mg" in "".join(cell("02_blocking_the_system", "31b3b74b")["source"])


# --- item 7: section names of the review ---------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_every_review_section_cited_exists(lesson):
    body = text(lesson)
    assert "Limitations*" not in body
    cited = re.findall(r"Løseth(?: et al\.|, Trøstheim & Leknes)[^()]*?\(?2024, \*([^*]+)\*", body)
    cited += re.findall(r"\(\*([A-Z][a-z]+(?:: [^*]+)?)\*\)", body)  # (*Discussion*) after a named source
    for section in cited:
        top, _, sub = " ".join(section.split()).partition(": ")
        assert top in REVIEW_SECTIONS, f"{lesson}: *{section}* is not a section of the review"
        if sub:
            assert top == "Results" and sub in RESULTS_SUBSECTIONS, f"{lesson}: *{section}*"


def test_the_72_hour_half_life_and_the_carry_over_cite_results_quality():
    lesson = text("02_blocking_the_system")
    for phrase in ("the 2024 review quotes 72 h", "the first in Inagaki et al.'s study"):
        after = lesson[lesson.index(phrase):lesson.index(phrase) + 160]
        assert "*Results: Quality of individual studies*" in after, after


# --- item 14: the explorer of lesson 00 ----------------------------------------------------------------------

def analytic_power(d, n):
    df, shift = 2 * n - 2, d * np.sqrt(n / 2)
    crit = stats.t.ppf(0.975, df)
    return stats.nct.sf(crit, df, shift) + stats.nct.sf(crit, df, -shift)


def test_00_power_curve_is_the_t_test_power_and_matches_the_words():
    for n in (5, 20, 100, 200):
        assert analytic_power(0.2, n) == pytest.approx(TTestIndPower().power(0.2, nobs1=n, alpha=0.05), abs=1e-6)
    assert analytic_power(0.0, 50) == pytest.approx(0.05, abs=1e-9)
    words = "".join(cell("00_start_here", "abdcae01")["source"])
    assert "about one time in ten" in words and 0.07 < analytic_power(0.2, 20) < 0.13
    assert "about half the time" in words and 0.45 < analytic_power(0.2, 200) < 0.55
    assert "well over 100 per group" not in text("00_start_here")


def test_00_explorer_simulation_agrees_with_the_calculated_power():
    source = "".join(cell("00_start_here", "ba3c7ccb")["source"])
    assert "simulated" in source.lower() and "return fig_power, description" in source
    setup = source[:source.index("# Built once")]
    namespace = {"np": np, "stats": stats}
    exec(setup, namespace)
    sizes, share = namespace["sizes"], namespace["simulated_power"](0.2)
    # 1000 simulated trials: each share within 4 binomial standard errors of the calculated power
    expected = analytic_power(0.2, sizes)
    assert np.all(np.abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / 1000))
    assert np.all(np.abs(namespace["simulated_power"](0.0) - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 1000))


def test_00_stub_text_matches_the_stub_the_lesson_shows():
    words = "".join(cell("00_start_here", "37aa1708")["source"])
    assert "`# YOUR CODE HERE`" in words and "`pass`" in words and "`...`" not in words
    lesson = json.loads((ROOT / "lessons" / "00_start_here.ipynb").read_text())
    stub = [c for c in lesson["cells"] if c.get("id") == "76fa83f9"][0]
    assert "# YOUR CODE HERE" in "".join(stub["source"]) and "pass" in "".join(stub["source"])


# --- items 3, 4 and the additions: the exercises teach what the sources say ---------------------------------

def exercise(lesson, exercise_id):
    return [e for e in definitions.load(lesson) if e.id == exercise_id][0]


def test_01_exercise_4_teaches_the_difference_in_significance_trap():
    ex4 = exercise("01_opioid_theory", "01.answer_4")
    assert ex4.answer == "a" and "interaction" in ex4.options["a"]
    assert "interaction" in ex4.explanations["b"] and "felt connection" in ex4.options["a"]


def test_01_poppy_comment_is_given_both_readings():
    body = text("01_opioid_theory")
    assert "can be read in two ways" in body and "As an objection" in body and "same point the replies make" in body
    assert "The replies are right" not in body


def test_01_names_the_reviews_reasons_for_the_smaller_human_effect():
    body = "".join(cell("01_opioid_theory", "c7a2f1b9")["source"])
    for reason in ("Measurement", "Species", "Other receptors", "Toddes et al. 2021"):
        assert reason in body
    assert exercise("01_opioid_theory", "01.answer_7").answer == "c"


def test_03_registry_and_review_accounts_of_the_exclusions_agree():
    body = text("03_the_trials")
    assert "α = .93, from the results posted in the trial's registry entry" in body
    exclusions = "".join(cell("03_the_trials", "3426c839")["source"])
    screened, excluded = (int(x) for x in re.search(r"count (\d+) people screened and (\d+) excluded",
                                                     exclusions).groups())
    participants = load_table1().set_index("study").loc["Inagaki et al. [20, 59]", "n"]
    assert screened - excluded == participants == 31
    assert "three female participants" in exclusions and "after dosing" in exclusions


def test_03_tchalova_row_printed_is_table_1():
    row = load_table1().set_index("study").loc["Tchalova & MacDonald [21]"]
    out = printed(cell("03_the_trials", "c5a1e7f9"))
    assert f"N = {row['n']}" in out
    assert (f"g = {row['connectedness_g']:.2f} [{row['connectedness_ci_low']:.2f}, "
            f"{row['connectedness_ci_high']:.2f}]") in out
    assert row["connectedness_ci_low"] < 0 < row["connectedness_ci_high"]  # "an interval that includes zero"
    assert row["positive_mood_ci_high"] < 0                              # the mood effect lies below zero


def test_03_mood_exercises_point_to_the_diary_finding():
    assert exercise("03_the_trials", "03.answer_6").answer == "c"
    assert "their difference was not tested" in exercise("03_the_trials", "03.answer_6").options["c"]
    assert exercise("03_the_trials", "03.answer_8").answer == "d"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_links_the_glossary_and_ends_with_a_discussion(lesson):
    first, last = cells(lesson)[0], cells(lesson)[-1]
    assert "Terms in this lesson are explained in the course [glossary](glossary.md)." in "".join(first["source"])
    end = "".join(last["source"])
    assert end.startswith("## Discuss")
    prompts = re.findall(r"^\d\. ", end, flags=re.M)
    assert 2 <= len(prompts) <= 3 and end.count("<summary>What a good discussion reaches</summary>") == len(prompts)
