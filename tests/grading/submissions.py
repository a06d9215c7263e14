"""A synthetic class of submissions for any lesson, with the score each must get.

Every submission starts from the student version that ``nbgrader
generate_assignment`` released (release/<lesson>/<lesson>.ipynb) and is
changed the way a student might change it: answers copied from the model
answers in source/ (the markers removed), left blank, broken, or written
in unusual but honest ways. ``expected`` scores are worked out from the
lesson's structure, not from the grader: an exercise earns its points only
if the answer cell that defines its target (and every answer that cell
reads) is intact.
"""
from __future__ import annotations

import copy
import symtable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from instructor import definitions
from instructor.build_lessons import check_ids

from .attacks import ATTACKS, MARKDOWN_ATTACKS, NOTEBOOK_ATTACKS, fill

FORGED_TICK = "✔ Correct! Full marks.\n[1 / 1 points]\n"  # what a forged, pre-filled verdict says


@dataclass
class Submission:
    student: str
    kind: str
    score: float  # expected autograded score
    status: str  # expected status in grades/<lesson>.csv ("graded", "flagged", "failed"; "any" for attacks)


def names(source: str) -> tuple[set[str], set[str]]:
    """(bound, read): top-level names a cell binds, and global names it reads."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        top = symtable.symtable(TransformerManager().transform_cell(source), "<cell>", "exec")
    except SyntaxError:
        return set(), set()
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    read = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    stack = list(top.get_children())
    while stack:
        scope = stack.pop()
        stack.extend(scope.get_children())
        read |= {s.get_name() for s in scope.get_symbols() if s.is_global()}
    return bound, read - bound


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


class Lesson:
    """The released and the instructor's notebook of one lesson, and which answers each exercise needs."""

    def __init__(self, course_dir, lesson: str):
        course = Path(course_dir)
        self.name = lesson
        self.release = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        self.source = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
        assert len(self.release.cells) == len(self.source.cells)
        graded = definitions.graded(lesson)
        self.answers = [i for i, c in enumerate(self.source.cells)
                        if c.cell_type == "code" and _meta(c).get("solution")]
        self.checks = [i for i, c in enumerate(self.source.cells) if c.cell_type == "code" and _meta(c).get("grade")]
        self.points = {i: float(_meta(self.source.cells[i])["points"]) for i in self.checks}
        self.total = sum(self.points.values())
        bound = {i: names(self.source.cells[i].source)[0] for i in self.answers}
        reads = {i: names(self.source.cells[i].source)[1] for i in self.answers}
        self.needs = {}  # check index -> answer indices it relies on
        for check in self.checks:
            wanted = {graded[e].target for e in check_ids(self.source.cells[check].source)}
            needed = set()
            while True:
                more = {a for a in self.answers if a not in needed and bound[a] & wanted}
                if not more:
                    break
                needed |= more
                for a in more:
                    wanted |= reads[a]
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

    def honest(self) -> dict:
        """kind -> (notebook or raw text, expected score, expected status)."""
        first, last = self.answers[0], self.answers[-1]
        check_of_first = min(c for c in self.checks if first in self.needs[c])
        kinds = {"correct": (self.answered(), self.total, "graded")}
        half = self.answers[::2]
        kinds["partial"] = (self.answered(skip=half), self.score_without(half), "graded")
        kinds["blank"] = (copy.deepcopy(self.release), 0.0, "graded")

        nb = self.answered()
        nb.cells[first].source = "raise RuntimeError('my code crashes')\n" + nb.cells[first].source
        kinds["crash"] = (nb, self.score_without([first]), "graded")

        nb = self.answered()
        nb.cells[last].source = "while True:\n    pass"
        kinds["endless_loop"] = (nb, self.score_without([last]), "flagged")

        nb = self.answered()
        nb.cells[first].source += "\nimport sys\nsys.exit('done: the rest of the notebook should still be graded')"
        kinds["sys_exit"] = (nb, self.total, "graded")

        nb = self.answered()
        nb.cells[first].source += "\nfor _ in range(40_000):\n    print('x' * 100)"  # 4 MB of output
        kinds["huge_output"] = (nb, self.total, "graded")

        nb = self.answered(skip=[first])
        del nb.cells[check_of_first]
        kinds["deleted_test"] = (nb, self.score_without([first]), "graded")

        nb = self.answered()
        nb.cells[check_of_first].source = "print('all tests passed')"
        kinds["edited_test"] = (nb, self.total, "graded")

        # Honest answers written in ways an old code screen refused: a saved figure, an attribute set,
        # the course's own names reused, files written and read back.
        nb = self.answered()
        nb.cells[first].source += ("\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\n"
                                   "fig.savefig('my_figure.png')\nplt.close(fig)\nclass Note:\n    pass\n"
                                   "note = Note()\nnote.text = 'attribute set'\nopen('notes.txt', 'w').write('x')\n"
                                   "ex = 'a name the course uses too'")
        kinds["unusual_but_honest"] = (nb, self.total, "graded")
        # JupyterLab's copy and paste keeps a cell's metadata: an answer cell pasted twice (nbgrader's own
        # OverwriteCells once failed such a notebook outright).
        nb = self.answered()
        nb.cells.insert(first, copy.deepcopy(nb.cells[first]))
        kinds["copied_cell"] = (nb, self.total, "graded")
        kinds["malformed"] = ('{"cells": [{"cell_type": "code", "source": "x = 1"', 0.0, "failed")
        return kinds

    def attacked(self, attack: str, paths: dict):
        """The blank lesson with one attack added at the end (as a cell, or 20 for the endless-cells attack)."""
        nb = copy.deepcopy(self.release)
        if attack in MARKDOWN_ATTACKS:
            nb.cells.append(nbformat.v4.new_markdown_cell(MARKDOWN_ATTACKS[attack]))
            for i in [c for c in range(len(nb.cells)) if _meta(nb.cells[c]).get("grade_id", "").endswith("written-1")]:
                nb.cells[i].source = MARKDOWN_ATTACKS[attack]
            return nb
        if attack in NOTEBOOK_ATTACKS:
            return self._structure_attack(nb, attack)
        code = fill(ATTACKS[attack], paths)
        copies = 20 if attack == "many_endless_cells" else 1
        for _ in range(copies):
            nb.cells.append(nbformat.v4.new_code_cell(code))
        return nb


    def _structure_attack(self, nb, attack: str):
        """The blank lesson with its metadata, outputs or cell ids forged (``attacks.NOTEBOOK_ATTACKS``)."""
        checks = [nb.cells[i] for i in self.checks]
        if attack == "prefilled_verdicts":  # every check cell already shows a full-marks verdict
            for cell in checks:
                cell.outputs = [nbformat.v4.new_output("stream", text=FORGED_TICK),
                                nbformat.v4.new_output("execute_result", {"text/plain": "1.0"}, execution_count=1)]
                cell.execution_count = 1
        elif attack == "duplicate_check_id":  # a cell with a check's id, before it, that prints a full mark
            for index in reversed(self.checks):
                forged = nbformat.v4.new_code_cell(f"print({FORGED_TICK!r})")
                forged.metadata = copy.deepcopy(nb.cells[index].metadata)
                nb.cells.insert(index, forged)
        elif attack == "forged_grading_metadata":  # the grader's own metadata, claiming full marks
            nb.metadata["course_grading"] = {"verdicts": {_meta(c)["grade_id"]: {
                "status": "correct", "category": "correct", "points": 1.0, "max_points": 1.0} for c in checks},
                "events": [], "sandbox_uid": None}
        elif attack == "lookalike_grade_id":  # a new graded cell whose id looks like a real one (Cyrillic 'е')
            cell = nbformat.v4.new_code_cell(f"print({FORGED_TICK!r})")
            cell.metadata["nbgrader"] = {**copy.deepcopy(_meta(checks[0])),
                                         "grade_id": _meta(checks[0])["grade_id"].replace("e", "\u0435"),
                                         "points": 99}
            nb.cells.append(cell)
        elif attack == "inflated_points":  # every check worth 100 points, an answer cell graded too
            for cell in checks:
                cell.metadata["nbgrader"]["points"] = 100
            nb.cells[self.answers[0]].metadata["nbgrader"].update(grade=True, points=50)
        elif attack == "huge_metadata":  # 30 MB of metadata and a pre-filled 30 MB output
            nb.metadata["padding"] = "x" * 30_000_000
            checks[0].outputs = [nbformat.v4.new_output("stream", text="y" * 30_000_000)]
        return nb


def write(course_dir, lesson: str, student: str, nb) -> Path:
    folder = Path(course_dir) / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lesson}.ipynb"
    path.write_text(nb if isinstance(nb, str) else nbformat.writes(nb), encoding="utf-8")
    return path


def write_class(course_dir, lesson: str, kinds=None, copies=1) -> list[Submission]:
    """Write the honest class (all kinds, or ``kinds``); return what each must score.

    ``copies``: students per kind (``crash-007`` when several, for benchmarks).
    """
    subject = Lesson(course_dir, lesson)
    out = []
    for kind, (nb, score, status) in subject.honest().items():
        if kinds is not None and kind not in kinds:
            continue
        count = copies.get(kind, 0) if isinstance(copies, dict) else copies
        for number in range(count):
            student = kind if count == 1 else f"{kind}-{number:03d}"
            write(course_dir, lesson, student, nb)
            out.append(Submission(student, kind, score, status))
    return out


def write_attackers(course_dir, lesson: str, attacks, paths: dict) -> list[Submission]:
    """One attacker per attack, each on the blank lesson: every one must score 0."""
    subject = Lesson(course_dir, lesson)
    out = []
    for attack in attacks:
        write(course_dir, lesson, f"attack-{attack.replace('_', '-')}", subject.attacked(attack, paths))
        out.append(Submission(f"attack-{attack.replace('_', '-')}", attack, 0.0, "any"))
    return out
