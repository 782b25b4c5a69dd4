"""The `thangdiem` command as the tests run it: `python -m generator` from this checkout, in a
folder of assessment files, with a bare environment (no locale, no user site)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .site import ROOT


def aggregate(
    rubric_id: str, folder: Path, names: list[str], *args: str
) -> subprocess.CompletedProcess[bytes]:
    """Run `thangdiem aggregate rubrics/<rubric_id>.yaml NAMES… ARGS…` from inside `folder`."""
    rubric = str(ROOT / "rubrics" / f"{rubric_id}.yaml")
    return subprocess.run(
        [sys.executable, "-m", "generator", "aggregate", rubric, *names, *args],
        cwd=folder,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=False,
        timeout=300,
    )
