"""Grade the lessons with nbgrader: a course directory, a guard, a class wrapper.

    python -m utils.grading init COURSE_DIR [LESSON ...]   # an nbgrader course directory
    python -m utils.grading autograde COURSE_DIR LESSON    # grade a whole class, with progress

``init`` writes COURSE_DIR/nbgrader_config.py (from utils/nbgrader_config.py)
and, for each lesson, source/<lesson>/<lesson>.ipynb (from solutions/) with
copies of utils/ and data/ beside it, so the released and the autograded
notebooks find the helper package and its data as the lessons do. Then the
plain nbgrader commands apply (README, "Grading with nbgrader").

``autograde`` calls nbgrader's own ``NbGraderAPI.autograde`` for each
submission in submitted/*/LESSON/, shows a progress bar, says clearly which
submissions could not be graded, and writes grades/LESSON.csv with one row
per submission: its status (graded, flagged or failed), score and a note.

The guard. Students' code runs in the same kernel as the hidden tests that
follow it, so it could replace the checks (``ex.grade_function = lambda *a,
**k: None``) or what they compare with. ``GuardChecks`` is an nbgrader
preprocessor, run by the autograder after nbgrader has restored the locked
and test cells: it reads every code cell that is not the instructor's own
(answer cells, edited or added cells) and does not run a cell that

* imports a module outside a short list (numpy, scipy, pandas, ...),
* uses reflection or code execution (``setattr``, ``getattr``, ``vars``,
  ``globals``, ``exec``, ``eval``, ``__import__``, ``open``, IPython
  magics and shell commands), or anything named ``_private``/``__dunder__``,
* writes a file (``savefig``, ``to_csv``, ``np.save``, ...): a file written
  next to the notebook could be imported by a later cell,
* assigns or deletes an attribute (``ex.grade_value = ...``,
  ``np.allclose = ...``), or an item of something other than a plain variable,
* rebinds a name that the instructor's cells read (``ex``, ``np``,
  ``effects``, a check's reference function, a builtin they call).

Such a cell is replaced by a comment saying why, followed by ``raise``; the
rest of the submission is graded as usual, so a student keeps the points of
honest answers and the instructor sees the submission as "flagged". This is
a screen, not a sandbox (see the README for its limits).
"""
from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import re
import shutil
import symtable
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from utils.build_lessons import SOLUTIONS, tidy_solution

ROOT = Path(__file__).resolve().parent.parent
CONFIG_TEMPLATE = Path(__file__).resolve().parent / "nbgrader_config.py"
GUARD_KEY = "grading_guard"  # notebook metadata listing the cells the guard did not run

# --------------------------------------------------------------------------
# The screen: what an answer cell may not do
# --------------------------------------------------------------------------
ALLOWED_MODULES = frozenset({
    "numpy", "scipy", "pandas", "matplotlib", "statsmodels", "utils",
    "math", "cmath", "statistics", "random", "itertools", "functools", "collections",
    "fractions", "decimal", "dataclasses", "typing", "re", "string", "warnings", "sys",
})
ONLY_ATTRIBUTES = {"sys": frozenset({"exit"})}  # modules of which only these names may be used
FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "compile", "__import__", "getattr", "setattr", "delattr", "vars", "globals",
    "locals", "open", "breakpoint", "input", "memoryview", "get_ipython", "__builtins__",
})
FORBIDDEN_ATTRIBUTES = frozenset({  # public names that lead to frames, raw memory or unpickling
    "f_back", "f_globals", "f_locals", "f_builtins", "f_code", "gi_frame", "cr_frame", "ag_frame",
    "tb_frame", "tb_next", "ctypeslib", "read_pickle", "allow_pickle",
})
FILE_WRITERS = frozenset({  # what the allowed libraries write files with; answers need none
    "savefig", "imsave", "save", "savez", "savez_compressed", "savetxt", "tofile", "dump", "memmap",
    "open_memmap", "to_csv", "to_excel", "to_json", "to_parquet", "to_pickle", "to_feather", "to_hdf",
    "to_stata", "to_sql", "to_xml", "to_orc", "to_clipboard", "to_latex", "to_markdown", "to_html",
    "ExcelWriter", "HDFStore", "PdfPages", "savemat", "mmwrite", "write", "read_hdf",
})
MUTATING_METHODS = frozenset({"append", "extend", "insert", "update", "setdefault", "pop", "popitem",
                              "clear", "remove", "add", "discard"})


def _python(source: str) -> str:
    """The plain Python that IPython runs for a cell (magics become get_ipython() calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _dotted(node: ast.AST) -> str:
    """``a.b.c`` for an attribute chain (best effort, for messages)."""
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every expression node
        return "an expression"


def _imports(tree: ast.AST) -> set[tuple[str, str]]:
    """(name bound, what it is bound to) for every import in ``tree``."""
    pairs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                pairs.add((alias.asname, alias.name) if alias.asname else
                          (alias.name.split(".")[0], alias.name.split(".")[0]))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                pairs.add((alias.asname or alias.name, f"{node.module}.{alias.name}"))
    return pairs


def _scopes(table: symtable.SymbolTable):
    yield table
    for child in table.get_children():
        yield from _scopes(child)


def notebook_names(source: str) -> tuple[set[str], set[str]]:
    """(bound, read): the names a cell binds in, and reads from, the notebook's namespace.

    Uses Python's own scope analysis (``symtable``): top-level assignments,
    definitions, imports and deletions, ``global`` statements in functions,
    and every global name read at the top level or inside a function, class
    or comprehension that the cell does not bind itself.
    """
    try:
        top = symtable.symtable(_python(source), "<cell>", "exec")
    except SyntaxError:
        return set(), set()
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    read = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    for scope in list(_scopes(top))[1:]:
        for symbol in scope.get_symbols():
            if symbol.is_declared_global() and symbol.is_assigned():
                bound.add(symbol.get_name())
            elif symbol.is_global():
                read.add(symbol.get_name())
    return bound, read - bound


def screen(source: str, protected=frozenset(), instructor_imports=frozenset()) -> list[str]:
    """Why a student's code cell must not run under the autograder (empty: it may run).

    ``protected``: names the instructor's cells read from the notebook;
    ``instructor_imports``: (name, module) pairs the instructor's cells
    import, which a student may import again under the same name.
    """
    code = _python(source)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        try:  # IPython also runs cells with `await` at the top level, which ast.parse rejects
            compile(code, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except SyntaxError:
            return []  # not Python at all: the cell fails on its own when it runs
        return ["uses await outside a function (answers need no asynchronous code)"]
    problems: list[str] = []

    def flag(node, reason):
        problems.append(f"line {getattr(node, 'lineno', '?')}: {reason}")

    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    restricted = {}  # names bound to a module of which only some attributes may be used
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                parts = module.split(".")
                if parts[0] not in ALLOWED_MODULES or FORBIDDEN_ATTRIBUTES.intersection(parts):
                    flag(node, f"imports {module or 'a relative module'} (answers may import only "
                               f"{', '.join(sorted(ALLOWED_MODULES - {'sys'}))})")
            for alias in node.names:
                if alias.name == "*":
                    flag(node, "imports * (import the names you need one by one)")
                elif isinstance(node, ast.ImportFrom) and node.module in ONLY_ATTRIBUTES:
                    if alias.name not in ONLY_ATTRIBUTES[node.module]:
                        flag(node, f"imports {alias.name} from {node.module}")
                elif isinstance(node, ast.ImportFrom) and (alias.name.startswith("_") or alias.name
                                                           in FORBIDDEN_ATTRIBUTES | FILE_WRITERS):
                    flag(node, f"imports {alias.name} from {node.module}")
                elif isinstance(node, ast.Import) and alias.name in ONLY_ATTRIBUTES:
                    restricted[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            what = "an IPython magic or shell command" if node.id == "get_ipython" else node.id
            flag(node, f"uses {what}")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                flag(node, f"reaches into {_dotted(node)} (a private or special attribute)")
            elif node.attr in FORBIDDEN_ATTRIBUTES:
                flag(node, f"uses {_dotted(node)}")
            elif node.attr in FILE_WRITERS:
                flag(node, f"writes a file ({_dotted(node)}); answers need none")
            elif isinstance(node.ctx, (ast.Store, ast.Del)):
                flag(node, f"changes the attribute {_dotted(node)}")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if not isinstance(node.value, ast.Name):
                flag(node, f"changes an item of {_dotted(node.value)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in MUTATING_METHODS and not isinstance(node.func.value, ast.Name):
                flag(node, f"changes {_dotted(node.func.value)} in place (.{node.func.attr})")
        elif isinstance(node, ast.keyword) and node.arg in FORBIDDEN_ATTRIBUTES:
            flag(node, f"uses {node.arg}=")
    for node in ast.walk(tree):  # a restricted module may be used only as module.allowed_name
        if isinstance(node, ast.Name) and node.id in restricted and not isinstance(node.ctx, ast.Store):
            parent = parents.get(node)
            allowed = ONLY_ATTRIBUTES[restricted[node.id]]
            if not (isinstance(parent, ast.Attribute) and parent.attr in allowed):
                flag(node, f"uses {restricted[node.id]} beyond {', '.join(sorted(allowed))}")
    bound, _ = notebook_names(source)
    reimported = {name for name, target in _imports(tree) if (name, target) in instructor_imports}
    for name in sorted((bound & set(protected)) - reimported):
        problems.append(f"redefines {name}, which the course's own cells use")
    return problems


# --------------------------------------------------------------------------
# The nbgrader preprocessor
# --------------------------------------------------------------------------
def _is_solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def code_only(source: str) -> str:
    """A cell's source without its leading comment and blank lines (which never run).

    So that a test cell nbgrader put back after a student deleted it (it
    adds a comment line on top) is recognised as the instructor's.
    """
    lines = source.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    return "\n".join(lines)


def instructor_context(instructor_nb) -> tuple[set[str], frozenset, set]:
    """(trusted cell sources, protected names, instructor imports) of an instructor notebook.

    Trusted sources are compared with ``code_only`` applied to both sides.

    Protected: every name the instructor's non-answer cells read from the
    notebook (the checks' helpers, ``ex``, ``np``, builtins they call),
    except the names the answers define (``sample_sd``, ``answer_3``, ...).
    """
    code = [c for c in instructor_nb.cells if c.cell_type == "code"]
    trusted = {code_only(c.source) for c in code}
    read, answers, imports = set(), set(), set()
    for cell in code:
        bound, reads = notebook_names(cell.source)
        if _is_solution(cell):
            answers |= bound
        else:
            read |= reads
        try:
            imports |= _imports(ast.parse(_python(cell.source)))
        except SyntaxError:
            pass
    return trusted, frozenset(read - answers), imports


def disable(source: str, problems: list[str]) -> str:
    """The cell the autograder runs instead of one the guard refused: a comment and a raise."""
    reasons = "; ".join(" ".join(problem.split()) for problem in problems)  # one comment line, whatever they say
    lines = ["# The autograder did not run this cell. It " + reasons + ".",
             "# Answers may compute and define their own names, but not change the course's checks",
             "# or what they use. The cell as submitted:"]
    lines += ["#   " + line for line in source.splitlines()]
    lines.append("raise RuntimeError('This cell was not run by the autograder (see the comment above).')")
    return "\n".join(lines)


class GuardChecks(NbGraderPreprocessor):
    """Do not run code cells that tamper with the checks (see the module docstring).

    Runs in ``Autograde.sanitize_preprocessors`` after ``OverwriteCells``.
    The instructor's notebook is source/<assignment>/<notebook>.ipynb of the
    course directory; cells identical to one of its cells (leading comments
    aside) are trusted.
    It also deletes files the student added to the assignment folder
    (``remove_foreign_files``). What it did is recorded in the notebook's
    metadata under ``grading_guard`` (read by ``autograde_class`` for the CSV).
    """

    def _folder(self, resources, kind: str) -> Path:
        """The assignment's folder in source/ (``kind="source"``) or in autograded/."""
        node = self
        while node is not None and not hasattr(node, "coursedir"):
            node = getattr(node, "parent", None)
        if node is not None:
            coursedir = node.coursedir
        else:
            from nbgrader.coursedir import CourseDirectory
            coursedir = CourseDirectory(config=self.config)
        info = resources["nbgrader"]
        if kind == "source":
            return Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        return Path(coursedir.format_path(coursedir.autograded_directory, info["student"], info["assignment"]))

    def remove_foreign_files(self, resources) -> list[str]:
        """Delete the files a student added next to the notebook (e.g. numpy.py,
        ipykernel_launcher.py or ipython_kernel_config.py, which the grading
        kernel would import or read from its working folder); return their names.

        nbgrader copies everything submitted into autograded/, then the
        course's own files over it; only the latter are kept.
        """
        source, graded = self._folder(resources, "source"), self._folder(resources, "autograded")
        removed = []
        for path in sorted(graded.rglob("*"), reverse=True):
            relative = path.relative_to(graded)
            if path.is_dir() or path.suffix == ".ipynb" or path.name == "timestamp.txt":
                continue
            if not (source / relative).is_file():
                path.unlink()
                removed.append(str(relative))
        return sorted(removed)

    def preprocess(self, nb, resources):
        source = self._folder(resources, "source") / f"{resources['nbgrader']['notebook']}.ipynb"
        trusted, protected, imports = instructor_context(nbformat.read(source, as_version=4))
        refused = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or code_only(cell.source) in trusted:
                continue
            problems = screen(cell.source, protected, imports)
            if problems:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                self.log.warning("Not running cell %d (%s): %s", index, grade_id or "unmarked", "; ".join(problems))
                refused.append({"cell": index, "grade_id": grade_id, "problems": problems})
                cell.source = disable(cell.source, problems)
        removed = self.remove_foreign_files(resources)
        if removed:
            self.log.warning("Removed files that are not the course's: %s", ", ".join(removed))
        nb.metadata[GUARD_KEY] = {"refused_cells": refused, "removed_files": removed}
        return nb, resources


# --------------------------------------------------------------------------
# A course directory
# --------------------------------------------------------------------------
def lesson_names(prefixes=()) -> list[str]:
    """The lessons in solutions/ whose names start with one of ``prefixes`` (all if none)."""
    names = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))
    chosen = [n for n in names if not prefixes or n.startswith(tuple(prefixes))]
    missing = [p for p in prefixes if not any(n.startswith(p) for n in names)]
    if missing:
        raise ValueError(f"lessons: no lesson in solutions/ starts with {missing[0]!r} (there are {names})")
    return chosen


def _copy_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))


def init_course(course_dir, lessons=()) -> list[str]:
    """Make (or refresh) an nbgrader course directory; return the lessons placed in source/."""
    course = Path(course_dir)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG_TEMPLATE, course / "nbgrader_config.py")
    _copy_tree(ROOT / "utils", course / "utils")  # for the configuration and the guard
    names = lesson_names(lessons)
    for name in names:
        folder = course / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(SOLUTIONS / f"{name}.ipynb", as_version=4)
        nbformat.write(tidy_solution(nb, name), folder / f"{name}.ipynb")  # metadata from content, as the build
        _copy_tree(ROOT / "utils", folder / "utils")
        _copy_tree(ROOT / "data", folder / "data")
    return names


# --------------------------------------------------------------------------
# Grading a class
# --------------------------------------------------------------------------
@dataclass
class Graded:
    """One row of grades/<lesson>.csv."""

    student: str
    lesson: str
    status: str  # "graded", "flagged" (some cells were not run) or "failed" (not graded)
    score: float
    max_score: float
    note: str = ""


def load_config(course_dir):
    """The course directory's nbgrader configuration, with its root set to the directory."""
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(course_dir).resolve()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return config


def _failure_reason(result: dict) -> str:
    """One line saying why nbgrader could not grade a submission."""
    text = "\n".join(filter(None, [result.get("error", ""), result.get("log", "")]))
    if "NotJSONError" in text or "does not appear to be JSON" in text:
        return "not a valid notebook: the file is not JSON (re-save it in JupyterLab and submit again)"
    if "ValidationError" in text:
        return "not a valid notebook: it does not follow the notebook format"
    errors = [line.strip() for line in text.splitlines() if re.match(r"\s*[\w.]+(Error|Exception): ", line)]
    return (errors[-1] if errors else "nbgrader could not grade it (see its log)")[:300]


def _notes(notebook: Path) -> tuple[bool, str]:
    """(did the guard act?, what happened) for an autograded notebook."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return False, ""
    guard = nb.metadata.get(GUARD_KEY, {})
    refused, removed = guard.get("refused_cells", []), guard.get("removed_files", [])
    events = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if output.get("ename") in ("CellTimeoutError", "KeyboardInterrupt"):
                events.add("a cell ran past the time limit and was stopped")
            elif output.get("ename") == "SystemExit":
                events.add("a cell called sys.exit")
    notes = [f"cell {r['cell']} not run: {'; '.join(r['problems'])}" for r in refused]
    if removed:
        notes.append("files not from the course removed before grading: " + ", ".join(removed))
    return bool(refused or removed), " | ".join(notes + sorted(events))


def autograde_class(course_dir, lesson: str, students=None, config=None, progress: bool = True) -> list[Graded]:
    """Autograde every submission of ``lesson`` with nbgrader; write grades/<lesson>.csv.

    ``students``: ids to grade (default: every folder submitted/<id>/<lesson>/).
    ``config``: an nbgrader Config to use instead of the directory's own.
    Returns one ``Graded`` per submission, in the order of the CSV.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI
    from tqdm.auto import tqdm

    course = Path(course_dir).resolve()
    config = config if config is not None else load_config(course)
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy chatter
    api = NbGraderAPI(config=config)
    if students is None:
        students = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{lesson}") if p.is_dir())
    results = {}
    for student in tqdm(students, desc=f"autograde {lesson}", unit="submission", disable=not progress):
        results[student] = api.autograde(lesson, student, force=True, create=True)
        if not results[student]["success"]:
            tqdm.write(f"FAILED {student}/{lesson}: {_failure_reason(results[student])}")
    rows = []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        max_score = gradebook.find_assignment(lesson).max_score
        for student in students:
            try:
                score = gradebook.find_submission(lesson, student).score
            except MissingEntry:
                score = 0.0
            notebook = course / "autograded" / student / lesson / f"{lesson}.ipynb"
            guarded, note = _notes(notebook)
            if not results[student]["success"]:
                status, note = "failed", _failure_reason(results[student])
            else:
                status = "flagged" if guarded else "graded"
            rows.append(Graded(student, lesson, status, float(score), float(max_score), note))
    out = course / "grades" / f"{lesson}.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "lesson", "status", "score", "max_score", "note"])
        for row in rows:
            writer.writerow([row.student, row.lesson, row.status, f"{row.score:g}", f"{row.max_score:g}", row.note])
    return rows


def file_hashes(folder) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (to show that grading leaves submissions alone)."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.grading", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="make an nbgrader course directory from solutions/")
    init.add_argument("course_dir")
    init.add_argument("lessons", nargs="*", help="lesson names or prefixes (default: all)")
    grade = commands.add_parser("autograde", help="autograde every submission of a lesson")
    grade.add_argument("course_dir")
    grade.add_argument("lesson")
    grade.add_argument("--student", action="append", help="grade only this student (repeatable)")
    grade.add_argument("--timeout", type=int, help="seconds a cell may run (default: the configuration's)")
    args = parser.parse_args(argv)
    if args.command == "init":
        names = init_course(args.course_dir, args.lessons)
        print(f"{args.course_dir}: nbgrader_config.py and source/ for " + ", ".join(names))
        return 0
    config = load_config(args.course_dir)
    if args.timeout:
        config.Execute.timeout = args.timeout
    rows = autograde_class(args.course_dir, args.lesson, students=args.student, config=config)
    counts = {s: sum(r.status == s for r in rows) for s in ("graded", "flagged", "failed")}
    print(f"{len(rows)} submissions of {args.lesson}: " + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f". Grades: {Path(args.course_dir) / 'grades' / (args.lesson + '.csv')}")
    for row in rows:
        if row.status != "graded":
            print(f"  {row.status.upper():8} {row.student}: {row.note}")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
