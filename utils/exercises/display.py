"""Showing verdicts in a notebook: a feedback box with a Check button.

Display only; whether an answer is right is decided in
:mod:`utils.exercises.judging`. Explorers share :func:`show_once`.
"""
from __future__ import annotations

import html
from typing import Callable, Mapping, Sequence

from .judging import CORRECT, NOT_ATTEMPTED, PARTLY, SYMBOLS, WRONG, Verdict

COLOURS = {CORRECT: "#009E73", PARTLY: "#E69F00", WRONG: "#D55E00", NOT_ATTEMPTED: "#666666"}  # Okabe-Ito


def widgets():
    """ipywidgets, imported on first use (keeps ``import utils`` fast)."""
    import ipywidgets
    return ipywidgets


def feedback_html(verdict: Verdict, title: str = "") -> str:
    """The HTML of one verdict: a large coloured symbol, the message, the hint (all text escaped)."""
    colour = COLOURS[verdict.status]
    title_html = f"<div style='font-weight:600;margin-bottom:2px'>{html.escape(title)}</div>" if title else ""
    hint_html = (f"<div style='margin-top:4px'><b>{verdict.hint_label}:</b> {html.escape(verdict.hint)}</div>"
                 if verdict.hint else "")
    return (f"<div class='course-feedback course-{verdict.status.replace(' ', '-')}' role='status' "
            f"style='border-left:5px solid {colour};padding:6px 10px;margin:4px 0'>{title_html}"
            f"<span style='color:{colour};font-size:1.4em;font-weight:bold' aria-hidden='true'>"
            f"{SYMBOLS[verdict.status]}</span> "
            f"<span style='color:{colour};font-weight:600'>{html.escape(verdict.message)}</span>{hint_html}</div>")


def show_once(item) -> None:
    """Display ``item.widget`` in the notebook the first time only.

    Checks and explorers show themselves when created, so they appear even
    when they are not the cell's last line; when they are, IPython asks
    again and this does nothing. Outside IPython it does nothing at all.
    The plain-text part of the output is ``repr(item)`` (e.g. "✔ Correct!"),
    which is what text-only front ends and notebook tests see.
    """
    if getattr(item, "_shown", False):
        return
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is None:
        return
    bundle = item.widget._repr_mimebundle_()
    bundle["text/plain"] = repr(item)
    display(bundle, raw=True)
    item._shown = True


class FeedbackBox:
    """A feedback area with a Check button that re-runs ``evaluate`` on click.

    ``evaluate`` is a function of no arguments returning a Verdict; it reads
    the learner's current answer each time. ``result`` holds the latest
    verdict; ``errors`` collects any failure of the check itself (shown to
    the learner, never raised).
    """

    def __init__(self, evaluate: Callable[[], Verdict], title: str = "", extra_widgets: Sequence = ()):
        w = widgets()
        self._evaluate = evaluate
        self.title = title
        self.errors: list[str] = []
        self.feedback = w.HTML()
        self.button = w.Button(description="Check", icon="check", button_style="primary",
                               tooltip="Check your answer again")
        self.button.on_click(lambda _button: self.check())
        self.widget = w.VBox(list(extra_widgets) + [w.HBox([self.button]), self.feedback])
        self.result: Verdict | None = None
        self.check()

    def check(self) -> Verdict:
        try:
            result = self._evaluate()
        except Exception as exc:  # a fault in the check itself: say so, never crash
            self.errors.append(f"{type(exc).__name__}: {exc}")
            result = Verdict(WRONG, "The check itself failed; please report this.", f"{type(exc).__name__}: {exc}")
        self.result = result
        self.feedback.value = feedback_html(result, self.title)
        return result

    @property
    def passed(self) -> bool:
        return bool(self.result and self.result.passed)

    def _ipython_display_(self):
        show_once(self)

    def __repr__(self) -> str:
        title = f"{self.title}: " if self.title else ""
        return title + (self.result.text() if self.result else "not checked")


def shown(item):
    show_once(item)
    return item


def radio_question(question: str, options: Mapping[str, str], evaluate_choice: Callable[[str], Verdict]):
    """A clickable question; ``evaluate_choice(letter)`` gives the verdict shown."""
    w = widgets()
    buttons = w.RadioButtons(options=[(f"({k}) {v}", k) for k, v in options.items()], value=None,
                             layout=w.Layout(width="max-content"))
    prompt = w.HTML(f"<div style='font-weight:600'>{html.escape(question)}</div>")

    def evaluate() -> Verdict:
        if buttons.value is None:
            return Verdict(NOT_ATTEMPTED, "Not answered yet: pick an option to see the explanation.")
        return evaluate_choice(buttons.value)

    box = FeedbackBox(evaluate, extra_widgets=[prompt, buttons])
    buttons.observe(lambda change: box.check(), names="value")
    box.choices = buttons
    return shown(box)


def reflection_banner(prompt: str) -> None:
    """Say that the next cell holds a written answer read by instructors, not checked."""
    from IPython.display import HTML, display
    display(HTML(f"<div style='border-left:5px solid #0072B2;padding:6px 10px'><b>Written reflection</b> "
                 f"(not checked automatically): {html.escape(prompt)}</div>"))
