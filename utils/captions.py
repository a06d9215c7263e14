"""Figures with a caption in words: what the figure shows and its key numbers.

    from utils.captions import caption

    fig = plots.forest(fit)
    caption(fig, f"Forest plot of the 8 studies: pooled g = {fit.estimate:.2f} "
                 f"(95% CI {fit.ci_low:.2f} to {fit.ci_high:.2f}).")

A notebook shows a matplotlib figure as a picture, which a screen reader
cannot read and which says nothing to a learner who cannot see it well.
``caption`` shows the figure and, right under it, a caption as text: the
picture's words for everyone, in the same output area (WCAG 2.1, success
criterion 1.1.1, "Non-text content"). Say what is plotted and the numbers a
sighted reader would take from it; do not describe colours alone.
"""
from __future__ import annotations

import html

__all__ = ["caption"]


def __dir__():
    return sorted(__all__)


CAPTION_CLASS = "course-figure-caption"
"""The HTML class of a caption, by which tests find it next to its figure."""

MIN_WORDS = 6
"""A caption shorter than this cannot say what a figure shows and its numbers."""


def caption_html(text: str) -> str:
    """The caption as an HTML paragraph, its text escaped.

    Parameters
    ----------
    text : str
        The caption's words.

    Returns
    -------
    str
        ``<p class='course-figure-caption'><b>Figure.</b> text</p>``, by whose
        class tests find the caption under its figure.
    """
    return (f"<p class='{CAPTION_CLASS}' style='margin:0.2em 0 0.8em 0;font-size:95%'>"
            f"<b>Figure.</b> {html.escape(text)}</p>")


def _require_text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text: a caption must be a string, got {type(text).__name__}")
    words = text.split()
    if len(words) < MIN_WORDS:
        raise ValueError(f"text: a caption says what the figure shows and its key numbers in words; "
                         f"{len(words)} words is too short (at least {MIN_WORDS})")
    return " ".join(words)


def caption(figure=None, text: str = "") -> None:
    """Show ``figure`` with ``text`` under it as a caption that screen readers read.

    Parameters
    ----------
    figure : matplotlib.figure.Figure, optional
        The figure to show (default: pyplot's current figure). It is closed
        afterwards, so the notebook does not show it a second time.
    text : str
        What the figure shows and its key numbers, in at least six words.

    Raises
    ------
    TypeError
        If ``figure`` is not a matplotlib Figure or ``text`` is not a string.
    ValueError
        If ``text`` is too short to describe a figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from IPython.display import display

    text = _require_text(text)
    if figure is None:
        figure = plt.gcf()
    if not isinstance(figure, Figure):
        raise TypeError(f"figure: a matplotlib Figure is needed (e.g. fig from plt.subplots()), "
                        f"got {type(figure).__name__}")
    plt.close(figure)  # shown here, not again by the inline backend at the end of the cell
    display(figure)
    display({"text/html": caption_html(text), "text/plain": f"Figure. {text}"}, raw=True)
