"""The helpers' public API: what ``dir()`` shows, what the notebooks call, and docs/api.md."""
import ast
import importlib
import json
import types

import pytest

from conftest import ROOT
from instructor import api_page

MODULES = api_page.PUBLIC_MODULES


@pytest.mark.parametrize("name", MODULES)
def test_dir_of_a_public_module_shows_only_its_api(name):
    module = importlib.import_module(f"utils.{name}")
    public = module.__all__
    assert len(set(public)) == len(public), f"utils.{name}.__all__ lists a name twice"
    assert not [n for n in public if n.startswith("_")], f"utils.{name}.__all__ lists private names"
    missing = [n for n in public if not hasattr(module, n)]
    assert not missing, f"utils.{name}.__all__ lists names the module lacks: {missing}"
    assert not [n for n in public if isinstance(getattr(module, n), types.ModuleType)]
    assert dir(module) == sorted(public), f"dir(utils.{name}) shows more (or less) than its __all__"


def test_the_meta_and_bias_packages_hide_their_private_modules_and_imports():
    from utils import bias, meta
    for hidden in ("np", "pd", "dataclass", "MixedModel", "BlockCovariance", "_engine", "_pooled", "_influence"):
        assert hidden not in dir(meta)
    assert "_trimfill" not in dir(bias) and "meta" not in dir(bias)
    assert {"random_effects", "fixed_effect", "three_level", "regression", "influence", "robust"} <= set(dir(meta))
    assert {"egger", "trim_and_fill", "pet_peese", "selection_model"} <= set(dir(bias))


def _code_cells(path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            yield "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def used_names(source: str) -> set[tuple[str, str]]:
    """(module, name) for every ``utils.<module>`` name a cell uses: ``from utils.m import name`` and
    ``m.name`` after ``from utils import m`` (or ``m as alias``)."""
    tree = ast.parse(source)
    aliases, used = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "utils":
            aliases.update({a.asname or a.name: a.name for a in node.names})
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils."):
            used.update((node.module.removeprefix("utils."), a.name) for a in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add((aliases[node.value.id], node.attr))
    return used


def test_used_names_sees_imports_aliases_and_attributes():
    source = "from utils import meta, pharmacology as ph\nfrom utils.explorer import slider\n" \
             "fit = meta.random_effects(y, v)\nph.occupancy(5)\nmeta.np.exp(1)\n"
    assert used_names(source) == {("meta", "random_effects"), ("pharmacology", "occupancy"), ("meta", "np"),
                                  ("explorer", "slider")}


def test_the_solution_notebooks_use_only_the_public_api():
    outside, seen = set(), set()
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        state = {}          # names imported in an earlier cell stay in scope
        for source in _code_cells(path):
            try:
                used = used_names("\n".join(state.values()) + "\n" + source)
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and node.module == "utils":
                    state[ast.unparse(node)] = ast.unparse(node)
            seen |= used
            for module, name in used:
                if module in MODULES and name not in importlib.import_module(f"utils.{module}").__all__:
                    outside.add(f"{path.name}: utils.{module}.{name}")
    assert {("meta", "random_effects"), ("meta", "three_level"), ("bias", "trim_and_fill"), ("plots", "forest"),
            ("explorer", "slider")} <= seen, "the scan of the notebooks missed names they use"
    assert not outside, f"notebooks use names outside the modules' __all__: {sorted(outside)}"


def test_the_api_page_is_up_to_date():
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert page == api_page.render(), "docs/api.md is out of date: run python -m instructor.api_page"


def test_the_api_page_lists_every_public_name_with_a_summary():
    page = api_page.render()
    for name in MODULES:
        module = importlib.import_module(f"utils.{name}")
        assert f"## `utils.{name}`" in page
        for public in module.__all__:
            row = next((line for line in page.splitlines() if line.startswith(f"| `{public}` |")), None)
            assert row is not None, f"docs/api.md has no row for utils.{name}.{public}"
            assert not row.endswith("|  |"), f"utils.{name}.{public} has no summary on the page"
    assert "| `fixed_effect` | `fixed_effect(yi, vi, test='z', labels=None, level=0.95) -> RandomEffectsResult` |" \
        in page


def test_the_api_page_check_fails_on_a_stale_page(tmp_path, monkeypatch):
    stale = tmp_path / "api.md"
    stale.write_text(api_page.render().replace("fixed_effect", "fixed_effects"), encoding="utf-8")
    monkeypatch.setattr(api_page, "PAGE", stale)
    monkeypatch.setattr(api_page, "ROOT", tmp_path)
    assert api_page.main(["--check"]) == 1
    assert api_page.main([]) == 0 and api_page.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == api_page.render()


@pytest.mark.parametrize("document", ["README.md", "docs/authoring.md"])
def test_the_api_page_is_linked(document):
    assert "api.md" in (ROOT / document).read_text(encoding="utf-8"), f"{document} does not link docs/api.md"
