"""The course's helper package: small, flat, one module per idea.

=============  ==============================================================
module         holds
=============  ==============================================================
effects        Hedges' g and its variance; conversions from t, F and CIs
meta           random-effects pooling, three-level model, aggregation,
               meta-regression
bias           Egger's regression test, trim-and-fill
power          power of a study and of a meta-analysis; sample size
plots          forest, funnel, bubble and power plots
pharmacology   naltrexone mu-opioid receptor blockade over dose and time
fmri           HRF, design matrix, first-level GLM, the simulated trial
simulate       seeded simulations of the trials (always labelled "simulated")
exercises      answer checks and feedback widgets
explorer       controls that redraw a figure (the lessons' explorers)
lazy           modules imported on first use (for set-up cells)
data           loaders that validate each CSV in data/
validation     the input checks every function above shares
=============  ==============================================================

Modules are loaded on first use (``from utils import meta``), so importing
the package itself is instant.
"""
import importlib

__all__ = [
    "effects", "meta", "bias", "power", "plots", "pharmacology", "fmri",
    "simulate", "exercises", "explorer", "lazy", "data", "validation",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
