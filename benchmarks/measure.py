"""What `make bench` measures in Chromium (benchmarks/bench.py runs it): the baseline page and
the scoring page, cold and warm, step by step; the time from a change of score to the new total;
the bytes each page transfers; and the small local server that sends the site as GitHub Pages
does (gzip, a 10-minute cache header), at full speed or through a slow link (Throttle).

The scoring page's marks are its own: the page records the performance marks
"thangdiem:worker:<step>" when its worker has loaded, and the benchmark only watches the page
(a MutationObserver for the form's states) and reads its performance timeline afterwards.
"""

from __future__ import annotations

import gzip
import io
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

from playwright.sync_api import Browser, BrowserContext, Page

TIMEOUT_MS = 120_000

COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".txt", ".svg", ".xml", ".wasm", ".map"}
"""Types sent gzip-compressed (GitHub Pages compresses text, JSON and wasm; zip files not)."""

# Recorded in every page from its first byte: when the form's first input exists (the form
# accepts input), when the saved assessment is back, when Python is ready, and when the first
# score reaches the self total (ms since this page's navigation). When each of the scoring
# worker's loading steps ended is read afterwards from the page's own performance marks
# (WORKER_MARKS).
WATCH = """
(() => {
  const marks = (window.__bench = {});
  const mark = (name) => { if (!(name in marks)) marks[name] = performance.now(); };
  new MutationObserver((mutations) => {
    const root = document.documentElement;
    if (!marks.input && document.querySelector("#cham-diem input")) mark("input");
    if (root.dataset.saving === "ready" || root.dataset.saving === "off") mark("restored");
    if (root.dataset.scoring === "ready") mark("ready");
    if (!marks.ready || marks.score) return;
    // The first result on the form: the total changes, or (nothing entered, the total
    // staying "—") each item gets the status scoring_py gave it.
    const total = document.querySelector('[data-total="self"]');
    const scored = (m) =>
      (total && total.contains(m.target)) ||
      (m.type === "attributes" && m.attributeName === "data-status" &&
        m.target.matches("[data-item]"));
    if (mutations.some(scored)) mark("score");
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


class Throttle:
    """A slow link in the server itself, shared by every connection: each response waits one
    round trip before its first byte (as over an open HTTP/2 connection: no handshakes), and
    all bytes sent (headers and bodies, every connection together) go out one after the other
    at `mbit_s`, first come first served, in chunks of CHUNK bytes (the only burst).

    The throttle is in the server, not in the browser, because Chrome's network emulation
    (Network.emulateNetworkConditions on the page's DevTools session) slows the page and its
    module Web Worker but not the service worker: its precaching would then take bandwidth a
    real link does not have. Here every request of every worker pays the same."""

    CHUNK = 16 * 1024

    def __init__(self, mbit_s: float, rtt_ms: float) -> None:
        self.mbit_s = mbit_s
        self.rtt_ms = rtt_ms
        self.rate = mbit_s * 1e6 / 8  # bytes per second
        self._lock = threading.Lock()
        self._free_at = 0.0  # when the link has sent everything queued so far

    def round_trip(self) -> None:
        time.sleep(self.rtt_ms / 1000)

    def send(self, size: int) -> None:
        """Wait for the link's turn to send `size` more bytes (a token bucket one chunk deep:
        the link is busy for size / rate from then on)."""
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + size / self.rate
        time.sleep(max(0.0, start - time.monotonic()))


class Handler(SimpleHTTPRequestHandler):
    """Static files with gzip and GitHub Pages' cache header; through `throttle` if set
    (throttled() makes such a handler)."""

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
    throttle: ClassVar[Throttle | None] = None

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def flush_headers(self) -> None:
        if self.throttle is not None:
            self.throttle.send(sum(len(line) for line in getattr(self, "_headers_buffer", [])))
        super().flush_headers()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        if self.throttle is None:
            super().copyfile(source, outputfile)
            return
        while chunk := source.read(Throttle.CHUNK):
            self.throttle.send(len(chunk))
            outputfile.write(chunk)

    def send_head(self) -> Any:
        if self.throttle is not None:
            self.throttle.round_trip()  # the request's way there and the first byte's back
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


def throttled(mbit_s: float, rtt_ms: float) -> type[Handler]:
    """A Handler whose every response goes through one new Throttle."""
    return type("ThrottledHandler", (Handler,), {"throttle": Throttle(mbit_s, rtt_ms)})


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


def baseline_run(browser: Browser, base: str, folder: str = "baseline") -> dict[str, Any]:
    """Milliseconds from navigation to the baseline's one line of Python ("done"), and when
    its worker started and had loaded Python ("worker"); `folder`: the bare page served there
    (the baseline, or the same page with the site's runtime)."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{base}{folder}/")
        page.wait_for_function("() => document.documentElement.dataset.done", timeout=TIMEOUT_MS)
        assert page.locator("#result").text_content() == "2"
        marks: dict[str, Any] = page.evaluate(
            "({done: Number(document.documentElement.dataset.done),"
            " worker: JSON.parse(document.documentElement.dataset.worker)})"
        )
        return marks
    finally:
        context.close()


WORKER_MARKS = """() => {
  const prefix = "thangdiem:worker:";
  const worker = performance.getEntriesByType("mark")
    .filter((mark) => mark.name.startsWith(prefix))
    .map((mark) => [mark.name.slice(prefix.length), mark.startTime]);
  return {
    ...window.__bench,
    worker: Object.fromEntries(worker),
    python_from: document.documentElement.dataset.python,
  };
}"""
"""The page's marks with the scoring worker's steps (its performance marks
"thangdiem:worker:<step>", ms since the page's navigation) and how Python started (<html
data-python>: "snapshot" or "fresh")."""


def form_marks(page: Page, url: str) -> dict[str, Any]:
    """Open the scoring page; return its marks (ms since navigation) once it has scored."""
    page.goto(url)
    # Both: with the worker started first, Python may now score before the saved
    # assessment is back.
    page.wait_for_function(
        "() => window.__bench && window.__bench.score && window.__bench.restored",
        timeout=TIMEOUT_MS,
    )
    marks: dict[str, Any] = page.evaluate(WORKER_MARKS)
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


def cold_run(browser: Browser, url: str) -> dict[str, Any]:
    """The scoring page's marks on a first visit (a fresh context), its service worker
    precaching in the background as it does for a user."""
    context = new_context(browser)
    try:
        return form_marks(context.new_page(), url)
    finally:
        context.close()


WORKER_FETCH = """
async (url) => {
  const source = `self.onmessage = async (event) => {
    const start = performance.now();
    const response = await fetch(event.data, { cache: "no-store" });
    const bytes = (await response.arrayBuffer()).byteLength;
    self.postMessage({ bytes, ms: performance.now() - start });
  };`;
  const blob = new Blob([source], { type: "text/javascript" });
  const worker = new Worker(URL.createObjectURL(blob), { type: "module" });
  return await new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(url);
  });
}
"""


def worker_fetch(browser: Browser, base: str, path: str) -> dict[str, float]:
    """The throughput a module Web Worker gets fetching one file (sent uncompressed, so the
    bytes read are the bytes sent) alone: bytes, milliseconds and Mbit/s."""
    context = new_context(browser, service_workers=False)
    try:
        page = context.new_page()
        page.goto(f"{base}__throughput__")  # any page of the origin (a 404)
        figure: dict[str, float] = page.evaluate(WORKER_FETCH, f"{base}{path}")
        figure["mbit_s"] = figure["bytes"] * 8 / 1000 / figure["ms"]
        return figure
    finally:
        context.close()


def form_runs(browser: Browser, url: str, with_sw: bool) -> dict[str, dict[str, Any]]:
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
    ("rubric", "Đọc và kiểm tra thang điểm"),
    ("snapshot", "Chụp bộ nhớ Python để lần sau khởi động nhanh"),
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
