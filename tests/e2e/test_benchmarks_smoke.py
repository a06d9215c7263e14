"""The benchmark code runs, on tiny sizes (the full benchmark is tests/benchmarks/run_all.py, not a test)."""
import json
import os
import shutil
import sys

import nbformat
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

import bench_engine  # noqa: E402
import bench_kernel_memory  # noqa: E402
import run_all  # noqa: E402

pytestmark = pytest.mark.slow  # runs notebooks, R and a pytest session

TINY_EXPLORER = '''
import matplotlib.pyplot as plt
from utils.explorer import explorer, slider, dropdown

def draw(k, colour):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot(range(k), color=colour)
    return fig, f"A line through {k} points."   # (figure, description), as the lessons' explorers return

explorer(draw, k=slider("k", 1, 9, 1, 3, integer=True), colour=dropdown("colour", ["#0072B2", "#D55E00"]))
'''


@pytest.fixture(scope="module")
def tiny_course(tmp_path_factory):
    """A folder like solutions/, beside a copy of utils/: one notebook with one explorer, one that fails."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "utils", course / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    folder = course / "solutions"
    shutil.copytree(ROOT / "solutions" / "utils", folder / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    good = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline\nfrom utils import meta"),
                                           nbformat.v4.new_code_cell(TINY_EXPLORER)])
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    nbformat.write(good, folder / "00_tiny.ipynb")
    nbformat.write(bad, folder / "01_broken.ipynb")
    return folder


def test_quick_run_writes_a_table_with_every_section(tiny_course, tmp_path):
    out = tmp_path / "out"
    assert run_all.main(["--quick", "--no-r", "--no-browser", "--solutions", str(tiny_course),
                         "--output", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    sections = results["sections"]
    assert set(sections) == {"notebooks", "explorers", "imports", "engine"}
    assert results["machine"]["cores"] >= 1 and results["machine"]["python"]

    rows = {r["notebook"]: r for r in sections["notebooks"]["rows"]}
    assert rows["00_tiny"]["verdict"] in ("PASS", "MISS") and rows["00_tiny"]["kernel_start"] > 0
    assert rows["00_tiny"]["total"] == pytest.approx(rows["00_tiny"]["kernel_start"] + rows["00_tiny"]["cells"])
    assert rows["01_broken"]["verdict"] == "ERROR" and "ZeroDivisionError" in rows["01_broken"]["error"]
    assert sections["notebooks"]["course"]["verdict"] == "ERROR"

    (explorer,) = sections["explorers"]["rows"]
    assert explorer["notebook"] == "00_tiny" and not explorer["errors"]
    assert explorer["updates"] == 2 * 3          # two controls, three settings each (--quick)
    assert 0 < explorer["median"] <= explorer["p95"] <= explorer["max"]
    assert 0 < explorer["draw_only_median"]
    assert "browser" not in explorer and 0 <= explorer["load"]   # --no-browser

    imports = {r["import"]: r for r in sections["imports"]["rows"]}
    assert {"import utils", "from utils import meta, plots, exercises", "setup cell of 00_tiny"} <= set(imports)
    assert imports["setup cell of 00_tiny"]["statements"] == "from utils import meta"
    broken = imports["setup cell of 01_broken"]
    assert broken["verdict"] == "ERROR" and "ZeroDivisionError" in broken["error"]
    helpers = imports["from utils import meta, plots, exercises"]
    assert "import matplotlib.pyplot as plt" in helpers["other_libraries"]
    assert 0 < helpers["utils_share"] < helpers["seconds"]   # numpy, scipy, pandas, matplotlib come first

    engine = sections["engine"]["rows"]
    assert [r["k"] for r in engine] == [10, 100, 56, 200]
    assert all(r["r"] == {"status": "R not timed (--no-r)"} and r["ratio"] is None for r in engine)

    table = (out / "results.md").read_text()
    for heading in ("## Solution notebooks", "## Explorers", "## Imports", "## Engine", "## Budgets missed"):
        assert heading in table
    assert "01_broken" in table.split("## Budgets missed")[1]


FAILING_EXPLORER = '''
def draw_fragile(k):
    if k > 4:
        raise ValueError("k must be at most 4")
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot(range(k))
    return fig

explorer(draw_fragile, title="fragile", k=slider("k", 1, 9, 1, 3, integer=True))
'''


def test_quick_run_times_the_explorers_in_the_browser_too(tiny_course, tmp_path):
    """The explorers section also moves each control in JupyterLab in Chromium (tests/benchmarks/bench_browser.py),
    and an explorer that shows an error there is reported."""
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (Debian package 'chromium'): the browser half is not measured")
    shutil.copytree(tiny_course.parent, tmp_path / "copy")  # solutions/ beside utils/, as in the course
    course = tmp_path / "copy" / tiny_course.name
    (course / "01_broken.ipynb").unlink()
    nb = nbformat.read(course / "00_tiny.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(FAILING_EXPLORER))
    nbformat.write(nb, course / "00_tiny.ipynb")
    out = tmp_path / "out"
    assert run_all.main(["--only", "explorers", "--quick", "--solutions", str(course), "--output", str(out)]) == 0
    section = json.loads((out / "results.json").read_text())["sections"]["explorers"]
    assert section["browser_status"] == "measured"
    explorer, fragile = sorted(section["rows"], key=lambda r: r["title"] == "fragile")
    assert fragile["title"] == "fragile" and fragile["verdict"] == "ERROR"
    assert any("k must be at most 4" in e for e in fragile["browser"]["errors"]), fragile["browser"]
    browser = explorer["browser"]
    assert browser["moves"] == browser["redraws"] == 2 * 3 and browser["missed"] == 0 and not browser["errors"]
    assert 0 < browser["median"] <= browser["p95"] <= browser["max"] and browser["load"] >= 0
    assert 0 <= browser["others"] <= os.cpu_count() + 0.5   # cores other processes used meanwhile
    assert explorer["verdict"] in ("PASS", "MISS")
    row = next(line for line in (out / "results.md").read_text().splitlines() if line.startswith("| 00_tiny"))
    assert f"| {1000 * browser['median']:.0f} | {1000 * browser['p95']:.0f} |" in row
    assert f"| {browser['others']:.2f} |" in row


def test_only_one_section_keeps_the_others(tiny_course, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    earlier = {"sections": {"tests": {"command": "python -m pytest tests", "seconds": 700.0, "summary": "1 passed",
                                      "verdict": "MISS", "measured": "earlier", "load_before": [0, 0, 0],
                                      "load_after": [0, 0, 0], "returncode": 0, "collected": 1}}}
    (out / "results.json").write_text(json.dumps(earlier))
    run_all.main(["--only", "engine", "--quick", "--no-r", "--solutions", str(tiny_course), "--output", str(out)])
    sections = json.loads((out / "results.json").read_text())["sections"]
    assert set(sections) == {"tests", "engine"}
    assert "test suite: 700 s" in (out / "results.md").read_text()


def test_verdicts_against_budgets():
    assert run_all.verdict(0.5, 1.0) == "PASS"
    assert run_all.verdict(1.0, 1.0) == "MISS"
    assert run_all.verdict(float("nan"), 1.0) == "ERROR"
    assert run_all.verdict(None, 1.0) == "ERROR"


def test_setup_code_is_the_first_cell_without_magics(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# title"), nbformat.v4.new_code_cell(
        "%matplotlib inline\nimport numpy as np\nfrom utils import exercises as ex\n"
        "from utils.lazy import lazy_import\n"
        "smf = lazy_import('statsmodels.formula.api')\nBLUE = '#0072B2'")])
    nbformat.write(nb, tmp_path / "x.ipynb")
    statements = run_all.setup_code(tmp_path / "x.ipynb")
    assert statements == ("import numpy as np\nfrom utils import exercises as ex\nfrom utils.lazy import lazy_import\n"
                          "smf = lazy_import('statsmodels.formula.api')\nBLUE = '#0072B2'")
    # what the cell costs without utils: its other imports and what does not use a name utils gave it
    assert run_all.without_utils(statements) == "import numpy as np\nBLUE = '#0072B2'"


def test_metafor_absent_is_reported_not_fatal():
    case = bench_engine.cases((10,), ())[0]
    assert bench_engine.r_seconds(case, rscript_path="/nonexistent/Rscript") == {"status": "R not installed"}


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed (the absent case is tested above)")
def test_metafor_times_the_same_data_and_agrees():
    case = bench_engine.cases((10,), ())[0]
    r = bench_engine.r_seconds(case, repeats=1, timeout=60)
    assert r["seconds"] >= 0, r
    assert r["estimates"] == bench_engine.python_seconds(case, 1)[1]


def test_test_suite_timing_counts_tests_and_reports_failures(tmp_path):
    (tmp_path / "test_tiny.py").write_text("def test_a():\n    pass\n\ndef test_b():\n    pass\n\n"
                                           "def test_c():\n    assert 1 == 2\n")
    timed = run_all.measure_tests([sys.executable, "-m", "pytest", str(tmp_path / "test_tiny.py"),
                                   "-p", "no:cacheprovider"])
    assert timed["collected"] == 3
    assert "1 failed" in timed["summary"] and "2 passed" in timed["summary"]
    assert timed["verdict"] == "ERROR" and timed["returncode"] != 0 and timed["seconds"] > 0
    assert len(timed["failures"]) == 1 and "test_c" in timed["failures"][0]


def test_kernel_memory_is_measured_after_run_all_and_after_moving_the_explorers(tiny_course, capsys):
    (good, broken) = bench_kernel_memory.main(["--folder", str(tiny_course), "--moves", "3"])
    assert good["notebook"] == "00_tiny" and good["error"] is None and good["explorers"] == 1
    assert 30 < good["run_rss_mb"] <= good["run_peak_mb"]   # a kernel with numpy, pandas, matplotlib: tens of MB
    assert good["run_modules"] > 100 and "ipywidgets" in good["run_heavy"]
    assert good["run_pyplot_figures"] == 0 and good["run_live_figures"] >= 1   # shown, closed, kept by the explorer
    assert good["moved_pyplot_figures"] == 0 and good["moved_rss_mb"] > 30
    assert "ZeroDivisionError" in broken["error"]
    printed = capsys.readouterr().out
    assert "| RSS MB |" in printed and "00_tiny" in printed and "01_broken | error" in printed
