"""Numbers in feedback: when an answer counts as right, how numbers are shown, and the hints that are true of them.

``accepted`` applies the tolerance a question states (decimals, significant
figures, a relative tolerance); ``true_hints`` and its helpers name a slip
only when it is certainly what the answer shows (a flipped sign, a factor of
100, rounding, a whole array where one number was asked). Used by
:mod:`utils.exercises.judging`.
"""
from __future__ import annotations

import math
from typing import Sequence

from .answers import decode_number


def _numbers(values) -> list[float]:
    return [decode_number(v) for v in values]


def _tolerance(spec: dict) -> tuple[float, float]:
    """(rtol, atol) of the spec; "decimals": d means within half a unit of the d-th decimal."""
    tol = spec.get("tolerance", {})
    if "decimals" in tol:
        return 0.0, 0.5 * 10.0 ** (-tol["decimals"]) + 1e-9
    return float(tol.get("rtol", 1e-6)), float(tol.get("atol", 1e-9))


def within_sig_figs(g: float, w: float, digits: int) -> bool:
    """Is ``g`` within half a unit of the ``digits``-th significant figure of ``w`` (so ``w`` rounded to
    ``digits`` significant figures is accepted)?"""
    if not (math.isfinite(g) and math.isfinite(w)):
        return False
    if w == 0:
        return abs(g) <= 1e-12
    unit = 10.0 ** (math.floor(math.log10(abs(w))) - digits + 1)
    return abs(g - w) <= 0.5 * unit * (1 + 1e-9) + 1e-15


def accepted(got: Sequence[float], want: Sequence[float], spec: dict) -> bool:
    """Right at the precision the question states: its rtol/atol or decimals, or (for "sig_figs": d) any answer
    rounded to d significant figures."""
    rtol, atol = _tolerance(spec)
    if close(got, want, rtol, atol):
        return True
    digits = spec.get("tolerance", {}).get("sig_figs")
    return bool(digits) and len(got) == len(want) and all(within_sig_figs(g, w, int(digits))
                                                          for g, w in zip(got, want))


def close(got: Sequence[float], want: Sequence[float], rtol: float, atol: float) -> bool:
    """Same length, and every number within ``atol + rtol * |want|`` (NaN never matches)."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if math.isnan(g) or math.isnan(w):
            return False
        if math.isinf(g) or math.isinf(w):
            if g != w:
                return False
            continue
        if abs(g - w) > atol + rtol * abs(w):
            return False
    return True


def fmt(values: Sequence[float], other: Sequence[float] | None = None) -> str:
    """Numbers as text, with enough digits to tell them from ``other``."""
    def text(vals, digits):
        parts = [f"{v:.{digits}g}" for v in vals]
        return parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"

    for digits in (4, 6, 8, 10, 12, 17):
        if other is None or len(other) != len(values) or text(values, digits) != text(other, digits):
            return text(values, digits)
    return text(values, 17)


def _rounded_too_far(got: list[float], want: list[float], spec: dict) -> str:
    """A hint when the answer is the right one rounded more coarsely than the question asks."""
    decimals = spec.get("tolerance", {}).get("decimals")
    if decimals is None or len(got) != len(want):
        return ""
    # The coarsest rounding that gives the answer: 0.02 for 0.0202 is "2 decimal places", 390 for 394 "the nearest 10".
    for coarser in range(-3, decimals):
        if all(abs(g - round(w, coarser)) < 1e-9 for g, w in zip(got, want)):
            how = (f"{coarser} decimal place{'s' if coarser != 1 else ''}" if coarser > 0 else
                   "a whole number" if coarser == 0 else f"the nearest {10 ** -coarser}")
            asked = (f"{decimals} decimal place{'s' if decimals != 1 else ''}" if decimals > 0 else "a whole number")
            return (f"You rounded to {how}; the question asks for {asked} "
                    f"({fmt([round(w, decimals) for w in want])} here, not {fmt(got)}).")
    return ""


def _rounded_inside(got: list[float], want: list[float], spec: dict) -> str:
    """A hint when the answer is the right number rounded (in a function, or by hand) more than the question allows."""
    if "decimals" in spec.get("tolerance", {}) or len(got) != len(want) or not any(g != 0 for g in got):
        return ""
    where = ("Your function rounds its result" if spec.get("kind") == "function"
             else "Your answer is rounded too far")
    advice = ("Return the full number; round only when you print or report it." if spec.get("kind") == "function"
              else "Keep all the digits: store the computed number itself, not a rounded copy.")
    for decimals in range(1, 7):
        rounded = [round(w, decimals) for w in want]
        if any(abs(r - w) > 1e-12 for r, w in zip(rounded, want)) and \
                all(abs(g - r) <= 1e-9 * max(1.0, abs(r)) for g, r in zip(got, rounded)):
            return f"{where} (to {decimals} decimal{'s' if decimals != 1 else ''}: {fmt(got)}). {advice}"
    for digits in range(1, 6):
        rounded = [float(f"{w:.{digits}g}") for w in want]
        if any(abs(r - w) > 1e-12 for r, w in zip(rounded, want)) and \
                all(abs(g - r) <= 1e-9 * max(1.0, abs(r)) for g, r in zip(got, rounded)):
            return f"{where} (to {digits} significant figure{'s' if digits != 1 else ''}: {fmt(got)}). {advice}"
    return ""


def count_hint(got: list[float], want: list[float], spec: dict, container: str = "", fields=()) -> str:
    """A hint when the answer has the wrong number of numbers: the whole array where one element was asked, a
    single number where several were, or the parts of a result."""
    parts = list(spec.get("parts") or [])
    if len(want) == 1 and len(got) > 1:
        hits = [i for i, g in enumerate(got) if accepted([g], want, spec)]
        if hits and len(fields) == len(got):
            return (f"You gave the whole result ({len(got)} numbers); the one asked for is its .{fields[hits[0]]}: "
                    f"take just that one.")
        if hits:
            take = f".iloc[{hits[0]}]" if container else f"[{hits[0]}]"
            return (f"Number {hits[0] + 1} of the {len(got)} you gave is the one asked for: keep only that one "
                    f"(e.g. {take}; Python counts from 0), not the whole {container or 'array or tuple'}.")
        return (f"One number is asked for, and you gave {len(got)}: the whole {container or 'array'} instead of "
                "one element, or a sum or mean that was not taken?")
    if len(got) == 1 and len(want) > 1:
        named = f" ({', '.join(parts)})" if parts else ""
        hits = [i for i, w in enumerate(want) if accepted(got, [w], spec)]
        first = (f" Your one number is the right {parts[hits[0]]}." if parts else
                 f" Your one number is right for value {hits[0] + 1} only.") if hits else ""
        if parts:
            return f"{len(want)} numbers are expected{named}: return (or store) them all, as a tuple.{first}"
        return (f"{len(want)} numbers are expected, one for each value given: work on the whole array "
                f"(np.asarray, np.where), not on one element.{first}")
    if parts and len(want) == len(parts):
        return f"Give exactly {len(want)} numbers, in this order: {', '.join(parts)}."
    return ""


def parts_hint(parts: dict, want: list[float], spec: dict) -> str:
    """For an answer that is an object holding numbers: which attribute (or element) to take."""
    if not parts:
        return ""
    if all(path.startswith("[") for path in parts):  # a list of results: the same attribute of each
        attributes = list(dict.fromkeys(path.split("]", 1)[1] for path in parts))
        for attribute in attributes:
            values = [value for path, value in parts.items() if path.split("]", 1)[1] == attribute]
            if len(values) == len(want) and accepted(_numbers(values), want, spec):
                return (f"Take {attribute} of each element: [r{attribute} for r in results] gives the numbers "
                        f"asked for.")
        return (f"Take one number from each element ({', '.join(attributes[:12])}), e.g. "
                f"[r{attributes[0]} for r in results].")
    if len(want) > 1:  # several numbers asked for: name where each one is, if the object holds them all
        found = [next((path for path, value in parts.items() if accepted(_numbers([value]), [w], spec)), None)
                 for w in want]
        if all(found):
            return f"Take the {len(want)} numbers from it: ({', '.join('result' + path for path in found)})."
    hits = [path for path, value in parts.items() if len(want) == 1 and accepted(_numbers([value]), want, spec)]
    if hits:
        return f"Take the number from it: {hits[0]} holds {fmt(_numbers([parts[hits[0]]]))}, e.g. result{hits[0]}."
    listed = ", ".join(list(parts)[:12])
    return f"Take the one number the question asks for from it ({listed}), e.g. result{next(iter(parts))}."


def true_hints(got: list[float], want: list[float], spec: dict) -> str:
    """Hints that are certainly true of this answer (empty when none is)."""
    rtol, atol = _tolerance(spec)
    quantity = spec.get("quantity", "")
    if any(math.isnan(g) for g in got):
        return ("Your answer contains NaN (not a number): look for 0/0, a log or square root of a negative number, "
                "or a huge factorial or gamma that overflowed (use the log version, e.g. gammaln).")
    if any(math.isinf(g) for g in got):
        return "Your answer is infinite: look for a division by zero, or a number too large for a float."
    if quantity == "variance" and any(g < 0 for g in got):
        return "A variance cannot be negative: check the sign of each term (a squared quantity is never negative)."
    if quantity == "p" and any(g < 0 or g > 1 for g in got):
        if close([g / 100 for g in got], want, max(rtol, 1e-4), atol):
            return "Your answer is 100 times too large: a p value is a proportion between 0 and 1, not a percentage."
        return "A p value lies between 0 and 1: you may have a test statistic, or a percentage, instead."
    hint = _rounded_too_far(got, want, spec) or _rounded_inside(got, want, spec)
    if hint:
        return hint
    rtol, atol = max(rtol, 1e-4), atol
    if any(abs(w) > 1e-12 for w in want) and close([-g for g in got], want, rtol, atol):
        return "The size is right but the sign is flipped: check which group you subtract from which."
    if len(got) == len(want) > 1 and close(got[::-1], want, rtol, atol):
        return "The right numbers in the wrong order."
    if any(abs(w) > 1e-12 for w in want) and close([g / 100 for g in got], want, rtol, atol):
        if quantity == "percentage":
            return "Your answer is 100 times too large: the number is already a percentage, so it needs no * 100."
        if any(w < 0 for w in want):  # not a share of anything: say only what is certain
            return "Your answer is 100 times too large: is there a * 100 (or a / 100 missing) somewhere?"
        return "Your answer is 100 times too large: a percentage where a proportion is expected?"
    if any(abs(w) > 1e-12 for w in want) and close([g * 100 for g in got], want, rtol, atol):
        if any(w < 0 for w in want):
            return "Your answer is 100 times too small: is there a / 100 (or a * 100 missing) somewhere?"
        return "Your answer is 100 times too small: a proportion where a percentage is expected?"
    if any(abs(w) > 1e-12 for w in want) and close([-g / 100 for g in got], want, rtol, atol):
        return "Your answer is a percentage with the sign flipped: give a proportion (divide by 100), and check " \
               "which group you subtract from which."
    if any(abs(w) > 1e-12 for w in want) and close([-g * 100 for g in got], want, rtol, atol):
        return "Your answer is a proportion with the sign flipped: give a percentage (multiply by 100), and check " \
               "which group you subtract from which."
    if len(got) == len(want) > 1 and close([-g for g in got[::-1]], want, rtol, atol):
        return "The right numbers with the sign flipped and in the wrong order: check which group you subtract " \
               "from which (an interval's low and high swap when its sign flips)."
    if quantity == "count" and len(got) == 1 and not float(got[0]).is_integer():
        return "This is a count of people or studies: a whole number is expected."
    return ""
