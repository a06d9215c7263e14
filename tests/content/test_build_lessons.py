"""lessons/ is exactly what the build makes from solutions/, and it is clean."""
import json
import re

import nbformat
import pytest

from instructor import build_lessons, definitions
from conftest import LESSONS, ROOT, SOLUTIONS

SOURCES = sorted(SOLUTIONS.glob("*.ipynb"))
IDS = [p.stem for p in SOURCES]


def test_there_are_lessons_and_each_has_a_generated_twin():
    assert SOURCES, "solutions/ holds no notebook"
    assert sorted(p.name for p in LESSONS.glob("*.ipynb")) == [p.name for p in SOURCES]


def test_lessons_are_exactly_what_the_build_produces(capsys):
    # the command authors and CI run, `python -m instructor.build_lessons --check`: it names what is out of date
    assert build_lessons.main(["--check"]) == 0, capsys.readouterr().out


def test_the_check_command_fails_when_a_lesson_was_edited_by_hand(tmp_path):
    solutions, lessons = tmp_path / "solutions", tmp_path / "lessons"
    solutions.mkdir(), lessons.mkdir()
    source = SOURCES[0]
    (solutions / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    specs = tmp_path / "specs"
    assert build_lessons.build(solutions=solutions, lessons=lessons, specs=specs)  # first build writes the lesson
    assert build_lessons.build(check_only=True, solutions=solutions, lessons=lessons, specs=specs) == []
    edited = lessons / source.name
    edited.write_text(edited.read_text(encoding="utf-8").replace("Start", "Begin", 1), encoding="utf-8")
    (lessons / "99_stray.ipynb").write_text("{}", encoding="utf-8")
    changed = build_lessons.build(check_only=True, solutions=solutions, lessons=lessons, specs=specs)
    assert any(source.name in c for c in changed) and any("99_stray" in c for c in changed)


@pytest.mark.parametrize("lesson", sorted(LESSONS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_lessons_are_committed_clean(lesson):
    text = lesson.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert "widgets" not in nb.metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"
    absolute = r"(/work/|/root/|/home/|/Users/|/tmp/|[A-Z]:\\\\(Users|Windows)\\\\)"
    assert not re.search(absolute, text), "an absolute path in a lesson"
    assert "ipympl" not in text and "%matplotlib widget" not in text


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_solutions_carry_nbgrader_metadata_and_follow_the_anatomy(source):
    nb = nbformat.read(source, as_version=4)
    cells = nb.cells
    graded = [c for c in cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    answers = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    assert graded, "a lesson needs checked exercises"
    assert answers, "a lesson needs exercises with solution regions"
    defined = definitions.graded(source.stem)
    for cell in graded:
        meta = cell.metadata["nbgrader"]
        ids = build_lessons.check_ids(cell.source)
        assert meta["locked"] and meta["points"] > 0 and len(ids) == 1 and ids[0] in defined
        assert meta["grade_id"] == definitions.grade_id(source.stem, ids[0])
    first_code = next(c for c in cells if c.cell_type == "code")
    assert first_code.metadata["nbgrader"]["grade_id"].endswith("-setup")
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown").lower()
    for heading in ("learning objectives", "prerequisites", "key points", "references"):
        assert heading in text, f"the lesson has no '{heading}' section"
    assert re.search(r"\*\*time:?\*\*", text), "the lesson gives no time estimate"
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")


def test_grade_ids_are_unique_across_the_course():
    ids = [c.metadata["nbgrader"]["grade_id"] for p in SOURCES for c in nbformat.read(p, 4).cells
           if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))


def test_tidy_marks_cells_from_their_content(monkeypatch):
    exercise = definitions.ValueExercise(id="99.x", target="x", title="x", expected=1.0, points=3)
    rubric = definitions.Written(id="99.written-1", title="w", rubric={2: "a", 1: "b", 0: "c"})
    monkeypatch.setattr(definitions, "load", lambda lesson: [exercise, rubric])
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy"),
        nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell('# Check\nex.check("99.x")'),
        nbformat.v4.new_markdown_cell("<!-- BEGIN SOLUTION -->\nmodel answer\n<!-- END SOLUTION -->"),
        nbformat.v4.new_code_cell("explorer(draw, x=slider('x', 0, 1, 0.1, 0.5))"),
    ])
    build_lessons.tidy_solution(nb, "99_demo")
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert meta[0]["grade_id"] == "99_demo-setup" and meta[0]["locked"]
    assert meta[1]["solution"] and meta[1]["grade_id"] == "99_demo-answer-1"
    assert meta[2]["grade"] and meta[2]["points"] == 3 and meta[2]["grade_id"] == "99_demo-x"
    assert meta[3]["solution"] and meta[3]["grade"] and meta[3]["grade_id"] == "99_demo-written-1"
    assert nb.cells[4].metadata["tags"] == ["nbval-ignore-output"]
    student = build_lessons.release(nb)
    assert student.cells[1].source == "def f():\n    # YOUR CODE HERE\n    pass"
    assert student.cells[2].source == '# Check\nex.check("99.x")'
    assert "model answer" not in student.cells[3].source and "YOUR ANSWER HERE" in student.cells[3].source
    namespace: dict = {}
    exec(student.cells[1].source, namespace)  # the stub runs without raising
    assert namespace["f"]() is None


def test_tidy_refuses_checks_and_definitions_that_disagree(monkeypatch):
    exercise = definitions.ValueExercise(id="99.x", target="x", title="x", expected=1.0)
    monkeypatch.setattr(definitions, "load", lambda lesson: [exercise])
    for source, problem in (('ex.check("99.y")', "no definition"), ("pass", "never checked")):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy"),
                                             nbformat.v4.new_code_cell(source)])
        with pytest.raises(ValueError, match=problem):
            build_lessons.tidy_solution(nb, "99_demo")


@pytest.mark.parametrize("lesson", sorted(LESSONS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_check_cells_hold_no_reference_code(lesson):
    """A learner sees one line per check: the definition (reference, hidden cases) lives elsewhere."""
    nb = nbformat.read(lesson, as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert checks
    for cell in checks:
        code = [line for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert len(code) == 1 and re.fullmatch(r'ex\.check\("\d\d\.[\w-]+"\)', code[0].strip()), cell.source
    text = lesson.read_text(encoding="utf-8")
    assert "_reference" not in text and "grade_function" not in text and "hidden_cases" not in text


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_solutions_pass_every_check_of_their_own(source):
    """The model answers earn a tick from every check, as the solutions were executed."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and build_lessons.check_ids(cell.source):
            shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert "✔" in shown, f"{build_lessons.check_ids(cell.source)}: {shown[:300]}"


def test_shipped_specs_are_the_visible_part_only():
    for path in sorted(build_lessons.SPECS.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert '"hidden": true' not in text, path.name
        assert path.stem in {p.stem for p in SOURCES}, f"{path.name} has no lesson"
        assert build_lessons.same_specs(text, build_lessons.spec_text(path.stem)), f"{path.name} is out of date"
    assert not build_lessons.same_specs('{"x": 0.1}', '{"x": 0.11}')


def test_the_committed_notebooks_are_valid_json_with_python3_kernels():
    for path in SOURCES + sorted(LESSONS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        nbformat.validate(nbformat.from_dict(nb))
        assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_the_readme_lists_every_lesson_with_its_time():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\((lessons/[^)]+\.ipynb)\)", readme)
    assert sorted(set(linked)) == sorted(p.relative_to(ROOT).as_posix() for p in LESSONS.glob("*.ipynb"))
    for source in SOURCES:
        first = nbformat.read(source, as_version=4).cells[0].source
        stated = re.search(r"\*\*Time:?\*\*:?\s*about (\d+) (minutes|hours?)", first)
        assert stated, f"{source.name} gives no 'about N minutes' time"
        row = next(line for line in readme.splitlines()
                   if f"({(LESSONS / source.name).relative_to(ROOT).as_posix()})" in line)
        unit = "min" if stated.group(2) == "minutes" else "h"
        core = re.search(r"about (\d+) minutes for the core path", first)
        shown = f"| {stated.group(1)} {unit} (core {core.group(1)} min) |" if core else f"| {stated.group(1)} {unit} |"
        assert shown in row, f"README time for {source.name} differs from the lesson's ({shown!r} expected)"
        has_going_deeper = any("Going deeper" in c.source for c in nbformat.read(source, as_version=4).cells
                               if c.cell_type == "markdown" and c.source.lstrip().startswith("#"))
        assert bool(core) == has_going_deeper, f"{source.name}: a lesson with a Going deeper section states its " \
                                               f"core time too, and only such a lesson"


def test_rubrics_and_hidden_cases_never_reach_learners():
    """Every written answer has a 2/1/0 rubric, and no rubric text is in lessons/ or the shipped specs."""
    shipped = "".join(p.read_text(encoding="utf-8") for p in sorted(LESSONS.glob("*.ipynb")))
    shipped += "".join(p.read_text(encoding="utf-8") for p in sorted(build_lessons.SPECS.glob("*.json")))
    for source in SOURCES:
        written = definitions.written(source.stem)
        cells = [c for c in nbformat.read(source, as_version=4).cells
                 if "-written-" in c.metadata.get("nbgrader", {}).get("grade_id", "")]
        assert len(written) == len(cells), source.stem
        for rubric in written:
            for text in rubric.rubric.values():
                assert text[:60] not in shipped, f"{rubric.id}'s rubric is in what learners get"
