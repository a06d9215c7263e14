"""Explorers: controls that redraw a matplotlib figure.

    from utils.explorer import explorer, slider, dropdown

    def draw(dose, hours):
        fig, ax = plt.subplots()
        ...
        return fig

    explorer(draw, dose=slider("Dose (mg)", 0, 100, 5, 50),
             hours=slider("Hours since dose", 0, 240, 1, 2))

Each change of a control calls ``draw`` with the current values and shows
the figure it returns as a PNG image (an ipywidgets Image: no ipympl and
nothing from the internet, so it works on JupyterHub, Binder and Colab
alike). A ``draw`` that fails shows its error in the explorer, records it in
``errors`` and leaves the controls working. The figure is shown whole, at
its own size (figsize x dpi): keep everything inside it (``tight_layout``
or a fixed ``subplots_adjust`` does).

Quick redraws: keep the figure, change what moves
-------------------------------------------------
Drawing a whole figure takes matplotlib 30-120 ms on a small CPU, most of
it on text (tick labels, titles); building a new one each time adds more.
So the quick way is to build the figure once, in the explorer's cell, and
let ``draw`` change only what depends on the controls, returning the same
figure each time. Mark those artists ``animated=True``::

    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.set(xlim=(0, 20), ylim=(0, 100), xlabel="days")
    curve, = ax.plot([], [], animated=True)
    title = ax.set_title("", animated=True)

    def draw(dose):
        curve.set_data(days, blockade(dose, days))
        title.set_text(f"{dose} mg")
        return fig

Each letter of an animated text is drawn again at every move (about 0.2 ms
a letter on a small CPU, so a 90-letter title costs about 20 ms): animate
only what changes (a label beside a number can stay still), keep those
texts short, and leave the full sentence to the readout below.

The explorer draws the figure once without its animated artists, keeps that
picture, and for each change pastes it back and draws only the animated
artists on top (matplotlib's "blitting"; they are drawn last, in their
z-order). If ``draw`` changes anything else (axis limits, a legend, an
artist that is not animated, a new or removed artist), matplotlib marks the
figure stale and the explorer draws it whole again: the picture is always
right, only slower. ``full_redraws`` counts those whole redraws.

Below the figure a one-line readout (an ARIA live region, which screen
readers announce) describes the current state in words. ``draw`` may return
``(figure, description)``: the description says what the figure now shows
and its key numbers, and the readout gives it with the settings. Without
one, the readout gives the settings, the figure's titles and the text of
its animated Text artists.
"""
from __future__ import annotations

import contextlib
import html
import io
import time
from typing import Callable

from .exercises import show_once

__all__ = ["explorer", "slider", "dropdown", "checkbox", "multi_select", "Explorer"]


def __dir__():
    return sorted(__all__)


PNG_COMPRESSION = 1
"""zlib level for the PNG sent to the browser: 1 is several times faster than the default 6 and the
file barely larger (a figure's flat colours compress well at any level)."""

READOUT_STYLE = "font-size:90%;color:#333;margin:0.2em 0 0.6em 0"
"""The readout under the figure: small, dark grey on white (contrast 12.6:1, WCAG AAA)."""


def _figure_and_description(drawn):
    """``draw`` returns a figure, None, or a (figure, description) pair."""
    if isinstance(drawn, tuple):
        if len(drawn) != 2 or not isinstance(drawn[1], str):
            raise TypeError("draw must return a figure, or a pair (figure, description) whose description is "
                            f"a string, got a tuple of {len(drawn)}")
        return drawn[0], " ".join(drawn[1].split())
    return drawn, ""


def _widgets():
    import ipywidgets
    return ipywidgets


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


class FigureRenderer:
    """PNG images of figures, redrawing only their animated artists when nothing else changed.

    ``png(figure)`` draws the whole figure when it is new or stale (matplotlib
    marks a figure stale when anything in it that is not animated changes),
    keeping that picture without the animated artists as its background;
    otherwise it restores the background. Then it draws the animated
    artists (in z-order) and encodes the canvas as PNG (``png_bytes``). The
    backgrounds of the last KEEP figures are kept, so an explorer may switch
    between a few figures (one per choice in a list) and stay quick.
    """

    KEEP = 6

    def __init__(self):
        self._kept: dict = {}  # figure -> (background, animated artists), the most recently shown last
        self.animated: list = []
        self.full_redraws = 0

    def png(self, figure) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
        kept = self._kept.pop(figure, None)
        if kept is None or figure.stale:
            canvas.draw()  # everything but the animated artists
            kept = (canvas.copy_from_bbox(figure.bbox),
                    sorted(_animated_artists(figure), key=lambda artist: artist.get_zorder()))
            self.full_redraws += 1
        else:
            canvas.restore_region(kept[0])
        self._kept[figure] = kept
        while len(self._kept) > self.KEEP:
            del self._kept[next(iter(self._kept))]
        self.animated = kept[1]
        for artist in self.animated:
            figure.draw_artist(artist)
        opaque = figure.get_facecolor()[3] == 1 and figure.patch.get_alpha() in (None, 1)
        return png_bytes(canvas.buffer_rgba(), opaque=opaque)

    def forget(self) -> None:
        self._kept.clear()
        self.animated = []


def png_bytes(rgba, opaque: bool = True) -> bytes:
    """A PNG file of an RGBA pixel buffer (height x width x 4, 8 bits, e.g. a canvas's ``buffer_rgba()``).

    Written directly (signature, IHDR, IDAT, IEND chunks) with numpy and zlib
    at level ``PNG_COMPRESSION``, every row with the "Up" filter (each byte
    minus the one above it, which turns a figure's flat areas into zeros).
    Quicker than Pillow's writer, which tries several filters on every row
    (lesson 03's explorer figure, 950 x 380: 19 ms instead of 27 ms on a
    busy 2-core machine); the file is a little larger.

    Parameters
    ----------
    rgba : array-like
        height x width x 4 bytes (uint8), red, green, blue, alpha.
    opaque : bool
        Write RGB, without the alpha channel (a quarter less to compress),
        for a figure with an opaque background.

    Returns
    -------
    bytes
        The PNG file.

    Raises
    ------
    ValueError
        If ``rgba`` is not height x width x 4 bytes.
    """
    import zlib

    import numpy as np

    pixels = np.asarray(rgba)
    if pixels.ndim != 3 or pixels.shape[2] != 4 or pixels.dtype != np.uint8:
        raise ValueError(f"rgba: an array of height x width x 4 bytes is needed, got shape {pixels.shape} "
                         f"of {pixels.dtype}")
    if opaque:
        pixels = pixels[:, :, :3]
    height, width, channels = pixels.shape
    rows = np.empty((height, 1 + width * channels), np.uint8)
    rows[:, 0] = 2  # filter type 2, "Up"
    flat = pixels.reshape(height, width * channels)
    rows[0, 1:] = flat[0]  # the row above the first is taken as zeros
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])  # modulo 256, as PNG wants
    colour_type = 2 if opaque else 6  # truecolour, or truecolour with alpha

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))

    header = (width.to_bytes(4, "big") + height.to_bytes(4, "big")
              + bytes([8, colour_type, 0, 0, 0]))  # 8 bits; deflate, adaptive filtering, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, PNG_COMPRESSION)) + chunk(b"IEND", b""))


def _animated_artists(artist) -> list:
    """The animated artists in ``artist``, in drawing order.

    An animated artist draws its own parts (a legend its texts), so its parts
    are marked animated too: changing one (``legend.get_texts()[0].set_text``)
    then does not mark the figure stale. Axis objects are not searched: their
    ticks are never animated, and listing them (as ``findobj`` does) creates
    ticks, which marks the figure stale.
    """
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    found = []
    for child in artist.get_children():
        if child.get_animated():
            found.append(child)
            if not isinstance(child, Axes):
                for part in child.findobj(include_self=False):
                    part.set_animated(True)
        elif not isinstance(child, Axis):
            found += _animated_artists(child)
    return found


def _setting(control) -> str:
    """A control's current value as a learner reads it."""
    value = control.value
    if isinstance(value, bool):
        return "on" if value else "off"
    if hasattr(control, "readout_format") and isinstance(value, float):
        try:
            return format(value, control.readout_format)
        except ValueError:
            return f"{value:g}"
    if isinstance(value, tuple):  # several choices
        return f"{len(value)} of {len(control.options)} chosen"
    label = getattr(control, "label", None)
    return str(label if isinstance(label, str) else value)


def _texts(figure, animated: list) -> list[str]:
    """The figure's titles, then the text of its animated Text artists: what carries its numbers."""
    from matplotlib.text import Text

    def tidy(texts):
        return [" ".join(t.split()) for t in texts if t and t.strip()]

    titles = [figure.get_suptitle()] if hasattr(figure, "get_suptitle") else []
    for ax in figure.axes:
        titles += [ax.get_title(loc) for loc in ("left", "center", "right")]
    titles = tidy(titles)
    others = tidy(a.get_text() for a in animated if isinstance(a, Text) and a.get_visible())
    return titles + [t for t in others if t not in titles]


class Explorer:
    """Controls, a figure redrawn by ``draw(**values)``, and a readout for screen readers.

    Parameters
    ----------
    draw : callable
        Called with one keyword argument per control; returns a matplotlib
        Figure (None: the current figure is used), or a pair (figure,
        description) whose description says in words what it shows.
    title : str
        A heading shown above the controls.
    **controls : ipywidgets widget
        The controls, keyed by the name ``draw`` receives.

    Attributes
    ----------
    controls : dict
        name -> widget.
    redraws : int
        How many figures were shown.
    full_redraws : int
        How many of them were drawn whole.
    last_figure : matplotlib.figure.Figure or None
        The last figure drawn.
    last_seconds : float
        Time of the last redraw: draw() and the image sent.
    errors : list of str
        The errors ``draw`` raised.
    readout : str
        The readout line under the figure, as text.
    description : str
        The description ``draw`` returned with the figure last time ("" if none).
    image : ipywidgets.Image
        The widget that shows the figure.

    Raises
    ------
    ValueError
        If no control is given.
    """

    def __init__(self, draw: Callable, title: str = "", **controls):
        w = _widgets()
        if not controls:
            raise ValueError("explorer needs at least one control, e.g. dose=slider(...)")
        not_widgets = [name for name, c in controls.items() if not isinstance(c, w.ValueWidget)]
        if not_widgets:
            raise TypeError(f"controls {not_widgets}: each control must be an ipywidgets control, "
                            "e.g. slider(...), dropdown(...), checkbox(...) or multi_select(...)")
        self.draw = draw
        self.title = title
        self.controls = controls
        self.redraws = 0
        self.errors: list[str] = []
        self.last_figure = None
        self.last_seconds = float("nan")
        self.readout = ""
        self.description = ""
        self._renderer = FigureRenderer()
        self.image = w.Image(format="png")  # no tooltip: ipywidgets 8.1's ImageView fails to draw with one
        self.message = w.HTML()  # an error, or what draw() printed
        self._readout = w.HTML()
        header = [w.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.widget = w.VBox(header + [w.VBox(list(controls.values())), self.image, self.message, self._readout])
        self.widget.add_class("course-explorer")
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    @property
    def full_redraws(self) -> int:
        return self._renderer.full_redraws

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Redraw now with the current control values."""
        import matplotlib.pyplot as plt

        start = time.perf_counter()
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                figure, description = _figure_and_description(self.draw(**self.values()))
                if figure is None:
                    figure = plt.gcf()
                # shown here, not again by the inline backend at the end of the cell; closed before it is
                # drawn, because closing a figure in pyplot may give it a new canvas
                plt.close(figure)
                png = self._renderer.png(figure)
        except Exception as exc:  # show, record, keep the controls alive
            self._renderer.forget()
            self.errors.append(f"{type(exc).__name__}: {exc}")
            self._show_message(f"<div style='color:#D55E00'>This setting could not be drawn: "
                               f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>", image=False)
            self._say(f"This setting could not be drawn: {type(exc).__name__}: {exc}")
        else:
            if self.last_figure is not None and self.last_figure is not figure:
                plt.close(self.last_figure)
            self.last_figure = figure
            self.image.value = png
            text = printed.getvalue().strip()
            self._show_message(f"<pre>{html.escape(text)}</pre>" if text else "", image=True)
            settings = "; ".join(f"{c.description or name}: {_setting(c)}" for name, c in self.controls.items())
            if description:
                self._say(f"{description} ({settings})", described=True)
            else:
                self._say(settings + "".join(f". {t}" for t in _texts(figure, self._renderer.animated)))
            self.description = description
            self.redraws += 1
        self.last_seconds = time.perf_counter() - start

    def _show_message(self, value: str, image: bool) -> None:
        """Change the message and hide or show the image, sending only what changed."""
        if self.message.value != value:
            self.message.value = value
        display = None if image else "none"
        if self.image.layout.display != display:
            self.image.layout.display = display

    def _say(self, text: str, described: bool = False) -> None:
        self.readout = text
        self._readout.value = (f"<div class='course-explorer-readout' role='status' aria-live='polite' "
                               f"data-described='{'yes' if described else 'no'}' "
                               f"style='{READOUT_STYLE}'>{html.escape(text)}</div>")

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
        Called with one keyword argument per control; returns a matplotlib Figure, or (figure, description).
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
