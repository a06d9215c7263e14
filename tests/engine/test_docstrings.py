"""Every name of the helpers' public API documents itself in numpydoc form.

The public API is each learner-facing module's ``__all__`` (the modules of
``instructor.api_page.PUBLIC_MODULES``; what ``dir()`` shows and docs/api.md
lists). For each function or class in it:

* it has its own docstring;
* a function that takes parameters has a ``Parameters`` section, and one that
  returns a value (a ``return <value>`` in its own body) has a ``Returns``
  (or ``Yields``) section;
* a class whose constructor takes parameters has a ``Parameters`` or, for a
  result type, an ``Attributes`` section.

Private modules (``utils/meta/_engine.py``, ``utils/_printing.py``, ...) and
names outside ``__all__`` need only a short docstring: they are read beside
their code, not through ``help()``. Deliberate exceptions are listed in
``EXCEPTIONS`` with the reason.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap

import pytest

from instructor.api_page import PUBLIC_MODULES

# (module, name) -> why it is exempt from the rule
EXCEPTIONS: dict[tuple[str, str], str] = {}

SECTION = r"^{}\n-{{3,}}\s*$"


def _has_section(doc: str, *names: str) -> bool:
    return any(re.search(SECTION.format(name), doc, re.M) for name in names)


def _public_objects():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(f"utils.{module_name}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield module_name, name, obj


PUBLIC = sorted(_public_objects(), key=lambda t: (t[0], t[1]))


def _parameters(obj) -> list[str]:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [p for p in signature.parameters if p not in ("self", "cls")]


def _returns_value(function) -> bool:
    """True when the function's own body (not a nested function) has ``return <value>``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = tree.body[0]
    stack = list(definition.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _problems(obj) -> list[str]:
    own = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    doc = inspect.cleandoc(own or "")
    if not doc:
        return ["no docstring"]
    problems = []
    if inspect.isclass(obj):
        if _parameters(obj) and not _has_section(doc, "Parameters", "Attributes"):
            problems.append("no Parameters or Attributes section")
    else:
        if _parameters(obj) and not _has_section(doc, "Parameters"):
            problems.append("no Parameters section")
        if _returns_value(obj) and not _has_section(doc, "Returns", "Yields"):
            problems.append("no Returns section")
    return problems


def test_the_rule_covers_the_public_api_and_only_it():
    """The scan finds the public names it is meant to check (so the test can fail), and no private one."""
    found = {(m, n) for m, n, _ in PUBLIC}
    for expected in [("effects", "hedges_g"), ("meta", "random_effects"), ("meta", "fixed_effect"),
                     ("meta", "influence"), ("bias", "trim_and_fill"), ("pharmacology", "occupancy"),
                     ("fmri", "GLMResult"), ("fmri", "fisher_z_compare"), ("plots", "forest"), ("explorer", "slider")]:
        assert expected in found
    assert not any(n.startswith("_") for _, n in found)
    assert not {("meta", "MixedModel"), ("meta", "infer"), ("bias", "one_blas_thread")} & found
    assert not any(m in ("validation", "lazy", "exercises", "_printing") for m, _ in found)


def test_the_checker_flags_a_missing_section():
    def undocumented(x):
        """Only a summary."""
        return x

    def documented(x):
        """Summary.

        Parameters
        ----------
        x : float
            A number.

        Returns
        -------
        float
        """
        return x

    assert _problems(undocumented) == ["no Parameters section", "no Returns section"]
    assert _problems(documented) == []


def test_exceptions_are_still_needed():
    """An exception must name an existing object that still breaks the rule: remove it once fixed."""
    objects = {(m, n): obj for m, n, obj in PUBLIC}
    missing = [key for key in EXCEPTIONS if key not in objects]
    assert not missing, f"EXCEPTIONS lists names that no longer exist: {missing}"
    fixed = [key for key in EXCEPTIONS if not _problems(objects[key])]
    assert not fixed, f"EXCEPTIONS lists names that now follow the rule; remove them: {fixed}"


CHECKED = [t for t in PUBLIC if (t[0], t[1]) not in EXCEPTIONS]


@pytest.mark.parametrize("module, name, obj", CHECKED, ids=[f"{m}.{n}" for m, n, _ in CHECKED])
def test_public_object_has_numpydoc_docstring(module, name, obj):
    problems = _problems(obj)
    assert not problems, f"utils.{module}.{name}: {'; '.join(problems)}"
