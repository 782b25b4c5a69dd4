"""The site's runtime (generator/stdlib.py), built by the pinned Pyodide under Node.js: the same
bytes on every build, bytecode for the listed modules only, and a lock file Pyodide accepts.
The differential corpus runs on it in tests/test_pyodide.py."""

from __future__ import annotations

import json
import pathlib
import zipfile

import pytest

from generator import assets, stdlib

pytestmark = pytest.mark.pyodide

PYC_HEADER_FLAGS = slice(4, 8)
UNCHECKED_HASH = (1).to_bytes(4, "little")
"""PEP 552: bit 0 set (hash-based), bit 1 clear (never checked against a source)."""


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[stdlib.BuiltRuntime, ...]:
    """The runtime built twice from scratch, into two empty caches."""
    return tuple(stdlib.build(cache=tmp_path_factory.mktemp(f"runtime{n}")) for n in (1, 2))


def test_same_bytes_on_every_build(twice: tuple[stdlib.BuiltRuntime, ...]) -> None:
    first, second = twice
    assert first.stdlib != second.stdlib  # two builds, not one cached
    for name in ("stdlib", "wheel", "lock"):
        a, b = getattr(first, name), getattr(second, name)
        assert a.read_bytes() == b.read_bytes(), f"{name}: {a} and {b} differ"


def test_listed_modules_are_bytecode_only(twice: tuple[stdlib.BuiltRuntime, ...]) -> None:
    """The listed modules as unchecked-hash bytecode without their source; every other file of
    the npm archive as it was (an import outside the list still works)."""
    npm = assets.PROJECT / "node_modules" / "pyodide" / stdlib.STDLIB
    with zipfile.ZipFile(npm) as original:
        files = {n for n in original.namelist() if not n.endswith("/")}
    with zipfile.ZipFile(twice[0].stdlib) as ours:
        names = set(ours.namelist())
        compiled = {n[:-1] for n in names if n.endswith(".pyc")}
        flags = {n: ours.read(n + "c")[PYC_HEADER_FLAGS] for n in compiled}

    def entry(module: str) -> str:
        path = module.replace(".", "/")
        package = f"{path}/__init__.py"
        return package if package in files else f"{path}.py"

    assert compiled == {entry(module) for module in stdlib.modules()}
    assert set(flags.values()) == {UNCHECKED_HASH}
    assert names == (files - compiled) | {n + "c" for n in compiled}


def test_wheel_is_bytecode(twice: tuple[stdlib.BuiltRuntime, ...]) -> None:
    with zipfile.ZipFile(twice[0].wheel) as wheel:
        names = wheel.namelist()
    package = {n for n in names if n.startswith("scoring_py/")}
    assert "scoring_py/api.pyc" in package and not any(n.endswith(".py") for n in package)
    sources = {f"scoring_py/{p.name}c" for p in (assets.PROJECT / "scoring_py").glob("*.py")}
    assert package == sources


def test_lock_is_pyodide_s_own_info(twice: tuple[stdlib.BuiltRuntime, ...]) -> None:
    full = assets.PROJECT / "node_modules" / "pyodide" / "pyodide-lock.json"
    lock = json.loads(twice[0].lock_text())
    assert lock == {"info": json.loads(full.read_text(encoding="utf-8"))["info"], "packages": {}}


def test_unknown_module_is_refused(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listing = tmp_path / "modules.txt"
    listing.write_text("decimal\nno_such_module\n", encoding="utf-8")
    monkeypatch.setattr(stdlib, "MODULES", listing)
    with pytest.raises(assets.RuntimeFilesError, match="no_such_module"):
        stdlib.build(cache=tmp_path / "cache")
