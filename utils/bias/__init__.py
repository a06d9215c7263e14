"""Small-study effects and publication bias: Egger's test, trim-and-fill, PET-PEESE
and the step-function selection model.

``egger(yi, vi)``
    Egger's regression test as metafor's ``regtest()`` does it by default
    (``model = "rma"``, ``predictor = "sei"``): the meta-regression
    ``yi = b0 + b1 * sqrt(vi)`` fitted with the same method as the meta-analysis.
    ``b1`` is the test of funnel asymmetry and ``b0``, the predicted effect of a
    study with standard error 0, is the "limit estimate".
    With ``study`` (and optionally ``outcome``) the same regression is fitted in
    the three-level model, as ``rma.mv(yi, vi, mods = ~ sqrt(vi),
    random = ~ 1 | study/outcome)``: the multilevel Egger test used by
    Loseth, Trostheim & Leknes (2024, Transl Psychiatry 14:379).
``trim_and_fill(yi, vi)``
    Duval & Tweedie's (2000, Biometrics 56:455-463) trim-and-fill, step for
    step as metafor's ``trimfill.rma.uni()`` (metafor 3.8-1).

``pet_peese(yi, vi)``
    PET, PEESE and the conditional PET-PEESE estimate (Stanley & Doucouliagos
    2014), as two metafor meta-regressions.
``selection_model(yi, vi, steps)``
    The Vevea-Hedges step-function selection model, metafor's ``selmodel``.

Egger, trim-and-fill and PET-PEESE fit their models with :mod:`utils.meta`.
This file is the public face; the code is in private modules: ``_small_study``
(Egger, PET-PEESE), ``_trimfill`` and ``_selection_model`` (its likelihood).
"""
from ._selection_model import SelectionModelResult, selection_model
from ._small_study import EggerResult, InterceptFit, PetPeeseResult, egger, pet_peese
from ._trimfill import TrimFillResult, funnel_side, k0_estimate, round_k0, signed_ranks, trim_and_fill, trim_iterations

__all__ = ["egger", "pet_peese", "selection_model", "trim_and_fill", "funnel_side", "signed_ranks", "k0_estimate",
           "round_k0", "trim_iterations", "EggerResult", "PetPeeseResult", "InterceptFit", "TrimFillResult",
           "SelectionModelResult"]


def __dir__():
    return sorted(__all__)
