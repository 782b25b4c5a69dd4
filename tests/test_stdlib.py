"""The site's runtime (generator/stdlib.py), built by the pinned Pyodide under Node.js: the same
bytes on every build, bytecode for the listed modules only, and a lock file Pyodide accepts.
The differential corpus runs on it in tests/test_pyodide.py."""

from __future__ import annotations

import json
import pathlib
import subprocess
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
    """The site's archive: the listed modules as unchecked-hash bytecode without their source,
    and the finder of the others, nothing more; the full archive beside it, as npm gives it."""
    npm = assets.PROJECT / "node_modules" / "pyodide" / stdlib.STDLIB
    with zipfile.ZipFile(npm) as original:
        files = {n for n in original.namelist() if not n.endswith("/")}
    with zipfile.ZipFile(twice[0].stdlib) as ours:
        names = set(ours.namelist())
        flags = {n: ours.read(n)[PYC_HEADER_FLAGS] for n in names}

    def entry(module: str) -> str:
        path = module.replace(".", "/")
        package = f"{path}/__init__.py"
        return package if package in files else f"{path}.py"

    listed = {entry(module) + "c" for module in stdlib.modules()}
    assert names == listed | {"_thangdiem_stdlib.pyc"}
    assert set(flags.values()) == {UNCHECKED_HASH}
    assert twice[0].source.read_bytes() == npm.read_bytes()
    assert twice[0].stdlib.stat().st_size < npm.stat().st_size / 2


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


FINDER_PROBE = r"""
import fs from "node:fs";
const [pyodideDir, runtime] = process.argv.slice(2);
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);
const py = await loadPyodide({
  stdLibURL: `${runtime}/python_stdlib.zip`,
  lockFileContents: fs.readFileSync(`${runtime}/lock.json`, "utf8"),
});
const outcome = (code) => {
  try {
    return py.runPython(code);
  } catch (error) {
    return String(error.message).split("\n").filter((line) => /^\w+Error: /.test(line)).pop();
  }
};
const result = { before: outcome("import tomllib") };
let fetched = 0;
py.pyimport("_thangdiem_stdlib").install(() => {
  fetched += 1;
  py.FS.writeFile("/tmp/full.zip", fs.readFileSync(`${runtime}/python_stdlib_source.zip`));
  return "/tmp/full.zip";
});
result.optional = outcome("import _winapi");
result.fetchedForOptional = fetched;
result.top = outcome("import tomllib; tomllib.loads('a = 1')['a']");
result.sub = outcome("import email.mime.text as m; m.MIMEText('x').get_payload()");
result.inPackage = outcome("import importlib.resources; 'ok'");
result.codec = outcome("'é'.encode('cp1258').hex()");
result.fetched = fetched;
result.found = py.runPython("import sys; sys.meta_path[-1].found").toJs();
console.log(JSON.stringify(result));
"""


def test_a_module_outside_the_list_comes_from_the_full_archive(tmp_path: pathlib.Path) -> None:
    """Without the finder (as in tests/test_pyodide.py), a module outside the list cannot be
    imported; with it (as in the page's worker), the full archive is fetched once, for the
    first such module, and its modules, submodules and codecs import; a module the standard
    library does not have for this platform fails as before, with nothing fetched."""
    runtime = stdlib.build()
    probe = tmp_path / "probe.mjs"
    probe.write_text(FINDER_PROBE, encoding="utf-8")
    pyodide = assets.PROJECT / "node_modules" / "pyodide"
    done = subprocess.run(
        ["node", str(probe), str(pyodide), str(runtime.stdlib.parent)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == "ModuleNotFoundError: No module named 'tomllib'"
    assert result["optional"] == "ModuleNotFoundError: No module named '_winapi'"
    assert result["fetchedForOptional"] == 0
    assert result["top"] == 1
    assert result["sub"] == "x"
    assert result["inPackage"] == "ok"
    assert result["codec"] == "e9"
    assert result["fetched"] == 1
    # Once the full archive is on sys.path, a top-level module (email) is found there as any
    # other; the finder still finds the submodules of packages the compiled archive holds.
    assert result["found"] == ["tomllib", "importlib.resources", "encodings.cp1258"]
