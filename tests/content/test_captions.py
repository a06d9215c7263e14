"""Every figure in the course has a caption in words next to it, and uses the Okabe-Ito palette and greys."""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from utils.captions import CAPTION_CLASS, caption

ROOT = Path(__file__).resolve().parents[2]
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


OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
NAMED_GREYS = {"black", "white", "grey", "gray", "dimgrey", "dimgray", "lightgrey", "lightgray", "darkgrey",
               "darkgray", "silver", "none"}


def colours_outside_the_palette(source: str) -> set:
    """Hex colours that are neither Okabe-Ito nor a grey, and named colours that are not greys."""
    import re
    found = {h for h in re.findall(r"#[0-9A-Fa-f]{6}\b", source)
             if h.upper() not in OKABE_ITO and not (h[1:3] == h[3:5] == h[5:7])}
    found |= {n for n in re.findall(r"\b(?:colou?r|facecolor|edgecolor|c)\s*=\s*[\"']([a-z]+)[\"']", source)
              if n not in NAMED_GREYS}
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_use_the_okabe_ito_palette_and_greys(path):
    sources = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    assert set().union(*map(colours_outside_the_palette, sources)) == set()


def test_the_palette_check_finds_a_colour_outside_it():
    assert colours_outside_the_palette('ax.plot(x, color="red", c="#123456"); ax.bar(color="#BBBBBB")') == {
        "red", "#123456"}
