"""Shared test set-up: paths, a non-interactive matplotlib backend, and what the browser tests share."""
import contextlib
import functools
import os
import shutil
import signal
import subprocess
from pathlib import Path

import nbformat
import pytest

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every lesson there is, found by name: a new solutions/12_*.ipynb is picked up by every course-wide rule.
LESSON_STEMS = [path.stem for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))]


@functools.lru_cache(maxsize=None)
def read_notebook(path) -> nbformat.NotebookNode:
    """A notebook read and parsed once per test process (many tests read the same lessons): do not modify it."""
    return nbformat.read(Path(path), as_version=4)


def lesson_notebook(lesson: str, folder: Path = SOLUTIONS) -> nbformat.NotebookNode:
    """The notebook of ``lesson`` ("06" or "06_pooling") in ``folder`` (solutions/ unless given), read once."""
    stem = next((s for s in LESSON_STEMS if s == lesson or s[:2] == lesson), lesson)
    return read_notebook(Path(folder) / f"{stem}.ipynb")

# Programs that some slow tests need and pip does not install; README.md ("System packages") lists them and .ci/run
# installs them. Each: how to install it (Debian/Ubuntu).
PROGRAMS = {
    "chromium": "apt-get install chromium",
    "bwrap": "apt-get install bubblewrap",
    "configurable-http-proxy": "apt-get install nodejs npm && npm install -g configurable-http-proxy@4",
    "git": "apt-get install git",
    "Rscript": "apt-get install r-base-core",
    "libnss_wrapper.so": "apt-get install libnss-wrapper",
}


def find_program(name: str):
    """The path of a program of PROGRAMS (a shared library for ``*.so``), or None when it is missing."""
    if name.endswith(".so"):
        lib = Path("/usr/lib")
        folders = [lib] + (sorted(p for p in lib.iterdir() if p.is_dir()) if lib.is_dir() else [])
        found = [folder / name for folder in folders if (folder / name).exists()]
        return str(found[0]) if found else None
    return shutil.which(name)


def missing(reason: str):
    """Skip with a one-line reason; in CI (CI=true, as .ci/run runs) a missing program is a failure instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, so this test must run)", pytrace=False)
    pytest.skip(reason)


def require_programs(*names: str, needed_for: str) -> dict:
    """Paths of the programs ``names``; skips (see ``missing``) with one line naming every missing one."""
    paths = {name: find_program(name) for name in names}
    absent = [name for name, path in paths.items() if path is None]
    if absent:
        missing(f"{needed_for} needs " + ", ".join(f"{name} ({PROGRAMS[name]})" for name in absent))
    return paths


def require_sandbox(needed_for: str) -> None:
    """Skip (see ``missing``) unless the grader's bubblewrap sandbox works here, with bwrap's own reason."""
    require_programs("bwrap", needed_for=needed_for)
    from instructor.grading.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as error:
        missing(f"{needed_for} needs a working sandbox: {str(error).splitlines()[0][:200]}")


# The browser tests (test_browser, test_classroom): Debian's chromium driven by Playwright.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}


@contextlib.contextmanager
def chromium(executable: str):
    """Headless Chromium launched by Playwright from ``executable``; closed on leaving the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def stop_server(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, so that a jupyter server or hub shuts its kernels and servers down cleanly; kill if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
