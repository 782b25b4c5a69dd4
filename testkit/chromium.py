"""The Chromium the tests and benchmarks drive: Debian's /usr/bin/chromium when present
(Playwright cannot download its own browser everywhere), else Playwright's own; started with
no background traffic of its own, so that every request counted is the page's."""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


def chromium_path() -> str | None:
    """A system Chromium, or None to use Playwright's own browser."""
    found = (shutil.which(name) for name in ("chromium", "chromium-browser"))
    for candidate in ("/usr/bin/chromium", *found):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None
