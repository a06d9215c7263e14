"""Generate the student notebooks in lessons/ from the sources in solutions/.

    python -m utils.build_lessons                # rewrite lessons/ (and tidy solutions/)
    python -m utils.build_lessons --execute      # also re-run solutions/ and keep their outputs
    python -m utils.build_lessons --execute 05   # ... only the lessons whose names start with 05
    python -m utils.build_lessons --check        # exit 1 if anything is out of date

solutions/ is the single source. Authors mark, inside code cells::

    ### BEGIN SOLUTION            ### BEGIN HIDDEN TESTS
    ...the answer...              ...graded asserts...
    ### END SOLUTION              ### END HIDDEN TESTS

and, in markdown cells, ``<!-- BEGIN SOLUTION -->`` / ``<!-- END SOLUTION -->``
around a model answer to a written question. The build then

1. tidies solutions/: gives every cell with a solution region nbgrader
   "solution" metadata, every cell with hidden tests nbgrader "autograded
   test" metadata (1 point, or ``# points: N`` on any line of the cell),
   every written answer "manually graded" metadata, and locks the first
   code cell (the setup cell); grade ids are ``<lesson>-answer-<n>``,
   ``<lesson>-check-<n>`` and ``<lesson>-written-<n>``; cells that build an
   explorer get nbval's ``nbval-ignore-output`` tag;
2. runs nbgrader's own release steps (LockCells, ClearSolutions with the
   course's stub, ClearOutput, ClearHiddenTests, ClearMarkScheme,
   ComputeChecksums), so that ``nbgrader generate_assignment`` with the
   course's configuration gives the same student notebooks;
3. normalises what nbgrader leaves: no widget state, a ``python3``
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

CODE_STUB = "# YOUR CODE HERE\npass"
TEXT_STUB = "YOUR ANSWER HERE"
WRITTEN_ANSWER_POINTS = 2
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

_POINTS = re.compile(r"#\s*points:\s*([0-9]+(?:\.[0-9]+)?)", re.IGNORECASE)


def _nbgrader(**fields) -> dict:
    meta = {"schema_version": 3, "solution": False, "grade": False, "locked": False, "task": False}
    meta.update(fields)
    return meta


def tidy_solution(nb, stem: str):
    """Give the cells of a solution notebook their nbgrader metadata, in place.

    Returns the notebook. Derived from the cells' content, so authors never
    edit nbgrader metadata by hand and the ids are stable.
    """
    counters = {"answer": 0, "check": 0, "written": 0}
    first_code = True
    for cell in nb.cells:
        source = cell.source
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in source:
            counters["check"] += 1
            match = _POINTS.search(source)
            points = float(match.group(1)) if match else 1.0
            cell.metadata["nbgrader"] = _nbgrader(grade=True, locked=True, points=points,
                                                  grade_id=f"{stem}-check-{counters['check']}")
        elif cell.cell_type == "code" and "BEGIN SOLUTION" in source:
            counters["answer"] += 1
            cell.metadata["nbgrader"] = _nbgrader(solution=True, grade_id=f"{stem}-answer-{counters['answer']}")
        elif cell.cell_type == "markdown" and "BEGIN SOLUTION" in source:
            counters["written"] += 1
            cell.metadata["nbgrader"] = _nbgrader(solution=True, grade=True, points=float(WRITTEN_ANSWER_POINTS),
                                                  grade_id=f"{stem}-written-{counters['written']}")
        elif cell.cell_type == "code" and first_code:
            cell.metadata["nbgrader"] = _nbgrader(locked=True, grade_id=f"{stem}-setup")
        if cell.cell_type == "code":
            _tag_explorer(cell)
            first_code = False
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


def notebook_client(nb, directory: Path, timeout: int = 120, allow_errors: bool = False):
    """An nbclient runner for ``nb`` on a fresh python3 kernel working in ``directory``.

    The kernel talks over local (ipc) sockets, not TCP ports: when several
    kernels start at once, a port picked as free can be taken by another
    kernel before ours binds it, and our requests then go unanswered.
    """
    import tempfile

    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(directory)}})
    client.km = client.create_kernel_manager()
    client.km.transport, client.km.ip = "ipc", str(Path(tempfile.mkdtemp(prefix="kernel-")) / "kernel")
    return client


def execute(nb, directory: Path, timeout: int = 120, allow_errors: bool = False):
    """Run a notebook on a fresh kernel in ``directory``; raise if a cell fails (unless allowed)."""
    notebook_client(nb, directory, timeout, allow_errors).execute()
    return nb


def build(check_only: bool = False, solutions: Path = SOLUTIONS, lessons: Path = LESSONS,
          run: tuple[str, ...] | None = None) -> list[str]:
    """Tidy solutions/ and write lessons/; return the files that were (or would be) changed.

    ``run``: name prefixes of solution notebooks to execute first (their
    outputs are kept in solutions/ and compared by the notebook tests);
    an empty tuple executes them all.
    """
    import nbformat
    from tqdm.auto import tqdm

    changed = []
    sources = sorted(solutions.glob("*.ipynb"))
    expected_lessons = {p.name for p in sources}
    for path in tqdm(sources, desc="lessons", unit="notebook", disable=check_only or len(sources) < 3):
        original = path.read_text(encoding="utf-8")
        nb = nbformat.reads(original, as_version=4)
        tidy_solution(nb, path.stem)
        if run is not None and (not run or path.name.startswith(run)):
            execute(nb, solutions)
            _strip_run_state(nb, keep_counts=True)
        nb.metadata.pop("widgets", None)
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
        nb.metadata["language_info"] = {"name": "python"}
        tidied = _dumps(nb)
        if tidied != original:
            changed.append(str(Path(solutions.name, path.name)))
            if not check_only:
                path.write_text(tidied, encoding="utf-8")
        target = lessons / path.name
        student = _dumps(release(nb))
        if not target.exists() or target.read_text(encoding="utf-8") != student:
            changed.append(str(Path(lessons.name, target.name)))
            if not check_only:
                target.write_text(student, encoding="utf-8")
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
    args = parser.parse_args(argv)
    if args.check and args.execute is not None:
        parser.error("--check and --execute do not go together")
    changed = build(check_only=args.check, run=None if args.execute is None else tuple(args.execute))
    if args.check:
        if changed:
            print("Out of date (run `python -m utils.build_lessons`):\n  " + "\n  ".join(changed))
            return 1
        print("lessons/ and solutions/ are up to date.")
        return 0
    print("Updated:\n  " + "\n  ".join(changed) if changed else "Nothing to update.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
