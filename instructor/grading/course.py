"""An nbgrader course directory for the lessons.

``init_course(COURSE_DIR, lessons)`` writes COURSE_DIR/nbgrader_config.py
(from instructor/nbgrader_config.py) with copies of ``instructor/`` and
``utils/`` beside it (for the grader, never released), and for each lesson
source/<lesson>/<lesson>.ipynb (from solutions/) with copies of ``utils/``,
``data/`` and the course glossary (``glossary.md``, which every lesson links
to) beside it, so that released and graded notebooks find the helper
package, its data and the glossary as the lessons do. Released assignments
thus carry ``utils/`` (learner helpers and the visible exercise specs),
``data/`` and ``glossary.md``: no grading code and no hidden cases.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from instructor.build_lessons import GLOSSARY, ROOT, SOLUTIONS, tidy_solution

CONFIG_TEMPLATE = Path(__file__).resolve().parent.parent / "nbgrader_config.py"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def lesson_names(prefixes=()) -> list[str]:
    """The lessons in solutions/ whose names start with one of ``prefixes`` (all if none)."""
    names = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))
    chosen = [n for n in names if not prefixes or n.startswith(tuple(prefixes))]
    missing = [p for p in prefixes if not any(n.startswith(p) for n in names)]
    if missing:
        raise ValueError(f"lessons: no lesson in solutions/ starts with {missing[0]!r} (there are {names})")
    return chosen


def copy_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=_IGNORE)


def init_course(course_dir, lessons=()) -> list[str]:
    """Make (or refresh) an nbgrader course directory; return the lessons placed in source/."""
    course = Path(course_dir)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG_TEMPLATE, course / "nbgrader_config.py")
    copy_tree(ROOT / "instructor", course / "instructor")  # the grader and the definitions: instructor-only
    copy_tree(ROOT / "utils", course / "utils")
    names = lesson_names(lessons)
    for name in names:
        folder = course / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(SOLUTIONS / f"{name}.ipynb", as_version=4)
        nbformat.write(tidy_solution(nb, name), folder / f"{name}.ipynb")  # metadata from content, as the build
        copy_tree(ROOT / "utils", folder / "utils")
        copy_tree(ROOT / "data", folder / "data")
        shutil.copyfile(SOLUTIONS / GLOSSARY, folder / GLOSSARY)  # the lesson links to glossary.md beside it
    return names


def load_config(course_dir):
    """The course directory's nbgrader configuration, with its root set to the directory."""
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(course_dir).resolve()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return config
