"""Shared test set-up: paths, and a non-interactive matplotlib backend."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
