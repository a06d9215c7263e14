"""Shared test set-up: paths, a non-interactive matplotlib backend, and what the browser tests share."""
import contextlib
import signal
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

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
