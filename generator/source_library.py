"""Imports outside the site's compiled standard library, from the full one, fetched on demand.

The site's standard library (generator/stdlib.py) holds only the modules that Pyodide's start
and scoring_py import, as bytecode: the list is derived from the whole differential corpus.
Should a page still import a module outside it, this finder, last on `sys.meta_path`, asks the
worker once for the npm package's full archive (sources, published beside the compiled one),
puts it on the path and finds the module there: a slow first import instead of a failure.

This file is not imported on this machine: generator/compile_stdlib.mjs compiles it, with
`NAMES` (the full archive's modules that the compiled one leaves out) appended, into the site's
archive as `_thangdiem_stdlib`. It must import only what Pyodide has before any of the
archive's modules is read (`sys` and the frozen import machinery).
"""

from __future__ import annotations

import importlib._bootstrap_external as external
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

NAMES: frozenset[str] = frozenset()
"""The modules only the full archive has (replaced when the site's archive is built)."""


class SourceLibrary:
    """The finder: `fetch(name)` writes the full archive into Python's file system, returns its
    path and is called at most once, for the first module of NAMES asked for (its name)."""

    def __init__(self, fetch: Callable[[str], str]) -> None:
        self.fetch = fetch
        self.archive: str | None = None
        self.found: list[str] = []
        """The modules found in the full archive, in the order asked for."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name not in NAMES:
            return None  # not in the standard library, or an optional module it lacks
        if self.archive is None:
            self.archive = str(self.fetch(name))
            sys.path.append(self.archive)
        parent = name.rpartition(".")[0]
        where = [self.archive]
        if parent:
            # A package whose __init__ came from the compiled archive: look in its folder of
            # the full one too.
            package = sys.modules[parent]
            folder = f"{self.archive}/{parent.replace('.', '/')}"
            if folder not in package.__path__:
                package.__path__.append(folder)
            where = list(package.__path__)
        spec = external.PathFinder.find_spec(name, where)
        if spec is not None:
            self.found.append(name)
        return spec


def install(fetch: Callable[[str], str]) -> SourceLibrary:
    """Put a finder last on sys.meta_path, in the place of an earlier one (a restored memory
    snapshot may hold one); return it."""
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != SourceLibrary.__name__]
    finder = SourceLibrary(fetch)
    sys.meta_path.append(finder)
    return finder
