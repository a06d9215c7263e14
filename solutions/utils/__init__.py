"""Stand-in for the course's helper package, which lives in ``../../utils/``.

Notebooks in this folder run with it as their working directory, so
``from utils import meta`` finds this file first. It points this module at
the real package (``__path__``, ``__file__``, ``__spec__``) and runs the real
``utils/__init__.py`` in this module's namespace: ``utils.meta`` and every
other module then load from the real folder, under the same names, as they
do for a program run from the repository root.

A plain file rather than a link to ``../utils``, so that it works in a
checkout without symbolic links (Windows) and in an extracted ZIP download.
``lessons/utils/__init__.py`` and ``solutions/utils/__init__.py`` are
identical; nothing is installed into site-packages.
"""


def _become_the_real_package(namespace: dict) -> None:
    import importlib.util
    import sys
    from pathlib import Path

    here = Path(namespace["__file__"]).resolve().parent          # lessons/utils
    package = here.parent.parent / "utils"                        # the repository's utils/
    if not (package / "__init__.py").is_file():
        raise ImportError(f"the course's helper package was not found at {package}: the folders "
                          f"{here.parent.name!r} and 'utils' must stay side by side, as in the course's folder",
                          name=namespace["__name__"])
    spec = importlib.util.spec_from_file_location(namespace["__name__"], package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    namespace.update(__spec__=spec, __loader__=spec.loader, __file__=spec.origin,
                     __path__=spec.submodule_search_locations, __cached__=spec.cached)
    spec.loader.exec_module(sys.modules[namespace["__name__"]])


_become_the_real_package(globals())
del _become_the_real_package
