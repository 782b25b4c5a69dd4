"""scoring_py runs in Pyodide as is: standard library only, no I/O, no project imports."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT

PACKAGE = ROOT / "scoring_py"
FORBIDDEN = {"os", "io.open", "pathlib", "subprocess", "socket", "urllib", "shutil", "tempfile"}
OPTIONAL = {("workbook.py", "xlsxwriter")}
"""The one library outside the standard library: imported inside the function that writes a
workbook, never when the module is imported (see test_optional_library_is_imported_late)."""


def imported_modules() -> dict[str, set[str]]:
    """Map each scoring_py file to the top-level modules it imports (relative imports aside)."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[path.name] = names
    return found


def test_imports_only_the_standard_library() -> None:
    """Every import of scoring_py is a standard-library module."""
    modules = imported_modules()
    assert len(modules) >= 8
    outside = {
        (name, module)
        for name, imports in modules.items()
        for module in imports
        if module not in sys.stdlib_module_names and module != "__future__"
    }
    assert outside == OPTIONAL


def test_optional_library_is_imported_late() -> None:
    """XlsxWriter is imported inside a function only, so importing scoring_py (the scoring
    page's first score) never needs it."""
    for name, module in OPTIONAL:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        top = {
            alias.name.split(".")[0]
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [])
        } | {
            node.module.split(".")[0]
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert module not in top, name
    code = (
        "import sys, scoring_py.api, scoring_py.workbook;"
        " assert 'xlsxwriter' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_does_no_input_or_output() -> None:
    """scoring_py imports nothing that touches files, processes or the network, nor calls open()."""
    modules = imported_modules()
    assert {m for imports in modules.values() for m in imports} & FORBIDDEN == set()
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert not calls & {"open", "print", "input", "exec", "eval"}, path.name


def test_the_check_can_fail() -> None:
    """The import scan sees a third-party import when there is one."""
    tree = ast.parse("import yaml\nfrom jinja2 import Template\n")
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert "yaml" in names and "yaml" not in sys.stdlib_module_names
