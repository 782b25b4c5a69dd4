"""Screenshots of the real pages for the "Bắt đầu" pages, and what keeps them true.

Each picture (site_src/bat-dau/anh/<name>.png, named in generator/pages/starting.py SHOTS) has
a record in e2e/screenshots.json of what it shows: the accessibility snapshot of each element
in the shot (roles, names, texts and values: what a reader sees written there, not how a font
draws it), the shot's size in CSS pixels and the SHA-256 of the committed PNG. The test goes
through the pages again and compares what they show now with the committed records (pixels are
never compared: fonts and antialiasing differ from one machine to another):

- the snapshots must be equal: a renamed button, a new column, another message fails;
- the size must be within SIZE_SLACK: layout changes fail, while another machine's fonts (a
  line wrapping a little earlier) do not, which pixels and rounded sizes would not tolerate;
- the committed PNG must be the one the record was written with (its digest), and its pixel
  size the record's size at SCALE: a picture cannot be changed without its record.

`UPDATE_SCREENSHOTS=1` shoots again the pictures whose record no longer holds, and rewrites
their records (the others stay as they are: shooting the same page twice need not give the
same bytes); `UPDATE_SCREENSHOTS=all` shoots every picture again (after a change of style,
which the records do not see).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import FloatRect, Locator, Page, ViewportSize

from generator.pages import starting
from testkit.site import ROOT

IMAGES = ROOT / "site_src" / starting.IMAGES
"""Where the pictures go (the pages link them from there)."""
RECORDS = Path(__file__).with_name("screenshots.json")
"""What each picture shows (committed with the pictures)."""
UPDATE = os.environ.get("UPDATE_SCREENSHOTS", "") in ("1", "all")
UPDATE_ALL = os.environ.get("UPDATE_SCREENSHOTS") == "all"
VIEWPORT = ViewportSize(width=760, height=1600)
"""About the width of the guide's text column (688 CSS pixels on a desktop), so that the
pictures show at their size, and tall enough for every shot to fit without scrolling (an
element taller than the window is shot scrolled, with the sticky header over it)."""
SCALE = 1
"""Device scale factor: CSS pixels are PNG pixels, which keeps the files small."""
PADDING = 8
"""CSS pixels of the page kept around the elements shot."""
MAX_BYTES = 100_000
"""The most a picture may weigh (every visitor's browser keeps the whole site offline)."""
SIZE_SLACK = (24, 0.15)
"""A size may differ from its record by this many CSS pixels or this share, the larger."""
SETTLE_MS = 600
"""How long a shot waits for the page to settle (more than the scoring page's save delay)."""
QUIET = "() => !document.querySelector('[data-save-status]')?.textContent?.startsWith('Đang lưu')"
"""No save under way (the status line of the scoring page; other pages have none)."""
HOW_TO_UPDATE = (
    "the page no longer shows what the committed screenshot shows: if the change is meant,"
    " run UPDATE_SCREENSHOTS=1 .venv/bin/pytest e2e/test_getting_started.py and commit"
    " site_src/bat-dau/anh/ and e2e/screenshots.json"
)


def load_records() -> dict[str, Any]:
    """The committed records, by picture name."""
    if not RECORDS.is_file():
        return {}
    records: dict[str, Any] = json.loads(RECORDS.read_text(encoding="utf-8"))
    return records


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (from its IHDR chunk)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def close_enough(size: list[int], recorded: list[int]) -> bool:
    """Whether a shot's size is its record's, within SIZE_SLACK."""
    pixels, share = SIZE_SLACK
    return all(
        abs(now - then) <= max(pixels, share * then)
        for now, then in zip(size, recorded, strict=True)
    )


def _union(areas: list[Locator], above_below: int) -> FloatRect:
    """The page's area covering every element the locators match, inside the window, with
    PADDING left and right and `above_below` CSS pixels above and below."""
    boxes = [box for area in areas for element in area.all() if (box := element.bounding_box())]
    assert boxes, f"{areas} are not shown"
    window = areas[0].page.viewport_size
    assert window is not None
    left = max(0, min(b["x"] for b in boxes) - PADDING)
    top = max(0, min(b["y"] for b in boxes) - above_below)
    right = min(window["width"], max(b["x"] + b["width"] for b in boxes) + PADDING)
    bottom = max(b["y"] + b["height"] for b in boxes) + above_below
    assert bottom <= window["height"], "the shot is taller than the window: split it"
    width, height = round(right - left), round(bottom - top)
    return FloatRect(x=round(left), y=round(top), width=width, height=height)


@dataclass
class Album:
    """The shots one test takes: each compared with its record, or rewritten (UPDATE)."""

    problems: list[str] = field(default_factory=list)
    taken: dict[str, Any] = field(default_factory=dict)

    def take(
        self,
        page: Page,
        name: str,
        *locators: Locator,
        above_below: int = PADDING,
        area: Locator | None = None,
    ) -> None:
        """Shoot the area covering `locators` (or only the elements `area` matches, of
        those), with some page around (`above_below`: above and below, when what is next to
        them is no part of the step), as picture `name`; compare what `locators` show with
        the record, or rewrite both (UPDATE)."""
        assert name in starting.SHOTS, f"{name} is not in generator/pages/starting.py SHOTS"
        assert name not in self.taken, name
        page.mouse.move(0, 0)  # no hover state and no focus ring in the picture
        page.evaluate("() => document.activeElement?.blur()")
        # The first element is scrolled to the top, so that the others fit below it.
        locators[0].evaluate("(element) => element.scrollIntoView({block: 'start'})")
        page.evaluate("() => window.scrollBy(0, -80)")  # below the sticky header
        # Leaving a field the test typed into is a change, which the scoring page saves 0,3 s
        # later; and the theme shows its "back to top" button over the page on scrolling up.
        # Once both are done, the button is hidden (the page's policy refuses the style sheet
        # Playwright would add to hide it).
        page.wait_for_timeout(SETTLE_MS)
        page.wait_for_function(QUIET)
        page.evaluate(
            "() => document.querySelectorAll('.md-top').forEach((b) => { b.hidden = true; })"
        )
        clip = _union([area] if area is not None else list(locators), above_below)
        shows = [locator.aria_snapshot() for locator in locators]
        record: dict[str, Any] = {"shows": shows, "size": [clip["width"], clip["height"]]}
        path = IMAGES / f"{name}.png"
        committed = load_records().get(name)
        kept = UPDATE and not UPDATE_ALL and path.is_file()
        if kept and committed is not None and {**committed, **record} == committed:
            self.taken[name] = committed  # the same shows and size: the picture stays
            return
        if UPDATE:
            data = page.screenshot(clip=clip, animations="disabled", caret="hide")
            after = [locator.aria_snapshot() for locator in locators]
            assert after == shows, f"{name}: the page changed while it was shot"
            IMAGES.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            record["png_sha256"] = hashlib.sha256(data).hexdigest()
            self.taken[name] = record
            return
        self.taken[name] = record
        if committed is None or not path.is_file():
            self.problems.append(f"{name}: no committed screenshot or record")
            return
        if shows != committed["shows"]:
            lines = difflib.unified_diff(
                "\n".join(committed["shows"]).splitlines(),
                "\n".join(shows).splitlines(),
                "recorded",
                "shown now",
                lineterm="",
            )
            self.problems.append(f"{name}:\n" + "\n".join(lines))
        if not close_enough(record["size"], committed["size"]):
            self.problems.append(f"{name}: {record['size']} CSS px, recorded {committed['size']}")

    def finish(self) -> None:
        """Write the records (UPDATE), or fail with every difference found."""
        if UPDATE:
            records = load_records() | self.taken
            text = json.dumps(dict(sorted(records.items())), ensure_ascii=False, indent=2)
            RECORDS.write_text(text + "\n", encoding="utf-8")
            return
        assert not self.problems, HOW_TO_UPDATE + ":\n" + "\n".join(self.problems)


def committed_problems() -> Iterator[str]:
    """What does not hold between the committed pictures, their records and SHOTS."""
    records = load_records()
    pictures = {path.stem for path in IMAGES.glob("*.png")}
    if set(records) != set(starting.SHOTS):
        yield f"records {sorted(records)} ≠ SHOTS {sorted(starting.SHOTS)}"
    if pictures != set(starting.SHOTS):
        yield f"pictures {sorted(pictures)} ≠ SHOTS {sorted(starting.SHOTS)}"
    for name in sorted(set(records) & pictures):
        data = (IMAGES / f"{name}.png").read_bytes()
        if hashlib.sha256(data).hexdigest() != records[name]["png_sha256"]:
            yield f"{name}.png is not the picture its record was written with"
        if len(data) > MAX_BYTES:
            yield f"{name}.png weighs {len(data)} bytes, more than {MAX_BYTES}: shoot less of it"
        width, height = records[name]["size"]
        if png_size(data) != (width * SCALE, height * SCALE):
            yield f"{name}.png is {png_size(data)} pixels, its record {width}×{height} at {SCALE}"
