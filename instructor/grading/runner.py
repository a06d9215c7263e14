"""Run one submission in its sandboxed kernel, then ask it for its answers as data.

:func:`run_submission` executes every code cell of a (sanitised) notebook
with a time limit per cell and for the whole submission, keeps each cell's
output within a byte limit (only text and images: no HTML or script), then
sends one report request per graded exercise and reads back the answer the
kernel publishes (see ``utils.exercises.report``). It decides nothing about
points: that is :mod:`instructor.grading.scoring`, outside the kernel.
"""
from __future__ import annotations

import queue
import secrets
import time
from dataclasses import dataclass, field

from utils.exercises import REPORT_MIME

from .sandbox import SandboxConfig, SandboxedKernel

SAFE_MIME = ("text/plain", "image/png", "image/jpeg")  # what a graded notebook may show from student code


@dataclass(frozen=True)
class Budget:
    """Time and output limits for one submission."""

    cell_seconds: float = 60.0  # one cell
    cells_seconds: float = 240.0  # all cells together
    report_seconds: float = 30.0  # one exercise's report (its cases run inside, each with its own limit)
    output_bytes: int = 20_000  # text kept from one cell
    image_bytes: int = 1_000_000  # one image
    outputs_per_cell: int = 20
    interrupt_seconds: float = 20.0  # after a cell's time is up: how long the interrupt may take to land


@dataclass
class SubmissionRun:
    """What came back from the sandbox: outputs per cell index, answers per exercise id, events."""

    outputs: dict = field(default_factory=dict)
    execution_counts: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)  # exercise id -> answer data (as the kernel reported it)
    report_problems: dict = field(default_factory=dict)  # exercise id -> why no usable report
    events: list = field(default_factory=list)  # timeouts, a kernel that died, cells not run
    sandbox_uid: int | None = None  # the user id the kernel ran as (grading as root)


class _OutputCollector:
    """Builds nbformat outputs from iopub messages, within the budget's byte limits."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.outputs: list = []
        self.text_bytes = 0
        self.cut = False
        self.unreadable = 0  # messages from the kernel that could not be decoded (huge numbers, deep nesting)

    def _text(self, name: str, text: str) -> None:
        room = self.budget.output_bytes - self.text_bytes
        if room <= 0:
            self.cut = True
            return
        if len(text) > room:
            text, self.cut = text[:room], True
        self.text_bytes += len(text)
        if self.outputs and self.outputs[-1].get("output_type") == "stream" and self.outputs[-1]["name"] == name:
            self.outputs[-1]["text"] += text
        elif len(self.outputs) < self.budget.outputs_per_cell:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def add(self, message: dict) -> None:
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            self._text(str(content.get("name", "stdout"))[:6], str(content.get("text", "")))
        elif kind in ("display_data", "execute_result"):
            data = {}
            for mime in SAFE_MIME:
                value = content.get("data", {}).get(mime)
                if isinstance(value, str):
                    limit = self.budget.image_bytes if mime.startswith("image/") else self.budget.output_bytes
                    if len(value) <= limit:
                        data[mime] = value
            if "text/plain" in data:
                self.text_bytes += len(data["text/plain"])
            if (data and len(self.outputs) < self.budget.outputs_per_cell
                    and self.text_bytes <= self.budget.output_bytes):
                self.outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
            else:
                self.cut = True
        elif kind == "error":
            self._text("stderr", f"{content.get('ename', 'Error')}: {content.get('evalue', '')}\n")
        elif kind == "clear_output":
            self.outputs, self.text_bytes = [], 0

    def finish(self) -> list:
        if self.cut:
            self.outputs.append({"output_type": "stream", "name": "stderr",
                                 "text": "\n[output cut by the grader: too long]\n"})
        if self.unreadable:
            self.outputs.append({"output_type": "stream", "name": "stderr",
                                 "text": f"\n[{self.unreadable} output(s) left out by the grader: they could not be "
                                         "read]\n"})
        return self.outputs


def _run_code(kernel: SandboxedKernel, code: str, seconds: float, budget: Budget, store_history: bool = True):
    """Execute ``code``; return (status, collector, display payloads) where status is ok/error/timeout/dead."""
    client = kernel.client
    msg_id = client.execute(code, store_history=store_history, allow_stdin=False, stop_on_error=False)
    collector, payloads = _OutputCollector(budget), []
    deadline = time.monotonic() + seconds
    status, interrupted = "ok", False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if interrupted or not kernel.alive:
                return "dead", collector, payloads
            # Stop the cell. A kernel slowed by a busy machine may take a while to say it stopped: it keeps
            # its state and the next cells run; only one that ignores the interrupt this long counts as dead.
            kernel.interrupt()
            interrupted, status = True, "timeout"
            deadline = time.monotonic() + budget.interrupt_seconds
            continue
        try:
            message = client.get_iopub_msg(timeout=min(remaining, 1.0))
        except queue.Empty:
            if not kernel.alive:
                return "dead", collector, payloads
            continue
        except Exception:  # a message the client cannot decode (a huge integer, deep nesting): dropped
            collector.unreadable += 1
            continue
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "status" and message["content"].get("execution_state") == "idle":
            return status, collector, payloads
        if kind == "error" and status == "ok":
            status = "error"
        if kind == "display_data" and REPORT_MIME in message["content"].get("data", {}):
            payloads.append(message["content"]["data"][REPORT_MIME])
            continue
        collector.add(message)


def report_code(request: dict) -> str:
    """The code the grader runs in the kernel to ask for one answer (a plain literal, nothing hidden)."""
    return f"from utils.exercises import report as _course_report\n_course_report({request!r})"


def ask(kernel: SandboxedKernel, request: dict, budget: Budget = Budget()) -> tuple:
    """Ask the kernel for one exercise's answer: (answer data or None, why not, is the kernel still usable)."""
    nonce, exercise = secrets.token_hex(16), request["id"]
    status, collector, payloads = _run_code(kernel, report_code({**request, "nonce": nonce}), budget.report_seconds,
                                    budget, store_history=False)
    valid = [p for p in payloads if isinstance(p, dict) and p.get("nonce") == nonce and p.get("id") == exercise]
    alive = status != "dead"
    if len(valid) == 1 and len(payloads) == 1 and isinstance(valid[0].get("answer"), dict):
        return valid[0]["answer"], "", alive
    if not payloads and collector.unreadable:
        why = "the reported answer could not be read (too large or too deeply nested)"
    elif not payloads:
        why = ("no answer was reported" + (" (time limit)" if status in ("timeout", "dead") else "")
               + (" (the report raised an error)" if status == "error" else ""))
    elif len(payloads) > 1:
        why = "the answer was reported more than once"
    else:
        why = "the reported answer was malformed"
    return None, why, alive


def run_submission(nb, config: SandboxConfig, requests: list[dict], budget: Budget = Budget()) -> SubmissionRun:
    """Run ``nb``'s code cells in a sandboxed kernel, then collect one report per request.

    ``requests``: [{"id", "kind", "target", "cases", "timeout"}] (the cases
    include the hidden ones: the kernel needs their inputs, never their
    expected results).
    """
    run = SubmissionRun()
    with SandboxedKernel(config) as kernel:
        run.sandbox_uid = kernel.uid
        spent, alive = 0.0, True
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            if not alive:
                run.outputs[index] = []
                continue
            left = budget.cells_seconds - spent
            if left <= 0:
                run.events.append(f"cell {index} not run: the submission used its {budget.cells_seconds:g} s")
                run.outputs[index] = []
                continue
            started = time.monotonic()
            status, collector, payloads = _run_code(kernel, cell.source, min(budget.cell_seconds, left), budget)
            spent += time.monotonic() - started
            run.outputs[index] = collector.finish()
            if status == "timeout":
                run.events.append(f"cell {index} ran past its time limit and was stopped")
            elif status == "dead":
                run.events.append(f"cell {index} stopped the kernel (it could not be interrupted, or it exited)")
                alive = False
        for request in requests:
            exercise = request["id"]
            if not alive or not kernel.alive:
                run.report_problems[exercise] = "the notebook's kernel had stopped, so no answer could be read"
                continue
            answer, problem, alive = ask(kernel, request, budget)
            if answer is not None:
                run.reports[exercise] = answer
            else:
                run.report_problems[exercise] = problem
        if kernel.group is not None and kernel.group.memory_events():
            run.events.append("the notebook reached its memory cap (processes were stopped inside its sandbox)")
    return run
