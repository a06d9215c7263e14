"""nbgrader preprocessors that make ``nbgrader autograde`` sandboxed and judged outside the student's Python.

The course's nbgrader_config.py puts ``RestoreNbgraderMetadata`` (every
cell's nbgrader metadata is the instructor's) among nbgrader's sanitising
preprocessors, and sets ``Autograde.autograde_preprocessors`` to

``SandboxedExecute``  runs the notebook in a bubblewrap sandbox (instead of
                      nbgrader's Execute) and collects each exercise's answer
                      as data;
``NeutraliseHtml``    turns raw HTML in the student's markdown into text and
                      renders the rest through an allow-list sanitiser
                      (nh3), so feedback and formgrader pages run no
                      student script and follow no ``javascript:`` link;
``JudgeAndSave``      judges the answers with the exercise definitions (in
                      this trusted process) and writes the points into the
                      gradebook (instead of nbgrader's reading of cell errors
                      and ``execute_result``), with the verdict as the test
                      cell's output;
``AddRubrics``        shows each written answer's rubric to the grader;

then nbgrader's own AssignLatePenalties and CheckCellMetadata. nbgrader
stays the gradebook, exchange, formgrader and feedback.
"""
from __future__ import annotations

import hashlib
import html
from pathlib import Path

from nbformat import NotebookNode, from_dict
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from nbgrader.utils import is_grade
from traitlets import Bool, Dict, Float

from instructor import definitions

from . import scoring
from .runner import Budget, run_submission
from .sandbox import SandboxConfig, check_available, default_hidden

GRADING_KEY = "course_grading"  # notebook metadata: every verdict, for the CSV and the class report

def code_digest(nb) -> str:
    """A fingerprint of the code cells that will run (to match a run made ahead of time)."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _coursedir(preprocessor):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=preprocessor.config)


def _source_notebook(preprocessor, resources):
    """The instructor's notebook (source/<lesson>/<lesson>.ipynb) of the submission being graded."""
    import nbformat

    coursedir = _coursedir(preprocessor)
    info = resources["nbgrader"]
    folder = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
    return nbformat.read(folder / f"{info['notebook']}.ipynb", as_version=4)


class RestoreNbgraderMetadata(NbGraderPreprocessor):
    """Give every cell the nbgrader metadata the instructor's cell of the same id has, and none to any other.

    A student cannot change what a cell is worth or whether it is graded:
    points, grade and solution flags come from the source notebook; a cell
    with an id the source does not have (a look-alike, a made-up one) and
    a duplicate that nbgrader's DeduplicateIds emptied become ordinary
    cells (nbgrader's own OverwriteCells stops at an emptied one, failing an
    honest student who copied a cell).
    """

    def preprocess(self, nb, resources):
        import copy

        known = {}
        for cell in _source_notebook(self, resources).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id"):
                known[meta["grade_id"]] = meta
        for cell in nb.cells:
            if "nbgrader" not in cell.metadata:
                continue
            meta = cell.metadata["nbgrader"]
            grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
            if isinstance(grade_id, str) and grade_id in known:
                cell.metadata["nbgrader"] = copy.deepcopy(known[grade_id])
            else:
                del cell.metadata["nbgrader"]
        return nb, resources


class SandboxedExecute(NbGraderPreprocessor):
    """Execute the submission in a sandboxed kernel; collect its answers as data (see ``runner``)."""

    isolate = Bool(True, help="Run every submission in a bubblewrap sandbox. Switch off ONLY for trusted local "
                              "use: without it a submission can read and change the course directory.").tag(config=True)
    cell_timeout = Float(60.0, help="Seconds one cell may run.").tag(config=True)
    total_timeout = Float(240.0, help="Seconds all cells of one submission may run together.").tag(config=True)
    report_timeout = Float(30.0, help="Seconds the kernel may take to report one exercise's answer.").tag(config=True)
    prepared_runs = Dict(help="Runs made ahead of time, {(assignment, student, code_digest(nb)): SubmissionRun}: "
                              "a submission found here is not run again. Set by classroom.autograde_class for "
                              "each submission; not for nbgrader_config.py.").tag(config=True)

    def sandbox_config(self, assignment: str) -> SandboxConfig:
        coursedir = _coursedir(self)
        assignment_dir = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
        return SandboxConfig(assignment_dir=assignment_dir.resolve(), hidden=default_hidden(Path(coursedir.root)),
                             isolate=self.isolate)

    def budget(self) -> Budget:
        return Budget(cell_seconds=self.cell_timeout, cells_seconds=self.total_timeout,
                      report_seconds=self.report_timeout)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        run = self.prepared_runs.get((info["assignment"], info["student"], code_digest(nb)))
        if run is None:
            if self.isolate:
                check_available()
            else:
                self.log.warning("GRADING WITHOUT A SANDBOX: this submission's code can read and change the course.")
            run = run_submission(nb, self.sandbox_config(info["assignment"]), scoring.requests(info["notebook"]),
                                 self.budget())
        apply_run(nb, run)
        resources["course_run"] = run
        return nb, resources


def apply_run(nb, run) -> None:
    """Put a run's outputs into the notebook's code cells."""
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = run.outputs.get(index, [])
        count += 1
        cell.execution_count = count if index in run.outputs else None
        cell.outputs = [from_dict(o) for o in outputs]


# What a student's markdown may become in a graded notebook: text formatting and http(s)/mailto links.
SAFE_TAGS = {"p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2",
             "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub"}
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
SAFE_SCHEMES = {"http", "https", "mailto"}


def safe_markdown(source: str) -> str:
    """A student's markdown as sanitised HTML that every markdown renderer shows as it is.

    Raw HTML the student typed is escaped first, so the grader sees it as
    text; the markdown is then rendered (mistune, nbconvert's own renderer)
    and passed through nh3, an allow-list HTML sanitiser: only the tags in
    ``SAFE_TAGS`` survive, links keep only http, https and mailto URLs
    (``javascript:`` links and images, inline or reference style, are
    dropped) and external images are removed (a tracking pixel otherwise).
    The result is one line inside a ``<div>``: a renderer passes an HTML
    block through without reading markdown in it again.
    """
    import mistune
    import nh3

    rendered = mistune.html(html.escape(source, quote=False))
    clean = nh3.clean(rendered, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, url_schemes=SAFE_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return '<div class="course-student-markdown">' + clean.strip().replace("\n", "&#10;") + "</div>"


NOTEBOOK_METADATA = {"kernelspec", "language_info", "nbgrader"}  # what a graded notebook keeps of the student's
CELL_METADATA = {"nbgrader", "tags", "deletable", "editable"}


class NeutraliseHtml(NbGraderPreprocessor):
    """Make every markdown or raw cell that is not, word for word, one of the instructor's safe to show, and
    keep only the metadata nbgrader and the course read (a student's own metadata can be megabytes, or claim
    the grader's verdicts)."""

    def preprocess(self, nb, resources):
        for key in set(nb.metadata) - NOTEBOOK_METADATA:
            del nb.metadata[key]
        for cell in nb.cells:
            for key in set(cell.metadata) - CELL_METADATA:
                del cell.metadata[key]
        trusted = {c.source for c in _source_notebook(self, resources).cells if c.cell_type == "markdown"}
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source not in trusted:
                cell.source = safe_markdown(cell.source)
                cell.pop("attachments", None)
            elif cell.cell_type == "raw":
                cell.source = html.escape(cell.source, quote=False)
                cell.metadata.pop("raw_mimetype", None)
                cell.metadata.pop("format", None)
                cell.pop("attachments", None)
        return nb, resources


def verdict_output(scored) -> NotebookNode:
    """The test cell's output in the graded notebook: the verdict and the points, as plain text."""
    text = f"{scored.verdict.text()}\n[{scored.points:g} / {scored.max_points:g} points]\n"
    return from_dict({"output_type": "stream", "name": "stdout", "text": text})


class JudgeAndSave(SaveAutoGrades):
    """Judge every exercise from the reported answers and save the points (replaces SaveAutoGrades).

    A graded cell's score comes only from its verdict, never from whether
    the cell raised or what it displayed.
    """

    def preprocess(self, nb, resources):
        run = resources.get("course_run")
        lesson = resources["nbgrader"]["notebook"]
        reports = run.reports if run is not None else {}
        problems = run.report_problems if run is not None else {}
        self._scored = scoring.score(lesson, reports, problems, nb)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and grade_id in self._scored:
                cell.outputs = [verdict_output(self._scored[grade_id])]
        nb.metadata[GRADING_KEY] = {
            "verdicts": {g: s.to_dict() for g, s in self._scored.items()},
            "events": list(run.events) if run is not None else ["the notebook was not run"],
            "sandbox_uid": run.sandbox_uid if run is not None else None,
        }
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if cell.cell_type == "markdown" or not is_grade(cell) or grade_id not in self._scored:
            if cell.cell_type == "code":  # a graded code cell without a definition scores nothing
                grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
                grade.auto_score, grade.needs_manual_grade = 0.0, True
                self.gradebook.db.commit()
                return
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        grade.auto_score = self._scored[grade_id].points
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()


class AddRubrics(NbGraderPreprocessor):
    """After each written answer, a cell with its rubric (2/1/0), for the grader in the formgrader."""

    def preprocess(self, nb, resources):
        lesson = resources["nbgrader"]["notebook"]
        number = lesson.split("_", 1)[0]
        rubrics = {w.id: w for w in definitions.written(lesson)}
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if cell.cell_type == "markdown" and "-written-" in grade_id:
                written = rubrics.get(f"{number}.written-{grade_id.rsplit('-', 1)[1]}")
                if written is not None:
                    lines = [f"**Rubric for the grader** ({written.title}, {written.points:g} points)"]
                    lines += [f"- **{points}**: {html.escape(text, quote=False)}"
                              for points, text in sorted(written.rubric.items(), reverse=True)]
                    cells.append(from_dict({"cell_type": "markdown", "metadata": {"course_rubric": True},
                                            "source": "\n".join(lines)}))
        nb.cells = cells
        return nb, resources
