"""The files the site serves from pinned packages: Pyodide, Workbox, the printouts' font and
the Word writer from node_modules, a scoring_py wheel, and XlsxWriter's wheel.

The site serves everything itself (never a CDN): the files of the pinned npm package `pyodide`
are published under assets/pyodide/<version>/, Workbox's (the service worker's library) under
assets/workbox/<version>/, and scoring_py is published as a plain py3-none-any wheel that the
page's worker unpacks into Pyodide's site-packages. Every version is read from package.json
and checked against node_modules here, in one way.

The wheel is built with the standard PEP 517 frontend (`python -m build --wheel
--no-isolation`) from a staging folder holding a minimal pyproject.toml and a copy of
scoring_py/*.py. `pyodide build` is not used: it downloads a cross-build environment, which
is impossible offline and useless for a pure-Python package.

XlsxWriter (the summary's Excel workbook, scoring_py/workbook.py) is pure Python: its
py3-none-any wheel, of the version pinned in pyproject.toml's `xlsx` extra, is fetched with
`pip download` (from the package registry pip is set up with) into build/wheels/, once, and
served as it is under assets/; the summary page's worker loads it only when a workbook is
asked for.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring_py.problems import describe as describe_value

PROJECT = Path(__file__).resolve().parent.parent
"""The checkout: package.json, node_modules/, pyproject.toml and scoring_py/ live here."""
PACKAGE = "scoring_py"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
)
"""What loadPyodide() fetches from its folder, published as they are."""
PYODIDE_INPUTS = ("python_stdlib.zip", "pyodide-lock.json")
"""Files of the npm package read at build time, not published: generator/stdlib.py compiles
the standard library and takes the lock file's `info` (the worker gives Pyodide both)."""
ASSETS = "assets"
"""Folder of the site holding the runtime files."""
SOURCE_DATE_EPOCH = "315532800"
"""1980-01-01: fixed file times inside the wheel, so that the same sources give the same bytes."""

NPM_HINT = "hãy chạy `npm ci` trong thư mục dự án (hoặc `make build`) rồi dựng lại trang"


class RuntimeFilesError(Exception):
    """The runtime files cannot be prepared; the message says why, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Runtime:
    """Where the scoring pages find the runtime, as paths inside the site."""

    pyodide_version: str
    """Version of the pinned npm package pyodide, e.g. "314.0.7"."""
    wheel_name: str
    """File name of the scoring_py wheel, e.g. "scoring_py-0.1.0-py3-none-any.whl"."""
    xlsx_wheel_name: str = ""
    """File name of XlsxWriter's wheel, e.g. "xlsxwriter-3.2.9-py3-none-any.whl"."""

    @property
    def pyodide_dir(self) -> str:
        """The folder of Pyodide's files in the site, with a trailing slash."""
        return f"{ASSETS}/pyodide/{self.pyodide_version}/"

    @property
    def wheel_path(self) -> str:
        """The wheel's path in the site."""
        return f"{ASSETS}/{self.wheel_name}"

    @property
    def xlsx_wheel_path(self) -> str:
        """XlsxWriter's wheel's path in the site."""
        return f"{ASSETS}/{self.xlsx_wheel_name}"


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def pinned_version(packages: tuple[str, ...], label: str, project: Path | None = None) -> str:
    """The one exact version that package.json pins for every package of `packages` (`label`
    names them in the messages)."""
    path = (project or PROJECT) / "package.json"
    try:
        pins = _read_json(path)["dependencies"]
        values = [pins[name] for name in packages]
    except (OSError, ValueError, KeyError, TypeError):
        raise RuntimeFilesError(f"{path}: không đọc được phiên bản {label} đã ghim") from None
    version = values[0] if all(value == values[0] for value in values) else None
    if not isinstance(version, str) or not version[:1].isdigit():
        if len(packages) == 1:
            rule, found = f"{label} phải được ghim đúng một phiên bản", describe_value(version)
        else:
            rule = f"các gói {label} phải được ghim cùng đúng một phiên bản"
            found = str(sorted({str(value) for value in values}))
        raise RuntimeFilesError(f"{path}: {rule} (nhận được {found})")
    return version


def check_installed(package: str, version: str, project: Path | None = None) -> Path:
    """The folder of an npm package in node_modules, which must be the pinned version."""
    folder = (project or PROJECT) / "node_modules" / package
    try:
        installed = _read_json(folder / "package.json").get("version")
    except (OSError, ValueError, AttributeError):
        installed = None
    if installed != version:
        found = "không có" if installed is None else f"là phiên bản {installed}"
        raise RuntimeFilesError(
            f"node_modules/{package} {found}, nhưng package.json ghim {version}; {NPM_HINT}."
        )
    return folder


def pinned_pyodide(project: Path | None = None) -> str:
    """The exact pyodide version that package.json pins."""
    return pinned_version(("pyodide",), "pyodide", project)


def project_version(project: Path | None = None) -> str:
    """The project's version ([project] version of pyproject.toml): the wheel's version."""
    with ((project or PROJECT) / "pyproject.toml").open("rb") as handle:
        version: str = tomllib.load(handle)["project"]["version"]
    return version


def wheel_name(version: str) -> str:
    """The wheel's file name for a version."""
    return f"{PACKAGE}-{version}-py3-none-any.whl"


def describe(project: Path | None = None) -> Runtime:
    """The runtime's paths, read from package.json and pyproject.toml only."""
    name, version = pinned_python(XLSX_EXTRA, project)
    return Runtime(
        pinned_pyodide(project), wheel_name(project_version(project)), pure_wheel(name, version)
    )


def pyodide_files(project: Path | None = None) -> dict[str, Path]:
    """The Pyodide files to publish: path in the site → file in node_modules.

    Raise RuntimeFilesError when node_modules/pyodide is missing, incomplete or not the version
    that package.json pins.
    """
    project = project or PROJECT
    pinned = pinned_pyodide(project)
    folder = project / "node_modules" / "pyodide"
    if not (folder / "package.json").is_file():
        raise RuntimeFilesError(
            f"Thiếu Pyodide ({folder} không có): các trang chấm điểm cần gói npm pyodide"
            f" {pinned}; {NPM_HINT}."
        )
    check_installed("pyodide", pinned, project)
    missing = [name for name in (*PYODIDE_FILES, *PYODIDE_INPUTS) if not (folder / name).is_file()]
    if missing:
        raise RuntimeFilesError(f"node_modules/pyodide thiếu tệp {', '.join(missing)}; {NPM_HINT}.")
    target = Runtime(pinned, "").pyodide_dir
    return {target + name: folder / name for name in PYODIDE_FILES}


WORKBOX_FILES = {
    "workbox-sw": "workbox-sw.js",
    "workbox-core": "workbox-core.prod.js",
    "workbox-precaching": "workbox-precaching.prod.js",
    "workbox-routing": "workbox-routing.prod.js",
    "workbox-strategies": "workbox-strategies.prod.js",
    "workbox-window": "workbox-window.prod.mjs",
}
"""The pinned npm packages of Workbox that the site serves, and the file of each in its build/
folder: workbox-sw loads the `.prod.js` modules."""


def workbox_version(project: Path | None = None) -> str:
    """The one exact Workbox version that package.json pins for every Workbox package."""
    return pinned_version(tuple(WORKBOX_FILES), "Workbox", project)


def workbox_dir(version: str) -> str:
    """The folder of Workbox's files in the site, with a trailing slash."""
    return f"{ASSETS}/workbox/{version}/"


def workbox_files(project: Path | None = None) -> dict[str, Path]:
    """Workbox's files to publish: path in the site → file in node_modules.

    Raise RuntimeFilesError when a package is missing or not the pinned version.
    """
    version = workbox_version(project)
    files: dict[str, Path] = {}
    for package, name in WORKBOX_FILES.items():
        source = check_installed(package, version, project) / "build" / name
        if not source.is_file():
            raise RuntimeFilesError(f"node_modules/{package} thiếu tệp build/{name}; {NPM_HINT}.")
        files[workbox_dir(version) + name] = source
    return files


FONT_PACKAGE = "@fontsource/tinos"
"""The printouts' font where the computer has no Times New Roman: Tinos, metric-compatible with
it, with the whole Vietnamese alphabet (its latin, latin-ext and vietnamese subsets)."""
FONT_SUBSETS = ("latin", "latin-ext", "vietnamese")
FONT_STYLES = ("400", "700", "400-italic", "700-italic")
FONT_CSS = "tinos.css"
"""The @font-face rules of the published font files, beside them in the site."""
FONT_FAMILY = "thangdiem-serif"
"""The family the printouts are set in: Times New Roman where the computer has it (by its own
names: a look-alike that the system would substitute is not taken), else Tinos."""
_LOCAL_NAMES = {
    "400": ("Times New Roman", "TimesNewRomanPSMT"),
    "700": ("Times New Roman Bold", "TimesNewRomanPS-BoldMT"),
    "400-italic": ("Times New Roman Italic", "TimesNewRomanPS-ItalicMT"),
    "700-italic": ("Times New Roman Bold Italic", "TimesNewRomanPS-BoldItalicMT"),
}


def font_dir(version: str) -> str:
    """The folder of the font's files in the site, with a trailing slash."""
    return f"{ASSETS}/fonts/tinos/{version}/"


def font_files(project: Path | None = None) -> tuple[dict[str, Path], tuple[str, str]]:
    """The font's files to publish (path in the site → file in node_modules) and their
    @font-face rules (FONT_CSS: its path in the site and its text), taken from the package's
    own, for FONT_SUBSETS only.

    Raise RuntimeFilesError when the package is missing or not the pinned version.
    """
    version = pinned_version((FONT_PACKAGE,), "Tinos", project)
    folder = check_installed(FONT_PACKAGE, version, project)
    target = font_dir(version)
    files: dict[str, Path] = {}
    rules: list[str] = []
    for style in FONT_STYLES:
        try:
            text = (folder / f"{style}.css").read_text(encoding="utf-8")
        except OSError:
            raise RuntimeFilesError(
                f"node_modules/{FONT_PACKAGE} thiếu tệp {style}.css; {NPM_HINT}."
            ) from None
        for subset, rule in re.findall(
            r"/\* tinos-([a-z-]+?)-\d+-\w+ \*/\s*(@font-face \{.*?\})", text, re.S
        ):
            if subset not in FONT_SUBSETS:
                continue
            names = re.findall(r"url\(\./files/([\w.-]+\.woff2)\)", rule)
            if len(names) != 1 or not (folder / "files" / names[0]).is_file():
                raise RuntimeFilesError(
                    f"node_modules/{FONT_PACKAGE}: {style}.css không như mong đợi; {NPM_HINT}."
                )
            files[target + names[0]] = folder / "files" / names[0]
            local = ", ".join(f'local("{name}")' for name in _LOCAL_NAMES[style])
            source = re.sub(r"src: [^;]*;", f"src: {local}, url({names[0]}) format('woff2');", rule)
            rules.append(re.sub(r"font-family: [^;]*;", f"font-family: {FONT_FAMILY};", source))
    # The licence travels with the font (SIL Open Font License 1.1).
    files[target + "LICENSE.txt"] = folder / "LICENSE"
    if (
        len(files) != len(FONT_SUBSETS) * len(FONT_STYLES) + 1
        or not files[target + "LICENSE.txt"].is_file()
    ):
        raise RuntimeFilesError(f"node_modules/{FONT_PACKAGE} thiếu tệp phông chữ; {NPM_HINT}.")
    header = (
        f"/* {FONT_PACKAGE} {version} (SIL Open Font License 1.1): {', '.join(FONT_SUBSETS)} */"
    )
    # The one name of the family for the style sheets and scripts (cham-diem.css, fonts.mjs).
    family = f":root {{\n  --td-print-font: {FONT_FAMILY}, serif;\n}}"
    return files, (target + FONT_CSS, "\n".join([header, family, *rules]) + "\n")


DOCX_PACKAGE = "docx"
"""The Word files' writer (npm `docx`): its self-contained ES module, loaded by the scoring page
only when a Word file is asked for."""


def docx_files(project: Path | None = None) -> dict[str, Path]:
    """The Word writer's files to publish: its module (DOCX_MODULE) and its licence.

    Raise RuntimeFilesError when the package is missing or not the pinned version.
    """
    version = pinned_version((DOCX_PACKAGE,), "docx", project)
    folder = check_installed(DOCX_PACKAGE, version, project)
    files = {
        f"{ASSETS}/docx/{version}/docx.mjs": folder / "dist" / "index.mjs",
        f"{ASSETS}/docx/{version}/LICENSE.txt": folder / "LICENSE",
    }
    for source in files.values():
        if not source.is_file():
            raise RuntimeFilesError(
                f"node_modules/{DOCX_PACKAGE} thiếu tệp {source.name}; {NPM_HINT}."
            )
    return files


_wheels: dict[str, bytes] = {}
"""Wheels already built in this process, by the digest of their inputs."""


def _staging_pyproject(version: str) -> str:
    return (
        "[build-system]\n"
        'requires = ["setuptools>=70.1"]\n'
        'build-backend = "setuptools.build_meta"\n'
        "\n"
        "[project]\n"
        f'name = "{PACKAGE}"\n'
        f'version = "{version}"\n'
        'description = "Chấm điểm theo thang điểm dân vận chính quyền (Python thuần)"\n'
        'requires-python = ">=3.11"\n'
        "\n"
        "[tool.setuptools]\n"
        f'packages = ["{PACKAGE}"]\n'
    )


def build_wheel(project: Path | None = None) -> tuple[str, bytes]:
    """Build the scoring_py wheel; return its file name and bytes.

    The same sources always give the same bytes (fixed file times), and a wheel already built
    by this process for the same sources is reused (`mkdocs serve` rebuilds often).
    """
    project = project or PROJECT
    version = project_version(project)
    sources = sorted((project / PACKAGE).glob("*.py"))
    pyproject = _staging_pyproject(version)
    digest = hashlib.sha256(pyproject.encode("utf-8"))
    for path in sources:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    key = digest.hexdigest()
    name = wheel_name(version)
    if key in _wheels:
        return name, _wheels[key]
    with tempfile.TemporaryDirectory(prefix="thangdiem-wheel-") as tmp:
        staging = Path(tmp) / "src"
        (staging / PACKAGE).mkdir(parents=True)
        (staging / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        for path in sources:
            shutil.copyfile(path, staging / PACKAGE / path.name)
        out = Path(tmp) / "dist"
        command = [sys.executable, "-m", "build", "--wheel", "--no-isolation"]
        result = subprocess.run(
            [*command, "--outdir", str(out), str(staging)],
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        built = out / name
        if result.returncode != 0 or not built.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise RuntimeFilesError(
                "Không dựng được gói wheel của scoring_py bằng `python -m build`"
                f" (mã thoát {result.returncode}): " + " | ".join(detail)
            )
        data = built.read_bytes()
    _wheels[key] = data
    return name, data


XLSX_EXTRA = "xlsx"
"""The optional dependencies of pyproject.toml that pin XlsxWriter (`pip install
'thangdiem[xlsx]'`), the one place its version is written."""
WHEELS = Path("build") / "wheels"
"""Where downloaded wheels are kept, in the checkout (`make clean` removes them)."""
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.+!-]*)$")
_downloads: dict[str, bytes] = {}
"""Wheels already read by this process, by file name."""


def pinned_python(extra: str, project: Path | None = None) -> tuple[str, str]:
    """The one package that an extra of pyproject.toml pins, as (name, exact version)."""
    path = (project or PROJECT) / "pyproject.toml"
    with path.open("rb") as handle:
        pins = tomllib.load(handle)["project"].get("optional-dependencies", {}).get(extra)
    found = _PIN.match(pins[0]) if isinstance(pins, list) and len(pins) == 1 else None
    if found is None:
        raise RuntimeFilesError(
            f"{path}: nhóm phụ thuộc {extra!r} phải ghim đúng một gói bằng '==' (nhận được"
            f" {json.dumps(pins, ensure_ascii=False)})"
        )
    return found.group(1), found.group(2)


def pure_wheel(name: str, version: str) -> str:
    """A pure-Python wheel's file name (the distribution's name normalised, as pip's are)."""
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-py3-none-any.whl"


def xlsx_wheel(project: Path | None = None) -> tuple[str, bytes]:
    """XlsxWriter's wheel, of the pinned version: its file name and bytes.

    Downloaded once with `pip download --no-deps --only-binary=:all:` into build/wheels/ and
    read from there afterwards; raise RuntimeFilesError when it cannot be had.
    """
    project = project or PROJECT
    name, version = pinned_python(XLSX_EXTRA, project)
    file = pure_wheel(name, version)
    if file in _downloads:
        return file, _downloads[file]
    folder = project / WHEELS
    kept = folder / file
    if not kept.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="thangdiem-pip-", dir=folder) as tmp:
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
            result = subprocess.run(
                [*command, "--disable-pip-version-check", "--dest", tmp, f"{name}=={version}"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            got = [p for p in Path(tmp).glob("*.whl") if p.name.lower() == file]
            if result.returncode != 0 or len(got) != 1:
                detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
                raise RuntimeFilesError(
                    f"Không tải được gói wheel {file} (py3-none-any) bằng `pip download`"
                    f" (mã thoát {result.returncode}): " + " | ".join(detail)
                )
            got[0].replace(kept)
    data = kept.read_bytes()
    _downloads[file] = data
    return file, data
