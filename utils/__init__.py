"""The course's helper package: small, flat, one module per idea.

=================  =======================================================
Modules are loaded on first use (``from utils import meta``), so importing
the package itself is instant.
"""
import importlib

__all__ = [
    "effects", "meta", "meta_engine", "meta_regression", "design", "report", "influence", "robust", "bias",
    "trimfill", "selection", "power", "plots", "pharmacology", "fmri", "simulate", "exercises", "explorer",
    "lazy", "data", "validation",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
