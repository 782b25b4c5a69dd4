"""Problems found in rubric files and assessment documents, each tied to a path."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: where it is (a path into the data) and what is wrong, in Vietnamese."""

    path: Path
    """Keys and list indexes leading to the faulty value, e.g. ("criteria", 2, "max")."""
    message: str
    """What is wrong, shaped "phải là X (nhận được Y)"."""


def format_path(path: Path) -> str:
    """Render a path as `criteria[2].items[0].max`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = part if len(part) <= 40 else part[:37] + "…"  # a key of a million letters
            out += f".{shown(part)}" if out else shown(part)
    return out or "(gốc)"


FSI, PDI = "\u2068", "\u2069"
"""First strong isolate … pop directional isolate: text between them cannot reorder the
message around it."""
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
"""The blocks of the right-to-left scripts (Hebrew, Arabic, Syriac …), as files.mjs has them."""


def _escape(char: str) -> str:
    code = ord(char)
    if char in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(text: str) -> str:
    """User text (a file name, a key, a value) as it may enter a message safely.

    Characters that are invisible or act on the text around them (control characters, bidi
    overrides and isolates, lone surrogates) are written as backslash escapes (\\u202e,
    \\ud800); text with right-to-left letters is wrapped
    in FSI … PDI so that it cannot reorder the rest of the message.
    """
    out = "".join(
        c if c.isprintable() or unicodedata.category(c) == "Zs" else _escape(c) for c in text
    )
    if _RIGHT_TO_LEFT.search(out):
        return FSI + out + PDI
    return out


def _name_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte that was not UTF-8 (os.fsdecode)
    return _escape(char) if 0xD800 <= code <= 0xDFFF else char


def file_name(name: str) -> str:
    """A file name as it is printed and put in JSON: each byte that was not UTF-8 (os.fsdecode
    keeps it as a lone surrogate, which cannot be written) as a backslash escape, \\x80."""
    return "".join(_name_char(c) for c in name)


def quoted(text: str) -> str:
    """User text in quotes for a message: 'UBND xã A' (see shown)."""
    return f"'{shown(text)}'"


def plain_number(value: Decimal | int | float) -> str:
    """A number as it is written in a file, in plain notation (never an exponent, never
    Decimal('…')); one far too large or too small for a score is said in words."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)  # YAML's .inf and .nan
        value = Decimal(repr(value))
    value = Decimal(value)
    if not value.is_finite():
        return str(value)
    if value and value.adjusted() >= 15:
        return "một số quá lớn"
    if value and value.adjusted() < -15:
        return "một số quá nhỏ"
    return format(value, "f")


def describe(value: Any) -> str:
    """Describe a value in a message: scalars as written, the kind for containers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value if len(value) <= 40 else value[:37] + "…")
    if isinstance(value, int | Decimal | float):
        return plain_number(value)
    if isinstance(value, dict):
        return "một bảng khóa–giá trị"
    if isinstance(value, list | tuple):
        return "một danh sách"
    return type(value).__name__


class RubricError(Exception):
    """A rubric that cannot be used, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{format_path(p.path)}: {p.message}" for p in problems))


class DocumentError(Exception):
    """An assessment document that cannot be read, with a message for the user."""

    def __init__(self, message: str, code: str = "invalid_document") -> None:
        self.message = message
        self.code = code
        super().__init__(message)
