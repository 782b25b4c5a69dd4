"""Shared helpers: small rubrics built in code, documents filled from answers; the real site
built once with `mkdocs build --strict`."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scoring_py import document, engine
from scoring_py.model import Rubric
from scoring_py.rubric import parse_rubric

ROOT = Path(__file__).resolve().parent.parent
D = Decimal

BASE: dict[str, Any] = {
    "format": 1,
    "id": "thu-nghiem",
    "version": "1",
    "title": "Thang điểm thử nghiệm",
    "province": "Tỉnh thử nghiệm",
    "legal": {
        "number": "01/2024/QĐ-UBND",
        "title": "Quy định thử nghiệm",
        "issuer": "UBND tỉnh thử nghiệm",
        "status": "in_force",
        "source": "tests",
    },
    "scope": "Các cơ quan, đơn vị",
    "total": 100,
    "criteria": [
        {
            "id": "1",
            "title": "Tiêu chí một",
            "max": 50,
            "items": [
                {"id": "1.1", "text": "Chấm tự do", "max": 20},
                {
                    "id": "1.2",
                    "text": "Chọn một mức",
                    "kind": "choice",
                    "max": 10,
                    "levels": [
                        {"id": "1.2.1", "text": "Tốt", "points": 10},
                        {"id": "1.2.2", "text": "Đạt", "points": 5},
                        {"id": "1.2.3", "text": "Không đạt", "points": 0},
                    ],
                },
                {"id": "1.3", "text": "Có hay không", "kind": "yesno", "max": 20},
            ],
        },
        {
            "id": "2",
            "title": "Tiêu chí hai",
            "max": 50,
            "items": [
                {
                    "id": "2.1",
                    "text": "Tỷ lệ hồ sơ đúng hạn",
                    "kind": "ratio",
                    "max": 20,
                    "rounding": {"step": D("0.01"), "mode": "half_up"},
                },
                {
                    "id": "2.2",
                    "text": "Mỗi hoạt động được cộng",
                    "kind": "steps",
                    "max": 10,
                    "per_unit": D("2.5"),
                },
                {
                    "id": "2.3",
                    "text": "Trừ mỗi vi phạm",
                    "kind": "deduction",
                    "max": 20,
                    "per_unit": 5,
                },
            ],
        },
    ],
    "bands": [
        {"id": "xuat-sac", "name": "Hoàn thành xuất sắc", "min": 90},
        {"id": "tot", "name": "Hoàn thành tốt", "min": 75, "max": 90},
        {"id": "hoan-thanh", "name": "Hoàn thành", "min": 50, "max": 75},
        {"id": "khong", "name": "Không hoàn thành", "min": 0, "max": 50},
    ],
}

FULL = {"1.1": 20, "1.2": "1.2.1", "1.3": True, "2.1": {"numerator": 1, "denominator": 1}}
FULL |= {"2.2": 4, "2.3": 0}


def rubric_data(**changes: Any) -> dict[str, Any]:
    """Return a copy of the base rubric data with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def make_rubric(**changes: Any) -> Rubric:
    """Build and check a rubric from the base data with top-level keys replaced."""
    return parse_rubric(rubric_data(**changes))


def make_doc(
    rubric: Rubric,
    own: dict[str, Any] | None = None,
    appraisal: dict[str, Any] | None = None,
    *,
    conditions: dict[str, Any] | None = None,
    appraisal_conditions: dict[str, Any] | None = None,
    unit_type: str | None = None,
    evidence: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fill a template with answers per stage; validate it as a user's file would be."""
    doc = document.template(rubric, name="Đơn vị A", unit_type=unit_type)
    doc["stages"]["self"]["answers"].update(own or {})
    doc["stages"]["appraisal"]["answers"].update(appraisal or {})
    for stage, conds in (("self", conditions), ("appraisal", appraisal_conditions)):
        for key, value in (conds or {}).items():
            doc["stages"][stage]["conditions"][key] = {"value": value, "note": ""}
    for key, value in (evidence or {}).items():
        doc["evidence"][key] = value
    return document.validate(rubric, doc)


def score(rubric: Rubric, own: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    """Score a document built by make_doc."""
    return engine.score_document(rubric, make_doc(rubric, own, **kw))


@pytest.fixture
def rubric() -> Rubric:
    """The base test rubric: every item kind, four bands."""
    return make_rubric()


def run_mkdocs(config: Path, site_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` as a user would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = ["build", "--strict", "-f", str(config), "-d", str(site_dir)]
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built with `mkdocs build --strict` from the project's mkdocs.yml."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_mkdocs(ROOT / "mkdocs.yml", out, ROOT)
    assert result.returncode == 0, result.stderr
    return out
