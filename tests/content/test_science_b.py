"""Science pass, lessons 04-06 and the glossary: the numbers these lessons state, checked against their sources.

The prediction interval's reference values come from R's metafor (tests/fixtures/make_prediction_fixtures.R
writes tests/fixtures/prediction.json; the tests never need R).
"""
import dataclasses
import json
import re
from pathlib import Path

import pytest

from utils import meta

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "prediction.json").read_text(encoding="utf-8"))
FITS = FIXTURE["fits"]


# --------------------------------------------------------------------------
# utils.meta.prediction_interval against metafor
# --------------------------------------------------------------------------
@pytest.mark.parametrize("ref", FITS, ids=lambda r: f"{r['data']}-{r['method']}-{r['test']}")
def test_prediction_interval_matches_metafor(ref):
    fit = meta.random_effects(ref["yi"], ref["vi"], method=ref["method"], test=ref["test"])
    # The fits agree to metafor's convergence tolerance ...
    assert fit.estimate == pytest.approx(ref["estimate"], abs=1e-4)
    assert fit.tau2 == pytest.approx(ref["tau2"], abs=1e-4)
    assert (fit.ci_low, fit.ci_high) == pytest.approx(ref["ci"], abs=1e-4)
    assert meta.prediction_interval(fit, "t(k-2)") == pytest.approx(ref["pi_t_k_minus_2"], abs=5e-4)
    # ... and from metafor's own mu, se and tau^2 the interval is metafor's to the last digits.
    same = dataclasses.replace(fit, estimate=ref["estimate"], se=ref["se"], tau2=ref["tau2"])
    assert meta.prediction_interval(same, "t(k-2)") == pytest.approx(ref["pi_t_k_minus_2"], abs=1e-12)
    assert ref["pi_t_k_minus_2"] == pytest.approx(ref["pi_t_k_minus_2_by_hand"], abs=1e-12)
    if ref["test"] == "z":  # metafor's printed interval after a z test is the z form
        assert meta.prediction_interval(same, "z") == pytest.approx(ref["pi_default"], abs=1e-12)
        assert (fit.pi_low, fit.pi_high) == pytest.approx(ref["pi_default"], abs=1e-4)


def test_the_t_form_is_wider_than_the_z_form_by_the_ratio_of_the_quantiles():
    from scipy import stats
    ref = next(r for r in FITS if r["data"] == "table1" and r["method"] == "DL" and r["test"] == "z")
    fit = meta.random_effects(ref["yi"], ref["vi"], method="DL")
    low_t, high_t = meta.prediction_interval(fit)
    low_z, high_z = meta.prediction_interval(fit, form="z")
    assert (high_t - low_t) / (high_z - low_z) == pytest.approx(stats.t.ppf(0.975, 6) / stats.norm.ppf(0.975))
    assert meta.prediction_interval(fit, level=0.8)[1] < high_t


@pytest.mark.parametrize("call, error, words", [
    (lambda fit: meta.prediction_interval(fit, form="t(k-1)"), ValueError, ["form", "t(k-2)"]),
    (lambda fit: meta.prediction_interval(fit, level=95), ValueError, ["level"]),
    (lambda fit: meta.prediction_interval((fit.estimate, fit.se)), TypeError, ["fit", "random_effects"]),
    (lambda fit: meta.prediction_interval(meta.random_effects(fit.yi, fit.vi, method="FE")), ValueError,
     ["fit", "FE"]),
    (lambda fit: meta.prediction_interval(meta.random_effects(fit.yi[:2], fit.vi[:2])), ValueError,
     ["fit", "at least 3", "k = 2"]),
])
def test_prediction_interval_names_the_bad_argument(call, error, words):
    ref = FITS[0]
    fit = meta.random_effects(ref["yi"], ref["vi"])
    with pytest.raises(error) as raised:
        call(fit)
    for word in words:
        assert word in str(raised.value)


# --------------------------------------------------------------------------
# Lessons 04-06: the statements fixed or added for issue 21
# --------------------------------------------------------------------------
def markdown_of(stem):
    import nbformat
    nb = nbformat.read(ROOT / "solutions" / f"{stem}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"], nb


def outputs_text(nb):
    text = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            text.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


def test_04_blockade_at_the_scan_is_likely_adequate_but_uncertain_and_the_model_gives_89_9():
    from utils import pharmacology
    cells, nb = markdown_of("04_the_fmri_trial")
    text = "\n".join(cells)
    assert "blocks more\n  than 90%" not in text and "more than 90% of mu-opioid receptors" not in text
    assert "Likely adequate but uncertain" in text and "60-95 min" in text and "2 h post-ingestion" in text
    assert "*Results: Quality of individual studies*" in text
    model = pharmacology.blockade(50)
    assert model == pytest.approx(100 * 50 / (50 + 5.59)) and round(model, 1) == 89.9 < 90
    assert f"after 50 mg: {model:.1f}%" in outputs_text(nb)  # computed in the lesson ...
    assert f"at {model:.1f}% (computed below)" in text  # ... and the text says the same


def test_04_key_points_teach_the_two_simple_effects_as_the_difference_in_significance_trap():
    cells, _ = markdown_of("04_the_fmri_trial")
    key = next(c for c in cells if "## Key points" in c).split("## Key points")[1]
    for words in ("*simple effects*", "difference-in-significance trap", "interaction test does, and the abstract "
                  "reports none", "P2", "*felt* connection"):
        assert words in key.replace("\n  ", " "), words


def test_04_the_042_was_significant_one_tailed_only():
    from scipy import stats
    cells, _ = markdown_of("04_the_fmri_trial")
    power_text = next(c for c in cells if "winner's curse" in c).replace("\n", " ")
    two_tailed = 2 * stats.t.sf(1.859, 75)
    assert 0.05 < two_tailed and f"{two_tailed:.3f}"[1:] == ".067"
    assert "significant only one-tailed (*p* = .034; two-tailed *p* = .067" in power_text
    assert stats.t.sf(1.859, 75) == pytest.approx(0.034, abs=1e-3)  # the paper's one-tailed p


def test_06_t_form_is_a_quarter_wider_and_knapp_hartung_widens_the_reml_ci_past_zero():
    from scipy import stats
    from utils import data
    studies = data.table1_effects()
    yi, vi = studies["yi"].to_numpy(), studies["vi"].to_numpy()
    ratio = stats.t.ppf(0.975, len(yi) - 2) / stats.norm.ppf(0.975)
    assert round(100 * (ratio - 1)) == 25
    z_fit = meta.random_effects(yi, vi, method="REML")
    kh_fit = meta.random_effects(yi, vi, method="REML", test="knha")
    assert z_fit.ci_high < 0 < kh_fit.ci_high  # "widens the REML interval past zero"
    dl = meta.random_effects(yi, vi, method="DL")
    low, high = meta.prediction_interval(dl)
    assert low < -0.5 and high > 0  # "from a large decrease to an increase"
    cells, nb = markdown_of("06_pooling")
    text = "\n".join(cells)
    assert "with *k* = 8 it is 25% wider" in text and "a quarter wider" in text
    assert "past zero" in text and "Knapp" in text and "IntHout" in text
    shown = outputs_text(nb)
    assert f"the t form is {ratio - 1:.0%} wider" in shown
    assert f"[{kh_fit.ci_low:.2f}, {kh_fit.ci_high:.2f}]" in shown


@pytest.mark.parametrize("stem", ["04_the_fmri_trial", "05_effect_sizes", "06_pooling"])
def test_lessons_04_to_06_end_with_discussion_prompts(stem):
    cells, _ = markdown_of(stem)
    last = cells[-1]
    assert last.startswith("## Discuss")
    prompts = re.findall(r"<details><summary>What a good discussion reaches</summary>(.+?)</details>", last, re.S)
    assert 2 <= len(prompts) <= 3 and all(len(p.split()) >= 25 for p in prompts)


# --------------------------------------------------------------------------
# The glossary
# --------------------------------------------------------------------------
GLOSSARY_SOURCE = ROOT / "solutions" / "glossary.md"
NOTEBOOKS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def slug(heading):
    """The anchor of a markdown heading as GitHub makes it: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def glossary_anchors():
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", GLOSSARY_SOURCE.read_text(encoding="utf-8"), re.M)}


def test_the_glossary_copy_beside_the_lessons_is_current():
    assert (ROOT / "lessons" / "glossary.md").read_text(encoding="utf-8") == \
        GLOSSARY_SOURCE.read_text(encoding="utf-8")


def test_the_build_copies_the_glossary_and_check_fails_when_it_is_out_of_date(tmp_path):
    from instructor import build_lessons
    solutions, lessons, specs = tmp_path / "solutions", tmp_path / "lessons", tmp_path / "specs"
    solutions.mkdir(), lessons.mkdir()
    (solutions / "glossary.md").write_text("# Glossary\n\n## Term\n\nA definition.\n", encoding="utf-8")
    assert build_lessons.build(solutions=solutions, lessons=lessons, specs=specs) == ["lessons/glossary.md"]
    assert (lessons / "glossary.md").read_text(encoding="utf-8").endswith("A definition.\n")
    assert build_lessons.build(check_only=True, solutions=solutions, lessons=lessons, specs=specs) == []
    (solutions / "glossary.md").write_text("# Glossary\n\n## Term\n\nA better definition.\n", encoding="utf-8")
    assert build_lessons.build(check_only=True, solutions=solutions, lessons=lessons, specs=specs) == \
        ["lessons/glossary.md"]
    assert build_lessons.main(["--check"]) == 0  # the repository's own copy is current


def test_the_glossary_is_alphabetical_and_says_where_each_term_is_taught():
    text = GLOSSARY_SOURCE.read_text(encoding="utf-8")
    terms = re.findall(r"^## (.+)$", text, re.M)
    assert len(terms) >= 60
    keys = [t.lower().replace("_", " ") for t in terms]
    assert keys == sorted(keys), "terms out of alphabetical order"
    assert len(set(map(slug, terms))) == len(terms), "two terms share an anchor"
    lessons = {p.name[:2] for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")}
    for term, body in zip(terms, re.split(r"^## .+$", text, flags=re.M)[1:]):
        taught = re.search(r"\*Lessons? ([0-9, \-]+)\.\*\s*$", body.strip().replace("\n", " "))
        assert taught, f"{term}: no '*Lesson(s) NN.*' at the end"
        numbers = re.findall(r"\d\d", taught.group(1))
        assert numbers and set(numbers) <= lessons, term
    for target in re.findall(r"\]\(#([^)]+)\)", text):  # its own cross-references
        assert target in glossary_anchors(), target


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).with_suffix("").as_posix())
def test_every_lesson_links_to_the_glossary_in_its_first_markdown_cell(path):
    import nbformat
    nb = nbformat.read(path, as_version=4)
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "](glossary.md)" in first


def test_every_glossary_anchor_link_in_a_lesson_resolves():
    import nbformat
    anchors = glossary_anchors()
    links = []
    for path in NOTEBOOKS:
        for c in nbformat.read(path, as_version=4).cells:
            links += [(path.name, a) for a in re.findall(r"glossary\.md#([^)\s\"']+)", c.source)]
    unresolved = [(name, a) for name, a in links if a not in anchors]
    assert not unresolved, unresolved
    assert {"hedges-g", "knapp-hartung-adjustment", "prediction-interval"} <= anchors


def test_the_anchor_check_catches_a_heading_that_is_not_there():
    assert slug("Hedges' g") == "hedges-g" and slug("Knapp-Hartung adjustment") == "knapp-hartung-adjustment"
    assert "no-such-term" not in glossary_anchors()


@pytest.mark.slow
def test_a_released_assignment_carries_the_glossary(tmp_path):
    import os
    import subprocess
    import sys
    from instructor.grading import course
    lesson = course.lesson_names(("06",))[0]
    course.init_course(tmp_path, [lesson])
    assert (tmp_path / "source" / lesson / "glossary.md").is_file()
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home),
           "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", lesson, "--force"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    released = tmp_path / "release" / lesson / "glossary.md"
    assert released.read_text(encoding="utf-8") == GLOSSARY_SOURCE.read_text(encoding="utf-8")
