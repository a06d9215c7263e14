"""The code behind the stand-in packages ``lessons/utils/`` and ``solutions/utils/``.

Notebooks in ``lessons/`` and ``solutions/`` run with that folder as their
working directory, so ``from utils import meta`` finds the folder's one-file
stand-in ``utils/__init__.py`` first. The stand-in runs this file and calls
:func:`become_the_real_package`, which points the stand-in module at this
folder (``__path__``, ``__file__``, ``__spec__``) and runs the real
``utils/__init__.py`` in its namespace: ``utils.meta`` and every other module
then load from this folder, under the same names, as they do for a program
run from the repository root.

The stand-ins are plain files rather than links to ``../utils``, so that they
work in a checkout without symbolic links (Windows) and in an extracted ZIP
download; nothing is installed into site-packages. Keeping the stand-ins to a
few lines and the logic here means there is one copy of it to read and change.
"""


def become_the_real_package(namespace: dict) -> None:
    """Turn the stand-in module whose globals are ``namespace`` into the real ``utils`` package.

    The stand-in's own names (everything but the ``__dunder__`` ones) are
    removed first, so the real ``utils/__init__.py`` starts from a clean
    namespace, as a fresh import would.

    Parameters
    ----------
    namespace : dict
        The stand-in module's ``globals()``; its ``__file__`` is
        ``<course>/lessons/utils/__init__.py`` (or ``solutions/``).
    """
    import importlib.util
    import sys
    from pathlib import Path

    package = Path(__file__).resolve().parent                   # the repository's utils/
    for name in [k for k in namespace if not (k.startswith("__") and k.endswith("__"))]:
        del namespace[name]
    spec = importlib.util.spec_from_file_location(namespace["__name__"], package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    namespace.update(__spec__=spec, __loader__=spec.loader, __file__=spec.origin,
                     __path__=spec.submodule_search_locations, __cached__=spec.cached)
    spec.loader.exec_module(sys.modules[namespace["__name__"]])
