"""A synthetic class of submissions for any lesson, with the score each must get.

Every submission starts from the student version that ``nbgrader
generate_assignment`` released (release/<lesson>/<lesson>.ipynb) and is
changed the way a student might change it: answers copied from the model
answers in source/ (the markers removed), left blank, broken, or made to
attack the checks. ``expected`` scores are worked out from the lesson's
structure, not from the grader: a check earns its points only if every
answer it reads (directly, or through another answer) is intact.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import nbformat

from utils.grading import notebook_names

ALWAYS_EQUAL = '''class AlwaysEqual:
    """Equal to everything: an answer that hopes the check uses ==."""
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __hash__(self):
        return 0
'''

# Attacks on the checks. Each, without the guard, turns the blank lesson's failed checks into passes.
ATTACKS = {
    "patch_grade_functions": "ex.grade_function = ex.grade_value = ex.grade_choice = lambda *a, **k: None",
    "patch_internals": ("import utils.exercises\n"
                        "utils.exercises._require = lambda feedback: None\n"
                        "passed = lambda *a, **k: utils.exercises.Feedback('correct', 'ok')\n"
                        "utils.exercises.evaluate_function = utils.exercises.evaluate_value = passed\n"
                        "utils.exercises.evaluate_choice = passed"),
    "patch_with_setattr": ('for name in ("grade_function", "grade_value", "grade_choice"):\n'
                           '    setattr(ex, name, lambda *a, **k: None)'),
    "rebind_ex": ("class Lenient:\n"
                  "    def __getattr__(self, name):\n"
                  "        return lambda *a, **k: None\n"
                  "ex = Lenient()"),
}


@dataclass
class Submission:
    student: str
    kind: str
    score: float  # expected autograded score
    status: str  # expected status in grades/<lesson>.csv


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


class Lesson:
    """The released and the instructor's notebook of one lesson, and what depends on what."""

    def __init__(self, course_dir, lesson: str):
        course = Path(course_dir)
        self.name = lesson
        self.release = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        self.source = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
        assert len(self.release.cells) == len(self.source.cells)
        self.answers = [i for i, c in enumerate(self.source.cells) if c.cell_type == "code" and _meta(c).get("solution")]
        self.checks = [i for i, c in enumerate(self.source.cells) if c.cell_type == "code" and _meta(c).get("grade")]
        self.points = {i: float(_meta(self.source.cells[i])["points"]) for i in self.checks}
        self.total = sum(self.points.values())
        bound = {i: notebook_names(self.source.cells[i].source)[0] for i in self.answers}
        reads = {i: notebook_names(self.source.cells[i].source)[1] for i in self.answers + self.checks}
        self.needs = {}  # check index -> answer indices it relies on
        for check in self.checks:
            needed, names = set(), set(reads[check])
            while True:
                more = {a for a in self.answers if a not in needed and bound[a] & names}
                if not more:
                    break
                needed |= more
                for a in more:
                    names |= reads[a]
            self.needs[check] = needed

    def score_without(self, spoiled) -> float:
        """The points a submission earns when the answers in ``spoiled`` are wrong or missing."""
        return sum(p for c, p in self.points.items() if not self.needs[c] & set(spoiled))

    def answered(self, skip=()):
        """The released notebook with every model answer filled in, except those in ``skip``."""
        nb = copy.deepcopy(self.release)
        for i in self.answers:
            if i not in skip:
                nb.cells[i].source = _strip_markers(self.source.cells[i].source)
        return nb

    def submissions(self) -> dict:
        """kind -> (notebook or raw text, expected score, expected status)."""
        first, last = self.answers[0], self.answers[-1]
        check_of_first = min(c for c in self.checks if first in self.needs[c])
        kinds = {}
        kinds["correct"] = (self.answered(), self.total, "graded")
        half = self.answers[::2]
        kinds["partial"] = (self.answered(skip=half), self.score_without(half), "graded")
        kinds["blank"] = (copy.deepcopy(self.release), 0.0, "graded")

        nb = self.answered()
        nb.cells[first].source = "raise RuntimeError('my code crashes')\n" + nb.cells[first].source
        kinds["crash"] = (nb, self.score_without([first]), "graded")

        nb = self.answered()
        nb.cells[last].source = "while True:\n    pass"
        kinds["endless_loop"] = (nb, self.score_without([last]), "graded")

        nb = self.answered()
        nb.cells[first].source += "\nimport sys\nsys.exit('done: the rest of the notebook should still be graded')"
        kinds["sys_exit"] = (nb, self.total, "graded")

        nb = self.answered()
        nb.cells[first].source += "\nfor _ in range(40_000):\n    print('x' * 100)"  # 4 MB of output
        kinds["huge_output"] = (nb, self.total, "graded")

        nb = self.answered(skip=[first])
        del nb.cells[check_of_first]
        kinds["deleted_test"] = (nb, self.score_without([first]), "graded")

        nb = self.answered(skip=[first])
        nb.cells[check_of_first].source = "print('all tests passed')"
        kinds["edited_test"] = (nb, self.score_without([first]), "graded")

        nb = copy.deepcopy(self.release)
        lines = [ALWAYS_EQUAL]
        for i in self.answers:
            for name in sorted(notebook_names(self.source.cells[i].source)[0]):
                lines.append(f"{name} = AlwaysEqual()")
        nb.cells[first].source = "\n".join(lines)
        for i in self.answers[1:]:
            nb.cells[i].source = "pass"
        functions = "\n".join(f"def {n}(*args, **kwargs):\n    return AlwaysEqual()"
                              for i in self.answers for n in _defined_functions(self.source.cells[i].source))
        nb.cells[first].source += "\n" + functions
        kinds["always_equal"] = (nb, 0.0, "graded")

        for attack, code in ATTACKS.items():
            nb = copy.deepcopy(self.release)
            nb.cells[first].source += "\n" + code
            kinds[attack] = (nb, 0.0, "flagged")
        nb = copy.deepcopy(self.release)  # the same attack in a cell the student added
        nb.cells.insert(first, nbformat.v4.new_code_cell(ATTACKS["patch_grade_functions"]))
        kinds["patch_in_added_cell"] = (nb, 0.0, "flagged")

        kinds["foreign_module"] = (self.answered(), self.total, "flagged")
        kinds["malformed"] = ('{"cells": [{"cell_type": "code", "source": "x = 1"', 0.0, "failed")
        return kinds

    def extra_files(self) -> dict:
        """kind -> {file name: text}: files submitted next to the notebook."""
        # Were the kernel to import this numpy.py from its working folder, the setup cell would fail and the
        # correct answers beside it would score nothing: the guard removes it, so they score in full.
        shadow = "raise ImportError('numpy.py from the submission folder was imported')\n"
        return {"foreign_module": {"numpy.py": shadow, "ipython_kernel_config.py": "c = get_config()\n"}}


def _defined_functions(source: str) -> list[str]:
    import ast

    try:
        return [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    except SyntaxError:
        return []


def write_class(course_dir, lesson: str, kinds=None, copies=1) -> list[Submission]:
    """Write submitted/<student>/<lesson>/<lesson>.ipynb for each kind; return what each must score.

    ``kinds``: the kinds to write (default: all); ``copies``: how many
    students of each kind, one number for all or a dict kind -> number.
    Students are named after their kind (``crash``), or ``crash-007`` when
    there are several of a kind (for benchmarks).
    """
    course = Path(course_dir)
    subject = Lesson(course, lesson)
    made, extra = subject.submissions(), subject.extra_files()
    out = []
    for kind, (nb, score, status) in made.items():
        if kinds is not None and kind not in kinds:
            continue
        count = copies.get(kind, 0) if isinstance(copies, dict) else copies
        for number in range(count):
            student = kind if count == 1 else f"{kind}-{number:03d}"
            folder = course / "submitted" / student / lesson
            folder.mkdir(parents=True, exist_ok=True)
            text = nb if isinstance(nb, str) else nbformat.writes(nb)
            (folder / f"{lesson}.ipynb").write_text(text, encoding="utf-8")
            for name, content in extra.get(kind, {}).items():
                (folder / name).write_text(content, encoding="utf-8")
            out.append(Submission(student, kind, score, status))
    return out
