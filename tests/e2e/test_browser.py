"""Every lesson and solution runs in JupyterLab, in a real (headless) browser.

One JupyterLab server (on a temporary copy of the course) and one Chromium
for the whole module. For each notebook in lessons/ and solutions/ the test
opens it, waits for its kernel, runs all cells, waits for the run to finish
and checks what a learner would see: no errors, widgets that render,
lessons whose checks all say "not attempted yet", solutions whose checks
never say "not yet". A full-page screenshot of each notebook goes to
test-artifacts/browser/<folder>-<name>.png.

In every lesson the test then moves each control of each explorer through
EXPLORER_MOVES settings, as a learner would (arrow keys on a slider, a
choice in a list, a click on a box), and times each redraw inside the page:
from the control's input event to the new figure in the page and decoded
(performance.now, a MutationObserver and img.decode()). Every move must
redraw and none may show an error; the times go to
test-artifacts/browser/explorers-<name>.json (the budgets belong to the
benchmark, tests/benchmarks/run_all.py, not to this test: the machine is
shared).

On lesson 00 the test also acts as a learner: a right answer gets a tick, a
wrong one (np.std without ddof) gets the n - 1 hint, and moving the
explorer's slider redraws its figure.

Every wait polls a real condition (the server's /api/status, JupyterLab's
own objects through window.jupyterapp, or the page) with a timeout.

Needs Debian's chromium (on the PATH) and Playwright from
PyPI; no downloaded browser. Without chromium the tests are skipped, except
in CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import CHROMIUM_ARGS, VIEWPORT, chromium, missing, require_programs, stop_server  # noqa: F401 (the benchmark reads CHROMIUM_ARGS here)

# One JupyterLab server and one browser serve the whole module: keep it on one test worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
HELPERS_JS = Path(__file__).resolve().parents[1] / "browser" / "notebook.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
FOLDERS = ("lessons", "solutions")
COPIED = ("lessons", "solutions", "utils", "data")

MAX_SCREENSHOT_HEIGHT = 30000  # pixels; a longer notebook is cut at the bottom

SERVER_START_TIMEOUT = 120  # seconds
OPEN_TIMEOUT = 120_000  # milliseconds: JupyterLab loaded, notebook open, kernel idle
RUN_TIMEOUT = 600_000  # milliseconds for Run All on one notebook
UI_TIMEOUT = 60_000  # milliseconds for one click or one cell to take effect
EXPLORER_MOVES = 10  # settings each explorer control is moved through

# A code cell that builds a checked exercise, a prediction or an explorer.
FEEDBACK_CALL = re.compile(r"\b(check|choice)\(")
WIDGET_CALL = re.compile(r"\b(check|choice|explorer|interact\w*)\(|ipywidgets")


def _notebooks() -> list:
    return [pytest.param(path, id=(Path(folder) / path.stem).as_posix())
            for folder in FOLDERS for path in sorted((ROOT / folder).glob("*.ipynb"))]


# --------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_course(target: Path) -> None:
    """Copy the folders a learner opens (lessons/utils/ loads the copied utils/ beside it)."""
    for name in COPIED:
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))


def _quiet_settings(settings: Path) -> None:
    """No "official Jupyter news?" toast over the last cell (and no request for it)."""
    target = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


class LabServer:
    def __init__(self, root: Path, state: Path):
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = state / "jupyterlab.log"
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(state / "config"),  # no personal settings or extensions
                   JUPYTER_RUNTIME_DIR=str(state / "runtime"),
                   JUPYTER_DATA_DIR=str(state / "data"),  # the notebook-signing key goes here
                   IPYTHONDIR=str(state / "ipython"))
        env.pop("MPLBACKEND", None)  # the notebooks choose their own backend (inline)
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0",
                   "--ServerApp.token=", "--ServerApp.password=",
                   "--LabApp.expose_app_in_browser=True",
                   f"--ServerApp.root_dir={root}",
                   f"--LabApp.workspaces_dir={state / 'workspaces'}",
                   f"--LabApp.user_settings_dir={state / 'settings'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # containers and CI runners often run as root
        _quiet_settings(state / "settings")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return json.load(response)

    def wait_until_up(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        """Poll /api/status until the server answers (or has died)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.get("/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                time.sleep(0.2)  # the interval between two polls
        raise RuntimeError(f"jupyter lab did not answer on {self.url} within {timeout} s:\n{self.log_tail()}")

    def kernels(self) -> list:
        return self.get("/api/kernels")

    def stop(self) -> None:
        stop_server(self.process, timeout=30)
        self._log.close()


@pytest.fixture(scope="module")
def chromium_path():
    return require_programs("chromium", needed_for="this browser test")["chromium"]


@pytest.fixture(scope="module")
def lab(chromium_path, tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    _copy_course(course)
    server = LabServer(course, tmp_path_factory.mktemp("jupyter"))
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(chromium_path):
    try:
        import playwright.sync_api  # noqa: F401  (only to say clearly when it is missing)
    except ImportError:
        missing("Playwright is not installed (pip install playwright; no browser download needed)")
    with chromium(chromium_path) as launched:
        yield launched


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(path=str(HELPERS_JS))
    yield context
    context.close()


# --------------------------------------------------------------------------
# One open notebook
# --------------------------------------------------------------------------
class OpenNotebook:
    """A notebook open in its own browser tab, with JupyterLab's view of it."""

    def __init__(self, lab: LabServer, context, relative: str):
        self.lab = lab
        self.path = relative
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.console.append(f"page error: {exc}"))
        # ?reset: start from an empty workspace, so that no notebook of an
        # earlier test is reopened (with a kernel of its own) next to this one
        self.page.goto(f"{lab.url}/lab/tree/{relative}?reset", wait_until="domcontentloaded")
        self.wait("courseTest.ready(path)", OPEN_TIMEOUT, "the notebook to open with an idle kernel")

    def call(self, function: str, *args):
        """Call window.courseTest.<function>(path, *args) in the page."""
        return self.page.evaluate("([f, path, args]) => window.courseTest[f](path, ...args)",
                                  [function, self.path, list(args)])

    def wait(self, condition: str, timeout: float, what: str, **values) -> None:
        """Wait until the JavaScript ``condition`` (given path and values) is true."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        names = ["path", *values]
        script = f"([{', '.join(names)}]) => {{ try {{ return Boolean({condition}); }} catch (e) {{ return false; }} }}"
        try:
            self.page.wait_for_function(script, arg=[self.path, *values.values()], timeout=timeout,
                                        polling=250)
        except PlaywrightTimeout:
            state = self._state()
            pytest.fail(f"{self.path}: timed out after {timeout / 1000:g} s waiting for {what}.\n"
                        f"State: {state}\nBrowser errors: {self.console[-10:]}\n"
                        f"Server log:\n{self.lab.log_tail(20)}", pytrace=False)

    def _state(self) -> str:
        try:
            return json.dumps(self.page.evaluate(
                "(path) => window.courseTest.panel(path) ? window.courseTest.summary(path) : "
                "{open: false, kernel: null}", self.path))[:3000]
        except Exception as exc:  # the page itself is gone: say so
            return f"(page unavailable: {exc})"

    def run_all(self) -> dict:
        """Run all cells, wait until the run has finished and the outputs are drawn."""
        self.call("runAll")
        self.wait("courseTest.runFinished(path)", RUN_TIMEOUT, "Run All to finish")
        self.page.evaluate("(path) => window.courseTest.countWidgetViews(path)", self.path)
        self.wait("courseTest.rendered(path)", UI_TIMEOUT, "the widgets and figures to be drawn")
        return self.call("summary")

    def screenshot(self, name: str, strict: bool = True) -> Path:
        """A full-page screenshot, the window made tall enough for the whole notebook.

        ``strict=False`` (after a failure): take what can be taken, raise nothing.
        """
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        try:
            self._fit_window(UI_TIMEOUT if strict else 5_000)
            self.page.screenshot(path=str(target), full_page=True)
            self.page.set_viewport_size(VIEWPORT)
        except BaseException:
            if strict:
                raise
            try:
                self.page.screenshot(path=str(target), full_page=True)
            except Exception:
                pass
        return target

    def _fit_window(self, timeout: float) -> None:
        height = VIEWPORT["height"]
        for _ in range(10):  # cells drawn for the first time may grow: fit again
            extra = self.call("extraHeight")
            if extra == 0 or height >= MAX_SCREENSHOT_HEIGHT:
                break
            height = min(height + extra + 20, MAX_SCREENSHOT_HEIGHT)
            self.page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            self.wait("window.innerHeight === height", timeout, "the window to resize", height=height)
            self.page.evaluate("() => window.courseTest.nextFrames()")
        self.call("scrollToTop")
        self.wait("courseTest.atTop(path) && courseTest.rendered(path)", timeout,
                  "the resized notebook to be drawn from its first cell")
        self.page.evaluate("() => window.courseTest.nextFrames()")

    def close(self) -> None:
        """Shut the kernel down, close the tab, and wait until the server has no kernel left."""
        try:
            self.page.evaluate("(path) => window.courseTest.closeAndShutdown(path)", self.path)
        finally:
            self.page.close()
        deadline = time.monotonic() + 60
        while self.lab.kernels() and time.monotonic() < deadline:
            time.sleep(0.2)  # the interval between two polls
        assert not self.lab.kernels(), f"kernels still running after closing {self.path}: {self.lab.kernels()}"


# --------------------------------------------------------------------------
# Explorers: every control moved, every redraw timed in the page
# --------------------------------------------------------------------------
def _multiselect_settings(n_options: int) -> list[list[int]]:
    """All options, then all but one (each in turn): the choices a learner would try."""
    everything = list(range(n_options))
    return [everything] + [[i for i in everything if i != left_out] for left_out in everything]


def _move_control(root, control: dict, step: int, state: dict) -> str:
    """Make one change to one control; returns the setting, as text."""
    kind, nth = control["kind"], control["nth"]
    if kind == "slider":
        handle = root.locator(".widget-slider .noUi-handle").nth(nth)
        value = float(handle.get_attribute("aria-valuenow"))
        if value >= control["max"]:
            state["direction"] = -1
        elif value <= control["min"]:
            state["direction"] = 1
        handle.focus()
        handle.press("ArrowRight" if state.setdefault("direction", 1) > 0 else "ArrowLeft")
        return handle.get_attribute("aria-valuenow")
    if kind == "dropdown":
        index = (control["selected"] + 1 + step) % control["options"]
        root.locator(".widget-dropdown select").nth(nth).select_option(index=index)
        return f"option {index}"
    if kind == "checkbox":
        root.locator(".widget-checkbox input[type=checkbox]").nth(nth).click()
        return "toggled"
    if kind == "multiselect":
        settings = [s for s in _multiselect_settings(control["options"]) if s != control["selected"]]
        chosen = settings[step % len(settings)]
        root.locator(".widget-select-multiple select").nth(nth).select_option(index=chosen)
        return f"{len(chosen)} of {control['options']}"
    raise ValueError(f"control kind {kind!r} is not known")


def move_explorers(notebook: "OpenNotebook", moves: int = EXPLORER_MOVES, timeout: float = UI_TIMEOUT,
                   on_explorer=None) -> list[dict]:
    """Move each control of each explorer in the open notebook through ``moves`` settings.

    Each move is timed inside the page, from the control's first input event
    to the new figure decoded (see ``courseTest.armRedraw`` in notebook.js);
    the next move waits until the kernel is idle again. Returns one row per
    explorer: {"cell", "title", "controls", "moves": [{"control", "setting",
    "ms", "error", "timeout"}, ...]}. ``on_explorer(row)`` is called after each
    explorer (the benchmark records the load average there).
    """
    page = notebook.page
    rows = []
    for cell in notebook.call("explorerCells"):
        tag = f"explorer-{cell}"
        notebook.call("tagCell", cell, tag)
        root = page.locator(f'[data-course-test="{tag}"]')
        found = notebook.call("explorerControls", cell)
        row = {"cell": cell, "title": found["title"], "controls": [c["label"] for c in found["controls"]],
               "moves": []}
        for control in found["controls"]:
            state: dict = {}
            for step in range(moves):
                page.evaluate("([p, i, t]) => window.courseTest.armRedraw(p, i, t)", [notebook.path, cell, timeout])
                setting = _move_control(root, control, step, state)
                outcome = page.evaluate("() => window.courseTest.redrawn()")
                page.evaluate("([p, t]) => window.courseTest.whenIdle(p, t)", [notebook.path, timeout])
                readout = page.evaluate("([p, i]) => window.courseTest.explorerReadout(p, i)", [notebook.path, cell])
                row["moves"].append({"control": control["label"], "setting": setting, "ms": outcome.get("ms"),
                                     "error": outcome.get("error", ""), "timeout": bool(outcome.get("timeout")),
                                     "started": outcome.get("started", False), "readout": readout})
        rows.append(row)
        if on_explorer is not None:
            on_explorer(row)
    return rows


def _check_explorers(notebook: "OpenNotebook", where: str, sources: list[str]) -> None:
    """Every explorer redraws on every move of every control, without an error."""
    rows = move_explorers(notebook)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"explorers-{Path(notebook.path).stem}.json").write_text(json.dumps(rows, indent=1))
    n_cells = sum(bool(re.search(r"\bexplorer\(", source)) for source in sources)
    assert len(rows) == n_cells, f"{where}: {n_cells} explorer cells but {len(rows)} explorers found in the page"
    for row in rows:
        assert row["controls"], f"{where}: explorer {row['title']!r} shows no controls"
        assert len(row["moves"]) == EXPLORER_MOVES * len(row["controls"])
        errors = [m for m in row["moves"] if m["error"]]
        assert not errors, f"{where}: explorer {row['title']!r} showed an error: {errors[0]}"
        unsaid = [m for m in row["moves"] if not (m["readout"]["shown"] and m["readout"]["described"])]
        assert not unsaid, (f"{where}: explorer {row['title']!r} shows no description in words under its figure "
                            f"(draw should return (figure, description)): {unsaid[0]}")
        for control in row["controls"]:
            said = {m["readout"]["text"] for m in row["moves"] if m["control"] == control}
            assert len(said) > 1, f"{where}: explorer {row['title']!r}: the readout never changes with {control!r}"
        missed = [m for m in row["moves"] if m["timeout"] or m["ms"] is None]
        assert not missed, (f"{where}: explorer {row['title']!r} did not redraw after {len(missed)} of "
                            f"{len(row['moves'])} moves, e.g. {missed[0]}")


@pytest.fixture
def open_notebook(lab, context):
    opened = []

    def open_(relative: str) -> OpenNotebook:
        notebook = OpenNotebook(lab, context, relative)
        opened.append(notebook)
        return notebook

    yield open_
    for notebook in opened:
        notebook.close()


# --------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------
def _code_sources(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


@pytest.mark.parametrize("path", _notebooks())
def test_notebook_runs_in_jupyterlab(path, open_notebook):
    folder = path.parent.name
    sources = _code_sources(path)
    notebook = open_notebook(path.relative_to(ROOT).as_posix())  # a JupyterLab address: always "/"
    try:
        result = notebook.run_all()
    except BaseException:
        notebook.screenshot(f"{folder}-{path.stem}", strict=False)
        raise
    shot = notebook.screenshot(f"{folder}-{path.stem}")
    where = f"{path.relative_to(ROOT)} (screenshot {shot.relative_to(ROOT)})"

    assert not result["errors"], f"{where}: error outputs: {result['errors']}"
    assert not result["stderrTracebacks"], f"{where}: tracebacks: {result['stderrTracebacks']}"
    assert not result["notRun"], f"{where}: cells without an execution count: {result['notRun']}"
    assert not result["busy"], f"{where}: cells still showing [*]: {result['busy']}"
    counts = result["executionCounts"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{where}: the kernel did not run every cell once, top to bottom: execution counts {counts}")
    assert not result["widgetErrors"], f"{where}: {result['widgetErrors']}"

    if any(WIDGET_CALL.search(source) for source in sources):
        assert result["widgetOutputs"] > 0, f"{where}: the notebook builds widgets but shows none"
    assert result["widgetsDrawn"] == result["widgetOutputs"], (
        f"{where}: {result['widgetOutputs']} widget outputs but {result['widgetsDrawn']} drawn widgets")

    statuses = [box["status"] for box in result["feedback"]]
    n_feedback_cells = sum(bool(FEEDBACK_CALL.search(source)) for source in sources)
    assert len(statuses) >= n_feedback_cells, (
        f"{where}: {n_feedback_cells} cells build feedback boxes but {len(statuses)} are shown")
    if n_feedback_cells:
        assert result["buttons"] >= n_feedback_cells, f"{where}: Check buttons missing"
    if folder == "lessons":
        wrong = [box for box in result["feedback"] if box["status"] != "course-not-attempted"]
        assert not wrong, f"{where}: a fresh lesson must say 'Not attempted yet' everywhere: {wrong}"
    else:
        wrong = [box for box in result["feedback"] if box["status"] in ("course-wrong", "")]
        assert not wrong, f"{where}: a solution's checks must not say 'not yet': {wrong}"
    if folder == "lessons":
        _check_explorers(notebook, where, sources)


SAMPLE_SD_RIGHT = '''def sample_sd(ratings):
    """Sample standard deviation (divide by n - 1) of a sequence of numbers."""
    x = np.asarray(ratings, dtype=float)
    return np.sqrt(np.sum((x - x.mean()) ** 2) / (len(x) - 1))
'''
SAMPLE_SD_WRONG = '''def sample_sd(ratings):
    return np.std(ratings)
'''


def test_lesson_00_as_a_learner(open_notebook):
    """Answer exercise 1 right, then wrong; move the explorer's slider."""
    from playwright.sync_api import expect

    if not (ROOT / "lessons" / "00_start_here.ipynb").exists():
        pytest.fail("lessons/00_start_here.ipynb is missing")
    notebook = open_notebook("lessons/00_start_here.ipynb")
    page = notebook.page
    notebook.run_all()

    answer = notebook.call("findCell", "def sample_sd(")
    check = notebook.call("findCell", "ex.check(", '"00.sample_sd"')
    explorer_cell = notebook.call("findCell", "explorer(")
    assert min(answer, check, explorer_cell) >= 0, "lesson 00 lost its sample_sd exercise or its explorer"
    notebook.call("tagCell", check, "sample-sd-check")
    notebook.call("tagCell", explorer_cell, "explorer")
    box = page.locator('[data-course-test="sample-sd-check"] .course-feedback')
    button = page.locator('[data-course-test="sample-sd-check"] .widget-button', has_text="Check")
    assert box.count() == 1 and "course-not-attempted" in box.get_attribute("class")

    def answer_and_check(source: str, status: str) -> None:
        before = notebook.call("executionCount", answer)
        notebook.call("setSourceAndRun", answer, source)
        notebook.wait("courseTest.executionCount(path, cell) > before && courseTest.kernelStatus(path) === 'idle'",
                      UI_TIMEOUT, "the answer cell to run", cell=answer, before=before)
        button.click()
        page.locator(f'[data-course-test="sample-sd-check"] .course-feedback.{status}').wait_for(timeout=UI_TIMEOUT)

    answer_and_check(SAMPLE_SD_RIGHT, "course-correct")
    assert "✔" in box.inner_text()

    answer_and_check(SAMPLE_SD_WRONG, "course-wrong")
    text = box.inner_text()
    assert "Hint" in text and "n - 1" in text, text

    image = page.locator('[data-course-test="explorer"] img.widget-image, '
                         '[data-course-test="explorer"] .widget-output img')
    image.first.wait_for(timeout=UI_TIMEOUT)
    assert image.count() == 1
    before = image.get_attribute("src")
    slider = page.locator('[data-course-test="explorer"] .widget-slider').first
    readout = slider.locator(".widget-readout").inner_text()
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")  # one step, as a learner using the keyboard would
    expect(slider.locator(".widget-readout")).not_to_have_text(readout, timeout=UI_TIMEOUT)
    page.wait_for_function(
        """(before) => {
             const img = document.querySelector('[data-course-test="explorer"] img.widget-image, """
        """[data-course-test="explorer"] .widget-output img');
             return img !== null && img.complete && img.getAttribute('src') !== before;
           }""", arg=before, timeout=UI_TIMEOUT, polling=250)
    notebook.screenshot("lessons-00_start_here-learner")
