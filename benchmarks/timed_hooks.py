"""The site's MkDocs hook (site_src/overrides/hooks/thangdiem.py), timed: the benchmark's builds
use this file as their `hooks:` entry to measure the generator's share of a build.

The hook is loaded by its path, as MkDocs loads it. Every `on_*` event of it is wrapped; the
wall time of each is added up and written as JSON to the file named by the environment
variable THANGDIEM_HOOK_TIMES at the end of the build.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HOOK = Path(__file__).resolve().parent.parent / "site_src" / "overrides" / "hooks" / "thangdiem.py"
_spec = importlib.util.spec_from_file_location("thangdiem_hook", HOOK)
assert _spec is not None and _spec.loader is not None
hooks = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = hooks  # as MkDocs does: the hook's dataclass finds its module
_spec.loader.exec_module(hooks)

_times: dict[str, float] = {}


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps mkdocs_priority (set by @event_priority)
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _times[name] = _times.get(name, 0.0) + time.perf_counter() - start

    return run


for _name in dir(hooks):
    if _name.startswith("on_") and callable(getattr(hooks, _name)):
        globals()[_name] = _timed(_name, getattr(hooks, _name))


@atexit.register
def _write() -> None:
    target = os.environ.get("THANGDIEM_HOOK_TIMES")
    if target:
        Path(target).write_text(json.dumps(_times), encoding="utf-8")
