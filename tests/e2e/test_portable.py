"""The course runs wherever learners have it: no symbolic links, a ZIP download, CRLF line ends.

Notebooks in lessons/ and solutions/ import ``utils`` through a one-file
stand-in package (``lessons/utils/__init__.py``) that loads the real
``utils/``. The quick tests check that stand-in's files in this working copy;
the slow ones import it in new Python processes from this working copy, and
make the three kinds of copy a learner may have from the committed HEAD and
run every lesson's setup cell there, in a fresh kernel whose working
directory is that copy's lessons/:

* a clone made with ``git -c core.symlinks=false clone`` (Windows without
  developer mode, some network drives);
* ``git archive --format=zip`` extracted with Python's zipfile, which writes
  a symbolic link as a plain file holding the link's target (what a browser
  ZIP download gives);
* a clone with ``core.autocrlf=true``, where notebooks and CSV files have
  CRLF line ends (Git for Windows' default).
"""
import ast
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from instructor import build_lessons, notebook_runner
from conftest import LESSONS, ROOT, SOLUTIONS

STAND_INS = [LESSONS / "utils" / "__init__.py", SOLUTIONS / "utils" / "__init__.py"]
LESSON_NAMES = [p.name for p in sorted(LESSONS.glob("*.ipynb"))]
LOADERS = ["load_table1", "load_table1_contexts", "load_konstantopoulos2011", "load_bcg", "load_hackshaw1998"]
SKIPPED_FOLDERS = {".git", ".venv", ".ci-venvs", "node_modules", "__pycache__", ".ipynb_checkpoints",
                   ".pytest_cache", "test-artifacts"}


def _python(code: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run ``code`` with this interpreter in ``cwd``, as ``python -c`` (cwd first on sys.path)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


# --------------------------------------------------------------------------
# The stand-in package, in this working copy (quick)
# --------------------------------------------------------------------------
def test_the_repository_holds_no_symbolic_links():
    links = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in SKIPPED_FOLDERS]
        links += [Path(folder, name).relative_to(ROOT) for name in subfolders + files
                  if Path(folder, name).is_symlink()]
    assert links == [], f"symbolic links break checkouts without links and ZIP downloads: {links}"


def test_the_stand_ins_are_identical_files():
    assert all(p.is_file() and not p.is_symlink() for p in STAND_INS)
    assert STAND_INS[0].read_bytes() == STAND_INS[1].read_bytes()


IDENTITY_PROBE = r'''
import importlib, json, os, pickle, sys
from pathlib import Path

import utils
from utils import meta, data
from utils.meta import RandomEffectsResult, random_effects
import utils.meta as meta_again

root = Path(os.getcwd()).resolve().parent
assert str(root) not in sys.path, "the repository root is on sys.path"
assert Path(utils.__file__) == root / "utils" / "__init__.py", utils.__file__
assert Path(utils.__spec__.origin) == root / "utils" / "__init__.py", utils.__spec__
assert [Path(p) for p in utils.__path__] == [root / "utils"], utils.__path__
assert Path(meta.__file__) == root / "utils" / "meta" / "__init__.py", meta.__file__
assert meta.__name__ == "utils.meta" and sys.modules["utils.meta"] is meta
assert meta_again is meta and importlib.import_module("utils.meta") is meta
assert meta.RandomEffectsResult is RandomEffectsResult
assert utils.meta is meta and "effects" in utils.__all__ and utils.__doc__.startswith("The course's helper")
assert data.DATA_DIR == root / "data", data.DATA_DIR

result = random_effects([-0.3, -0.1, -0.25, 0.05], [0.04, 0.02, 0.05, 0.03])
again = pickle.loads(pickle.dumps(result))
assert type(again) is RandomEffectsResult and again.estimate == result.estimate

assert importlib.reload(meta) is meta and importlib.reload(utils) is utils is sys.modules["utils"]
assert Path(utils.__file__) == root / "utils" / "__init__.py"
table = data.load_table1()
print(json.dumps({"rows": len(table), "helpers": sorted(k for k in vars(utils) if not k.startswith("__"))}))
'''


@pytest.mark.slow  # a new Python process (seconds each; minutes on a loaded machine)
@pytest.mark.parametrize("folder", [LESSONS, SOLUTIONS], ids=lambda p: p.name)
def test_a_notebook_folder_gets_the_real_package_under_its_own_names(folder):
    out = json.loads(_python(IDENTITY_PROBE, folder).stdout)
    assert out["rows"] > 0
    assert "_become_the_real_package" not in out["helpers"], "the stand-in leaves its own names in utils"


@pytest.mark.slow  # a new Python process (seconds each; minutes on a loaded machine)
def test_python_m_and_find_spec_find_the_modules_from_a_notebook_folder():
    done = subprocess.run([sys.executable, "-m", "utils.meta._engine"], cwd=LESSONS, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = _python("import importlib.util; print(importlib.util.find_spec('utils.meta').origin)", LESSONS).stdout
    assert Path(found.strip()) == ROOT / "utils" / "meta" / "__init__.py"


@pytest.mark.slow  # a new Python process (seconds each; minutes on a loaded machine)
def test_nothing_named_utils_is_installed(tmp_path):
    out = _python("import importlib.util; print(importlib.util.find_spec('utils'))", tmp_path).stdout
    assert out.strip() == "None", f"a package named utils is importable from anywhere: {out}"


@pytest.mark.slow  # a new Python process (seconds each; minutes on a loaded machine)
def test_a_stand_in_without_the_package_beside_it_says_what_is_missing(tmp_path):
    (tmp_path / "lessons" / "utils").mkdir(parents=True)
    (tmp_path / "lessons" / "utils" / "__init__.py").write_bytes(STAND_INS[0].read_bytes())
    done = subprocess.run([sys.executable, "-c", "import utils"], cwd=tmp_path / "lessons", capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "'lessons' and 'utils' must stay side by side" in done.stderr


# --------------------------------------------------------------------------
# No path built with "/" by hand (quick)
# --------------------------------------------------------------------------
# A value that stands for a file or folder: a path, its name or stem, a folder, a root...
PATH_LIKE = re.compile(r"dir|path|folder|root|file|name|stem|parent|cwd|tmp|home", re.IGNORECASE)


def _is_text(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _path_like(node, source: str) -> bool:
    text = ast.get_source_segment(source, node) or ""
    if isinstance(node, ast.FormattedValue):
        text = ast.get_source_segment(source, node.value) or ""
    return bool(PATH_LIKE.search(text)) and "url" not in text.lower()


def slash_joins(source: str) -> list[str]:
    """Code that puts "/" between a path-like value and more text: f"{folder}/x", dir + "/x", "/".join(parts).

    Addresses (a constant holding "://", a value named ``url``) are not file paths and are left alone.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            values = node.values
            if "://" in "".join(v.value for v in values if _is_text(v)):
                continue
            for i, value in enumerate(values):
                if not _is_text(value):
                    continue
                before = values[i - 1] if i > 0 else None
                after = values[i + 1] if i + 1 < len(values) else None
                if (value.value.startswith("/") and before is not None and _path_like(before, source)) or \
                        (value.value.endswith("/") and after is not None and _path_like(after, source)):
                    found.append(ast.get_source_segment(source, node))
                    break
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            for text, other in ((node.left, node.right), (node.right, node.left)):
                if _is_text(text) and "/" in (text.value[:1] + text.value[-1:]) and "://" not in text.value \
                        and not _is_text(other) and _path_like(other, source):
                    found.append(ast.get_source_segment(source, node))
                    break
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "join" and _is_text(node.func.value) and node.func.value.value in ("/", "\\"):
                found.append(ast.get_source_segment(source, node))
            elif node.func.attr == "format" and _is_text(node.func.value) and "://" not in node.func.value.value \
                    and re.search(r"\}[/\\]|[/\\]\{", node.func.value.value):
                found.append(ast.get_source_segment(source, node))
    return found


def test_the_slash_check_finds_hand_built_paths_and_passes_pathlib():
    bad = ['f"{data_dir}/table1.csv"', 'ROOT_FOLDER + "/lessons"', '"/".join([root, "utils"])',
           '"{}/{}".format(folder, name)', 'f"{path.parent}/{path.stem}.png"', 'tmp + "/x"']
    good = ['ROOT / "data" / "bcg.csv"', 'str(Path(folder, name))', 'path.relative_to(ROOT).as_posix()',
            'f"{lab.url}/lab/tree/{relative}"', 'f"http://127.0.0.1:{port}/api"', 'df["a"].astype(str) + "/" + b',
            'f"FAILED {student}/{lesson}"', 'f"{n} of {k} studies, {ratio:.2f} per km/h"']
    assert all(slash_joins(code) for code in bad), [code for code in bad if not slash_joins(code)]
    assert not any(slash_joins(code) for code in good), [code for code in good if slash_joins(code)]


def test_no_code_in_utils_or_tests_builds_paths_with_a_slash_by_hand():
    files = sorted((ROOT / "utils").rglob("*.py")) + sorted((ROOT / "instructor").rglob("*.py")) \
        + sorted((ROOT / "tests").rglob("*.py")) + STAND_INS
    found = [f"{path.relative_to(ROOT)}: {code}" for path in files
             for code in slash_joins(path.read_text(encoding="utf-8"))]
    assert files and not found, "build these with pathlib (Path / name, .as_posix() for an address):\n" + \
        "\n".join(found)


def test_data_loaders_read_crlf_files_as_they_read_lf_files(tmp_path):
    from utils import data

    for csv in sorted((ROOT / "data").glob("*.csv")):
        text = csv.read_bytes().replace(b"\r\n", b"\n")
        (tmp_path / csv.name).write_bytes(text.replace(b"\n", b"\r\n"))
    table1 = data.load_table1(tmp_path / "loseth2024_table1.csv")
    pd.testing.assert_frame_equal(table1, data.load_table1())
    pd.testing.assert_frame_equal(data.load_table1_contexts(tmp_path / "loseth2024_contexts.csv", table1),
                                  data.load_table1_contexts())
    for name, csv in [("load_konstantopoulos2011", "konstantopoulos2011.csv"), ("load_bcg", "bcg.csv"),
                      ("load_hackshaw1998", "hackshaw1998.csv")]:
        pd.testing.assert_frame_equal(getattr(data, name)(tmp_path / csv), getattr(data, name)(), obj=name)


# --------------------------------------------------------------------------
# Whole copies of the course, as learners get them (slow)
# --------------------------------------------------------------------------
def _git(*args, cwd=ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=300).stdout


def _clone(target: Path, *config: str) -> Path:
    """A clone of the committed HEAD with ``config`` (e.g. core.symlinks=false) set for the checkout and after."""
    settings = [arg for item in config for arg in ("-c", item)]
    _git(*settings, "clone", "--quiet", "--no-checkout", *settings, str(ROOT), str(target))
    _git("fetch", "--quiet", str(ROOT), "HEAD", cwd=target)  # HEAD even when it is on no branch
    _git(*settings, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", "FETCH_HEAD", cwd=target)
    return target


def _zip_download(target: Path) -> Path:
    archive = target.with_suffix(".zip")
    _git("archive", "--format=zip", "-o", str(archive), "HEAD")
    with zipfile.ZipFile(archive) as zipped:
        links = [i.filename for i in zipped.infolist() if (i.external_attr >> 16) & 0o170000 == 0o120000]
        assert links == [], f"the download holds symbolic links, which zipfile writes as plain files: {links}"
        zipped.extractall(target)
    return target


CHECKOUTS = {
    "no-symlinks": lambda target: _clone(target, "core.symlinks=false"),
    "zip": _zip_download,
    "crlf": lambda target: _clone(target, "core.autocrlf=true"),
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """``checkout(kind)``: that kind of copy of the committed HEAD, made once per test process."""
    made = {}

    def get(kind: str) -> Path:
        if kind not in made:
            made[kind] = CHECKOUTS[kind](tmp_path_factory.mktemp(kind) / "course")
            assert (made[kind] / "lessons" / "utils" / "__init__.py").is_file()
        return made[kind]

    return get


WHERE_FROM = '''
import json, os, sys, utils
from utils import data
print(json.dumps({"cwd": os.getcwd(), "utils": utils.__file__, "data": str(data.DATA_DIR)}))
'''


def _run_cells(folder: Path, sources: list[str]) -> list:
    """Run ``sources`` as cells of one notebook in a fresh kernel working in ``folder``; return the cells."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = dict(build_lessons.KERNELSPEC)
    notebook_runner.notebook_client(nb, folder, timeout=180).execute()
    return nb.cells


def _text(cell) -> str:
    return "".join(out.get("text", "") + out.get("data", {}).get("text/plain", "") for out in cell.outputs)


def _assert_loaded_from(cell, course: Path) -> None:
    where = json.loads(_text(cell))
    for key, expected in (("cwd", course / "lessons"), ("utils", course / "utils" / "__init__.py"),
                          ("data", course / "data")):
        assert Path(where[key]).resolve() == expected.resolve(), f"{key}: {where[key]}"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["no-symlinks", "zip"])
@pytest.mark.parametrize("lesson", LESSON_NAMES, ids=lambda name: name[:2])
def test_setup_cell_runs_in_a_fresh_kernel(checkout, kind, lesson):
    course = checkout(kind)
    cells = nbformat.read(course / "lessons" / lesson, as_version=4).cells
    setup = next(c for c in cells if c.cell_type == "code")
    ran = _run_cells(course / "lessons", [setup.source, WHERE_FROM])
    assert not [o for c in ran for o in c.outputs if o.output_type == "error"]
    _assert_loaded_from(ran[-1], course)


def _lesson_00_exercise_1(course: Path) -> list[str]:
    """Lesson 00's setup cell, its first (blank) answer, its first check, a right answer and the check again."""
    cells = [c for c in nbformat.read(course / "lessons" / "00_start_here.ipynb", as_version=4).cells
             if c.cell_type == "code"]
    check = next(c for c in cells if c.cell_type == "code" and "ex.check(" in c.source)
    answer = next(c for c in cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-answer-1"))
    right = "def sample_sd(ratings):\n    return float(np.std(np.asarray(ratings, dtype=float), ddof=1))"
    return [cells[0].source, answer.source, check.source, right, check.source, WHERE_FROM]


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(CHECKOUTS))
def test_an_exercise_check_gives_its_feedback(checkout, kind):
    course = checkout(kind)
    ran = _run_cells(course / "lessons", _lesson_00_exercise_1(course))
    assert not [o for c in ran for o in c.outputs if o.output_type == "error"]
    blank, answered = _text(ran[2]), _text(ran[4])
    assert "○" in blank and "not attempted" in blank.lower(), blank
    assert "✔" in answered and "✘" not in answered, answered
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in ran[4].outputs)
    _assert_loaded_from(ran[-1], course)


LOADED = '''
import json
from utils import data
frames = {name: getattr(data, name)() for name in %r}
print(json.dumps({"data": str(data.DATA_DIR), **{name: frame.to_json() for name, frame in frames.items()}}))
''' % (LOADERS,)


@pytest.mark.slow
def test_crlf_checkout_has_crlf_files_and_reads_them_like_the_lf_ones(checkout):
    course = checkout("crlf")
    for path in [course / "data" / "bcg.csv", course / "data" / "loseth2024_table1.csv",
                 course / "lessons" / "00_start_here.ipynb", course / "solutions" / "05_effect_sizes.ipynb"]:
        assert b"\r\n" in path.read_bytes(), f"{path.relative_to(course)} was not checked out with CRLF"
    crlf = json.loads(_python(LOADED, course / "lessons").stdout)
    lf = json.loads(_python(LOADED, LESSONS).stdout)
    assert Path(crlf.pop("data")).resolve() == (course / "data").resolve()
    assert Path(lf.pop("data")).resolve() == (ROOT / "data").resolve()
    assert crlf == lf
    assert build_lessons.build(check_only=True, solutions=course / "solutions", lessons=course / "lessons") == []
