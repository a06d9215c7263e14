"""Grade a whole class: sandboxed runs in parallel, the gradebook written by one process.

1. In worker threads (one per core by default), each submission is
   sanitised with nbgrader's own preprocessors (instructor cells restored)
   and run in its sandbox; the run is kept in memory.
2. Then, one submission at a time, nbgrader's ``autograde`` judges it and
   writes the gradebook. Its run is handed to ``SandboxedExecute`` as the
   setting ``prepared_runs``, so the notebook is not run again; a
   submission without a run (or whose code differs) is simply run there.

Every submission gets a row in grades/<lesson>.csv, whatever it contains:
graded, flagged (graded, but something odd happened: a cell ran out of
time, the kernel stopped, an answer was not reported) or failed (not
graded at all, e.g. not a notebook).
"""
from __future__ import annotations

import csv
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import scoring
from .course import load_config
from .intake import submission_problem
from .nbgrader_plugins import GRADING_KEY, SandboxedExecute, code_digest
from .runner import run_submission
from .sandbox import check_available


@dataclass
class Graded:
    """One row of grades/<lesson>.csv."""

    student: str
    lesson: str
    status: str  # graded, flagged or failed
    score: float
    max_score: float
    note: str = ""


def _sanitised(config, course: Path, lesson: str, student: str):
    """The submission as nbgrader's autograder will run it (instructor cells restored)."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    path = Path(coursedir.format_path(coursedir.submitted_directory, student, lesson)) / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    resources = {"nbgrader": {"student": student, "assignment": lesson, "notebook": lesson,
                              "db_url": coursedir.db_url, "course_id": coursedir.course_id}}
    from traitlets.utils.importstring import import_item

    for preprocessor in Autograde(coursedir=coursedir, config=config).sanitize_preprocessors:
        preprocessor = import_item(preprocessor) if isinstance(preprocessor, str) else preprocessor
        step = preprocessor(config=config) if isinstance(preprocessor, type) else preprocessor
        nb, resources = step.preprocess(nb, resources)
    return nb


def _prepare(config, course: Path, lesson: str, student: str) -> dict:
    """Step 1 for one student: sanitise and run in the sandbox; the run, as ``SandboxedExecute.prepared_runs``."""
    nb = _sanitised(config, course, lesson, student)
    executor = SandboxedExecute(config=config)
    run = run_submission(nb, executor.sandbox_config(lesson), scoring.requests(lesson), executor.budget())
    return {(lesson, student, code_digest(nb)): run}


def failure_reason(result: dict) -> str:
    """One line saying why nbgrader could not grade a submission."""
    text = "\n".join(filter(None, [result.get("error", ""), result.get("log", "")]))
    if "NotJSONError" in text or "does not appear to be JSON" in text:
        return "not a valid notebook: the file is not JSON (re-save it in JupyterLab and submit again)"
    if "ValidationError" in text:
        return "not a valid notebook: it does not follow the notebook format"
    errors = [line.strip() for line in text.splitlines() if re.match(r"\s*[\w.]+(Error|Exception): ", line)]
    return (errors[-1] if errors else "nbgrader could not grade it (see its log)")[:300]


def _notes(notebook: Path) -> tuple[bool, str]:
    """(was anything odd?, what) for an autograded notebook."""
    try:
        meta = nbformat.read(notebook, as_version=4).metadata.get(GRADING_KEY, {})
    except Exception:
        return True, "the graded notebook could not be read"
    notes = list(meta.get("events", []))
    for grade_id, verdict in sorted(meta.get("verdicts", {}).items()):
        if verdict.get("message", "").startswith("Not graded:"):
            notes.append(f"{grade_id}: {verdict['message']}")
    return bool(notes), " | ".join(notes)


def autograde_class(course_dir, lesson: str, students=None, config=None, workers: int | None = None,
                    progress: bool = True) -> list[Graded]:
    """Autograde every submission of ``lesson``; write grades/<lesson>.csv; return its rows."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI
    from tqdm.auto import tqdm
    from traitlets.config import Config

    course = Path(course_dir).resolve()
    config = config if config is not None else load_config(course)
    if config.get("SandboxedExecute", {}).get("isolate", True):
        check_available()
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy chatter
    api = NbGraderAPI(config=config)
    if students is None:
        submitted = course / "submitted"
        students = sorted(p.name for p in submitted.iterdir() if os.path.lexists(p / lesson)) \
            if submitted.is_dir() else []
    # Links (to a classmate's work, to the gradebook), odd ids ('*', HTML) and special files: refused before
    # anything reads the submission.
    refused = {s: why for s in students if (why := submission_problem(course, s, lesson))}
    for student, why in refused.items():
        if progress:
            tqdm.write(f"REFUSED {student!r}/{lesson}: {why}")
    workers = workers or max(1, os.cpu_count() or 1)
    prepared = {}  # student -> {(lesson, student, code digest): run}
    with ThreadPoolExecutor(max_workers=workers) as pool:  # step 1: sandboxed runs, in parallel
        futures = {pool.submit(_prepare, config, course, lesson, s): s for s in students if s not in refused}
        for future in tqdm(as_completed(futures), total=len(futures), desc=f"run {lesson}", unit="submission",
                           disable=not progress):
            try:
                prepared[futures[future]] = future.result()
            except Exception:  # not a notebook, etc.: step 2 says why, in nbgrader's words
                pass
    results = {}
    for student in tqdm(students, desc=f"grade {lesson}", unit="submission", disable=not progress):
        if student in refused:
            results[student] = {"success": False, "error": f"refused: {refused[student]}", "log": ""}
            continue
        # this submission's run only: nbgrader copies the setting into each preprocessor it makes
        api.update_config(Config({"SandboxedExecute": {"prepared_runs": prepared.pop(student, {})}}))
        try:  # step 2: one process writes the gradebook
            results[student] = api.autograde(lesson, student, force=True, create=True)
        except Exception as exc:
            results[student] = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
        if not results[student]["success"] and progress:
            tqdm.write(f"FAILED {student}/{lesson}: {failure_reason(results[student])}")
    rows = []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        max_score = gradebook.find_assignment(lesson).max_score
        for student in students:
            if student in refused:  # never read, never in the gradebook
                rows.append(Graded(student, lesson, "failed", 0.0, float(max_score), f"refused: {refused[student]}"))
                continue
            try:
                score = gradebook.find_submission(lesson, student).score
            except MissingEntry:
                score = 0.0
            odd, note = _notes(course / "autograded" / student / lesson / f"{lesson}.ipynb")
            if not results[student]["success"]:
                status, note = "failed", failure_reason(results[student])
            else:
                status = "flagged" if odd else "graded"
            rows.append(Graded(student, lesson, status, float(score), float(max_score), note))
    out = course / "grades" / f"{lesson}.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "lesson", "status", "score", "max_score", "note"])
        for row in rows:
            writer.writerow([row.student, row.lesson, row.status, f"{row.score:g}", f"{row.max_score:g}", row.note])
    return rows
