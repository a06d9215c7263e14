"""What students send in, checked before the instructor's tools read it (instructor/grading/intake.py), and the
grader's other guards that need no kernel: links and odd ids under submitted/, nbgrader's exchange (collect and
release_feedback), the markdown sanitiser, control groups, the sandbox's scratch mounts, a kernel that fails
to start, and reports of a forged shape."""
import datetime
import os
import pwd
import secrets
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from grading.submissions import Lesson, write

FIRST = "00_start_here"
pytestmark = [pytest.mark.xdist_group("grading_intake")]


def _env(home: Path) -> dict:
    return {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("intake")
    course, home = base / "course", base / "home"
    home.mkdir()
    (home / "notes.txt").write_text("the instructor's own file\n")
    assert subprocess.run([sys.executable, "-m", "instructor.grading", "init", str(course), FIRST], cwd=ROOT,
                          capture_output=True).returncode == 0
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", FIRST, "--force"], cwd=course,
                          env=_env(home), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return course, home


# --------------------------------------------------------------------------
# Links and odd ids under submitted/
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_links_and_odd_ids_under_submitted_are_refused_before_anything_reads_them(course):
    course, home = course
    lesson = Lesson(course, FIRST)
    victim = write(course, FIRST, "alice", lesson.answered())  # a classmate's full-marks notebook
    blank = nbformat.writes(lesson.release)
    made = {}

    def student(name):
        folder = course / "submitted" / name / FIRST
        folder.mkdir(parents=True)
        made[name] = folder
        return folder

    (student("link-notebook") / f"{FIRST}.ipynb").symlink_to(victim)
    (course / "submitted" / "link-folder").mkdir()
    (course / "submitted" / "link-folder" / FIRST).symlink_to(victim.parent)
    (course / "submitted" / "link-student").symlink_to(course / "submitted" / "alice")
    folder = student("link-extras")
    (folder / f"{FIRST}.ipynb").write_text(blank)
    (folder / "gradebook.db").symlink_to(course / "gradebook.db")
    (folder / "definitions.py").symlink_to(course / "instructor" / "definitions" / "lesson00.py")
    (folder / "notes.txt").symlink_to(home / "notes.txt")
    (folder / "data").symlink_to(course / "instructor")
    folder = student("hard-link")
    (folder / f"{FIRST}.ipynb").write_text(blank)
    os.link(course / "gradebook.db", folder / "gradebook.db")
    folder = student("fifo")
    (folder / f"{FIRST}.ipynb").write_text(blank)
    os.mkfifo(folder / "pipe")
    for odd in ("*", "<img src=x onerror=alert(1)>"):
        (student(odd) / f"{FIRST}.ipynb").write_text(blank)
    victim_before = victim.read_bytes()
    refused = ["link-notebook", "link-folder", "link-student", "link-extras", "hard-link", "fifo", "*",
               "<img src=x onerror=alert(1)>"]
    done = subprocess.run([sys.executable, "-m", "instructor.grading", "autograde", str(course), FIRST]
                          + [f"--student={s}" for s in refused], cwd=ROOT, env=_env(home), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    import csv
    with open(course / "grades" / f"{FIRST}.csv", newline="", encoding="utf-8") as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    for name in refused:
        assert rows[name]["status"] == "failed" and float(rows[name]["score"]) == 0, rows[name]
        assert rows[name]["note"].startswith("refused: "), rows[name]
        assert not (course / "autograded" / name).exists(), f"{name}: something was copied"
    assert "symbolic link" in rows["link-extras"]["note"] and "hard link" in rows["hard-link"]["note"]
    assert "not a regular file" in rows["fifo"]["note"] and "not a plain name" in rows["*"]["note"]
    assert victim.read_bytes() == victim_before and not (course / "autograded" / "alice").exists()
    assert not (course / "feedback").exists()
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert not {s.id for s in gradebook.students} & set(refused), "a refused student reached the gradebook"
    # nbgrader's own autograde (the Formgrader's button) refuses too, before it copies anything.
    plain = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", FIRST, "--student=link-extras"],
                           cwd=course, env=_env(home), capture_output=True, text=True, timeout=600)
    assert plain.returncode != 0 and "REFUSED" in plain.stdout + plain.stderr
    assert not (course / "autograded" / "link-extras").exists()


# --------------------------------------------------------------------------
# nbgrader's exchange
# --------------------------------------------------------------------------
def _stamp(when: datetime.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def _entry(inbound: Path, name: str, text: str, secret=True) -> Path:
    folder = inbound / name
    folder.mkdir()
    (folder / f"{FIRST}.ipynb").write_text(text)
    (folder / "timestamp.txt").write_text(name.split("+")[2])
    if secret:
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    return folder


@pytest.fixture
def exchange(course, tmp_path):
    course, home = course
    root = tmp_path / "exchange"
    inbound = root / "opioids-and-bonds" / "inbound"
    inbound.mkdir(parents=True)
    config = course / "nbgrader_config.py"
    original = config.read_text()
    config.write_text(original + f"\nc.Exchange.root = {str(root)!r}\n")
    yield course, home, root, inbound
    config.write_text(original)


def _nbgrader(course, home, *args):
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=_env(home),
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_collect_takes_in_only_entries_that_pass_its_checks_and_says_what_it_refused(exchange):
    course, home, root, inbound = exchange
    now = datetime.datetime.now(datetime.timezone.utc)
    earlier = _stamp(now - datetime.timedelta(hours=1))
    _entry(inbound, f"amy+{FIRST}+{earlier}+a1", "amy's own work")
    _entry(inbound, f"amy+{FIRST}+2099-01-01 00:00:00.000000 UTC+x1", "mallory, dated in the future")
    forged = _entry(inbound, f"amy+{FIRST}+{_stamp(now)}+x2", "mallory, as amy")
    nobody = pwd.getpwnam("nobody")
    os.chown(forged, nobody.pw_uid, nobody.pw_gid)
    linked = _entry(inbound, f"bob+{FIRST}+{_stamp(now)}+x3", "bob")
    (linked / "notes.txt").symlink_to(home / "notes.txt")
    (linked / "gradebook.db").symlink_to(course / "gradebook.db")
    _entry(inbound, f"carol+{FIRST}+{_stamp(now)}+x4", "carol, without a secret", secret=False)
    _entry(inbound, f"*+{FIRST}+{_stamp(now)}+x5", "a pattern")
    _entry(inbound, f"<img src=x onerror=alert(1)>+{FIRST}+{_stamp(now)}+x6", "html")
    (inbound / f"erin+{FIRST}+{_stamp(now)}+x7").symlink_to(course / "instructor")
    _entry(inbound, f"dave+{FIRST}+{_stamp(now)}+d1", "dave's own work")
    done = _nbgrader(course, home, "collect", FIRST)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    submitted = course / "submitted"
    assert (submitted / "amy" / FIRST / f"{FIRST}.ipynb").read_text() == "amy's own work"
    assert (submitted / "dave" / FIRST / f"{FIRST}.ipynb").read_text() == "dave's own work"
    for name in ("bob", "carol", "erin"):
        assert not (submitted / name).exists(), f"{name} was collected"
    for name, text in (("*", "a pattern"), ("<img src=x onerror=alert(1)>", "html")):  # (the test above made these)
        notebook = submitted / name / FIRST / f"{FIRST}.ipynb"
        assert not notebook.exists() or notebook.read_text() != text, f"{name} was collected"
    assert log.count("REFUSED inbound entry") == 7, log
    for why in ("in the future", "belongs to the account 'nobody'", "symbolic link", "no submission_secret.txt",
                "not a plain name", "not a folder"):
        assert why in log, why
    assert "Collect refused 7 inbound entries" in log


@pytest.mark.slow
def test_release_feedback_skips_a_student_it_cannot_release_and_releases_the_rest(exchange):
    course, home, root, _ = exchange
    from nbgrader.utils import notebook_hash
    secret = secrets.token_hex(64)
    for student, has_secret in (("dave", True), ("erin", False)):
        folder = course / "feedback" / student / FIRST
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{FIRST}.html").write_text(f"<p>feedback for {student}</p>")
        (folder / "timestamp.txt").write_text("2026-12-07 10:00:00.000000 UTC")
        if has_secret:
            (folder / "submission_secret.txt").write_text(secret)
    done = _nbgrader(course, home, "release_feedback", FIRST)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    released = root / "opioids-and-bonds" / "feedback" / f"{notebook_hash(secret=secret, notebook_id=FIRST)}.html"
    assert released.read_text() == "<p>feedback for dave</p>"
    assert "NOT RELEASED" in log and "'erin'" in log and "submission_secret.txt is missing" in log


# --------------------------------------------------------------------------
# Markdown, control groups, scratch mounts, a kernel that fails to start, forged shapes
# --------------------------------------------------------------------------
@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))", "![x](javascript:alert(1))", "[x][r]\n\n[r]: javascript:alert(1)",
    "![x][r]\n\n[r]: javascript:alert(1)", "[x](JAVASCRIPT:alert(1))", "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)", "<a href='javascript:alert(1)'>x</a>",
    "<svg onload=alert(1)>", "[x](java\tscript:alert(1))", "<javascript:alert(1)>"])
def test_markdown_is_sanitised_by_an_allow_list(source):
    from nbconvert import HTMLExporter

    from instructor.grading.nbgrader_plugins import SAFE_TAGS, safe_markdown
    from test_grading import active_content

    clean = safe_markdown(source)
    assert clean.startswith('<div class="course-student-markdown">') and "\n" not in clean
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(clean)])
    page, _ = HTMLExporter(sanitize_html=False).from_notebook_node(nb)
    start = page.index('<div class="course-student-markdown">')
    body = page[start:page.index("</div>", start) + 6]
    assert not active_content(body), body
    tags = _tags(body)  # what a browser would make of it: only formatting tags, no event handlers
    assert {t for t, _ in tags} <= SAFE_TAGS | {"div"}, tags
    assert not [a for _, attrs in tags for a, _ in attrs if a.startswith("on")], tags


def _tags(page: str) -> list:
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Tags().feed(page)
    return found


def test_markdown_keeps_honest_formatting_and_links():
    from instructor.grading.nbgrader_plugins import safe_markdown

    clean = safe_markdown("**Yes**: see [the paper](https://doi.org/10.1038/s41398-024-03088-0).\n\n- one\n- two")
    assert "<strong>Yes</strong>" in clean and 'href="https://doi.org/10.1038/s41398-024-03088-0"' in clean
    assert "<li>one</li>" in clean


def test_control_group_v2_files(tmp_path, monkeypatch):
    """cgroup v2: one group per sandbox with an equal CPU weight, one core, a memory cap without swap, pids."""
    from instructor.grading import cgroups

    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("cpu memory pids\n")
    monkeypatch.setattr(cgroups, "_own_paths", lambda root: {"": "/"})
    group = cgroups.create(2 * 1024 ** 3, 64, 1.0, root=tmp_path)
    assert group is not None and group.version == 2
    folder = group.folders[""]
    assert folder.parent == tmp_path and folder.name.startswith("course-grade-")
    assert (folder / "cpu.weight").read_text() == "100" and (folder / "cpu.max").read_text() == "100000 100000"
    assert (folder / "memory.max").read_text() == str(2 * 1024 ** 3) and (folder / "pids.max").read_text() == "64"
    assert (folder / "memory.swap.max").read_text() == "0"
    assert group.join_files() == [str(folder / "cgroup.procs")]
    (tmp_path / "cgroup.subtree_control").write_text("cpu\n")  # no delegation: the documented fallback
    assert cgroups.create(2 * 1024 ** 3, 64, 1.0, root=tmp_path) is None


def test_scratch_mounts_are_size_limited():
    from instructor.grading.sandbox import Limits, SandboxConfig, bwrap_command

    cmd = bwrap_command(SandboxConfig(assignment_dir=ROOT, limits=Limits(scratch_bytes=12345)), Path("/tmp/io"),
                        ["true"])
    for place in ("/dev/shm", "/run", "/var/tmp", "/tmp"):
        at = cmd.index(place)
        assert cmd[at - 1] == "--tmpfs" and cmd[at - 3] == "--size", place
    assert [cmd[cmd.index(p) - 2] for p in ("/dev/shm", "/run", "/var/tmp")] == ["12345"] * 3


def test_a_kernel_that_fails_to_start_leaves_nothing_behind(monkeypatch):
    from instructor.grading import sandbox

    monkeypatch.setattr(sandbox, "bwrap_command", lambda *a, **k: [sys.executable, "-c", "raise SystemExit(3)"])
    kernel = sandbox.SandboxedKernel(sandbox.SandboxConfig(assignment_dir=ROOT))
    assert kernel.io_dir.is_dir() and kernel.io_dir.name.startswith("course-grade-")
    with pytest.raises(sandbox.SandboxUnavailable):
        with kernel:
            pass
    assert not kernel.io_dir.exists(), "the sandbox's folder is left in the host's /tmp"
    assert kernel.group is None, "its control group is removed"


@pytest.mark.parametrize("answer", [
    {"status": "answered", "kind": "choice", "value": ["b"]},
    {"status": "answered", "kind": "choice", "value": None},
    {"status": "answered", "kind": "value", "value": {"a": 1}},
    {"status": "answered", "kind": "function", "cases": "all correct", "names_used": 7},
    {"status": "answered", "kind": "sort", "value": [1, 2]}])
def test_a_forged_report_of_the_wrong_shape_scores_zero_with_a_note(answer):
    from instructor.grading import scoring

    for spec in scoring.full_specs(FIRST).values():
        verdict = scoring.judge_answer(spec, answer)
        assert verdict.score == 0 and verdict.status == "wrong", (spec["kind"], answer, verdict)
