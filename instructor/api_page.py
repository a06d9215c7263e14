"""Write docs/api.md, the learner-facing list of the helpers: module, name, signature, one-line summary.

    python -m instructor.api_page           # rewrite docs/api.md from the code
    python -m instructor.api_page --check   # exit 1 if docs/api.md differs from what the code gives

The page lists, for each module a lesson imports, the names in its ``__all__``
(the same names ``dir(module)`` shows) with the first paragraph of each
docstring. tests/project/test_api.py fails when the page is out of date.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "api.md"

# the modules a lesson imports, in the order a learner meets them
PUBLIC_MODULES = ("data", "effects", "simulate", "pharmacology", "fmri", "meta", "bias", "power", "plots",
                  "explorer", "captions")

HEADER = """# The helpers' API

What a lesson can call: for each module of `utils/` that the notebooks import (`from utils import meta`), the
names in its `__all__`, which are also all that `dir(module)` and tab completion show. Each entry gives the
signature and the first line of its docstring; `help(meta.random_effects)` (or `meta.random_effects?` in Jupyter)
shows the whole docstring, with parameters, returns and references. Generated from the code by
`python -m instructor.api_page`; do not edit by hand (`tests/project/test_api.py` checks that it is up to date).
"""


def summary(obj) -> str:
    """The first paragraph of ``obj``'s own docstring, on one line ("" if it has none)."""
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else inspect.getdoc(obj)
    paragraph = inspect.cleandoc(doc or "").split("\n\n")[0]
    return " ".join(paragraph.split())


def signature(name: str, obj) -> str:
    """``name(parameters) -> returns`` for a function, ``class name`` for a class, ``name`` for a constant."""
    if inspect.isclass(obj):
        return f"class {name}"
    if callable(obj):
        return f"{name}{_unquoted(inspect.signature(obj))}"
    return name


class _Annotation(str):
    """An annotation kept as written (``from __future__ import annotations`` makes it a string)."""

    def __repr__(self):
        return str(self)


def _unquoted(sig: inspect.Signature) -> inspect.Signature:
    """``sig`` with its string annotations shown without quotes: ``-> pd.DataFrame``, not ``-> 'pd.DataFrame'``."""
    def plain(annotation):
        return _Annotation(annotation) if isinstance(annotation, str) else annotation
    return sig.replace(parameters=[p.replace(annotation=plain(p.annotation)) for p in sig.parameters.values()],
                       return_annotation=plain(sig.return_annotation))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def module_section(module_name: str) -> str:
    """The page's section for ``utils.<module_name>``: its summary and a table of its ``__all__``."""
    module = importlib.import_module(f"utils.{module_name}")
    lines = [f"## `utils.{module_name}`", "", summary(module), "",
             "| name | signature | what it does |", "| --- | --- | --- |"]
    for name in module.__all__:
        obj = getattr(module, name)
        if callable(obj):
            what = summary(obj)
        else:
            what = f"constant ({type(obj).__name__})"
        lines.append(f"| `{name}` | `{_cell(signature(name, obj))}` | {_cell(what)} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The whole of docs/api.md."""
    return "\n".join([HEADER] + [module_section(name) for name in PUBLIC_MODULES])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/api.md from the code of utils/.")
    parser.add_argument("--check", action="store_true", help="only check that docs/api.md is up to date")
    args = parser.parse_args(argv)
    page = render()
    if args.check:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != page:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run python -m instructor.api_page", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
