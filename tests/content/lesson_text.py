"""A lesson as text, for the content tests: one set of readers over the notebooks conftest reads once.

``lesson`` is a lesson's number ("06") or its file's stem ("06_pooling"); a cell is an nbformat cell, so
``cell.source`` and ``cell["source"]`` both give its text.
"""
import ast
import functools
import re
from pathlib import PurePosixPath

from conftest import LESSON_STEMS, LESSONS, ROOT, SOLUTIONS, lesson_notebook

from instructor import definitions
from tests.exercise_battery.harness import _skip, base_namespace
from utils import data

# The review's text is not part of the course; the development checkout keeps it in shared/seeds/ beside it.
REVIEW = ROOT.parent / "shared" / "seeds" / "002_ad319f00b5c1f201.txt"
SOLUTION_FILES = [SOLUTIONS / f"{stem}.ipynb" for stem in LESSON_STEMS]
LESSON_FILES = [LESSONS / f"{stem}.ipynb" for stem in LESSON_STEMS]


def cells(lesson, folder=SOLUTIONS):
    return lesson_notebook(lesson, folder).cells


def cell(lesson, cell_id):
    """The cell of the solution notebook with this id (the test fails, naming it, when there is none)."""
    found = [c for c in cells(lesson) if c.get("id") == cell_id]
    assert found, f"{lesson}: no cell {cell_id}"
    return found[0]


def source(one_cell) -> str:
    return one_cell.source


def flat(text: str) -> str:
    """Whitespace collapsed, so that a quote wrapped over lines still matches."""
    return " ".join(text.split())


def joined(lesson, kinds=("markdown", "code"), folder=SOLUTIONS) -> str:
    """The sources of the lesson's cells of these kinds, one after another."""
    return "\n".join(c.source for c in cells(lesson, folder) if c.cell_type in kinds)


def markdown(lesson) -> str:
    return joined(lesson, ("markdown",))


def code(lesson) -> str:
    return joined(lesson, ("code",))


def printed(code_cell) -> str:
    """What a code cell printed (its stream outputs)."""
    return "".join("".join(o.get("text", "")) for o in code_cell.get("outputs", []))


def outputs(lesson) -> str:
    """Every text output of the solution notebook: printed text and the plain-text part of displays."""
    return "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                     for c in cells(lesson) for o in c.get("outputs", []))


def position(lesson, needle) -> int:
    """Index of the first cell whose source contains ``needle``."""
    return next(i for i, c in enumerate(cells(lesson)) if needle in c.source)


@functools.lru_cache(maxsize=None)
def exercises(lesson) -> tuple:
    return tuple(definitions.load(next(s for s in LESSON_STEMS if s[:2] == lesson[:2])))


def exercise(exercise_id):
    """The definition of one exercise, by its id ("06.answer_5")."""
    return next(e for e in exercises(exercise_id[:2]) if e.id == exercise_id)


def review_text():
    """The review's text, whitespace collapsed, or None where it is not at hand."""
    return flat(REVIEW.read_text()) if REVIEW.exists() else None


def headings(text: str, level: int = 2) -> list:
    return re.findall(rf"^{'#' * level} (.+)$", text, re.M)


def markdown_cells(lesson) -> list:
    return [c.source for c in cells(lesson) if c.cell_type == "markdown"]


def predictions(stem):
    """Every ``ex.choice(question, options, correct=..., explanations=...)`` of the lesson: (options, correct,
    explanations)."""
    found = []
    for c in cells(stem):
        if c.cell_type != "code" or "ex.choice(" not in c.source:
            continue
        for node in ast.walk(ast.parse(c.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "choice":
                given = dict(zip(("question", "options", "correct", "explanations"), node.args))
                given.update({k.arg: k.value for k in node.keywords})
                found.append(tuple(ast.literal_eval(given[k]) for k in ("options", "correct", "explanations")))
    return found


def strictly_longest(options, letter):
    return all(len(options[letter]) > len(text) for key, text in options.items() if key != letter)


def going_deeper_cells(lesson):
    """The cells from a '## Going deeper' heading to the next '## ' heading."""
    inside, found = False, []
    for one in cells(lesson):
        first = one.source.lstrip().splitlines()[0] if one.source.strip() else ""
        if one.cell_type == "markdown" and first.startswith("## "):
            inside = first.startswith("## Going deeper (optional)")
        if inside:
            found.append(one)
    return found


def going_deeper_problems(lesson, topic) -> list:
    """What is wrong with the lesson's one optional '## Going deeper' section on ``topic`` (empty when nothing)."""
    titles = re.findall(r"^#{2,3} Going deeper.*$", markdown(lesson), re.M)
    if len(titles) != 1 or "(optional)" not in titles[0] or topic not in titles[0]:
        return [f"headings {titles}"]
    section = going_deeper_cells(lesson)
    problems = [] if "You can skip this section" in section[0].source else ["no 'You can skip this section'"]
    # nothing graded lives in the optional part
    return problems + [c.source[:40] for c in section if "ex.check(" in c.source or "BEGIN SOLUTION" in c.source]


def time_problems(lesson, core, full) -> list:
    """The first cell and README.md state ``full`` minutes, and ``core`` without the optional part."""
    first = flat(cells(lesson)[0].source)
    problems = []
    if not re.search(rf"\*\*Time:\*\* about {full} minutes with the optional \*Going deeper\* section", first):
        problems.append(f"no 'about {full} minutes with the optional *Going deeper* section'")
    if f"about {core} minutes for the core path without it" not in first:
        problems.append(f"no 'about {core} minutes for the core path without it'")
    stem = next(s for s in LESSON_STEMS if s[:2] == lesson[:2])
    row = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
               if PurePosixPath("lessons", f"{stem}.ipynb").as_posix() in line)
    return problems + ([] if f"{full} min" in row else [f"README: {row}"])


def table1():
    """Table 1's effect sizes and their variances, as two arrays (yi, vi)."""
    studies = data.table1_effects()
    return studies["yi"].to_numpy(), studies["vi"].to_numpy()


def explorer_draws(stem):
    """Each explorer's draw function and its starting settings, from the solution's explorer cells."""
    namespace = dict(base_namespace(stem))
    found = []
    namespace["explorer"] = lambda draw, title=None, **controls: found.append(
        (draw, {name: widget.value for name, widget in controls.items()}))
    for cell in cells(stem):
        if cell.cell_type == "code" and _skip(cell.source) and "explorer(" in cell.source:
            exec(compile(cell.source, f"<{stem} explorer>", "exec"), namespace)
    return found


def describe(draw, settings):
    """The words an explorer's draw gives at ``settings`` (its figure closed)."""
    import matplotlib.pyplot as plt

    figure, description = draw(**settings)
    plt.close(figure)
    return description
