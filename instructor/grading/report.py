"""What the class got wrong: a per-exercise report of the grader's own verdicts, for instructors.

``python -m instructor.grading report COURSE_DIR LESSON [--names]`` reads

- every autograded notebook of the lesson (autograded/<student>/<lesson>/),
  whose metadata holds the grader's verdict on each exercise (status,
  category, points, the answer given: see ``nbgrader_plugins.GRADING_KEY``);
- the gradebook's manual scores of the written answers (formgrader);
- the exercise definitions (``instructor.definitions``): titles, the named
  mistakes with their hints, the choice options, the written rubrics;

and writes

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
import html
import io
from pathlib import Path

from instructor import definitions

from .class_results import (COLOURS, EXAMPLE_GROUPS, EXAMPLES_PER_GROUP, ExerciseSummary, Line,
                            Outcome, course_key, pseudonyms, ranking, read_outcomes, summarise, totals)


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
