"""Load rubric YAML files into the model; every problem reads file:line:col: path: message."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from scoring_py.model import Rubric
from scoring_py.problems import Path as DataPath
from scoring_py.problems import Problem, RubricError, file_name, format_path, quoted, shown
from scoring_py.rubric import parse_rubric

MAX_NODES = 200_000
"""Most YAML nodes read from one file (aliases count each time they are used)."""
MAX_BYTES = 5_000_000
"""Largest rubric file accepted."""
MAX_SOURCE_BYTES = 5_000_000
"""Largest source text (rubrics/sources/) published with a rubric."""
SOURCES = "sources"
"""The folder of rubrics/ that holds the source texts the rubrics name in `legal.source`."""

STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
SCALAR_TAGS = {
    STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True, slots=True)
class Located:
    """A problem with its place in the file."""

    file: str
    """The file's path, as given."""
    line: int
    """Line, from 1."""
    column: int
    """Column, from 1."""
    path: DataPath
    """Path into the data."""
    message: str
    """What is wrong."""

    def __str__(self) -> str:
        file = shown(file_name(self.file))
        return f"{file}:{self.line}:{self.column}: {format_path(self.path)}: {self.message}"


class RubricFileError(Exception):
    """A rubric file with problems; str() lists them one per line."""

    def __init__(self, problems: list[Located]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Reader:
    """Turns a composed YAML node tree into plain data and remembers where each path is."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[DataPath, tuple[int, int]] = {}
        self.problems: list[Located] = []
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, path: DataPath, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Located(self.file, mark.line + 1, mark.column + 1, path, message))

    def read(self, node: yaml.Node, path: DataPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge(node)
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            if node.tag != MAP:
                self.fail(node, path, f"thẻ YAML {quoted(short_tag(node.tag))} không được hỗ trợ")
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ:
                self.fail(node, path, f"thẻ YAML {quoted(short_tag(node.tag))} không được hỗ trợ")
            return [self.read(child, (*path, i)) for i, child in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, path, "khóa gộp '<<' không được hỗ trợ")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "tên khóa phải là một chuỗi")
                continue
            key = key_node.value if key_node.tag == STR else self.scalar(key_node, path)
            if isinstance(key, str):
                child: DataPath = (*path, key)
                if key in out:
                    self.fail(key_node, child, "khóa bị lặp lại trong cùng một bảng")
                    continue
                self.marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.read(value_node, child)
            else:
                # The model decoder reports non-string keys with the parent's path.
                out[key] = self.read(value_node, path)
        return out

    def scalar(self, node: yaml.Node, path: DataPath) -> Any:
        tag = node.tag
        if tag not in SCALAR_TAGS:
            self.fail(node, path, f"thẻ YAML {quoted(short_tag(tag))} không được hỗ trợ")
            return None
        if tag in (STR, "tag:yaml.org,2002:timestamp"):
            return str(node.value)
        if tag == "tag:yaml.org,2002:float":
            text = str(node.value).replace("_", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number
        try:
            return self.constructor.construct_object(node)
        except (ValueError, TypeError, KeyError, IndexError, ArithmeticError, yaml.YAMLError):
            # An explicit tag (`!!int abc`) makes the PyYAML constructor fail in many ways.
            message = (
                f"giá trị {quoted(node.value)} không hợp lệ với thẻ YAML {quoted(short_tag(tag))}"
            )
            self.fail(node, path, message)
            return None


def short_tag(tag: str) -> str:
    """Write a tag as authors do: `!!int`, not `tag:yaml.org,2002:int`."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based line and column."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


FAST_LOADER: type[Any] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's loader, when PyYAML has it: it composes about ten times faster."""
FAST_NESTING = 500
"""libyaml composes nested nodes by recursion in C: it is used only for text whose nesting
cannot exceed this (counted from its brackets and indentation)."""


def compose(text: str) -> yaml.Node | None:
    """The node tree of YAML text, with the position of each node.

    libyaml composes well-formed text of modest nesting; PyYAML's own composer takes anything
    else, and words every error, so that messages never depend on libyaml being present.
    """
    if FAST_LOADER is not None and yaml.reader.Reader.NON_PRINTABLE.search(text) is None:
        brackets = text.count("[") + text.count("{")
        indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
        if brackets + indent <= FAST_NESTING:
            try:
                node: yaml.Node | None = yaml.compose(text, Loader=FAST_LOADER)
                return node
            except yaml.YAMLError:
                pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def read_yaml(text: str, file: str) -> tuple[Any, _Reader]:
    """Parse YAML text into plain data (Decimals for fractions, dates kept as text)."""
    reader = _Reader(file)
    try:
        root = compose(text)
    except RecursionError:
        reader.problems.append(Located(file, 1, 1, (), "YAML lồng nhau quá sâu"))
        return None, reader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "lỗi cú pháp"
        reader.problems.append(Located(file, line, col, (), f"YAML không hợp lệ: {what}"))
        return None, reader
    except yaml.reader.ReaderError as exc:
        line, col = line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"ký tự không được phép trong YAML (U+{code:04X})"
        reader.problems.append(Located(file, line, col, (), message))
        return None, reader
    except yaml.YAMLError as exc:
        what = " ".join(str(exc).split())
        reader.problems.append(Located(file, 1, 1, (), f"YAML không hợp lệ: {what}"))
        return None, reader
    if root is None:
        reader.problems.append(Located(file, 1, 1, (), "tệp rỗng"))
        return None, reader
    try:
        data = reader.read(root, ())
    except RecursionError:
        reader.problems.append(Located(file, 1, 1, (), "YAML lồng nhau quá sâu"))
        return None, reader
    except _TooLarge as exc:
        reader.problems.append(
            Located(
                file,
                exc.node.start_mark.line + 1,
                exc.node.start_mark.column + 1,
                (),
                f"tệp có quá nhiều nút YAML (> {MAX_NODES}, kể cả các bí danh được mở rộng)",
            )
        )
        return None, reader
    return data, reader


def locate(reader: _Reader, problem: Problem) -> Located:
    """Attach the nearest known line and column to a problem's path."""
    path = problem.path
    while path and path not in reader.marks:
        path = path[:-1]
    line, col = reader.marks.get(path, (1, 1))
    return Located(reader.file, line, col, problem.path, problem.message)


def file_problem(path: Path, folder: Path) -> str | None:
    """Why `path` may not be read as a file of the rubrics' folder, or None when it may.

    Only real files are read: a symbolic link (to /proc/self/environ, to a key …), a device,
    a pipe or anything that resolves outside the folder would otherwise be published with the
    guide, or quoted in an error message.
    """
    try:
        if path.is_symlink():
            return "là một liên kết tượng trưng (symlink): chỉ tệp thật mới được đọc"
        if not stat.S_ISREG(path.stat().st_mode):
            return "không phải một tệp thường (là thư mục, thiết bị hoặc ống dẫn)"
        if not path.resolve().is_relative_to(folder.resolve()):
            return "nằm ngoài thư mục thang điểm (qua một thư mục liên kết)"
    except OSError as exc:
        return f"không đọc được tệp: {exc.strerror}"
    return None


class NotRegular(OSError):
    """The file opened is not a regular file."""


def read_regular(path: Path, limit: int) -> bytes:
    """Read at most limit + 1 bytes of a regular file, never through a symbolic link (the
    check of file_problem is made again on the open file, so a link put in its place between
    the two is not followed)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with open(os.open(path, flags | getattr(os, "O_BINARY", 0)), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotRegular(0, "không phải một tệp thường")
        return handle.read(limit + 1)


def source_path(folder: Path, name: str) -> Path | None:
    """The file of rubrics/sources/ that `legal.source` names, or None when it names none
    (an address, or a name with a folder in it)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return folder / SOURCES / name


def source_problem(folder: Path, rubric: Rubric) -> str | None:
    """What is wrong with the source file a rubric names, or None (also when there is none)."""
    path = source_path(folder, rubric.legal.source)
    if path is None or not os.path.lexists(path):
        return None
    problem = file_problem(path, folder)
    return None if problem is None else f"tệp nguồn {quoted(f'{SOURCES}/{path.name}')} {problem}"


def read_source(folder: Path, rubric: Rubric) -> str | None:
    """The text of the source file a rubric names, or None when it names none; RubricFileError
    when it may not be read (see file_problem), is too large or is not UTF-8."""
    path = source_path(folder, rubric.legal.source)
    if path is None or not os.path.lexists(path):
        return None
    name = str(path)
    problem = file_problem(path, folder)
    try:
        raw = b"" if problem is not None else read_regular(path, MAX_SOURCE_BYTES)
    except OSError as exc:
        problem = f"không đọc được tệp: {exc.strerror}"
    if problem is not None:
        raise RubricFileError([Located(name, 1, 1, (), problem)])
    if len(raw) > MAX_SOURCE_BYTES:
        raise RubricFileError([Located(name, 1, 1, (), f"tệp lớn quá {MAX_SOURCE_BYTES} byte")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RubricFileError([Located(name, 1, 1, (), "tệp phải được mã hóa UTF-8")]) from None


def load_text(
    text: str, file: str, expected_id: str | None = None, folder: Path | None = None
) -> Rubric:
    """Load a rubric from YAML text; raise RubricFileError with every problem. With `folder`
    (the rubric file's), the source file it names is checked too (see file_problem)."""
    data, reader = read_yaml(text, file)
    if reader.problems:
        raise RubricFileError(reader.problems)
    try:
        rubric = parse_rubric(data)
    except RubricError as exc:
        located = [locate(reader, p) for p in exc.problems]
        located.sort(key=lambda p: (p.line, p.column))
        raise RubricFileError(located) from None
    if expected_id is not None and rubric.id != expected_id:
        problem = Problem(
            ("id",), f"phải trùng tên tệp {quoted(expected_id)} (nhận được {quoted(rubric.id)})"
        )
        raise RubricFileError([locate(reader, problem)])
    if folder is not None:
        message = source_problem(folder, rubric)
        if message is not None:
            raise RubricFileError([locate(reader, Problem(("legal", "source"), message))])
    return rubric


def load_file(path: Path) -> Rubric:
    """Load and check one rubric file (its id must match the file name)."""
    name = str(path)
    # Refused before a byte is read: no message may quote the text of what a link points to.
    problem = file_problem(path, path.parent)
    if problem is not None:
        raise RubricFileError([Located(name, 1, 1, (), problem)])
    try:
        raw = read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise RubricFileError(
            [Located(name, 1, 1, (), f"không đọc được tệp: {exc.strerror}")]
        ) from None
    if len(raw) > MAX_BYTES:
        raise RubricFileError([Located(name, 1, 1, (), f"tệp lớn quá {MAX_BYTES} byte")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line, col = line_col(before, len(before))
        message = f"tệp phải được mã hóa UTF-8 (byte lỗi 0x{raw[exc.start]:02x})"
        raise RubricFileError([Located(name, line, col, (), message)]) from None
    return load_text(text, name, expected_id=path.stem, folder=path.parent)


def rubric_files(folder: Path) -> list[Path]:
    """List the rubric files of a folder, sorted."""
    return sorted(folder.glob("*.yaml"))
