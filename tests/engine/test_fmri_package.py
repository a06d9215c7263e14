"""utils.fmri is a package split by job; its public names are the ones learners used before the split."""
import importlib

from utils import fmri

JOBS = {"_hrf": {"CONDITIONS", "hrf", "alternating_events", "design_matrix"},
        "_glm": {"ContrastResult", "GLMResult", "fit_glm", "simulate_vs_timeseries"},
        "_trials": {"simulate_group_trial", "participant_table"},
        "_correlation": {"FisherZResult", "fisher_z_compare", "correlation_difference_power"},
        "_roi": {"LEFT_VS_APPROX_MNI", "mni_template", "sphere_roi"}}


def test_the_public_names_are_listed_and_shown_by_dir():
    assert set(fmri.__all__) == set().union(*JOBS.values())
    assert dir(fmri) == sorted(fmri.__all__)


def test_each_name_comes_from_the_module_of_its_job():
    for job, names in JOBS.items():
        module = importlib.import_module(f"utils.fmri.{job}")
        for name in names:
            assert getattr(fmri, name) is getattr(module, name), (job, name)
