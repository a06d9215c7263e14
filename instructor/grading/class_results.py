"""The class's outcomes per exercise, read from the grader's verdicts (the data behind the class report).

``read_outcomes`` reads every autograded notebook of a lesson (the verdict
of each exercise in its metadata) and the gradebook's manual scores of the
written answers; ``summarise`` counts, per exercise, each named mistake,
each other kind of outcome and the points; ``pseudonyms`` gives students
stable anonymous names (see ``instructor.grading.report``).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from instructor import definitions

from .nbgrader_plugins import GRADING_KEY

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
