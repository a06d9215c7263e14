"""Lessons 09, 10 and 11 after the teaching pass (issue 26) and the multiple-choice rewrite (issue 25, item 1): each
fixed number, quote and section is pinned here, and would fail on the old wording."""
import ast
import re
from collections import Counter

import nbformat
import pytest

from instructor.definitions import ChoiceExercise, lesson09, lesson10, lesson11
from tests.conftest import SOLUTIONS
from utils import data

MODERATORS, CRITIQUE, CAPSTONE = "09_moderators_and_sensitivity", "10_critique", "11_capstone"
LESSONS = SOLUTIONS.parent / "lessons"


def notebook(stem, folder=SOLUTIONS):
    return nbformat.read(folder / f"{stem}.ipynb", as_version=4)


def flat(text: str) -> str:
    return " ".join(text.split())


def markdown(stem) -> str:
    return flat("\n".join(c.source for c in notebook(stem).cells if c.cell_type == "markdown"))


def code(stem) -> str:
    return "\n".join(c.source for c in notebook(stem).cells if c.cell_type == "code")


def exercise(module, exercise_id):
    return next(e for e in module.EXERCISES if e.id == exercise_id)


# --- 09: what the outcome-level relationship-type analysis compares (issue 26, items 2 and 11) --------------------
def test_only_two_of_the_eight_studies_rate_more_than_one_relationship_type():
    table1 = data.load_table1()
    mixed = table1.loc[table1["relationship_types"].map(lambda types: len(set(types)) > 1), "study"].tolist()
    assert len(table1) == 8 and len(mixed) == 2 and all(name.startswith("Inagaki") for name in mixed)
    text = markdown(MODERATORS)
    assert "those are the only 2 of the 8 studies that rate more than one relationship type: in the other 6 the " \
           "type is fixed per study" in text
    assert "the review describes no such step" in text and "centring" in text
    # the old claim, that the outcome-level analysis compares within studies and so controls for everything
    assert "which controls for all of that" not in text
    spec = exercise(lesson09, "09.answer_2")
    assert "only 2 of its 8 studies rate more than one type" in spec.options[spec.answer]
    assert "within-study contrasts" not in " ".join(spec.explanations.values()).lower()
    assert "centring" in spec.explanations["a"]


def test_the_inagaki_studies_are_described_with_the_relationship_types_they_have():
    contexts = data.load_table1_contexts()
    types = contexts.groupby("study")["relationship_type"].agg(set)
    assert types["Inagaki et al. [20, 59]"] == {"unspecified", "established"}   # no strangers
    assert types["Inagaki et al. [60, 61] & Ross et al. [62]"] == {"unspecified", "established", "new"}
    text = markdown(MODERATORS)
    assert "the two Inagaki et al. studies rated strangers" not in text
    assert "Inagaki et al. [20, 59] rated unspecified targets and close others; Inagaki et al. [60-62] strangers, " \
           "unspecified targets and close others" in text


def test_gosh_sits_in_an_optional_going_deeper_section():
    cells = [c.source for c in notebook(MODERATORS).cells if c.cell_type == "markdown"]
    deeper = [i for i, source in enumerate(cells) if source.startswith("### Going deeper")]
    assert len(deeper) == 1 and "GOSH" in cells[deeper[0]].splitlines()[0]
    assert "skip to **Discuss**" in cells[deeper[0]]
    assert cells[deeper[0] + 2].startswith("## Discuss")   # nothing of the core path comes after it
    assert not any("### GOSH" in source for source in cells)


# --- 10: the blockade, quoted both ways (item 5) ------------------------------------------------------------------
def test_the_review_is_shown_to_disagree_with_itself_about_full_blockade():
    text = markdown(CRITIQUE)
    results = ("it is uncertain whether mu-opioid receptor blockade had reached >90% since stable PET data on "
               "mu-opioid receptor blockade with oral naltrexone are available only from 2 h post-ingestion")
    grade = ("measured social connectedness at a time point when the administered dose of naltrexone (50–100 mg) "
             "would likely have produced full (i.e., >90%) mu-opioid receptor blockade")
    discussion = "the included studies used opioid antagonist doses estimated to cause full (>90%) blockade of " \
                 "mu-opioid receptors"
    for quote in (results, grade, discussion):
        assert f'"{quote}' in text, quote
    assert "the review is **not consistent with itself**" in text


# --- 10: claims C11 and C4 (items 6 and 7) ------------------------------------------------------------------------
def test_claim_c11_gives_the_trials_own_table_1_interval_which_includes_zero():
    table1 = data.load_table1().set_index("study")
    row = table1.loc["Inagaki et al. [60, 61] & Ross et al. [62]"]
    g, low, high = row["connectedness_g"], row["connectedness_ci_low"], row["connectedness_ci_high"]
    assert (g, low, high) == (-0.19, -0.39, 0.02) and low < 0 < high
    reason = lesson10.CLAIM_REASONS["C11"]
    assert f"g = {g:.2f} [{low:.2f}, {high:.2f}], an interval that includes zero" in flat(reason)
    assert lesson10.CLAIM_ANSWERS["C11"] == "S"


def claims_cells() -> str:
    return "\n".join(c.source for c in notebook(CRITIQUE).cells if c.cell_type == "code" and "CLAIMS" in c.source)


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
    assert "cites it three times" in markdown(CRITIQUE)


# --- 10: the two lists of regions are different subsets, not a contradiction (item 8) -----------------------------
def test_the_two_lists_of_regions_are_not_called_a_contradiction():
    spec = exercise(lesson10, "10.answer_hsu")
    assert "need not clash" in spec.options[spec.answer]
    assert "contradicts itself" in spec.options["b"] and spec.answer != "b"
    assert "not necessarily in conflict" in spec.explanations["b"]
    text = markdown(CRITIQUE)
    assert "two different lists of brain regions" not in text and "the essay contradicts itself about which" not in text
    assert "(acceptance and rejection; rejection only) are partial summaries, not a contradiction" in text


def test_the_situations_include_stress_preparation_and_pain_empathy():
    contexts = set(data.load_table1()["contexts"].sum())
    assert {"Stress preparation with close other", "Pain empathy task"} <= contexts
    text = markdown(CRITIQUE)
    assert "self-reported connection in kind or neutral situations" not in text
    assert "mostly in kind or neutral situations" in text
    assert "preparing for a stress task with a close other and a pain-empathy task" in text


# --- 10: omissions taught with the review's words ---------------------------------------------------------------
def test_the_benchmark_for_modest_and_the_abstracts_framing_are_quoted():
    text = markdown(CRITIQUE)
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
    solution = next(c.source for c in notebook(CRITIQUE).cells if "### BEGIN SOLUTION" in c.source
                    and "claim_labels" in c.source)
    assert ast.literal_eval(solution.split("### BEGIN SOLUTION")[1].split("=", 1)[1].split("###")[0].strip()) == \
        lesson10.CLAIM_ANSWERS
    assert "one fifteenth of the 3 points" in markdown(CRITIQUE)


def test_exercise_3c_recaps_the_vole_study_of_lesson_01():
    text = markdown(CRITIQUE)
    assert "*Recap of lesson 01:* Burkett et al. (2011) gave female prairie voles repeated naltrexone" in text


# --- multiple choice as assessment (issue 25, item 1) -------------------------------------------------------------
CHOICES = [e for module in (lesson09, lesson10, lesson11) for e in module.EXERCISES if isinstance(e, ChoiceExercise)]


def test_this_groups_right_letters_and_longest_options_are_spread():
    assert len(CHOICES) == 10
    assert Counter(e.answer for e in CHOICES) == {"a": 2, "b": 3, "c": 3, "d": 2}
    longest = [e.id for e in CHOICES
               if all(len(e.options[e.answer]) > len(text) for k, text in e.options.items() if k != e.answer)]
    assert len(longest) <= 3, longest


def listed_options(stem, target) -> dict:
    """The markdown list of options just above the cell that sets ``target``."""
    cells = notebook(stem).cells
    index = next(i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.startswith(f"{target} = None"))
    lines = re.findall(r"^- \(([a-d])\) (.*(?:\n  .*)*)", cells[index - 1].source, re.M)
    return {letter: flat(text).replace("*", "") for letter, text in lines}


@pytest.mark.parametrize("spec", CHOICES, ids=lambda e: e.id)
def test_the_notebook_lists_the_definitions_options_and_sets_its_letter(spec):
    stem = {"09": MODERATORS, "10": CRITIQUE, "11": CAPSTONE}[spec.id[:2]]
    assert listed_options(stem, spec.target) == {k: flat(v) for k, v in spec.options.items()}
    assert f'{spec.target} = "{spec.answer}"' in code(stem)


def predictions(stem):
    found = []
    for cell in notebook(stem).cells:
        if cell.cell_type != "code" or "ex.choice(" not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "choice":
                options = ast.literal_eval(node.args[1])
                correct = ast.literal_eval(node.args[2] if len(node.args) > 2 else
                                           next(k.value for k in node.keywords if k.arg == "correct"))
                found.append((options, correct))
    return found


def test_the_predictions_have_four_options_varied_letters_and_a_right_one_that_is_not_the_longest():
    found = predictions(MODERATORS) + predictions(CRITIQUE)
    assert len(found) == 3
    assert len({correct for _, correct in found}) == 3   # three different letters
    for options, correct in found:
        assert sorted(options) == ["a", "b", "c", "d"]
        assert any(len(options[correct]) <= len(text) for k, text in options.items() if k != correct)


# --- plumbing: long cells only where they draw a figure or build an explorer -------------------------------------
@pytest.mark.parametrize("stem", [MODERATORS, CRITIQUE, CAPSTONE])
def test_visible_code_cells_are_at_most_25_lines(stem):
    for cell in notebook(stem, LESSONS).cells:
        if cell.cell_type != "code":
            continue
        first = cell.source.split("\n", 1)[0]
        marked = first.startswith(("# Figure:", "# Explorer:"))
        assert len(cell.source.splitlines()) <= 25 or marked, first
        if marked:
            assert "### BEGIN SOLUTION" not in cell.source and "ex.check" not in cell.source
