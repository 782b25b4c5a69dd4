"""The hardening table (KIEM-THU-AN-TOAN.md), written by the tests that try hostile input and
storage faults, never by hand.

Each section of the file belongs to one test, which tries every case of its kind, counts what
happened (`Tally`) and compares its section with the file: the test fails when they differ.
`UPDATE_HARDENING=1` rewrites the section instead (review the diff, as with the golden
files). Counts only, from seeded cases: the same run always gives the same table. A new kind
(the summary page, the printouts) adds a section marker pair to the file and a test that calls
`check_section`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "KIEM-THU-AN-TOAN.md"
HEADER = (
    "| Loại thử | Số ca | Từ chối, có thông báo | Nhận (báo lỗi từng mục nếu có) | Sập |"
    " Mã lạ chạy | Dữ liệu mất |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
)
NOT_APPLICABLE = "—"


@dataclass
class Tally:
    """What happened to the cases of one kind."""

    kind: str
    """The kind of case, in Vietnamese (a row of the table)."""
    tried: int = 0
    refused: int = 0
    """Refused with a message that names the problem."""
    accepted: int = 0
    """Accepted: valid, or read with each problem reported where it is."""
    crashes: int = 0
    """An uncaught exception, a traceback, a dead page."""
    scripts: int | None = 0
    """Foreign code that ran (None: nothing could run, e.g. the command line)."""
    lost: int | None = 0
    """Saved work or an input file changed or lost (None: nothing to lose)."""

    def add(self, refused: bool) -> None:
        """Count one case that was either refused with a message or accepted."""
        self.tried += 1
        if refused:
            self.refused += 1
        else:
            self.accepted += 1

    def row(self) -> str:
        """The table row."""

        def cell(value: int | None) -> str:
            return NOT_APPLICABLE if value is None else str(value)

        cells = [self.tried, self.refused, self.accepted, self.crashes, self.scripts, self.lost]
        return f"| {self.kind} | " + " | ".join(cell(c) for c in cells) + " |\n"


def render(tallies: list[Tally]) -> str:
    """A section's table."""
    total = Tally("**Cộng**", scripts=None, lost=None)
    for tally in tallies:
        total.tried += tally.tried
        total.refused += tally.refused
        total.accepted += tally.accepted
        total.crashes += tally.crashes
        for name in ("scripts", "lost"):
            mine, theirs = getattr(total, name), getattr(tally, name)
            if theirs is not None:
                setattr(total, name, (mine or 0) + theirs)
    return HEADER + "".join(t.row() for t in tallies) + total.row()


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bảng:{name} -->\n", f"<!-- hết bảng:{name} -->"


def check_section(name: str, tallies: list[Tally]) -> None:
    """Compare (or, with UPDATE_HARDENING=1, rewrite) the file's section `name`."""
    for tally in tallies:
        assert tally.crashes == 0, tally
        assert not tally.scripts, tally
        assert not tally.lost, tally
    start, end = _markers(name)
    text = TABLE.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + "(.*?)" + re.escape(end), re.DOTALL)
    found = pattern.search(text)
    assert found, f"{TABLE.name} has no section {name!r} ({start.strip()} … {end})"
    wanted = render(tallies)
    if os.environ.get("UPDATE_HARDENING") == "1":
        TABLE.write_text(
            text[: found.start(1)] + wanted + text[found.end(1) :], encoding="utf-8", newline="\n"
        )
        return
    assert found.group(1) == wanted, (
        f"{TABLE.name}, section {name!r}, differs from this run; if the change is right, run"
        " the test again with UPDATE_HARDENING=1 and review the diff"
    )


def check_row(name: str, key: str, tally: Tally) -> None:
    """Compare (or, with UPDATE_HARDENING=1, rewrite or add) one row of the section `name`,
    marked `<!-- hàng:key -->`: for a table whose rows come from separate tests."""
    assert tally.crashes == 0 and not tally.scripts and not tally.lost, tally
    mark = f"<!-- hàng:{key} -->"
    wanted = Tally(**{**tally.__dict__, "kind": f"{tally.kind} {mark}"}).row()
    text = TABLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if mark in line]
    if os.environ.get("UPDATE_HARDENING") == "1":
        if found:
            lines[found[0]] = wanted
        else:
            _, end = _markers(name)
            (at,) = [i for i, line in enumerate(lines) if line.startswith(end)]
            header = [] if lines[at - 1].startswith("|") else [HEADER]
            lines[at:at] = [*header, wanted]
        TABLE.write_text("".join(lines), encoding="utf-8", newline="\n")
        return
    assert found, f"{TABLE.name} has no row {mark}; run with UPDATE_HARDENING=1 to add it"
    assert lines[found[0]] == wanted, (
        f"{TABLE.name}, row {key!r}, differs from this run; if the change is right, run the"
        " test again with UPDATE_HARDENING=1 and review the diff"
    )
