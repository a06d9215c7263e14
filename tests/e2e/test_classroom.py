"""A real classroom, end to end: JupyterHub, nbgrader's exchange, one instructor and two students.

The hub (tests/classroom/jupyterhub_config.py, the configuration the README
shows) runs on 127.0.0.1 with configurable-http-proxy from npm, a shared
test password, and a single-user JupyterLab per user with its own home,
all under one temporary folder; the class shares one nbgrader exchange.
Headless chromium (Debian's) acts as every person, each in a browser
context of their own (own cookies):

1. The instructor makes the course directory (``python -m instructor.grading
   init``: the command line, because it copies files from this repository,
   which the hub's users do not see), then in JupyterLab opens the
   Formgrader (nbgrader's extension) and, there, generates and releases
   05_effect_sizes.
2. Student alice opens the *Assignments* tab, fetches the lesson, answers
   every exercise correctly and submits it from the tab.
3. Student bob does the same with wrong answers (all but exercise 5), and
   the Check boxes show him a ✘ as he goes.
4. The instructor collects the submissions in the Formgrader, autogrades
   them with the sandboxed grader (``python -m instructor.grading
   autograde``, the command line: the Formgrader's own button would grade
   without our class-level summary), then generates and releases feedback
   in the Formgrader.
5. Both students fetch their feedback in the Assignments tab and open it.
6. The scores are checked in the gradebook, on the Formgrader's *Manage
   Students* page and in the feedback each student sees.

What goes through the browser and what does not: logging in, every
nbgrader action (fetch, submit, release, collect, generate and release
feedback, fetch and open feedback), opening and running the notebook,
exercise 3 (typed into its cell with the keyboard, run, then checked with
its Check button) and saving. The other answers are written into the
fetched notebook file on disk before the student opens it: typing
multi-line code through the browser is slow and CodeMirror re-indents it,
and it would test the editor rather than the classroom. The model answers
come from solutions/05_effect_sizes.ipynb (its nbgrader solution cells,
without the BEGIN/END SOLUTION lines), so the expected scores follow the
lesson's own points.

A second test shows a course update without lost work: a student follows
an nbgitpuller link (the repository is a local git repository reached with
a file:// URL), edits lesson 05, the instructor commits an update, and the
student follows the link again: her edit is kept and the update arrives.

In every notebook opened, every widget renders (no "Error displaying
widget"). Screenshots of each step: test-artifacts/classroom/. When the
module ends, the hub, the proxy, the users' servers and their kernels are
stopped, and the test fails if any process is left running in its folder.

Needs: jupyterhub and nbgitpuller (tests/requirements.txt),
configurable-http-proxy (npm), bubblewrap (the grader's sandbox), chromium.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import VIEWPORT, chromium, require_programs, require_sandbox, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("classroom")]

ROOT = Path(__file__).resolve().parents[2]
HUB_CONFIG = Path(__file__).resolve().parents[1] / "classroom" / "jupyterhub_config.py"
HELPERS_JS = Path(__file__).resolve().parents[1] / "browser" / "notebook.js"
ARTIFACTS = ROOT / "test-artifacts" / "classroom"
LESSON = "05_effect_sizes"
INSTRUCTOR, ALICE, BOB, CAROL = "instructor", "alice", "bob", "carol"
PASSWORD = "classroom-test-password"

HUB_START_TIMEOUT = 90  # seconds
SPAWN_TIMEOUT = 120_000  # milliseconds: login, server spawned, JupyterLab loaded
OPEN_TIMEOUT = 120_000  # milliseconds: a notebook open with an idle kernel
RUN_TIMEOUT = 240_000  # milliseconds: Run All on lesson 05
UI_TIMEOUT = 60_000  # milliseconds: one click to take effect

# Exercise 3 is typed in the browser; the other answers are written into the file.
TYPED = "05_effect_sizes-answer-3"
TYPED_RIGHT = 'answer_3 = "b"'
TYPED_WRONG = 'answer_3 = "a"'
# Bob's wrong answers (exercise 5 he gets right, from the model answers).
WRONG = {
    "05_effect_sizes-answer-1": "def correction_exact(m):\n    return 1.0\n",
    "05_effect_sizes-answer-2": "def hedges_g(m1, sd1, n1, m2, sd2, n2):\n    return (m1 - m2) / sd1, 1.0\n",
    "05_effect_sizes-answer-4": "g_inagaki_2019 = 0.5\n",
}
SOLUTION_MARK = re.compile(r"^\s*(### (BEGIN|END) SOLUTION|<!-- (BEGIN|END) SOLUTION -->)\s*$")


# --------------------------------------------------------------------------
# What the lesson says: model answers and points
# --------------------------------------------------------------------------
def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def model_answers() -> dict:
    """grade_id -> the model answer (solution cells of solutions/, markers removed)."""
    nb = nbformat.read(ROOT / "solutions" / f"{LESSON}.ipynb", as_version=4)
    return {_nbgrader(cell)["grade_id"]: "\n".join(line for line in cell.source.splitlines()
                                                   if not SOLUTION_MARK.match(line)) + "\n"
            for cell in nb.cells if _nbgrader(cell).get("solution")}


def autograded_points() -> dict:
    """grade_id of each autograded (code) test cell -> its points."""
    nb = nbformat.read(ROOT / "solutions" / f"{LESSON}.ipynb", as_version=4)
    return {_nbgrader(c)["grade_id"]: float(_nbgrader(c)["points"]) for c in nb.cells
            if c.cell_type == "code" and _nbgrader(c).get("grade")}


def max_points() -> float:
    nb = nbformat.read(ROOT / "solutions" / f"{LESSON}.ipynb", as_version=4)
    return sum(float(_nbgrader(c)["points"]) for c in nb.cells if _nbgrader(c).get("grade"))


def write_answers(notebook: Path, answers: dict) -> None:
    """Put ``answers`` (grade_id -> source) into the fetched notebook's answer cells."""
    nb = nbformat.read(notebook, as_version=4)
    found = set()
    for cell in nb.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            found.add(grade_id)
    assert found == set(answers), f"{notebook.name} lacks the answer cells {sorted(set(answers) - found)}"
    nbformat.write(nb, notebook)


# --------------------------------------------------------------------------
# The hub
# --------------------------------------------------------------------------
def _free_port_block(size: int = 3) -> int:
    """A port p with p .. p + size - 1 free (the hub uses three)."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + size > 65535:
            continue
        try:
            for offset in range(1, size):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port + offset))
            return port
        except OSError:
            continue
    raise RuntimeError("no block of free ports on 127.0.0.1")


def processes_in(folder: Path) -> list[tuple[int, str]]:
    """(pid, command line) of every process whose working directory is inside ``folder``."""
    found = []
    folder = str(folder.resolve())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            if cwd == folder or cwd.startswith(folder + os.sep):
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append((int(entry.name), cmd.strip()[:200]))
        except OSError:  # gone, or not ours to read
            continue
    return found


class Hub:
    """JupyterHub started from tests/classroom/jupyterhub_config.py in its own folder."""

    def __init__(self, root: Path, users: list[str], config: Path = HUB_CONFIG, settings: dict | None = None):
        """``settings``: more environment variables for the hub (e.g. CLASSROOM_CULL_SERVER)."""
        self.root = root
        self.port = _free_port_block()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = root / "jupyterhub.log"
        env = dict(os.environ, CLASSROOM_ROOT=str(root), CLASSROOM_PORT=str(self.port),
                   CLASSROOM_USERS=",".join(users), CLASSROOM_PASSWORD=PASSWORD, **(settings or {}))
        env.pop("MPLBACKEND", None)  # notebooks choose their own backend (inline)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                        cwd=root, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/hub/api/", timeout=5) as response:
                    json.load(response)
                return
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                time.sleep(0.3)  # the interval between two polls
        raise RuntimeError(f"jupyterhub did not answer on {self.url} within {HUB_START_TIMEOUT} s:\n"
                           f"{self.log_tail()}")

    def stop(self) -> list[tuple[int, str]]:
        """Stop the hub (which stops the proxy and the users' servers); return what was left running."""
        stop_server(self.process, timeout=60)
        self._log.close()
        deadline = time.monotonic() + 20
        left = processes_in(self.root)
        while left and time.monotonic() < deadline:
            time.sleep(0.3)  # servers and kernels shutting down
            left = processes_in(self.root)
        for pid, _ in left:  # ours (they run in our folder): end them, then report them
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return left


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture(scope="module")
def chromium_path():
    programs = ("chromium", "configurable-http-proxy", "libnss_wrapper.so", "git", "bwrap")
    return require_programs(*programs, needed_for="the classroom test")["chromium"]


@pytest.fixture(scope="module")
def classroom(chromium_path, tmp_path_factory):
    """The class's folders and configuration, and the hub; stopped and checked at the end."""
    require_sandbox(needed_for="the classroom test")
    root = tmp_path_factory.mktemp("classroom")
    home = {user: root / "home" / user for user in (INSTRUCTOR, ALICE, BOB, CAROL)}
    course = home[INSTRUCTOR] / "course"
    subprocess.run([sys.executable, "-m", "instructor.grading", "init", str(course), LESSON], cwd=ROOT,
                   check=True, capture_output=True, text=True, timeout=120)
    from instructor.grading.course import load_config

    course_id = load_config(course).CourseDirectory.course_id
    exchange = root / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # every user writes their submissions here
    hub_wide = HUB_CONFIG.parent / "jupyter" / "nbgrader_config.py"  # what /etc/jupyter holds on a real hub
    assert re.search(rf"course_id = [\"']{re.escape(course_id)}[\"']", hub_wide.read_text()), (
        f"{hub_wide} must name the course {course_id!r}")
    # The instructor's own: where the course directory is, and its settings (the course's stubs).
    _write(home[INSTRUCTOR] / ".jupyter" / "nbgrader_config.py",
           f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n"
           f"load_subconfig({str(course / 'nbgrader_config.py')!r})\n")
    hub = Hub(root, list(home))
    hub.home, hub.course, hub.exchange, hub.course_id = home, course, exchange, course_id
    try:
        hub.wait_until_up()
        yield hub
    finally:
        left = hub.stop()
        assert not left, f"processes left running after the hub stopped (now killed): {left}"


@pytest.fixture(scope="module")
def browser(chromium_path):
    with chromium(chromium_path) as launched:
        yield launched


# --------------------------------------------------------------------------
# One person in the browser
# --------------------------------------------------------------------------
class Person:
    """One user of the hub, in a browser context (cookies) of their own, with one JupyterLab tab."""

    def __init__(self, hub: Hub, browser, name: str):
        self.hub, self.name = hub, name
        self.home = hub.home[name]
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(path=str(HELPERS_JS))
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.lab = posixpath.join(hub.url, "user", name, "lab")

    def shot(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{step}.png"
        self.page.screenshot(path=str(target))
        return target

    def fail(self, what: str) -> None:
        shot = self.shot(f"FAILED-{self.name}")
        pytest.fail(f"{self.name}: {what} (screenshot {shot.relative_to(ROOT)}); browser errors: "
                    f"{self.errors[-5:]}\nHub log:\n{self.hub.log_tail(25)}", pytrace=False)

    def wait_js(self, condition: str, timeout: float, what: str, arg=None) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        script = f"(arg) => {{ try {{ return Boolean({condition}); }} catch (e) {{ return false; }} }}"
        try:
            self.page.wait_for_function(script, arg=arg, timeout=timeout, polling=250)
        except PlaywrightTimeout:
            self.fail(f"timed out after {timeout / 1000:g} s waiting for {what}")

    def wait_for(self, locator, what: str, timeout: float = UI_TIMEOUT, state: str = "visible"):
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            locator.wait_for(state=state, timeout=timeout)
        except PlaywrightTimeout:
            self.fail(f"timed out after {timeout / 1000:g} s waiting for {what}")
        return locator

    def log_in(self, password: str = PASSWORD) -> None:
        """Log in on the hub's page; wait for the spawned JupyterLab to be ready."""
        self.start_log_in(password)
        self.wait_logged_in()

    def start_log_in(self, password: str = PASSWORD) -> None:
        """Send the login form (the hub then starts the server while others work)."""
        self.page.goto(f"{self.hub.url}/hub/login", wait_until="domcontentloaded")
        self.page.fill("#username_input", self.name)
        self.page.fill("#password_input", password)
        self.page.click("#login_submit")

    def wait_logged_in(self) -> None:
        self.wait_js("window.location.pathname.startsWith('/user/' + arg + '/lab') && window.jupyterapp "
                     "&& document.querySelector('.jp-LabShell') !== null", SPAWN_TIMEOUT,
                     "login, the server to start and JupyterLab to load", self.name)
        self.page.evaluate("() => window.jupyterapp.restored")

    def command(self, command: str, args: dict | None = None) -> None:
        self.page.evaluate("([c, a]) => { window.jupyterapp.commands.execute(c, a); }", [command, args or {}])

    # -- notebooks -------------------------------------------------------------
    def open_notebook(self, path: str) -> None:
        self.page.goto(posixpath.join(self.lab, "tree", path) + "?reset", wait_until="domcontentloaded")
        self.wait_js("courseTest.ready(arg)", OPEN_TIMEOUT, f"{path} to open with an idle kernel", path)

    def nb(self, function: str, path: str, *args):
        return self.page.evaluate("([f, path, args]) => window.courseTest[f](path, ...args)",
                                  [function, path, list(args)])

    def run_all(self, path: str) -> dict:
        self.nb("runAll", path)
        self.wait_js("courseTest.runFinished(arg)", RUN_TIMEOUT, f"Run All on {path}", path)
        self.page.evaluate("(path) => window.courseTest.countWidgetViews(path)", path)
        self.wait_js("courseTest.rendered(arg)", UI_TIMEOUT, "the widgets to be drawn", path)
        return self.nb("summary", path)

    def assert_widgets_render(self, path: str, summary: dict) -> None:
        assert not summary["widgetErrors"], f"{self.name}, {path}: {summary['widgetErrors']}"
        assert summary["widgetOutputs"] > 0, f"{self.name}, {path}: no widget shown"
        assert summary["widgetsDrawn"] == summary["widgetOutputs"], (
            f"{self.name}, {path}: {summary['widgetOutputs']} widget outputs, {summary['widgetsDrawn']} drawn")
        assert not summary["errors"], f"{self.name}, {path}: error outputs {summary['errors']}"

    def type_into_cell(self, path: str, index: int, text: str) -> None:
        """Click into a cell's editor, select its text and type ``text`` with the keyboard."""
        tag = f"cell-{index}"
        self.nb("tagCell", path, index, tag)
        editor = self.page.locator(f'[data-course-test="{tag}"] .cm-content')
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.wait_js("courseTest.panel(arg[0]).content.widgets[arg[1]].model.sharedModel.getSource() === arg[2]",
                     UI_TIMEOUT, "the typed text in the cell", [path, index, text])

    def run_cell(self, path: str, index: int) -> None:
        before = self.nb("executionCount", path, index) or 0
        self.page.keyboard.press("Shift+Enter")  # the focus is in the cell's editor
        self.wait_js("courseTest.executionCount(arg[0], arg[1]) > arg[2] && "
                     "courseTest.kernelStatus(arg[0]) === 'idle'", UI_TIMEOUT, "the cell to run",
                     [path, index, before])

    def click_check(self, path: str, index: int, status: str) -> str:
        """Click the Check button below cell ``index``; wait for the box to say ``status``; return its text."""
        tag = f"check-{index}"
        self.nb("tagCell", path, index, tag)
        self.page.locator(f'[data-course-test="{tag}"] .widget-button', has_text="Check").click()
        box = self.page.locator(f'[data-course-test="{tag}"] .course-feedback.{status}')
        self.wait_for(box, f"the Check box of cell {index} to show {status}")
        return box.inner_text()

    def save_and_close(self, path: str) -> None:
        self.command("docmanager:save")
        self.wait_js("!courseTest.panel(arg).context.model.dirty", UI_TIMEOUT, f"{path} to be saved", path)
        self.page.evaluate("(path) => window.courseTest.closeAndShutdown(path)", path)

    # -- nbgrader's Assignments tab ---------------------------------------------
    def goto_lab(self) -> None:
        """JupyterLab afresh, with no tab open."""
        self.page.goto(self.lab + "?reset", wait_until="domcontentloaded")
        self.wait_js("window.jupyterapp && document.querySelector('.jp-LabShell')", SPAWN_TIMEOUT, "JupyterLab")
        self.page.evaluate("() => window.jupyterapp.restored")

    def assignments_tab(self) -> None:
        self.goto_lab()
        self.command("nbgrader:open-assignment-list")

    def assignment_button(self, listing: str, label: str):
        item = self.page.locator(f"#{listing}_assignments_list .list_item", has_text=LESSON)
        return self.wait_for(item.locator("button", has_text=label),
                             f"the {label!r} button of {LESSON} under {listing} assignments")


def _formgrader(instructor: Person):
    """The Formgrader panel (nbgrader's JupyterLab extension) and its frame."""
    instructor.command("nbgrader:open-formgrader")
    frame = instructor.page.frame_locator("iframe[src*='formgrader']")
    return frame


def _formgrader_action(instructor: Person, frame, icon: str, what: str, step: str) -> None:
    """Click one of the lesson's action icons on Manage Assignments; wait for the success dialog."""
    row = frame.locator("tr", has_text=LESSON)
    instructor.wait_for(row.locator(f"span.glyphicon-{icon}"), f"the Formgrader's {what} button").click()
    modal = frame.locator("#success-modal, #error-modal")
    instructor.wait_for(modal, f"the Formgrader to finish: {what}", timeout=180_000)
    instructor.shot(step)
    text = modal.inner_text()
    if frame.locator("#error-modal").count():
        instructor.fail(f"the Formgrader could not {what}: {text[:1500]}")
    modal.locator("button", has_text="OK").first.click() if modal.locator("button", has_text="OK").count() \
        else modal.locator("button").first.click()
    instructor.wait_for(frame.locator("#success-modal"), "the dialog to close", state="detached")


# --------------------------------------------------------------------------
# The classroom
# --------------------------------------------------------------------------
def _student_works(student: Person, answers: dict, typed: str, typed_status: str) -> dict:
    """Fetch the lesson, answer it (file + one typed answer), run it, submit it. Return the Run All summary."""
    path = f"{LESSON}/{LESSON}.ipynb"
    student.assignments_tab()
    student.wait_for(student.page.locator("#released_assignments_list .list_item", has_text=LESSON),
                     "the released lesson in the Assignments tab")
    student.shot(f"2-{student.name}-assignments")
    student.assignment_button("released", "Fetch").click()
    student.assignment_button("fetched", "Submit")
    notebook = student.home / path
    assert notebook.is_file(), f"{student.name}: fetching did not put {path} in the home folder"
    write_answers(notebook, answers)

    student.open_notebook(path)
    summary = student.run_all(path)
    student.assert_widgets_render(path, summary)
    answer = student.nb("findCell", path, "answer_3 = None")
    check = student.nb("findCell", path, 'ex.check("05.answer_3")')
    assert min(answer, check) >= 0, "lesson 05 lost exercise 3 or its check"
    student.type_into_cell(path, answer, typed)
    student.run_cell(path, answer)
    text = student.click_check(path, check, typed_status)
    summary = student.nb("summary", path)
    student.shot(f"3-{student.name}-answered")
    student.assert_widgets_render(path, summary)
    student.save_and_close(path)
    saved = nbformat.read(notebook, as_version=4)
    assert any(cell.source == typed for cell in saved.cells), f"{student.name}: the typed answer was not saved"

    student.assignments_tab()
    student.assignment_button("fetched", "Submit").click()
    student.wait_for(student.page.locator("#submitted_assignments_list .list_item", has_text=LESSON),
                     "the submission in the Assignments tab")
    student.shot(f"3-{student.name}-submitted")
    return {"summary": summary, "typed_feedback": text}


def _feedback_seen(student: Person) -> str:
    """Fetch the feedback in the Assignments tab and open it; return the text the student sees."""
    student.assignments_tab()
    student.assignment_button("submitted", "Fetch Feedback").click()
    link = student.page.locator("#submitted_assignments_list .list_item a", has_text="view feedback")
    student.wait_for(link, "the 'view feedback' link").click()  # shows the feedback folder
    item = student.page.locator(".jp-DirListing-item", has_text=f"{LESSON}.html")
    student.wait_for(item, "the feedback file in the file browser").dblclick()
    frame = student.page.frame_locator(".jp-HTMLViewer iframe").first
    heading = student.wait_for(frame.locator("h4", has_text="Score"), "the feedback to open")
    student.shot(f"5-{student.name}-feedback")
    return heading.inner_text() + "\n" + frame.locator("body").inner_text()


def test_release_submit_grade_feedback(classroom, browser):
    hub = classroom
    answers = model_answers()
    points = autograded_points()
    typed_check = f"{LESSON}-answer_3"
    assert TYPED in answers and typed_check in points, "lesson 05 changed: exercise 3 is not where the test expects"
    right = {k: v for k, v in answers.items() if k != TYPED}
    wrong = {**right, **WRONG}
    # alice gets every point the autograder gives; bob only exercise 5's (the one WRONG leaves out)
    expected = {ALICE: sum(points.values()), BOB: points[f"{LESSON}-se_inagaki_crossover"]}
    total = max_points()

    # Everyone logs in at once: the hub starts the students' servers while the instructor works.
    instructor, alice, bob = (Person(hub, browser, name) for name in (INSTRUCTOR, ALICE, BOB))
    for person in (instructor, alice, bob):
        person.start_log_in()

    # 1. The instructor releases the lesson from the Formgrader.
    instructor.wait_logged_in()
    instructor.command("nbgrader:open-course-list")
    instructor.wait_for(instructor.page.locator(".jp-MainAreaWidget", has_text=hub.course_id),
                        "the Courses tab to list the course")
    instructor.shot("1-instructor-courses")
    frame = _formgrader(instructor)
    instructor.wait_for(frame.locator("tr", has_text=LESSON), "the Formgrader to list the lesson")
    instructor.shot("1-instructor-formgrader")
    _formgrader_action(instructor, frame, "education", "generate the student version", "1-instructor-generated")
    _formgrader_action(instructor, frame, "cloud-upload", "release the lesson", "1-instructor-released")
    released = hub.exchange / hub.course_id / "outbound" / LESSON / f"{LESSON}.ipynb"
    assert released.is_file(), f"release did not put the lesson in the exchange ({released})"
    student_copy = nbformat.read(released, as_version=4)
    assert not any("### BEGIN SOLUTION" in c.source for c in student_copy.cells), "the release holds solutions"

    # 2-3. The students work.
    alice.wait_logged_in()
    work_a = _student_works(alice, right, TYPED_RIGHT, "course-correct")
    assert "✔" in work_a["typed_feedback"], work_a["typed_feedback"]
    assert all(box["status"] == "course-correct" for box in work_a["summary"]["feedback"]
               if box["status"] != "course-not-attempted"), work_a["summary"]["feedback"]

    bob.wait_logged_in()
    work_b = _student_works(bob, wrong, TYPED_WRONG, "course-wrong")
    assert "✘" in work_b["typed_feedback"], work_b["typed_feedback"]
    crosses = [box for box in work_b["summary"]["feedback"] if box["status"] == "course-wrong"]
    assert len(crosses) == len(WRONG) + 1 and all("✘" in box["text"] for box in crosses), (
        f"bob should see a ✘ for each wrong answer: {work_b['summary']['feedback']}")

    # 4. The instructor collects, autogrades (sandboxed), generates and releases feedback.
    frame = _formgrader(instructor)
    _formgrader_action(instructor, frame, "cloud-download", "collect the submissions", "4-instructor-collected")
    for student in (ALICE, BOB):
        assert (hub.course / "submitted" / student / LESSON / f"{LESSON}.ipynb").is_file(), f"{student} not collected"
    env = dict(os.environ, HOME=str(hub.home[INSTRUCTOR]),  # nbgrader runs `alembic` from the environment
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", os.defpath)]))
    graded = subprocess.run([sys.executable, "-m", "instructor.grading", "autograde", ".", LESSON],
                            cwd=hub.course, env=env, capture_output=True, text=True, timeout=300)
    assert graded.returncode == 0, f"autograde failed:\n{graded.stdout[-3000:]}\n{graded.stderr[-3000:]}"
    assert "2 graded" in graded.stdout, graded.stdout
    instructor.goto_lab()
    frame = _formgrader(instructor)
    _formgrader_action(instructor, frame, "comment", "generate feedback", "4-instructor-feedback-generated")
    _formgrader_action(instructor, frame, "envelope", "release feedback", "4-instructor-feedback-released")

    # 6a. The gradebook, and the Formgrader's Manage Students page.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{hub.course / 'gradebook.db'}") as gradebook:
        for student in (ALICE, BOB):
            submission = gradebook.find_submission(LESSON, student)
            assert submission.score == pytest.approx(expected[student]), (student, submission.score)
            assert submission.max_score == pytest.approx(total)
    frame.locator("a", has_text="Manage Students").first.click()
    for student in (ALICE, BOB):
        row = frame.locator("tr", has=frame.locator("td.id", has_text=student))
        cell = instructor.wait_for(row.locator("td.score"), f"{student}'s row on Manage Students")
        assert cell.inner_text().strip() == f"{expected[student]:g} / {total:g}", (student, cell.inner_text())
    instructor.shot("6-instructor-manage-students")

    # 5-6b. Each student fetches and opens the feedback, and sees the score.
    for student, person in ((ALICE, alice), (BOB, bob)):
        seen = _feedback_seen(person)
        assert f"(Score: {expected[student]:.1f} / {total:.1f})" in seen, seen[:500]
        assert "Error displaying widget" not in seen
    for person in (instructor, alice, bob):
        person.context.close()


# --------------------------------------------------------------------------
# Course updates with nbgitpuller
# --------------------------------------------------------------------------
def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Instructor",
                           "-c", "user.email=instructor@localhost", *args],
                          check=True, capture_output=True, text=True, timeout=60).stdout


def _course_repository(folder: Path) -> Path:
    """A git repository with the course as learners get it (lessons/, utils/, data/), on branch main."""
    repo = folder / "opioid-course"
    for name in ("lessons", "utils", "data"):
        shutil.copytree(ROOT / name, repo / name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*_old.py"))
    _git(repo.parent, "init", "-q", "-b", "main", repo.name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "The course")
    return repo


def pull_link(hub_url: str, repo: str, notebook: str) -> str:
    """The nbgitpuller link that clones (first time) or updates ``repo`` and opens ``notebook`` in JupyterLab."""
    name = repo.rstrip("/").split("/")[-1]
    query = urllib.parse.urlencode({"repo": repo, "branch": "main",
                                    "urlpath": posixpath.join("lab", "tree", name, notebook)})
    return f"{hub_url}/hub/user-redirect/git-pull?{query}"


def _quiet_middle_cell(cells) -> int:
    """A markdown cell between two markdown cells: an update there is far from every code cell's output."""
    for i in range(1, len(cells) - 1):
        if all(cells[j].cell_type == "markdown" for j in (i - 1, i, i + 1)):
            return i
    raise AssertionError(f"{LESSON} has no three markdown cells in a row")


def test_course_update_keeps_student_work(classroom, browser, tmp_path):
    """carol edits lesson 05; the instructor pushes an update; following the link again keeps her edit.

    The source is a local git repository reached through a file:// URL (nbgitpuller runs `git clone`,
    which reads file:// as it reads https://). The link and the edit go through the browser; the
    instructor's update is a git commit.
    """
    hub = classroom
    repo = _course_repository(tmp_path)
    notebook_in_repo = f"lessons/{LESSON}.ipynb"
    path = posixpath.join(repo.name, notebook_in_repo)
    link = pull_link(hub.url, repo.as_uri(), notebook_in_repo)

    carol = Person(hub, browser, CAROL)
    carol.log_in()
    carol.page.goto(link, wait_until="domcontentloaded")
    carol.wait_js("courseTest.ready(arg)", OPEN_TIMEOUT, "nbgitpuller to clone the course and open lesson 05", path)
    carol.shot("7-carol-pulled")
    summary = carol.run_all(path)
    carol.assert_widgets_render(path, summary)
    answer = carol.nb("findCell", path, "answer_3 = None")
    check = carol.nb("findCell", path, 'ex.check("05.answer_3")')
    carol.type_into_cell(path, answer, TYPED_RIGHT)
    carol.run_cell(path, answer)
    assert "✔" in carol.click_check(path, check, "course-correct")
    carol.shot("7-carol-edited")
    carol.save_and_close(path)

    # The instructor's update: a sentence in a lesson 05 text cell far from carol's edit, and a new file.
    nb = nbformat.read(repo / notebook_in_repo, as_version=4)
    middle = _quiet_middle_cell(nb.cells)
    update = "Updated by the instructor: a note added after the lesson was handed out."
    nb.cells[middle].source += "\n\n" + update
    nbformat.write(nb, repo / notebook_in_repo)
    (repo / "lessons" / "UPDATES.md").write_text(f"# Course updates\n\n- {LESSON}: {update}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Course update")

    carol.page.goto(link, wait_until="domcontentloaded")
    carol.wait_js("courseTest.ready(arg)", OPEN_TIMEOUT, "nbgitpuller to update the course and open lesson 05", path)
    carol.page.evaluate("() => window.courseTest.nextFrames()")
    carol.shot("7-carol-after-update")
    sources = carol.page.evaluate(
        "(path) => window.courseTest.panel(path).content.widgets.map((c) => c.model.sharedModel.getSource())", path)
    assert TYPED_RIGHT in sources, "carol's answer was lost by the course update"
    assert sources[middle].endswith(update), "the instructor's update to lesson 05 did not arrive"
    assert (carol.home / repo.name / "lessons" / "UPDATES.md").is_file(), "the new file did not arrive"
    carol.page.evaluate("(path) => window.courseTest.closeAndShutdown(path)", path)
    carol.context.close()
