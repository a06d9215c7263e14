"""The course's helper package.

What a lesson uses (each module's ``__all__``, listed in docs/api.md):
``data``, ``effects``, ``meta``, ``bias``, ``power``, ``plots``, ``simulate``,
``pharmacology``, ``fmri``, ``explorer``, ``captions``, and ``exercises`` (the
checks). ``meta`` and ``bias`` are packages whose code lives in private
modules (leading underscore); ``lazy`` and ``validation`` are plumbing.

Modules are loaded on first use (``from utils import meta``), so importing
the package itself is instant.
"""
import importlib

__all__ = [
    "data", "effects", "meta", "bias", "power", "plots", "simulate", "pharmacology", "fmri", "explorer",
    "captions", "exercises", "lazy", "validation",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
