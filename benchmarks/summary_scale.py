"""The summary page at scale (part of `make bench`): many files on the page against the command.

The same files (random Hưng Yên assessments, a fixed seed) are summarised by
`thangdiem aggregate --csv` and by the summary page in Chromium, in turns. The page's time is
its performance entry "thangdiem:summary" (from the files chosen to the tables drawn). The
longest main-thread task comes from a PerformanceObserver of long tasks that start once the
file input's "change" event has fired, and the longest run of the site's own scripts from the
Long Animation Frames API, which names the script of each run: the browser's own work of
turning the chosen paths into File objects (the file dialog's part, here Playwright's) shows
in the first figure only.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = "hung-yen-2020"
TIMEOUT_MS = 1_800_000

LONG_TASKS = """
window.__longtasks = [];
window.__scripts = [];
new PerformanceObserver((list) => {
  for (const frame of list.getEntries()) {
    for (const s of frame.scripts) window.__scripts.push([s.startTime, s.duration, s.sourceURL]);
  }
}).observe({ type: "long-animation-frame", buffered: true });
document.addEventListener("change", () => { window.__changed ??= performance.now(); }, true);
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longtasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""


def make_files(folder: Path, count: int) -> list[Path]:
    """`count` assessment files as a province receives them: every item answered, one file in
    five appraised, one in ten sent twice (an earlier self-assessment), a few with a bad value."""
    sys.path.insert(0, str(ROOT / "tests"))
    import casegen
    from generator.loader import load_file
    from scoring_py import document

    rubric = load_file(ROOT / "rubrics" / f"{RUBRIC}.yaml")
    items = [i for c in rubric.criteria for i in c.items]
    rng = random.Random(20261202)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    n = 0
    while len(paths) < count:
        doc = document.template(rubric, name=f"UBND xã số {n:05d}")
        doc["unit"]["year"] = 2024
        doc["updated"] = f"2024-11-{rng.randint(10, 28)}T08:00:00Z"
        for item in items:
            doc["stages"]["self"]["answers"][item.id] = casegen.valid_answer(rng, rubric, item)
            doc["evidence"][item.id]["documents"] = "Báo cáo số 12/BC-UBND, mục 2"
        if rng.random() < 0.03:
            doc["stages"]["self"]["answers"][items[0].id] = items[0].max + 1
        if rng.random() < 0.2:
            for item in items:
                doc["stages"]["appraisal"]["answers"][item.id] = casegen.valid_answer(
                    rng, rubric, item
                )
        copies = 2 if rng.random() < 0.1 and len(paths) + 2 <= count else 1
        for copy in range(copies):
            path = folder / f"don-vi-{n:05d}-{copy}.json"
            path.write_text(casegen.to_json(doc), encoding="utf-8")
            paths.append(path)
            doc["updated"] = "2024-12-01T08:00:00Z"
        n += 1
    return paths


def cli_seconds(paths: list[Path]) -> float:
    """Wall time of `thangdiem aggregate --csv` over the files."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", "aggregate", RUBRIC, *map(str, paths), "--csv"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def page_run(browser: Browser, url: str, paths: list[Path]) -> dict[str, float]:
    """Summarise the files on the page; its time and its longest main-thread task."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.add_init_script(LONG_TASKS)
    page.goto(url)
    page.wait_for_function(
        "() => document.documentElement.dataset.scoring === 'ready'", timeout=TIMEOUT_MS
    )
    # As a person would: files are chosen once the page has settled, its second worker too.
    page.wait_for_function(
        "() => performance.getEntriesByName('thangdiem:second-worker-ready').length > 0",
        timeout=TIMEOUT_MS,
    )
    page.locator("input[type=file][data-files]").set_input_files(paths)
    page.wait_for_function(
        "() => document.documentElement.dataset.summary === 'done'", timeout=TIMEOUT_MS
    )
    seconds = page.evaluate(
        "performance.getEntriesByName('thangdiem:summary').at(-1).duration / 1000"
    )
    chosen = page.evaluate("window.__changed")
    tasks = [d for start, d in page.evaluate("window.__longtasks") if start >= chosen]
    ours = [
        d
        for start, d, url in page.evaluate("window.__scripts")
        if start >= chosen and "/javascripts/" in url
    ]
    rows = page.locator('[data-rows="units"] tr').count()
    context.close()
    return {
        "page_s": seconds,
        "longest_task_ms": max(tasks, default=0.0),
        "longest_script_ms": max(ours, default=0.0),
        "rows_drawn": rows,
    }


def measure(
    browser: Browser, base: str, subpath: str, work: Path, count: int, runs: int
) -> dict[str, Any]:
    """The figures of one size over `runs` pairs: the command's time, the page's, the ratio of
    each pair, and the longest main-thread task."""
    paths = make_files(work / f"tong-hop-{count}", count)
    url = f"{base}{subpath}/{RUBRIC}/tong-hop/"
    pairs = []
    for _ in range(runs):
        cli = cli_seconds(paths)
        run = page_run(browser, url, paths)
        pairs.append({"cli_s": cli, **run, "ratio": run["page_s"] / cli})
    return {"files": count, "runs": pairs}
