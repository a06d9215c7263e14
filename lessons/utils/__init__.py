"""Stand-in for the course's helper package, which lives in ``../../utils/`` (see ``utils/_stand_in.py``)."""
# Notebooks in this folder run with it as their working directory, so ``from utils import meta`` finds this
# file first. It runs ../../utils/_stand_in.py, which makes this module the real package: utils.meta and every
# other module then load from the real folder, under the same names. A plain file rather than a link, so that
# it works without symbolic links (Windows) and in a ZIP download. lessons/utils/__init__.py and
# solutions/utils/__init__.py are the same file.
import runpy
from pathlib import Path

_LOADER = Path(__file__).resolve().parent.parent.parent / "utils" / "_stand_in.py"
if not _LOADER.is_file():
    raise ImportError(f"the course's helper package was not found at {_LOADER.parent}: the folders "
                      f"{Path(__file__).resolve().parent.parent.name!r} and 'utils' must stay side by side",
                      name=__name__)
runpy.run_path(str(_LOADER))["become_the_real_package"](globals())
