"""The course glossary (solutions/glossary.md, copied beside the lessons by the build): in order, each term saying
where it is taught, and every link to it from a lesson resolving."""
import re

import pytest

from conftest import ROOT, read_notebook

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
    # The repository's own copy is current: test_build_lessons.py runs the whole `--check` (one build, not two).


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
    nb = read_notebook(path)
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "](glossary.md)" in first


def test_every_glossary_anchor_link_in_a_lesson_resolves():
    anchors = glossary_anchors()
    links = []
    for path in NOTEBOOKS:
        for c in read_notebook(path).cells:
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
