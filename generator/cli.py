"""The `thangdiem` command: thin wrappers over the loader, scoring_py and the generator."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from scoring_py import codec, document, engine, package, points, shapes, summary, tables, workbook
from scoring_py.model import Rubric
from scoring_py.problems import DocumentError, file_name, quoted, shown
from scoring_py.rubric import canonical_json
from scoring_py.shapes import MAX_FILE_BYTES, MAX_PACKAGE_BYTES

from .loader import RubricFileError, load_file, rubric_files
from .schema import rubric_schema
from .textout import result_table

RUBRICS_DIR = Path("rubrics")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CommandError(Exception):
    """A failure to report on stderr with exit code 1."""


def resolve_rubric(name: str) -> Path:
    """Accept a rubric file path or a rubric id (looked up in rubrics/)."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return RUBRICS_DIR / f"{name}.yaml"


def load_rubric(name: str) -> Rubric:
    """Load a rubric named on the command line, or raise CommandError with its problems."""
    try:
        return load_file(resolve_rubric(name))
    except RubricFileError as exc:
        raise CommandError(str(exc)) from None


def read_document(rubric: Rubric, name: str) -> dict[str, Any]:
    """Read and check an assessment file; raise DocumentError with a clear message."""
    return document.validate(rubric, read_json(name))


def read_json(name: str) -> Any:
    """Read an assessment file's JSON (or a package's: a .zip with the document and its
    attached files, each checked, see scoring_py.package), at most MAX_FILE_BYTES (a package
    MAX_PACKAGE_BYTES); raise DocumentError."""
    try:
        with Path(name).open("rb") as handle:
            start = handle.read(len(package.ZIP_MAGIC))
            limit = MAX_PACKAGE_BYTES if package.is_package(start) else MAX_FILE_BYTES
            too_large = DocumentError(
                shapes.too_large()
                if limit == MAX_FILE_BYTES
                else f"Gói hồ sơ lớn quá {shapes.megabytes(limit)}.",
                "too_large",
            )
            # The size a file says it has is checked first (a huge file is refused unread),
            # but what counts is what is read: /dev/zero, a pipe or a file that grows say
            # nothing true, so at most one byte more than the limit is ever read.
            if os.fstat(handle.fileno()).st_size > limit:
                raise too_large
            raw = start + handle.read(limit + 1 - len(start))
        if len(raw) > limit:
            raise too_large
        if package.is_package(raw):
            unpacked = package.read(raw)
            data = document.parse_document_text(unpacked.document)
            package.check_files(data, unpacked)
            return data
        # As browsers read a file: UTF-16 when it starts with that byte order mark, else UTF-8
        # (without its byte order mark, which some Windows editors write).
        text = raw.decode("utf-16" if raw.startswith(UTF16_BOMS) else "utf-8-sig")
    except OSError as exc:
        raise DocumentError(f"Không đọc được tệp: {exc.strerror}.", "unreadable") from None
    except UnicodeDecodeError:
        raise DocumentError("Tệp phải được mã hóa UTF-8.", "not_json") from None
    except ValueError:
        # A name the system cannot take (a NUL character in it).
        raise DocumentError("Không đọc được tệp: tên tệp không hợp lệ.", "unreadable") from None
    return document.parse_document_text(text)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """Check rubric files; print every problem."""
    paths = [resolve_rubric(n) for n in args.rubrics] or rubric_files(RUBRICS_DIR)
    if not paths:
        raise CommandError(f"Không có tệp thang điểm nào trong {RUBRICS_DIR}/.")
    failed = 0
    messages: list[str] = []
    for path in paths:
        try:
            rubric = load_file(path)
        except RubricFileError as exc:
            failed += 1
            messages.extend(str(p) for p in exc.problems)
        else:
            items = sum(len(c.items) for c in rubric.criteria)
            out.write(
                f"{shown(file_name(str(path)))}: hợp lệ — {len(rubric.criteria)} tiêu chí,"
                f" {items} mục,"
                f" {points.fmt(rubric.total)} điểm\n"
            )
    if failed:
        raise CommandError("\n".join([*messages, f"{failed}/{len(paths)} tệp có lỗi."]))
    return 0


def cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    """Score an assessment file."""
    rubric = load_rubric(args.rubric)
    result = engine.score_document(rubric, read_document(rubric, args.assessment))
    for problem in result["problems"]:
        if problem["code"] == "rubric_changed":
            sys.stderr.write(f"Cảnh báo: {problem['message']}\n")
    out.write(result_table(rubric, result) if args.text else codec.dumps(result, indent=2) + "\n")
    return 0


def cmd_template(args: argparse.Namespace, out: TextIO) -> int:
    """Print an empty assessment document."""
    rubric = load_rubric(args.rubric)
    if args.type is not None and args.type not in {t.id for t in rubric.unit_types}:
        known = ", ".join(t.id for t in rubric.unit_types) or "(không có)"
        raise CommandError(f"Loại đơn vị {quoted(args.type)} không có; các loại: {known}.")
    doc = document.template(rubric, name=args.name, unit_type=args.type)
    out.write(codec.dumps(doc, indent=2, sort_keys=False) + "\n")
    return 0


def cmd_aggregate(args: argparse.Namespace, out: TextIO) -> int:
    """Summarise many assessment files, read one at a time."""
    rubric = load_rubric(args.rubric)
    batch = summary.Batch(rubric)
    for name in args.files:
        label = file_name(name)
        try:
            data = read_json(name)
        except DocumentError as exc:
            batch.refuse(label, exc)
            continue
        except Exception as exc:  # one file must never stop the summary
            reason = f"Không đọc được tệp do một lỗi không lường trước ({type(exc).__name__})."
            batch.refuse(label, DocumentError(reason, "unexpected"))
            continue
        batch.add(label, data)
    result = batch.summary(args.prefer)
    for unit in (*result["units"], *result["review"]):
        for warning in unit["warnings"]:
            sys.stderr.write(f"Cảnh báo: {shown(unit['file'])}: {warning}\n")
    if args.xlsx is not None:
        write_workbook(result, args.xlsx)
    else:
        out.write(tables.to_csv(result) if args.csv else codec.dumps(result, indent=2) + "\n")
    return 0


XLSX_HINT = "cài thêm gói XlsxWriter: pip install 'thangdiem[xlsx]'"


def write_workbook(result: dict[str, Any], target: str) -> None:
    """Write a summary's workbook (scoring_py.workbook) to a file; say where on stderr."""
    try:
        data = workbook.workbook(result)
    except ModuleNotFoundError as exc:
        if exc.name != "xlsxwriter":
            raise
        raise CommandError(f"Cần thư viện XlsxWriter để ghi bảng Excel: {XLSX_HINT}.") from None
    try:
        Path(target).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Không ghi được tệp {shown(target)}: {exc.strerror}.") from None
    sys.stderr.write(f"Đã ghi bảng Excel: {shown(target)}\n")


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    """Print the JSON Schema of the rubric format."""
    out.write(codec.dumps(rubric_schema(), indent=2) + "\n")
    return 0


def cmd_json(args: argparse.Namespace, out: TextIO) -> int:
    """Print a rubric's canonical JSON (what the browser loads)."""
    out.write(canonical_json(load_rubric(args.rubric)) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(
        prog="thangdiem",
        description="Thang điểm đánh giá, xếp loại công tác dân vận chính quyền.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    p = sub.add_parser("check", help="kiểm tra các tệp thang điểm (mặc định: rubrics/*.yaml)")
    p.add_argument("rubrics", nargs="*", metavar="RUBRIC")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("score", help="chấm điểm một tệp đánh giá (JSON)")
    p.add_argument("rubric", metavar="RUBRIC", help="tệp .yaml hoặc mã thang điểm")
    p.add_argument("assessment", metavar="ASSESSMENT.json")
    p.add_argument("--text", action="store_true", help="in bảng dễ đọc thay vì JSON")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("template", help="in một tệp đánh giá trống cho thang điểm")
    p.add_argument("rubric", metavar="RUBRIC")
    p.add_argument("--name", default="", help="tên cơ quan, đơn vị")
    p.add_argument("--type", default=None, help="mã loại đơn vị")
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("aggregate", help="tổng hợp nhiều tệp đánh giá")
    p.add_argument("rubric", metavar="RUBRIC")
    p.add_argument("files", nargs="+", metavar="FILE")
    form = p.add_mutually_exclusive_group()
    form.add_argument(
        "--csv", action="store_true", help="in bảng CSV (dấu ';', dấu phẩy thập phân) thay vì JSON"
    )
    form.add_argument(
        "--xlsx",
        metavar="OUT",
        help="ghi bảng tính Excel (.xlsx) vào tệp OUT thay vì in JSON",
    )
    p.add_argument(
        "--prefer",
        action="append",
        default=[],
        metavar="FILE",
        help="tệp được tính cho đơn vị của nó thay cho các tệp khác của cùng đơn vị (lặp lại được)",
    )
    p.set_defaults(func=cmd_aggregate)
    p = sub.add_parser("schema", help="in JSON Schema của định dạng thang điểm")
    p.set_defaults(func=cmd_schema)
    p = sub.add_parser("json", help="in JSON chuẩn của một thang điểm")
    p.add_argument("rubric", metavar="RUBRIC")
    p.set_defaults(func=cmd_json)
    return parser


def utf8(stream: TextIO) -> None:
    """Write UTF-8 to a console whatever its code page (a Windows console may say cp1258,
    which has no "ạ"), and never fail on a character: the output is always Vietnamese."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code."""
    if out is None:
        utf8(sys.stdout)
    utf8(sys.stderr)
    stdout = out if out is not None else sys.stdout
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args, stdout)
    except CommandError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except DocumentError as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        return 1
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
