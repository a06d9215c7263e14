"""Turn a learner's answer into plain data that a judge can read.

The learner's Check and the course's grader both call :func:`collect`. It
looks the answer up by name, calls a function on each case (with a time
limit), and returns only plain JSON-ready data: numbers, short strings,
lists. It never decides whether the answer is right: that is
:mod:`utils.exercises.judging`, which reads this data and the exercise's
definition and nothing else.

One answer, as data::

    {"status": "answered", "kind": "function", "names_used": [...],
     "cases": [{"value": [0.81]}, {"error": "ZeroDivisionError: ...", "line": "..."},
               {"none": True, "printed": "0.81"}, {"problem": "...", "parts": {".estimate": 0.12}}, ...]}
    {"status": "answered", "kind": "value", "value": [70.6]}
    {"status": "answered", "kind": "choice", "value": "b"}
    {"status": "not attempted"}
    {"status": "invalid", "problem": "sample_sd should be a function, but it is a float"}

A function that returns None on every case is "not attempted" only if its
body does nothing (the stub: ``# YOUR CODE HERE`` and ``pass``); one that
computes but forgets ``return``, or prints its result, is answered, and the
judge says so.
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import io
import math
import signal
import threading
import traceback
import types
import warnings
from typing import Callable, Mapping, Sequence

import numpy as np

DEFAULT_TIMEOUT = 2.0  # seconds a learner's function may run for one case
MAX_TEXT = 160  # characters of any text kept from an answer (messages stay short)
MAX_NUMBERS = 64  # numbers kept from one output


class _TimedOut(Exception):
    pass


def is_stub(value) -> bool:
    """True for what a blank exercise holds: None or ``...``."""
    return value is None or value is Ellipsis


def short(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------
# Numbers as JSON (NaN and infinities as text, so the JSON stays strict)
# --------------------------------------------------------------------------
def encode_number(x: float):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float(x)


def decode_number(x) -> float:
    if isinstance(x, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[x]
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"not a number: {x!r}")
    return float(x)


def encode_value(value):
    """An input case as JSON: numpy arrays become {"array": [...]}, tuples lists."""
    if isinstance(value, np.ndarray):
        return {"array": [encode_value(v) for v in value.tolist()]}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    if isinstance(value, Mapping):
        return {"dict": {str(k): encode_value(v) for k, v in value.items()}}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return encode_number(float(value))
    if isinstance(value, str):
        return value
    raise TypeError(f"a case input must be numbers, text, lists or arrays, not {type(value).__name__}")


def decode_value(value):
    """The inverse of :func:`encode_value`."""
    if isinstance(value, dict) and "array" in value:
        return np.array([decode_value(v) for v in value["array"]], dtype=float)
    if isinstance(value, dict) and "dict" in value:
        return {k: decode_value(v) for k, v in value["dict"].items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if value in ("nan", "inf", "-inf"):
        return decode_number(value)
    return value


# --------------------------------------------------------------------------
# An answer as plain numbers
# --------------------------------------------------------------------------
class AnswerProblem(Exception):
    """The answer cannot be read as numbers; the message says why, in a sentence.

    ``parts``: for an object that holds numbers (a fitted model's result, a
    pandas table), how to reach each of them (".estimate", '["p"]', ".iloc[0]")
    and its value, so the judge can name the one the question asks for.
    """

    def __init__(self, message: str, parts: dict | None = None):
        super().__init__(message)
        self.parts = parts or {}


def numeric_parts(value, limit: int = 24) -> dict:
    """How to reach the single numbers an object holds, and their values: {".estimate": 0.12, ...}.

    Reads public attributes that are plain numbers (a dataclass or any object
    with ``__dict__``), a pandas Series' first elements (".iloc[i]") and a
    table's numeric cells of its first row ('["column"].iloc[0]'). Never calls
    the learner's methods.
    """
    parts: dict = {}

    def add(path, number):
        if len(parts) < limit and isinstance(number, (int, float, np.integer, np.floating)) \
                and not isinstance(number, (bool, np.bool_)):
            parts[path] = encode_number(float(number))

    kind = type(value).__name__
    module = type(value).__module__ or ""
    try:
        if isinstance(value, (list, tuple)) and value and not _is_plain_number(value[0]):
            # A list of results (one fitted model per study): the first few attributes of each of up to 12.
            each = [numeric_parts(element, limit) for element in value[:12]]
            for path in list(each[0])[:4]:
                if all(path in element for element in each):
                    parts.update({f"[{i}]{path}": element[path] for i, element in enumerate(each)})
            return parts
        if module.startswith("pandas") and kind == "Series":
            for i, number in enumerate(list(value.to_numpy()[:6])):
                add(f".iloc[{i}]", number)
        elif module.startswith("pandas") and kind == "DataFrame":
            for column in list(value.columns)[:12]:
                if len(value):
                    add(f"[{str(column)!r}].iloc[0]", value[column].iloc[0])
        else:
            fields = getattr(value, "__dataclass_fields__", None)
            names = list(fields) if fields else list(getattr(value, "__dict__", {}))
            for name in names:
                if str(name).startswith("_"):
                    continue
                attribute = getattr(value, name, None)
                if type(attribute).__name__ in ("DataFrame", "Series") and \
                        (type(attribute).__module__ or "").startswith("pandas"):
                    # A table inside a result (a regression's coefficients): its cells, by label.
                    for path, number in numeric_parts(attribute, limit).items():
                        if len(parts) < limit:
                            parts[f".{name}{path}"] = number
                else:
                    add(f".{name}", attribute)
    except Exception:  # an object that does not let itself be read: no parts to name
        return {}
    return parts


def _is_plain_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _kind_of(value) -> str:
    """"a list of RandomEffectsResult objects" for a list of results, else the type's name with its article."""
    name = type(value).__name__
    if isinstance(value, (list, tuple)) and value and not _is_plain_number(value[0]) \
            and not isinstance(value[0], (list, tuple, str, bytes, np.ndarray)):
        return f"a {name} of {type(value[0]).__name__} objects"
    return f"a {name}"


def as_numbers(value, what: str = "your answer") -> list:
    """``value`` as a flat list of JSON-ready floats, or raise AnswerProblem.

    Builds a fresh float array, so the learner's object is only asked for its
    numbers, never compared with its own ``==``. NaN and infinities are kept
    (as "nan", "inf"): the judge explains them.
    """
    if isinstance(value, (str, bytes)):
        raise AnswerProblem(f"{what} is the text {short(repr(value), 40)}; a number is expected (remove the quotes)")
    if isinstance(value, (bool, np.bool_)):
        raise AnswerProblem(f"{what} is {value}, a True/False value; a number is expected")
    if isinstance(value, Mapping):
        raise AnswerProblem(f"{what} is a dictionary; a number (or a tuple of numbers) is expected")
    if isinstance(value, (list, tuple)) and any(is_stub(v) for v in value):
        raise AnswerProblem(f"{what} still contains None or ...; fill in every part")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.array(value, dtype=float, copy=True)
    except (TypeError, ValueError, OverflowError):
        kind = _kind_of(value)
        verb = "which are not numbers" if " objects" in kind else "which is not a number"
        raise AnswerProblem(f"{what} is {kind}, {verb}", numeric_parts(value)) from None
    except Exception as exc:  # a learner's object whose __float__ misbehaves
        raise AnswerProblem(f"{what} could not be turned into a number ({type(exc).__name__})") from None
    flat = array.reshape(-1)
    if flat.size > MAX_NUMBERS:
        raise AnswerProblem(f"{what} has {flat.size} numbers; far fewer are expected")
    return [encode_number(float(x)) for x in flat]


# --------------------------------------------------------------------------
# Calling a learner's function safely
# --------------------------------------------------------------------------
def call_with_timeout(func: Callable, args: Sequence, kwargs: Mapping, seconds: float):
    """Call ``func`` and stop it with ``_TimedOut`` after ``seconds``.

    In the main thread on Unix a SIGALRM timer interrupts the call; elsewhere
    (Windows has no SIGALRM, or a background thread) a timer thread raises the
    same exception in the calling thread (CPython's
    ``PyThreadState_SetAsyncExc``). Both stop pure-Python loops such as
    ``while True``; one long call into compiled code finishes first.
    """
    if not (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
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


def _call_with_timer_thread(func: Callable, args: Sequence, kwargs: Mapping, seconds: float):
    """``call_with_timeout`` without SIGALRM: a timer thread raises ``_TimedOut`` in this thread."""
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


def _learners_frame(exc: BaseException):
    """The learner's frame that raised (the last one not in numpy/scipy/this module), or None."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename != __file__ and "site-packages" not in f.filename
           and "/lib/python" not in f.filename]
    return (own or frames or [None])[-1]


def _raising_line(exc: BaseException) -> str:
    """The learner's line that raised."""
    frame = _learners_frame(exc)
    return short(frame.line or "", 100) if frame is not None else ""


# pandas 2 reads series[0] on a labelled Series as "the first element" (with a FutureWarning); pandas 3, which
# requirements.txt allows too, raises KeyError. A learner's function fails the same way under both.
POSITIONAL_FALLBACK = r".*(treating keys as positions|Series.__getitem__ treating keys).*"


def run_case(func: Callable, args: Sequence, kwargs: Mapping, timeout: float) -> dict:
    """One case's outcome as data: {"value": [...]}, {"none": True, "printed": "..."}, {"error": ..., "line": ...}.

    What the function prints is kept (short) when it returns nothing: it printed its result instead of returning it.
    """
    printed = io.StringIO()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stdout(printed):
            warnings.simplefilter("ignore")
            warnings.filterwarnings("error", message=POSITIONAL_FALLBACK, category=FutureWarning)
            result = call_with_timeout(func, list(args), dict(kwargs), timeout)
    except FutureWarning as exc:
        return {"error": "KeyError", "message": short(str(exc)), "line": _raising_line(exc), "positional": True}
    except _TimedOut:
        return {"error": "timeout", "message": f"still running after {timeout:g} s"}
    except RecursionError:
        return {"error": "RecursionError", "message": "calls itself without end"}
    except (SystemExit, KeyboardInterrupt) as exc:
        return {"error": type(exc).__name__, "message": "tried to stop Python"}
    except Exception as exc:
        outcome = {"error": type(exc).__name__, "message": short(str(exc)), "line": _raising_line(exc)}
        frame = _learners_frame(exc)
        if not outcome["line"] and frame is not None and isinstance(frame.lineno, int):
            outcome["lineno"] = frame.lineno  # the source is not at hand: its line number at least
        if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], (int, np.integer)):
            outcome["positional"] = True  # series[0] on a labelled Series (pandas 3)
        return outcome
    if is_stub(result):
        return {"none": True, **({"printed": short(printed.getvalue(), 80)} if printed.getvalue().strip() else {})}
    try:
        return {"value": as_numbers(result, "the result")}
    except AnswerProblem as problem:
        return {"problem": str(problem), **({"parts": problem.parts} if problem.parts else {})}


def module_names(module_name) -> set[str]:
    """The parts of a dotted module name: "utils.effects" -> {"utils", "effects"}."""
    return {part for part in str(module_name or "").split(".") if part}


def alias_names(obj, name: str = "") -> set[str]:
    """What a global name stands for, by the course's one rule for forbidden shortcuts.

    A module counts by its own dotted name (``import utils.effects as e``
    counts "utils" and "effects"); a function or other callable by its real
    name (``g = effects.hedges_g`` counts "hedges_g"), and a function of the
    course's own ``utils`` package by its module too. The grader reads the
    same names from the submitted source (``instructor.grading.scoring``),
    so the learner's Check and the grader catch a shortcut alike, however it
    is reached.
    """
    names = {name} if name else set()
    if isinstance(obj, types.ModuleType):
        return names | module_names(obj.__name__)
    while isinstance(obj, functools.partial):
        obj = obj.func
    obj = getattr(obj, "__func__", obj)  # a bound method: its function
    if callable(obj) and not isinstance(obj, type):
        real = getattr(obj, "__name__", None)
        if isinstance(real, str):
            names.add(real)
        module = getattr(obj, "__module__", None)
        if isinstance(module, str) and (module == "utils" or module.startswith("utils.")):
            names |= module_names(module)
    return names


def is_learners_function(obj) -> bool:
    """A function written in the notebook (not a library's): its code runs in the notebook's namespace."""
    return isinstance(obj, types.FunctionType) and obj.__globals__.get("__name__", "__main__") == "__main__"


def is_stub_function(func) -> bool:
    """True for the untouched stub: a function whose body does nothing (a docstring, comments, ``pass``).

    A function that computes something but forgets ``return`` also gives None, but is not a stub.
    """
    code = getattr(func, "__code__", None)
    if not isinstance(code, types.CodeType):
        return False
    import dis
    idle = {"RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST", "POP_TOP", "CACHE"}
    return all(i.opname in idle for i in dis.get_instructions(code)) and not code.co_names


def names_used(func: Callable) -> list[str]:
    """Every global or attribute name the function's code refers to, including
    functions of the notebook it calls and nested functions.

    Used to spot a shortcut the question forbids (calling the course's own
    helper instead of writing the formula). The learner's own functions (those
    defined in the notebook) are followed but not counted by name, so a helper
    the learner wrote and named like a course function is not mistaken for it;
    a global that stands for a module or a library function counts as
    :func:`alias_names` says (``J = effects.correction_factor`` counts
    "correction_factor" too), and so does an answer that is itself a library
    function (``hedges_g = effects.hedges_g``).
    """
    import dis

    seen: set[str] = set()
    if not is_learners_function(func):
        seen |= alias_names(func)
        while isinstance(func, functools.partial):
            func = func.func
        func = getattr(func, "__func__", func)
        if not is_learners_function(func):  # a library's function: its name says it all, its insides do not count
            return sorted(seen)
    codes = [getattr(func, "__code__", None)]
    globals_ = getattr(func, "__globals__", {}) or {}
    visited_funcs = {id(func)}
    while codes:
        code = codes.pop()
        if not isinstance(code, types.CodeType):
            continue
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                codes.append(const)
        for instruction in dis.get_instructions(code):
            name = instruction.argval
            if not isinstance(name, str):
                continue
            if instruction.opname in ("LOAD_ATTR", "LOAD_METHOD", "IMPORT_FROM"):
                seen.add(name)  # effects.hedges_g: always counts
            elif instruction.opname == "IMPORT_NAME":
                seen |= module_names(name)
            elif instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
                other = globals_.get(name)
                if isinstance(other, types.FunctionType) and other.__globals__ is globals_:
                    if id(other) not in visited_funcs:  # the learner's own helper: look inside, not at its name
                        visited_funcs.add(id(other))
                        codes.append(other.__code__)
                else:
                    seen |= alias_names(other, name)
    return sorted(seen)


# --------------------------------------------------------------------------
# One answer as data
# --------------------------------------------------------------------------
def collect(kind: str, answer, cases: Sequence = (), timeout: float = DEFAULT_TIMEOUT) -> dict:
    """Read ``answer`` (the learner's object) for an exercise of ``kind``.

    ``kind``: "function" (``cases`` are encoded argument lists), "value",
    "choice" (a letter) or "sort" (a mapping of items to categories).
    Returns plain data (see the module docstring).
    """
    if is_stub(answer) or (isinstance(answer, str) and not answer.strip()):
        return {"status": "not attempted"}
    if kind == "function":
        return _collect_function(answer, cases, timeout)
    if kind == "value":
        try:
            collected = {"status": "answered", "kind": kind, "value": as_numbers(answer)}
        except AnswerProblem as problem:
            return {"status": "invalid", "problem": str(problem), **({"parts": problem.parts} if problem.parts else {})}
        if type(answer).__name__ in ("Series", "DataFrame") and len(collected["value"]) > 1:
            collected["container"] = type(answer).__name__  # a whole column or table: the judge says how to take one
        elif isinstance(answer, tuple) and hasattr(answer, "_fields") and len(collected["value"]) == len(answer):
            collected["fields"] = [short(str(f), 30) for f in answer._fields][:MAX_NUMBERS]  # a result as a named tuple
        return collected
    if kind == "choice":
        if not isinstance(answer, str):
            return {"status": "invalid", "problem": f"the answer is a {type(answer).__name__}; "
                                                    "a letter in quotes is expected, e.g. \"b\""}
        return {"status": "answered", "kind": kind, "value": short(answer, 200)}
    if kind == "sort":
        if not isinstance(answer, Mapping):
            return {"status": "invalid", "problem": f"the answer is a {type(answer).__name__}; a dictionary "
                                                    "of item: category is expected"}
        items = {short(str(k), 40): short(str(v), 40) for k, v in list(answer.items())[:200]
                 if not is_stub(v)}
        if not items:  # the stub: every item still None
            return {"status": "not attempted"}
        return {"status": "answered", "kind": kind, "value": items}
    raise ValueError(f"kind: unknown exercise kind {kind!r}")


def _collect_function(func, cases, timeout) -> dict:
    if not callable(func):
        return {"status": "invalid", "problem": f"it should be a function, but it is a {type(func).__name__}"}
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None
    outcomes = []
    for encoded in cases:
        if outcomes and outcomes[-1].get("error") == "timeout":  # one endless loop is enough to know
            outcomes.append({"error": "timeout", "message": "not run: an earlier case ran out of time"})
            continue
        args = decode_value(encoded)
        if signature is not None:
            try:
                signature.bind(*args)
            except TypeError as exc:
                outcomes.append({"error": "TypeError", "message": short(str(exc)), "line": "",
                                 "signature": True})
                continue
        outcomes.append(run_case(func, args, {}, timeout))
    if outcomes and all("none" in o for o in outcomes) and is_stub_function(func):
        return {"status": "not attempted"}
    return {"status": "answered", "kind": "function", "names_used": names_used(func), "cases": outcomes}
