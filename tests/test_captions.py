"""Every figure in the course has a caption in words next to it (issue: accessibility)."""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from utils.captions import CAPTION_CLASS, caption

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))


def figures_without_caption(path):
    """(cell number, first source line) of each code cell that shows a picture without a caption after it."""
    missing = []
    for number, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        for i, output in enumerate(outputs):
            if "image/png" not in output.get("data", {}):
                continue
            after = outputs[i + 1] if i + 1 < len(outputs) else {}
            if CAPTION_CLASS not in "".join(after.get("data", {}).get("text/html", "")):
                missing.append((number, "".join(cell["source"]).splitlines()[0][:60]))
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_in_the_solutions_has_a_caption_under_it(path):
    assert figures_without_caption(path) == []


def test_the_check_finds_a_figure_without_a_caption(tmp_path):
    notebook = {"cells": [{"cell_type": "code", "source": ["plt.plot([1, 2])"], "outputs": [
        {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}]}]}
    path = tmp_path / "00_x.ipynb"
    path.write_text(json.dumps(notebook))
    assert figures_without_caption(path) == [(0, "plt.plot([1, 2])")]


def test_caption_shows_the_figure_then_its_words(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    fig, ax = plt.subplots()
    caption(fig, "A straight line from 0 to 1 over ten points.")
    assert shown[0] is fig
    assert CAPTION_CLASS in shown[1]["text/html"] and shown[1]["text/plain"].startswith("Figure. A straight")
    assert not plt.fignum_exists(fig.number)  # closed: not shown twice


@pytest.mark.parametrize("figure, text, error, words", [
    (None, "short", ValueError, "text"), (None, 5, TypeError, "text"),
    ("fig", "A line that is long enough to be a caption.", TypeError, "figure")])
def test_caption_names_the_bad_argument(figure, text, error, words):
    with pytest.raises(error, match=words):
        caption(figure, text)
