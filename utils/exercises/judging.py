"""Decide whether an answer is right: a pure function of two pieces of data.

``judge(spec, answer)`` reads an exercise definition (``spec``, plain data
made from the course's exercise definitions) and an answer collected by
:func:`utils.exercises.answers.collect`, and returns a :class:`Verdict`.
It runs no learner code. The learner's Check and the course's grader call
this same function, so they cannot disagree: the grader's spec only adds
cases the learner has not seen.

A spec, as data (every key but ``kind`` and ``id`` optional)::

    {"id": "00.sample_sd", "kind": "function", "target": "sample_sd", "points": 1,
     "tolerance": {"rtol": 1e-6, "atol": 1e-9, "sig_figs": 6}   # or {"decimals": 1}
     "cases": [{"args": [...], "expected": [...], "hidden": false}, ...],
     "mistakes": [{"name": "divided_by_n", "hint": "...", "outputs": [[...], ...], "partial": false}],
     "alternatives": [{"name": "t_k_minus_2", "why": "...", "outputs": [[...], ...]}],
     "parts": ["g", "variance"], "forbidden": [{"names": ["hedges_g"], "hint": "..."}],
     "quantity": "variance" | "p" | "percentage" | "proportion" | "count" | ""}

Value exercises have ``expected`` (a list of numbers) and ``mistakes`` /
``alternatives`` with a ``value``; choice exercises ``options``,
``answer`` (one letter or several) and ``explanations``; sort exercises
``answer`` (item -> category), ``categories`` and ``hints`` (item -> a hint
shown when that item is sorted wrongly).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Sequence

from .answers import decode_value, short
from .hints import _numbers, _tolerance, accepted, close, count_hint, fmt, parts_hint, true_hints

CORRECT, PARTLY, WRONG, NOT_ATTEMPTED = "correct", "partly correct", "wrong", "not attempted"
SYMBOLS = {CORRECT: "✔", PARTLY: "◐", WRONG: "✘", NOT_ATTEMPTED: "○"}


@dataclass(frozen=True)
class Verdict:
    """The judgment of one answer.

    ``status``: correct, partly correct, wrong or not attempted;
    ``score``: the share of the exercise's points earned (0 to 1);
    ``category``: what kind of answer it was, for the class report
    (``correct``, ``alternative:<name>``, ``mistake:<name>``, ``wrong``,
    ``partial``, ``crash``, ``timeout``, ``invalid``, ``shortcut``,
    ``not attempted``); ``answer``: a short text of what was given.
    """

    status: str
    message: str
    hint: str = ""
    category: str = ""
    score: float = 0.0
    answer: str = ""

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    @property
    def attempted(self) -> bool:
        return self.status != NOT_ATTEMPTED

    @property
    def hint_label(self) -> str:
        return "Why" if self.status == CORRECT else "Hint"

    def text(self) -> str:
        return f"{SYMBOLS[self.status]} {self.message}" + (f"\n  {self.hint_label}: {self.hint}" if self.hint else "")

    def to_dict(self) -> dict:
        return asdict(self)


def not_attempted(spec: dict) -> Verdict:
    what = {"function": f"define {spec.get('target', 'the function')} in the cell above and run it",
            "choice": f"set {spec.get('target', 'the answer')} to one of the letters",
            "sort": f"fill in {spec.get('target', 'the dictionary')}"}.get(
        spec["kind"], f"give {spec.get('target', 'the answer')} a value in the cell above and run it")
    # A cell that raised leaves the stub in place: point at the error the cell itself shows.
    return Verdict(NOT_ATTEMPTED, f"Not attempted yet: {what}.",
                   "If you ran the cell and it shows an error in red, that error stopped it before the answer was "
                   "stored: fix the line it names, then run the cell again.", category="not attempted")


# --------------------------------------------------------------------------
# Python errors, in a sentence
# --------------------------------------------------------------------------
# (error, words in Python's message) -> what went wrong, in the course's words. The first match counts.
_ERROR_REASONS = [
    ("ValueError", "could not be broadcast", "two arrays of different lengths (or shapes) were combined number by "
                                             "number: check that both have one value per person or study, and that "
                                             "a whole array is not mixed with a part of it"),
    ("ValueError", "math domain error", "a square root or logarithm of a negative number (math.sqrt, math.log): "
                                        "check the sign of what goes in"),
    ("ValueError", "could not convert", "text where a number is needed"),
    ("ValueError", "setting an array element with a sequence", "a list or array put where one number belongs"),
    ("ValueError", "values to unpack", "unpacking into the wrong number of names (a, b = ... needs exactly two "
                                       "values)"),
    ("ValueError", "matmul", "a matrix product (@ or np.dot) of arrays whose sizes do not match"),
    ("ValueError", "not aligned", "a matrix product (@ or np.dot) of arrays whose sizes do not match"),
    ("TypeError", "can be converted to Python scalars", "int(), float() or round() used on a whole array: they "
                                                        "take one number; work on the array with numpy instead "
                                                        "(np.where, np.round, .astype(int))"),
    ("TypeError", "not callable", "parentheses after something that is not a function (a number or an array, or "
                                  "a function's name reused for a value)"),
    ("TypeError", "NoneType", "None used as a number: a helper function without `return` gives back None"),
    ("TypeError", "positional argument", "a function called with the wrong number of arguments"),
    ("TypeError", "required", "a function called with the wrong number of arguments"),
    ("TypeError", "", "an operation on the wrong kind of object (e.g. a list where a number or an array is needed: "
                      "np.asarray(x, dtype=float) turns a list into an array)"),
    ("IndexError", "too many indices", "two indices ([i, j]) on an array that has only one dimension"),
    ("IndexError", "", "an index past the end of a list or array: count from 0 to len - 1"),
    ("AttributeError", "'list' object", "a list used like an array: a list has no .mean(), .std() or .sum(); "
                                        "turn it into an array first with np.asarray(x, dtype=float)"),
    ("AttributeError", "", "a method or attribute that this kind of object does not have"),
    ("ZeroDivisionError", "", "a division by zero: which denominator can be 0 here?"),
    ("NameError", "", "a name that is not defined: a typo, or a cell above that has not been run?"),
    ("UnboundLocalError", "", "a variable used before the function gives it a value"),
    ("KeyError", "", "a key or column name that does not exist"),
    ("OverflowError", "", "a number too large for a float: work on the log scale (e.g. gammaln instead of gamma)"),
    ("LinAlgError", "", "a matrix that cannot be inverted (two columns carry the same information?)"),
    ("AssertionError", "", "an `assert` in your code that did not hold"),
    ("ModuleNotFoundError", "", "an import of a module that does not exist here (a typo in its name?)"),
    ("ImportError", "", "an import of a name that the module does not have"),
]


def explain_error(outcome: dict, call: str, want: Sequence[float] = (), spec: dict | None = None) -> tuple[str, str]:
    """(message, hint) for a case that raised, timed out or returned something unreadable.

    The hint always says in the course's words what went wrong, and in which line: Python's own text goes into
    the message, never alone into the hint.
    """
    if "problem" in outcome:
        problem = str(outcome["problem"])
        hint = problem[:1].upper() + problem[1:] + "."
        extra = parts_hint(outcome.get("parts") or {}, list(want), spec or {})
        return f"{call} did not return numbers.", hint + (f" {extra}" if extra else "")
    error, text, line = outcome.get("error", ""), outcome.get("message", ""), outcome.get("line", "")
    where = f" The line: `{line}`." if line else ""
    if not line and isinstance(outcome.get("lineno"), int):
        where = f" The line: line {outcome['lineno']} of the cell that defines the function."
    if error == "timeout":
        return f"{call} was still running after the time limit.", "Is there a loop that never ends?"
    if error == "RecursionError":
        return f"{call} calls itself without end.", "A function that calls itself needs a case that stops."
    if error in ("SystemExit", "KeyboardInterrupt"):
        return f"{call} tried to stop Python.", "Return a value instead of exiting."
    if outcome.get("signature"):
        return f"{call} could not be called: {text}.", "Keep the function's name and arguments as given."
    if error == "ValueError" and "truth value of an array" in text:
        return (f"{call} raised an error: `if` (or `and`/`or`) was used on an array.",
                "An array holds many True/False values at once, so Python cannot tell if it is 'true'. Use "
                "np.where(condition, a, b), or loop over the numbers one by one." + where)
    if outcome.get("positional"):
        return (f"{call} raised {error}: {short(text, 100)}",
                "On a pandas Series, [0] looks for the row LABELLED 0, not the first row: take the first element "
                "with .iloc[0], or use the row's label (older pandas guessed which you meant; newer pandas does "
                "not)." + where)
    reason = next((why for name, words, why in _ERROR_REASONS if name == error and words in text), "")
    if not reason:
        reason = (f"an error Python calls {error or 'an exception'}: read that line and check each value it uses "
                  "(print them just before it)")
    stop = "" if reason.endswith(("?", ".")) else "."  # "... has not been run?" takes no full stop after it
    return f"{call} raised {error}: {short(text, 100)}", f"That is {reason}{stop}{where}"


# --------------------------------------------------------------------------
# Function exercises
# --------------------------------------------------------------------------
def describe_call(target: str, args) -> str:
    def one(value):
        value = decode_value(value)
        if hasattr(value, "__len__") and not isinstance(value, str) and len(value) > 6:
            return f"[{len(value)} numbers]"
        if hasattr(value, "tolist"):
            value = value.tolist()
        return short(repr(value), 60)

    return f"{target}({', '.join(one(a) for a in args)})"


def _matches_everywhere(outcomes: list[dict], outputs: list) -> bool:
    """Does the learner's output equal ``outputs`` on every case where both exist (at least one)?"""
    matched = 0
    for outcome, output in zip(outcomes, outputs):
        if output is None or "value" not in outcome:
            continue
        got, out = _numbers(outcome["value"]), _numbers(output)
        nan_alike = len(got) == len(out) and all(math.isnan(g) == math.isnan(o) for g, o in zip(got, out))
        if not (nan_alike and close([g for g in got if not math.isnan(g)], [o for o in out if not math.isnan(o)],
                                    1e-6, 1e-9)):  # the same NaNs (0/0 at a zero dose) as the mistake's count as equal
            return False
        matched += 1
    return matched > 0 and matched == sum("value" in o for o in outcomes)


def _part_scores(spec: dict, outcomes: list[dict], expected: list[list[float]]) -> list[bool]:
    """For answers with named parts: is each part right on every case?"""
    parts = spec.get("parts") or []
    right = []
    for index in range(len(parts)):
        ok = True
        for outcome, want in zip(outcomes, expected):
            got = _numbers(outcome["value"]) if "value" in outcome else []
            if len(got) != len(want) or not accepted([got[index]], [want[index]], spec):
                ok = False
                break
        right.append(ok)
    return right


def _forbidden(spec: dict, answer: dict) -> str:
    used = set(map(str, answer.get("names_used", [])))
    for rule in spec.get("forbidden", []):
        hit = used.intersection(rule["names"])
        if hit:
            return rule["hint"]
    return ""


def judge_function(spec: dict, answer: dict) -> Verdict:
    target = spec.get("target", "your function")
    cases = spec["cases"]
    outcomes = answer["cases"]
    if len(outcomes) != len(cases):
        return Verdict(WRONG, "The answer could not be checked (a case is missing).", category="invalid")
    shortcut = _forbidden(spec, answer)
    if shortcut:
        return Verdict(WRONG, f"Not yet: {target} calls a function the exercise asks you to write yourself.",
                       shortcut, category="shortcut")
    expected = [_numbers(c["expected"]) for c in cases]
    results = ["value" in o and accepted(_numbers(o["value"]), w, spec) for o, w in zip(outcomes, expected)]
    summary = "; ".join(fmt(_numbers(o["value"])) if "value" in o else o.get("error", "none") for o in outcomes[:3])
    n_visible = sum(not c.get("hidden") for c in cases)
    n_hidden = len(cases) - n_visible
    if all(results):
        extra = f" (and {n_hidden} case{'s' if n_hidden != 1 else ''} you had not seen)" if n_hidden else ""
        return Verdict(CORRECT, f"Correct! {target} gives the right result on {n_visible} case"
                                f"{'s' if n_visible != 1 else ''}{extra}.", category="correct", score=1.0,
                       answer=summary)
    for alternative in spec.get("alternatives", []):
        if _matches_everywhere(outcomes, alternative["outputs"]) and all("value" in o for o in outcomes):
            return Verdict(CORRECT, f"Correct! {target} works ({alternative['why']}).",
                           category=f"alternative:{alternative['name']}", score=1.0, answer=summary)
    # Report the first failing case the learner can see, else the first hidden one.
    order = sorted(range(len(cases)), key=lambda i: (bool(cases[i].get("hidden")), i))
    index = next(i for i in order if not results[i])
    case, outcome, want = cases[index], outcomes[index], expected[index]
    call = describe_call(target, case["args"])
    hidden = bool(case.get("hidden"))
    if "value" not in outcome:
        if "none" in outcome and outcome.get("printed"):
            message = f"{call} printed {short(outcome['printed'], 40)} but returned None."
            hint = (f"{target} prints its result instead of returning it: a printed number is only shown, the check "
                    "(and any code that uses the function) gets None. Replace `print(...)` with `return ...`.")
            category = "wrong"
        elif "none" in outcome:
            message = f"{call} returned None."
            hint = (f"{target} has no `return` line (or one that is not reached), so Python gives back None: end "
                    "every path through the function with `return` and the result.")
            category = "wrong"
        else:
            message, hint = explain_error(outcome, call, want, spec)
            category = "timeout" if outcome.get("error") == "timeout" else "crash"
        if hidden:
            message = "Your function works on the cases shown but not on one you have not seen: " + message
        return Verdict(WRONG, "Not yet: " + message, hint, category=category, answer=summary)
    got = _numbers(outcome["value"])
    for mistake in spec.get("mistakes", []):
        if _matches_everywhere(outcomes, mistake["outputs"]):
            right = _part_scores(spec, outcomes, expected) if mistake.get("partial") and spec.get("parts") else []
            if any(right):
                good = ", ".join(p for p, ok in zip(spec["parts"], right) if ok)
                bad = ", ".join(p for p, ok in zip(spec["parts"], right) if not ok)
                return Verdict(PARTLY, _miss_message(call, got, want, hidden),
                               f"Your {good} {'is' if ',' not in good else 'are'} right; the {bad} is not: "
                               f"{mistake['hint']}", category=f"mistake:{mistake['name']}",
                               score=sum(right) / len(right), answer=summary)
            return Verdict(WRONG, _miss_message(call, got, want, hidden), mistake["hint"],
                           category=f"mistake:{mistake['name']}", answer=summary)
    if len(got) != len(want):
        return Verdict(WRONG, f"Not yet: {call} returned {len(got)} number(s); {len(want)} expected.",
                       count_hint(got, want, spec) or "Check what the function should return (a single number, or a "
                                                      "tuple).", category="wrong", answer=summary)
    parts = spec.get("parts") or []
    if parts:
        right = _part_scores(spec, outcomes, expected)
        if any(right):
            good = ", ".join(p for p, ok in zip(parts, right) if ok)
            bad = ", ".join(p for p, ok in zip(parts, right) if not ok)
            wrong_here = [i for i in range(len(parts)) if not accepted([got[i]], [want[i]], spec)]
            extra = true_hints([got[i] for i in wrong_here], [want[i] for i in wrong_here], spec) if wrong_here else ""
            return Verdict(PARTLY, _miss_message(call, got, want, hidden),
                           f"Your {good} {'is' if good.count(',') == 0 else 'are'} right; the {bad} is not."
                           + (f" {extra}" if extra else ""),
                           category="partial", score=sum(right) / len(parts), answer=summary)
    return Verdict(WRONG, _miss_message(call, got, want, hidden), true_hints(got, want, spec), category="wrong",
                   answer=summary)


def _miss_message(call: str, got: list[float], want: list[float], hidden: bool) -> str:
    if hidden:
        return f"Not yet: your function works on the cases shown but not on one you have not seen: {call} " \
               f"returned {fmt(got)}."
    return f"Not yet: {call} returned {fmt(got, want)}, expected {fmt(want, got)}."


# --------------------------------------------------------------------------
# Value, choice and sort exercises
# --------------------------------------------------------------------------
def judge_value(spec: dict, answer: dict) -> Verdict:
    name, unit = spec.get("target", "your answer"), spec.get("unit", "")
    unit_text = f" {unit}" if unit else ""
    got, want = _numbers(answer["value"]), _numbers(spec["expected"])
    rtol, atol = _tolerance(spec)
    shown = fmt(got)
    if accepted(got, want, spec):
        return Verdict(CORRECT, f"Correct! {name} = {shown}{unit_text}.", category="correct", score=1.0, answer=shown)
    for alternative in spec.get("alternatives", []):
        if close(got, _numbers(alternative["value"]), rtol, atol):
            return Verdict(CORRECT, f"Correct! {name} = {shown}{unit_text} ({alternative['why']}).",
                           category=f"alternative:{alternative['name']}", score=1.0, answer=shown)
    if len(got) != len(want):
        what = ", ".join(spec.get("parts") or []) or f"{len(want)} number(s)"
        return Verdict(WRONG, f"Not yet: {name} has {len(got)} number(s); {len(want)} expected ({what}).",
                       count_hint(got, want, spec, str(answer.get("container", "")),
                                  [str(f) for f in answer.get("fields", [])] if isinstance(answer.get("fields"), list)
                                  else ()), category="wrong", answer=shown)
    message = f"Not yet: {name} = {fmt(got, want)}{unit_text} is not right."
    for mistake in spec.get("mistakes", []):
        if close(got, _numbers(mistake["value"]), max(rtol, 1e-3), atol):
            return Verdict(WRONG, message, mistake["hint"], category=f"mistake:{mistake['name']}", answer=shown)
    parts = spec.get("parts") or []
    if parts:
        right = [accepted([g], [w], spec) for g, w in zip(got, want)]
        if any(right):
            good = ", ".join(p for p, ok in zip(parts, right) if ok)
            bad = ", ".join(p for p, ok in zip(parts, right) if not ok)
            hint = true_hints([g for g, ok in zip(got, right) if not ok], [w for w, ok in zip(want, right) if not ok],
                              spec)
            return Verdict(PARTLY, message, f"Your {good} {'is' if ',' not in good else 'are'} right; check the "
                                            f"{bad}." + (f" {hint}" if hint else ""),
                           category="partial", score=sum(right) / len(parts), answer=shown)
    hint = true_hints(got, want, spec) or spec.get("hint", "")
    return Verdict(WRONG, message, hint, category="wrong", answer=shown)


def option_key(answer: str, options: dict) -> str | None:
    """The option a learner's text names: a letter ("b", "B", "(b)") or the option's own text."""
    key = answer.strip().strip("().\"' ").lower()
    lowered = {k.lower(): k for k in options}
    if key in lowered:
        return lowered[key]
    for k, text in options.items():
        if key == text.strip().strip("().\"' ").lower():  # the option's text, copied with or without its full stop
            return k
    return None


def judge_choice(spec: dict, answer: dict) -> Verdict:
    options, explanations = spec["options"], spec.get("explanations", {})
    name = spec.get("target", "your answer")
    correct = spec["answer"] if isinstance(spec["answer"], list) else [spec["answer"]]
    key = option_key(answer["value"], options)
    letters = ", ".join(repr(k) for k in options)
    if key is None:
        return Verdict(WRONG, f"{name} = {short(repr(answer['value']), 40)} is not one of the options.",
                       f"Use one of the letters {letters}, in quotes.", category="invalid",
                       answer=short(answer["value"], 40))
    why = explanations.get(key, "")
    if key in correct:
        return Verdict(CORRECT, f"Correct! ({key}) {options[key]}", why, category="correct", score=1.0, answer=key)
    return Verdict(WRONG, f"Not quite: ({key}) {options[key]}", why or "Think again about what the question asks.",
                   category=f"mistake:{key}", answer=key)


def judge_sort(spec: dict, answer: dict) -> Verdict:
    """Items sorted into categories: one share of the points per item sorted right."""
    wanted: dict = spec["answer"]
    categories = [c.lower() for c in spec.get("categories", [])]
    given = {k.strip().lower(): v for k, v in answer["value"].items()}
    right, wrong, missing, unknown = [], [], [], []
    for item, category in wanted.items():
        value = given.get(item.lower())
        if value is None:
            missing.append(item)
        elif categories and value.strip().lower() not in categories:
            unknown.append(item)
        elif value.strip().lower() == category.lower():
            right.append(item)
        else:
            wrong.append(item)
    score = len(right) / len(wanted)
    shown = f"{len(right)}/{len(wanted)}"
    if score == 1:
        return Verdict(CORRECT, f"Correct! All {len(wanted)} sorted right.", category="correct", score=1.0,
                       answer=shown)
    parts = []
    if wrong:
        parts.append(f"look again at {', '.join(wrong)}")
    if missing:
        parts.append(f"not sorted yet: {', '.join(missing)}")
    if unknown:
        parts.append(f"not one of the categories ({', '.join(spec.get('categories', []))}): {', '.join(unknown)}")
    hints = spec.get("hints") or {}
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:] + "." + "".join(f" {item}: {hints[item]}" for item in wrong if item in hints)
    status = PARTLY if right else WRONG
    return Verdict(status, f"Not yet: {len(right)} of {len(wanted)} sorted right.", text,
                   category="partial" if right else "wrong", score=score, answer=shown)


# --------------------------------------------------------------------------
# The one entry point
# --------------------------------------------------------------------------
def judge(spec: dict, answer: dict) -> Verdict:
    """The verdict on ``answer`` (data from ``collect``) for the exercise ``spec``."""
    if not isinstance(answer, dict) or "status" not in answer:
        return Verdict(WRONG, "The answer could not be read.", category="invalid")
    if answer["status"] == "not attempted":
        return not_attempted(spec)
    if answer["status"] == "invalid":
        target = spec.get("target", "your answer")
        problem = str(answer.get("problem", "it could not be read"))
        hint = problem[0].upper() + problem[1:] + "."
        if spec.get("kind") == "value" and isinstance(answer.get("parts"), dict):
            try:
                extra = parts_hint(answer["parts"], _numbers(spec["expected"]), spec)
            except (KeyError, TypeError, ValueError):
                extra = ""
            hint += f" {extra}" if extra else ""
        return Verdict(WRONG, f"Not yet: {target} could not be checked.", hint, category="invalid",
                       answer=short(problem, 60))
    kind = spec["kind"]
    if answer.get("kind") != kind:
        return Verdict(WRONG, "The answer could not be read.", category="invalid")
    try:
        return {"function": judge_function, "value": judge_value, "choice": judge_choice,
                "sort": judge_sort}[kind](spec, answer)
    except (KeyError, TypeError, ValueError, IndexError):  # malformed data (a forged report): no points
        return Verdict(WRONG, "The answer could not be read.", category="invalid")
