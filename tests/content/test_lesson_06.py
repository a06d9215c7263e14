"""Lesson 06 (pooling): the prediction interval's t form, Knapp-Hartung, and the three I² values.

Each test pins a number, a quote or a citation of this lesson against its source (the course's own helpers, Table 1,
the 2024 review), so that an edit bringing back a wrong statement fails here."""

import numpy as np
import pytest
from lesson_text import (
    exercise,
    flat,
    going_deeper_problems,
    markdown,
    markdown_cells,
    outputs,
    predictions,
    strictly_longest,
    table1,
    time_problems,
)
from scipy import stats

from utils import meta


def test_06_t_form_is_a_quarter_wider_and_knapp_hartung_widens_the_reml_ci_past_zero():
    from scipy import stats

    from utils import data
    studies = data.table1_effects()
    yi, vi = studies["yi"].to_numpy(), studies["vi"].to_numpy()
    ratio = stats.t.ppf(0.975, len(yi) - 2) / stats.norm.ppf(0.975)
    assert round(100 * (ratio - 1)) == 25
    z_fit = meta.random_effects(yi, vi, method="REML")
    kh_fit = meta.random_effects(yi, vi, method="REML", test="knha")
    assert z_fit.ci_high < 0 < kh_fit.ci_high  # "widens the REML interval past zero"
    dl = meta.random_effects(yi, vi, method="DL")
    low, high = meta.prediction_interval(dl)
    assert low < -0.5 and high > 0  # "from a large decrease to an increase"
    cells = markdown_cells("06")
    text = "\n".join(cells)
    assert "with *k* = 8 it is 25% wider" in text and "a quarter wider" in text
    assert "past zero" in text and "Knapp" in text and "IntHout" in text
    shown = outputs("06")
    assert f"the t form is {ratio - 1:.0%} wider" in shown
    assert f"[{kh_fit.ci_low:.2f}, {kh_fit.ci_high:.2f}]" in shown




def test_06_the_three_i2_values_are_those_the_estimators_give():
    yi, vi = table1()
    i2 = {m: meta.random_effects(yi, vi, method=m).i2 for m in ("REML", "DL", "PM")}
    fe = meta.random_effects(yi, vi, method="FE")
    assert f"{i2['REML']:.2f}" == "0.67" and round(i2["DL"]) == 53 and round(i2["PM"]) == 87
    assert i2["DL"] == pytest.approx(100 * (fe.q - (len(yi) - 1)) / fe.q)   # DL's I² is the Q formula
    text = flat(markdown("06"))
    assert "### Why one *Q* gives an *I*² of 0.67%, 53% or 87%" in text
    for stated in ("**0.67%**", "**53%**", "**87%**", "(14.92 − 7) / 14.92 = **53%**"):
        assert stated in text
    assert "0.7%" not in text                       # the old rounded value next to "must be wrong"


def test_06_the_worked_paragraph_recomputes_i2_from_tau2_and_the_typical_variance():
    yi, vi = table1()
    w = 1 / vi
    s2 = (len(yi) - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum())
    assert f"{s2:.3f}" == "0.039"
    assert "here 0.039" in flat(markdown("06"))
    shown = outputs("06")
    for method in ("DL", "REML", "PM"):
        fit = meta.random_effects(yi, vi, method=method)
        assert 100 * fit.tau2 / (fit.tau2 + s2) == pytest.approx(fit.i2)
        assert f"(the fit's i2: {fit.i2:5.2f}%)" in shown


def test_06_says_plainly_which_i2_to_report():
    q, df = 28.47, 16
    assert round(100 * (q - df) / q) == 44
    text = flat(markdown("06"))
    assert "**Which to report.** Report the *I*² of the model whose pooled estimate you report" in text
    assert "that is **23%**: quote it when you cite the review" in text
    assert "Both are defensible" not in text


def test_06_knapp_hartung_formula_matches_the_helper():
    yi, vi = table1()
    k = len(yi)
    fit = meta.random_effects(yi, vi, method="REML")
    kh = meta.random_effects(yi, vi, method="REML", test="knha")
    w = 1 / (vi + fit.tau2)
    q = np.sum(w * (yi - fit.estimate) ** 2) / (k - 1)
    assert np.sqrt(q) * fit.se == pytest.approx(kh.se, rel=1e-10)
    t = stats.t.ppf(0.975, k - 1)
    assert (fit.estimate - t * np.sqrt(q) * fit.se, fit.estimate + t * np.sqrt(q) * fit.se) == \
        pytest.approx((kh.ci_low, kh.ci_high), rel=1e-10)
    assert f"{q:.2f}" == "2.12" and f"{kh.ci_high:.2f}" == "0.03"
    text = markdown("06")
    assert r"q = \frac{\sum_i w_i^*\,(y_i - \hat\mu)^2}{k - 1}" in text
    assert r"\text{SE}_\text{KH} = \sqrt{q}\;\text{SE}" in text and r"t_{k-1,\;0.975}" in text
    assert "*q* = 2.12" in text
    shown = outputs("06")
    assert f"by hand: {kh.estimate:.4f} [{kh.ci_low:.4f}, {kh.ci_high:.4f}]" in shown
    assert f"helper:  {kh.estimate:.4f} [{kh.ci_low:.4f}, {kh.ci_high:.4f}]" in shown


def test_the_old_strawman_is_gone():
    options = " ".join(exercise("06.answer_5").options.values())
    assert "proves the studies identical" not in options and "Q test must be wrong" not in options


def test_the_prediction_is_right_at_b_and_that_option_is_not_the_longest():
    [(options, correct, _)] = predictions("06")
    assert correct == "b" and not strictly_longest(options, correct)


def test_one_optional_going_deeper_section_on_knapp_hartung_and_its_time_is_stated():
    assert not going_deeper_problems("06", "Knapp-Hartung")
    assert not time_problems("06", core=75, full=80)


def test_exercise_answer_5_is_right_at_d():
    assert exercise("06.answer_5").answer == "d"
