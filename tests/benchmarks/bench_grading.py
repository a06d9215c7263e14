"""Time the autograding of a class of 100 submissions (not part of the test suite).

    .venv/bin/python tests/benchmarks/bench_grading.py [LESSON] [--timeout SECONDS] [--workers N] [--no-sandbox]
                                                       [--keep DIR]

Makes a course directory, releases LESSON (default 00_start_here) with
``nbgrader generate_assignment``, writes 100 synthetic submissions (mostly
correct, partly correct or blank, a few broken or endless; see
tests/grading/submissions.py), grades them with
``python -m instructor.grading autograde`` (each in its sandbox, ``--workers``
at once; its progress bars are shown), checks every score, and prints the
wall-clock time. ``--no-sandbox`` times the same class without isolation.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from grading.submissions import write_class  # noqa: E402

CLASS = {"correct": 40, "partial": 30, "blank": 15, "crash": 4, "endless_loop": 2, "huge_output": 2,
         "sys_exit": 1, "unusual_but_honest": 2, "deleted_test": 2, "malformed": 2}  # 100 students


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", nargs="?", default="00_start_here")
    parser.add_argument("--timeout", type=int, default=10, help="seconds a cell may run (endless loops wait this long)")
    parser.add_argument("--workers", type=int, help="submissions run at once (default: one per core)")
    parser.add_argument("--no-sandbox", action="store_true", help="time the class without isolation")
    parser.add_argument("--keep", help="use (and keep) this course directory instead of a temporary one")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(args.keep or tmp)
        subprocess.run([sys.executable, "-m", "instructor.grading", "init", str(course), args.lesson], cwd=ROOT,
                       env=env, check=True)
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", args.lesson, "--force"],
                       cwd=course, env=env, check=True, capture_output=True)
        expected = {s.student: s.score for s in write_class(course, args.lesson, copies=CLASS)}
        print(f"{len(expected)} submissions of {args.lesson}; grading on {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        start = time.perf_counter()
        options = ["--timeout", str(args.timeout)] + (["--workers", str(args.workers)] if args.workers else []) \
            + (["--no-sandbox"] if args.no_sandbox else [])
        subprocess.run([sys.executable, "-m", "instructor.grading", "autograde", str(course), args.lesson, *options],
                       cwd=ROOT, env=env)
        seconds = time.perf_counter() - start
        with open(course / "grades" / f"{args.lesson}.csv", newline="", encoding="utf-8") as handle:
            got = {row["student"]: float(row["score"]) for row in csv.DictReader(handle)}
        wrong = {s: (got.get(s), score) for s, score in expected.items() if got.get(s) != score}
        mode = "without a sandbox" if args.no_sandbox else "each in its sandbox"
        print(f"Graded {len(got)} submissions {mode} in {seconds:.0f} s ({seconds / len(got):.1f} s each); "
              f"load average now {os.getloadavg()[0]:.1f}. "
              + ("Every score as expected." if not wrong else f"UNEXPECTED scores (got, expected): {wrong}"))
        return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
