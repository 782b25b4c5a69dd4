"""Lighthouse on the scoring page (part of `make bench`): the pinned npm package (package.json),
its defaults for a phone (mobile form factor, simulated slow 4G and a 4× slower CPU), the
performance category only, with the same Chromium as the other measurements. It needs no
network: the page is served locally and Lighthouse sends nothing out.

Each run is a fresh Chromium profile (a first visit). Kept per run: the performance score
(0–100), the main metrics (ms; CLS unitless), the render-blocking resources and the longest
main-thread tasks as Lighthouse lists them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from testkit.chromium import chromium_path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
METRICS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "speed_index_ms": "speed-index",
    "tti_ms": "interactive",
}
TIMEOUT_S = 300


def version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def one_run(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run; its figures (see the module's docstring)."""
    browser = chromium_path()
    env = {**os.environ, **({"CHROME_PATH": browser} if browser else {})}
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse: exit {done.returncode}: {done.stderr.strip()[-500:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError'].get('message')}")
    audits = report["audits"]
    score = report["categories"]["performance"]["score"]
    if score is None:
        raise RuntimeError("lighthouse: no performance score")
    figures: dict[str, Any] = {
        "score": round(score * 100),
        **{name: audits[audit]["numericValue"] for name, audit in METRICS.items()},
    }
    blocking = (audits.get("render-blocking-resources") or {}).get("details") or {}
    figures["render_blocking"] = sorted(
        (
            {"url": item["url"], "bytes": item.get("totalBytes"), "wasted_ms": item.get("wastedMs")}
            for item in blocking.get("items", [])
        ),
        key=lambda item: -(item["wasted_ms"] or 0),
    )
    tasks = (audits.get("long-tasks") or {}).get("details") or {}
    figures["long_tasks"] = sorted(
        (
            {"url": item.get("url"), "ms": item["duration"], "start_ms": item.get("startTime")}
            for item in tasks.get("items", [])
            # Lighthouse's own script, evaluated in the page to collect its figures
            if not str(item.get("url", "")).startswith("_lighthouse")
        ),
        key=lambda task: -task["ms"],
    )[:5]
    figures["settings"] = {
        key: report["configSettings"].get(key)
        for key in ("formFactor", "throttlingMethod", "throttling")
    }
    return figures


def measure(url: str, runs: int) -> dict[str, Any]:
    """`runs` Lighthouse runs of `url`, or why Lighthouse could not run ({"error": ...})."""
    if not LIGHTHOUSE.exists():
        return {"error": "không có Lighthouse (node_modules/.bin/lighthouse: hãy chạy npm ci)"}
    taken: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="thangdiem-lighthouse-") as tmp:
        for run in range(runs):
            try:
                taken.append(one_run(url, Path(tmp) / f"run-{run}.json"))
            except (RuntimeError, subprocess.TimeoutExpired, OSError, KeyError, ValueError) as e:
                return {"error": str(e)[:500], "runs": taken}
    scores = [run["score"] for run in taken]
    return {
        "version": version(),
        "settings": taken[0]["settings"],
        "score": {"median": statistics.median(scores), "min": min(scores), "max": max(scores)},
        **{name: statistics.median(run[name] for run in taken) for name in METRICS},
        "runs": taken,
    }
