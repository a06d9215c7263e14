"""The class report ("what the class got wrong") counts exactly what the grader judged.

A unit test counts hand-made verdicts (no grading). The graded tests
(marked slow) plant known answers in known proportions in a synthetic
class of lessons 00 and 05 (answer code that triggers each named mistake,
as in tests/exercise_battery), grade it in the sandbox, give some written
answers a manual score, and check that the CSV and the HTML report give
exactly the planted counts and shares; the page opens in Chromium with no
console errors.
"""
from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, require_programs, require_sandbox
from grading.submissions import Lesson, names, write
from instructor import definitions
from instructor.grading import class_report
from instructor.grading.class_report import Outcome

pytestmark = pytest.mark.xdist_group("report")  # one graded class for the whole module
ARTIFACTS = ROOT / "test-artifacts"
# Limits that no honest cell reaches even on a busy machine (an endless function is stopped by its exercise's
# own 2 s per case, not by these).
LIMITS = ("\nc.SandboxedExecute.cell_timeout = 40\nc.SandboxedExecute.total_timeout = 120\n"
          "c.SandboxedExecute.report_timeout = 20\n")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# --------------------------------------------------------------------------
# The page, read back: every table row and figure
# --------------------------------------------------------------------------
class Page(HTMLParser):
    """Rows of the report's tables (their data- attributes and cell texts), sections, images, scripts."""

    def __init__(self, text: str):
        super().__init__()
        self.rows, self.images, self.keys, self.tags = [], [], {}, Counter()
        self._section, self._table, self._row, self._cell, self._key = None, None, None, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        if tag == "section":
            self._section = attrs.get("data-exercise", attrs.get("id"))
        elif tag == "table":
            self._table = attrs.get("class")
        elif tag == "tr" and len(attrs) > 0 and any(k.startswith("data-") for k in attrs):
            self._row = {"section": self._section, "table": self._table, **attrs, "cells": []}
        elif tag == "td" and self._row is not None:
            self._cell = ""
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "strong" and "data-key" in attrs:
            self._key = (self._section, attrs["data-key"])
            self.keys[self._key] = ""
        for name, value in attrs.items():
            if name in ("src", "href") and value and not value.startswith("data:"):
                self.tags["external"] += 1

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row["cells"].append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "strong":
            self._key = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._key is not None:
            self.keys[self._key] += data

    def table(self, section: str, kind: str) -> list[dict]:
        return [r for r in self.rows if r["section"] == section and r["table"] == kind]


def share(count: int, n: int) -> str:
    return f"{100 * count / n:.1f}%"


# --------------------------------------------------------------------------
# Unit test: hand-made verdicts, no grading
# --------------------------------------------------------------------------
def _hand_made_class():
    """20 students of lesson 00 with chosen categories; returns (outcomes, planned counts per exercise)."""
    plan = {
        "00.sample_sd": [("correct", 1.0, "1; 3; 2") ] * 9 + [("mistake:divided_by_n", 0.0, "0.8165; 2.4; 1.7")] * 5
        + [("wrong", 0.0, "5; 4.4; 4")] * 3 + [("wrong", 0.0, "2; 2; 2")] * 1 + [("crash", 0.0, "ZeroDivisionError")]
        + [("not attempted", 0.0, "")],
        "00.percent_negative": [("correct", 1.0, "70.59")] * 12 + [("mistake:positive_share", 0.0, "29.41")] * 4
        + [("alternative:as_fraction", 1.0, "0.7059")] * 2 + [("invalid", 0.0, "text")] * 2,
        "00.answer_3": [("correct", 1.0, "b")] * 15 + [("mistake:a", 0.0, "a")] * 4 + [("timeout", 0.0, "")],
        "00.written-1": [("rubric:2", 2.0, "")] * 6 + [("rubric:1", 1.0, "")] * 3 + [("rubric:0", 0.0, "")]
        + [("ungraded", None, "")] * 10,
    }
    students = [f"k{i:03d}.learner" for i in range(20)]
    outcomes = []
    for exercise, rows in plan.items():
        assert len(rows) == len(students)
        for student, (category, points, answer) in zip(students, rows):
            status = "correct" if points else "wrong"
            outcomes.append(Outcome(student, exercise, status, category, points, 2.0 if "written" in exercise else 1.0,
                                    answer, "an old hint" if category.startswith("alternative") else ""))
    return outcomes, {e: Counter(c for c, _, _ in rows) for e, rows in plan.items()}


def test_counts_shares_ranking_and_groups_from_hand_made_verdicts(tmp_path):
    outcomes, planned = _hand_made_class()
    exercises = definitions.load("00_start_here")
    summaries = {s.id: s for s in class_report.summarise(exercises, outcomes)}
    for exercise, counts in planned.items():
        lines = {entry.key: entry for entry in summaries[exercise].lines}
        for key, count in counts.items():
            assert (lines[key].count, lines[key].n) == (count, 20), (exercise, key)
        assert sum(entry.count for entry in lines.values()) == 20
    sd = {entry.key: entry for entry in summaries["00.sample_sd"].lines}
    assert sd["mistake:divided_by_n"].meaning.startswith("You divided by n instead of n - 1")
    assert sd["mistake:variance"].count == 0 and sd["mistake:no_square_root_of_mean"].count == 0
    assert [(answer, len(who)) for answer, who in sd["wrong"].groups] == [("5; 4.4; 4", 3), ("2; 2; 2", 1)]
    percent = {entry.key: entry for entry in summaries["00.percent_negative"].lines}
    assert percent["alternative:as_fraction"].meaning == "an old hint"  # a name the definitions no longer know
    assert summaries["00.percent_negative"].correct == 14  # correct and the alternative
    choice = {entry.key: entry for entry in summaries["00.answer_3"].lines}
    assert choice["mistake:a"].label.startswith("Chose (a) 0.20 points lower")
    assert choice["mistake:a"].meaning.startswith("That would be a raw mean difference")
    written = summaries["00.written-1"]
    assert (written.line("rubric:2").count, written.line("rubric:1").count, written.line("rubric:0").count,
            written.ungraded) == (6, 3, 1, 10)
    assert written.line("rubric:1").meaning.startswith("Names evidence on one side only")
    assert written.lost == 4 and written.correct == 6
    ranked = [(s.id, s.lost) for s in class_report.ranking(list(summaries.values()))]
    assert ranked == [("00.sample_sd", 11), ("00.percent_negative", 6), ("00.answer_3", 5), ("00.written-1", 4)]
    got_totals = class_report.totals(outcomes)
    assert got_totals["k000.learner"] == 1 + 1 + 1 + 2 and got_totals["k019.learner"] == 0 + 0 + 0 + 0

    page = class_report.render_html("00_start_here", list(summaries.values()), sorted(got_totals.values()), False,
                              {s: f"student {i:02d}" for i, s in enumerate(sorted(got_totals), 1)}.__getitem__)
    parsed = Page(page)
    for exercise, counts in planned.items():
        rows = {r["data-outcome"]: r for r in parsed.table(exercise, "outcomes")}
        for key, count in counts.items():
            assert rows[key]["data-count"] == str(count) and rows[key]["cells"][-1] == share(count, 20)
    groups = parsed.table("00.sample_sd", "groups")
    assert [(g["data-answer"], g["cells"][1], g["cells"][2]) for g in groups] == [
        ("5; 4.4; 4", "3", "student 15, student 16, student 17"), ("2; 2; 2", "1", "student 18")]
    assert parsed.tags["script"] == 0 and parsed.tags["external"] == 0
    assert all(i["src"].startswith("data:image/svg+xml;base64,") and len(i["alt"]) > 40 for i in parsed.images)
    assert "k000.learner" not in page

    with pytest.raises(ValueError, match="exactly one outcome per student"):
        class_report.summarise(exercises, outcomes[1:])
    with pytest.raises(ValueError, match="not in the lesson"):
        class_report.summarise(exercises, outcomes + [Outcome("x", "00.nope", "wrong", "wrong", 0.0, 1.0)])


def test_pseudonyms_are_stable_and_say_nothing_about_the_ids(tmp_path):
    students = [f"k{i:03d}.learner" for i in range(40)]
    key = class_report.course_key(tmp_path)
    assert class_report.course_key(tmp_path) == key and (tmp_path / ".report_key").stat().st_mode & 0o077 == 0
    first = class_report.pseudonyms(students, key)
    assert class_report.pseudonyms(list(reversed(students)), key) == first
    assert sorted(first.values()) == [f"student {i:02d}" for i in range(1, 41)]
    assert [first[s] for s in students] != sorted(first.values()), "numbered in the order of the ids"
    assert class_report.pseudonyms(students, b"another key of 16+ bytes") != first
    with pytest.raises(ValueError, match="key"):
        class_report.pseudonyms(students, b"short")


def test_report_refuses_what_is_not_a_course(tmp_path):
    with pytest.raises(ValueError, match="course_dir"):
        class_report.write_report(tmp_path, "00_start_here")
    (tmp_path / "submitted" / "someone" / "00_start_here").mkdir(parents=True)
    with pytest.raises(ValueError, match="autograded yet"):
        class_report.write_report(tmp_path, "00_start_here")
    with pytest.raises(TypeError, match="names"):
        class_report.write_report(tmp_path, "00_start_here", names="yes")


# --------------------------------------------------------------------------
# A graded class with planted answers
# --------------------------------------------------------------------------
def _sd(body: str) -> str:
    return "def sample_sd(ratings):\n    " + body


J_OWN = "    m = n1 + n2 - 2\n    j = np.exp(special.gammaln(m / 2) - special.gammaln((m - 1) / 2)) / np.sqrt(m / 2)\n"
HEAD = "def hedges_g(m1, sd1, n1, m2, sd2, n2):\n"
POOLED = "    s = np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))\n"
RETURN = "    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))"
MODEL, STUB = "model", "stub"  # the model answer from source/, the released cell left as it is

# exercise -> [(answer cell code, the category the grader must give, points earned, students)]
PLANS = {
    "00_start_here": {
        "00.sample_sd": [
            (MODEL, "correct", 1, 12),
            (_sd("return np.std(ratings)"), "mistake:divided_by_n", 0, 7),
            (_sd("return np.var(ratings, ddof=1)"), "mistake:variance", 0, 4),
            (_sd("return float(np.mean(ratings))"), "wrong", 0, 3),
            (_sd("return 2.0"), "wrong", 0, 2),
            (_sd("return sum(ratings) / 0"), "crash", 0, 2),
            (_sd("while True:\n        pass"), "timeout", 0, 1),
            (STUB, "not attempted", 0, 3)],
        "00.percent_negative": [
            (MODEL, "correct", 1, 15),
            ("percent_negative = 70.6", "correct", 1, 3),
            ("percent_negative = 100 * 5 / 17", "mistake:positive_share", 0, 6),
            ("percent_negative = 12 / 17", "wrong", 0, 4),
            ("percent_negative = 71", "wrong", 0, 2),
            ("percent_negative = '70.6%'", "invalid", 0, 2),
            (STUB, "not attempted", 0, 2)],
        "00.answer_3": [
            (MODEL, "correct", 1, 20),
            ("answer_3 = 'B'", "correct", 1, 2),
            ("answer_3 = 'a'", "mistake:a", 0, 6),
            ("answer_3 = 'c'", "mistake:c", 0, 3),
            ("answer_3 = 'e'", "invalid", 0, 1),
            (STUB, "not attempted", 0, 2)],
        "00.written-1": [(2, "rubric:2", 2, 12), (1, "rubric:1", 1, 8), (0, "rubric:0", 0, 5),
                         (None, "ungraded", 0, 9)],
    },
    "05_effect_sizes": {
        "05.correction_exact": [
            (MODEL, "correct", 1, 15),
            ("def correction_exact(m):\n    return 1 - 3 / (4 * m - 1)", "mistake:approximation", 0, 6),
            ("def correction_exact(m):\n    return special.gammaln(m / 2) - 0.5 * np.log(m / 2)"
             " - special.gammaln((m - 1) / 2)", "mistake:log_scale", 0, 2),
            ("def correction_exact(m):\n    return effects.correction_factor(m)", "shortcut", 0, 3),
            ("import math\ndef correction_exact(m):\n    return math.gamma(m / 2) / (math.sqrt(m / 2) * "
             "math.gamma((m - 1) / 2))", "crash", 0, 2),
            (STUB, "not attempted", 0, 2)],
        "05.hedges_g": [  # each answer has its own J(m): the planted correction_exact does not spill over
            (HEAD + POOLED + J_OWN + "    g = j * (m1 - m2) / s\n" + RETURN, "correct", 1, 14),
            (HEAD + POOLED + "    g = (m1 - m2) / s\n" + RETURN, "mistake:cohens_d", 0, 5),
            (HEAD + POOLED + J_OWN + "    g = j * (m2 - m1) / s\n" + RETURN, "mistake:sign", 0, 3),
            (HEAD + POOLED + J_OWN + "    d = (m1 - m2) / s\n    g = j * d\n"
             "    return g, 1 / n1 + 1 / n2 + d**2 / (2 * (n1 + n2))", "partial", 0.5, 3),
            (HEAD + "    return effects.hedges_g(m1, sd1, n1, m2, sd2, n2)", "shortcut", 0, 2),
            (STUB, "not attempted", 0, 3)],
        "05.answer_3": [
            (MODEL, "correct", 1, 18),
            ("answer_3 = 'a'", "mistake:a", 0, 7),
            ("answer_3 = 'c'", "mistake:c", 0, 3),
            (STUB, "not attempted", 0, 2)],
        "05.g_inagaki_2019": [
            (MODEL, "correct", 1, 16),
            ("g_inagaki_2019 = -0.315", "correct", 1, 2),
            ("g_inagaki_2019 = -np.sqrt(2.017) * np.sqrt(2 / 40)", "mistake:no_correction", 0, 5),
            ("g_inagaki_2019 = -0.19", "mistake:study_effect", 0, 2),
            ("g_inagaki_2019 = -0.31", "wrong", 0, 3),
            (STUB, "not attempted", 0, 2)],
        "05.se_inagaki_crossover": [
            (MODEL, "correct", 1, 14),
            ("se_inagaki_crossover = 0.49 / 1.96", "mistake:width_over_1.96", 0, 5),
            ("se_inagaki_crossover = (0.49 / 3.92) ** 2", "mistake:variance", 0, 3),
            ("se_inagaki_crossover = 0.49", "wrong", 0, 2),
            ("se_inagaki_crossover = 0.2", "wrong", 0, 1),
            ("se_inagaki_crossover = '0.125'", "invalid", 0, 2),
            (STUB, "not attempted", 0, 3)],
        "05.written-1": [(2, "rubric:2", 2, 6), (1, "rubric:1", 1, 6), (0, "rubric:0", 0, 3),
                         (None, "ungraded", 0, 15)],
    },
}
STUDENTS = [f"k{i:03d}.learner" for i in range(34)]  # lesson 00: all 34; lesson 05: the first 30
BROKEN = "k999.learner"  # lesson 00: a file that is not a notebook (not graded, counted apart)


def assignments(lesson: str) -> dict:
    """student -> exercise -> (code or manual score, category, points), shuffled per exercise (fixed seed)."""
    out = defaultdict(dict)
    for number, (exercise, plan) in enumerate(PLANS[lesson].items()):
        entries = [(code, category, points) for code, category, points, count in plan for _ in range(count)]
        students = STUDENTS[:len(entries)]
        assert len(entries) == (34 if lesson == "00_start_here" else 30), exercise
        random.Random(1000 + number).shuffle(entries)
        for student, entry in zip(students, entries):
            out[student][exercise] = entry
    return dict(out)


def write_planted_class(course: Path, lesson: str) -> dict:
    """Each student's notebook: the released one with each answer cell filled as planned."""
    subject = Lesson(course, lesson)
    graded = definitions.graded(lesson)
    cell_of = {}  # exercise id -> index of the answer cell that binds its target
    for exercise_id, exercise in graded.items():
        cell_of[exercise_id] = next(i for i in subject.answers
                                    if exercise.target in names(subject.source.cells[i].source)[0])
    planned = assignments(lesson)
    for student, answers in planned.items():
        nb = subject.answered()
        for exercise_id, index in cell_of.items():
            code = answers[exercise_id][0]
            if code == STUB:
                nb.cells[index].source = subject.release.cells[index].source
            elif code != MODEL:
                nb.cells[index].source = code
        write(course, lesson, student, nb)
    return planned


def _run(args, home: Path, cwd=ROOT, timeout=1200):
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """Lessons 00 (34 students) and 05 (30) graded, written answers scored; both reports, with and without names."""
    require_sandbox(needed_for="grading a class")
    base = tmp_path_factory.mktemp("report")
    course, home = base / "course", base / "home"
    home.mkdir()
    lessons = list(PLANS)
    done = _run(["-m", "instructor.grading", "init", str(course), *lessons], home)
    assert done.returncode == 0, done.stderr
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(LIMITS)
    planned = {}
    for lesson in lessons:
        done = _run(["-m", "nbgrader", "generate_assignment", lesson, "--force"], home, cwd=course, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        planned[lesson] = write_planted_class(course, lesson)
        broken = lesson == "00_start_here"
        if broken:
            write(course, lesson, BROKEN, '{"cells": [')
        done = _run(["-m", "instructor.grading", "autograde", str(course), lesson], home)
        assert done.returncode == int(broken), done.stdout + done.stderr
        with open(course / "grades" / f"{lesson}.csv", newline="", encoding="utf-8") as handle:
            odd = [(r["student"], r["status"]) for r in csv.DictReader(handle) if r["status"] != "graded"]
        assert odd == ([(BROKEN, "failed")] if broken else []), \
            f"submissions not graded normally (a machine too busy for the limits?): {odd}"
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "opioids-and-bonds") as gradebook:
        for lesson in lessons:
            written = [e for e in PLANS[lesson] if "written" in e][0]
            for student, answers in planned[lesson].items():
                score = answers[written][0]
                if score is not None:
                    grade = gradebook.find_grade(definitions.grade_id(lesson, written), lesson, lesson, student)
                    grade.manual_score = float(score)
        gradebook.db.commit()
    reports = {}
    for lesson in lessons:  # with names (in this process), then the README's command, anonymised (left in place)
        for named in (True, False):
            if named:
                class_report.write_report(course, lesson, names=True)
            else:
                done = _run(["-m", "instructor.grading", "report", str(course), lesson], home)
                assert done.returncode == 0, done.stdout + done.stderr
            page = (course / "reports" / f"{lesson}.html").read_text(encoding="utf-8")
            table = (course / "reports" / f"{lesson}.csv").read_text(encoding="utf-8")
            reports[lesson, named] = (page, list(csv.DictReader(io.StringIO(table))))
    return course, planned, reports


@pytest.mark.slow
@pytest.mark.parametrize("lesson", list(PLANS))
def test_the_csv_holds_each_planted_answer(graded_class, lesson):
    course, planned, reports = graded_class
    rows = reports[lesson, True][1]
    assert len(rows) == len(planned[lesson]) * len(PLANS[lesson])
    got = {(r["student"], r["exercise"]): r for r in rows}
    for student, answers in planned[lesson].items():
        for exercise, (_, category, points) in answers.items():
            row = got[student, exercise]
            assert (row["category"], row["mistake"]) == (category, category.split(":", 1)[1]
                                                         if category.startswith("mistake:") else ""), (student, row)
            assert row["points"] == ("" if category == "ungraded" else f"{points:g}"), (student, row)
    with open(course / "grades" / f"{lesson}.csv", newline="", encoding="utf-8") as handle:  # autograded scores
        autograded = {r["student"]: float(r["score"]) for r in csv.DictReader(handle)}
    for student, answers in planned[lesson].items():
        assert autograded[student] == sum(p for e, (_, _, p) in answers.items() if "written" not in e)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", list(PLANS))
def test_the_page_gives_exactly_the_planted_shares(graded_class, lesson):
    course, planned, reports = graded_class
    page = Page(reports[lesson, False][0])
    n = len(planned[lesson])
    assert page.keys["summary", "n"] == str(n)
    assert ("Not graded at all, and left out: 1 submission" in reports[lesson, False][0]) == (lesson == "00_start_here")
    exercises = {e.id: e for e in definitions.load(lesson)}
    lost = {}
    for exercise, plan in PLANS[lesson].items():
        counts = Counter()
        for _, category, _, count in plan:
            counts[category] += count
        rows = {r["data-outcome"]: r for r in page.table(exercise, "outcomes")}
        assert set(counts) <= set(rows), exercise
        for key, row in rows.items():
            assert row["data-count"] == str(counts.get(key, 0)), (exercise, key)
            assert row["cells"][-1] == share(counts.get(key, 0), n), (exercise, key)
        for mistake in getattr(exercises[exercise], "mistakes", ()):  # the definition's hint, word for word
            assert rows[f"mistake:{mistake.name}"]["cells"][1] == mistake.hint
        if "written" in exercise:
            for points, text in exercises[exercise].rubric.items():
                assert rows[f"rubric:{points}"]["cells"][1] == text
            full = counts["rubric:2"]
            lost[exercise] = counts["rubric:1"] + counts["rubric:0"]
        else:
            full = counts["correct"]
            lost[exercise] = n - full  # every answer but a correct one lost points (a partial one too)
        assert page.keys[exercise, "correct"] == f"{full} of {n} ({share(full, n)})"
        points = Counter()
        for _, category, p, count in plan:
            if category != "ungraded":
                points[f"{p:g}"] += count
        assert {r["data-points"]: int(r["data-count"]) for r in page.table(exercise, "points")} == points
        wrong = [(code, count) for code, category, _, count in plan if category == "wrong"]
        groups = page.table(exercise, "groups")
        assert sorted(int(g["data-count"]) for g in groups) == sorted(c for _, c in wrong), exercise
        for group in groups:
            shown = group["cells"][2].split(", ")
            assert 1 <= len(shown) <= 3 and all(s.startswith("student ") for s in shown)
    ranking = page.table("summary", "ranking")
    assert {r["data-exercise"]: int(r["data-lost"]) for r in ranking} == lost
    assert [int(r["data-lost"]) for r in ranking] == sorted(lost.values(), reverse=True)
    assert len(page.images) == 2 + len(PLANS[lesson])
    assert all(i["src"].startswith("data:image/svg+xml;base64,") and len(i["alt"]) > 40 for i in page.images)
    assert page.tags["script"] == 0 and page.tags["external"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("lesson", list(PLANS))
def test_without_names_no_student_id_appears_and_pseudonyms_are_consistent(graded_class, lesson):
    course, planned, reports = graded_class
    page, rows = reports[lesson, False]
    text = page + "".join(str(r) for r in rows)
    assert not [s for s in STUDENTS + [BROKEN] if s in text]
    key = class_report.course_key(course)
    alias = class_report.pseudonyms(STUDENTS + [BROKEN], key)  # every student of the course: the same in both lessons
    by_alias = {(r["student"], r["exercise"]): r["category"] for r in rows}
    for student, answers in planned[lesson].items():
        for exercise, (_, category, _) in answers.items():
            assert by_alias[alias[student], exercise] == category
    order = [r["student"] for r in rows]
    assert order == sorted(order)  # sorted by pseudonym, so the order of the ids is lost
    named_page = reports[lesson, True][0]
    assert any(s in named_page for s in STUDENTS)  # --names does show them (in the examples of wrong answers)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", list(PLANS))
def test_the_page_opens_in_chromium_without_errors(graded_class, lesson):
    course = graded_class[0]
    chromium_path = require_programs("chromium", needed_for="opening the report in a browser")["chromium"]
    from playwright.sync_api import sync_playwright

    path = course / "reports" / f"{lesson}.html"
    ARTIFACTS.mkdir(exist_ok=True)
    messages, errors, requests = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1300})
            page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
                                   ".map(i => i.alt)")
            sections = page.locator("section.exercise").count()
            page.screenshot(path=str(ARTIFACTS / f"report-{lesson}.png"), full_page=True)
            first = page.locator("section.exercise").first
            first.screenshot(path=str(ARTIFACTS / f"report-{lesson}-exercise-1.png"))
        finally:
            browser.close()
    assert messages == [] and errors == [], messages + errors
    assert broken == []
    assert sections == len(PLANS[lesson])
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
