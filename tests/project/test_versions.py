"""The two ends of every dependency range, and the frozen set.

* requirements-min.txt pins, for every package of requirements.txt, the lowest version that requirements.txt
  allows; CI (.ci/run) installs them on the oldest supported Python and runs the quick suite (the exercise
  battery included) and every solution notebook with them.
* binder/requirements.txt is the lock: exact versions of everything requirements.txt pulls in, made by pip-compile
  for Python 3.11 (the Python of binder/runtime.txt), each inside requirements.txt's range. CI installs it and
  runs the quick suite.
"""
import re
import sys

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

REQUIREMENTS = ROOT / "requirements.txt"
MINIMUM = ROOT / "requirements-min.txt"
LOCK = ROOT / "binder" / "requirements.txt"
RUNTIME = ROOT / "binder" / "runtime.txt"
LOCK_PYTHON = "3.11"


def read(path) -> dict:
    """Canonical name -> Requirement for every requirement line of ``path`` (comments and options skipped)."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name not in found, f"{path.name}, line {number}: {requirement.name} is listed twice"
        found[name] = requirement
    return found


def lowest_allowed(requirement: Requirement):
    """The version a ``>=`` or ``==`` bound names, or None when the requirement has no lower bound."""
    bounds = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    return max(bounds) if bounds else None


def pinned(requirement: Requirement):
    """The version of an exact ``==`` pin, or None."""
    pins = [s.version for s in requirement.specifier if s.operator == "=="]
    return Version(pins[0]) if len(pins) == 1 and len(requirement.specifier) == 1 else None


def test_every_requirement_has_a_lower_bound_and_its_minimum_is_pinned():
    ranges, minimum = read(REQUIREMENTS), read(MINIMUM)
    problems = []
    for name, requirement in ranges.items():
        lowest = lowest_allowed(requirement)
        if lowest is None:
            problems.append(f"{requirement}: requirements.txt gives no lower bound; add one (>=), the lowest "
                            "version the course is tested with")
        elif name not in minimum:
            problems.append(f"{requirement}: requirements-min.txt has no line for it; add `{requirement.name}=="
                            f"{lowest}` (the lowest version requirements.txt allows), and check that CI's "
                            "lowest-versions job passes with it")
        elif pinned(minimum[name]) != lowest:
            problems.append(f"{requirement}: requirements-min.txt pins {minimum[name]}; it must pin the lowest "
                            f"version requirements.txt allows, {requirement.name}=={lowest}")
    for name, requirement in minimum.items():
        if name not in ranges:
            problems.append(f"{requirement}: in requirements-min.txt but not in requirements.txt; remove it")
    assert not problems, "requirements-min.txt and requirements.txt disagree:\n  " + "\n  ".join(problems)


def test_the_check_above_names_a_package_added_to_requirements_without_its_minimum(tmp_path, monkeypatch):
    """What the check says when a package is added to requirements.txt alone (it must name it and its minimum)."""
    ranges = tmp_path / "requirements.txt"
    ranges.write_text(REQUIREMENTS.read_text(encoding="utf-8") + "tablib>=3.5,<4\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REQUIREMENTS", ranges)
    with pytest.raises(AssertionError, match=r"tablib<4,>=3.5: requirements-min.txt has no line for it; "
                                             r"add `tablib==3.5`"):
        test_every_requirement_has_a_lower_bound_and_its_minimum_is_pinned()


def test_the_lock_pins_every_package_exactly_and_within_requirements():
    lock, ranges = read(LOCK), read(REQUIREMENTS)
    loose = [str(r) for r in lock.values() if pinned(r) is None]
    assert not loose, f"binder/requirements.txt must pin exact versions (name==version): {loose}"
    problems = []
    for name, requirement in ranges.items():
        if name not in lock:
            problems.append(f"{requirement.name} is in requirements.txt but not in the lock")
        elif not requirement.specifier.contains(pinned(lock[name]), prereleases=True):
            problems.append(f"the lock pins {lock[name]}, outside requirements.txt's {requirement}")
    assert not problems, ("binder/requirements.txt is out of date; regenerate it with the command in README.md "
                          "(Binder and hubs):\n  " + "\n  ".join(problems))


def test_the_lock_says_how_it_was_made_and_for_which_python():
    text = LOCK.read_text(encoding="utf-8")
    assert f"autogenerated by pip-compile with Python {LOCK_PYTHON}" in text
    command = re.search(r"^#    (.+)$", text, re.MULTILINE).group(1)
    assert command.startswith("pip-compile ") and "requirements.txt" in command
    assert command in (ROOT / "README.md").read_text(encoding="utf-8"), \
        f"README.md must give the lock's command as the lock records it: {command}"
    assert RUNTIME.read_text(encoding="utf-8").strip() == f"python-{LOCK_PYTHON}", \
        "binder/runtime.txt must ask Binder for the Python the lock was made for"
