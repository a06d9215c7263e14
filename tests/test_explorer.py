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


def test_a_failing_draw_is_shown_and_the_controls_keep_working(no_logged_errors):
    def fragile(slope):
        if slope < 0:
            raise ValueError("slope must be positive")
        return draw_line(slope)
    shown = explorer(fragile, slope=slider("slope", -2, 2, 0.1, 0.5))
    shown.controls["slope"].value = -1.0
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
