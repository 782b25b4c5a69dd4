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
- the site is built for the bundled rubrics and for 10, 100 and 1000 rubrics (copies of the
  bundled ones), timing the generator's hooks, and a plain `mkdocs build` of the same pages.

Results: benchmarks/results.json (every figure and every run) and benchmarks/results.md (the
table shown in README.md between the `bench` markers). These are measurements, not tests: no
figure makes anything fail.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import yaml
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import summary_scale  # noqa: E402
from e2e.conftest import CHROMIUM_ARGS, SUBPATH, chromium_path, serving  # noqa: E402
from generator import assets  # noqa: E402
from generator.pages import build_site  # noqa: E402

HERE = ROOT / "benchmarks"
RESULTS_JSON = HERE / "results.json"
RESULTS_MD = HERE / "results.md"
README = ROOT / "README.md"
MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"
RUBRIC = "hung-yen-2020"
GUIDE_PAGE = f"{RUBRIC}/tieu-chi-1/"
TIMEOUT_MS = 120_000

COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".txt", ".svg", ".xml", ".wasm", ".map"}
"""Types sent gzip-compressed (GitHub Pages compresses text, JSON and wasm; zip files not)."""

# Recorded in every page from its first byte: when the form's first input exists (the form
# accepts input), when Python is ready, and when the first score reaches the self total; and,
# from the scoring worker's "ready" message, when each of its loading steps ended (converted
# to ms since this page's navigation, like the other marks).
WATCH = """
(() => {
  const marks = (window.__bench = {});
  const mark = (name) => { if (!(name in marks)) marks[name] = performance.now(); };
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const timings = event.data && event.data.type === "ready" && event.data.timings;
        if (!timings) return;
        marks.worker = Object.fromEntries(
          Object.entries(timings).map(([step, at]) => [step, at - performance.timeOrigin]),
        );
        marks.python_from = event.data.restored ? "snapshot" : "fresh";
      });
    }
  };
  new MutationObserver((mutations) => {
    const root = document.documentElement;
    if (!marks.input && document.querySelector("#cham-diem input")) mark("input");
    if (root.dataset.saving === "ready" || root.dataset.saving === "off") mark("restored");
    if (root.dataset.scoring === "ready") mark("ready");
    if (!marks.ready || marks.score) return;
    const total = document.querySelector('[data-total="self"]');
    if (total && mutations.some((m) => total.contains(m.target))) mark("score");
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
"""


# --------------------------------------------------------------------------------------------
# Figures


def summary(values: list[float]) -> dict[str, Any]:
    """Median, min and max of a series, with every run."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


# --------------------------------------------------------------------------------------------
# Serving


class _Handler(SimpleHTTPRequestHandler):
    """Static files with gzip and GitHub Pages' cache header."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
    }
    cache: ClassVar[dict[Path, bytes]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        body = path.read_bytes()
        gzipped = path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            with self.lock:
                if path not in self.cache:
                    self.cache[path] = gzip.compress(body, compresslevel=6, mtime=0)
                body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        return io.BytesIO(body)


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
# Browser


def new_context(browser: Browser, service_workers: bool = True) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="vi-VN",
        service_workers="allow" if service_workers else "block",
    )
    context.add_init_script(WATCH)
    return context


def baseline_run(browser: Browser, base: str) -> dict[str, Any]:
    """Milliseconds from navigation to the baseline's one line of Python ("done"), and when
    its worker started and had loaded Python ("worker")."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{base}baseline/")
        page.wait_for_function("() => document.documentElement.dataset.done", timeout=TIMEOUT_MS)
        assert page.locator("#result").text_content() == "2"
        marks: dict[str, Any] = page.evaluate(
            "({done: Number(document.documentElement.dataset.done),"
            " worker: JSON.parse(document.documentElement.dataset.worker)})"
        )
        return marks
    finally:
        context.close()


def form_marks(page: Page, url: str) -> dict[str, float]:
    """Open the scoring page; return its marks (ms since navigation) once it has scored."""
    page.goto(url)
    page.wait_for_function("() => window.__bench && window.__bench.score", timeout=TIMEOUT_MS)
    marks: dict[str, float] = page.evaluate("window.__bench")
    return marks


def has_service_worker(site: Path) -> bool:
    return (site / "sw.js").is_file()


def wait_offline_ready(page: Page) -> None:
    """Wait until a service worker controls the page and has finished installing."""
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null"
        " && navigator.serviceWorker.controller.state === 'activated'",
        timeout=TIMEOUT_MS,
    )


def form_runs(browser: Browser, url: str, with_sw: bool) -> dict[str, dict[str, float]]:
    """A cold visit in a fresh context, then a warm one in the same context."""
    context = new_context(browser)
    try:
        page = context.new_page()
        cold = form_marks(page, url)
        if with_sw:
            page.reload()  # a page opened before the worker's activation is not controlled
            wait_offline_ready(page)
        page.close()
        page = context.new_page()
        warm = form_marks(page, url)
        return {"cold": cold, "warm": warm}
    finally:
        context.close()


RECOMPUTE = """
async (count) => {
  const total = document.querySelector('[data-total="self"]');
  const input = document.querySelector('#cham-diem input[name="self:1.1"]');
  const times = [];
  for (let i = 0; i < count; i++) {
    const before = total.textContent;
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (total.textContent !== before) { observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(total, { subtree: true, childList: true, characterData: true });
    });
    const start = performance.now();
    input.value = i % 2 ? "1" : "2";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    times.push((await changed) - start);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return times;
}
"""


def recompute(browser: Browser, url: str, count: int) -> list[float]:
    """Milliseconds from a score change to the updated total, `count` times."""
    context = new_context(browser, service_workers=False)
    try:
        page = context.new_page()
        form_marks(page, url)
        times: list[float] = page.evaluate(RECOMPUTE, count)
        return times
    finally:
        context.close()


STEPS = (
    ("start", "Từ lúc mở trang đến khi worker chạy"),
    ("python", "Tải và khởi động Python (Pyodide), hoặc khôi phục bản chụp"),
    ("imported", "Nạp scoring_py"),
    ("snapshot", "Chụp bộ nhớ Python để lần sau khởi động nhanh"),
    ("rubric", "Đọc và kiểm tra thang điểm"),
    ("score", "Từ lúc sẵn sàng đến khi điểm đầu tiên hiện trên phiếu"),
    ("done", "Chạy một dòng Python và báo cho trang"),
)
"""The steps of a visit, in order, as the breakdown shows them."""


def steps(worker: dict[str, float], end: str, at: float) -> dict[str, float]:
    """Milliseconds each step took, from the worker's marks (ms since navigation) and the
    page's last mark `end` at `at`."""
    ends = {**worker, end: at}
    taken: dict[str, float] = {}
    previous = 0.0
    for step, _ in STEPS:
        if step in ends:
            taken[step] = ends[step] - previous
            previous = ends[step]
    return taken


def breakdown(baselines: list[dict[str, Any]], marks: list[dict[str, Any]]) -> dict[str, Any]:
    """Median time of each step, for the baseline and the cold and warm visits."""
    runs = {
        "baseline": [steps(b["worker"], "done", b["done"]) for b in baselines],
        "cold": [steps(m["cold"]["worker"], "score", m["cold"]["score"]) for m in marks],
        "warm": [steps(m["warm"]["worker"], "score", m["warm"]["score"]) for m in marks],
    }
    return {
        visit: {
            step: summary([run[step] for run in taken])
            for step, _ in STEPS
            if taken and all(step in run for run in taken)
        }
        for visit, taken in runs.items()
    }


def kind_of(resource_type: str, url: str) -> str:
    path = url.split("?")[0]
    if path.endswith(".wasm"):
        return "wasm"
    if path.endswith((".zip", ".whl")):
        return "python"
    if path.endswith((".json", ".webmanifest")):
        return "json"
    return {"document": "html", "stylesheet": "css", "script": "js", "image": "image"}.get(
        resource_type, "js" if path.endswith((".js", ".mjs")) else "other"
    )


def transfer(browser: Browser, url: str, wait_score: bool) -> dict[str, Any]:
    """Compressed bytes a cold visit transfers (bodies as sent, plus headers), by kind; and
    whether any came from Pyodide's folder. The page's own requests (its workers included),
    not the service worker's background precaching (counted separately)."""
    context = new_context(browser)
    requests: list[Any] = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: requests.append(request))
        if wait_score:
            form_marks(page, url)
        else:
            page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)
        by_kind: dict[str, int] = {}
        pyodide = 0
        for request in requests:
            if request.url.startswith("data:"):
                continue
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            kind = kind_of(request.resource_type, request.url)
            by_kind[kind] = by_kind.get(kind, 0) + size
            if "/assets/pyodide/" in request.url:
                pyodide += size
        return {
            "requests": len(requests),
            "bytes": sum(by_kind.values()),
            "by_kind": dict(sorted(by_kind.items())),
            "pyodide_bytes": pyodide,
        }
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Report


def ms(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") + " ms"


def ratio(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def kib(value: float) -> str:
    return f"{value / 1024:,.0f}".replace(",", ".") + " KiB"


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


def spread(figure: dict[str, Any], unit: Any = ms) -> str:
    return f"{unit(figure['median'])} ({unit(figure['min'])} – {unit(figure['max'])})"


def markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown table README shows."""
    speed = results["speed"]
    runs = results["runs"]
    warm_from = speed["warm_from"]
    if "warm_snapshots" in speed:
        warm_from += f"; Python khôi phục từ bản chụp {speed['warm_snapshots']}/{runs} lần"
    lines = [
        f"Đo ngày {results['date']} trên {results['machine']}, Chromium {results['chromium']},"
        f" Pyodide {results['pyodide']}; trung vị của {runs} lần (nhỏ nhất – lớn nhất).",
        "",
        "| Chỉ số | Kết quả | Tỷ lệ | Mục tiêu |",
        "|---|---|---|---|",
        f"| Mốc so sánh: trang chỉ tải Pyodide và chạy một dòng Python"
        f" | {spread(speed['baseline_ms'])} | 1 | |",
        f"| Phiếu nhận nhập liệu (ô nhập đầu tiên có trên trang) | {spread(speed['input_ms'])}"
        f" | {ratio(speed['input_ratio'])} × mốc | ≤ 0,1 × mốc |",
        f"| Phiếu đã khôi phục bản lưu | {spread(speed['restored_ms'])}"
        f" | {ratio(speed['restored_ratio'])} × mốc | |",
        f"| Điểm đầu tiên, lần đầu (trình duyệt trống) | {spread(speed['cold_ms'])}"
        f" | {ratio(speed['cold_ratio'])} × mốc | ≤ 1,1 × mốc |",
        f"| Điểm đầu tiên, lần sau ({warm_from}) | {spread(speed['warm_ms'])}"
        f" | {ratio(speed['warm_ratio'])} × lần đầu | ≤ 0,8 × lần đầu |",
    ]
    latency = results["recompute"]
    lines.append(
        f"| Từ lúc sửa một điểm đến khi tổng điểm đổi ({latency['changes']} lần sửa)"
        f" | p50 {ms(latency['p50_ms'])}, p95 {ms(latency['p95_ms'])} | | p95 ≤ 16 ms |"
    )
    for name, figure in results["transfer"].items():
        kinds = ", ".join(f"{k} {kib(v)}" for k, v in figure["by_kind"].items())
        lines.append(
            f"| Dữ liệu tải về (đã nén): {name} | {kib(figure['bytes'])} ({kinds})"
            f" | | Pyodide: {kib(figure['pyodide_bytes'])} |"
        )
    if "breakdown" in results:
        lines += ["", *breakdown_table(results["breakdown"])]
    if "summary_scale" in results:
        lines += ["", *summary_rows(results["summary_scale"])]
    lines += [
        "",
        "| Số thang điểm | Số trang | Số lần đo | Dựng trang | Phần của bộ sinh trang"
        " | `mkdocs build` chỉ các trang đó | Bộ nhớ cao nhất |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results["build"]:
        lines.append(
            f"| {row['rubrics']} | {row['pages']} | {len(row['build_s']['runs'])}"
            f" | {spread(row['build_s'], seconds)}"
            f" | {spread(row['generator_s'], seconds)} | {spread(row['plain_mkdocs_s'], seconds)}"
            f" | {row['peak_mib']['median']:.0f} MiB |"
        )
    return "\n".join(lines) + "\n"


def summary_rows(scale: dict[str, Any]) -> list[str]:
    """The summary page at scale: its time beside the command's, and its longest task."""
    pairs = scale["runs"]
    page = summary([p["page_s"] for p in pairs])
    cli = summary([p["cli_s"] for p in pairs])
    ratios = summary([p["ratio"] for p in pairs])
    longest = summary([p["longest_task_ms"] for p in pairs])
    ours = summary([p.get("longest_script_ms", 0.0) for p in pairs])
    files = f"{scale['files']:,}".replace(",", ".")
    return [
        f"| Tổng hợp {files} tệp ({len(pairs)} cặp lần đo) | Kết quả | Tỷ lệ | Mục tiêu |",
        "|---|---|---|---|",
        f"| Trang tổng hợp, từ lúc chọn tệp đến khi có bảng | {spread(page, seconds)}"
        f" | {ratio(ratios['median'])} × lệnh ({ratio(ratios['min'])} – {ratio(ratios['max'])})"
        " | ≤ 2 × lệnh |",
        f"| Lệnh `thangdiem aggregate --csv` cho cùng các tệp | {spread(cli, seconds)} | 1 | |",
        f"| Lần chạy dài nhất của mã trang (Long Animation Frames) | {spread(ours)} | | ≤ 200 ms |",
        f"| Tác vụ dài nhất trên luồng chính, kể cả trình duyệt nhận {files} tệp"
        f" | {spread(longest)} | | |",
    ]


def breakdown_table(steps_taken: dict[str, Any]) -> list[str]:
    """Where the time goes: the median of each step, for the baseline and both visits."""
    visits = ("baseline", "cold", "warm")
    lines = [
        "| Bước (trung vị, ms) | Mốc so sánh | Lần đầu | Lần sau |",
        "|---|---|---|---|",
    ]
    totals = dict.fromkeys(visits, 0.0)
    for step, title in STEPS:
        cells = []
        for visit in visits:
            figure = steps_taken[visit].get(step)
            cells.append(ms(figure["median"]) if figure else "")
            totals[visit] += figure["median"] if figure else 0.0
        if any(cells):
            lines.append(f"| {title} | {' | '.join(cells)} |")
    lines.append(f"| Cộng các trung vị | {' | '.join(ms(totals[v]) for v in visits)} |")
    return lines


def update_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        return
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    README.write_text(f"{head}{MARK_START}\n{table}{MARK_END}{tail}", encoding="utf-8")


# --------------------------------------------------------------------------------------------


def write(results: dict[str, Any]) -> None:
    """Write results.json, results.md and README's table."""
    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    table = markdown(results)
    RESULTS_MD.write_text(table, encoding="utf-8")
    update_readme(table)
    print(table)


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
        with serving(root, _Handler) as base, sync_playwright() as driver:
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
        index = baseline / "index.html"
        pyodide_dir = f"../{SUBPATH}/{assets.describe().pyodide_dir}"
        index.write_text(index.read_text("utf-8").replace("@PYODIDE@", pyodide_dir), "utf-8")
        with serving(root, _Handler) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            results["chromium"] = browser.version
            url = f"{base}{SUBPATH}/{RUBRIC}/cham-diem/"
            with_sw = has_service_worker(site)
            baselines, marks = [], []
            baseline_run(browser, base)  # the first launch warms the disk caches for both
            form_runs(browser, url, with_sw)
            for _ in range(args.runs):
                baselines.append(baseline_run(browser, base))
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
                "restored_ms": summary(restored),
                "restored_ratio": statistics.median(restored) / base_median,
                "cold_ms": summary(cold),
                "cold_ratio": statistics.median(cold) / base_median,
                "warm_ms": summary(warm),
                "warm_ratio": statistics.median(warm) / statistics.median(cold),
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
            browser.close()
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        results["build"] = [build_scaling(size, args.build_runs, work) for size in sizes]
    write(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
