"""The benchmark's report: results.json (every figure and every run), results.md (the table,
Vietnamese, as README shows it between the `bench` markers) and README's copy of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.measure import STEPS, summary

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "benchmarks" / "results.json"
RESULTS_MD = ROOT / "benchmarks" / "results.md"
README = ROOT / "README.md"
MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"

MB = 1024 * 1024
"""A megabyte as the site writes sizes (scoring_py.shapes.megabytes, the pages' "MB")."""
TARGETS = {
    "input": 0.1,  # × the baseline
    "cold": 0.5,  # × the baseline
    "warm": 0.35,  # × the baseline
    "recompute_p95_ms": 10,
    "scoring_page_bytes": 4.5 * MB,
    "lighthouse": 95,
}
"""The targets the report shows beside the figures (no figure makes anything fail)."""


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


def megabytes(value: float) -> str:
    return f"{value / MB:.1f}".replace(".", ",") + " MB"


def times(median: float, pairs: dict[str, Any] | None, of: str = "mốc") -> str:
    """A ratio of medians, and the spread of the ratios pair by pair when there are pairs."""
    text = f"{ratio(median)} × {of}"
    if pairs:
        text += f"; từng cặp {spread(pairs, ratio)}"
    return text


def target(key: str, of: str = "mốc") -> str:
    return f"≤ {ratio(TARGETS[key]).rstrip('0').rstrip(',')} × {of}"


def markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown table README shows."""
    speed = results["speed"]
    runs = results["runs"]
    warm_from = speed["warm_from"]
    if "warm_snapshots" in speed:
        warm_from += f"; Python khôi phục từ bản chụp {speed['warm_snapshots']}/{runs} lần"
    base_median = speed["baseline_ms"]["median"]
    if "warm_vs_cold_ratio" in speed:
        warm_ratio, warm_vs_cold = speed["warm_ratio"], speed["warm_vs_cold_ratio"]
    else:  # results of an earlier version gave the warm visit against the cold one
        warm_ratio, warm_vs_cold = speed["warm_ms"]["median"] / base_median, speed["warm_ratio"]
    lines = [
        f"Đo ngày {results['date']} trên {results['machine']}, Chromium {results['chromium']},"
        f" Pyodide {results['pyodide']}; trung vị của {runs} lần (nhỏ nhất – lớn nhất). Tỷ lệ:"
        " tỷ lệ hai trung vị; “từng cặp”: tỷ lệ của mỗi lần đo với lần đo mốc đi cùng, trung vị"
        " (nhỏ nhất – lớn nhất).",
        "",
        "| Chỉ số | Kết quả | Tỷ lệ | Mục tiêu |",
        "|---|---|---|---|",
        f"| Mốc so sánh: trang chỉ tải Pyodide và chạy một dòng Python"
        f" | {spread(speed['baseline_ms'])} | 1 | |",
        f"| Phiếu nhận nhập liệu (ô nhập đầu tiên có trên trang) | {spread(speed['input_ms'])}"
        f" | {times(speed['input_ratio'], speed.get('input_ratios'))} | {target('input')} |",
        f"| Phiếu đã khôi phục bản lưu | {spread(speed['restored_ms'])}"
        f" | {ratio(speed['restored_ratio'])} × mốc | |",
        *(
            [
                f"| Cùng trang mốc, khởi động thư viện chuẩn và tệp khóa của trang (không có"
                f" trang chấm điểm) | {spread(speed['runtime_only_ms'])}"
                f" | {times(speed['runtime_only_ratio'], speed['runtime_only_ratios'])} | |"
            ]
            if "runtime_only_ms" in speed
            else []
        ),
        f"| Điểm đầu tiên, lần đầu (trình duyệt trống) | {spread(speed['cold_ms'])}"
        f" | {times(speed['cold_ratio'], speed.get('cold_ratios'))} | {target('cold')} |",
        f"| Điểm đầu tiên, lần sau ({warm_from}) | {spread(speed['warm_ms'])}"
        f" | {times(warm_ratio, speed.get('warm_ratios'))} ({ratio(warm_vs_cold)} × lần đầu)"
        f" | {target('warm')} |",
    ]
    latency = results["recompute"]
    lines.append(
        f"| Từ lúc sửa một điểm đến khi tổng điểm đổi ({latency['changes']} lần sửa)"
        f" | p50 {ms(latency['p50_ms'])}, p95 {ms(latency['p95_ms'])} |"
        f" | p95 ≤ {TARGETS['recompute_p95_ms']} ms |"
    )
    for name, figure in results["transfer"].items():
        kinds = ", ".join(f"{k} {kib(v)}" for k, v in figure["by_kind"].items())
        total, goal = kib(figure["bytes"]), ""
        if name == "trang chấm điểm":
            total += f" = {megabytes(figure['bytes'])}"
            goal = (
                f"≤ {megabytes(TARGETS['scoring_page_bytes'])}"
                f" ({kib(TARGETS['scoring_page_bytes'])})"
            )
        lines.append(
            f"| Dữ liệu tải về (đã nén): {name} | {total}"
            f" ({kinds}; Pyodide {kib(figure['pyodide_bytes'])}) | | {goal} |"
        )
    if "lighthouse" in results:
        lines.append(lighthouse_row(results["lighthouse"]))
    if "throttled" in results:
        lines += ["", *throttled_rows(results["throttled"])]
    if results.get("lighthouse", {}).get("runs") and "error" not in results["lighthouse"]:
        lines += ["", *lighthouse_rows(results["lighthouse"])]
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


def throttled_rows(slow: dict[str, Any]) -> list[str]:
    """The first visit through the slow link, against the baseline through the same link."""
    link = f"{slow['mbit_s']:g} Mbit/s".replace(".", ",")
    lines = [
        f"| Mạng chậm giả lập ở máy chủ: {link} chung cho mọi yêu cầu (cả của worker và service"
        f" worker), mỗi yêu cầu thêm {slow['rtt_ms']:g} ms; {len(slow['marks'])} cặp lần đo"
        " | Kết quả | Tỷ lệ | Mục tiêu |",
        "|---|---|---|---|",
    ]
    input_ratio = slow["input_ms"]["median"] / slow["baseline_ms"]["median"]
    check = slow.get("worker_fetch")
    if check:
        speed = f"{check['mbit_s']:.1f}".replace(".", ",")
        lines.append(
            f"| Kiểm tra: một Web Worker tải riêng {check['file']} ({kib(check['bytes'])})"
            f" | {speed} Mbit/s ({ms(check['ms'])}) | | ≈ {link} |"
        )
    lines += [
        f"| Mốc so sánh: trang chỉ tải Pyodide và chạy một dòng Python"
        f" | {spread(slow['baseline_ms'])} | 1 | |",
        f"| Phiếu nhận nhập liệu | {spread(slow['input_ms'])}"
        f" | {times(input_ratio, slow['input_ratios'])} | {target('input')} |",
        f"| Điểm đầu tiên, lần đầu (trình duyệt trống; service worker lưu sẵn cùng lúc)"
        f" | {spread(slow['cold_ms'])} | {times(slow['cold_ratio'], slow['cold_ratios'])}"
        f" | {target('cold')} |",
    ]
    return lines


def lighthouse_row(figures: dict[str, Any]) -> str:
    """The performance score, or why Lighthouse did not run."""
    title = "| Lighthouse, điểm hiệu năng trên di động (trang chấm điểm)"
    goal = f"≥ {TARGETS['lighthouse']}"
    if "error" in figures:
        return f"{title} | không chạy được: {figures['error']} | | {goal} |"
    score = figures["score"]
    return (
        f"{title}, {len(figures['runs'])} lần | {score['median']:g}"
        f" ({score['min']:g} – {score['max']:g}) | | {goal} |"
    )


def lighthouse_rows(figures: dict[str, Any]) -> list[str]:
    """Lighthouse's main metrics (medians), and what blocks or holds the first run's page."""
    settings = figures["settings"]
    network = settings.get("throttling") or {}
    how = (
        f"{settings.get('formFactor')}, {settings.get('throttlingMethod')}:"
        f" RTT {network.get('rttMs', 0):g} ms,"
        f" {network.get('throughputKbps', 0) / 1024:.1f} Mbit/s,"
        f" CPU chậm {network.get('cpuSlowdownMultiplier', 0):g} lần"
    ).replace(".", ",")
    lines = [
        f"| Lighthouse {figures['version']} ({how}; trung vị {len(figures['runs'])} lần)"
        " | Kết quả |",
        "|---|---|",
        f"| First Contentful Paint | {ms(figures['fcp_ms'])} |",
        f"| Largest Contentful Paint | {ms(figures['lcp_ms'])} |",
        f"| Total Blocking Time | {ms(figures['tbt_ms'])} |",
        f"| Cumulative Layout Shift | {figures['cls']:.3f} |".replace(".", ","),
        f"| Speed Index | {ms(figures['speed_index_ms'])} |",
    ]
    first = figures["runs"][0]
    if first["render_blocking"]:
        blocking = ", ".join(
            f"`{urlsplit(item['url']).path}` (~{ms(item['wasted_ms'] or 0)})"
            for item in first["render_blocking"][:3]
        )
        lines.append(f"| Tài nguyên chặn hiển thị (lần đo đầu) | {blocking} |")
    if first["long_tasks"]:
        tasks = ", ".join(
            f"{ms(task['ms'])} `{urlsplit(task['url'] or '').path or task['url']}`"
            for task in first["long_tasks"][:3]
        )
        lines.append(f"| Tác vụ dài nhất trên luồng chính (lần đo đầu) | {tasks} |")
    return lines


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


def write(results: dict[str, Any]) -> None:
    """Write results.json, results.md and README's table."""
    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    table = markdown(results)
    RESULTS_MD.write_text(table, encoding="utf-8")
    update_readme(table)
    print(table)
