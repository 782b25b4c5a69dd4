"""Problems found in rubric files and assessment documents, each tied to a path."""

from __future__ import annotations

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
            out += f".{part}" if out else part
    return out or "(gốc)"


def describe(value: Any) -> str:
    """Describe a value in a message: a short repr for scalars, the kind for containers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "…"
        return repr(text)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
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
