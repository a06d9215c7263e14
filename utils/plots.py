"""The course's figures: forest, funnel, contour-enhanced funnel, trim-and-fill
funnel, Egger, bubble (meta-regression), study-power, Baujat and GOSH plots.

Each function draws one matplotlib Figure and returns it (nothing is shown:
a notebook displays the returned figure, a script can ``fig.savefig``).
Colours come from the Okabe-Ito palette, which stays distinguishable with
the common colour-vision deficiencies (Okabe & Ito 2008, "Color Universal
Design"); shading uses greys. The layouts follow metafor's ``forest``,
``funnel``, ``regplot`` and metameta's ``firepower``.

Plots take the result objects of :mod:`utils.meta` and :mod:`utils.bias`
(only their documented attributes are used), or raw ``yi``/``vi`` where noted.
"""
from __future__ import annotations

import numpy as np
import matplotlib.pyplot as plt
import pandas as pd
from scipy import special
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from .validation import (as_float, as_float_array, as_labels, check_effects, require_level,
                         require_same_length)

__all__ = ["forest", "funnel", "contour_funnel", "trimfill_funnel", "egger_plot", "bubble", "power_plot",
           "baujat_plot", "gosh_plot", "OKABE_ITO", "STUDY", "POOLED", "FILLED", "GREYS"]


def __dir__():
    return sorted(__all__)


OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
STUDY = OKABE_ITO["blue"]
POOLED = OKABE_ITO["vermillion"]
FILLED = OKABE_ITO["orange"]
GREYS = {"p > 0.10": "#FFFFFF", "0.05 < p < 0.10": "#8C8C8C", "0.01 < p < 0.05": "#BFBFBF", "p < 0.01": "#EBEBEB"}
"""Contour-enhanced funnel shading, as metafor's defaults (white, gray55, gray75)."""


def _figure(width=7.0, height=5.0):
    """A new Figure, closed in pyplot at once: a notebook shows it once, as the returned value."""
    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)
    return fig, fig.add_subplot()


def _effects(yi, vi):
    """yi and vi checked as every meta-analytic function checks them (one effect is enough to draw)."""
    return check_effects(yi, vi, minimum_k=1)


def _z(level):
    """The two-sided normal critical value of a confidence level."""
    return special.ndtri(0.5 + require_level(level) / 2)   # as scipy.stats.norm.ppf, without importing scipy.stats


# --------------------------------------------------------------------------- #
# Forest plot
# --------------------------------------------------------------------------- #

def forest(result=None, *, yi=None, vi=None, labels=None, reference=None,
           xlabel="Hedges' g", title="Forest plot", null=0.0):
    """Forest plot: one row per effect (square area ~ weight, line = CI), pooled diamond, PI.

    Each CI is y_i -/+ z sqrt(v_i). Pass a fitted ``utils.meta`` result
    (random_effects or three_level), or ``yi``, ``vi`` (and ``labels``) to fit
    ``meta.random_effects`` (REML) here. Weights are the model's (``weights``,
    in %) when it has them, else inverse-variance.

    Parameters
    ----------
    result : RandomEffectsResult or ThreeLevelResult, optional
        A fitted model; otherwise give yi and vi.
    yi, vi : array_like, optional
        Effect sizes and sampling variances, used when result is None.
    labels : sequence of str, optional
        Row labels (default "Study 1", ...).
    reference : str, optional
        A text printed under the pooled estimate, e.g. "paper: -0.20 [-0.32, -0.07]".
    xlabel, title : str
        Axis label and title.
    null : float
        Position of the no-effect line.

    Returns
    -------
    matplotlib.figure.Figure
        The forest plot.

    Raises
    ------
    ValueError
        If neither a result nor both yi and vi are given, or the effects or an argument are invalid.

    References
    ----------
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
        J Stat Softw 36(3).
    Okabe M, Ito K (2008). Color Universal Design (the palette).
    """
    if result is None:
        if yi is None or vi is None:
            raise ValueError("yi and vi: pass a meta-analysis result or both yi and vi")
        yi, vi = _effects(yi, vi)
        from . import meta
        result = meta.random_effects(yi, vi, labels=labels)
    yi, vi = _effects(result.yi, result.vi)
    level = getattr(result, "level", 0.95)
    half = _z(level) * np.sqrt(vi)
    weights = getattr(result, "weights", None)
    weights = np.asarray(weights, float) if weights is not None else 100 * (1 / vi) / np.sum(1 / vi)

    k = len(yi)
    rows = np.arange(k, 0, -1)  # first study on top
    pooled_row, pi_row = -0.6, -1.4
    fig, ax = _figure(10, 1.6 + 0.32 * (k + 3))
    ax.hlines(rows, yi - half, yi + half, color=STUDY, linewidth=1.2)
    ax.scatter(yi, rows, marker="s", s=20 + 250 * weights / weights.max(), color=STUDY, zorder=3)
    _diamond(ax, result.estimate, result.ci_low, result.ci_high, pooled_row)
    pi = (getattr(result, "pi_low", None), getattr(result, "pi_high", None))
    if None not in pi and np.all(np.isfinite(pi)):
        ax.hlines(pi_row, *pi, color=POOLED, linewidth=1.5, linestyle=(0, (4, 2)))
        ax.text(0.0, pi_row, f"{100 * level:g}% prediction interval ", transform=ax.get_yaxis_transform(),
                ha="right", va="center")
    ax.axvline(null, color=OKABE_ITO["black"], linestyle=":", linewidth=1)

    # right-hand columns: estimate [CI] and weight, then the reference text
    lines = [f"{g:6.2f} [{lo:5.2f}, {hi:5.2f}]  {w:5.1f}%" for g, lo, hi, w in zip(yi, yi - half, yi + half, weights)]
    lines.append(f"{result.estimate:6.2f} [{result.ci_low:5.2f}, {result.ci_high:5.2f}]  100.0%")
    _right_text(ax, [*rows, pooled_row], lines, family="monospace")
    _right_text(ax, [k + 0.9], [f"estimate [{100 * level:g}% CI]    weight"], family="monospace", weight="bold")
    if reference:
        _right_text(ax, [pi_row], [reference], style="italic")

    ax.set_yticks([*rows, pooled_row], [*_row_labels(result, k), _model_name(result)])
    ax.set_ylim(pi_row - 0.7, k + 1.4)
    ax.spines[["left", "right", "top"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set(xlabel=xlabel, title=title)
    return fig


def _right_text(ax, rows, lines, **style):
    """Text just right of the axes, one line per row (x in axes units, y in data units)."""
    for row, line in zip(rows, lines):
        ax.text(1.02, row, line, transform=ax.get_yaxis_transform(), va="center", **style)


def _row_labels(result, k):
    labels = getattr(result, "labels", None)
    if labels is None and getattr(result, "study", None) is not None:
        outcome = getattr(result, "outcome", None)
        labels = (list(result.study) if outcome is None
                  else [f"{s} / {o}" for s, o in zip(result.study, outcome)])
    if labels is None:
        return [f"Study {i + 1}" for i in range(k)]
    return [str(x) for x in as_labels(labels, "labels", k)]


def _model_name(result):
    if hasattr(result, "sigma2"):
        return "Three-level model"
    method = getattr(result, "method", None)
    return {"FE": "Fixed-effect model", None: "Pooled"}.get(method, f"Random-effects model ({method})")


def _diamond(ax, estimate, low, high, row, height=0.35):
    ax.add_patch(Polygon([(low, row), (estimate, row + height), (high, row), (estimate, row - height)],
                         closed=True, facecolor=POOLED, edgecolor=POOLED, zorder=3))


# --------------------------------------------------------------------------- #
# Funnel plots
# --------------------------------------------------------------------------- #

def _funnel_frame(ax, se_max, xlabel, title):
    """SE on a reversed y axis from 0 (top) to just beyond the largest SE."""
    ax.set_ylim(se_max * 1.05, 0)
    ax.set(xlabel=xlabel, ylabel="Standard error", title=title)


def _triangle(centre, se_max, z):
    return [(centre - z * se_max * 1.05, se_max * 1.05), (centre, 0.0), (centre + z * se_max * 1.05, se_max * 1.05)]


def _pseudo_ci(ax, centre, se_max, level):
    """White pseudo-confidence region centre +/- z SE on a grey background (metafor ``funnel``)."""
    ax.set_facecolor("#EBEBEB")
    corners = _triangle(centre, se_max, _z(level))
    ax.add_patch(Polygon(corners, closed=True, facecolor="white", edgecolor="none"))
    ax.plot(*np.transpose(corners), color=OKABE_ITO["black"], linestyle="--", linewidth=0.8)
    ax.axvline(centre, color=OKABE_ITO["black"], linestyle=":", linewidth=1)


def funnel(yi, vi, estimate=None, *, level=0.95, xlabel="Hedges' g", title="Funnel plot"):
    """Funnel plot: effect against its SE (reversed axis), with the pseudo-CI triangle.

    The triangle is ``estimate +/- z * SE``; ``estimate`` is a number or a
    fitted result (its ``.estimate``); if None, the fixed-effect mean
    (``meta.random_effects(method="FE")``) is used.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and their sampling variances (> 0).
    estimate : float or fitted result, optional
        Centre of the triangle.
    level : float
        Confidence level of the pseudo-CI, in (0, 1).
    xlabel, title : str
        Axis label and title.

    Returns
    -------
    matplotlib.figure.Figure
        The funnel plot.

    Raises
    ------
    ValueError
        If the effects or an argument are invalid.

    References
    ----------
    Sterne JAC, Egger M (2001). Funnel plots for detecting bias in meta-analysis.
        J Clin Epidemiol 54:1046-1055.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
        J Stat Softw 36(3).
    """
    yi, vi = _effects(yi, vi)
    if estimate is None:
        from . import meta
        estimate = meta.random_effects(yi, vi, method="FE")
    centre = float(getattr(estimate, "estimate", estimate))
    se = np.sqrt(vi)
    fig, ax = _figure()
    _pseudo_ci(ax, centre, se.max(), level)
    ax.scatter(yi, se, color=STUDY, edgecolor="black", zorder=3, label="study")
    _funnel_frame(ax, se.max(), xlabel, title)
    return fig


def contour_funnel(yi, vi, centre=0.0, *, levels=(0.90, 0.95, 0.99), xlabel="Hedges' g",
                   title="Contour-enhanced funnel plot"):
    """Contour-enhanced funnel: the regions where a study's two-sided p is > .10, .05-.10, .01-.05, < .01.

    Each contour is centre -/+ z_level SE. Regions are centred on ``centre``
    (0: no effect), as metafor's ``funnel(..., level = c(90, 95, 99), refline = 0)``.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and their sampling variances (> 0).
    centre : float
        Effect at which p is computed (0: no effect).
    levels : tuple of 3 floats
        The three confidence levels of the contours.
    xlabel, title : str
        Axis label and title.

    Returns
    -------
    matplotlib.figure.Figure
        The contour-enhanced funnel plot.

    Raises
    ------
    ValueError
        If levels does not hold three levels, or the effects or an argument are invalid.

    References
    ----------
    Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2008). Contour-enhanced
        meta-analysis funnel plots help distinguish publication bias from other causes
        of asymmetry. J Clin Epidemiol 61:991-996.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
        J Stat Softw 36(3).
    """
    yi, vi = _effects(yi, vi)
    levels = sorted(levels)
    if len(levels) != 3:
        raise ValueError(f"levels must hold three confidence levels, got {levels}")
    se = np.sqrt(vi)
    fig, ax = _figure()
    ax.set_facecolor(GREYS["p < 0.01"])
    for level, colour in zip(levels[::-1], list(GREYS.values())[2::-1]):
        ax.add_patch(Polygon(_triangle(centre, se.max(), _z(level)), closed=True, facecolor=colour,
                             edgecolor="none"))
    ax.axvline(centre, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.scatter(yi, se, color=STUDY, edgecolor="black", zorder=3)
    p_names = [f"p > {1 - levels[0]:.2f}", f"{1 - levels[1]:.2f} < p < {1 - levels[0]:.2f}",
               f"{1 - levels[2]:.2f} < p < {1 - levels[1]:.2f}", f"p < {1 - levels[2]:.2f}"]
    ax.legend([Patch(facecolor=c, edgecolor="grey") for c in GREYS.values()], p_names,
              title="two-sided p", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    _funnel_frame(ax, se.max(), xlabel, title)
    return fig


def trimfill_funnel(trimfill_result, *, level=0.95, xlabel="Hedges' g", title="Trim-and-fill funnel plot"):
    """Funnel of a ``bias.trim_and_fill`` result: observed (filled circles) and imputed (hollow) effects.

    The pseudo-CI (estimate -/+ z SE) is centred on the trim-and-fill
    estimate. Observed effects are ``observed.yi`` (or the first k of
    ``model.yi``: metafor's order).

    Parameters
    ----------
    trimfill_result : TrimFillResult
        From ``bias.trim_and_fill``.
    level, xlabel, title
        As in :func:`funnel`.

    Returns
    -------
    matplotlib.figure.Figure
        The funnel plot with the filled studies.

    References
    ----------
    Duval S, Tweedie R (2000). Trim and fill: a simple funnel-plot-based method of
        testing and adjusting for publication bias in meta-analysis. Biometrics 56:455-463.
    """
    tf = trimfill_result
    filled_yi, filled_vi = as_float_array(tf.filled_yi, "filled_yi"), as_float_array(tf.filled_vi, "filled_vi")
    source = tf.observed if getattr(tf, "observed", None) is not None else tf.model
    k_obs = len(source.yi) - (0 if source is tf.observed else len(filled_yi))
    yi, vi = _effects(np.asarray(source.yi)[:k_obs], np.asarray(source.vi)[:k_obs])
    se_max = np.sqrt(np.concatenate([vi, filled_vi])).max()
    fig, ax = _figure()
    _pseudo_ci(ax, tf.estimate, se_max, level)
    ax.scatter(yi, np.sqrt(vi), color=STUDY, edgecolor="black", zorder=3, label=f"observed (k = {len(yi)})")
    ax.scatter(filled_yi, np.sqrt(filled_vi), facecolors="white", edgecolors=FILLED, linewidths=1.5,
               zorder=3, label=f"filled (k0 = {len(filled_yi)})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    _funnel_frame(ax, se_max, xlabel, title)
    return fig


# --------------------------------------------------------------------------- #
# Regression plots
# --------------------------------------------------------------------------- #

def _band(ax, x, prediction):
    """Regression line and its confidence band from a ``predict`` DataFrame."""
    ax.fill_between(x, prediction["ci_low"], prediction["ci_high"], color=OKABE_ITO["sky_blue"],
                    alpha=0.35, linewidth=0, label="95% CI of the line")
    ax.plot(x, prediction["pred"], color=OKABE_ITO["black"], linewidth=1.5, label="regression line")


def egger_plot(egger_result=None, *, yi=None, vi=None, study=None, xlabel="Standard error",
               ylabel="Hedges' g", title="Egger's regression test"):
    """Effect against its standard error with Egger's regression line and 95% band.

    The line is ``limit_estimate + slope * SE`` (Egger et al. 1997, in
    metafor's ``regtest`` form). Pass a ``bias.egger`` result (it carries its
    data), or ``yi``, ``vi`` (and ``study`` for the three-level test) to run
    ``bias.egger`` here.

    Parameters
    ----------
    egger_result : EggerResult, optional
        From ``bias.egger``.
    yi, vi : array_like, optional
        Effect sizes and sampling variances.
    study : array_like, optional
        Study labels, for the three-level test.
    xlabel, ylabel, title : str
        Axis labels and title.

    Returns
    -------
    matplotlib.figure.Figure
        The Egger regression plot.

    Raises
    ------
    ValueError
        If neither a result nor yi and vi are given, or the effects or an argument are invalid.

    References
    ----------
    Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis
        detected by a simple, graphical test. BMJ 315:629-634.
    """
    if egger_result is None:
        if yi is None or vi is None:
            raise ValueError("yi and vi: pass an Egger result or both yi and vi")
        from . import bias
        egger_result = bias.egger(yi, vi, study=study)
    if yi is None or vi is None:
        yi, vi = getattr(egger_result, "yi", None), getattr(egger_result, "vi", None)
        if yi is None or vi is None:
            raise ValueError("yi and vi: this Egger result does not carry the data; pass yi and vi too")
    yi, vi = _effects(yi, vi)
    se = np.sqrt(vi)
    grid = np.linspace(0, se.max() * 1.05, 100)
    prediction = egger_result.model.predict(pd.DataFrame({"sei": grid}))
    fig, ax = _figure()
    _band(ax, grid, prediction)
    ax.scatter(se, yi, color=STUDY, edgecolor="black", zorder=3, label="effect size")
    ax.axhline(0, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.text(0.02, 0.04, f"slope b = {egger_result.slope:.2f} (SE {egger_result.se:.2f}), p = {egger_result.p:.3f}",
            transform=ax.transAxes)
    ax.legend(loc="upper right", fontsize="small")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return fig


def bubble(yi, vi, x, regression_result, *, name=None, xlabel=None, ylabel="Hedges' g",
           title="Meta-regression"):
    """Bubble plot of a meta-regression on one moderator ``x``: area ~ weight 1 / (vi + tau^2).

    Continuous ``x``: the regression line with its 95% band. Categorical ``x``
    (text or pandas Categorical): points per category (spread sideways) and each
    category's predicted mean with its 95% CI. Predictions come from
    ``regression_result.predict``. For a three-level model tau^2 is the sum of
    its two variance components.

    Parameters
    ----------
    yi, vi : array_like
        Effect sizes and their sampling variances (> 0).
    x : array_like
        The moderator, one value per effect.
    regression_result : RegressionResult
        A fitted meta-regression including ``x``.
    name : str, optional
        The moderator's column name in the model (default: ``x.name``, or the
        model's only term).
    xlabel, ylabel, title : str
        Axis labels and title.

    Returns
    -------
    matplotlib.figure.Figure
        The bubble plot.

    Raises
    ------
    ValueError
        If the moderator's name is needed and not given, or an effect or argument is invalid.

    References
    ----------
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
        J Stat Softw 36(3). (``regplot``)
    """
    yi, vi = _effects(yi, vi)
    n = require_same_length(yi=yi, x=x)
    name = name or getattr(x, "name", None) or _single_term(regression_result)
    tau2 = getattr(regression_result, "tau2", None)
    if tau2 is None:  # three-level model: both variance components; none at all: fixed effect
        tau2 = float(np.sum(getattr(regression_result, "sigma2", None) or 0.0))
    weight = 1 / (vi + tau2)
    sizes = 30 + 470 * weight / weight.max()
    fig, ax = _figure()
    categorical = isinstance(x, pd.Categorical) or isinstance(getattr(x, "dtype", None), pd.CategoricalDtype) \
        or np.asarray(x).dtype.kind in "OUS"
    if categorical:
        _bubble_categories(ax, yi, pd.Categorical(x), sizes, name, regression_result)
    else:
        xs = as_float_array(x, "x")
        grid = np.linspace(xs.min(), xs.max(), 100)
        _band(ax, grid, regression_result.predict(pd.DataFrame({name: grid})))
        ax.scatter(xs, yi, s=sizes, color=STUDY, alpha=0.6, edgecolor="black", zorder=3)
        ax.legend(loc="best", fontsize="small")
    ax.axhline(0, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.set(xlabel=xlabel or name, ylabel=ylabel, title=title + f" (k = {n})")
    return fig


def _single_term(result):
    terms = [t for t in result.coefficients.index if str(t).lower() not in ("intercept", "intrcpt", "(intercept)")]
    if len(terms) != 1:
        raise ValueError(f"name: the model has terms {terms}; say which moderator to plot with name=")
    return terms[0]


def _bubble_categories(ax, yi, x, sizes, name, result):
    cats = list(x.categories)
    codes = x.codes
    # spread points of a category sideways by their rank (deterministic, no random jitter)
    rank = pd.Series(yi).groupby(codes).rank(method="first").to_numpy()
    count = pd.Series(codes).map(pd.Series(codes).value_counts()).to_numpy()
    offset = 0.25 * ((rank - 0.5) / count - 0.5)
    ax.scatter(codes + offset, yi, s=sizes, color=STUDY, alpha=0.6, edgecolor="black", zorder=3)
    prediction = result.predict(pd.DataFrame({name: pd.Categorical(cats, categories=cats)}))
    pred = prediction["pred"].to_numpy()
    ax.errorbar(np.arange(len(cats)) + 0.35, pred,
                yerr=[pred - prediction["ci_low"].to_numpy(), prediction["ci_high"].to_numpy() - pred],
                fmt="D", color=POOLED, capsize=4, label="predicted mean, 95% CI")
    ax.set_xticks(range(len(cats)), cats)
    ax.set_xlim(-0.6, len(cats) - 0.3)
    ax.legend(loc="best", fontsize="small")


# --------------------------------------------------------------------------- #
# Study power ("firepower")
# --------------------------------------------------------------------------- #

def power_plot(se=None, effect=-0.20, labels=None, *, n=None, alpha=0.05,
               title="Power of each study"):
    """Each study's power to detect ``effect`` (bars), with the median and 80% lines.

    Give the standard errors ``se``, or the total sample sizes ``n`` (two
    equal arms; se = sqrt(4/n + d^2/(2n)), ``power.variance_d``). Power is
    ``power.study_power`` (metameta's convention, as its "firepower" plot).

    Parameters
    ----------
    se : array_like, optional
        Standard errors of the studies.
    effect : float
        The true effect to detect (default -0.20, the pooled g of Løseth et al. 2024).
    labels : sequence of str, optional
        Study labels.
    n : array_like, optional
        Total sample sizes, instead of se.
    alpha : float
        Two-sided significance level.
    title : str
        Title.

    Returns
    -------
    matplotlib.figure.Figure
        The study-power plot.

    Raises
    ------
    ValueError
        If se and n are both given (or neither is), or an argument is invalid.

    References
    ----------
    Quintana DS (2023). A guide for calculating study-level statistical power for
        meta-analyses. Adv Methods Pract Psychol Sci 6(1) (metameta).
    Løseth GE, Trøstheim M, Leknes S (2024). Transl Psychiatry 14:379.
    """
    from . import power
    effect = as_float(effect, "effect")
    if (se is None) == (n is None):
        raise ValueError("se and n: give exactly one of them")
    se = np.sqrt(power.variance_d(n, effect)) if se is None else as_float_array(se, "se")
    values = np.atleast_1d(power.study_power(se, effect, alpha))
    k = len(values)
    labels = ([f"Study {i + 1}" for i in range(k)] if labels is None
              else [str(x) for x in as_labels(labels, "labels", k)])
    median = float(np.median(values))
    rows = np.arange(k)[::-1]
    fig, ax = _figure(7.5, 1.4 + 0.35 * k)
    ax.barh(rows, values, color=STUDY, height=0.6)
    for row, value in zip(rows, values):
        ax.text(value + 0.01, row, f"{value:.2f}", va="center", fontsize="small")
    ax.axvline(median, color=POOLED, linestyle="--", linewidth=1.5)
    ax.axvline(0.8, color=OKABE_ITO["green"], linestyle=":", linewidth=1.5)
    ax.legend([Line2D([], [], color=POOLED, linestyle="--"), Line2D([], [], color=OKABE_ITO["green"], linestyle=":")],
              [f"median power = {median:.2f}", "80% power"], loc="lower right", fontsize="small")
    ax.set_yticks(rows, labels)
    ax.set_xlim(0, 1)
    ax.set(xlabel=f"Power to detect g = {effect:g} (two-sided alpha = {alpha:g})", title=title)
    return fig


# --------------------------------------------------------------------------- #
# Influence: Baujat and GOSH plots
# --------------------------------------------------------------------------- #

def _how_to_read(fig, text, width=95):
    """How to read the plot, in small italics under the axes, inside the picture (a figure-level x label, so the
    layout makes room for it). Not a caption: a notebook's caption is text beside the picture (utils.captions)."""
    import textwrap
    fig.supxlabel("\n".join(textwrap.wrap(text, width)), fontsize="small", style="italic", x=0.02, ha="left")


def baujat_plot(fit, *, title="Baujat plot", how_to_read=True):
    """Baujat plot of a ``meta.random_effects`` result (metafor ``baujat``).

    x: the study's squared Pearson residual (its contribution to the
    heterogeneity); y: how far leaving it out moves the pooled estimate
    (``meta.baujat``). Points are numbered as the studies; the studies
    ``meta.influence`` marks as influential are drawn in vermillion.

    Parameters
    ----------
    fit : RandomEffectsResult
        A fitted random-effects model.
    title : str
        Title.
    how_to_read : bool
        Add a line under the axes saying how to read the plot.

    Returns
    -------
    matplotlib.figure.Figure
        The Baujat plot.

    References
    ----------
    Baujat B, Mahé C, Pignon JP, Hill C (2002). A graphical method for exploring
        heterogeneity in meta-analyses. Stat Med 21:2641-2652.
    """
    from . import meta
    coords = meta.baujat(fit)
    flagged = (meta.influence(fit)["inf"] == "*").to_numpy()
    fig, ax = _figure(7, 5.4)
    colours = np.where(flagged, POOLED, STUDY)
    ax.scatter(coords["x"], coords["y"], s=40, color=colours, edgecolor="black", zorder=3)
    for i, (x, y) in enumerate(zip(coords["x"], coords["y"])):
        ax.annotate(str(i + 1), (x, y), xytext=(4, 3), textcoords="offset points", fontsize="small")
    ax.grid(color="#DDDDDD", linewidth=0.6)
    ax.legend([Line2D([], [], marker="o", linestyle="", color=STUDY, markeredgecolor="black"),
               Line2D([], [], marker="o", linestyle="", color=POOLED, markeredgecolor="black")],
              ["study", "influential\n(metafor's rule)"], loc="upper left", bbox_to_anchor=(1.01, 1),
              fontsize="small")
    xlabel = "Contribution to overall heterogeneity" if fit.method == "FE" else "Squared Pearson residual"
    ax.set(xlabel=xlabel, ylabel="Influence on overall result", title=f"{title} (k = {fit.k})")
    if how_to_read:
        _how_to_read(fig, "Each number is a study (in the order of the data). Right: it adds much heterogeneity; "
                      "up: leaving it out moves the pooled estimate much.")
    return fig


def gosh_plot(fit, *, het="i2", subsets=None, seed=1, data=None, title="GOSH plot", how_to_read=True):
    """GOSH plot: pooled estimate against heterogeneity over subsets of studies.

    The pooled estimate against the heterogeneity (I^2 by default; "tau2", "h2"
    or "qe") of the model fitted to every subset of studies (k <= 15) or a
    seeded random sample of subsets (``meta.gosh``), with the histograms of
    both in the margins.

    Parameters
    ----------
    fit : RandomEffectsResult
        A fitted random-effects model.
    het : {"i2", "tau2", "h2", "qe"}
        The heterogeneity statistic on the x axis.
    subsets : int, optional
        Random subsets to fit when k > 15 (default 100,000; see ``meta.gosh``).
    seed : int
        Seed of the subset sample.
    data : pandas.DataFrame, optional
        A ``meta.gosh`` table computed before (it is not recomputed).
    title, how_to_read
        As in :func:`baujat_plot`.

    Returns
    -------
    matplotlib.figure.Figure
        The GOSH plot.

    Raises
    ------
    ValueError
        If het is unknown.

    References
    ----------
    Olkin I, Dahabreh IJ, Trikalinos TA (2012). GOSH - a graphical display of study
        heterogeneity. Res Synth Methods 3:214-223.
    """
    from . import meta
    names = {"i2": "I² (%)", "tau2": "tau²", "h2": "H²", "qe": "Q"}
    if het not in names:
        raise ValueError(f"het must be one of {list(names)}, got {het!r}")
    table = meta.gosh(fit, subsets=subsets, seed=seed) if data is None else data
    x, y = table["estimate"].to_numpy(), table[het].to_numpy()
    fig = plt.figure(figsize=(7, 6.4), layout="constrained")
    plt.close(fig)
    grid = fig.add_gridspec(2, 2, width_ratios=(4, 1), height_ratios=(1, 4))
    ax = fig.add_subplot(grid[1, 0])
    top = fig.add_subplot(grid[0, 0], sharex=ax)
    side = fig.add_subplot(grid[1, 1], sharey=ax)
    ax.scatter(x, y, s=4, color=STUDY, alpha=min(1.0, max(0.05, 200 / len(x))), linewidths=0)
    ax.axvline(fit.estimate, color=POOLED, linestyle="--", linewidth=1.2, label="all studies")
    top.hist(x, bins=60, color=STUDY)
    side.hist(y, bins=60, color=STUDY, orientation="horizontal")
    top.axvline(fit.estimate, color=POOLED, linestyle="--", linewidth=1.2)
    top.tick_params(labelbottom=False)
    side.tick_params(labelleft=False)
    ax.legend(loc="best", fontsize="small")
    ax.set(xlabel="Pooled estimate", ylabel=names[het])
    exact = len(table) == 2**fit.k - 1
    kind = "all" if exact else "a random sample of"
    top.set_title(f"{title}: {len(table):,} subsets ({kind} subsets of k = {fit.k}; {fit.method})")
    if how_to_read:
        _how_to_read(fig, "Each dot is the model fitted to one subset of the studies. Separate clouds point to "
                      "studies that change the result whenever they are included.")
    return fig
