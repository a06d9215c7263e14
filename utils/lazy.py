"""Modules imported on first use, for a lesson's set-up cell.

    from utils.lazy import lazy_import
    smf = lazy_import("statsmodels.formula.api")   # nothing imported yet
    smf.ols("y ~ x", data=df)                       # imported here, once

A set-up cell that imports every library of a lesson up front makes the
learner wait for all of them before anything happens. Some take long:
statsmodels' formula interface about 0.2 s and nilearn.plotting about 0.7 s
on a small CPU (tests/benchmarks/results.md), on top of numpy, pandas, scipy
and matplotlib. ``lazy_import`` returns a stand-in that imports the module
the first time one of its attributes is used; after that it only forwards.
The standard library's ``importlib.util.LazyLoader`` does the same inside
the import system; this stand-in is simpler and leaves ``sys.modules`` alone
until the real import.
"""
from __future__ import annotations

import importlib
import importlib.util


class LazyModule:
    """Stands for the module ``name``; imports it when an attribute is first asked for.

    Parameters
    ----------
    name : str
        The dotted name of the module, e.g. ``"statsmodels.formula.api"``.
    """

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def _load(self):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attribute: str):
        # called only for attributes not found on the stand-in itself; copy, pickle and IPython probe
        # dunder names, and a copy made without __init__ has no _name: none of these imports anything
        if attribute in ("_name", "_module") or (attribute.startswith("__") and attribute.endswith("__")):
            raise AttributeError(attribute)
        return getattr(self._load(), attribute)

    def __dir__(self):
        return dir(self._load())

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "imported on first use"
        return f"<module {self._name!r} ({state})>"


def lazy_import(name: str) -> LazyModule:
    """A stand-in for ``import name``, imported on first use (see the module docstring).

    Parameters
    ----------
    name : str
        The dotted name of the module, e.g. ``"statsmodels.formula.api"``.

    Returns
    -------
    LazyModule
        A stand-in that imports the module the first time one of its
        attributes is used.

    Raises
    ------
    ValueError
        If ``name`` is not a dotted module name.
    ModuleNotFoundError
        At once, if the top-level package is not installed (found without
        importing it), so a typo does not wait for the first use.
    """
    if not isinstance(name, str) or not name or any(not part.isidentifier() for part in name.split(".")):
        raise ValueError(f"name: a dotted module name such as 'statsmodels.formula.api' is needed, got {name!r}")
    top = name.split(".")[0]
    if importlib.util.find_spec(top) is None:
        raise ModuleNotFoundError(f"name: no module named {top!r} is installed (asked for {name!r})", name=top)
    return LazyModule(name)
