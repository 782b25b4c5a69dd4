"""Benchmarks of the site (`make bench`): speed and weight, beside a bare-Pyodide baseline.

Everything is measured in one run on this machine, so that the ratios compare like with like:

- the site is built with `mkdocs build --strict` under /thangdiem/ and served locally by a
  small server that compresses as GitHub Pages does (gzip) and sends its 10-minute cache header;
- the baseline page (benchmarks/baseline/) loads the same pinned Pyodide the same way (a module
  Web Worker, from the site's own copy) and runs one line of Python;
- Chromium (Playwright) opens the baseline and the Hưng Yên scoring page in turns, each in a
  fresh browser context ("cold"), then the scoring page again in the same context ("warm":
  from the service worker's cache where the site has one, else from the HTTP cache);
- in one page, a score is changed many times and the time from the change to the updated
  total is recorded;
- the bytes each page transfers are counted by type;
- the baseline and the scoring page's first visit again, in turns, through a slow link in the
  server (measure.Throttle: 10 Mbit/s shared by every request, the workers' included, and a
  40 ms round trip per request), after a check of the throughput a Web Worker's fetch gets;
- Lighthouse (benchmarks/lighthouse.py) on the scoring page, as a phone on a slow network;
- the site is built for the bundled rubrics and for 10, 100 and 1000 rubrics (copies of the
  bundled ones), timing the generator's hooks, and a plain `mkdocs build` of the same pages.

This file times the builds and runs it all; the browser's part is benchmarks/measure.py, the
summary page at scale benchmarks/summary_scale.py, Lighthouse benchmarks/lighthouse.py. Results
(benchmarks/report.py): benchmarks/results.json (every figure and every run) and
benchmarks/results.md (the table shown in README.md between the `bench` markers). These are
measurements, not tests: no figure makes anything fail.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import lighthouse, summary_scale  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    Handler,
    baseline_run,
    breakdown,
    cold_run,
    form_runs,
    has_service_worker,
    percentile,
    recompute,
    summary,
    throttled,
    transfer,
    worker_fetch,
)
from benchmarks.report import RESULTS_JSON, write  # noqa: E402
from generator import assets, stdlib  # noqa: E402
from generator.pages import build_site  # noqa: E402
from testkit.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402
from testkit.server import serving  # noqa: E402
from testkit.site import SUBPATH  # noqa: E402

HERE = ROOT / "benchmarks"
RUBRIC = "hung-yen-2020"
RUNTIME_ONLY = "baseline-runtime"
"""The folder of the bare page that boots the site's runtime."""
GUIDE_PAGE = f"{RUBRIC}/tieu-chi-1/"
THROTTLE_MBIT_S = 10.0
THROTTLE_RTT_MS = 40.0


# --------------------------------------------------------------------------------------------
# Builds


def mkdocs_build(config: Path, out: Path, hook_times: Path | None = None) -> dict[str, float]:
    """Run `mkdocs build --strict`; return its wall time and peak memory (MiB)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if hook_times is not None:
        env["THANGDIEM_HOOK_TIMES"] = str(hook_times)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)]
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "-d", str(out)], cwd=config.parent, env=env, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"mkdocs build failed ({config}):\n{errors}")
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024}


def project_config(project: Path, hooks: list[str] | None, docs: Path) -> Path:
    """A mkdocs.yml for a project folder: the project's own (INHERIT) with this docs folder and
    these hooks (None: none). Its rubrics are the folder's rubrics/ (mkdocs.yml names the
    rubrics' folder relative to the mkdocs.yml that is built)."""
    config: dict[str, Any] = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(docs),
        "theme": {"custom_dir": str(ROOT / "site_src" / "overrides")},
        "hooks": hooks or [],
    }
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def make_rubrics(folder: Path, count: int) -> int:
    """Fill folder with `count` rubrics: copies of the bundled ones under new ids, spread over
    34 provinces (0: the bundled rubrics themselves). Return the number of rubrics."""
    bundled = sorted((ROOT / "rubrics").glob("*.yaml"))
    shutil.copytree(ROOT / "rubrics" / "sources", folder / "sources")
    if count == 0:
        for path in bundled:
            shutil.copy(path, folder / path.name)
        return len(bundled)
    for number in range(count):
        path = bundled[number % len(bundled)]
        text = path.read_text(encoding="utf-8")
        old = f'id: "{path.stem}"'
        assert old in text, path
        new_id = f"{path.stem}-{number:04d}"
        text = text.replace(old, f'id: "{new_id}"')
        # Spread over the 34 provinces, as a country-wide site would be.
        text = re.sub(r'(?m)^province: ".*"$', f'province: "Tỉnh thử {number % 34 + 1}"', text)
        (folder / f"{new_id}.yaml").write_text(text, "utf-8")
    return count


def build_scaling(count: int, runs: int, work: Path) -> dict[str, Any]:
    """Build times for a number of rubrics: the full build (with the timed generator hooks)
    and a plain `mkdocs build` of the same generated pages written to disk."""
    project = work / f"rubrics-{count}"
    (project / "rubrics").mkdir(parents=True)
    rubrics = make_rubrics(project / "rubrics", count)
    full_config = project_config(project, [str(HERE / "timed_hooks.py")], ROOT / "site_src")
    # The same pages, generated once and written out, for a build without the generator.
    plain = work / f"plain-{count}"
    docs = plain / "docs"
    shutil.copytree(ROOT / "site_src", docs)
    site = build_site(project / "rubrics", ROOT / "site_src", ROOT / "site_src/overrides/fragments")
    for page in site.pages:
        (docs / page.src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / page.src_uri).write_text(page.content, encoding="utf-8")
    for name, text in site.assets.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    plain_config = project_config(plain, None, docs)
    config = yaml.safe_load(plain_config.read_text(encoding="utf-8"))
    config["nav"] = site.nav
    # What the site's hook would put in `extra` for the scoring pages' templates (the same
    # text lengths matter little: only their paths are written into the pages).
    config["extra"] = {
        "runtime": dict.fromkeys(
            ("pyodide", "wheel", "xlsxwriter", "stdlib", "source", "lock"), "-"
        ),
        "font": "-",
        "docx": "-",
        "offline": None,
    }
    plain_config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    full, plain_runs, generator = [], [], []
    peak = []
    for run in range(runs):
        times = work / f"hooks-{count}-{run}.json"
        out = work / f"out-{count}"
        result = mkdocs_build(full_config, out, times)
        full.append(result["seconds"])
        peak.append(result["peak_mib"])
        generator.append(sum(json.loads(times.read_text(encoding="utf-8")).values()))
        shutil.rmtree(out)
        result = mkdocs_build(plain_config, work / f"out-plain-{count}")
        plain_runs.append(result["seconds"])
        shutil.rmtree(work / f"out-plain-{count}")
    return {
        "rubrics": rubrics,
        "pages": len(site.pages),
        "build_s": summary(full),
        "generator_s": summary(generator),
        "plain_mkdocs_s": summary(plain_runs),
        "peak_mib": summary(peak),
    }


# --------------------------------------------------------------------------------------------
# The slow link


def ratios(values: list[float], baselines: list[float]) -> dict[str, Any]:
    """The ratio of each run to the baseline run beside it (pair by pair)."""
    return summary([value / base for value, base in zip(values, baselines, strict=True)])


def throttled_runs(browser: Any, root: Path, runs: int) -> dict[str, Any]:
    """The baseline and the scoring page's first visit through the slow link, in turns; first
    the throughput a module Web Worker gets fetching a large file alone."""
    handler = throttled(THROTTLE_MBIT_S, THROTTLE_RTT_MS)
    stdlib = sorted((root / SUBPATH).glob("assets/**/python_stdlib.zip"))
    with serving(root, handler) as base:
        check = None
        if stdlib:  # sent uncompressed (.zip), so bytes read are bytes sent
            check = worker_fetch(browser, base, stdlib[0].relative_to(root).as_posix())
            check["file"] = stdlib[0].name
        url = f"{base}{SUBPATH}/{RUBRIC}/cham-diem/"
        baselines, marks = [], []
        for _ in range(runs):
            baselines.append(baseline_run(browser, base))
            marks.append(cold_run(browser, url))
    baseline_ms = [b["done"] for b in baselines]
    cold = [m["score"] for m in marks]
    inputs = [m["input"] for m in marks]
    return {
        "mbit_s": THROTTLE_MBIT_S,
        "rtt_ms": THROTTLE_RTT_MS,
        "worker_fetch": check,
        "baseline_ms": summary(baseline_ms),
        "input_ms": summary(inputs),
        "input_ratios": ratios(inputs, baseline_ms),
        "cold_ms": summary(cold),
        "cold_ratio": statistics.median(cold) / statistics.median(baseline_ms),
        "cold_ratios": ratios(cold, baseline_ms),
        "marks": marks,
        "baseline_marks": baselines,
    }


# --------------------------------------------------------------------------------------------


def only_build(args: argparse.Namespace) -> int:
    """Add or replace build rows of an earlier run (the largest sizes take long)."""
    results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    with tempfile.TemporaryDirectory(prefix="thangdiem-bench-") as tmp:
        rows = [build_scaling(size, args.build_runs, Path(tmp)) for size in sizes]
    kept = [row for row in results["build"] if row["rubrics"] not in {r["rubrics"] for r in rows}]
    results["build"] = sorted(kept + rows, key=lambda row: row["rubrics"])
    write(results)
    return 0


def only_summary(args: argparse.Namespace) -> int:
    """Add or replace the summary page's figures of an earlier run."""
    results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="thangdiem-bench-") as tmp:
        work = Path(tmp)
        root = work / "served"
        mkdocs_build(ROOT / "mkdocs.yml", root / SUBPATH)
        with serving(root, Handler) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            results["summary_scale"] = summary_scale.measure(
                browser, base, SUBPATH, work, args.summary_files, args.summary_runs
            )
            browser.close()
    write(results)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (default 9)")
    parser.add_argument("--changes", type=int, default=250, help="score changes timed")
    parser.add_argument(
        "--sizes", default="0,10,100,1000", help="numbers of rubrics built (0: the bundled ones)"
    )
    parser.add_argument("--build-runs", type=int, default=5, help="builds per size")
    parser.add_argument(
        "--summary-files", type=int, default=10_000, help="files summarised on the summary page"
    )
    parser.add_argument("--summary-runs", type=int, default=3, help="summary pairs timed")
    parser.add_argument(
        "--throttled-runs",
        type=int,
        default=7,
        help=f"pairs timed at {THROTTLE_MBIT_S:g} Mbit/s (default 7; 0: none)",
    )
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3, help="Lighthouse runs (default 3; 0: none)"
    )
    parser.add_argument(
        "--only-summary",
        action="store_true",
        help="measure the summary page at scale only, into the existing results",
    )
    parser.add_argument(
        "--only-build",
        action="store_true",
        help="measure the builds of --sizes only, into the existing results (replacing rows"
        " of the same size)",
    )
    args = parser.parse_args(argv)
    if args.only_build:
        return only_build(args)
    if args.only_summary:
        return only_summary(args)

    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} lõi,"
        f" Python {platform.python_version()}",
        "pyodide": assets.pinned_pyodide(),
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory(prefix="thangdiem-bench-") as tmp:
        work = Path(tmp)
        root = work / "served"
        site = root / SUBPATH
        results["site_build"] = mkdocs_build(ROOT / "mkdocs.yml", site)
        baseline = root / "baseline"
        shutil.copytree(HERE / "baseline", baseline)
        # The baseline is the npm package as a user of plain Pyodide serves it: its own
        # standard library (source) and full lock file, not the site's built ones.
        npm = assets.check_installed("pyodide", assets.pinned_pyodide())
        for name in (*assets.PYODIDE_FILES, *assets.PYODIDE_INPUTS):
            (baseline / "pyodide").mkdir(exist_ok=True)
            shutil.copy2(npm / name, baseline / "pyodide" / name)
        page = (baseline / "index.html").read_text("utf-8").replace("@PYODIDE@", "pyodide/")
        (baseline / "index.html").write_text(page.replace("@RUNTIME@", ""), "utf-8")
        # The same bare page booting the site's runtime (its compiled standard library and
        # minimal lock file): how much of the scoring page's time is the runtime's own.
        bare = root / RUNTIME_ONLY
        shutil.copytree(baseline, bare)
        runtime = stdlib.build()
        shutil.copy2(runtime.stdlib, bare / "pyodide" / "site_stdlib.zip")
        named = (
            f' data-stdlib="pyodide/site_stdlib.zip" data-lock="{html.escape(runtime.lock_text())}"'
        )
        (bare / "index.html").write_text(page.replace("@RUNTIME@", named), "utf-8")
        with serving(root, Handler) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            results["chromium"] = browser.version
            url = f"{base}{SUBPATH}/{RUBRIC}/cham-diem/"
            with_sw = has_service_worker(site)
            baselines, marks, bare_runs = [], [], []
            baseline_run(browser, base)  # the first launch warms the disk caches for all
            baseline_run(browser, base, RUNTIME_ONLY)
            form_runs(browser, url, with_sw)
            for _ in range(args.runs):
                baselines.append(baseline_run(browser, base))
                bare_runs.append(baseline_run(browser, base, RUNTIME_ONLY)["done"])
                marks.append(form_runs(browser, url, with_sw))
            baseline_ms = [b["done"] for b in baselines]
            base_median = statistics.median(baseline_ms)
            cold = [m["cold"]["score"] for m in marks]
            warm = [m["warm"]["score"] for m in marks]
            inputs = [m["cold"]["input"] for m in marks]
            restored = [m["cold"]["restored"] for m in marks]
            results["speed"] = {
                "baseline_ms": summary(baseline_ms),
                "input_ms": summary(inputs),
                "input_ratio": statistics.median(inputs) / base_median,
                "input_ratios": ratios(inputs, baseline_ms),
                "restored_ms": summary(restored),
                "restored_ratio": statistics.median(restored) / base_median,
                "runtime_only_ms": summary(bare_runs),
                "runtime_only_ratio": statistics.median(bare_runs) / base_median,
                "runtime_only_ratios": ratios(bare_runs, baseline_ms),
                "cold_ms": summary(cold),
                "cold_ratio": statistics.median(cold) / base_median,
                "cold_ratios": ratios(cold, baseline_ms),
                "warm_ms": summary(warm),
                "warm_ratio": statistics.median(warm) / base_median,
                "warm_ratios": ratios(warm, baseline_ms),
                "warm_vs_cold_ratio": statistics.median(warm) / statistics.median(cold),
                "warm_from": "bộ nhớ đệm của service worker" if with_sw else "bộ nhớ đệm HTTP",
                "warm_snapshots": sum(m["warm"].get("python_from") == "snapshot" for m in marks),
                "marks": marks,
                "baseline_marks": baselines,
            }
            results["breakdown"] = breakdown(baselines, marks)
            latency = recompute(browser, url, args.changes)
            results["recompute"] = {
                "changes": len(latency),
                "p50_ms": percentile(latency, 0.5),
                "p95_ms": percentile(latency, 0.95),
                "max_ms": max(latency),
                "runs": latency,
            }
            results["summary_scale"] = summary_scale.measure(
                browser, base, SUBPATH, work, args.summary_files, args.summary_runs
            )
            results["transfer"] = {
                "trang hướng dẫn": transfer(browser, f"{base}{SUBPATH}/{GUIDE_PAGE}", False),
                "trang chấm điểm": transfer(browser, url, True),
            }
            if args.throttled_runs > 0:
                results["throttled"] = throttled_runs(browser, root, args.throttled_runs)
            browser.close()
            if args.lighthouse_runs > 0:
                results["lighthouse"] = lighthouse.measure(url, args.lighthouse_runs)
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        results["build"] = [build_scaling(size, args.build_runs, work) for size in sizes]
    write(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
