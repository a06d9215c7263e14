"""Meta-analysis models, reproducing R's metafor (Viechtbauer 2010, J Stat Softw 36(3)).

=======================  ===================================================
function                 metafor equivalent
=======================  ===================================================
``random_effects``       ``rma(yi, vi, method=, test=)``: DL, REML, PM, ML
                         (and FE); z or Knapp-Hartung (``"knha"``) tests
``fixed_effect``         ``rma(yi, vi, method = "FE")``
``prediction_interval``  ``predict(fit)`` (z) or ``predict(fit, pi.type = "riley")``
                         (t on k - 2 df)
``three_level``          ``rma.mv(yi, vi, random = ~ 1 | study/outcome)``
``regression``           ``rma(yi, vi, mods = ...)`` and ``rma.mv(..., mods = ...)``
``aggregate``            ``aggregate(escalc, cluster, struct = "CS", rho = )``
``influence``            ``influence(rma(...))``
``baujat``, ``gosh``     ``baujat(rma(...))``, ``gosh(rma(...))``
``robust``               ``robust(fit, cluster, clubSandwich = TRUE)``
=======================  ===================================================

This file is the public face: the functions above and their result classes.
Behind it, private modules: ``_pooled`` (random-effects, fixed-effect and
three-level models, aggregation), ``_regression`` (meta-regression),
``_design`` (the moderators' design matrix), ``_engine`` (the likelihood,
Fisher scoring and the block algebra), ``_influence`` (case diagnostics) and
``_robust`` (cluster-robust tests). The printing shared by every result is in
``utils/_printing.py``.

References
----------
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    J Stat Softw 36(3).
Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators
    in the random-effects model. J Educ Behav Stat 30:261-293 (REML).
DerSimonian R, Laird N (1986). Control Clin Trials 7:177-188 (DL).
Paule RC, Mandel J (1982). J Res Natl Bur Stand 87:377-385 (PM).
Knapp G, Hartung J (2003). Stat Med 22:2693-2710 (the "knha" test).
Higgins JPT, Thompson SG (2002). Stat Med 21:1539-1558 (I^2, H^2).
Konstantopoulos S (2011). Fixed effects and variance components estimation in
    three-level meta-analysis. Res Synth Methods 2:61-76.
"""
from .._printing import Estimate
from ._influence import baujat, gosh, influence
from ._pooled import (RandomEffectsResult, ThreeLevelResult, aggregate, fixed_effect, prediction_interval,
                      random_effects, three_level)
from ._regression import RegressionResult, regression
from ._robust import RobustResult, robust

__all__ = ["random_effects", "fixed_effect", "prediction_interval", "three_level", "regression", "aggregate",
           "influence", "baujat", "gosh", "robust", "Estimate", "RandomEffectsResult", "ThreeLevelResult",
           "RegressionResult", "RobustResult"]


def __dir__():
    return sorted(__all__)
