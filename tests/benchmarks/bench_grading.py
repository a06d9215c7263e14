"""Time the autograding of a class of 100 submissions (not part of the test suite).

    .venv/bin/python tests/benchmarks/bench_grading.py [LESSON] [--timeout SECONDS] [--keep DIR]

Makes a course directory, releases LESSON (default 00_start_here) with
``nbgrader generate_assignment``, writes 100 synthetic submissions (mostly
correct, partly correct or blank, a few broken or attacking the checks; see
tests/grading/submissions.py), grades them with
``python -m utils.grading autograde`` (its progress bar is shown), checks
every score, and prints the wall-clock time.
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
         "sys_exit": 1, "patch_grade_functions": 2, "always_equal": 2, "malformed": 2}  # 100 students


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", nargs="?", default="00_start_here")
    parser.add_argument("--timeout", type=int, default=10, help="seconds a cell may run (endless loops wait this long)")
    parser.add_argument("--keep", help="use (and keep) this course directory instead of a temporary one")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(args.keep or tmp)
        subprocess.run([sys.executable, "-m", "utils.grading", "init", str(course), args.lesson], cwd=ROOT,
                       env=env, check=True)
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", args.lesson, "--force"],
                       cwd=course, env=env, check=True, capture_output=True)
        expected = {s.student: s.score for s in write_class(course, args.lesson, copies=CLASS)}
        print(f"{len(expected)} submissions of {args.lesson}; grading on {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "utils.grading", "autograde", str(course), args.lesson,
                        "--timeout", str(args.timeout)], cwd=course, env=env)
        seconds = time.perf_counter() - start
        with open(course / "grades" / f"{args.lesson}.csv", newline="", encoding="utf-8") as handle:
            got = {row["student"]: float(row["score"]) for row in csv.DictReader(handle)}
        wrong = {s: (got.get(s), score) for s, score in expected.items() if got.get(s) != score}
        print(f"Graded {len(got)} submissions in {seconds:.0f} s ({seconds / len(got):.1f} s each); "
              f"load average now {os.getloadavg()[0]:.1f}. "
              + ("Every score as expected." if not wrong else f"UNEXPECTED scores (got, expected): {wrong}"))
        return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
