"""Grading with nbgrader, end to end through the README's recipe: an honest class and a hostile one.

Every submission runs in a bubblewrap sandbox and is judged outside it
(instructor/grading). The honest class (tests/grading/submissions.py) must
get exactly the scores worked out from the lessons' structure; every attack
(tests/grading/attacks.py) must score 0 and change nothing outside its own
graded copy: not the course directory, not the grader's HOME, not the
Python environment. With the sandbox switched off, the damaging attacks do
their damage (so they are real).
"""
import csv
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from conftest import LESSONS, ROOT, SOLUTIONS, require_sandbox
from grading.attacks import ALL_ATTACKS, DAMAGE
from grading.submissions import FORGED_TICK, write_attackers, write_class
from instructor.grading.sandbox import SANDBOX_UIDS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]

FIRST, SECOND = "00_start_here", os.environ.get("GRADING_SECOND", "05_effect_sizes")
# A short leash for the tests (the shipped configuration allows 60 s a cell, 240 s a submission).
LIMITS = ("\nc.SandboxedExecute.cell_timeout = 20\nc.SandboxedExecute.total_timeout = 60\n"
          "c.SandboxedExecute.report_timeout = 10\n")
# The second lesson meets a smaller hostile class: the first already meets every attack.
SECOND_ATTACKS = ("patch_judge", "forge_correct_flag", "forge_twice", "always_equal", "overwrite_classmate",
                  "gradebook_zero", "config_append", "source_utils", "home_startup", "kill_everything",
                  "output_flood", "ignore_interrupt", "fork_bomb", "html_output", "markdown_script")
VOLATILE = {"gradebook.db", "autograded", "grades", "feedback", ".nbgrader.log"}  # what grading itself writes


def tree_hashes(folder: Path, skip=frozenset(), content=True) -> dict:
    """Path -> SHA-256 (or size and mtime) of every file under ``folder``, skipping top-level names in ``skip``."""
    out = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in skip or "__pycache__" in relative.parts or not path.is_file():
            continue
        out[str(relative)] = (hashlib.sha256(path.read_bytes()).hexdigest() if content
                              else (path.stat().st_size, path.stat().st_mtime_ns))
    return out


def grade(course: Path, lesson: str, home: Path, *students):
    """The README's step: python -m instructor.grading autograde COURSE LESSON (as the instructor)."""
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    args = [sys.executable, "-m", "instructor.grading", "autograde", str(course), lesson]
    args += [f"--student={s}" for s in students]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)


def nbgrader(course: Path, home: Path, *args):
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def rows(course: Path, lesson: str) -> dict:
    with open(course / "grades" / f"{lesson}.csv", newline="", encoding="utf-8") as handle:
        return {r["student"]: r for r in csv.DictReader(handle)}


def sandbox_uids(course: Path) -> set[int]:
    """The user ids this course's sandboxes ran as (recorded in each graded notebook)."""
    uids = set()
    for path in course.glob("autograded/*/*/*.ipynb"):
        uid = nbformat.read(path, as_version=4).metadata.get("course_grading", {}).get("sandbox_uid")
        if uid is not None:
            uids.add(uid)
    return uids


def processes_of(uids: set[int]) -> list[int]:
    """Processes still running as one of ``uids``."""
    left = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    left.append(int(entry.name))
            except OSError:
                pass
    return left


# --------------------------------------------------------------------------
# The lessons' metadata
# --------------------------------------------------------------------------
SOURCES = sorted(SOLUTIONS.glob("*.ipynb"))


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_solutions_pass_nbgraders_checks(source):
    nb = nbformat.read(source, as_version=4)
    MetadataValidator().validate_nb(nb)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    assert any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells)


# --------------------------------------------------------------------------
# The recipe, end to end, with an honest and a hostile class
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    course, home = base / "course", base / "home"
    (home / ".ipython" / "profile_default").mkdir(parents=True)
    (home / ".jupyter").mkdir()
    (home / "notes.txt").write_text("the instructor's own file\n")
    init = subprocess.run([sys.executable, "-m", "instructor.grading", "init", str(course), FIRST, SECOND],
                          cwd=ROOT, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(LIMITS)
    for lesson in (FIRST, SECOND):
        nbgrader(course, home, "generate_assignment", lesson, "--force")
    honest = {lesson: write_class(course, lesson) for lesson in (FIRST, SECOND)}
    return course, home, honest


@pytest.fixture(scope="module")
def graded(course):
    """Grade the honest class, give one written answer a manual score, then grade everyone with the attackers."""
    require_sandbox(needed_for="sandboxed grading")
    course, home, honest = course
    for lesson in (FIRST, SECOND):
        done = grade(course, lesson, home, *[s.student for s in honest[lesson]])
        assert done.returncode == 1, done.stdout + done.stderr  # 1: the malformed submission failed
    before_attack = {lesson: rows(course, lesson) for lesson in (FIRST, SECOND)}
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        written = gradebook.find_grade(f"{FIRST}-written-1", FIRST, FIRST, "correct")
        written.manual_score = 2.0
        gradebook.db.commit()
    victim = course / "submitted" / "correct" / FIRST / f"{FIRST}.ipynb"
    paths = {"course": course, "home": home, "repo": ROOT, "victim": victim, "victim_dir": victim.parent,
             "venv": sys.prefix}
    attackers = {FIRST: write_attackers(course, FIRST, ALL_ATTACKS, paths),
                 SECOND: write_attackers(course, SECOND, SECOND_ATTACKS, paths)}
    hashes_before = (tree_hashes(course, VOLATILE), tree_hashes(home), tree_hashes(Path(sys.prefix), content=False))
    outputs = {}
    for lesson in (FIRST, SECOND):
        done = grade(course, lesson, home)
        outputs[lesson] = done
        assert done.returncode in (0, 1), done.stdout + done.stderr
    hashes_after = (tree_hashes(course, VOLATILE), tree_hashes(home), tree_hashes(Path(sys.prefix), content=False))
    return course, home, honest, attackers, before_attack, outputs, hashes_before, hashes_after


@pytest.mark.parametrize("lesson", [FIRST, SECOND])
def test_honest_submissions_get_exactly_their_scores(graded, lesson):
    course, _, honest, _, before_attack, _, _, _ = graded
    got = rows(course, lesson)
    for submission in honest[lesson]:
        row = got[submission.student]
        score = float(row["score"]) - (2.0 if (lesson, submission.student) == (FIRST, "correct") else 0.0)
        assert (score, row["status"]) == (submission.score, submission.status), (submission.kind, row)
        first = before_attack[lesson][submission.student]
        assert float(first["score"]) == submission.score, "the same score before the attackers came"


def test_the_first_lessons_scores_are_the_ones_worked_out_by_hand(graded):
    """Lesson 00 has three 1-point exercises and one 2-point written answer (given 2 by hand to 'correct')."""
    course = graded[0]
    got = {s: float(r["score"]) for s, r in rows(course, FIRST).items() if not s.startswith("attack-")}
    assert got == {"correct": 5, "partial": 1, "blank": 0, "crash": 2, "endless_loop": 2, "sys_exit": 3,
                   "huge_output": 3, "deleted_test": 2, "edited_test": 3, "unusual_but_honest": 3, "copied_cell": 3,
                   "malformed": 0}


@pytest.mark.parametrize("lesson", [FIRST, SECOND])
def test_every_attack_scores_nothing_and_gets_a_row(graded, lesson):
    course, _, _, attackers, _, _, _, _ = graded
    got = rows(course, lesson)
    assert len(attackers[lesson]) >= (65 if lesson == FIRST else 15)
    for attacker in attackers[lesson]:
        assert attacker.student in got, f"no row for {attacker.student}"
        assert float(got[attacker.student]["score"]) == 0, (attacker.kind, got[attacker.student])


def test_nothing_outside_the_attackers_own_graded_copies_changed(graded):
    course, home, _, _, _, _, before, after = graded
    course_before, home_before, env_before = before
    course_after, home_after, env_after = after
    assert course_after == course_before, "the course directory changed"
    assert home_after == home_before, "the grader's HOME changed"
    assert env_after == env_before, "the Python environment changed"
    assert not (course / "late.txt").exists()
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_grade(f"{FIRST}-written-1", FIRST, FIRST, "correct").manual_score == 2.0
    uids = sandbox_uids(course)
    if os.geteuid() == 0:
        assert uids and all(u in SANDBOX_UIDS for u in uids), "each sandbox runs as its own user"
    assert processes_of(uids) == [], "a sandbox process outlived its grading"


def _printed(course: Path, attack: str) -> str:
    """What the attacker's added cell printed, in its graded notebook."""
    nb = nbformat.read(course / "autograded" / f"attack-{attack.replace('_', '-')}" / FIRST / f"{FIRST}.ipynb",
                       as_version=4)
    return "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))


def test_hidden_cases_the_class_list_and_the_grader_stay_out_of_sight(graded):
    course = graded[0]
    assert "No such file" in _printed(course, "read_hidden_cases")
    assert "No such file" in _printed(course, "read_class_list")
    for attack in ("read_hidden_cases", "read_class_list", "proc_snoop", "tmp_sockets"):
        text = _printed(course, attack)
        assert "hidden_cases" not in text and "unusual_but_honest" not in text
    pids = re.findall(r"'(\d+)'", _printed(course, "proc_snoop").split("\n")[0])
    assert 0 < len(pids) < 10, "the kernel sees only its own few processes"
    assert "course-grade-" not in _printed(course, "tmp_sockets").split("\n")[0]


def test_outputs_are_cut_and_neutralised(graded):
    course, home = graded[0], graded[1]
    flood = course / "autograded" / "attack-output-flood" / FIRST / f"{FIRST}.ipynb"
    assert flood.stat().st_size < 200_000  # the cell printed 30 MB
    for student in ("attack-html-output", "attack-markdown-script"):
        nb = nbformat.read(course / "autograded" / student / FIRST / f"{FIRST}.ipynb", as_version=4)
        for cell in nb.cells:
            assert "<script" not in cell.source or cell.cell_type == "code"
            for output in cell.get("outputs", []):
                assert set(output.get("data", {})) <= {"text/plain", "image/png", "image/jpeg"}
    for student in ("attack-markdown-script", "attack-html-output"):
        nbgrader(course, home, "generate_feedback", FIRST, f"--student={student}")
    for student in ("attack-html-output", "attack-markdown-script"):
        page = (course / "feedback" / student / FIRST / f"{FIRST}.html").read_text(encoding="utf-8")
        # The student's tags arrive as text (&lt;script&gt;...), never as tags.
        assert "<script>document.title" not in page and "<img src=x" not in page and "<svg onload" not in page
        assert "&lt;script&gt;document.title" in page or student == "attack-html-output"


def test_endless_cells_are_bounded_and_reported(graded):
    course = graded[0]
    got = rows(course, FIRST)
    assert "not run" in got["attack-many-endless-cells"]["note"]
    assert got["attack-many-endless-cells"]["status"] == "flagged"
    assert "time limit" in got["endless_loop"]["note"]


def test_feedback_shows_each_verdict(graded):
    course, home = graded[0], graded[1]
    nbgrader(course, home, "generate_feedback", FIRST, "--student=partial")
    page = (course / "feedback" / "partial" / FIRST / f"{FIRST}.html").read_text(encoding="utf-8")
    assert "Not attempted yet" in page and "Correct!" in page and "points]" in page


def test_released_assignments_carry_no_grading_code_and_no_hidden_cases(course):
    course = course[0]
    for lesson in (FIRST, SECOND):
        release = course / "release" / lesson
        assert (release / "utils" / "exercises" / "__init__.py").is_file()
        assert not list(release.rglob("instructor")) and not list(release.rglob("*grading*"))
        text = "".join(p.read_text(encoding="utf-8") for p in release.rglob("*.json"))
        assert '"hidden": true' not in text
        released = nbformat.read(release / f"{lesson}.ipynb", as_version=4)
        ours = nbformat.read(LESSONS / f"{lesson}.ipynb", as_version=4)
        assert [(c.cell_type, c.source) for c in released.cells] == [(c.cell_type, c.source) for c in ours.cells]


def test_plain_nbgrader_autograde_is_sandboxed_and_judged_too(graded):
    """`nbgrader autograde` with the course's configuration takes the same route as the wrapper."""
    course, home = graded[0], graded[1]
    for student in ("attack-patch-judge", "partial"):
        nbgrader(course, home, "autograde", FIRST, f"--student={student}", "--force")
    got = {s.student_id: s.score for s in _submissions(course, FIRST)}
    assert got["attack-patch-judge"] == 0 and got["partial"] == 1


def _submissions(course: Path, lesson: str):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return [type("S", (), {"student_id": s.student.id, "score": s.score})()
                for s in gradebook.find_assignment(lesson).submissions]


def test_without_the_sandbox_the_damage_is_real(tmp_path):
    """The attacks are not paper tigers: graded with isolation off (--no-sandbox), each does its damage."""
    course, home = tmp_path / "course", tmp_path / "home"
    home.mkdir()
    assert subprocess.run([sys.executable, "-m", "instructor.grading", "init", str(course), FIRST], cwd=ROOT,
                          capture_output=True).returncode == 0
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(LIMITS)
    nbgrader(course, home, "generate_assignment", FIRST, "--force")
    write_class(course, FIRST, kinds=("correct",))
    victim = course / "submitted" / "correct" / FIRST / f"{FIRST}.ipynb"
    paths = {"course": course, "home": home, "repo": ROOT, "victim": victim, "victim_dir": victim.parent,
             "venv": sys.prefix}
    attackers = write_attackers(course, FIRST, DAMAGE, paths)
    config_before = (course / "nbgrader_config.py").read_text()
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "instructor.grading", "autograde", str(course), FIRST,
                           "--no-sandbox", "--workers=1"] + [f"--student={a.student}" for a in attackers],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert "WITHOUT a sandbox" in done.stderr
    assert victim.read_text() == "{}", "a classmate's submission was overwritten"
    assert (course / "nbgrader_config.py").read_text() != config_before, "the course configuration was changed"
    assert (course / "source" / FIRST / "utils" / "exercises" / "judging.py").read_text() == ""
    assert (home / ".ipython" / "profile_default" / "startup" / "00-evil.py").is_file()


def test_grading_stops_with_install_advice_when_the_sandbox_cannot_start(course, tmp_path, monkeypatch):
    from instructor.grading import sandbox
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.check_available()


def _graded_nb(course: Path, attack: str):
    return nbformat.read(course / "autograded" / f"attack-{attack.replace('_', '-')}" / FIRST / f"{FIRST}.ipynb",
                         as_version=4)


def active_content(page: str) -> list:
    """What in ``page`` a browser would run or follow: javascript:/vbscript:/data: URLs, event handlers, scripts."""
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
                if name in ("href", "src", "xlink:href", "action") and url.startswith(("javascript:", "vbscript:",
                                                                                      "data:text")):
                    found.append((tag, name, value))
                elif name.startswith("on"):
                    found.append((tag, name, value))

    Tags().feed(page)
    return found


def test_markdown_links_reach_neither_the_feedback_nor_the_formgrader(graded):
    """javascript: links and images, inline and reference style, are dropped by the allow-list sanitiser (nh3)."""
    from nbconvert import HTMLExporter

    course, home = graded[0], graded[1]
    nb = _graded_nb(course, "markdown_javascript_links")
    written = [c for c in nb.cells if c.cell_type == "markdown" and "see here" in c.source]
    assert len(written) == 2, "the written answer and the added cell are kept, as text"
    for cell in written:
        assert "javascript:" not in cell.source.lower().replace("&lt;javascript:", "")
    # The Formgrader renders the graded notebook with nbconvert; even without nbconvert's own sanitising:
    page, _ = HTMLExporter(sanitize_html=False).from_notebook_node(nb)
    assert not active_content(page) and "see here" in page and "the reference" in page
    nbgrader(course, home, "generate_feedback", FIRST, "--student=attack-markdown-javascript-links")
    feedback = (course / "feedback" / "attack-markdown-javascript-links" / FIRST / f"{FIRST}.html").read_text()
    assert not active_content(feedback) and "see here" in feedback


def test_forged_structure_earns_nothing_and_leaves_no_trace(graded):
    """Pre-filled verdicts, a cell with a check's id, the grader's metadata forged, a look-alike id, inflated
    points and megabytes of metadata: the graded notebook shows only the grader's own verdicts."""
    course = graded[0]
    got = rows(course, FIRST)
    for attack in ("prefilled_verdicts", "duplicate_check_id", "forged_grading_metadata", "lookalike_grade_id",
                   "inflated_points", "huge_metadata"):
        student = f"attack-{attack.replace('_', '-')}"
        assert float(got[student]["score"]) == 0 and float(got[student]["max_score"]) == 5, (attack, got[student])
        path = course / "autograded" / student / FIRST / f"{FIRST}.ipynb"
        if not path.exists():
            assert got[student]["status"] == "failed", (attack, got[student])
            continue
        assert path.stat().st_size < 2_000_000, attack
        nb = nbformat.read(path, as_version=4)
        graded_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
        assert [c.metadata["nbgrader"]["grade_id"] for c in graded_cells] == [
            f"{FIRST}-sample_sd", f"{FIRST}-percent_negative", f"{FIRST}-answer_3"], attack
        for cell in graded_cells:  # each shows the grader's verdict alone, worth what the instructor set
            shown = "".join(o.get("text", "") for o in cell.outputs)
            assert FORGED_TICK not in shown and "✔" not in shown and shown.endswith("[0 / 1 points]\n"), attack
            assert cell.metadata["nbgrader"]["points"] == 1, attack
        verdicts = nb.metadata["course_grading"]["verdicts"]
        assert verdicts and all(v["points"] == 0 for v in verdicts.values()), attack
        assert "padding" not in nb.metadata, attack


def test_undecodable_reports_and_forged_shapes_score_zero_with_a_note(graded):
    """A message the grader cannot decode is dropped (the run is kept: the submission is graded, not failed); a
    report of a shape no honest report has scores 0 with a note, not a crash."""
    course = graded[0]
    got = rows(course, FIRST)
    for attack in ("decoder_huge_int", "decoder_deep_nesting", "forge_choice_shape", "forge_function_shape"):
        row = got[f"attack-{attack.replace('_', '-')}"]
        assert row["status"] in ("graded", "flagged") and float(row["score"]) == 0, (attack, row)
        verdicts = _graded_nb(course, attack).metadata["course_grading"]["verdicts"]
        assert len(verdicts) == 3 and all(v["points"] == 0 for v in verdicts.values()), attack
    assert "malformed" in got["attack-forge-choice-shape"]["note"]  # once an AttributeError in the choice judge


def test_busy_processes_and_scratch_space_stay_inside_their_sandbox(graded):
    """48 busy processes beside a classmate: the classmates graded at the same time keep their points (checked
    above) and no kernel was reported stopped; /dev/shm, /run and /var/tmp are small."""
    course = graded[0]
    got = rows(course, FIRST)
    for student, row in got.items():
        if not student.startswith("attack-"):
            assert "stopped the kernel" not in row["note"], (student, row)
    printed = _printed(course, "scratch_fill")
    assert printed.count("No space left") == 3, printed
