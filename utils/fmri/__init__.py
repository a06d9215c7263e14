"""From BOLD signal to a group result: the HRF, a design matrix, a first-level
GLM, and the simulated naltrexone fMRI trial.

=============================  ===============================================
function                       does
=============================  ===============================================
*_hrf.py: the HRF and the design*
``hrf``                        the canonical haemodynamic response (nilearn's
                               SPM or Glover HRF), sampled on a time grid
``alternating_events``         an events table: "close_other" and "stranger"
                               pictures taking turns (a block or event design)
``design_matrix``              nilearn's ``make_first_level_design_matrix``
                               with checked input
*_glm.py: the first-level GLM*
``fit_glm``                    ordinary least squares for one time series;
                               ``GLMResult.contrast`` gives effect, SE and t
``simulate_vs_timeseries``     a SIMULATED ventral striatum time series
*_trials.py: the group trial*
``simulate_group_trial``       a SIMULATED 2 (drug) x 2 (target) trial, tidy
``participant_table``          one row per participant (wide), for analyses
*_correlation.py: Fisher z*
``fisher_z_compare``           compare two independent correlations
``correlation_difference_power``  power of that comparison
*_roi.py: a region of interest*
``sphere_roi`` / ``mni_template``  a spherical region on nilearn's MNI template
=============================  ===============================================

nilearn supplies the HRFs, the design matrices and the MNI152 template (a
file inside the nilearn package: nothing is downloaded). nilearn is imported
inside the functions that need it, because importing it takes about a second.

The group simulation reproduces the *pattern* reported for the trial (Inagaki
et al. 2020, J Exp Psychol Gen 149:732-745; N = 80, 40 naltrexone, 40 placebo,
one 50 mg dose, scan about 1 h later): naltrexone lowers left ventral striatum
(VS) activity to close others but not to strangers, the connection-VS
correlation seen under placebo is absent under naltrexone, and the drug effect
survives adjustment for physical symptoms. The papers' correlations and
symptom scores are not reported in the sources we have, so every default
below that is not cited is illustrative, and the output is labelled
"simulated".
"""
from __future__ import annotations

from ._correlation import FisherZResult, correlation_difference_power, fisher_z_compare
from ._glm import ContrastResult, GLMResult, fit_glm, simulate_vs_timeseries
from ._hrf import CONDITIONS, alternating_events, design_matrix, hrf
from ._roi import LEFT_VS_APPROX_MNI, mni_template, sphere_roi
from ._trials import participant_table, simulate_group_trial

__all__ = [
    "CONDITIONS", "LEFT_VS_APPROX_MNI",
    "hrf", "alternating_events", "design_matrix",                      # _hrf.py
    "ContrastResult", "GLMResult", "fit_glm", "simulate_vs_timeseries",  # _glm.py
    "simulate_group_trial", "participant_table",                       # _trials.py
    "FisherZResult", "fisher_z_compare", "correlation_difference_power",  # _correlation.py
    "mni_template", "sphere_roi",                                      # _roi.py
]


def __dir__():
    return sorted(__all__)
