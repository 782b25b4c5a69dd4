"""requirements.lock pins the whole Python tree with hashes, and it holds what pyproject.toml
pins: a direct dependency bumped in one but not the other fails here (run `make lock`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from testkit.site import ROOT

LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
# The extras the lock is resolved with (Makefile, `lock`); `make .venv/.installed` installs them.
EXTRAS = ("xlsx", "dev")

HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Entry:
    name: str
    version: str
    marker: str | None
    hashes: tuple[str, ...]


def logical_lines(text: str) -> list[str]:
    """The lock's requirement lines, continuations joined and comments dropped."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            lines.append(" ".join(current.split()))
        current = ""
    if current.strip():
        lines.append(" ".join(current.split()))
    return lines


def parse(text: str) -> tuple[list[Entry], list[str]]:
    """The entries of a lock, and a problem for each line that is not `name==version --hash=...`."""
    entries: list[Entry] = []
    problems: list[str] = []
    for line in logical_lines(text):
        spec, _, rest = line.partition(" --")
        options = ("--" + rest).split() if rest else []
        try:
            requirement = Requirement(spec)
        except InvalidRequirement:
            problems.append(f"not a requirement: {line[:80]}")
            continue
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==" or "*" in specifiers[0].version:
            problems.append(f"not pinned with ==: {spec}")
            continue
        bad = [option for option in options if not HASH.match(option)]
        if bad:
            problems.append(f"{spec}: not a sha256 hash: {bad[0][:80]}")
        hashes = tuple(option for option in options if HASH.match(option))
        if not hashes:
            problems.append(f"{spec}: no --hash=sha256:")
        marker = str(requirement.marker) if requirement.marker else None
        name = canonicalize_name(requirement.name)
        entries.append(Entry(name, specifiers[0].version, marker, hashes))
    return entries, problems


def direct_pins(pyproject: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """pyproject's pins: the dependencies, the extras the lock covers and the build backend."""
    project = pyproject["project"]
    specs = [
        *project["dependencies"],
        *(spec for extra in EXTRAS for spec in project["optional-dependencies"][extra]),
        *pyproject["build-system"]["requires"],
    ]
    pins: dict[str, str] = {}
    problems: list[str] = []
    for spec in specs:
        requirement = Requirement(spec)
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==":
            problems.append(f"pyproject.toml: {spec} is not pinned with ==")
            continue
        pins[canonicalize_name(requirement.name)] = specifiers[0].version
    return pins, problems


def drift(lock_text: str, pyproject: dict[str, Any]) -> list[str]:
    """Everything that keeps the lock from being pyproject's, fully pinned and hashed."""
    entries, problems = parse(lock_text)
    pins, pin_problems = direct_pins(pyproject)
    problems += pin_problems
    versions: dict[str, set[str]] = {}
    for entry in entries:
        versions.setdefault(entry.name, set()).add(entry.version)
    for name, pinned in sorted(pins.items()):
        found = versions.get(name)
        if found is None:
            problems.append(f"{name}=={pinned} (pyproject.toml) is not in the lock")
        elif found != {pinned}:
            problems.append(f"{name}: pyproject.toml pins {pinned}, the lock {sorted(found)}")
    seen: set[tuple[str, str | None]] = set()
    for entry in entries:
        if (entry.name, entry.marker) in seen:
            problems.append(f"{entry.name} is in the lock twice")
        seen.add((entry.name, entry.marker))
        if len(versions[entry.name]) > 1 and entry.marker is None:
            problems.append(f"{entry.name}: several versions, one without an environment marker")
    return problems


def pyproject() -> dict[str, Any]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def test_the_lock_holds_pyprojects_pins_and_hashes_everything() -> None:
    assert drift(LOCK.read_text(encoding="utf-8"), pyproject()) == []


def test_the_lock_holds_the_whole_tree() -> None:
    """Not only the direct pins: their dependencies too (e.g. mkdocs's click, pytest's pluggy)."""
    entries, _ = parse(LOCK.read_text(encoding="utf-8"))
    names = {entry.name for entry in entries}
    pins, _ = direct_pins(pyproject())
    assert {"click", "pluggy", "markupsafe", "setuptools"} <= names
    assert len(names) > len(pins)


def test_make_installs_from_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(PY_READY): pyproject.toml $(LOCK)\n", 1)[1].split("\n\n", 1)[0]
    assert "LOCK := requirements.lock" in makefile
    assert "--require-hashes -r $(LOCK)" in recipe
    # The project itself: nothing more than the lock gives, and its backend from the lock.
    assert "--no-deps --no-build-isolation -e ." in recipe
    assert re.search(r"^lock: .*## ", makefile, re.MULTILINE)


def doctored(old: str, new: str, *, count: int = 1) -> str:
    text = LOCK.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, count)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("mkdocs==1.6.1 ", "mkdocs==1.6.0 ", "mkdocs: pyproject.toml pins 1.6.1"),
        ("click==", "click>=", "not pinned with ==: click>="),
        ("setuptools==", "setuptool==", "setuptools==84.2.1 (pyproject.toml) is not in the lock"),
    ],
)
def test_a_drifted_lock_is_caught(old: str, new: str, problem: str) -> None:
    problems = drift(doctored(old, new), pyproject())
    assert any(problem in line for line in problems), problems


def test_an_entry_without_hashes_is_caught() -> None:
    text = LOCK.read_text(encoding="utf-8")
    cut, count = re.subn(
        r"^(click==\S+) \\\n(?:    --hash=\S+(?: \\)?\n)+", r"\1\n", text, flags=re.MULTILINE
    )
    assert count == 1
    problems = drift(cut, pyproject())
    assert any(line.startswith("click==") and "no --hash" in line for line in problems), problems


def test_an_unpinned_direct_dependency_is_caught() -> None:
    data = pyproject()
    data["project"]["optional-dependencies"]["dev"].append("pytest-cov>=5")
    problems = drift(LOCK.read_text(encoding="utf-8"), data)
    assert "pyproject.toml: pytest-cov>=5 is not pinned with ==" in problems
