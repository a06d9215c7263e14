"""Explorers: controls that redraw a matplotlib figure inline.

    from utils.explorer import explorer, slider, dropdown

    def draw(dose, hours):
        fig, ax = plt.subplots()
        ...
        return fig

    explorer(draw, dose=slider("Dose (mg)", 0, 100, 5, 50),
             hours=slider("Hours since dose", 0, 240, 1, 2))

Each change of a control calls ``draw`` with the current values, closes the
previous figure and shows the new one (the inline backend, no ipympl: works
on JupyterHub, Binder and Colab alike). A ``draw`` that fails shows its
error in the explorer, records it in ``errors`` and leaves the controls
working.
"""
from __future__ import annotations

import html
import time
from typing import Callable

from .exercises import show_once


def _widgets():
    import ipywidgets
    return ipywidgets


def _in_ipython() -> bool:
    from IPython import get_ipython
    return get_ipython() is not None


def slider(description: str, min: float, max: float, step: float, value: float, *, integer: bool = False,
           readout_format: str | None = None):
    """A slider that redraws when released (keeps hubs responsive).

    Parameters
    ----------
    description : str
        The label shown next to the control.
    min, max, step, value : float
        Range, step and starting value.
    integer : bool
        An integer slider instead of a float one.
    readout_format : str, optional
        Format of the shown value for a float slider, e.g. ".2f".

    Returns
    -------
    ipywidgets.IntSlider or ipywidgets.FloatSlider
    """
    w = _widgets()
    cls = w.IntSlider if integer else w.FloatSlider
    options = dict(description=description, min=min, max=max, step=step, value=value, continuous_update=False,
                   style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    if readout_format and not integer:
        options["readout_format"] = readout_format
    return cls(**options)


def dropdown(description: str, options, value=None):
    """A drop-down list; ``options`` as for ipywidgets (list, or label -> value).

    Parameters
    ----------
    description : str
        The label shown next to the control.
    options : list or dict
        The choices.
    value : optional
        The starting choice (default: the first).

    Returns
    -------
    ipywidgets.Dropdown
    """
    w = _widgets()
    extra = {} if value is None else {"value": value}
    return w.Dropdown(description=description, options=options, style={"description_width": "initial"}, **extra)


def checkbox(description: str, value: bool = False):
    """A checkbox.

    Parameters
    ----------
    description : str
        The label shown next to the control.
    value : bool
        Whether it starts ticked.

    Returns
    -------
    ipywidgets.Checkbox
    """
    w = _widgets()
    return w.Checkbox(description=description, value=value, indent=False)


def multi_select(description: str, options, value=None, rows: int = 8):
    """Several choices at once (e.g. which studies to include).

    Parameters
    ----------
    description : str
        The label shown next to the control.
    options : iterable
        The choices.
    value : iterable, optional
        The starting selection (default: all options).
    rows : int
        Rows shown.

    Returns
    -------
    ipywidgets.SelectMultiple
    """
    w = _widgets()
    options = list(options)
    return w.SelectMultiple(description=description, options=options, value=tuple(value if value is not None
                                                                                  else options), rows=rows,
                            style={"description_width": "initial"})


class Explorer:
    """Controls plus an output area redrawn by ``draw(**values)``.

    Parameters
    ----------
    draw : callable
        Called with one keyword argument per control; returns a matplotlib
        Figure (None: the current figure is used).
    title : str
        A heading shown above the controls.
    **controls : ipywidgets widget
        The controls, keyed by the name ``draw`` receives.

    Attributes
    ----------
    controls : dict
        name -> widget.
    redraws : int
        How many figures were drawn.
    last_figure : matplotlib.figure.Figure or None
        The last figure drawn.
    last_seconds : float
        Time of the last redraw.
    errors : list of str
        The errors ``draw`` raised.

    Raises
    ------
    ValueError
        If no control is given.
    """

    def __init__(self, draw: Callable, title: str = "", **controls):
        w = _widgets()
        if not controls:
            raise ValueError("explorer needs at least one control, e.g. dose=slider(...)")
        self.draw = draw
        self.title = title
        self.controls = controls
        self.output = w.Output()
        self.redraws = 0
        self.errors: list[str] = []
        self.last_figure = None
        self.last_seconds = float("nan")
        header = [w.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.widget = w.VBox(header + [w.VBox(list(controls.values())), self.output])
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Redraw now with the current control values."""
        import matplotlib.pyplot as plt
        from IPython.display import HTML, display

        start = time.perf_counter()
        with self.output:
            self.output.clear_output(wait=True)
            try:
                figure = self.draw(**self.values())
                if figure is None:
                    figure = plt.gcf()
                if _in_ipython():
                    display(figure)
                if self.last_figure is not None and self.last_figure is not figure:
                    plt.close(self.last_figure)
                plt.close(figure)
                self.last_figure = figure
                self.redraws += 1
            except Exception as exc:  # show, record, keep the controls alive
                self.errors.append(f"{type(exc).__name__}: {exc}")
                display(HTML(f"<div style='color:#D55E00'>This setting could not be drawn: "
                             f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>"))
        self.last_seconds = time.perf_counter() - start

    def set(self, **values) -> None:
        """Change several controls, redrawing once (for tests and demos)."""
        with self._hold():
            for name, value in values.items():
                self.controls[name].value = value
        self.update()

    def _hold(self):
        explorer = self

        class _Hold:
            def __enter__(self):
                for control in explorer.controls.values():
                    control.unobserve(explorer._on_change, names="value")

            def __exit__(self, *exc):
                for control in explorer.controls.values():
                    control.observe(explorer._on_change, names="value")

        return _Hold()

    def _ipython_display_(self):
        show_once(self)

    def __repr__(self) -> str:
        return f"{self.title or 'Explorer'} (controls: {', '.join(self.controls)})"


def explorer(draw: Callable, title: str = "", **controls) -> Explorer:
    """Build and show an explorer: see the module docstring.

    Parameters
    ----------
    draw : callable
        Called with one keyword argument per control; returns a matplotlib Figure.
    title : str
        A heading shown above the controls.
    **controls : ipywidgets widget
        The controls, keyed by the name ``draw`` receives.

    Returns
    -------
    Explorer
        The explorer, already displayed once.

    Raises
    ------
    ValueError
        If no control is given.
    """
    built = Explorer(draw, title, **controls)
    show_once(built)
    return built
