"""Every public function and class of ``utils`` documents itself in numpydoc form.

The rule, for each module ``utils/*.py`` (the ``utils/exercises`` package is
not included):

* every public name (no leading underscore) that is a function or class
  *defined in that module* has its own docstring;
* a function that takes parameters has a ``Parameters`` section, and one that
  returns a value (a ``return <value>`` in its own body) has a ``Returns``
  (or ``Yields``) section;
* a class whose constructor takes parameters has a ``Parameters`` or, for a
  result type, an ``Attributes`` section.

Methods and private helpers are not checked. Deliberate exceptions are listed
in ``EXCEPTIONS`` with the reason.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap

import pytest

import utils

# (module, name) -> why it is exempt from the rule
EXCEPTIONS: dict[tuple[str, str], str] = {}

SECTION = r"^{}\n-{{3,}}\s*$"


def _has_section(doc: str, *names: str) -> bool:
    return any(re.search(SECTION.format(name), doc, re.M) for name in names)


def _modules():
    for info in pkgutil.iter_modules(utils.__path__):
        if not info.ispkg:
            yield importlib.import_module(f"utils.{info.name}")


def _public_objects():
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", None) != module.__name__:
                continue          # imported from elsewhere: checked where it is defined
            yield module.__name__.removeprefix("utils."), name, obj


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


def test_the_rule_covers_the_package():
    """The scan finds the modules and names it is meant to check (so the test can fail)."""
    found = {(m, n) for m, n, _ in PUBLIC}
    for expected in [("effects", "hedges_g"), ("meta", "random_effects"), ("pharmacology", "occupancy"),
                     ("fmri", "GLMResult"), ("plots", "forest"), ("validation", "check_effects")]:
        assert expected in found
    assert not any(m.startswith("exercises") for m, _ in found)


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
