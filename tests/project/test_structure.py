"""The package's shape, as a newcomer meets it: utils/ (what learners get)
never depends on instructor/ (the build and the grader), a released
assignment carries no grading code, and no module grows past about 500 lines of code (docstrings, which
the package keeps long on purpose, with every formula and its source, are not counted)."""
import ast
import json

import pytest

from conftest import ROOT
from instructor.grading import course

MAX_LINES = 520         # "about 500": a module that grows past this is split by idea


def _python_files(folder):
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def _imported_modules(path):
    """Every module an ``import`` or ``from ... import`` in the file names (relative ones resolved)."""
    return _imported_modules_of(path, ROOT)


def test_the_import_graph_checker_sees_imports_anywhere_in_a_file():
    source = ROOT / "utils" / "plots.py"
    assert "utils.validation" in _imported_modules(source)   # from .validation import ..., at the top
    assert "utils" in _imported_modules(source)        # from . import meta, inside a function


def _module_name(path, root):
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root, package="utils"):
    """Module -> the modules of ``package`` it imports: absolute and relative imports, anywhere in the file
    (inside functions too). ``from . import meta`` counts as importing ``utils.meta``, and importing
    ``utils.meta._engine`` from outside ``utils.meta`` counts as importing ``utils.meta`` too (its
    ``__init__`` runs first)."""
    paths = {_module_name(p, root): p for p in (root / package).rglob("*.py") if "__pycache__" not in p.parts}
    graph = {}
    for name, path in paths.items():
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = own_package.rsplit(".", node.level - 1)[0] if node.level else ""
                base = ".".join(p for p in (base, node.module or "") if p)
                targets.update(f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names)
        edges = set()
        for target in targets:
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                ancestor = ".".join(parts[:depth])
                inside = name == ancestor or name.startswith(ancestor + ".")
                if ancestor in paths and ancestor != name and (depth == len(parts) or not inside):
                    edges.add(ancestor)
        graph[name] = edges
    return graph


def import_cycles(graph):
    """Every cycle of the graph, each as a list of modules (found by depth-first search, each cycle once)."""
    cycles, seen, done = [], set(), set()

    def visit(module, path):
        if module in path:
            cycle = path[path.index(module):]
            key = frozenset(cycle)
            if key not in seen:
                seen.add(key)
                cycles.append(cycle + [module])
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, path + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return cycles


def test_the_modules_of_utils_import_each_other_without_a_cycle():
    cycles = import_cycles(import_graph(ROOT))
    assert not cycles, "import cycles in utils/: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_cycle_check_finds_a_cycle_through_a_function_level_relative_import(tmp_path):
    (tmp_path / "utils" / "meta").mkdir(parents=True)
    (tmp_path / "utils" / "__init__.py").write_text("")
    (tmp_path / "utils" / "meta" / "__init__.py").write_text("from ._engine import fit\n")
    (tmp_path / "utils" / "meta" / "_engine.py").write_text("def fit():\n    from .. import bias\n")
    (tmp_path / "utils" / "bias.py").write_text("from .meta._engine import fit\n")
    graph = import_graph(tmp_path)
    assert graph["utils.bias"] == {"utils.meta", "utils.meta._engine"}
    assert graph["utils.meta._engine"] == {"utils.bias"}
    assert import_cycles(graph) == [["utils.bias", "utils.meta", "utils.meta._engine", "utils.bias"]]
    (tmp_path / "utils" / "meta" / "_engine.py").write_text("def fit():\n    pass\n")
    assert import_cycles(import_graph(tmp_path)) == []


@pytest.mark.parametrize("path", _python_files("utils"), ids=lambda p: str(p.relative_to(ROOT)))
def test_utils_imports_nothing_from_instructor(path):
    bad = [name for name in _imported_modules(path) if name.split(".")[0] == "instructor"]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}: learners' helpers must not need instructor/"


@pytest.mark.parametrize("path", _python_files("utils") + _python_files("instructor"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_about_500_lines(path):
    lines = code_lines(path.read_text(encoding="utf-8"))
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines of code: split it by idea"


def code_lines(source: str) -> int:
    """Lines of a module that are not blank and not part of a docstring."""
    tree = ast.parse(source)
    docstring_lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                docstring_lines.update(range(first.lineno, first.end_lineno + 1))
    return sum(1 for number, line in enumerate(source.splitlines(), start=1)
               if line.strip() and number not in docstring_lines)


def test_code_lines_leave_out_docstrings_and_blank_lines():
    source = '"""Module.\n\nMore."""\n\n\ndef f():\n    """Doc."""\n    return 1\n'
    assert code_lines(source) == 2


def _hidden_cases(value):
    """Every spec case marked hidden, anywhere in a JSON spec."""
    if isinstance(value, dict):
        return ([value] if value.get("hidden") is True else []) + [c for v in value.values() for c in _hidden_cases(v)]
    if isinstance(value, list):
        return [c for v in value for c in _hidden_cases(v)]
    return []


def test_a_released_assignment_carries_no_grading_code(tmp_path):
    lesson = course.lesson_names(("06",))
    course.init_course(tmp_path, lesson)
    folder = tmp_path / "source" / lesson[0]
    released = folder / "utils"
    assert (released / "meta" / "__init__.py").is_file(), "the released folder has no utils/"
    assert not (folder / "instructor").exists()
    for path in released.rglob("*.py"):
        top = {name.split(".")[0] for name in _imported_modules_of(path, released.parent)}
        assert not top & {"instructor", "nbgrader"}, f"released {path.relative_to(folder)} imports {top}"
    specs = list(released.rglob("*.json"))
    assert specs, "the released utils/ has no exercise specs"
    for spec in specs:
        assert not _hidden_cases(json.loads(spec.read_text(encoding="utf-8"))), f"{spec.name} holds hidden cases"


def _imported_modules_of(path, root):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            names.append(".".join(p for p in (base, node.module or "") if p))
    return names
