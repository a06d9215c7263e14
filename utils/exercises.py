"""Answer checks with immediate, specific feedback.

Three kinds of checked exercise, each shown as a feedback box with a
**Check** button (the box reads the learner's answer again at every click,
so a learner can fix the cell above, run it, and click again):

``check_function("pooled_sd", reference, cases, hidden_cases, mistakes)``
    calls the learner's function on several cases and compares the results
    with the reference, after turning them into plain float arrays (never
    through the learner's own ``__eq__``);
``check_value("residual_7_days", expected, rtol, mistakes)``
    compares a number (or a few numbers);
``check_choice("answer_q1", options, answer, explanations)``
    a multiple-choice or prediction answer typed as a letter, and
``choice(question, options, answer, explanations)``
    the same question as clickable radio buttons (not graded).

An answer that is still the stub (``None``, ``...``, or a function that
returns ``None`` because its body is still ``pass``) gives "not attempted yet" instead of an error, so "Run All"
on a fresh lesson reaches the last cell. A function that raises, returns
NaN, returns the wrong type or runs too long gives a hint, never a
traceback.

``grade_function``, ``grade_value`` and ``grade_choice`` run the same
checks but raise ``AssertionError`` unless the answer is right: hidden
(autograded) test cells use them.
"""
from __future__ import annotations

import html
import signal
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"
DEFAULT_TIMEOUT = 2.0  # seconds a learner's function may run for one case


# --------------------------------------------------------------------------
# The verdict
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: a status, a short message and a hint."""

    status: str
    message: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    @property
    def attempted(self) -> bool:
        return self.status != NOT_ATTEMPTED

    def text(self) -> str:
        symbol = {CORRECT: "✔", WRONG: "✘", NOT_ATTEMPTED: "○"}[self.status]
        return f"{symbol} {self.message}" + (f"\n  Hint: {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class Mistake:
    """A common mistake the check recognises, with the hint to give.

    ``function``: a wrong implementation (for function exercises) whose
    outputs the learner's function matches; ``value``: a wrong number (for
    value exercises).
    """

    hint: str
    function: Callable | None = None
    value: Any = None


class _AnswerProblem(Exception):
    """Raised inside a check when an answer cannot be compared at all."""


class _TimedOut(Exception):
    pass


# --------------------------------------------------------------------------
# Turning answers into plain numbers, safely
# --------------------------------------------------------------------------
def _is_stub(value) -> bool:
    return value is None or value is Ellipsis


def as_numbers(value, what: str = "your answer") -> np.ndarray:
    """Return ``value`` as a plain float array, or raise _AnswerProblem.

    Builds a fresh numpy array of floats, so the learner's object is only
    asked for its ``__float__`` / sequence items, never compared with ``==``.
    """
    if isinstance(value, (str, bytes)):
        raise _AnswerProblem(f"{what} is the text {value!r}; a number is expected (remove the quotes)")
    if isinstance(value, (bool, np.bool_)):
        raise _AnswerProblem(f"{what} is {value}, a True/False value; a number is expected")
    if isinstance(value, Mapping):
        raise _AnswerProblem(f"{what} is a dictionary; a number (or a tuple of numbers) is expected")
    if isinstance(value, (list, tuple)) and any(_is_stub(v) for v in value):
        raise _AnswerProblem(f"{what} still contains None or ...; fill in every part")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.array(value, dtype=float, copy=True)
    except (TypeError, ValueError, OverflowError) as exc:
        kind = type(value).__name__
        raise _AnswerProblem(f"{what} is a {kind}, which is not a number ({exc})") from None
    except Exception as exc:  # a learner's object whose __float__ misbehaves
        raise _AnswerProblem(f"{what} could not be turned into a number: {type(exc).__name__}: {exc}") from None
    arr = np.asarray(arr, dtype=float).reshape(-1) if arr.ndim else arr.reshape(1)
    if np.isnan(arr).any():
        raise _AnswerProblem(f"{what} contains NaN (not a number): look for 0/0, a log of a negative "
                             f"number, or a variable that is still empty")
    if np.isinf(arr).any():
        raise _AnswerProblem(f"{what} is infinite: look for a division by zero")
    return arr


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    return got.shape == expected.shape and bool(np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected)))


def _fmt(arr: np.ndarray) -> str:
    values = [f"{v:.4g}" for v in arr]
    return values[0] if len(values) == 1 else "(" + ", ".join(values) + ")"


# --------------------------------------------------------------------------
# Calling a learner's function safely
# --------------------------------------------------------------------------
def _call_with_timeout(func: Callable, args: tuple, kwargs: dict, seconds: float):
    """Call ``func`` and stop it with ``_TimedOut`` after ``seconds``.

    In the main thread on Unix a SIGALRM timer interrupts the call; elsewhere
    (Windows has no SIGALRM) a timer thread raises the same exception in the
    calling thread (CPython's ``PyThreadState_SetAsyncExc``). Both stop
    pure-Python loops such as ``while True``; one long call into compiled code
    (a huge numpy operation) finishes before the exception is seen.
    """
    if not (_HAS_ALARM and threading.current_thread() is threading.main_thread()):
        return _call_with_timer_thread(func, args, kwargs, seconds)

    def on_alarm(signum, frame):
        raise _TimedOut()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return func(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_HAS_ALARM = hasattr(signal, "setitimer")


def _call_with_timer_thread(func: Callable, args: tuple, kwargs: dict, seconds: float):
    """``_call_with_timeout`` without SIGALRM: a timer thread raises ``_TimedOut`` in this thread."""
    import ctypes

    caller = threading.get_ident()
    lock = threading.Lock()
    running = [True]

    def stop():
        with lock:  # never after the call has returned and the flag is down
            if running[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(caller), ctypes.py_object(_TimedOut))

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        return func(*args, **kwargs)
    finally:
        with lock:
            running[0] = False
        timer.cancel()


def _describe_call(name: str, args: tuple, kwargs: dict) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _normalise_case(case) -> tuple[tuple, dict]:
    if isinstance(case, Mapping):
        return (), dict(case)
    if isinstance(case, tuple):
        return case, {}
    return (case,), {}


def _run_learner(func, name, args, kwargs, timeout) -> np.ndarray:
    """The learner's output for one case as floats, or raise _AnswerProblem."""
    call = _describe_call(name, args, kwargs)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = _call_with_timeout(func, args, dict(kwargs), timeout)
    except _TimedOut:
        raise _AnswerProblem(f"{call} was still running after {timeout:g} s: is there a loop that never ends?") from None
    except RecursionError:
        raise _AnswerProblem(f"{call} calls itself without end (RecursionError)") from None
    except (SystemExit, KeyboardInterrupt):
        raise _AnswerProblem(f"{call} tried to stop Python; return a value instead") from None
    except Exception as exc:
        raise _AnswerProblem(f"{call} raised {type(exc).__name__}: {exc}") from None
    if _is_stub(result):
        raise _NotAttempted()
    return as_numbers(result, f"the result of {call}")


class _NotAttempted(Exception):
    pass


# --------------------------------------------------------------------------
# The three checks (pure functions returning Feedback)
# --------------------------------------------------------------------------
def evaluate_function(func, reference: Callable, cases: Sequence, hidden_cases: Sequence = (),
                      mistakes: Iterable[Mistake] = (), *, name: str | None = None,
                      rtol: float = 1e-6, atol: float = 1e-9, timeout: float = DEFAULT_TIMEOUT) -> Feedback:
    """Call ``func`` on every case and compare with ``reference``.

    Cases are tuples of positional arguments, dicts of keyword arguments, or
    single values. Visible cases are reported with their inputs; hidden
    cases only say that a case the learner has not seen fails.
    """
    name = name or getattr(func, "__name__", "your function")
    if _is_stub(func):
        return Feedback(NOT_ATTEMPTED, f"Not attempted yet: define {name} in the cell above and run it.")
    if not callable(func):
        return Feedback(WRONG, f"{name} should be a function, but it is a {type(func).__name__}.",
                        f"Write it as `def {name}(...):` and return the result.")
    mistakes = list(mistakes)
    all_cases = [(c, False) for c in cases] + [(c, True) for c in hidden_cases]
    learner, expected = [], []
    for case, hidden in all_cases:
        args, kwargs = _normalise_case(case)
        want = as_numbers(reference(*args, **kwargs), "the reference answer")
        try:
            got = _run_learner(func, name, args, kwargs, timeout)
        except _NotAttempted:
            return Feedback(NOT_ATTEMPTED, f"Not attempted yet: {name} returns nothing. "
                                           "Replace `pass` with your code and return the result.")
        except _AnswerProblem as problem:
            return Feedback(WRONG, "Not yet: your function could not be checked.", str(problem))
        learner.append(got)
        expected.append(want)
        if not _close(got, want, rtol, atol):
            return _explain_function_miss(func, name, mistakes, all_cases, case, hidden, got, want,
                                          rtol, atol, timeout)
    n_hidden = len(hidden_cases)
    extra = f" (and {n_hidden} case{'s' if n_hidden != 1 else ''} you had not seen)" if n_hidden else ""
    return Feedback(CORRECT, f"Correct! {name} matches the reference on {len(cases)} case"
                             f"{'s' if len(cases) != 1 else ''}{extra}.")


def _explain_function_miss(func, name, mistakes, all_cases, case, hidden, got, want, rtol, atol, timeout):
    args, kwargs = _normalise_case(case)
    call = _describe_call(name, args, kwargs)
    if got.shape != want.shape:
        return Feedback(WRONG, f"Not yet: {call} returned {got.size} number(s); {want.size} expected.",
                        "Check what the function should return (a single number, or a tuple).")
    hint = _matching_mistake(func, name, mistakes, all_cases, timeout, rtol, atol) or _generic_hint(got, want, rtol, atol)
    if hidden:
        message = (f"Not yet: your function works on the cases shown but not on one you have not seen: "
                   f"{call} returned {_fmt(got)}.")
    else:
        message = f"Not yet: {call} returned {_fmt(got)}, expected {_fmt(want)}."
    return Feedback(WRONG, message, hint)


def _matching_mistake(func, name, mistakes, all_cases, timeout, rtol, atol) -> str:
    """The hint of the first known mistake whose outputs the learner's match."""
    for mistake in mistakes:
        if mistake.function is None:
            continue
        try:
            for case, _ in all_cases:
                args, kwargs = _normalise_case(case)
                wrong = as_numbers(mistake.function(*args, **kwargs), "mistake")
                got = _run_learner(func, name, args, kwargs, timeout)
                if not _close(got, wrong, max(rtol, 1e-6), atol):
                    break
            else:
                return mistake.hint
        except Exception:  # the learner's function fails on another case: no match
            continue
    return ""


def _generic_hint(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> str:
    if _close(-got, want, rtol, atol):
        return "The size is right but the sign is flipped: check which group you subtract from which."
    if got.size == want.size > 1 and _close(got[::-1], want, rtol, atol):
        return "The right numbers in the wrong order."
    for factor, hint in ((100, "Your answer is 100 times too large: a percentage where a proportion is expected?"),
                         (0.01, "Your answer is 100 times too small: a proportion where a percentage is expected?")):
        if _close(got, want * factor, max(rtol, 1e-4), atol):
            return hint
    nonzero = np.abs(want) > atol
    if nonzero.any():
        ratio = got[nonzero] / want[nonzero]
        if np.allclose(ratio, ratio[0], rtol=1e-6) and 0.8 < ratio[0] < 1.25:
            return (f"Your answer is off by a constant factor of {ratio[0]:.4f}: "
                    "is a correction factor missing or applied twice?")
    return ""


def evaluate_value(value, expected, mistakes: Iterable[Mistake] = (), *, name: str = "your answer",
                   rtol: float = 1e-3, atol: float = 1e-9, unit: str = "") -> Feedback:
    """Compare a number (or a tuple of numbers) with ``expected``."""
    if _is_stub(value):
        return Feedback(NOT_ATTEMPTED, f"Not attempted yet: give {name} a value in the cell above and run it.")
    want = as_numbers(expected, "the expected answer")
    try:
        got = as_numbers(value, name)
    except _AnswerProblem as problem:
        return Feedback(WRONG, "Not yet: your answer could not be checked.", str(problem))
    unit_text = f" {unit}" if unit else ""
    if _close(got, want, rtol, atol):
        return Feedback(CORRECT, f"Correct! {name} = {_fmt(got)}{unit_text}.")
    if got.shape != want.shape:
        return Feedback(WRONG, f"Not yet: {name} has {got.size} number(s); {want.size} expected.")
    for mistake in mistakes:
        if mistake.value is not None and _close(got, as_numbers(mistake.value, "mistake"), max(rtol, 1e-3), atol):
            return Feedback(WRONG, f"Not yet: {name} = {_fmt(got)}{unit_text} is not right.", mistake.hint)
    hint = _generic_hint(got, want, max(rtol, 1e-3), atol)
    if not hint and want.size == 1:
        hint = "Too large." if got[0] > want[0] else "Too small."
        hint += " Re-read the question and check each step."
    return Feedback(WRONG, f"Not yet: {name} = {_fmt(got)}{unit_text} is not right.", hint)


def _option_key(answer, options: Mapping[str, str]) -> str | None:
    if isinstance(answer, str):
        key = answer.strip().strip(").").lower()
        lowered = {k.lower(): k for k in options}
        if key in lowered:
            return lowered[key]
        for k, text in options.items():  # the learner typed the option's text
            if key == text.strip().lower():
                return k
    return None


def evaluate_choice(answer, options: Mapping[str, str], correct: str,
                    explanations: Mapping[str, str] | None = None, *, name: str = "your answer") -> Feedback:
    """Check a multiple-choice answer given as the option's letter (or text)."""
    explanations = explanations or {}
    if _is_stub(answer) or (isinstance(answer, str) and not answer.strip()):
        return Feedback(NOT_ATTEMPTED, f"Not attempted yet: set {name} to one of {', '.join(map(repr, options))}.")
    key = _option_key(answer, options)
    if key is None:
        return Feedback(WRONG, f"{name} = {answer!r} is not one of the options.",
                        f"Use one of the letters {', '.join(map(repr, options))}, in quotes.")
    why = explanations.get(key, "")
    if key == correct:
        return Feedback(CORRECT, f"Correct! ({key}) {options[key]}", why)
    return Feedback(WRONG, f"Not quite: ({key}) {options[key]}", why or "Think again about what the question asks.")


# --------------------------------------------------------------------------
# Graded versions for hidden tests (raise unless correct)
# --------------------------------------------------------------------------
def _require(feedback: Feedback) -> None:
    if not feedback.passed:
        raise AssertionError(feedback.text())


def grade_function(func, reference, cases, mistakes=(), **options) -> None:
    """As ``evaluate_function``, but raise AssertionError unless correct."""
    _require(evaluate_function(func, reference, cases, (), mistakes, **options))


def grade_value(value, expected, mistakes=(), **options) -> None:
    """As ``evaluate_value``, but raise AssertionError unless correct."""
    _require(evaluate_value(value, expected, mistakes, **options))


def grade_choice(answer, options, correct, explanations=None, **kw) -> None:
    """As ``evaluate_choice``, but raise AssertionError unless correct."""
    _require(evaluate_choice(answer, options, correct, explanations, **kw))


# --------------------------------------------------------------------------
# Feedback widgets
# --------------------------------------------------------------------------
_COLOURS = {CORRECT: "#009E73", WRONG: "#D55E00", NOT_ATTEMPTED: "#666666"}  # Okabe-Ito
_SYMBOLS = {CORRECT: "✔", WRONG: "✘", NOT_ATTEMPTED: "○"}


def feedback_html(feedback: Feedback, title: str = "") -> str:
    """The HTML of one verdict: a large coloured symbol, the message, the hint."""
    colour = _COLOURS[feedback.status]
    title_html = f"<div style='font-weight:600;margin-bottom:2px'>{html.escape(title)}</div>" if title else ""
    hint_html = (f"<div style='margin-top:4px'><b>Hint:</b> {html.escape(feedback.hint)}</div>"
                 if feedback.hint else "")
    return (f"<div class='course-feedback course-{feedback.status.replace(' ', '-')}' "
            f"style='border-left:5px solid {colour};padding:6px 10px;margin:4px 0'>{title_html}"
            f"<span style='color:{colour};font-size:1.4em;font-weight:bold'>{_SYMBOLS[feedback.status]}</span> "
            f"<span style='color:{colour};font-weight:600'>{html.escape(feedback.message)}</span>{hint_html}</div>")


def _widgets():
    import ipywidgets  # imported on first use: keeps `import utils` fast
    return ipywidgets


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

    ``evaluate`` is a function of no arguments returning ``Feedback``; it
    reads the learner's current answer each time. ``result`` holds the
    latest verdict; ``errors`` collects any unexpected failure of the check
    itself (shown to the learner, never raised).
    """

    def __init__(self, evaluate: Callable[[], Feedback], title: str = "", extra_widgets: Sequence = ()):
        w = _widgets()
        self._evaluate = evaluate
        self.title = title
        self.errors: list[str] = []
        self.feedback = w.HTML()
        self.button = w.Button(description="Check", icon="check", button_style="primary",
                               tooltip="Check your answer again")
        self.button.on_click(lambda _button: self.check())
        self.widget = w.VBox(list(extra_widgets) + [w.HBox([self.button]), self.feedback])
        self.result: Feedback | None = None
        self.check()

    def check(self) -> Feedback:
        try:
            result = self._evaluate()
        except Exception as exc:  # a fault in the check itself: say so, never crash
            self.errors.append(f"{type(exc).__name__}: {exc}")
            result = Feedback(WRONG, "The check itself failed; please report this.", f"{type(exc).__name__}: {exc}")
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


def _shown(item):
    show_once(item)
    return item


def _namespace_lookup(target, namespace: dict) -> Callable[[], Any]:
    """A function returning the learner's current answer (looked up by name)."""
    if isinstance(target, str):
        return lambda: namespace.get(target)
    return lambda: target


def _caller_globals() -> dict:
    return sys._getframe(2).f_globals


def check_function(target, reference, cases, hidden_cases=(), mistakes=(), *, title: str = "",
                   **options) -> FeedbackBox:
    """Show a feedback box for a code exercise.

    ``target`` is the name of the learner's function (looked up in the
    notebook at every click) or the function itself.
    """
    get = _namespace_lookup(target, _caller_globals())
    name = target if isinstance(target, str) else getattr(target, "__name__", "your function")
    return _shown(FeedbackBox(lambda: evaluate_function(get(), reference, cases, hidden_cases, mistakes,
                                                        name=name, **options), title))


def check_value(target, expected, mistakes=(), *, title: str = "", **options) -> FeedbackBox:
    """Show a feedback box for a numeric answer stored in a variable."""
    get = _namespace_lookup(target, _caller_globals())
    name = target if isinstance(target, str) else options.pop("name", "your answer")
    return _shown(FeedbackBox(lambda: evaluate_value(get(), expected, mistakes, name=name, **options), title))


def check_choice(target, options: Mapping[str, str], correct: str, explanations=None, *,
                 title: str = "") -> FeedbackBox:
    """Show a feedback box for a multiple-choice answer typed as a letter."""
    get = _namespace_lookup(target, _caller_globals())
    name = target if isinstance(target, str) else "your answer"
    return _shown(FeedbackBox(lambda: evaluate_choice(get(), options, correct, explanations, name=name), title))


def choice(question: str, options: Mapping[str, str], correct: str, explanations=None) -> FeedbackBox:
    """A clickable multiple-choice or prediction question (not graded).

    Feedback appears when the learner picks an option and clicks Check.
    """
    w = _widgets()
    buttons = w.RadioButtons(options=[(f"({k}) {v}", k) for k, v in options.items()], value=None,
                             layout=w.Layout(width="max-content"))
    prompt = w.HTML(f"<div style='font-weight:600'>{html.escape(question)}</div>")
    def evaluate() -> Feedback:
        if buttons.value is None:
            return Feedback(NOT_ATTEMPTED, "Not answered yet: pick an option to see the explanation.")
        return evaluate_choice(buttons.value, options, correct, explanations, name="your choice")

    box = FeedbackBox(evaluate, extra_widgets=[prompt, buttons])
    buttons.observe(lambda change: box.check(), names="value")
    box.choices = buttons
    return _shown(box)


def reflection(prompt: str) -> None:
    """Say that the next cell holds a written answer read by instructors, not checked."""
    from IPython.display import HTML, display
    display(HTML(f"<div style='border-left:5px solid #0072B2;padding:6px 10px'><b>Written reflection</b> "
                 f"(not checked automatically): {html.escape(prompt)}</div>"))


__all__ = [
    "Feedback", "Mistake", "as_numbers", "evaluate_function", "evaluate_value", "evaluate_choice",
    "grade_function", "grade_value", "grade_choice", "check_function", "check_value", "check_choice",
    "choice", "reflection", "FeedbackBox", "feedback_html", "show_once", "CORRECT", "WRONG", "NOT_ATTEMPTED",
]
