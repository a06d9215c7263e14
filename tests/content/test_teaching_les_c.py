"""Teaching pass, lessons 06-08: the numbers, wording and sections fixed for issues 25 and 26.

Each test reads the solution notebook (or a definition) and checks a statement against what the course's own
helpers compute, so a changed number or a lost section fails here.
"""
import re
from pathlib import Path, PurePosixPath

import nbformat
import numpy as np
import pytest
from scipy import stats

from instructor.definitions import lesson06, lesson07, lesson08
from utils import data, meta, plots

ROOT = Path(__file__).resolve().parents[2]
STEMS = {"06": "06_pooling", "07": "07_dependent_effects", "08": "08_bias_and_power"}


def notebook(lesson):
    return nbformat.read(ROOT / "solutions" / f"{STEMS[lesson]}.ipynb", as_version=4)


def markdown(lesson):
    return "\n".join(c.source for c in notebook(lesson).cells if c.cell_type == "markdown")


def flat(text):
    return " ".join(text.split())


def outputs(lesson):
    parts = []
    for cell in notebook(lesson).cells:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def table1():
    studies = data.table1_effects()
    return studies["yi"].to_numpy(), studies["vi"].to_numpy()


def choice(module, exercise_id):
    return next(e for e in module.EXERCISES if e.id == exercise_id)


# --- 06: three I² values from one Q, and which I² to report ---------------------------------------------------

def test_06_the_three_i2_values_are_those_the_estimators_give():
    yi, vi = table1()
    i2 = {m: meta.random_effects(yi, vi, method=m).i2 for m in ("REML", "DL", "PM")}
    fe = meta.random_effects(yi, vi, method="FE")
    assert f"{i2['REML']:.2f}" == "0.67" and round(i2["DL"]) == 53 and round(i2["PM"]) == 87
    assert i2["DL"] == pytest.approx(100 * (fe.q - (len(yi) - 1)) / fe.q)   # DL's I² is the Q formula
    text = flat(markdown("06"))
    assert "### Why one *Q* gives an *I*² of 0.67%, 53% or 87%" in text
    for stated in ("**0.67%**", "**53%**", "**87%**", "(14.92 − 7) / 14.92 = **53%**"):
        assert stated in text
    assert "0.7%" not in text                       # the old rounded value next to "must be wrong"


def test_06_the_worked_paragraph_recomputes_i2_from_tau2_and_the_typical_variance():
    yi, vi = table1()
    w = 1 / vi
    s2 = (len(yi) - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum())
    assert f"{s2:.3f}" == "0.039"
    assert "here 0.039" in flat(markdown("06"))
    shown = outputs("06")
    for method in ("DL", "REML", "PM"):
        fit = meta.random_effects(yi, vi, method=method)
        assert 100 * fit.tau2 / (fit.tau2 + s2) == pytest.approx(fit.i2)
        assert f"(the fit's i2: {fit.i2:5.2f}%)" in shown


def test_06_says_plainly_which_i2_to_report():
    q, df = 28.47, 16
    assert round(100 * (q - df) / q) == 44
    text = flat(markdown("06"))
    assert "**Which to report.** Report the *I*² of the model whose pooled estimate you report" in text
    assert "that is **23%**: quote it when you cite the review" in text
    assert "Both are defensible" not in text


# --- 06: Knapp-Hartung as a formula, in a Going deeper section ----------------------------------------------

def test_06_knapp_hartung_formula_matches_the_helper():
    yi, vi = table1()
    k = len(yi)
    fit = meta.random_effects(yi, vi, method="REML")
    kh = meta.random_effects(yi, vi, method="REML", test="knha")
    w = 1 / (vi + fit.tau2)
    q = np.sum(w * (yi - fit.estimate) ** 2) / (k - 1)
    assert np.sqrt(q) * fit.se == pytest.approx(kh.se, rel=1e-10)
    t = stats.t.ppf(0.975, k - 1)
    assert (fit.estimate - t * np.sqrt(q) * fit.se, fit.estimate + t * np.sqrt(q) * fit.se) == \
        pytest.approx((kh.ci_low, kh.ci_high), rel=1e-10)
    assert f"{q:.2f}" == "2.12" and f"{kh.ci_high:.2f}" == "0.03"
    text = markdown("06")
    assert r"q = \frac{\sum_i w_i^*\,(y_i - \hat\mu)^2}{k - 1}" in text
    assert r"\text{SE}_\text{KH} = \sqrt{q}\;\text{SE}" in text and r"t_{k-1,\;0.975}" in text
    assert "*q* = 2.12" in text
    shown = outputs("06")
    assert f"by hand: {kh.estimate:.4f} [{kh.ci_low:.4f}, {kh.ci_high:.4f}]" in shown
    assert f"helper:  {kh.estimate:.4f} [{kh.ci_low:.4f}, {kh.ci_high:.4f}]" in shown


# --- Going deeper sections and the two stated times -----------------------------------------------------------

GOING_DEEPER = {"06": "Knapp-Hartung", "07": "CR2", "08": "selection model"}


def going_deeper_cells(lesson):
    """The cells from a '## Going deeper' heading to the next '## ' heading."""
    inside, cells = False, []
    for cell in notebook(lesson).cells:
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown" and first.startswith("## "):
            inside = first.startswith("## Going deeper (optional)")
        if inside:
            cells.append(cell)
    return cells


@pytest.mark.parametrize("lesson", sorted(GOING_DEEPER))
def test_each_lesson_has_one_optional_going_deeper_section_on_its_method(lesson):
    headings = re.findall(r"^#{2,3} Going deeper.*$", markdown(lesson), re.M)
    assert len(headings) == 1 and "(optional)" in headings[0] and GOING_DEEPER[lesson] in headings[0]
    cells = going_deeper_cells(lesson)
    assert "You can skip this section" in cells[0].source
    # nothing graded lives in the optional part
    assert not any("ex.check(" in c.source or "BEGIN SOLUTION" in c.source for c in cells)


@pytest.mark.parametrize("lesson, core, full", [("06", 75, 80), ("07", 65, 70), ("08", 75, 80)])
def test_each_lesson_states_its_core_and_full_time(lesson, core, full):
    first = flat(notebook(lesson).cells[0].source)
    assert re.search(rf"\*\*Time:\*\* about {full} minutes with the optional \*Going deeper\* section", first)
    assert f"about {core} minutes for the core path without it" in first
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    link = PurePosixPath("lessons", f"{STEMS[lesson]}.ipynb").as_posix()
    row = next(line for line in readme.splitlines() if link in line)
    assert f"| {full} min |" in row or f"{full} min" in row


def test_07_cr2_and_satterthwaite_live_in_going_deeper_and_exercise_5_in_the_core():
    deeper = "\n".join(c.source for c in going_deeper_cells("07"))
    assert "meta.robust(" in deeper and "Satterthwaite" in deeper and "Bell & McCaffrey" in deeper
    core = "\n".join(c.source for c in notebook("07").cells if c not in going_deeper_cells("07"))
    assert 'ex.check("07.t_interval")' in core and "meta.robust(naive" not in core


def test_08_the_selection_model_lives_in_going_deeper():
    deeper = "\n".join(c.source for c in going_deeper_cells("08"))
    assert "likelihood-ratio test" in deeper and "Vevea & Hedges 1995" in deeper


# --- 08: δ is the true effect; the selection weight is ω --------------------------------------------------------

def test_08_delta_is_only_the_true_effect_and_omega_the_selection_weight():
    text = markdown("08")
    assert r"\frac{|\delta|}{SE}" in text                     # the power formula keeps δ
    assert "weight δ" not in text and "That δ" not in text and "its δ" not in text and "and δ, the" not in text
    assert "one weight ω" in text and "weight ω = 0.41" in text and "its ω rises from 0.41 to 0.54" in text
    code = "\n".join(c.source for c in notebook("08").cells if c.cell_type == "code")
    assert 'f"ω = {selected.delta[1]:.2f}"' in code
    assert "ω = 0.41" in outputs("08")


def test_08_explains_the_four_things_a_new_learner_could_not_follow():
    text = flat(markdown("08"))
    assert "**The PET-PEESE rule** (Stanley & Doucouliagos 2014): fit PET first" in text
    assert "Where does a standard error on a *count* come from?" in text
    assert "metapower fixes *I*², not τ²: it sets τ² = v × *I*² / (1 − *I*²)" in text
    assert "multiplied by its weight (1 or ω)" in text


def test_08_meta_regression_is_introduced_before_exercise_5_uses_it():
    text = markdown("08")
    intro = text.index("**`meta.regression`** fits such a *meta-regression*")
    assert intro < text.index("**Exercise 5.**")
    yi, vi = table1()
    coefficients = meta.regression(yi, vi, {"vi": vi}).coefficients
    assert list(coefficients.index) == ["intercept", "vi"]       # the label the text names
    assert coefficients.loc["intercept", "estimate"] == coefficients["estimate"].iloc[0]


def test_08_peese_text_invites_a_label_or_iloc_not_a_bare_zero():
    text = markdown("08")
    assert '(`.coefficients["estimate"]`, intercept first)' not in text
    assert '`.coefficients.loc["intercept", "estimate"]`' in text and '`.coefficients["estimate"].iloc[0]`' in text
    exercise = choice(lesson08, "08.peese_intercept")
    hints = " ".join([exercise.title] + [m.hint for m in exercise.mistakes])
    assert '["estimate"][0]' not in hints and "coefficients[0]" not in hints


@pytest.mark.parametrize("lesson", sorted(STEMS))
def test_no_bare_zero_index_on_a_labelled_column_in_text_or_hints(lesson):
    module = {"06": lesson06, "07": lesson07, "08": lesson08}[lesson]
    hints = " ".join(m.hint for e in module.EXERCISES for m in getattr(e, "mistakes", []))
    text = markdown(lesson) + hints
    assert not re.search(r"""\[["'][A-Za-z_]+["']\]\[0\]""", text)


def test_08_contour_funnel_text_follows_the_legends_greys():
    def lightness(hex_colour):
        return int(hex_colour[1:3], 16)
    greys = plots.GREYS
    assert lightness(greys["0.05 < p < 0.10"]) < lightness(greys["0.01 < p < 0.05"]) < lightness(greys["p < 0.01"])
    text = flat(markdown("08"))
    assert ("dark grey for .05 < *p* < .10, a lighter grey for .01 < *p* < .05 and the lightest grey for *p* < .01"
            in text)
    assert "darker greys for .05 < *p* < .10" not in text


# --- multiple choice (issue 25) -----------------------------------------------------------------------------

EXERCISES = {"06.answer_5": (lesson06, "06", "d"), "07.answer_1": (lesson07, "07", "a"),
             "08.answer_2": (lesson08, "08", "b")}


def strictly_longest(options, letter):
    lengths = {k: len(v) for k, v in options.items()}
    return lengths[letter] == max(lengths.values()) and list(lengths.values()).count(lengths[letter]) == 1


def test_the_groups_right_letters_and_lengths():
    letters = sorted(choice(m, i).answer for i, (m, _, _) in EXERCISES.items())
    assert letters == ["a", "b", "d"]
    longest = sum(strictly_longest(choice(m, i).options, choice(m, i).answer) for i, (m, _, _) in EXERCISES.items())
    assert longest <= 1


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_choice_definition_notebook_and_solution_agree(exercise_id):
    module, lesson, letter = EXERCISES[exercise_id]
    exercise = choice(module, exercise_id)
    assert exercise.answer == letter and sorted(exercise.options) == ["a", "b", "c", "d"]
    assert sorted(exercise.explanations) == ["a", "b", "c", "d"]
    target = exercise.target
    cells = notebook(lesson).cells
    assert any(f'{target} = "{letter}"' in c.source for c in cells if "BEGIN SOLUTION" in c.source)
    listed = next(c.source for c in cells if c.cell_type == "markdown" and f"`{target}`" in c.source)
    assert all(f"- ({x})" in listed for x in "abcd")
    text = (" ".join(exercise.options.values()) + listed).lower()
    assert "must be wrong" not in text and "proves" not in text


def test_the_old_strawman_is_gone():
    options = " ".join(choice(lesson06, "06.answer_5").options.values())
    assert "proves the studies identical" not in options and "Q test must be wrong" not in options


@pytest.mark.parametrize("lesson, letter", [("06", "b"), ("07", "c"), ("08", "d")])
def test_predictions_have_four_options_and_the_right_one_is_not_the_longest(lesson, letter):
    source = next(c.source for c in notebook(lesson).cells if "ex.choice(" in c.source)
    options = dict(re.findall(r'"([a-d])": "([^"]+)"', source.split("explanations")[0]))
    assert sorted(options) == ["a", "b", "c", "d"]
    assert re.search(rf'correct="{letter}"', source)
    assert not strictly_longest(options, letter)


# --- plumbing -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", sorted(STEMS))
def test_long_code_cells_in_lessons_only_draw(lesson):
    released = nbformat.read(ROOT / "lessons" / f"{STEMS[lesson]}.ipynb", as_version=4)
    for cell in released.cells:
        if cell.cell_type == "code" and len(cell.source.splitlines()) > 25:
            assert cell.source.startswith(("# Figure:", "# Explorer:")), cell.source[:80]
    for cell in released.cells:
        if cell.cell_type == "code" and ("ex.check" in cell.source or "BEGIN SOLUTION" in cell.source):
            assert not cell.source.startswith(("# Figure:", "# Explorer:"))
