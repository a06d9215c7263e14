"""Learners see prose and their own code, not plumbing.

A code cell whose only job is to draw a figure or build an explorer starts with one comment line,
``# Figure: <what it draws>`` or ``# Explorer: <what it shows>``; the lesson build collapses it
(``metadata.jupyter.source_hidden``, which JupyterLab shows as that first line and a "..." to open the
rest). Every other code cell stays visible, so it must be short, and a collapsed cell must hold nothing the
learner has to see or write: no solution stub, no ``ex.check``, no answer variable.
"""
import re

import nbformat
import pytest

from instructor import build_lessons
from conftest import LESSONS, SOLUTIONS

MAX_VISIBLE_LINES = 25
LESSON_FILES = sorted(LESSONS.glob("*.ipynb"))


def hidden(cell) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden", False))


def cell_problems(nb) -> list[str]:
    """Every code cell that breaks the rules above, one line each (cell number, first line, what is wrong)."""
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        where = f"cell {number} ({lines[0][:60] if lines else 'empty'!r})"
        if not hidden(cell):
            if len(lines) > MAX_VISIBLE_LINES:
                problems.append(f"{where}: {len(lines)} visible lines (at most {MAX_VISIBLE_LINES}; shorten it, or "
                                f"if it only draws, start it with '# Figure: ...' or '# Explorer: ...')")
            continue
        if not build_lessons.is_plumbing(cell.source):
            problems.append(f"{where}: hidden, but its first line is not '# Figure: ...' or '# Explorer: ...'")
        for what in build_lessons.learner_facing(cell.source):
            problems.append(f"{where}: hidden, but holds {what}")
    return problems


@pytest.mark.parametrize("lesson", LESSON_FILES, ids=lambda p: p.stem)
def test_visible_cells_are_short_and_hidden_cells_are_only_plumbing(lesson):
    problems = cell_problems(nbformat.read(lesson, as_version=4))
    assert not problems, f"{lesson.name}:\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------------------------------------------------------
# The build itself, on a copy of a lesson in a temporary folder
# ---------------------------------------------------------------------------------------------------------------
SOURCE = SOLUTIONS / "00_start_here.ipynb"


def _copy(tmp_path, edit=None):
    solutions, lessons, specs = tmp_path / "solutions", tmp_path / "lessons", tmp_path / "specs"
    solutions.mkdir()
    nb = nbformat.read(SOURCE, as_version=4)
    if edit:
        edit(nb)
    nbformat.write(nb, solutions / SOURCE.name)
    return solutions, lessons, specs


def _mark_long_plumbing(nb) -> list[int]:
    """Give every long cell that holds nothing learner-facing a '# Figure:'/'# Explorer:' line (unless it has one);
    the indices of all the cells that start with such a line."""
    marked = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if len(cell.source.splitlines()) > MAX_VISIBLE_LINES and not build_lessons.learner_facing(cell.source) \
                and not build_lessons.is_plumbing(cell.source):
            kind = "Explorer: what the sliders change" if re.search(r"\bexplorer\(", cell.source) \
                else "Figure: the plot below"
            cell.source = f"# {kind}\n{cell.source}"
        if build_lessons.is_plumbing(cell.source):
            marked.append(index)
    return marked


def test_the_build_collapses_marked_cells_in_lessons_and_solutions(tmp_path):
    marked = []
    solutions, lessons, specs = _copy(tmp_path, lambda nb: marked.extend(_mark_long_plumbing(nb)))
    assert marked, f"{SOURCE.name} has no plumbing cell to test the build with: pick another lesson"
    build_lessons.build(solutions=solutions, lessons=lessons, specs=specs)
    for folder in (solutions, lessons):
        nb = nbformat.read(folder / SOURCE.name, as_version=4)
        assert [i for i, c in enumerate(nb.cells) if hidden(c)] == marked, folder.name
    lesson = nbformat.read(lessons / SOURCE.name, as_version=4)
    assert cell_problems(lesson) == []
    # nbgrader's release steps (the build runs them) keep the metadata and the code; only the input is collapsed.
    assert all(lesson.cells[i].source.startswith(("# Figure: ", "# Explorer: ")) for i in marked)
    # Built twice, nothing changes; the marking is derived from the first line, so removing it shows the cell.
    assert build_lessons.build(check_only=True, solutions=solutions, lessons=lessons, specs=specs) == []
    nb = nbformat.read(solutions / SOURCE.name, as_version=4)
    nb.cells[marked[0]].source = nb.cells[marked[0]].source.split("\n", 1)[1]
    nbformat.write(nb, solutions / SOURCE.name)
    build_lessons.build(solutions=solutions, lessons=lessons, specs=specs)
    lesson = nbformat.read(lessons / SOURCE.name, as_version=4)
    assert not hidden(lesson.cells[marked[0]])
    assert "jupyter" not in lesson.cells[marked[0]].metadata


def test_the_rules_catch_a_long_visible_cell_and_a_hidden_cell_that_is_not_plumbing():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n".join(f"x{i} = {i}" for i in range(MAX_VISIBLE_LINES + 1))),
                nbformat.v4.new_code_cell("x = 1", metadata={"jupyter": {"source_hidden": True}}),
                nbformat.v4.new_code_cell('# Figure: a plot\nanswer_2 = "b"\nex.check("00.x")',
                                          metadata={"jupyter": {"source_hidden": True}}),
                nbformat.v4.new_code_cell("# Figure: a plot\n# YOUR CODE HERE\npass",
                                          metadata={"jupyter": {"source_hidden": True}}),
                nbformat.v4.new_code_cell("\n".join(["# Figure: long but hidden"] + ["x = 1"] * 40),
                                          metadata={"jupyter": {"source_hidden": True}})]
    problems = cell_problems(nb)
    assert [p.split(":", 1)[0].split(" (")[0] for p in problems] == ["cell 1", "cell 2", "cell 3", "cell 3",
                                                                      "cell 4"]
    assert "26 visible lines" in problems[0] and "not '# Figure" in problems[1]
    assert "ex.check" in problems[2] + problems[3] and "answer variable" in problems[2] + problems[3]
    assert "solution region" in problems[4]


@pytest.mark.parametrize("content, named", [
    ('ex.check("00.{name}")', "ex.check"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "a solution region"),
    ('answer_1 = "a"', "an answer variable"),
])
def test_the_build_refuses_to_collapse_what_a_learner_must_see(tmp_path, content, named):
    def edit(nb):
        check = next(c for c in nb.cells if c.cell_type == "code" and build_lessons.check_ids(c.source))
        name = build_lessons.check_ids(check.source)[0].split(".", 1)[1]
        target = check if "check" in content else next(c for c in nb.cells if c.cell_type == "code")
        target.source = "# Figure: not really\n" + (target.source if target is check else content.format(name=name)
                                                     + "\n" + target.source)

    solutions, lessons, specs = _copy(tmp_path, edit)
    with pytest.raises(ValueError, match=f"00_start_here: the cell '# Figure: not really' holds {named}"):
        build_lessons.build(solutions=solutions, lessons=lessons, specs=specs)
