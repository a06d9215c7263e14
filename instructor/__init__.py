"""Tools for authors and instructors: building lessons, exercise definitions, grading.

Not shipped to learners: released assignments carry ``utils/`` (what a
lesson imports) and ``data/``, never this package.

==============  ===============================================================
module          holds
==============  ===============================================================
build_lessons   lessons/ and the visible exercise specs, generated from solutions/
definitions     one definition per exercise (reference, cases, hidden cases,
                tolerance, mistakes, alternatives, rubric), per lesson
notebook_runner run a notebook on a fresh kernel (local sockets)
grading         the sandboxed grader, its nbgrader plug-ins and the class CLI
==============  ===============================================================
"""
