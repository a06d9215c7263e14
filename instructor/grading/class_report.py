"""What the class got wrong: a per-exercise report of the grader's own verdicts, for instructors.

``python -m instructor.grading report COURSE_DIR LESSON [--names]`` reads

- every autograded notebook of the lesson (autograded/<student>/<lesson>/),
  whose metadata holds the grader's verdict on each exercise (status,
  category, points, the answer given: see ``nbgrader_plugins.GRADING_KEY``);
- the gradebook's manual scores of the written answers (formgrader);
- the exercise definitions (``instructor.definitions``): titles, the named
  mistakes with their hints, the choice options, the written rubrics;

counts, per exercise, each named mistake, each other kind of outcome and the
points (``read_outcomes``, ``summarise``), and writes

- reports/<lesson>.html: one self-contained page (no scripts, no external
  files; figures are inline SVG images with alt text and a caption);
- reports/<lesson>.csv: one row per student x exercise.

Shares are ``count / n`` where ``n`` is the number of graded submissions
(a submission that could not be graded at all is counted apart).

Privacy: by default students appear only as pseudonyms ("student 07"),
numbered in the order of a keyed hash (HMAC-SHA-256) of their ids under a
random key kept in COURSE_DIR/.report_key (never in reports/). The numbers
are the same in every lesson's report as long as the class list does not
change, and cannot be worked out from the ids without the key. ``--names``
shows the ids instead (for the instructor's eyes only).
"""
from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import html
import io
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from instructor import definitions

from .nbgrader_plugins import GRADING_KEY

# --------------------------------------------------------------------------
# Reading the verdicts: each student's outcome per exercise, counted per exercise
# --------------------------------------------------------------------------
# Okabe & Ito (2008) colours, as utils.plots.OKABE_ITO; grey for answers not attempted.
COLOURS = {"correct": "#009E73", "alternative": "#56B4E9", "mistake": "#D55E00", "wrong": "#E69F00",
           "partial": "#F0E442", "crash": "#CC79A7", "timeout": "#0072B2", "invalid": "#000000",
           "shortcut": "#000000", "not attempted": "#999999", "ungraded": "#999999",
           "rubric:2": "#009E73", "rubric:1": "#F0E442", "rubric:0": "#D55E00"}
# The outcomes that are not named mistakes or alternatives, in the order the page lists them.
OTHER_OUTCOMES = {
    "wrong": ("Unnamed wrong answer", "Wrong, and not one of the named mistakes: see the answers below."),
    "partial": ("Partly correct", "Some parts of the answer are right."),
    "crash": ("Crashed", "The code raised an error (or the kernel stopped), so there was no answer to judge."),
    "timeout": ("Ran out of time", "The function was still running after the time limit."),
    "invalid": ("Unreadable answer", "Not an answer of the kind asked for (text for a number, a letter that is "
                                     "not an option, ...)."),
    "shortcut": ("Shortcut", "Called a function the exercise asks the learner to write."),
    "not attempted": ("Not attempted", "The answer cell was left as released."),
}
EXAMPLE_GROUPS = 3  # unnamed wrong answers: the most common values shown
EXAMPLES_PER_GROUP = 3  # students named (or pseudonymised) per value


@dataclass(frozen=True)
class Outcome:
    """One student's result on one exercise (a row of the CSV).

    ``category`` is the verdict's (``correct``, ``alternative:<name>``,
    ``mistake:<name>``, ``wrong``, ...) or, for a written answer,
    ``rubric:<points>`` or ``ungraded``; ``points`` is None while a written
    answer is not graded.
    """

    student: str
    exercise: str
    status: str
    category: str
    points: float | None
    max_points: float
    answer: str = ""
    hint: str = ""

    @property
    def mistake(self) -> str:
        """The named mistake (or, for a choice, the wrong letter) this answer matched; '' if none."""
        return self.category.split(":", 1)[1] if self.category.startswith("mistake:") else ""


@dataclass
class Line:
    """One outcome of one exercise: how many students, and what it means."""

    key: str  # the category, e.g. "mistake:divided_by_n"
    label: str
    meaning: str
    count: int
    n: int
    groups: list = field(default_factory=list)  # unnamed wrong answers: [(answer, [students])], most common first

    @property
    def share(self) -> float:
        return self.count / self.n if self.n else 0.0

    @property
    def colour(self) -> str:
        return COLOURS.get(self.key, COLOURS.get(self.key.split(":", 1)[0], "#000000"))


@dataclass
class ExerciseSummary:
    """Every outcome of one exercise over the class, in the order the page shows them."""

    id: str
    title: str
    kind: str
    max_points: float
    n: int
    lines: list[Line]
    points: Counter  # points -> students (graded answers only)

    @property
    def correct(self) -> int:
        """Students with full points (correct, or right by an accepted alternative; full marks by hand)."""
        if self.kind == "written":
            return self.line(f"rubric:{self.max_points:g}").count
        return sum(entry.count for entry in self.lines
                   if entry.key == "correct" or entry.key.startswith("alternative:"))

    @property
    def lost(self) -> int:
        """Students who lost points (for a written answer: among those graded so far)."""
        return sum(c for p, c in self.points.items() if p < self.max_points)

    @property
    def ungraded(self) -> int:
        return self.line("ungraded").count if self.kind == "written" else 0

    def line(self, key: str) -> Line:
        return next((entry for entry in self.lines if entry.key == key), Line(key, key, "", 0, self.n))


# --------------------------------------------------------------------------
# Reading the course directory
# --------------------------------------------------------------------------
def _written_scores(course: Path, lesson: str, students: list[str], written: list) -> dict:
    """(student, written id) -> manual score from the gradebook (None while not graded)."""
    scores = {(s, w.id): None for s in students for w in written}
    if not written or not (course / "gradebook.db").exists():
        return scores
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.coursedir import CourseDirectory

    from .course import load_config

    coursedir = CourseDirectory(config=load_config(course))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for student in students:
            for w in written:
                try:
                    grade = gradebook.find_grade(definitions.grade_id(lesson, w.id), lesson, lesson, student)
                except MissingEntry:
                    continue
                scores[student, w.id] = grade.manual_score
    return scores


def read_outcomes(course_dir, lesson: str) -> tuple[list[Outcome], list[str]]:
    """(outcomes, students whose submission was not graded) for every submission of ``lesson``.

    Parameters
    ----------
    course_dir : path
        The nbgrader course directory (submitted/, autograded/, gradebook.db).
    lesson : str
        The lesson's name, e.g. ``"05_effect_sizes"``.
    """
    course = Path(course_dir)
    if not (course / "submitted").is_dir():
        raise ValueError(f"course_dir: {course} has no submitted/ folder (is it a course directory?)")
    students = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{lesson}") if p.is_dir())
    if not students:
        raise ValueError(f"lesson: no submissions of {lesson!r} in {course / 'submitted'}")
    exercises = definitions.load(lesson)
    graded, ungraded = [], []
    verdicts = {}
    for student in students:
        notebook = course / "autograded" / student / lesson / f"{lesson}.ipynb"
        try:
            verdicts[student] = nbformat.read(notebook, as_version=4).metadata[GRADING_KEY]["verdicts"]
            graded.append(student)
        except (OSError, KeyError, ValueError):
            ungraded.append(student)
    written = [e for e in exercises if e.kind == "written"]
    manual = _written_scores(course, lesson, graded, written)
    outcomes = []
    for student in graded:
        for exercise in exercises:
            if exercise.kind == "written":
                score = manual[student, exercise.id]
                outcomes.append(Outcome(student, exercise.id, "not graded yet" if score is None else "graded by hand",
                                        "ungraded" if score is None else f"rubric:{score:g}", score,
                                        float(exercise.points)))
                continue
            v = verdicts[student].get(definitions.grade_id(lesson, exercise.id))
            if v is None:  # graded before this exercise existed
                outcomes.append(Outcome(student, exercise.id, "wrong", "invalid", 0.0, float(exercise.points)))
                continue
            outcomes.append(Outcome(student, exercise.id, v.get("status", ""), v.get("category", "") or "invalid",
                                    float(v.get("points", 0.0)), float(v.get("max_points", exercise.points)),
                                    str(v.get("answer", "")), str(v.get("hint", ""))))
    return outcomes, ungraded


def pseudonyms(students, key: bytes) -> dict[str, str]:
    """Student id -> "student 07", numbered in the order of HMAC-SHA-256(key, id).

    Without the key the order is unrelated to the ids, so a pseudonym says
    nothing about who it is; with the same key and class it never changes.
    """
    if not isinstance(key, bytes) or len(key) < 16:
        raise ValueError("key: expected at least 16 random bytes")
    order = sorted(set(students), key=lambda s: hmac.new(key, s.encode("utf-8"), hashlib.sha256).hexdigest())
    width = max(2, len(str(len(order))))
    return {s: f"student {i:0{width}d}" for i, s in enumerate(order, 1)}


def course_key(course_dir) -> bytes:
    """The course's pseudonym key (COURSE_DIR/.report_key), made on first use, readable by its owner only."""
    path = Path(course_dir) / ".report_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------
def _defined_lines(exercise) -> list[tuple[str, str, str]]:
    """(category, label, meaning) for every named outcome the definition knows, in its order."""
    if exercise.kind == "written":
        return [(f"rubric:{p}", f"Rubric {p} of {exercise.points:g}", exercise.rubric[p])
                for p in sorted(exercise.rubric, reverse=True)]
    if exercise.kind == "choice":
        right = exercise.answer if isinstance(exercise.answer, (list, tuple)) else [exercise.answer]
        return [("correct", f"Chose ({', '.join(right)})", "Correct.")] + [
            (f"mistake:{k}", f"Chose ({k}) {text}", exercise.explanations.get(k, ""))
            for k, text in exercise.options.items() if k not in right]
    right = {"function": "Right on every case, the hidden ones too.", "value": "Right to the precision asked.",
             "sort": "Every item sorted right."}.get(exercise.kind, "Right.")
    lines = [("correct", "Correct", right)]
    lines += [(f"alternative:{a.name}", f"Correct by another way: {a.name}", a.why)
              for a in getattr(exercise, "alternatives", ())]
    lines += [(f"mistake:{m.name}", f"Named mistake: {m.name}", m.hint) for m in getattr(exercise, "mistakes", ())]
    return lines


def summarise_exercise(exercise, outcomes: list[Outcome]) -> ExerciseSummary:
    """Count every outcome of one exercise (``outcomes``: one per graded student)."""
    n = len(outcomes)
    counts = Counter(o.category for o in outcomes)
    lines = [Line(key, label, meaning, counts.pop(key, 0), n) for key, label, meaning in _defined_lines(exercise)]
    if exercise.kind == "written":
        lines.append(Line("ungraded", "Not graded yet", "No manual score in the formgrader yet.",
                          counts.pop("ungraded", 0), n))
    else:
        for key, (label, meaning) in OTHER_OUTCOMES.items():
            lines.append(Line(key, label, meaning, counts.pop(key, 0), n))
    for key, count in sorted(counts.items()):  # categories the definitions no longer name
        hint = next((o.hint for o in outcomes if o.category == key and o.hint), "")
        lines.append(Line(key, key.replace(":", ": "), hint, count, n))
    wrong = next(entry for entry in lines if entry.key == "wrong") if exercise.kind != "written" else None
    if wrong is not None and wrong.count:
        by_answer = defaultdict(list)
        for o in outcomes:
            if o.category == "wrong":
                by_answer[o.answer].append(o.student)
        ranked = sorted(by_answer.items(), key=lambda item: (-len(item[1]), item[0]))
        wrong.groups = ranked
    points = Counter(o.points for o in outcomes if o.points is not None)
    return ExerciseSummary(exercise.id, exercise.title, exercise.kind, float(exercise.points), n, lines, points)


def summarise(exercises, outcomes: list[Outcome]) -> list[ExerciseSummary]:
    """One summary per exercise, in the lesson's order; every student must have one outcome per exercise.

    Parameters
    ----------
    exercises : list
        The lesson's definitions (``instructor.definitions.load(lesson)``).
    outcomes : list of Outcome
    """
    by_exercise = defaultdict(list)
    for o in outcomes:
        by_exercise[o.exercise].append(o)
    unknown = sorted(set(by_exercise) - {e.id for e in exercises})
    if unknown:
        raise ValueError(f"outcomes: exercises not in the lesson's definitions: {unknown}")
    students = {o.student for o in outcomes}
    for e in exercises:
        who = [o.student for o in by_exercise[e.id]]
        if len(who) != len(set(who)) or set(who) != students:
            raise ValueError(f"outcomes: exercise {e.id} needs exactly one outcome per student")
    return [summarise_exercise(e, by_exercise[e.id]) for e in exercises]


def totals(outcomes: list[Outcome]) -> dict[str, float]:
    """Student -> points so far (a written answer not graded yet counts 0)."""
    out = defaultdict(float)
    for o in outcomes:
        out[o.student] += o.points or 0.0
    return dict(out)


def ranking(summaries: list[ExerciseSummary]) -> list[ExerciseSummary]:
    """Exercises by how many students lost points, most first (the lesson's order breaks ties)."""
    return sorted(summaries, key=lambda s: -s.lost)


# --------------------------------------------------------------------------
# Figures: matplotlib, as inline SVG images
# --------------------------------------------------------------------------
def _svg_image(fig, alt: str) -> str:
    """An <img> holding ``fig`` as a base64 SVG (self-contained, its ids isolated from the page's)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "report"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}">'


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def outcome_figure(summary: ExerciseSummary) -> str:
    """Horizontal bars: the share of the class in each outcome that occurred."""
    shown = [entry for entry in summary.lines if entry.count]
    fig, ax = _figure(7.5, 0.45 * len(shown) + 0.9)
    y = range(len(shown))[::-1]
    ax.barh(list(y), [100 * entry.share for entry in shown], color=[entry.colour for entry in shown],
            edgecolor="#000000", linewidth=0.5)
    ax.set_yticks(list(y), [_short(entry.label, 48) for entry in shown])
    for yi, entry in zip(y, shown):
        ax.text(100 * entry.share + 1, yi, f"{entry.count} ({100 * entry.share:.0f}%)", va="center", fontsize=9)
    ax.set_xlim(0, 118)
    ax.set_xlabel(f"% of the class (n = {summary.n})")
    ax.spines[["top", "right"]].set_visible(False)
    alt = f"Bar chart of outcomes for {summary.title}, n = {summary.n}: " + "; ".join(
        f"{entry.label}: {entry.count} ({100 * entry.share:.1f}%)" for entry in shown) + "."
    return _svg_image(fig, alt)


def score_figure(scores: list[float], max_score: float) -> str:
    """Histogram of the students' points so far."""
    import numpy as np

    fig, ax = _figure(7.5, 3.0)
    step = 0.5 if any(s % 1 for s in scores) else 1.0
    bins = np.arange(-step / 2, max_score + step, step)
    ax.hist(scores, bins=bins, color=COLOURS["timeout"], edgecolor="#000000", linewidth=0.5)
    ax.set_xlabel(f"points so far (of {max_score:g})")
    ax.set_ylabel("students")
    ax.set_xlim(-step, max_score + step)
    ax.set_xticks(np.arange(0, max_score + 1e-9, 1.0 if max_score <= 20 else 5.0))
    ax.spines[["top", "right"]].set_visible(False)
    array = np.asarray(scores, dtype=float)
    alt = (f"Histogram of the scores of {len(scores)} students out of {max_score:g} points: median "
           f"{np.median(array):g}, mean {array.mean():.2f}, lowest {array.min():g}, highest {array.max():g}.")
    return _svg_image(fig, alt)


def lost_figure(ranked: list[ExerciseSummary]) -> str:
    """Horizontal bars: students who lost points on each exercise, most first."""
    fig, ax = _figure(7.5, 0.4 * len(ranked) + 0.9)
    y = range(len(ranked))[::-1]
    ax.barh(list(y), [s.lost for s in ranked], color=COLOURS["mistake"], edgecolor="#000000", linewidth=0.5)
    ax.set_yticks(list(y), [_short(s.title, 48) for s in ranked])
    for yi, s in zip(y, ranked):
        ax.text(s.lost + 0.2, yi, str(s.lost), va="center", fontsize=9)
    n = ranked[0].n if ranked else 0
    ax.set_xlim(0, max(n, 1) * 1.1)
    ax.set_xlabel(f"students who lost points (of {n})")
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Bar chart of students who lost points, by exercise: " + "; ".join(
        f"{s.title}: {s.lost}" for s in ranked) + "."
    return _svg_image(fig, alt)


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------
STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #000; background: #fff; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; } h2 { border-top: 2px solid #0072B2; padding-top: .6rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid #ccc; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.zero td { color: #666; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em; border: 1px solid #000; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #333; }
code { background: #f2f2f2; padding: 0 .2em; }
.meta { color: #333; }
"""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pct(count: int, n: int) -> str:
    return f"{100 * count / n:.1f}%" if n else "–"


def _outcome_table(summary: ExerciseSummary) -> str:
    rows = []
    for entry in summary.lines:
        rows.append(f'<tr data-outcome="{html.escape(entry.key)}" data-count="{entry.count}"'
                    f'{" class=zero" if not entry.count else ""}><td>'
                    f'<span class="swatch" style="background:{entry.colour}">'
                    f'</span>{html.escape(entry.label)}</td><td>{html.escape(entry.meaning)}</td>'
                    f'<td class="num">{entry.count}</td><td class="num">{_pct(entry.count, entry.n)}</td></tr>')
    return ('<table class="outcomes"><thead><tr><th>Outcome</th><th>What it means (the hint the learner saw)</th>'
            '<th class="num">Students</th><th class="num">Share</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _points_table(summary: ExerciseSummary) -> str:
    cells = "".join(f'<tr data-points="{p:g}" data-count="{c}"><td class="num">{p:g}</td><td class="num">{c}</td>'
                    f'<td class="num">{_pct(c, summary.n)}</td></tr>' for p, c in sorted(summary.points.items()))
    return ('<table class="points"><thead><tr><th class="num">Points</th><th class="num">Students</th>'
            '<th class="num">Share</th></tr></thead><tbody>' + cells + "</tbody></table>")


def _groups_table(line: Line, name) -> str:
    if not line.groups:
        return ""
    rows = "".join(f'<tr data-answer="{html.escape(answer)}" data-count="{len(who)}"><td><code>{html.escape(answer)}'
                   f'</code></td><td class="num">{len(who)}</td>'
                   f'<td>{html.escape(", ".join(sorted(map(name, who))[:EXAMPLES_PER_GROUP]))}</td></tr>'
                   for answer, who in line.groups[:EXAMPLE_GROUPS])
    more = len(line.groups) - EXAMPLE_GROUPS
    tail = f"<p>… and {more} other answer{'s' * (more != 1)}.</p>" if more > 0 else ""
    return ("<h3>Unnamed wrong answers, grouped by what they gave</h3><p>The most common values first: a value "
            "many students share is a candidate for a new named mistake in the definitions.</p>"
            '<table class="groups"><thead><tr><th>Answer given</th><th class="num">Students</th><th>For example</th>'
            "</tr></thead><tbody>" + rows + "</tbody></table>" + tail)


def _exercise_section(summary: ExerciseSummary, name) -> str:
    unit = f"{summary.max_points:g} point{'s' * (summary.max_points != 1)}"
    head = (f'<section class="exercise" id="ex-{html.escape(summary.id)}" data-exercise="{html.escape(summary.id)}" '
            f'data-n="{summary.n}"><h2>{html.escape(summary.title)}</h2><p class="meta"><code>'
            f'{html.escape(summary.id)}</code> · {summary.kind} · {unit}</p>')
    if summary.kind == "written":
        graded = summary.n - summary.ungraded
        key = (f'<p>Graded by hand so far: <strong data-key="graded">{graded} of {summary.n}</strong>; full marks: '
               f'<strong data-key="correct">{summary.correct} of {summary.n} ({_pct(summary.correct, summary.n)})'
               f"</strong>.</p>")
    else:
        key = (f'<p>Correct: <strong data-key="correct">{summary.correct} of {summary.n} '
               f'({_pct(summary.correct, summary.n)})</strong>; lost points: {summary.lost}.</p>')
    shown = [entry for entry in summary.lines if entry.count]
    caption = (f"{summary.title}: "
               + "; ".join(f"{entry.label} {entry.count} ({_pct(entry.count, entry.n)})" for entry in shown) + ".")
    figure = f"<figure>{outcome_figure(summary)}<figcaption>{html.escape(caption)}</figcaption></figure>"
    wrong = summary.line("wrong")
    return (head + key + figure + _outcome_table(summary) + "<h3>Points</h3>" + _points_table(summary)
            + _groups_table(wrong, name) + "</section>")


def _summary_section(lesson: str, summaries: list[ExerciseSummary], scores: list[float], n_failed: int) -> str:
    import numpy as np

    max_score = sum(s.max_points for s in summaries)
    ranked = ranking(summaries)
    rows = []
    for s in ranked:
        named = [entry for entry in s.lines if entry.key.startswith("mistake:") and entry.count]
        top = max(named, key=lambda entry: entry.count) if named else None
        common = f"{html.escape(top.label)} ({top.count})" if top else ""
        waiting = f" ({s.ungraded} not graded yet)" if s.ungraded else ""
        rows.append(f'<tr data-exercise="{html.escape(s.id)}" data-lost="{s.lost}"><td>{html.escape(s.title)}</td>'
                    f'<td class="num">{s.lost}{waiting}</td><td class="num">{_pct(s.lost, s.n)}</td>'
                    f"<td>{common}</td></tr>")
    array = np.asarray(scores, dtype=float)
    ungraded = sum(s.ungraded for s in summaries)
    caption = (f"Scores of {len(scores)} students: median {np.median(array):g} and mean {array.mean():.2f} of "
               f"{max_score:g} points, from {array.min():g} to {array.max():g}."
               + (f" {ungraded} written answer{'s' * (ungraded != 1)} not graded yet count 0." if ungraded else ""))
    failed = (f" Not graded at all, and left out: {n_failed} submission{'s' * (n_failed != 1)} (see "
              f"grades/{lesson}.csv)." if n_failed else "")
    return ('<section id="summary"><h2>Class summary</h2>'
            f'<p><strong data-key="n">{len(scores)}</strong> graded submissions.{failed}</p>'
            f"<figure>{score_figure(scores, max_score)}<figcaption>{html.escape(caption)}</figcaption></figure>"
            "<h3>Exercises by how many students lost points</h3>"
            '<table class="ranking"><thead><tr><th>Exercise</th><th class="num">Lost points</th>'
            '<th class="num">Share</th><th>Most common named mistake</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>"
            f"<figure>{lost_figure(ranked)}<figcaption>Students who lost points, by exercise: "
            + html.escape("; ".join(f"{s.title} {s.lost} of {s.n}" for s in ranked)) + ".</figcaption></figure>"
            "</section>")


def render_html(lesson: str, summaries: list[ExerciseSummary], scores: list[float], names_shown: bool,
                name=lambda s: s, n_failed: int = 0) -> str:
    """The whole page, as text (everything from submissions escaped; no scripts, no external files)."""
    privacy = ("Student ids are shown: for the instructor only." if names_shown else
               "Students appear as pseudonyms, numbered in an order unrelated to their ids.")
    body = "".join(_exercise_section(s, name) for s in summaries)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>What the class got wrong: {html.escape(lesson)}</title><style>{STYLE}</style></head><body><main>"
            f"<h1>What the class got wrong: {html.escape(lesson)}</h1>"
            f"<p class=\"meta\">From the grader's own verdicts (each exercise's named mistakes and their hints are "
            f"the ones in the exercise definitions) and the written answers' manual scores so far. {privacy}</p>"
            + _summary_section(lesson, summaries, scores, n_failed) + body + "</main></body></html>\n")


def write_csv(path: Path, exercises, outcomes: list[Outcome], name) -> None:
    """reports/<lesson>.csv: one row per student x exercise, students in the order of their displayed names."""
    order = {e.id: i for i, e in enumerate(exercises)}
    rows = sorted(outcomes, key=lambda o: (name(o.student), order[o.exercise]))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "exercise", "status", "category", "mistake", "points", "max_points"])
        for o in rows:
            writer.writerow([name(o.student), o.exercise, o.status, o.category, o.mistake,
                             "" if o.points is None else f"{o.points:g}", f"{o.max_points:g}"])


def write_report(course_dir, lesson: str, names: bool = False) -> tuple[Path, Path]:
    """Write reports/<lesson>.html and reports/<lesson>.csv; return their paths.

    Parameters
    ----------
    course_dir : path
        The nbgrader course directory, after ``autograde``.
    lesson : str
        The lesson's name, e.g. ``"00_start_here"``.
    names : bool
        Show student ids instead of pseudonyms.
    """
    if not isinstance(names, bool):
        raise TypeError(f"names: expected True or False, got {names!r}")
    course = Path(course_dir)
    outcomes, failed = read_outcomes(course, lesson)
    if not outcomes:
        raise ValueError(f"lesson: none of the {len(failed)} submissions of {lesson!r} has been autograded yet "
                         f"(run: python -m instructor.grading autograde {course} {lesson})")
    exercises = definitions.load(lesson)
    if names:
        name = str
    else:  # every student of the course, so that a pseudonym is the same in every lesson's report
        everyone = {p.name for p in (course / "submitted").iterdir() if p.is_dir()}
        name = pseudonyms(everyone, course_key(course)).__getitem__
    summaries = summarise(exercises, outcomes)
    scores = sorted(totals(outcomes).values())
    out = course / "reports"
    out.mkdir(exist_ok=True)
    page, table = out / f"{lesson}.html", out / f"{lesson}.csv"
    page.write_text(render_html(lesson, summaries, scores, names, name, len(failed)), encoding="utf-8")
    write_csv(table, exercises, outcomes, name)
    return page, table
