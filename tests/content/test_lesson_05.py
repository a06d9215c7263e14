"""Lesson 05 (effect sizes): the crossover variance, the explorer's readout and power.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""
import re

import numpy as np
import pytest
from lesson_text import (
    cell,
    position,
    predictions,
    printed,
    source,
)
from statsmodels.stats.power import TTestIndPower

from utils import effects


def test_05_crossover_variance_is_explained_before_the_reflection_and_matches_the_helper():
    section = source(cell(EFFECTS, "e4a6c8d0"))
    assert "v = \\frac{2(1 - r)}{n} + \\frac{g^2}{2n}" in section and "Becker 1988" in section
    assert "$v = \\dfrac{1}{n} + \\dfrac{g^2}{2n}$" in section and "Gibbons et al. 1993" in section
    assert position(EFFECTS, "### The variance of a crossover effect size") < position(EFFECTS, "## 6. Reflection")
    n, r, diff = 31, 0.5, -0.3
    g = effects.correction_factor(n - 1) * diff
    assert effects.smd_change(diff, 0.0, 1.0, 1.0, n, r, measure="SMCR")[1] == pytest.approx(
        2 * (1 - r) / n + g**2 / (2 * n), rel=1e-12)
    assert effects.smd_change(diff, 0.0, 1.0, 1.0, n, r, measure="SMCC")[1] == pytest.approx(
        1 / n + effects.smd_change(diff, 0.0, 1.0, 1.0, n, r, measure="SMCC")[0] ** 2 / (2 * n), rel=1e-12)
    out = printed(cell(EFFECTS, "f5b7d9e1"))
    shown = re.findall(r"v = ([\d.]+) by hand, ([\d.]+) from smd_change", out)
    assert len(shown) == 3 and all(a == b for a, b in shown)

EFFECTS = "05_effect_sizes"


def draw_precision():
    """The explorer's draw function, defined by running its cell with a stand-in for the widget."""
    import matplotlib.pyplot as plt
    captured = {}
    namespace = {"np": np, "plt": plt, "effects": effects, "slider": lambda *a, **k: None,
                 "explorer": lambda draw, **k: captured.setdefault("draw", draw)}
    exec(source(cell(EFFECTS, "90496794")), namespace)
    return captured["draw"]


def test_05_precision_readout_never_shows_a_negative_zero():
    draw = draw_precision()
    readouts = {n: draw(n)[1] for n in range(2, 401)}
    for n, readout in readouts.items():
        assert not re.search(r"-0\.0+(?![0-9]*[1-9])", readout), (n, readout)
    assert "95% CI -0.3965 to -0.0035, which excludes zero" in readouts[200]
    assert "includes zero" in readouts[193] and "excludes zero" in readouts[194]


def test_05_links_the_just_significant_size_to_50_and_80_percent_power():
    power = TTestIndPower()
    assert round(power.power(effect_size=0.20, nobs1=200, alpha=0.05), 2) == 0.51
    needed = power.solve_power(effect_size=0.20, power=0.80, alpha=0.05)
    assert int(np.ceil(needed)) == 394
    out = printed(cell(EFFECTS, "c2e4a6b8"))
    assert "with 200 per group: 0.51" in out and f"80% power needs {needed:.1f} per group, so 394" in out
    words = source(cell(EFFECTS, "6809d0c7")).replace("\n", " ")
    assert "about **50% power**" in words and "lesson 00" in words and "from 194 on" in words
    after = source(cell(EFFECTS, "d3f5b7c9")).replace("\n", " ")
    assert "*d* = 0.20" in after and "394 per group" in after and "lesson 10 gets 395" in after


def test_the_prediction_is_right_at_c():
    [(_, correct, _)] = predictions("05")
    assert correct == "c"
