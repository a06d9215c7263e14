"""python -m instructor.grading: make a course directory, grade a class.

    python -m instructor.grading init COURSE_DIR [LESSON ...]
    python -m instructor.grading autograde COURSE_DIR LESSON [--student ID] [--workers N] [--timeout S]
    python -m instructor.grading report COURSE_DIR LESSON [--names]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .sandbox import SandboxUnavailable


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m instructor.grading",
                                     description="Grade the course's lessons with nbgrader, each submission "
                                                 "in a sandbox.")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="make an nbgrader course directory from solutions/")
    init.add_argument("course_dir")
    init.add_argument("lessons", nargs="*", help="lesson names or prefixes (default: all)")
    grade = commands.add_parser("autograde", help="autograde every submission of a lesson")
    grade.add_argument("course_dir")
    grade.add_argument("lesson")
    grade.add_argument("--student", action="append", help="grade only this student (repeatable)")
    grade.add_argument("--workers", type=int, help="submissions run at once (default: one per core)")
    grade.add_argument("--timeout", type=float, help="seconds one cell may run (default: the configuration's)")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="DANGEROUS: run submissions without isolation (only for your own, trusted notebooks)")
    report = commands.add_parser("report", help="what the class got wrong: reports/<lesson>.html and .csv")
    report.add_argument("course_dir")
    report.add_argument("lesson")
    report.add_argument("--names", action="store_true", help="show student ids (default: pseudonyms)")
    args = parser.parse_args(argv)
    if args.command == "report":
        from .class_report import write_report

        try:
            page, table = write_report(args.course_dir, args.lesson, names=args.names)
        except ValueError as exc:
            print(f"No report: {exc}", file=sys.stderr)
            return 2
        print(f"{page}\n{table}")
        return 0
    if args.command == "init":
        from .course import init_course

        names = init_course(args.course_dir, args.lessons)
        print(f"{args.course_dir}: nbgrader_config.py and source/ for " + ", ".join(names))
        return 0
    from .classroom import autograde_class
    from .course import load_config

    config = load_config(args.course_dir)
    if args.timeout:
        config.SandboxedExecute.cell_timeout = args.timeout
    if args.no_sandbox:
        print("WARNING: grading WITHOUT a sandbox. A submission can read the hidden cases and change the "
              "gradebook, other submissions and your files. Use only for notebooks you trust.", file=sys.stderr)
        config.SandboxedExecute.isolate = False
    try:
        rows = autograde_class(args.course_dir, args.lesson, students=args.student, config=config,
                               workers=args.workers)
    except SandboxUnavailable as exc:
        print(f"Grading stopped: {exc}", file=sys.stderr)
        return 2
    counts = {s: sum(r.status == s for r in rows) for s in ("graded", "flagged", "failed")}
    print(f"{len(rows)} submissions of {args.lesson}: " + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f". Grades: {Path(args.course_dir) / 'grades' / (args.lesson + '.csv')}")
    for row in rows:
        if row.status != "graded":
            print(f"  {row.status.upper():8} {row.student}: {row.note}")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
