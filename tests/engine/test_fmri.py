"""utils.fmri: the HRF and design matrix (nilearn), the OLS GLM against R's lm()
and nilearn, Fisher's z against metafor (tests/fixtures/fmri.json, from
make_fmri_fixtures.R), the simulated trial, and the offline MNI template."""
import socket

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from engine_reference import fixture
from utils import fmri

FIXTURES = fixture("fmri")


# --------------------------------------------------------------------------- #
# HRF, events, design matrix
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("model", ["spm", "glover"])
def test_hrf_has_the_canonical_shape(model):
    times, values = fmri.hrf(tr=2.0, model=model)
    assert times.shape == values.shape
    assert times[1] - times[0] == pytest.approx(2.0 / 50)
    peak = times[np.argmax(values)]
    assert 4.0 < peak < 6.5                      # the response peaks about 5 s after a brief event
    assert values[times > 10].min() < 0          # followed by an undershoot
    assert 12 < times[np.argmin(values)] < 18
    assert values.sum() == pytest.approx(1.0)    # nilearn's scaling


def test_hrf_rejects_bad_input():
    with pytest.raises(ValueError, match="model"):
        fmri.hrf(model="boxcar")
    with pytest.raises(ValueError, match="tr"):
        fmri.hrf(tr=0)
    with pytest.raises(ValueError, match="oversampling"):
        fmri.hrf(oversampling=2.5)


def test_alternating_events():
    events = fmri.alternating_events(n_per_condition=3, duration=2, spacing=12, first_onset=6)
    assert list(events["trial_type"]) == ["close_other", "stranger"] * 3
    np.testing.assert_allclose(events["onset"], 6 + 12 * np.arange(6))
    assert (events["duration"] == 2).all()
    shuffled = fmri.alternating_events(n_per_condition=5, seed=3)
    assert shuffled["trial_type"].value_counts().to_dict() == {"close_other": 5, "stranger": 5}
    assert list(shuffled["trial_type"]) != ["close_other", "stranger"] * 5
    with pytest.raises(ValueError, match="duration"):
        fmri.alternating_events(duration=20, spacing=10)
    with pytest.raises(ValueError, match="n_per_condition"):
        fmri.alternating_events(n_per_condition=0)


def test_design_matrix_convolves_each_condition():
    events = fmri.alternating_events(n_per_condition=2, duration=1, spacing=40, first_onset=10)
    X = fmri.design_matrix(events, n_scans=160, tr=1.0, drift_model=None)
    assert list(X.columns) == ["close_other", "stranger", "constant"]
    # the close-other regressor rises after its first onset (10 s) and peaks about 5 s later
    first = X["close_other"].to_numpy()[:40]
    assert np.all(first[:10] == pytest.approx(0, abs=1e-12))
    assert 14 <= np.argmax(first) <= 17
    with_drift = fmri.design_matrix(events, n_scans=160, tr=1.0)
    assert any(c.startswith("drift") for c in with_drift.columns)


def test_design_matrix_rejects_bad_input():
    events = fmri.alternating_events(n_per_condition=2)
    with pytest.raises(ValueError, match="onset"):
        fmri.design_matrix(events, n_scans=20, tr=2.0)       # events after the end of the scan
    with pytest.raises(ValueError, match="events"):
        fmri.design_matrix(events.drop(columns="duration"), n_scans=200)
    with pytest.raises(ValueError, match="hrf_model"):
        fmri.design_matrix(events, n_scans=200, hrf_model="fir")
    with pytest.raises(ValueError, match="n_scans"):
        fmri.design_matrix(events, n_scans=1.5)


# --------------------------------------------------------------------------- #
# The GLM
# --------------------------------------------------------------------------- #

def test_fit_glm_matches_r_lm():
    ref = FIXTURES["glm"]
    X, y = np.array(ref["X"]), np.array(ref["y"])
    result = fmri.fit_glm(y, X)
    np.testing.assert_allclose(result.betas, ref["beta"], rtol=1e-10)
    assert result.residual_variance == pytest.approx(ref["sigma2"], rel=1e-10)
    assert result.df == ref["df"]
    c = result.contrast(ref["contrast"])
    assert c.effect == pytest.approx(ref["effect"], rel=1e-10)
    assert c.se == pytest.approx(ref["se"], rel=1e-10)
    assert c.t == pytest.approx(ref["t"], rel=1e-10)
    assert c.p == pytest.approx(ref["p"], rel=1e-8)


def test_fit_glm_matches_nilearn_ols():
    from nilearn.glm.first_level import run_glm

    events = fmri.alternating_events()
    X = fmri.design_matrix(events, n_scans=200, tr=2.0)
    y = fmri.simulate_vs_timeseries(X, {"close_other": 1.0, "stranger": 0.4}, noise_sd=0.8, seed=5)
    ours = fmri.fit_glm(y, X)
    labels, results = run_glm(y[:, None], X.to_numpy(), noise_model="ols")
    theirs = results[labels[0]]
    np.testing.assert_allclose(ours.betas, theirs.theta[:, 0], rtol=1e-8)
    c = np.zeros(X.shape[1])
    c[:2] = [1, -1]
    assert ours.contrast(c).t == pytest.approx(float(np.ravel(theirs.Tcontrast(c).t)[0]), rel=1e-8)


def test_fit_glm_recovers_amplitudes_without_noise():
    X = fmri.design_matrix(fmri.alternating_events(), n_scans=200, tr=2.0)
    y = fmri.simulate_vs_timeseries(X, {"close_other": 1.3, "stranger": 0.2, "constant": 100}, noise_sd=0)
    betas = fmri.fit_glm(y, X).betas
    assert betas["close_other"] == pytest.approx(1.3)
    assert betas["stranger"] == pytest.approx(0.2)
    assert betas["constant"] == pytest.approx(100)


def test_contrast_by_name_equals_contrast_by_vector():
    X = fmri.design_matrix(fmri.alternating_events(), n_scans=200, tr=2.0)
    y = fmri.simulate_vs_timeseries(X, {"close_other": 1.0, "stranger": 0.4}, noise_sd=1.0, seed=2)
    result = fmri.fit_glm(y, X)
    by_name = result.contrast({"close_other": 1, "stranger": -1})
    vector = np.zeros(X.shape[1])
    vector[:2] = [1, -1]
    assert by_name == pytest.approx(tuple(result.contrast(vector)))
    assert by_name.p == pytest.approx(2 * stats.t.sf(abs(by_name.t), by_name.df))


def test_fit_glm_rejects_bad_input():
    X = fmri.design_matrix(fmri.alternating_events(), n_scans=200, tr=2.0)
    y = np.zeros(200)
    with pytest.raises(ValueError, match="rows"):
        fmri.fit_glm(y[:150], X)
    duplicated = X.assign(copy=X["close_other"] * 2)
    with pytest.raises(ValueError, match="rank-deficient"):
        fmri.fit_glm(y, duplicated)
    result = fmri.fit_glm(np.random.default_rng(0).normal(size=200), X)
    with pytest.raises(ValueError, match="friend"):
        result.contrast({"friend": 1})
    with pytest.raises(ValueError, match="one value per design column"):
        result.contrast([1, -1])
    with pytest.raises(ValueError, match="zero"):
        result.contrast({"close_other": 0})
    y_bad = np.zeros(200)
    y_bad[7] = np.nan
    with pytest.raises(ValueError, match="position 7"):
        fmri.fit_glm(y_bad, X)


def test_simulated_noise_has_the_requested_sd_and_autocorrelation():
    X = fmri.design_matrix(fmri.alternating_events(), n_scans=200, tr=2.0).iloc[:, -1:]  # constant only
    X = pd.concat([X] * 100, ignore_index=True)                                         # 20,000 scans
    noise = fmri.simulate_vs_timeseries(X, {}, noise_sd=2.0, ar1=0.5, seed=11)
    assert noise.std() == pytest.approx(2.0, rel=0.05)
    assert np.corrcoef(noise[:-1], noise[1:])[0, 1] == pytest.approx(0.5, abs=0.03)
    same = fmri.simulate_vs_timeseries(X, {}, noise_sd=2.0, ar1=0.5, seed=11)
    np.testing.assert_array_equal(noise, same)
    with pytest.raises(ValueError, match="ar1"):
        fmri.simulate_vs_timeseries(X, {}, ar1=1.0)
    with pytest.raises(ValueError, match="amplitudes"):
        fmri.simulate_vs_timeseries(X, {"close": 1.0})


# --------------------------------------------------------------------------- #
# The simulated trial
# --------------------------------------------------------------------------- #

def test_group_trial_is_tidy_labelled_and_seeded():
    trial = fmri.simulate_group_trial()
    assert trial.attrs["label"] == "simulated"
    assert list(trial.columns) == ["participant", "drug", "target", "vs_beta", "connection", "symptoms"]
    assert len(trial) == 160
    assert trial.groupby("drug", observed=True)["participant"].nunique().to_dict() == {"placebo": 40,
                                                                                       "naltrexone": 40}
    assert trial["connection"].between(1, 7).all()
    pd.testing.assert_frame_equal(trial, fmri.simulate_group_trial())
    assert not trial["vs_beta"].equals(fmri.simulate_group_trial(seed=1)["vs_beta"])


def test_group_trial_reproduces_the_reported_pattern_in_a_large_sample():
    wide = fmri.participant_table(fmri.simulate_group_trial(n_per_group=20000, drug_effect=0.42,
                                                            r_placebo=0.4, r_naltrexone=0.0, seed=7))
    groups = {name: g for name, g in wide.groupby("drug", observed=True)}
    pla, ntx = groups["placebo"], groups["naltrexone"]
    scale = 0.25
    # naltrexone lowers the close-other response (by drug_effect SDs of the contrast) ...
    assert (pla["vs_difference"].mean() - ntx["vs_difference"].mean()) / scale == pytest.approx(0.42, abs=0.03)
    assert pla["vs_close"].mean() > ntx["vs_close"].mean()
    # ... but not the stranger response
    assert pla["vs_stranger"].mean() == pytest.approx(ntx["vs_stranger"].mean(), abs=0.01)
    # the connection-VS correlation is present under placebo and absent under naltrexone
    assert np.corrcoef(pla["connection_close"], pla["vs_difference"])[0, 1] == pytest.approx(0.4, abs=0.03)
    assert np.corrcoef(ntx["connection_close"], ntx["vs_difference"])[0, 1] == pytest.approx(0.0, abs=0.03)
    # symptoms are higher on naltrexone but unrelated to VS within a group
    assert ntx["symptoms"].mean() > pla["symptoms"].mean()
    assert abs(np.corrcoef(pla["symptoms"], pla["vs_difference"])[0, 1]) < 0.03


def test_drug_effect_survives_adjustment_for_symptoms():
    import statsmodels.formula.api as smf

    wide = fmri.participant_table(fmri.simulate_group_trial(n_per_group=2000, seed=3))
    plain = smf.ols("vs_difference ~ C(drug)", data=wide).fit()
    adjusted = smf.ols("vs_difference ~ C(drug) + symptoms", data=wide).fit()
    term = "C(drug)[T.naltrexone]"
    assert plain.params[term] < 0 and adjusted.params[term] < 0
    assert adjusted.params[term] == pytest.approx(plain.params[term], rel=0.15)
    assert adjusted.pvalues[term] < 1e-6


def test_no_drug_effect_means_no_difference():
    wide = fmri.participant_table(fmri.simulate_group_trial(n_per_group=20000, drug_effect=0.0,
                                                            r_naltrexone=0.4, seed=9))
    means = wide.groupby("drug", observed=True)["vs_difference"].mean()
    assert means["placebo"] == pytest.approx(means["naltrexone"], abs=0.01)


def test_participant_table_is_consistent_with_the_long_table():
    trial = fmri.simulate_group_trial(n_per_group=5)
    wide = fmri.participant_table(trial)
    assert len(wide) == 10
    assert wide.attrs["label"] == "simulated"
    close = trial[trial["target"] == "close other"].set_index("participant")["vs_beta"]
    np.testing.assert_allclose(wide.set_index("participant")["vs_close"], close)
    np.testing.assert_allclose(wide["vs_difference"], wide["vs_close"] - wide["vs_stranger"])
    with pytest.raises(ValueError, match="columns"):
        fmri.participant_table(trial.drop(columns="symptoms"))


def test_group_trial_rejects_bad_input():
    with pytest.raises(ValueError, match="r_placebo"):
        fmri.simulate_group_trial(r_placebo=1.0)
    with pytest.raises(ValueError, match="n_per_group"):
        fmri.simulate_group_trial(n_per_group=2)
    with pytest.raises(ValueError, match="seed"):
        fmri.simulate_group_trial(seed="abc")
    with pytest.raises(ValueError, match="drug_effect"):
        fmri.simulate_group_trial(drug_effect="large")


# --------------------------------------------------------------------------- #
# Comparing correlations
# --------------------------------------------------------------------------- #

def test_fisher_z_matches_metafor():
    cases = FIXTURES["fisher_z"]
    for case in cases:
        result = fmri.fisher_z_compare(case["r1"], case["n1"], case["r2"], case["n2"])
        assert result.z == pytest.approx(case["z"], rel=1e-10)
        assert result.p == pytest.approx(case["p"], rel=1e-8)
    vector = fmri.fisher_z_compare(*(np.array([c[k] for c in cases]) for k in ("r1", "n1", "r2", "n2")))
    np.testing.assert_allclose(vector.z, [c["z"] for c in cases], rtol=1e-10)


def test_fisher_z_one_sided_and_symmetric():
    two = fmri.fisher_z_compare(0.4, 40, 0.0, 40)
    greater = fmri.fisher_z_compare(0.4, 40, 0.0, 40, alternative="greater")
    less = fmri.fisher_z_compare(0.4, 40, 0.0, 40, alternative="less")
    assert greater.p == pytest.approx(two.p / 2)
    assert less.p == pytest.approx(1 - two.p / 2)
    swapped = fmri.fisher_z_compare(0.0, 40, 0.4, 40)
    assert swapped.z == pytest.approx(-two.z) and swapped.p == pytest.approx(two.p)


def test_fisher_z_rejects_bad_input():
    with pytest.raises(ValueError, match="r1"):
        fmri.fisher_z_compare(1.0, 40, 0.2, 40)
    with pytest.raises(ValueError, match="n2"):
        fmri.fisher_z_compare(0.3, 40, 0.2, 3)
    with pytest.raises(ValueError, match=r"r2.*position 1"):
        fmri.fisher_z_compare([0.3, 0.3], 40, [0.2, -1.5], 40)
    with pytest.raises(ValueError, match="alternative"):
        fmri.fisher_z_compare(0.3, 40, 0.2, 40, alternative="two-tailed")


def test_correlation_difference_power():
    assert fmri.correlation_difference_power(0.3, 0.3, 40, 40) == pytest.approx(0.05)
    se = np.sqrt(2 / 37)
    lam = np.arctanh(0.4) / se
    expected = stats.norm.cdf(lam - 1.959964) + stats.norm.cdf(-lam - 1.959964)
    assert fmri.correlation_difference_power(0.4, 0.0, 40, 40) == pytest.approx(expected, rel=1e-6)
    powers = fmri.correlation_difference_power(0.4, 0.0, [20, 40, 100, 300], [20, 40, 100, 300])
    assert np.all(np.diff(powers) > 0)
    # a Monte Carlo check of the same test on simulated correlations
    rng = np.random.default_rng(4)
    hits = 0
    for _ in range(400):  # test code: a loop over simulated studies is fine here
        a = rng.multivariate_normal([0, 0], [[1, 0.4], [0.4, 1]], 40)
        b = rng.standard_normal((40, 2))
        r1, r2 = np.corrcoef(a.T)[0, 1], np.corrcoef(b.T)[0, 1]
        hits += fmri.fisher_z_compare(r1, 40, r2, 40).p < 0.05
    assert hits / 400 == pytest.approx(expected, abs=0.08)


# --------------------------------------------------------------------------- #
# The ROI on the MNI template, with no network
# --------------------------------------------------------------------------- #

@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fmri.mni_template.cache_clear()
    yield
    fmri.mni_template.cache_clear()


def test_template_and_sphere_roi_work_offline(no_network):
    template = fmri.mni_template()
    assert template.shape == (197, 233, 189)
    roi = fmri.sphere_roi(fmri.LEFT_VS_APPROX_MNI, radius_mm=6)
    mask = roi.get_fdata()
    assert mask.shape == template.shape
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert mask.sum() == pytest.approx(4 / 3 * np.pi * 6 ** 3, rel=0.05)   # 1 mm voxels
    centre = np.linalg.solve(roi.affine[:3, :3], np.array(fmri.LEFT_VS_APPROX_MNI) - roi.affine[:3, 3])
    assert mask[tuple(np.round(centre).astype(int))] == 1
    # every voxel in the mask lies within 6 mm of the centre
    ijk = np.argwhere(mask == 1).T
    xyz = roi.affine[:3, :3] @ ijk + roi.affine[:3, 3:4]
    assert np.sqrt(((xyz - np.array(fmri.LEFT_VS_APPROX_MNI)[:, None]) ** 2).sum(axis=0)).max() <= 6


def test_two_mm_template_and_cropped_roi(no_network):
    full = fmri.mni_template()
    half = fmri.mni_template(2)
    assert half.shape == (99, 117, 95)
    np.testing.assert_allclose(np.diag(half.affine)[:3], 2 * np.diag(full.affine)[:3])
    # the same world point shows the same template value on both grids
    ijk_half = np.array([40, 50, 30])
    xyz = half.affine[:3, :3] @ ijk_half + half.affine[:3, 3]
    ijk_full = np.round(np.linalg.solve(full.affine[:3, :3], xyz - full.affine[:3, 3])).astype(int)
    assert half.get_fdata()[tuple(ijk_half)] == full.get_fdata()[tuple(ijk_full)]
    # a cropped sphere holds the same voxels, at the same world coordinates, as the full one
    whole = fmri.sphere_roi(radius_mm=5)
    box = fmri.sphere_roi(radius_mm=5, crop=True)
    assert box.shape[0] < 20 and box.get_fdata().sum() == whole.get_fdata().sum()

    def world(img):
        ijk = np.argwhere(img.get_fdata() == 1).T
        return np.sort((img.affine[:3, :3] @ ijk + img.affine[:3, 3:4]).T, axis=0)
    np.testing.assert_allclose(world(box), world(whole))
    with pytest.raises(ValueError, match="resolution"):
        fmri.mni_template(3)


def test_roi_picture_draws_offline(no_network):
    import matplotlib.pyplot as plt
    from nilearn import plotting

    fig = plt.figure(figsize=(6, 2.5))
    plotting.plot_roi(fmri.sphere_roi(radius_mm=5, crop=True), bg_img=fmri.mni_template(2),
                      cut_coords=fmri.LEFT_VS_APPROX_MNI, figure=fig)
    assert fig.axes
    plt.close(fig)


def test_sphere_roi_rejects_bad_input():
    with pytest.raises(ValueError, match="center_mm"):
        fmri.sphere_roi((1, 2))
    with pytest.raises(ValueError, match="radius_mm"):
        fmri.sphere_roi(radius_mm=0)
    with pytest.raises(ValueError, match="outside"):
        fmri.sphere_roi((500, 500, 500))
