"""Generate the student notebooks in lessons/ from the sources in solutions/.

    python -m instructor.build_lessons                # rewrite lessons/ (and tidy solutions/)
    python -m instructor.build_lessons --execute      # also re-run solutions/ and keep their outputs
    python -m instructor.build_lessons --execute 05   # ... only the lessons whose names start with 05
    python -m instructor.build_lessons --check        # exit 1 if anything is out of date

solutions/ is the single source. Authors mark, inside code cells::

    ### BEGIN SOLUTION
    ...the answer...
    ### END SOLUTION

and, in markdown cells, ``<!-- BEGIN SOLUTION -->`` / ``<!-- END SOLUTION -->``
around a model answer to a written question. An exercise is checked by one
line in the cell below it, ``ex.check("05.hedges_g")``; everything about it
(reference, cases, hidden cases, tolerance, mistakes, alternatives, points)
is its definition in ``instructor/definitions/lesson05.py``. The build then

1. tidies solutions/: gives every cell with a solution region nbgrader
   "solution" metadata, every ``ex.check`` cell nbgrader "autograded test"
   metadata (the definition's points; grade id ``<lesson>-<name>``), every
   written answer "manually graded" metadata (``<lesson>-written-<n>``), and
   locks the first code cell (the setup cell); cells that build an explorer
   get nbval's ``nbval-ignore-output`` tag; a code cell whose first line is
   ``# Figure: <what it draws>`` or ``# Explorer: <what it shows>`` (plumbing
   that only draws) is collapsed (``metadata.jupyter.source_hidden``), so the
   learner sees that line and can open the code; such a cell may hold no
   solution region, no ``ex.check`` and no answer variable;
2. writes the visible part of each lesson's definitions to
   ``utils/exercises/specs/<lesson>.json`` (no hidden cases, no reference
   code), which the learner's Check reads;
3. runs nbgrader's own release steps (LockCells, ClearSolutions with the
   course's stub, ClearOutput, ClearHiddenTests, ClearMarkScheme,
   ComputeChecksums), so that ``nbgrader generate_assignment`` with the
   course's configuration gives the same student notebooks;
4. normalises what nbgrader leaves: no widget state, a ``python3``
   kernelspec, no execution counts, no version numbers in the metadata.

The stub that replaces a solution region, ``# YOUR CODE HERE`` followed by
``pass``, does not raise: a stubbed function returns ``None`` and its check
says "not attempted yet", so "Run All" reaches the last cell.
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
GLOSSARY = "glossary.md"
"""The course glossary: written in solutions/, copied beside the lessons (each lesson links to it)."""
SPECS = ROOT / "utils" / "exercises" / "specs"

CODE_STUB = "# YOUR CODE HERE\npass"
TEXT_STUB = "YOUR ANSWER HERE"
WRITTEN_ANSWER_POINTS = 2
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

_CHECK = re.compile(r"""\bex\.check\(\s*["']([0-9]+\.[A-Za-z0-9_-]+)["']""")
PLUMBING = re.compile(r"# (Figure|Explorer): \S")
"""The first line of a code cell that only draws a figure or builds an explorer: the build collapses it."""
ANSWER_VARIABLE = re.compile(r"^answer_\w+\s*=", re.MULTILINE)
"""A multiple-choice answer (``answer_3 = "b"``): learner-facing, never collapsed."""


def _nbgrader(**fields) -> dict:
    meta = {"schema_version": 3, "solution": False, "grade": False, "locked": False, "task": False}
    meta.update(fields)
    return meta


def check_ids(source: str) -> list[str]:
    """The exercise ids a cell checks with ``ex.check("NN.name")``."""
    return _CHECK.findall(source)


def tidy_solution(nb, stem: str):
    """Give the cells of a solution notebook their nbgrader metadata, in place.

    Returns the notebook. Derived from the cells' content and the lesson's
    definitions, so authors never edit nbgrader metadata by hand and the ids
    are stable. Raises ValueError when a check cell and the definitions
    disagree (an undefined id, an id checked twice, a definition never checked).
    """
    from instructor import definitions

    graded = definitions.graded(stem)
    written = {w.id: w for w in definitions.written(stem)}
    number = stem.split("_", 1)[0]
    seen: list[str] = []
    counters = {"answer": 0, "written": 0}
    first_code = True
    for cell in nb.cells:
        source = cell.source
        cell.metadata.pop("nbgrader", None)
        ids = check_ids(source) if cell.cell_type == "code" else []
        if ids:
            if len(ids) > 1:
                raise ValueError(f"{stem}: one check per cell, found {ids}")
            if ids[0] not in graded:
                raise ValueError(f"{stem}: ex.check({ids[0]!r}) has no definition in {definitions.module_name(stem)}")
            seen.append(ids[0])
            cell.metadata["nbgrader"] = _nbgrader(grade=True, locked=True, points=float(graded[ids[0]].points),
                                                  grade_id=definitions.grade_id(stem, ids[0]))
        elif cell.cell_type == "code" and "BEGIN SOLUTION" in source:
            counters["answer"] += 1
            cell.metadata["nbgrader"] = _nbgrader(solution=True, grade_id=f"{stem}-answer-{counters['answer']}")
        elif cell.cell_type == "markdown" and "BEGIN SOLUTION" in source:
            counters["written"] += 1
            written_id = f"{number}.written-{counters['written']}"
            points = written[written_id].points if written_id in written else WRITTEN_ANSWER_POINTS
            cell.metadata["nbgrader"] = _nbgrader(solution=True, grade=True, points=float(points),
                                                  grade_id=f"{stem}-written-{counters['written']}")
        elif cell.cell_type == "code" and first_code:
            cell.metadata["nbgrader"] = _nbgrader(locked=True, grade_id=f"{stem}-setup")
        if cell.cell_type == "code":
            _tag_explorer(cell)
            _hide_plumbing(cell, stem)
            first_code = False
    twice = sorted({i for i in seen if seen.count(i) > 1})
    unused = sorted(set(graded) - set(seen))
    missing_rubrics = sorted({f"{number}.written-{n + 1}" for n in range(counters["written"])} - set(written))
    problems = ([f"checked twice: {twice}"] if twice else []) + ([f"defined but never checked: {unused}"]
                                                                  if unused else []) \
        + ([f"written answers without a rubric: {missing_rubrics}"] if missing_rubrics else [])
    if problems:
        raise ValueError(f"{stem}: " + "; ".join(problems))
    return nb


def _tag_explorer(cell) -> None:
    """Mark cells that build an explorer with nbval's ``nbval-ignore-output``.

    An explorer draws into an ipywidgets Output area; a front end that knows
    widgets keeps the figure inside the widget, one that does not (the
    notebook tests) shows it in the cell, so the two outputs cannot match.
    The cell still runs, and must not fail.
    """
    tags = [t for t in cell.metadata.get("tags", []) if t != "nbval-ignore-output"]
    if re.search(r"\bexplorer\(", cell.source):
        tags.append("nbval-ignore-output")
    if tags:
        cell.metadata["tags"] = tags
    else:
        cell.metadata.pop("tags", None)


def is_plumbing(source: str) -> bool:
    """Does a code cell start with ``# Figure: ...`` or ``# Explorer: ...`` (it only draws)?"""
    return PLUMBING.match(source) is not None


def learner_facing(source: str) -> list[str]:
    """What in a code cell a learner must see: a solution region or its stub, a check, an answer variable."""
    found = []
    if "BEGIN SOLUTION" in source or CODE_STUB.splitlines()[0] in source:
        found.append("a solution region")
    if check_ids(source) or re.search(r"\bex\.check\(", source):
        found.append("ex.check")
    if ANSWER_VARIABLE.search(source):
        found.append("an answer variable")
    return found


def _hide_plumbing(cell, stem: str) -> None:
    """Collapse (``metadata.jupyter.source_hidden``) a code cell that starts with ``# Figure:`` or ``# Explorer:``.

    Derived from the cell's first line each build, so removing the line shows the cell again. Raises
    ValueError for a marked cell that holds something the learner must see.
    """
    jupyter = cell.metadata.get("jupyter", {})
    jupyter.pop("source_hidden", None)
    if is_plumbing(cell.source):
        visible = learner_facing(cell.source)
        if visible:
            first = cell.source.splitlines()[0]
            raise ValueError(f"{stem}: the cell {first!r} holds {' and '.join(visible)}, which the learner must "
                             "see: remove its '# Figure:'/'# Explorer:' line or move that code to its own cell")
        jupyter["source_hidden"] = True
    if jupyter:
        cell.metadata["jupyter"] = jupyter
    else:
        cell.metadata.pop("jupyter", None)


def _strip_run_state(nb, keep_counts: bool = False) -> None:
    """Remove what running a notebook leaves behind, except its outputs.

    Solutions keep their execution counts (the notebook tests need them to
    tell a cell that ran from one that did not); lessons lose them.
    """
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for key in ("celltoolbar", "toc", "varInspector"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code" and not keep_counts:
            cell.execution_count = None


def release(nb, keep_hidden_tests: bool = False):
    """The student version of a (tidied) solution notebook, as nbgrader makes it.

    ``keep_hidden_tests=True`` gives what the autograder runs on a blank
    submission (stubs plus hidden tests): every graded check must fail on it.
    """
    from nbgrader.preprocessors import (ClearHiddenTests, ClearMarkScheme, ClearOutput, ClearSolutions,
                                        ComputeChecksums, LockCells)

    student = copy.deepcopy(nb)
    resources: dict = {}
    steps = [LockCells(), ClearSolutions(code_stub={"python": CODE_STUB}, text_stub=TEXT_STUB), ClearOutput(),
             ComputeChecksums()]
    if not keep_hidden_tests:
        steps += [ClearHiddenTests(), ClearMarkScheme(), ComputeChecksums()]
    for step in steps:
        student, resources = step.preprocess(student, resources)
    _strip_run_state(student)
    return student


def _dumps(nb) -> str:
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def spec_text(stem: str) -> str:
    """The JSON the learner's Check reads for one lesson (visible cases only)."""
    import json

    from instructor import definitions

    return json.dumps(definitions.visible_specs(stem), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def same_specs(old: str, new: str) -> bool:
    """Do two spec files say the same, up to the last digits of a float?

    The digits past the 7th differ across platforms and library versions: the t-test power and sample sizes
    that statsmodels finds numerically (lessons 08 and 10) differ by up to 2e-8 relative between statsmodels
    0.14 and 0.15. Every exercise's own tolerance is far coarser, and an edited number changes more digits.
    """
    import json
    import math

    def same(a, b) -> bool:
        if isinstance(a, float) or isinstance(b, float):
            return isinstance(a, (int, float)) and isinstance(b, (int, float)) \
                and math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-12)
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        return a == b

    try:
        return same(json.loads(old), json.loads(new))
    except ValueError:
        return False


def _write_if_changed(path: Path, text: str, check_only: bool, changed: list, label: str, same=None) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old is None or (old != text and not (same and same(old, text))):
        changed.append(label)
        if not check_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")


def build(check_only: bool = False, solutions: Path = SOLUTIONS, lessons: Path = LESSONS,
          run: tuple[str, ...] | None = None, specs: Path = SPECS, only: tuple[str, ...] = ()) -> list[str]:
    """Tidy solutions/ and write lessons/ (and copy the glossary); return the files that were (or would be) changed.

    ``run``: name prefixes of solution notebooks to execute first (their
    outputs are kept in solutions/ and compared by the notebook tests);
    an empty tuple executes them all. ``only``: build just the lessons whose
    names start with one of these prefixes (default: all).
    """
    import nbformat
    from tqdm.auto import tqdm

    changed = []
    every = sorted(solutions.glob("*.ipynb"))
    expected_lessons = {p.name for p in every}
    sources = [p for p in every if not only or p.name.startswith(tuple(only))]
    for path in tqdm(sources, desc="lessons", unit="notebook", disable=check_only or len(sources) < 3):
        original = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        nb = nbformat.reads(original, as_version=4)
        tidy_solution(nb, path.stem)
        _write_if_changed(specs / f"{path.stem}.json", spec_text(path.stem), check_only, changed,  # before running:
                          str(Path("utils", "exercises", "specs", f"{path.stem}.json")), same_specs)  # checks read it
        if run is not None and (not run or path.name.startswith(run)):
            from instructor.notebook_runner import execute

            execute(nb, solutions)
            _strip_run_state(nb, keep_counts=True)
        nb.metadata.pop("widgets", None)
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
        nb.metadata["language_info"] = {"name": "python"}
        tidied = _dumps(nb)
        if tidied != original:
            changed.append(str(Path(solutions.name, path.name)))
            if not check_only:
                path.write_text(tidied, encoding="utf-8", newline="\n")
        _write_if_changed(lessons / path.name, _dumps(release(nb)), check_only, changed,
                          str(Path(lessons.name, path.name)))
    glossary = solutions / GLOSSARY
    if glossary.exists():  # copied as it is: the lessons link to glossary.md beside them
        _write_if_changed(lessons / GLOSSARY, glossary.read_text(encoding="utf-8"), check_only, changed,
                          str(Path(lessons.name, GLOSSARY)))
    elif (lessons / GLOSSARY).exists():
        changed.append(f"{Path(lessons.name, GLOSSARY)} (has no source in {solutions.name})")
        if not check_only:
            (lessons / GLOSSARY).unlink()
    for stray in sorted(lessons.glob("*.ipynb")):
        if stray.name not in expected_lessons:
            changed.append(f"{Path(lessons.name, stray.name)} (has no source in {solutions.name})")
            if not check_only:
                stray.unlink()
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Generate lessons/ from solutions/.")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of date")
    parser.add_argument("--execute", nargs="*", metavar="PREFIX",
                        help="re-run solution notebooks (all, or those whose names start with a PREFIX) first")
    parser.add_argument("--only", nargs="+", metavar="PREFIX", default=(),
                        help="build only the lessons whose names start with a PREFIX")
    args = parser.parse_args(argv)
    if args.check and args.execute is not None:
        parser.error("--check and --execute do not go together")
    changed = build(check_only=args.check, run=None if args.execute is None else tuple(args.execute),
                    only=tuple(args.only))
    if args.check:
        if changed:
            print("Out of date (run `python -m instructor.build_lessons`):\n  " + "\n  ".join(changed))
            return 1
        print("lessons/ and solutions/ are up to date.")
        return 0
    print("Updated:\n  " + "\n  ".join(changed) if changed else "Nothing to update.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
