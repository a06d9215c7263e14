"""Lesson 11 (capstone): the captions and the explorer give the numbers the figures show.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""

import numpy as np
from lesson_text import (
    describe,
    explorer_draws,
    flat,
    outputs,
)

from utils import bias, data, effects, meta


def nine_studies():
    real = data.table1_effects()
    g, v = effects.hedges_g(5.02, 1.21, 100, 5.09, 1.17, 100)  # the hypothetical study H of the assignment
    return np.r_[real["yi"], g], np.r_[real["vi"], v], float(g), float(v), real

CAPSTONE = "11_capstone"


def captions(stem):
    return [t for t in outputs(stem).split("\n") if t.startswith("Figure. ")]


def test_the_capstone_captions_give_the_numbers_the_figures_show():
    yi, vi, g, v, real = nine_studies()
    fit9, fit8 = meta.random_effects(yi, vi), meta.random_effects(real["yi"], real["vi"])
    forest, egger_caption, loo_caption = (flat(c) for c in captions(CAPSTONE))
    assert f"Pooled with 9 studies: {fit9.estimate:.2f} [{fit9.ci_low:.2f}, {fit9.ci_high:.2f}]" in forest
    assert f"{fit8.estimate:.2f} [{fit8.ci_low:.2f}, {fit8.ci_high:.2f}]" in forest
    assert f"takes {fit9.weights[-1]:.0f}% of the weight" in forest
    assert f"only {int((vi < v).sum())} real studies have narrower intervals" in forest
    egger = bias.egger(yi, vi)
    assert f"slope {egger.slope:.2f}, p = {egger.p:.3f}" in egger_caption
    loo = np.array([meta.random_effects(np.delete(yi, i), np.delete(vi, i)).estimate for i in range(len(yi))])
    assert f"run from {loo.min():.3f} to {loo.max():.3f}" in loo_caption
    assert "leaving out Inagaki et al. [20, 59] moves it furthest" in loo_caption


def test_the_capstone_explorer_describes_the_updated_pooled_estimate():
    [(update, start)] = explorer_draws(CAPSTONE)
    real = data.table1_effects()
    g, n = start["g_new"], start["n_per_arm"]
    fit = meta.random_effects(np.r_[real["yi"], g], np.r_[real["vi"], 2 / n + g ** 2 / (4 * n)])
    text = describe(update, start)
    assert f"pooled g = {fit.estimate:.2f} [{fit.ci_low:.2f}, {fit.ci_high:.2f}]" in text
    assert f"weight {fit.weights[-1]:.1f}%" in text
