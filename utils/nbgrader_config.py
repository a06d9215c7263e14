"""nbgrader configuration for the course (copied into a course directory by
``python -m utils.grading init COURSE_DIR``; see the README, "Grading with nbgrader").

The student versions made by ``nbgrader generate_assignment`` are the same
notebooks as lessons/: the stubs come from utils.build_lessons, never
repeated here. The autograder restores every locked and test cell, puts back
test cells a student deleted, and runs ``utils.grading.GuardChecks``, which
does not run code that tampers with the checks (see utils/grading.py).
"""
import os
import sys

# This file sits either in a course directory next to its copy of utils/, or
# in the repository's utils/ folder: make that utils/ importable either way.
_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = _HERE if os.path.isdir(os.path.join(_HERE, "utils")) else os.path.dirname(_HERE)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds,  # noqa: E402
                                    OverwriteCells, OverwriteKernelspec)

from utils.build_lessons import CODE_STUB, TEXT_STUB  # noqa: E402

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

# The course. Change course_id if several courses share one JupyterHub exchange.
c.CourseDirectory.course_id = "opioids-and-bonds"
c.CourseDirectory.root = _ROOT if os.path.isfile(os.path.join(_ROOT, "nbgrader_config.py")) else os.getcwd()

# Student versions: the course's own stubs, so they match lessons/.
c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = TEXT_STUB

# Autograding. A cell may run for 120 s (the slowest lesson cell needs a few);
# an endless loop is interrupted and the next cell runs. Long outputs are cut.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
    "utils.grading.GuardChecks",
    CheckCellMetadata,
]
