"""The benchmark's report: results.json (every figure and every run), results.md (the table,
Vietnamese, as README shows it between the `bench` markers) and README's copy of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.measure import STEPS, summary

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "benchmarks" / "results.json"
RESULTS_MD = ROOT / "benchmarks" / "results.md"
README = ROOT / "README.md"
MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"


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


def write(results: dict[str, Any]) -> None:
    """Write results.json, results.md and README's table."""
    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    table = markdown(results)
    RESULTS_MD.write_text(table, encoding="utf-8")
    update_readme(table)
    print(table)
