"""Rules every lesson keeps, checked over every notebook found in solutions/ (and lessons/ where the learner's copy
matters): a new lesson is held to them without being named anywhere.

* the first cell links the course glossary;
* every lesson ends the same way: ``## Key points``, then ``## References``, then ``## Discuss`` as the last cell,
  with two or three prompts, each followed by a folded "What a good discussion reaches";
* every section of the 2024 review (Løseth, Trøstheim & Leknes, Transl Psychiatry 14:379) that a lesson cites
  exists, and no lesson calls its pooled estimate an upper bound;
* every choice exercise's options are listed in its lesson as defined, the solution sets its right letter, and
  the exercise statement comes just before its answer cell; every prediction has four explained options.

(Which letters are right across the course, and how long code cells are, are in tests/exercises/
test_choice_assessment.py and tests/content/test_lesson_cells.py.)
"""
import re
from pathlib import PurePosixPath

import pytest
from conftest import LESSON_STEMS, LESSONS, SOLUTIONS, lesson_notebook
from lesson_text import exercises, flat, headings, predictions

GLOSSARY_LINE = "Terms in this lesson are explained in the course [glossary](glossary.md)."
ANSWER = "<details><summary>What a good discussion reaches</summary>"
BOTH = [(folder, stem) for folder in (SOLUTIONS, LESSONS) for stem in LESSON_STEMS]
BOTH_IDS = [PurePosixPath(folder.name, stem).as_posix() for folder, stem in BOTH]


def test_lessons_are_found():
    """At least the 12 lessons, numbered 00, 01, ... without a gap (a new lesson takes the next number)."""
    assert len(LESSON_STEMS) >= 12
    assert [stem[:3] for stem in LESSON_STEMS] == [f"{n:02d}_" for n in range(len(LESSON_STEMS))], LESSON_STEMS


@pytest.mark.parametrize("folder, stem", BOTH, ids=BOTH_IDS)
def test_the_first_cell_links_the_glossary(folder, stem):
    first = lesson_notebook(stem, folder).cells[0]
    assert first.cell_type == "markdown" and GLOSSARY_LINE in first.source


# ---------------------------------------------------------------------------------------------------------------
# One ending for every lesson
# ---------------------------------------------------------------------------------------------------------------
def ending_problem(cells) -> str:
    """Empty when the lesson ends ## Key points ... ## References, then a last cell ## Discuss; else what is wrong."""
    last = cells[-1]
    if last.cell_type != "markdown" or not last.source.startswith("## Discuss"):
        return f"the last cell is not '## Discuss' but {last.source[:40]!r}"
    titles = [h for c in cells if c.cell_type == "markdown" for h in headings(c.source)]
    for title in ("Key points", "References", "Discuss"):
        if titles.count(title) != 1:
            return f"'## {title}' {titles.count(title)} times (once, please)"
    if not titles.index("Key points") < titles.index("References") == len(titles) - 2:
        return f"the last sections are {titles[titles.index('Key points'):]}: Key points, References, Discuss"
    return ""


@pytest.mark.parametrize("folder, stem", BOTH, ids=BOTH_IDS)
def test_every_lesson_ends_with_key_points_references_then_discuss(folder, stem):
    assert not ending_problem(lesson_notebook(stem, folder).cells)


def test_the_ending_rule_catches_another_order():
    import nbformat
    md = nbformat.v4.new_markdown_cell
    good = [md("# Lesson"), md("## Key points\n- a\n\n## References\n1. b"), md("## Discuss\n\n1. c")]
    assert ending_problem(good) == ""
    assert "last cell" in ending_problem([good[0], good[2], good[1]])
    assert "References" in ending_problem([good[0], md("## Key points\n- a"), good[2]])
    assert "last sections" in ending_problem([good[0], md("## References\n1. b\n\n## Key points\n- a"), good[2]])


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_the_discussion_has_two_or_three_prompts_each_with_what_a_good_discussion_reaches(stem):
    end = lesson_notebook(stem).cells[-1].source
    prompts = re.findall(r"^(?:\*\*)?\d\. ", end, flags=re.M)
    answers = re.findall(re.escape(ANSWER) + r"(.+?)</details>", end, flags=re.S)
    assert 2 <= len(prompts) <= 3 and end.count(ANSWER) == len(answers) == len(prompts) == end.count("</details>")
    assert all(len(answer.split()) >= 25 for answer in answers)


# ---------------------------------------------------------------------------------------------------------------
# The review's sections, and its wording
# ---------------------------------------------------------------------------------------------------------------
# The review's section headings and subsections, as printed in the article, and its Table 1. There is no
# "Limitations" section: the limitations are paragraphs of the Discussion.
TOP_SECTIONS = {"Abstract", "Introduction", "Methods", "Results", "Discussion", "Conclusion", "Table 1"}
SUBSECTIONS = {
    "Methods": {"Eligibility criteria", "Information sources", "Search strategy", "Selection process",
                "Data collection process", "Data items", "Effect size measures", "Synthesis methods",
                "Study quality assessment", "Reporting bias assessment", "Overall certainty in evidence assessment"},
    "Results": {"Study selection", "Study characteristics", "Results of individual studies", "Results of syntheses",
                "Quality of individual studies", "Reporting bias", "Overall certainty in evidence"}}
SECTIONS = TOP_SECTIONS | set().union(*SUBSECTIONS.values())


def cited_sections(text):
    """Every italic section name cited for the review: '(Løseth et al. 2024, *Results: Reporting bias*)', and the
    short forms '(*Results: Reporting bias*)' that follow a quotation of it. Each as [top] or [top, subsection]."""
    found = []
    for match in re.finditer(r"Løseth[^()]*?2024,\s*\*([^*]+)\*|\(\s*\*([A-Z][a-z]+(?: [a-z]+)*(?:: [^*]+)?)\*", text):
        parts = " ".join((match.group(1) or match.group(2)).split()).split(": ")
        if len(parts[0]) > 2:  # not a statistic in italics, such as *p* or *z*
            found.append(parts)
    return found


def section_problems(text):
    problems = []
    for parts in cited_sections(text):
        top, sub = parts[0], parts[1:]
        if top not in SECTIONS or (sub and sub[0] not in SUBSECTIONS.get(top, ())):
            problems.append(": ".join(parts))
    return problems


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_every_section_cited_for_the_review_exists(stem):
    text = "\n".join(c.source for c in lesson_notebook(stem).cells)
    assert "Limitations*" not in text
    assert cited_sections(text), "every lesson cites the review by section"
    assert not section_problems(text)


def test_the_section_check_catches_a_made_up_section():
    assert section_problems("(Løseth et al. 2024, *Limitations*)") == ["Limitations"]
    assert section_problems("(Løseth, Trøstheim & Leknes 2024, *Discussion: Reporting bias*)") == [
        "Discussion: Reporting bias"]
    assert section_problems("(*Results: Quality of individual studies*) and (Løseth et al. 2024, *Table 1*)") == []


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_no_lesson_calls_the_pooled_effect_an_upper_bound(stem):
    # The review says the estimate "could be a slight overestimate" (Results: Reporting bias), not an upper bound.
    text = "\n".join(c.source for c in lesson_notebook(stem).cells).lower()
    assert "upper bound" not in text.replace("not an upper bound", "")


# ---------------------------------------------------------------------------------------------------------------
# Choice exercises and predictions, as the notebooks show them
# ---------------------------------------------------------------------------------------------------------------
CHOICES = [e for stem in LESSON_STEMS for e in exercises(stem) if e.kind == "choice"]


def listed_options(stem, target) -> dict:
    """The list ``- (a) ...`` (or ``- a) ...``) in the last markdown cell before the cell that sets ``target``."""
    cells = lesson_notebook(stem).cells
    index = next(i for i, c in enumerate(cells) if c.cell_type == "code" and re.search(rf"^{target} = ", c.source,
                                                                                      re.M))
    listing = next(c.source for c in reversed(cells[:index]) if c.cell_type == "markdown"
                   and re.search(r"^- \(?a\) ", c.source, re.M))
    return {letter: flat(text).replace("*", "")
            for letter, text in re.findall(r"^- \(?([a-d])\) (.*(?:\n  .*)*)", listing, re.M)}


# Exercises whose notebook lists its options in shorter words than the definition (which the feedback shows):
# for these only the four letters are checked.
LISTED_IN_OTHER_WORDS = {"06.answer_5", "07.answer_1", "08.answer_2"}


@pytest.mark.parametrize("spec", CHOICES, ids=lambda e: e.id)
def test_the_notebook_lists_the_definitions_options_and_its_solution_sets_the_letter(spec):
    stem = next(s for s in LESSON_STEMS if s[:2] == spec.id[:2])
    assert sorted(spec.options) == ["a", "b", "c", "d"] == sorted(spec.explanations)
    listed = listed_options(stem, spec.target)
    if spec.id in LISTED_IN_OTHER_WORDS:
        assert sorted(listed) == ["a", "b", "c", "d"]
    else:
        assert listed == {k: flat(v) for k, v in spec.options.items()}
    solutions = [c.source for c in lesson_notebook(stem).cells if "### BEGIN SOLUTION" in c.source]
    assert any(re.search(rf'^{spec.target} = "{spec.answer}"$', s, re.M) for s in solutions)
    words = (" ".join(spec.options.values()) + " ".join(listed.values())).lower()
    assert "must be wrong" not in words and not re.search(r"\bproves\b", words)


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_every_answer_cell_follows_its_exercise_statement(stem):
    """Splitting and rewriting cells kept each exercise's statement just before its answer cell."""
    cells = lesson_notebook(stem).cells
    for i, c in enumerate(cells):
        if c.cell_type == "code" and "### BEGIN SOLUTION" in c.source:
            before = [p.source for p in cells[max(0, i - 3):i] if p.cell_type == "markdown"]
            # "**Exercise 3**" in a lesson, "Part 2" in the capstone
            assert any(re.search(r"\*\*Exercise|\bPart \d", b) for b in before), f"no statement before cell {i}"


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_every_prediction_has_four_explained_options(stem):
    for options, correct, explanations in predictions(stem):
        assert sorted(options) == ["a", "b", "c", "d"] == sorted(explanations)
        assert correct in options


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_a_collapsed_cell_of_the_learners_copy_holds_no_prediction(stem):
    # tests/content/test_lesson_cells.py keeps checks, solutions and answer variables out of collapsed cells
    for c in lesson_notebook(stem, LESSONS).cells:
        if c.cell_type == "code" and c.source.startswith(("# Figure:", "# Explorer:")):
            assert "ex.choice(" not in c.source, c.source[:60]


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_no_bare_zero_index_on_a_labelled_column_in_text_or_hints(stem):
    hints = " ".join(m.hint for e in exercises(stem) for m in getattr(e, "mistakes", []))
    text = "\n".join(c.source for c in lesson_notebook(stem).cells if c.cell_type == "markdown") + hints
    assert not re.search(r"""\[["'][A-Za-z_]+["']\]\[0\]""", text)
