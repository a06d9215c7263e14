"""Explorers redraw on every control change and survive a failing draw."""
import logging

import matplotlib.pyplot as plt
import numpy as np
import pytest

from utils.explorer import explorer, slider, dropdown, checkbox, multi_select


def pixels(figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(figure)  # the explorer has closed the figure: render it afresh
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def draw_line(slope, colour="#0072B2", grid=False, studies=("a",)):
    fig, ax = plt.subplots(figsize=(3, 2))
    x = np.linspace(0, 1, 10)
    ax.plot(x, slope * x, color=colour)
    ax.set_ylim(-2, 2)
    ax.grid(grid)
    ax.set_title(f"{len(studies)} studies")
    return fig


@pytest.fixture
def no_logged_errors(caplog):
    caplog.set_level(logging.WARNING)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_moving_a_slider_redraws_a_different_figure(no_logged_errors):
    shown = explorer(draw_line, title="slope", slope=slider("slope", -2, 2, 0.1, 0.5))
    assert shown.redraws == 1 and shown.errors == []
    before = pixels(shown.last_figure)
    shown.controls["slope"].value = -1.5
    assert shown.redraws == 2
    assert not np.array_equal(before, pixels(shown.last_figure))


def test_every_kind_of_control_triggers_a_redraw(no_logged_errors):
    shown = explorer(draw_line, slope=slider("slope", -2, 2, 0.1, 0.5),
                     colour=dropdown("colour", ["#0072B2", "#D55E00"]),
                     grid=checkbox("grid"), studies=multi_select("studies", ["a", "b", "c"]))
    shown.controls["colour"].value = "#D55E00"
    shown.controls["grid"].value = True
    shown.controls["studies"].value = ("a", "b")
    assert shown.redraws == 4 and shown.errors == []
    assert shown.values() == {"slope": 0.5, "colour": "#D55E00", "grid": True, "studies": ("a", "b")}


def test_set_changes_several_controls_with_one_redraw():
    shown = explorer(draw_line, slope=slider("slope", -2, 2, 0.1, 0.5), grid=checkbox("grid"))
    shown.set(slope=1.0, grid=True)
    assert shown.redraws == 2 and shown.values() == {"slope": 1.0, "grid": True}
    shown.controls["slope"].value = 0.0  # observers are back after set()
    assert shown.redraws == 3


def fragile_line(slope):
    """draw_line, raising for a negative slope."""
    if slope < 0:
        raise ValueError("slope must be positive")
    return draw_line(slope)


def failed_once():
    """An explorer of fragile_line whose slope was just set to a value that fails."""
    shown = explorer(fragile_line, slope=slider("slope", -2, 2, 0.1, 0.5))
    shown.controls["slope"].value = -1.0
    return shown


def test_a_failing_draw_is_shown_and_the_controls_keep_working(no_logged_errors):
    shown = failed_once()
    assert shown.errors == ["ValueError: slope must be positive"]
    shown.controls["slope"].value = 1.0
    assert shown.redraws == 2


def test_figures_are_closed_so_memory_does_not_grow():
    shown = explorer(draw_line, slope=slider("slope", -2, 2, 0.1, 0.5))
    open_before = len(plt.get_fignums())
    for value in np.linspace(-2, 2, 15):
        shown.controls["slope"].value = float(value)
    assert len(plt.get_fignums()) <= open_before


def test_an_explorer_needs_a_control():
    with pytest.raises(ValueError, match="at least one control"):
        explorer(draw_line)


# --------------------------------------------------------------------------
# The quick path: one figure, changed in place, only its animated artists redrawn
# --------------------------------------------------------------------------
def shown_pixels(shown):
    from PIL import Image
    import io
    return np.asarray(Image.open(io.BytesIO(shown.image.value)).convert("RGB")).astype(int)


def saved_pixels(figure):
    """The whole figure drawn afresh (savefig draws animated artists too), as the explorer's image would be."""
    import io
    from PIL import Image
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=figure.dpi)
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def nearly_equal(a, b) -> bool:
    """Images that differ only where an animated artist meets what it is now drawn over (a spine): under
    0.1% of the pixels (a leftover line from the previous setting would be about 0.5%)."""
    return a.shape == b.shape and (np.abs(a - b).max(axis=2) > 1).mean() < 0.001


def kept_figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set(xlim=(0, 1), ylim=(-2, 2))
    line, = ax.plot([], [], color="#0072B2", animated=True)
    title = ax.set_title("", animated=True)

    def draw(slope):
        x = np.linspace(0, 1, 10)
        line.set_data(x, slope * x)
        title.set_text(f"slope {slope:.1f}")
        return fig
    return fig, ax, draw


def test_a_kept_figure_redraws_only_its_animated_artists_and_looks_the_same():
    fig, ax, draw = kept_figure()
    shown = explorer(draw, title="slope", slope=slider("slope", -2, 2, 0.1, 0.5))
    assert shown.full_redraws == 1 and shown.redraws == 1
    before = shown_pixels(shown)
    for value in (-1.5, 0.0, 1.2):
        shown.controls["slope"].value = value
    assert shown.redraws == 4 and shown.full_redraws == 1, "the background was drawn again"
    after = shown_pixels(shown)
    assert not np.array_equal(before, after)
    assert nearly_equal(after, saved_pixels(fig)), "the blitted image differs from the whole figure drawn"
    assert shown.last_figure is fig and shown.errors == []


def test_changing_what_is_not_animated_redraws_the_whole_figure():
    fig, ax, draw = kept_figure()

    def draw_and_zoom(slope):
        ax.set_ylim(-abs(slope) - 0.5, abs(slope) + 0.5)   # not animated: the background is out of date
        return draw(slope)
    shown = explorer(draw_and_zoom, slope=slider("slope", -2, 2, 0.1, 0.5))
    shown.controls["slope"].value = 1.5
    assert shown.full_redraws == 2
    assert nearly_equal(shown_pixels(shown), saved_pixels(fig))


def test_switching_between_kept_figures_keeps_each_background():
    figures = [kept_figure() for _ in range(2)]

    def draw(which, slope):
        return figures[which][2](slope)
    shown = explorer(draw, which=dropdown("figure", [("first", 0), ("second", 1)]),
                     slope=slider("slope", -2, 2, 0.1, 0.5))
    shown.controls["which"].value = 1
    shown.controls["which"].value = 0
    shown.controls["slope"].value = -1.0
    shown.controls["which"].value = 1
    assert shown.redraws == 5 and shown.full_redraws == 2   # each figure drawn whole once


def test_an_animated_legend_can_change_its_text_without_a_whole_redraw():
    fig, ax = plt.subplots(figsize=(3, 2))
    line, = ax.plot([0, 1], [0, 1], label="slope 0", animated=True)
    legend = ax.legend()
    legend.set_animated(True)

    def draw(slope):
        line.set_ydata([0, slope])
        legend.get_texts()[0].set_text(f"slope {slope:.1f}")
        return fig
    shown = explorer(draw, slope=slider("slope", -2, 2, 0.1, 0.5))
    shown.controls["slope"].value = 1.0
    assert shown.full_redraws == 1
    assert nearly_equal(shown_pixels(shown), saved_pixels(fig))


def test_the_readout_says_the_settings_and_the_titles():
    fig, ax, draw = kept_figure()
    shown = explorer(lambda slope, grid: draw(slope), slope=slider("slope", -2, 2, 0.1, 0.5), grid=checkbox("grid"))
    shown.controls["slope"].value = -1.5
    assert shown.readout == "slope: -1.50; grid: off. slope -1.5"
    assert "aria-live='polite'" in shown._readout.value and "slope -1.5" in shown._readout.value
    assert "data-described='no'" in shown._readout.value


def test_an_error_hides_the_figure_until_a_setting_draws_again():
    shown = failed_once()
    assert "could not be drawn" in shown.message.value and shown.image.layout.display == "none"
    assert "could not be drawn" in shown.readout
    shown.controls["slope"].value = 1.0
    assert shown.message.value == "" and shown.image.layout.display is None
    assert shown.errors == ["ValueError: slope must be positive"]


def test_what_draw_prints_is_shown_below_the_figure():
    def chatty(slope):
        print(f"slope is {slope}")
        return draw_line(slope)
    shown = explorer(chatty, slope=slider("slope", -2, 2, 0.1, 0.5))
    assert "slope is 0.5" in shown.message.value


def test_a_control_must_be_a_widget():
    with pytest.raises(TypeError, match="slope"):
        explorer(draw_line, slope=0.5)


def test_a_description_from_draw_leads_the_readout_and_is_shown_on_screen():
    def described(slope):
        return draw_line(slope), f"A line rising  by {slope:.1f} per unit."
    shown = explorer(described, slope=slider("slope", -2, 2, 0.1, 0.5))
    shown.controls["slope"].value = 1.5
    assert shown.readout == "A line rising by 1.5 per unit. (slope: 1.50)"
    assert shown.description == "A line rising by 1.5 per unit."
    assert "position:absolute" not in shown._readout.value  # visible, not for screen readers only
    assert "data-described='yes'" in shown._readout.value


@pytest.mark.parametrize("returned", [("fig", "a", "b"), ("fig", 3)])
def test_a_malformed_pair_from_draw_is_an_error_shown_in_the_explorer(returned):
    shown = explorer(lambda slope: (draw_line(slope),) + returned[1:], slope=slider("slope", -2, 2, 0.1, 0.5))
    assert "could not be drawn" in shown.readout and "(figure, description)" in shown.readout


@pytest.mark.parametrize("transparent", [False, True])
def test_the_png_written_decodes_to_the_canvas_pixels(transparent):
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from utils.explorer import png_bytes

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.scatter(*np.random.default_rng(1).random((2, 50)), c=np.arange(50), alpha=0.5)
    ax.set_title("gradients, text and half-transparent dots")
    if transparent:
        fig.patch.set_alpha(0.0)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    decoded = Image.open(io.BytesIO(png_bytes(rgba, opaque=not transparent)))
    decoded.load()  # checks every chunk's CRC and the zlib stream
    assert decoded.mode == ("RGBA" if transparent else "RGB")
    assert np.array_equal(np.asarray(decoded), rgba if transparent else rgba[:, :, :3])
    plt.close(fig)


def test_the_png_writer_names_a_wrong_buffer():
    from utils.explorer import png_bytes

    with pytest.raises(ValueError, match="rgba"):
        png_bytes(np.zeros((4, 4, 3), np.uint8))
