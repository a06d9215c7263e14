"""nbgrader configuration for the course (copied into a course directory by
``python -m instructor.grading init COURSE_DIR``; see the README, "Grading").

The student versions made by ``nbgrader generate_assignment`` are the same
notebooks as lessons/: the stubs come from instructor.build_lessons. The
autograder restores every locked and test cell, puts back test cells a
student deleted, then runs the submission in a bubblewrap sandbox and
judges the answers it reports in this (trusted) process: see
instructor/grading/nbgrader_plugins.py. ``nbgrader autograde`` and
``python -m instructor.grading autograde`` both grade this way.
"""
import os
import sys

# This file sits either in a course directory next to its copies of instructor/
# and utils/, or in the repository's instructor/ folder: make those importable.
_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = _HERE if os.path.isdir(os.path.join(_HERE, "instructor")) else os.path.dirname(_HERE)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput,  # noqa: E402
                                    DeduplicateIds, OverwriteCells, OverwriteKernelspec)

from instructor.build_lessons import CODE_STUB, TEXT_STUB  # noqa: E402
from instructor.grading.intake import guard_autograde  # noqa: E402

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

# The course. Change course_id if several courses share one JupyterHub exchange.
c.CourseDirectory.course_id = "opioids-and-bonds"
c.CourseDirectory.root = _ROOT if os.path.isfile(os.path.join(_ROOT, "nbgrader_config.py")) else os.getcwd()

# Student versions: the course's own stubs, so they match lessons/.
c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = TEXT_STUB

# Autograding: restore the instructor's cells, then run sandboxed and judge outside the kernel.
c.OverwriteCells.add_missing_cells = True
# A cell's nbgrader metadata (points, graded or not) is the instructor's, whatever the submission says.
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds,
                                      "instructor.grading.nbgrader_plugins.RestoreNbgraderMetadata",
                                      OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [
    "instructor.grading.nbgrader_plugins.SandboxedExecute",
    "instructor.grading.nbgrader_plugins.NeutraliseHtml",
    "instructor.grading.nbgrader_plugins.JudgeAndSave",
    "instructor.grading.nbgrader_plugins.AddRubrics",
    AssignLatePenalties,
    CheckCellMetadata,
]
# What students send in is checked before the instructor's tools read it (instructor/grading/intake.py):
# collect takes no entry named after someone else, dated in the future, holding links or lacking its
# submission secret, and says what it refused; release_feedback skips (and names) a student whose feedback
# cannot be released instead of stopping for the class; autograde refuses a submission holding links.
c.ExchangeFactory.collect = "instructor.grading.intake.SafeExchangeCollect"
c.ExchangeFactory.release_feedback = "instructor.grading.intake.SafeExchangeReleaseFeedback"
guard_autograde()
# A cell may run for 60 s, all cells of a submission for 240 s; an endless loop is interrupted.
c.SandboxedExecute.cell_timeout = 60
c.SandboxedExecute.total_timeout = 240
# Feedback pages show no raw HTML or script from a submission.
c.HTMLExporter.sanitize_html = True
