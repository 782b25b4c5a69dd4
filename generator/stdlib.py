"""The site's Python runtime: the pinned Pyodide with a standard library and a scoring_py wheel
compiled to bytecode at build time, and a minimal lock file.

The npm package's `python_stdlib.zip` holds only `.py` sources: every first visit compiled the
~130 modules that Pyodide and scoring_py import while starting (most of the start). Here the
pinned Pyodide's own interpreter, run under Node.js by generator/compile_stdlib.mjs, compiles
the modules listed in stdlib_modules.txt into unchecked-hash `.pyc` files, and the site's
archive holds those only (1.1 MB, against 2.6 MB of sources in the npm one and 3.2 MB when
the other modules were kept as sources beside them). The list is derived, never written by
hand: tests/test_pyodide.py runs the whole differential corpus (CLI ≡ Pyodide, hostile files
included) on this archive, where an import outside the list fails, and checks that the list
holds nothing more than what the run imported (`UPDATE_STDLIB=1` derives it again on the npm
archive, e.g. after a Pyodide upgrade or a new import in scoring_py).

In the browser, an import outside the list is still not a failure: the archive carries the
finder of generator/source_library.py, which fetches the npm archive (published unchanged as
python_stdlib_source.zip, not precached) the first time such a module is asked for.

The result is kept in build/runtime/<key>/, keyed by the Pyodide version and the digest of
every input; the same inputs give the same bytes on every build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import assets

HERE = Path(__file__).resolve().parent
MODULES = HERE / "stdlib_modules.txt"
"""The standard library's modules shipped as bytecode (derived by tests/test_pyodide.py)."""
COMPILER = HERE / "compile_stdlib.mjs"
FINDER = HERE / "source_library.py"
"""The finder of the modules left out (shipped as `_thangdiem_stdlib`)."""
CACHE = Path("build") / "runtime"
"""Where built runtimes are kept, in the checkout (`make clean` removes them)."""
STDLIB = "python_stdlib.zip"
SOURCE = "python_stdlib_source.zip"
"""The npm package's archive, beside the compiled one: what the finder fetches."""
LOCK = "lock.json"


@dataclass(frozen=True, slots=True)
class BuiltRuntime:
    """The built standard library and wheel (files in build/runtime/) and the lock file."""

    stdlib: Path
    source: Path
    """The full standard library as sources (the npm package's archive)."""
    wheel: Path
    lock: Path
    """The minimal lock file (JSON): Pyodide's own `info`, no packages (none is loaded)."""

    def lock_text(self) -> str:
        """The lock file's text."""
        return self.lock.read_text(encoding="utf-8")


def modules(path: Path = MODULES) -> list[str]:
    """The listed modules, in the file's order (comments and blank lines left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def minimal_lock(project: Path) -> str:
    """The lock file the worker gives Pyodide: the full one's `info` (its ABI is checked)."""
    path = project / "node_modules" / "pyodide" / "pyodide-lock.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))["info"]
    except (OSError, ValueError, KeyError):
        raise assets.RuntimeFilesError(f"{path}: không đọc được tệp khoá của Pyodide") from None
    return json.dumps({"info": info, "packages": {}}, sort_keys=True, separators=(",", ":"))


def build(project: Path | None = None, cache: Path | None = None) -> BuiltRuntime:
    """Build (or take from the cache) the compiled standard library and scoring_py wheel."""
    project = project or assets.PROJECT
    version = assets.pinned_pyodide(project)
    folder = assets.check_installed("pyodide", version, project)
    wheel_name, wheel = assets.build_wheel(project)
    digest = hashlib.sha256(version.encode("utf-8") + b"\0")
    for data in (
        (folder / STDLIB).read_bytes(),
        MODULES.read_bytes(),
        COMPILER.read_bytes(),
        FINDER.read_bytes(),
        wheel,
    ):
        digest.update(hashlib.sha256(data).digest())
    key = f"{version}-{digest.hexdigest()[:16]}"
    target = (cache or project / CACHE) / key
    built = BuiltRuntime(target / STDLIB, target / SOURCE, target / wheel_name, target / LOCK)
    if all(path.is_file() for path in (built.stdlib, built.source, built.wheel, built.lock)):
        return built
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stdlib-", dir=target.parent) as tmp:
        source = Path(tmp) / wheel_name
        source.write_bytes(wheel)
        out = Path(tmp) / "out"
        result = subprocess.run(
            ["node", str(COMPILER), str(MODULES), str(FINDER), str(source), str(out)],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0 or not (out / STDLIB).is_file():
            # The last lines, each cut short: an uncaught error in Node prints the whole line
            # of Pyodide's minified source it came from.
            lines = (result.stderr or result.stdout).strip().splitlines()[-3:]
            detail = [line if len(line) <= 300 else line[:300] + "…" for line in lines]
            raise assets.RuntimeFilesError(
                "Không biên dịch được thư viện chuẩn của Python bằng Pyodide"
                f" (mã thoát {result.returncode}): " + " | ".join(detail)
            )
        for old in target.parent.iterdir():  # runtimes of older inputs
            if old.is_dir() and old.name.startswith(f"{version}-"):
                shutil.rmtree(old, ignore_errors=True)
        (out / LOCK).write_text(minimal_lock(project), encoding="utf-8")
        out.replace(target)
    return built
