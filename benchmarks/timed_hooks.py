"""The project's MkDocs hooks (generator/hooks.py), timed: the benchmark's builds use this file
as their `hooks:` entry to measure the generator's share of a build.

Every `on_*` hook of generator/hooks.py is wrapped; the wall time of each is added up and
written as JSON to the file named by the environment variable THANGDIEM_HOOK_TIMES at the end
of the build.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import hooks

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
