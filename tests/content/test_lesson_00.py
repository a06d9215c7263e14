"""Lesson 00 (start here): the power explorer and the words around it.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""
import json
import time

import numpy as np
import pytest
from conftest import ROOT
from lesson_text import (
    cell,
    flat,
    joined,
    predictions,
    strictly_longest,
)
from scipy import stats
from statsmodels.stats.power import TTestIndPower


def analytic_power(d, n):
    df, shift = 2 * n - 2, d * np.sqrt(n / 2)
    crit = stats.t.ppf(0.975, df)
    return stats.nct.sf(crit, df, shift) + stats.nct.sf(crit, df, -shift)


def test_00_power_curve_is_the_t_test_power_and_matches_the_words():
    for n in (5, 20, 100, 200):
        assert analytic_power(0.2, n) == pytest.approx(TTestIndPower().power(0.2, nobs1=n, alpha=0.05), abs=1e-6)
    assert analytic_power(0.0, 50) == pytest.approx(0.05, abs=1e-9)
    words = "".join(cell("00_start_here", "abdcae01")["source"])
    assert "about one time in ten" in words and 0.07 < analytic_power(0.2, 20) < 0.13
    assert "about half the time" in words and 0.45 < analytic_power(0.2, 200) < 0.55
    assert "well over 100 per group" not in joined("00_start_here")


def test_00_explorer_simulation_agrees_with_the_calculated_power():
    source = "".join(cell("00_start_here", "ba3c7ccb")["source"])
    assert "simulated" in source.lower() and "return fig_power, description" in source
    setup = source[:source.index("# Built once")]
    namespace = {"np": np, "stats": stats}
    exec(setup, namespace)
    sizes, share = namespace["sizes"], namespace["simulated_power"](0.2)
    # 1000 simulated trials: each share within 4 binomial standard errors of the calculated power
    expected = analytic_power(0.2, sizes)
    assert np.all(np.abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / 1000))
    assert np.all(np.abs(namespace["simulated_power"](0.0) - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 1000))


def test_00_stub_text_matches_the_stub_the_lesson_shows():
    words = "".join(cell("00_start_here", "37aa1708")["source"])
    assert "`# YOUR CODE HERE`" in words and "`pass`" in words and "`...`" not in words
    lesson = json.loads((ROOT / "lessons" / "00_start_here.ipynb").read_text())
    stub = [c for c in lesson["cells"] if c.get("id") == "76fa83f9"][0]
    assert "# YOUR CODE HERE" in "".join(stub["source"]) and "pass" in "".join(stub["source"])


def explorer_namespace():
    source = cell("00_start_here", "ba3c7ccb").source
    namespace = {"np": np, "stats": stats}
    exec(source[:source.index("# Built once")], namespace)
    return source, namespace


def test_00_power_explorer_reaches_the_80_percent_line_and_defines_usually():
    source, namespace = explorer_namespace()
    n_max, power = namespace["N_MAX"], namespace["analytic_power"]
    assert power(0.2, n_max) > 0.8 and namespace["sizes"][-1] == n_max
    assert 'slider("people per group", 5, N_MAX, 5, 20, integer=True)' in source
    first_80 = next(n for n in range(2, 1000) if power(0.2, n) >= 0.8)
    assert first_80 == 394  # "about 395 per group", the slider's nearest step
    words = flat(joined("00_start_here"))
    assert 'Here "usually" means in at least 80% of trials' in words
    assert "To find it *usually*, in 80% of trials, takes about 395 per group" in words


def test_00_power_explorer_redraws_quickly():
    _, namespace = explorer_namespace()
    timings = []
    for difference in (0.0, 0.2, 0.5, 0.2, 0.35):
        start = time.perf_counter()
        namespace["simulated_power"](difference)
        namespace["analytic_power"](difference, namespace["sizes"])
        timings.append(time.perf_counter() - start)
    assert np.median(timings) < 0.25, timings


def test_the_prediction_is_right_at_c_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("00")
    assert correct == "c" and not strictly_longest(options, correct)
