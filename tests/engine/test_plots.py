"""utils.plots: each function returns a Figure with the expected artists and rejects bad input.

Small duck-typed results (types.SimpleNamespace) check the plots against the agreed
attribute names; the real utils.meta / utils.bias results check them end to end.
"""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from utils import bias, data, meta, plots

YI = np.array([-0.34, 0.08, -0.19, -2.50, -0.79])
VI = np.array([0.0156, 0.0481, 0.0109, 0.7173, 0.1837])


def _ax(fig):
    assert isinstance(fig, Figure)
    return fig.axes[0]


def _scatters(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def _polygons(ax):
    return [p for p in ax.patches if isinstance(p, Polygon)]


def _texts(ax):
    return " ".join(t.get_text() for t in ax.texts)


def _fake_result(**extra):
    w = 100 * (1 / VI) / np.sum(1 / VI)
    fields = dict(yi=YI, vi=VI, labels=[f"S{i}" for i in range(5)], weights=w, estimate=-0.25,
                  ci_low=-0.40, ci_high=-0.10, pi_low=-0.60, pi_high=0.10, level=0.95, method="REML")
    fields.update(extra)
    return SimpleNamespace(**fields)


class _Line:
    """A regression result with predict(): pred = b0 + b1 * x, CI +/- 0.1."""

    def __init__(self, name, b0=-0.1, b1=-1.0, tau2=0.01):
        self.name, self.b0, self.b1, self.tau2 = name, b0, b1, tau2
        self.coefficients = pd.DataFrame({"estimate": [b0, b1]}, index=["intercept", name])

    def predict(self, new):
        pred = self.b0 + self.b1 * np.asarray(new[self.name], float)
        return pd.DataFrame({"pred": pred, "se": 0.05, "ci_low": pred - 0.1, "ci_high": pred + 0.1})


@pytest.fixture(scope="module")
def table1():
    effects = data.table1_effects()
    return effects["yi"].to_numpy(), effects["vi"].to_numpy(), list(effects["study"])


# --------------------------------------------------------------------------- #
# Forest
# --------------------------------------------------------------------------- #

def test_forest_from_a_result():
    ax = _ax(plots.forest(_fake_result(), reference="paper: -0.20 [-0.32, -0.07]"))
    squares = _scatters(ax)
    assert len(squares) == 1 and len(squares[0].get_offsets()) == 5          # one marker per study
    sizes = squares[0].get_sizes()
    assert np.argmax(sizes) == np.argmax(1 / VI)                              # area follows the weight
    cis = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(cis[0].get_segments()) == 5                                   # one CI per study
    (diamond,) = _polygons(ax)
    xs = diamond.get_xy()[:, 0]
    assert xs.min() == pytest.approx(-0.40) and xs.max() == pytest.approx(-0.10)
    assert len(cis) == 2 and np.allclose(cis[1].get_segments()[0][:, 0], [-0.60, 0.10])  # PI
    assert "paper: -0.20 [-0.32, -0.07]" in _texts(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:5] == ["S0", "S1", "S2", "S3", "S4"] and "REML" in labels[5]
    assert ax.get_title() and ax.get_xlabel() == "Hedges' g"


def test_forest_without_prediction_interval():
    ax = _ax(plots.forest(_fake_result(pi_low=None, pi_high=None, weights=None)))
    assert len([c for c in ax.collections if isinstance(c, LineCollection)]) == 1
    assert "prediction interval" not in _texts(ax)


def test_forest_fits_the_model_from_yi_vi(table1):
    yi, vi, labels = table1
    ax = _ax(plots.forest(yi=yi, vi=vi, labels=labels))
    fit = meta.random_effects(yi, vi)
    (diamond,) = _polygons(ax)
    assert diamond.get_xy()[:, 0].min() == pytest.approx(fit.ci_low)
    assert len(_scatters(ax)[0].get_offsets()) == 8
    assert [t.get_text() for t in ax.get_yticklabels()][0] == labels[0]


def test_forest_of_a_three_level_model():
    k11 = data.load_konstantopoulos2011().head(12)
    fit = meta.three_level(k11["yi"], k11["vi"], k11["district"], k11["school"])
    ax = _ax(plots.forest(fit, xlabel="SMD"))
    assert len(_scatters(ax)[0].get_offsets()) == 12
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "11 / 1" and labels[-1] == "Three-level model"


def test_forest_rejects_bad_input():
    with pytest.raises(ValueError, match="yi and vi"):
        plots.forest()
    with pytest.raises(ValueError, match="vi must be positive; position 1"):
        plots.forest(_fake_result(vi=np.array([0.1, -0.1, 0.1, 0.1, 0.1])))
    with pytest.raises(ValueError, match="labels"):
        plots.forest(_fake_result(labels=["only one"]))


# --------------------------------------------------------------------------- #
# Funnels
# --------------------------------------------------------------------------- #

def test_funnel():
    ax = _ax(plots.funnel(YI, VI, estimate=-0.2))
    (points,) = _scatters(ax)
    np.testing.assert_allclose(points.get_offsets(), np.column_stack([YI, np.sqrt(VI)]))
    bottom, top = ax.get_ylim()
    assert top == 0 and bottom > np.sqrt(VI).max()                         # SE axis reversed
    (triangle,) = _polygons(ax)
    assert triangle.get_xy()[1].tolist() == [-0.2, 0.0]                   # apex at the estimate, SE 0
    assert ax.get_ylabel() == "Standard error"


def test_funnel_estimate_from_a_result_or_fixed_effect():
    fe = meta.random_effects(YI, VI, method="FE")
    ax = _ax(plots.funnel(YI, VI))
    assert _polygons(ax)[0].get_xy()[1][0] == pytest.approx(fe.estimate)
    ax = _ax(plots.funnel(YI, VI, estimate=SimpleNamespace(estimate=0.3)))
    assert _polygons(ax)[0].get_xy()[1][0] == pytest.approx(0.3)


def test_contour_funnel():
    ax = _ax(plots.contour_funnel(YI, VI))
    assert len(_polygons(ax)) == 3                                        # 99%, 95%, 90% regions
    widths = [np.ptp(p.get_xy()[:, 0]) for p in _polygons(ax)]
    assert widths[0] > widths[1] > widths[2]                              # drawn widest first
    assert all(p.get_xy()[1][0] == 0 for p in _polygons(ax))             # centred on 0
    assert len(ax.get_legend().get_texts()) == 4
    assert len(_scatters(ax)[0].get_offsets()) == 5


@pytest.mark.parametrize("call, pattern", [
    (lambda: plots.funnel(YI, VI[:3]), "same length"),
    (lambda: plots.funnel(YI, -VI), "vi must be positive"),
    (lambda: plots.funnel(YI, VI, estimate=0, level=1.5), "level"),
    (lambda: plots.contour_funnel(YI, VI, levels=(0.9, 0.95)), "three"),
    (lambda: plots.contour_funnel(["a"] * 5, VI), "yi must be numeric"),
])
def test_funnels_reject_bad_input(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_trimfill_funnel_duck_typed():
    tf = SimpleNamespace(filled_yi=np.array([1.0, 0.5]), filled_vi=VI[[3, 4]], estimate=-0.1,
                         observed=SimpleNamespace(yi=YI, vi=VI), model=None)
    ax = _ax(plots.trimfill_funnel(tf))
    observed, filled = _scatters(ax)
    assert len(observed.get_offsets()) == 5 and len(filled.get_offsets()) == 2
    assert np.all(filled.get_facecolors()[:, :3] == 1)                   # hollow (white) markers
    assert _polygons(ax)[0].get_xy()[1][0] == pytest.approx(-0.1)


def test_trimfill_funnel_real():
    h = data.load_hackshaw1998()
    tf = bias.trim_and_fill(h["yi"], h["vi"])
    ax = _ax(plots.trimfill_funnel(tf, xlabel="log odds ratio"))
    observed, filled = _scatters(ax)
    assert len(observed.get_offsets()) == 37 and len(filled.get_offsets()) == tf.k0 > 0
    np.testing.assert_allclose(filled.get_offsets()[:, 0], tf.filled_yi)


def test_trimfill_funnel_without_observed_uses_first_k_of_model():
    tf = SimpleNamespace(filled_yi=np.array([1.0]), filled_vi=np.array([0.2]), estimate=0.0, observed=None,
                         model=SimpleNamespace(yi=np.append(YI, 1.0), vi=np.append(VI, 0.2)))
    observed, filled = _scatters(_ax(plots.trimfill_funnel(tf)))
    assert len(observed.get_offsets()) == 5 and len(filled.get_offsets()) == 1


# --------------------------------------------------------------------------- #
# Egger and bubble plots
# --------------------------------------------------------------------------- #

def test_egger_plot_duck_typed():
    eg = SimpleNamespace(slope=-1.0, se=0.5, p=0.04, limit_estimate=-0.1, model=_Line("sei"))
    ax = _ax(plots.egger_plot(eg, yi=YI, vi=VI))
    (points,) = _scatters(ax)
    np.testing.assert_allclose(points.get_offsets(), np.column_stack([np.sqrt(VI), YI]))
    (line,) = [artist for artist in ax.get_lines() if artist.get_linestyle() == "-"]
    x, y = line.get_data()
    np.testing.assert_allclose(y, -0.1 - x)                                # limit + slope * SE
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 1  # the band
    assert "-1.00" in _texts(ax)


def test_egger_plot_real(table1):
    yi, vi, _ = table1
    ax = _ax(plots.egger_plot(yi=yi, vi=vi))
    eg = bias.egger(yi, vi)
    (line,) = [artist for artist in ax.get_lines() if artist.get_linestyle() == "-"]
    x, y = line.get_data()
    assert y[0] == pytest.approx(eg.limit_estimate) and x[0] == 0
    np.testing.assert_allclose(np.diff(y) / np.diff(x), eg.slope)
    np.testing.assert_allclose(_ax(plots.egger_plot(eg)).get_lines()[0].get_ydata(), y)  # the result carries its data
    with pytest.raises(ValueError, match="yi and vi"):
        plots.egger_plot()


def test_bubble_continuous_duck_typed():
    x = np.array([3.0, 4.0, 5.0, 5.0, 4.0])
    ax = _ax(plots.bubble(YI, VI, x, _Line("quality"), xlabel="Jadad score"))
    (points,) = _scatters(ax)
    assert len(points.get_offsets()) == 5
    sizes = points.get_sizes()
    assert np.argmax(sizes) == np.argmin(VI) and np.argmin(sizes) == np.argmax(VI)
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 1
    assert ax.get_xlabel() == "Jadad score"


def test_bubble_real_continuous_and_categorical():
    b = data.load_bcg()
    ai, n1, ci, n2 = b["tpos"], b["tpos"] + b["tneg"], b["cpos"], b["cpos"] + b["cneg"]
    yi = np.log((ai / n1) / (ci / n2)).to_numpy()
    vi = (1 / ai - 1 / n1 + 1 / ci - 1 / n2).to_numpy()
    fit = meta.regression(yi, vi, {"ablat": b["ablat"]})
    ax = _ax(plots.bubble(yi, vi, b["ablat"], fit, ylabel="log risk ratio"))
    (line,) = [artist for artist in ax.get_lines() if artist.get_linestyle() == "-"]
    x, y = line.get_data()
    slope = fit.coefficients.loc["ablat", "estimate"]
    np.testing.assert_allclose(np.diff(y) / np.diff(x), slope)

    alloc = pd.Categorical(b["alloc"])
    fit = meta.regression(yi, vi, {"alloc": alloc})
    ax = _ax(plots.bubble(yi, vi, alloc, fit, name="alloc"))
    assert len(_scatters(ax)[0].get_offsets()) == 13
    assert [t.get_text() for t in ax.get_xticklabels()] == list(alloc.categories)
    means = fit.predict(pd.DataFrame({"alloc": pd.Categorical(alloc.categories, categories=alloc.categories)}))
    (errorbar,) = ax.containers
    np.testing.assert_allclose(errorbar.lines[0].get_ydata(), means["pred"])


def test_bubble_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        plots.bubble(YI, VI, [1, 2, 3], _Line("q"))
    model = _Line("q")
    model.coefficients = pd.DataFrame({"estimate": [0, 1, 2]}, index=["intercept", "a", "b"])
    with pytest.raises(ValueError, match="name"):
        plots.bubble(YI, VI, np.arange(5.0), model)


# --------------------------------------------------------------------------- #
# Study power
# --------------------------------------------------------------------------- #

def test_power_plot_from_se(table1):
    from utils import power
    _, vi, labels = table1
    ax = _ax(plots.power_plot(np.sqrt(vi), -0.20, labels))
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() == pytest.approx(0.6)]
    assert len(bars) == 8
    expected = power.study_power(np.sqrt(vi), -0.20)
    np.testing.assert_allclose(sorted(b.get_width() for b in bars), np.sort(expected))
    median_line = [artist for artist in ax.get_lines() if artist.get_linestyle() == "--"][0]
    assert median_line.get_xdata()[0] == pytest.approx(np.median(expected))
    assert "0.15" in ax.get_legend().get_texts()[0].get_text()          # the paper's median power
    assert [t.get_text() for t in ax.get_yticklabels()][0] == labels[0]


def test_power_plot_from_n():
    from utils import power
    ax = _ax(plots.power_plot(n=[40, 120, 400], effect=0.3))
    widths = [p.get_width() for p in ax.patches if isinstance(p, Rectangle) and p.get_height() == pytest.approx(0.6)]
    np.testing.assert_allclose(widths, power.study_power(np.sqrt(power.variance_d([40, 120, 400], 0.3)), 0.3))


@pytest.mark.parametrize("kwargs, pattern", [
    (dict(se=[0.1, 0.2], n=[10, 20]), "exactly one"),
    (dict(), "exactly one"),
    (dict(se=[0.1, -0.2]), "se must be positive; position 1"),
    (dict(se=[0.1, 0.2], labels=["a"]), "labels"),
    (dict(se=[0.1, 0.2], effect=[0.1, 0.2]), "effect must be a single number"),
])
def test_power_plot_rejects_bad_input(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        plots.power_plot(**kwargs)


def test_okabe_ito_palette_is_used():
    ax = _ax(plots.funnel(YI, VI, estimate=0))
    colour = _scatters(ax)[0].get_facecolors()[0]
    assert tuple(np.round(colour[:3] * 255).astype(int)) == (0x00, 0x72, 0xB2)



# --------------------------------------------------------------------------- #
# Baujat and GOSH
# --------------------------------------------------------------------------- #

def test_baujat_plot(table1):
    yi, vi, study = table1
    fit = meta.random_effects(yi, vi, labels=study)
    fig = plots.baujat_plot(fit)
    ax = _ax(fig)
    (points,) = _scatters(ax)
    coords = meta.baujat(fit)
    assert np.allclose(points.get_offsets(), coords[["x", "y"]].to_numpy())   # metafor's coordinates
    flagged = meta.influence(fit)["inf"] == "*"
    colours = [to_hex(c).upper() for c in points.get_facecolors()]
    assert [c == plots.POOLED for c in colours] == list(flagged)               # influential in vermillion
    assert set(colours) <= set(plots.OKABE_ITO.values())
    assert "Baujat plot (k = 8)" in ax.get_title() and "Each number is a study" in fig._supxlabel.get_text()
    assert [t.get_text() for t in ax.texts] == [str(i) for i in range(1, 9)]


def test_gosh_plot(table1):
    yi, vi, _ = table1
    fit = meta.random_effects(yi, vi)
    fig = plots.gosh_plot(fit)
    ax = fig.axes[0]
    (cloud,) = _scatters(ax)
    assert len(cloud.get_offsets()) == 2**8 - 1                                # every subset
    table = meta.gosh(fit)
    assert np.allclose(cloud.get_offsets(), table[["estimate", "i2"]].to_numpy())
    assert len(fig.axes) == 3                                                  # the two margins
    assert "255 subsets (all subsets of k = 8" in fig.axes[1].get_title()
    assert fig._supxlabel.get_text().startswith("Each dot is the model fitted to one subset of the studies")
    assert plots.gosh_plot(fit, data=table, how_to_read=False)._supxlabel is None
    tau = plots.gosh_plot(fit, het="tau2", data=table)
    assert np.allclose(_scatters(tau.axes[0])[0].get_offsets()[:, 1], table["tau2"])
    with pytest.raises(ValueError, match="het"):
        plots.gosh_plot(fit, het="I2")


def test_gosh_plot_of_a_random_sample():
    rng = np.random.default_rng(2)        # simulated effects, k = 18 > 15
    yi, vi = rng.normal(0.2, 0.2, 18), rng.uniform(0.01, 0.1, 18)
    fig = plots.gosh_plot(meta.random_effects(yi, vi), subsets=500, seed=3)
    assert len(_scatters(fig.axes[0])[0].get_offsets()) == 500
    assert "a random sample of subsets of k = 18" in fig.axes[1].get_title()
