"""The site as it is deployed: built with `mkdocs build --strict` into <root>/thangdiem/, so that
pages load from http://127.0.0.1:PORT/thangdiem/ as they would from a project site on GitHub
Pages (a subpath catches every link that forgets the site's base)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBPATH = "thangdiem"


def build(out: Path, config: Path | None = None) -> None:
    """Run `mkdocs build --strict` (the project's mkdocs.yml unless `config` is given)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    result = subprocess.run(
        command + (["-f", str(config)] if config is not None else []),
        cwd=ROOT if config is None else config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
