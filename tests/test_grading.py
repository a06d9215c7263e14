"""Grading with nbgrader: the lessons' metadata, the student versions, the guard, and the
README's recipe run end to end on a synthetic class (tests/grading/submissions.py)."""
import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from conftest import LESSONS, SOLUTIONS
from grading.submissions import ATTACKS, Lesson, write_class
from utils import build_lessons, grading

# The synthetic class is graded once per module (module fixtures): keep it on one test worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]

SOURCES = sorted(SOLUTIONS.glob("*.ipynb"))
FIRST = "00_start_here"
# The second test subject: lesson 05 or 06 once they exist, else the first of 01-04.
SECOND = next((p.stem for p in SOURCES if p.stem[:2] in ("05", "06")),
              next((p.stem for p in SOURCES if p.stem[:2] in ("01", "02", "03", "04")), None))
TIMEOUT = 10  # seconds a cell may run here (the shipped configuration allows 120); ample even on a busy machine
# The second lesson gets a smaller class: the first already has every kind.
SECOND_KINDS = ("correct", "partial", "blank", "patch_grade_functions", "malformed")
# Two more attacks (setattr, rebinding ex) are left to the screen's own tests below, to keep this test quick.
FIRST_KINDS = ("correct", "partial", "blank", "crash", "endless_loop", "sys_exit", "huge_output", "deleted_test",
               "edited_test", "always_equal", "patch_grade_functions", "patch_internals", "patch_in_added_cell",
               "foreign_module", "malformed")
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def run(args, cwd):
    """Run a command as an instructor would; fail the test with its output if it fails."""
    done = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done


def nbgrader(*args, cwd):
    return run([sys.executable, "-m", "nbgrader", *args], cwd)


# --------------------------------------------------------------------------
# The metadata in solutions/, checked with nbgrader's own validator
# --------------------------------------------------------------------------
@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_solutions_pass_nbgraders_checks_and_every_exercise_has_hidden_tests(source):
    nb = nbformat.read(source, as_version=4)
    MetadataValidator().validate_nb(nb)  # raises on bad nbgrader metadata
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    kinds = [("answer" if m.get("solution") else "check" if m.get("grade") else None)
             for m in (c.metadata.get("nbgrader", {}) for c in nb.cells if c.cell_type == "code")]
    kinds = [k for k in kinds if k]
    # every code answer is followed by an autograded check (with points) before the next answer
    for here, after in zip(kinds, kinds[1:] + [None]):
        if here == "answer":
            assert after == "check", f"an answer in {source.name} has no autograded test after it"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            assert meta["points"] > 0 and meta["locked"] and "### BEGIN HIDDEN TESTS" in cell.source


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_hidden_tests_exist_only_in_solutions(source):
    solution = nbformat.read(source, as_version=4)
    lesson = nbformat.read(LESSONS / source.name, as_version=4)
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in lesson.cells if "nbgrader" in c.metadata}
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        student = by_id[meta["grade_id"]].source
        assert "HIDDEN TESTS" not in student
        for line in filter(str.strip, hidden.splitlines()):
            assert line not in student, f"{meta['grade_id']}: hidden test line visible in lessons/: {line}"


# --------------------------------------------------------------------------
# The guard's screen, without a kernel
# --------------------------------------------------------------------------
ATTEMPTS = dict(ATTACKS, **{
    "patch_numpy": "np.allclose = lambda *a, **k: True",
    "delete_check": "del ex.grade_value",
    "patch_through_alias": "checks = ex\nchecks.grade_value = print",
    "dict_access": "ex.__dict__['grade_value'] = print",
    "getattr": "f = getattr(ex, 'grade_value')",
    "exec": "exec('ex.grade_value = print')",
    "import_os": "import os\nos.system('true')",
    "importlib": "import importlib",
    "builtins": "import builtins",
    "sys_modules": "import sys\nsys.modules['utils.exercises'] = None",
    "sys_alias": "import sys as s\nm = s.modules",
    "from_sys": "from sys import modules",
    "shell": "!rm -rf utils",
    "magic": "%run other.py",
    "global_rebind": "def f():\n    global np\n    np = None\nf()",
    "rebind_numpy": "import math as np",
    "rebind_builtin_used_by_checks": "range = lambda *a: [4, 4]",
    "frames": "def g():\n    yield g_.gi_frame.f_back\ng_ = g()",
    "star_import": "from utils.exercises import *",
    "container_item": "ex.Feedback.__init__.__defaults__ = None",
    "in_place": "ex.__all__.clear()",
    "pickle": "import pandas as pd\npd.read_pickle('x.pkl')",
    "write_module": "import pandas as pd\npd.DataFrame({'a': ['import os']}).to_csv('ipywidgets.py', index=False)",
    "save_figure_as_module": "plt.savefig('numpy.py', format='png')",
    "import_writer": "from numpy import savetxt",
    "top_level_await": "async def nothing():\n    pass\nawait nothing()\nex = None",
})
FAIR = {
    "function": "def sample_sd(ratings):\n    x = np.asarray(ratings, dtype=float)\n    return x.std(ddof=1)",
    "reimport": "import numpy as np\nimport math\nfrom scipy import stats",
    "loops_and_items": "values = [0.0] * 3\nfor i in range(3):\n    values[i] = i ** 2\ntotal = sum(values)",
    "sys_exit": "import sys\nsys.exit('bye')",
    "class": "class Box:\n    def __eq__(self, other):\n        return True\nb = Box()",
    "value": "percent_negative = 100 * 12 / 17",
}


@pytest.fixture(scope="module")
def lesson_00_context():
    nb = nbformat.read(SOLUTIONS / f"{FIRST}.ipynb", as_version=4)
    return grading.instructor_context(nb)


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_the_screen_refuses_code_that_touches_the_checks(name, lesson_00_context):
    _, protected, imports = lesson_00_context
    assert grading.screen(ATTEMPTS[name], protected, imports), f"{name} was not caught"


@pytest.mark.parametrize("name", sorted(FAIR))
def test_the_screen_lets_ordinary_answers_run(name, lesson_00_context):
    _, protected, imports = lesson_00_context
    assert grading.screen(FAIR[name], protected, imports) == []


def test_what_the_instructors_cells_read_is_protected(lesson_00_context):
    _, protected, _ = lesson_00_context
    assert {"ex", "np", "range", "list"} <= protected  # used by the checks
    assert not {"sample_sd", "percent_negative", "answer_3"} & protected  # the answers


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_model_answer_passes_the_screen(source):
    nb = build_lessons.tidy_solution(nbformat.read(source, as_version=4), source.stem)
    _, protected, imports = grading.instructor_context(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            answer = "\n".join(line for line in cell.source.splitlines() if "SOLUTION" not in line)
            assert grading.screen(answer, protected, imports) == [], cell.metadata["nbgrader"]["grade_id"]


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_test_cells_that_nbgrader_puts_back_are_trusted(source):
    """A deleted test cell comes back with a comment on top; the guard must still run it."""
    from nbgrader.preprocessors import OverwriteCells

    nb = nbformat.read(source, as_version=4)
    trusted, _, _ = grading.instructor_context(nb)
    note = OverwriteCells().missing_cell_notification.format(cell_id="x")
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            assert grading.code_only("# " + note + cell.source) in trusted
    assert grading.code_only("# a comment\nex.grade_value = print") not in trusted


def test_a_refused_cell_is_kept_as_a_comment_and_raises():
    text = grading.disable("ex.grade_value = print", ["line 1: changes the attribute ex.grade_value"])
    namespace = {}
    with pytest.raises(RuntimeError, match="not run by the autograder"):
        exec(text, namespace)
    assert "#   ex.grade_value = print" in text and "ex" not in namespace


# --------------------------------------------------------------------------
# The recipe, end to end
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory, its student versions, and a synthetic class for two lessons."""
    assert SECOND, "no second lesson to test grading on"
    directory = tmp_path_factory.mktemp("course")
    assert grading.main(["init", str(directory), FIRST, SECOND]) == 0
    for lesson in (FIRST, SECOND):
        nbgrader("generate_assignment", lesson, cwd=directory)
    expected = {FIRST: write_class(directory, FIRST, kinds=FIRST_KINDS), SECOND: write_class(directory, SECOND, kinds=SECOND_KINDS)}
    return directory, expected


def test_generate_assignment_makes_the_same_student_notebooks_as_lessons(course):
    directory, _ = course
    for lesson in (FIRST, SECOND):
        released = nbformat.read(directory / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        ours = nbformat.read(LESSONS / f"{lesson}.ipynb", as_version=4)
        assert [(c.cell_type, c.source) for c in released.cells] == [(c.cell_type, c.source) for c in ours.cells]
        assert (directory / "release" / lesson / "utils" / "exercises.py").is_file()
        assert (directory / "release" / lesson / "data" / "loseth2024_table1.csv").is_file()


def test_without_the_guard_the_attacks_would_work(course):
    """The attacks are real: with the guard taken out of the configuration, patching the checks earns
    full marks for blank answers, and a numpy.py in the submission breaks correct ones."""
    directory, expected = course
    config = grading.load_config(directory)
    config.Autograde.sanitize_preprocessors = [p for p in config.Autograde.sanitize_preprocessors
                                               if p != "utils.grading.GuardChecks"]
    config.Execute.timeout = TIMEOUT
    students = ["patch_internals", "foreign_module"]
    rows = grading.autograde_class(directory, FIRST, students=students, config=config, progress=False)
    total = Lesson(directory, FIRST).total
    assert [(r.student, r.score) for r in rows] == [("patch_internals", total), ("foreign_module", 0)]


@pytest.fixture(scope="module")
def graded(course):
    """Hash the submissions, grade the class with the wrapper, give feedback, export."""
    directory, expected = course
    before = grading.file_hashes(directory / "submitted")
    outputs = {}
    for lesson in (FIRST, SECOND):  # python -m utils.grading autograde COURSE LESSON --timeout 10
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            code = grading.main(["autograde", str(directory), lesson, "--timeout", str(TIMEOUT)])
        assert code == 1, "a failed submission must make the wrapper exit with 1"
        outputs[lesson] = printed.getvalue()
    nbgrader("generate_feedback", FIRST, "--student=patch_grade_functions", cwd=directory)  # one, to save time
    nbgrader("generate_feedback", SECOND, cwd=directory)  # the whole class
    nbgrader("export", "--to", "grades.csv", cwd=directory)
    after = grading.file_hashes(directory / "submitted")
    return directory, expected, outputs, before, after


def _csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("lesson", [FIRST, SECOND])
def test_every_submission_gets_exactly_its_expected_score(graded, lesson):
    directory, expected, _, _, _ = graded
    rows = {r["student"]: r for r in _csv(directory / "grades" / f"{lesson}.csv")}
    got = {s: (float(rows[s]["score"]), rows[s]["status"]) for s in rows}
    want = {s.student: (s.score, s.status) for s in expected[lesson]}
    assert got == want
    max_scores = {float(r["max_score"]) for r in rows.values()}
    assert len(max_scores) == 1, "a deleted test cell must not lower the maximum"
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{directory / 'gradebook.db'}") as gradebook:
        for student, (score, _) in want.items():
            assert gradebook.find_submission(lesson, student).score == score


def test_the_first_lessons_scores_are_the_ones_worked_out_by_hand(graded):
    """Lesson 00 has three 1-point checks; these are the scores read off the submissions."""
    directory, _, _, _, _ = graded
    rows = {r["student"]: float(r["score"]) for r in _csv(directory / "grades" / f"{FIRST}.csv")}
    assert rows == {"correct": 3, "partial": 1, "blank": 0, "crash": 2, "endless_loop": 2, "sys_exit": 3,
                    "huge_output": 3, "deleted_test": 2, "edited_test": 2, "always_equal": 0,
                    "patch_grade_functions": 0, "patch_internals": 0, "patch_in_added_cell": 0,
                    "foreign_module": 3, "malformed": 0}


def test_broken_and_flagged_submissions_are_reported_not_skipped(graded):
    directory, _, outputs, _, _ = graded
    for lesson in (FIRST, SECOND):
        lines = outputs[lesson].splitlines()
        assert any(line.startswith(f"FAILED malformed/{lesson}: not a valid notebook") for line in lines)
        assert any("FLAGGED" in line and "patch_grade_functions" in line and "ex.grade_function" in line
                   for line in lines)
        rows = {r["student"]: r for r in _csv(directory / "grades" / f"{lesson}.csv")}
        assert rows["malformed"]["status"] == "failed" and "not JSON" in rows["malformed"]["note"]
        assert "time limit" in rows.get("endless_loop", {"note": "time limit"})["note"]
    exported = _csv(directory / "grades.csv")  # nbgrader export has every submission too
    assert {(r["assignment"], r["student_id"]) for r in exported} >= {(FIRST, "malformed"), (SECOND, "malformed")}


def test_files_a_student_added_are_not_there_when_grading(graded):
    directory, _, _, _, _ = graded
    folder = directory / "autograded" / "foreign_module" / FIRST
    assert (folder / f"{FIRST}.ipynb").is_file() and (folder / "utils" / "exercises.py").is_file()
    assert not (folder / "numpy.py").exists() and not (folder / "ipython_kernel_config.py").exists()
    assert (directory / "submitted" / "foreign_module" / FIRST / "numpy.py").is_file()


def test_megabytes_of_output_are_cut_in_the_graded_copy(graded):
    directory, _, _, _, _ = graded
    graded_copy = directory / "autograded" / "huge_output" / FIRST / f"{FIRST}.ipynb"
    assert graded_copy.stat().st_size < 500_000  # the cell printed 4 MB
    assert "Output truncated" in graded_copy.read_text(encoding="utf-8")


def test_feedback_tells_a_flagged_student_why(graded):
    directory, _, _, _, _ = graded
    html = (directory / "feedback" / "patch_grade_functions" / FIRST / f"{FIRST}.html").read_text(encoding="utf-8")
    assert "did not run this cell" in html
    assert (directory / "feedback" / "correct" / SECOND / f"{SECOND}.html").is_file()


def test_grading_leaves_the_submitted_files_unchanged(graded):
    _, _, _, before, after = graded
    assert before and after == before


def test_the_exchange_route_release_fetch_submit_collect(course, tmp_path):
    """JupyterHub's route: the same course directory, with an exchange folder."""
    directory, _ = course
    exchange, student_home = tmp_path / "exchange", tmp_path / "student"
    exchange.mkdir(mode=0o777), student_home.mkdir()
    option = f"--Exchange.root={exchange}"
    nbgrader("release_assignment", FIRST, option, "--force", cwd=directory)
    nbgrader("fetch_assignment", FIRST, option, "--CourseDirectory.course_id=opioids-and-bonds", cwd=student_home)
    fetched = student_home / FIRST / f"{FIRST}.ipynb"
    assert fetched.is_file()
    nbgrader("submit", FIRST, option, "--CourseDirectory.course_id=opioids-and-bonds", cwd=student_home)
    nbgrader("collect", FIRST, option, "--update", cwd=directory)
    collected = list((directory / "submitted").glob(f"*/{FIRST}/{FIRST}.ipynb"))
    ours = [p for p in collected if p.read_bytes() == fetched.read_bytes()]
    assert ours, "the submitted notebook was not collected into submitted/<student>/<lesson>/"
    student = ours[0].parent.parent.name
    nbgrader("autograde", FIRST, f"--student={student}", "--Execute.timeout=30", cwd=directory)  # plain nbgrader
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{directory / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(FIRST, student).score == 0  # the blank lesson as fetched
    shutil.rmtree(ours[0].parent.parent)  # leave the class as it was
