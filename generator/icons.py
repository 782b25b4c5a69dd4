"""The installable app's icons: a white check mark on the site's red, as PNG (standard library).

The PNGs in site_src/icons/ are made by this module and committed (they never change with the
rubrics): `python -m generator.icons site_src/icons` writes them again. A test checks that the
committed files are what this module draws. The shapes are drawn with signed distances, so
their edges are smooth at any size; nothing but zlib is needed to write the files.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

RED = (0xE5, 0x37, 0x34)
"""The red of the site's header (mkdocs-material's red palette, its dark shade)."""
WHITE = (0xFF, 0xFF, 0xFF)
CHECK = ((0.28, 0.52), (0.44, 0.68), (0.73, 0.37))
"""The check mark's corners, in fractions of the icon's side."""
STROKE = 0.11
"""The check mark's width, in fractions of the icon's side."""
ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-512.png": (512, True),
}
"""File → (side in pixels, maskable). A maskable icon fills its square; the others are rounded,
and the check mark of a maskable one is smaller (inside the circle that is always shown)."""


def _segment_distance(
    px: float, py: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _rounded_square_distance(px: float, py: float, radius: float) -> float:
    """Signed distance to the unit square with rounded corners (negative inside)."""
    qx = abs(px - 0.5) - (0.5 - radius)
    qy = abs(py - 0.5) - (0.5 - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def draw(side: int, maskable: bool) -> bytes:
    """The icon's RGBA pixels, row by row."""
    scale = 0.8 if maskable else 1.0
    points = [(0.5 + (x - 0.5) * scale, 0.5 + (y - 0.5) * scale) for x, y in CHECK]
    half_stroke = STROKE * scale / 2
    rows = bytearray()
    for row in range(side):
        py = (row + 0.5) / side
        for column in range(side):
            px = (column + 0.5) / side
            if maskable:
                alpha = 1.0
            else:
                edge = _rounded_square_distance(px, py, 0.22) * side
                alpha = max(0.0, min(1.0, 0.5 - edge))
            stroke = min(_segment_distance(px, py, points[i], points[i + 1]) for i in range(2))
            ink = max(0.0, min(1.0, 0.5 - (stroke - half_stroke) * side))
            pixel = [round(r + (w - r) * ink) for r, w in zip(RED, WHITE, strict=True)]
            rows.extend((*pixel, round(alpha * 255)))
    return bytes(rows)


def png(side: int, rgba: bytes) -> bytes:
    """A PNG file (8-bit RGBA, no filter) of square pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    stride = side * 4
    raw = b"".join(b"\0" + rgba[y * stride : (y + 1) * stride] for y in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def icon(name: str) -> bytes:
    """The PNG file of one of ICONS."""
    side, maskable = ICONS[name]
    return png(side, draw(side, maskable))


def main(argv: list[str]) -> int:
    """Write every icon into the folder given."""
    if len(argv) != 1:
        print("Cách dùng: python -m generator.icons <thư mục>", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for name in ICONS:
        (folder / name).write_bytes(icon(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
