"""Lessons 03-05 after the teaching pass (issue 26) and the multiple-choice rewrite (issue 25, item 1).

Each test reads the solution notebook, a definition or the data file and pins a number, a quote or a rule that the
lesson must keep; each would fail on the wording it replaced.
"""
import collections
import json
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from statsmodels.stats.power import TTestIndPower

from instructor import definitions
from utils import effects
from utils.data import load_table1

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
TRIALS, FMRI, EFFECTS = "03_the_trials", "04_the_fmri_trial", "05_effect_sizes"

# Quotes checked word for word against the sources (the news article on Inagaki et al. 2016, and Løseth,
# Trøstheim & Leknes 2024, Translational Psychiatry 14:379: Discussion, and Results: Quality of individual studies).
REVIEW_SIDE_EFFECTS = ("In studies where physical side effect symptoms were\nmeasured, naltrexone caused a modest "
                       "increase in symptoms and symptom-related distress [60–62]")
REVIEW_NOT_ASSESSED = "we\nnote that some included studies did not assess side effects"
REVIEW_GUT_FEELING = "“gut feeling” or indirectly via distress\nand/or impaired mood"
REVIEW_15_DAYS = ("\"it takes at least 15 days for the blockade to be\n"
                  "eliminated [54], i.e., five times the half-life [68]\"")
NEWS_GENES = ("\"Research has\nshown that genetic differences in opioid receptors lead to increased risk of addiction, "
              "just as her research\nsuggests blocking opioid receptors decreases social closeness. Doesn’t that "
              "suggest feelings of disconnection and\naddiction could be related?\"")
NEWS_TONE = ("\"One offshoot of the opioid theory is that\n"
             "those with low opioid tone show exaggerated responses to social "
             "stressors—like feeling lonely, feeling socially\nrejected\"")
NEWS_SLIP = "\"opioids reduce the sense of\nconnection people get from simply holding a warm object\""
NEWS_MOOD = "\"taking naltrexone did not decrease positive emotion in everyday life"


def cells(lesson, folder="solutions"):
    return json.loads((ROOT / folder / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def cell(lesson, cell_id):
    found = [c for c in cells(lesson) if c.get("id") == cell_id]
    assert found, f"{lesson}: no cell {cell_id}"
    return found[0]


def text(lesson):
    return "\n".join(source(c) for c in cells(lesson) if c["cell_type"] == "markdown")


def printed(code_cell):
    return "".join("".join(o.get("text", "")) for o in code_cell.get("outputs", []))


def position(lesson, needle):
    """Index of the first cell whose source contains ``needle``."""
    return next(i for i, c in enumerate(cells(lesson)) if needle in source(c))


def exercise(lesson, exercise_id):
    return next(e for e in definitions.load(lesson) if e.id == exercise_id)


# --- 03, item 4: "Is it just mood?" shows both effects and does not read a difference in significance -----------

def test_03_mood_section_shows_both_table_1_effects_of_the_crossover():
    row = load_table1().set_index("study").loc["Inagaki et al. [20, 59]"]
    assert (row["connectedness_g"], row["connectedness_ci_low"], row["connectedness_ci_high"]) == (-0.34, -0.58, -0.09)
    assert (row["positive_mood_g"], row["positive_mood_ci_low"], row["positive_mood_ci_high"]) == (-0.13, -0.41, 0.15)
    out = printed(cell(TRIALS, "e5a7c3d1"))
    assert "connectedness: g = -0.34 [-0.58, -0.09], interval excludes zero" in out
    assert "positive mood: g = -0.13 [-0.41, 0.15], interval includes zero" in out
    assert "difference between the two effects: -0.21 (not tested" in out
    # the mood interval contains the connection estimate: "not significant" is not "no drop"
    assert row["positive_mood_ci_low"] < row["connectedness_g"] < row["positive_mood_ci_high"]


def test_03_mood_section_teaches_the_comparison_and_drops_the_old_claim():
    body = text(TRIALS)
    assert "which a general dip in mood would not do" not in body
    assert "naltrexone lowered daily connection but not daily positive emotion" not in body
    reading = source(cell(TRIALS, "f6b8d4e2"))
    for words in ("*a difference in significance is not a significant difference*", "not \"zero\"",
                  "contains -0.34 itself", "Nobody tested\n  it", "overlap", "correlation between the two effects"):
        assert words in reading, words
    assert NEWS_MOOD in " ".join(source(cell(TRIALS, "a7e3c9d1")).split())
    ex6 = exercise(TRIALS, "03.answer_6")
    assert ex6.answer == "c" and "difference was not tested" in ex6.options["c"]
    assert "difference-in-significance trap" in ex6.explanations["a"]
    assert "-0.34" in source(cell(TRIALS, "b8f4d0e2")) and "-0.13 [-0.41, 0.15]" in source(cell(TRIALS, "b8f4d0e2"))


# --- 03, item 11: Tchalova's direction and "at least 15 days" ----------------------------------------------------

def test_03_tchalova_direction_is_stated_against_the_other_seven_studies():
    table = load_table1()
    others = table.loc[~table["study"].str.startswith("Tchalova & MacDonald"), "connectedness_g"]
    assert len(others) == 7 and (others < 0).sum() == 4 and (others > 0).sum() == 3
    assert "the other 7 studies: 4 with g < 0, 3 with g > 0" in printed(cell(TRIALS, "c5a1e7f9"))
    body = text(TRIALS)
    assert "points the same way as in the other studies" not in body
    assert "4 of the other 7 have g < 0 and 3 have g > 0" in source(cell(TRIALS, "d6b2f8a0"))
    positive = set(table.loc[table["connectedness_g"] > 0, "study"])
    assert positive == {"Tarr et al. [64]", "Tchalova et al. [17]", "Rütgen & Lamm [63]"}
    assert "(Tarr et al., Tchalova et al. and Rütgen &\nLamm; Table 1)" in source(cell(TRIALS, "d6b2f8a0"))


def test_03_washout_quotes_at_least_15_days():
    body = text(TRIALS)
    assert "about 15 days" not in body
    assert REVIEW_15_DAYS in source(cell(TRIALS, "da89333b"))
    assert 5 * 72 / 24 == 15  # five blockade half-lives of 72 h


# --- 03, omissions: side effects, and the news article's chain and slip -------------------------------------------

def test_03_side_effects_quote_the_review_and_feed_the_feeling_worse_explanation():
    side = source(cell(TRIALS, "3426c839"))
    assert REVIEW_SIDE_EFFECTS in side and REVIEW_NOT_ASSESSED in side and "*Discussion*" in side
    mood = source(cell(TRIALS, "a7e3c9d1"))
    assert "\"it's just feeling worse\"" in mood and REVIEW_GUT_FEELING in mood
    assert "caused a modest increase in symptoms and symptom-related distress" in mood


def test_03_news_article_chain_and_slip_are_quoted_and_corrected():
    box = source(cell(TRIALS, "a7c9e5f3"))
    for quote in (NEWS_GENES, NEWS_TONE, NEWS_SLIP):
        assert quote in box, quote
    assert "*blocking* opioids" in box and "Blocking opioids attenuates physical warmth-induced" in box
    assert "measured no genes, no addiction and no \"opioid tone\"" in box
    # taught where the diary study is: after the mood exercises, before the behavioural result
    assert position(TRIALS, "## 9. Is it just mood?") < position(TRIALS, "### Reading the news article") < \
        position(TRIALS, "### A behavioural result")


# --- 05: the variance of a crossover effect size, the explorer's readout, and power ------------------------------

def test_05_crossover_variance_is_explained_before_the_reflection_and_matches_the_helper():
    section = source(cell(EFFECTS, "e4a6c8d0"))
    assert "v = \\frac{2(1 - r)}{n} + \\frac{g^2}{2n}" in section and "Becker 1988" in section
    assert "$v = \\dfrac{1}{n} + \\dfrac{g^2}{2n}$" in section and "Gibbons et al. 1993" in section
    assert position(EFFECTS, "### The variance of a crossover effect size") < position(EFFECTS, "## 6. Reflection")
    n, r, diff = 31, 0.5, -0.3
    g = effects.correction_factor(n - 1) * diff
    assert effects.smd_change(diff, 0.0, 1.0, 1.0, n, r, measure="SMCR")[1] == pytest.approx(
        2 * (1 - r) / n + g**2 / (2 * n), rel=1e-12)
    assert effects.smd_change(diff, 0.0, 1.0, 1.0, n, r, measure="SMCC")[1] == pytest.approx(
        1 / n + effects.smd_change(diff, 0.0, 1.0, 1.0, n, r, measure="SMCC")[0] ** 2 / (2 * n), rel=1e-12)
    out = printed(cell(EFFECTS, "f5b7d9e1"))
    shown = re.findall(r"v = ([\d.]+) by hand, ([\d.]+) from smd_change", out)
    assert len(shown) == 3 and all(a == b for a, b in shown)


def draw_precision():
    """The explorer's draw function, defined by running its cell with a stand-in for the widget."""
    import matplotlib.pyplot as plt
    captured = {}
    namespace = {"np": np, "plt": plt, "effects": effects, "slider": lambda *a, **k: None,
                 "explorer": lambda draw, **k: captured.setdefault("draw", draw)}
    exec(source(cell(EFFECTS, "90496794")), namespace)
    return captured["draw"]


def test_05_precision_readout_never_shows_a_negative_zero():
    draw = draw_precision()
    readouts = {n: draw(n)[1] for n in range(2, 401)}
    for n, readout in readouts.items():
        assert not re.search(r"-0\.0+(?![0-9]*[1-9])", readout), (n, readout)
    assert "95% CI -0.3965 to -0.0035, which excludes zero" in readouts[200]
    assert "includes zero" in readouts[193] and "excludes zero" in readouts[194]


def test_05_links_the_just_significant_size_to_50_and_80_percent_power():
    power = TTestIndPower()
    assert round(power.power(effect_size=0.20, nobs1=200, alpha=0.05), 2) == 0.51
    needed = power.solve_power(effect_size=0.20, power=0.80, alpha=0.05)
    assert int(np.ceil(needed)) == 394
    out = printed(cell(EFFECTS, "c2e4a6b8"))
    assert "with 200 per group: 0.51" in out and f"80% power needs {needed:.1f} per group, so 394" in out
    words = source(cell(EFFECTS, "6809d0c7")).replace("\n", " ")
    assert "about **50% power**" in words and "lesson 00" in words and "from 194 on" in words
    after = source(cell(EFFECTS, "d3f5b7c9")).replace("\n", " ")
    assert "*d* = 0.20" in after and "394 per group" in after and "lesson 10 gets 395" in after


# --- issue 25, item 1: the group's choice exercises ---------------------------------------------------------------

GROUP = {"03.answer_1": TRIALS, "03.answer_6": TRIALS, "03.answer_7": TRIALS, "03.answer_8": TRIALS,
         "04.answer_5": FMRI, "05.answer_3": EFFECTS}


def notebook_options(lesson, target):
    md = next(source(c) for c in cells(lesson) if c["cell_type"] == "markdown" and f"`{target}`" in source(c)
              and "- (a)" in source(c))
    items = re.findall(r"^- \((\w)\) (.+?)(?=\n- \(|\n\n|\Z)", md, re.M | re.S)
    return {letter: " ".join(option.split()) for letter, option in items}


def solution_letter(lesson, target):
    sol = next(source(c) for c in cells(lesson) if "### BEGIN SOLUTION" in source(c) and f"{target} = \"" in source(c))
    return re.search(rf'^{target} = "(\w)"$', sol, re.M).group(1)


def test_group_choice_letters_spread_and_lengths():
    letters, longest = collections.Counter(), 0
    for exercise_id, lesson in GROUP.items():
        ex = exercise(lesson, exercise_id)
        assert sorted(ex.options) == ["a", "b", "c", "d"] and set(ex.explanations) == set(ex.options)
        assert notebook_options(lesson, ex.target) == ex.options, exercise_id
        assert solution_letter(lesson, ex.target) == ex.answer, exercise_id
        letters[ex.answer] += 1
        right = len(ex.options[ex.answer])
        longest += all(right > len(v) for k, v in ex.options.items() if k != ex.answer)
    assert letters == {"a": 1, "b": 1, "c": 2, "d": 2}
    assert longest <= 2


def test_predictions_vary_their_letters():
    right = []
    for lesson in (TRIALS, FMRI, EFFECTS):
        for c in cells(lesson):
            if source(c).startswith("ex.choice("):
                right.append(re.search(r'correct="(\w)"', source(c)).group(1))
    assert len(right) == 3 and len(set(right)) >= 2


# --- issue 26, plumbing ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", [TRIALS, FMRI, EFFECTS])
def test_long_code_cells_are_only_figures_or_explorers(lesson):
    for i, c in enumerate(cells(lesson, "lessons")):
        if c["cell_type"] != "code":
            continue
        src = source(c)
        figure = src.startswith(("# Figure: ", "# Explorer: "))
        assert figure or len(src.splitlines()) <= 25, f"{lesson} cell {i}: {len(src.splitlines())} lines"
        if figure:
            assert "BEGIN SOLUTION" not in src and "ex.check" not in src and "ex.choice" not in src


@pytest.mark.parametrize("lesson", [TRIALS, FMRI, EFFECTS])
def test_every_answer_cell_follows_its_exercise_statement(lesson):
    """Splitting and rewriting cells kept each exercise's statement just before its answer cell."""
    all_cells = cells(lesson)
    for i, c in enumerate(all_cells):
        if c["cell_type"] == "code" and "### BEGIN SOLUTION" in source(c):
            before = [source(p) for p in all_cells[max(0, i - 3):i] if p["cell_type"] == "markdown"]
            assert any("**Exercise" in b for b in before), f"{lesson}: no exercise statement before cell {i}"
