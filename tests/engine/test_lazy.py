"""lazy_import: a module imported on first use, for set-up cells."""
import sys

import pytest

from utils.lazy import LazyModule, lazy_import


@pytest.fixture
def fresh_module(tmp_path, monkeypatch):
    """A module no test has imported yet, which records that it was imported."""
    (tmp_path / "course_lazy_probe.py").write_text("IMPORTED = True\ndef double(x):\n    return 2 * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "course_lazy_probe", raising=False)
    yield "course_lazy_probe"
    sys.modules.pop("course_lazy_probe", None)


def test_nothing_is_imported_until_an_attribute_is_used(fresh_module):
    probe = lazy_import(fresh_module)
    assert fresh_module not in sys.modules
    assert "imported on first use" in repr(probe)
    assert probe.double(21) == 42
    assert fresh_module in sys.modules and probe.IMPORTED
    assert "(imported)" in repr(probe)


def test_a_submodule_is_imported_with_its_parents():
    api = lazy_import("statsmodels.formula.api")
    assert callable(api.ols) and "statsmodels.formula.api" in sys.modules


def test_probing_special_names_imports_nothing(fresh_module):
    import copy
    probe = lazy_import(fresh_module)
    with pytest.raises(AttributeError):
        probe.__wrapped__
    copy.copy(probe)
    assert fresh_module not in sys.modules


def test_a_missing_package_fails_at_once():
    with pytest.raises(ModuleNotFoundError, match="no_such_package_for_the_course"):
        lazy_import("no_such_package_for_the_course.api")


@pytest.mark.parametrize("name", ["", "statsmodels..api", "2d.plots", None, 3])
def test_a_bad_name_is_refused(name):
    with pytest.raises(ValueError, match="name"):
        lazy_import(name)


def test_a_missing_attribute_says_so(fresh_module):
    with pytest.raises(AttributeError, match="triple"):
        lazy_import(fresh_module).triple
    assert isinstance(lazy_import(fresh_module), LazyModule)
