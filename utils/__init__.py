"""The course's helper package: small, flat, one module per idea.

=================  ==============================================================
module             holds
=================  ==============================================================
effects            Hedges' g and its variance; conversions from t, F and CIs
meta               random-effects pooling, three-level model, aggregation,
                   meta-regression: the public functions and their results
meta_engine        the mixed model behind meta: likelihood, Fisher scoring,
                   block algebra (not for notebooks)
meta_regression    meta.regression and its result
design             moderators into a design matrix (meta-regression)
report             how every result prints: text, HTML, to_frame, Test
influence          leave-one-out diagnostics, Baujat and GOSH data
robust             cluster-robust (CR2) inference for a pooled estimate
bias               Egger's regression test, PET-PEESE (and trim-and-fill)
trimfill           trim-and-fill (bias.trim_and_fill)
selection          the step-function selection model (bias.selection_model)
power              power of a study and of a meta-analysis; sample size
plots              forest, funnel, bubble, power, Baujat and GOSH plots
pharmacology       naltrexone mu-opioid receptor blockade over dose and time
fmri               HRF, design matrix, first-level GLM, the simulated trial
simulate           seeded simulations of the trials (always labelled "simulated")
exercises          answer checks and feedback widgets
explorer           controls that redraw a figure (the lessons' explorers)
data               loaders that validate each CSV in data/
validation         the input checks every function above shares
=================  ==============================================================

Modules are loaded on first use (``from utils import meta``), so importing
the package itself is instant.
"""
import importlib

__all__ = [
    "effects", "meta", "meta_engine", "meta_regression", "design", "report", "influence", "robust", "bias",
    "trimfill", "selection", "power", "plots", "pharmacology", "fmri", "simulate", "exercises", "explorer",
    "data", "validation",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
