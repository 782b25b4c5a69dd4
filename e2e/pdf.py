"""Reading the PDFs Chromium writes (page.pdf): each page's size and text, for the print tests."""

from __future__ import annotations

import re
import zlib
from decimal import Decimal


def pdf_pages(data: bytes) -> list[tuple[tuple[Decimal, Decimal], str]]:
    """Each page of a PDF as Chromium writes it: its size in points and its text (read through
    the fonts' ToUnicode maps; enough for Chromium's uncompressed object layout)."""
    # Objects by the cross-reference table's offsets (an embedded font's bytes may hold
    # "endobj"); a stream is read by its /Length.
    xref = data[data.rindex(b"startxref") :].split()[1]
    offsets: dict[int, int] = {}
    table = data[int(xref) :]
    lines = iter(table.split(b"\n")[1:])
    for line in lines:
        parts = line.split()
        if len(parts) != 2:
            break
        first, count = int(parts[0]), int(parts[1])
        for number in range(first, first + count):
            offset, _, kind = next(lines).split()[:3]
            if kind == b"n":
                offsets[number] = int(offset)

    def head(number: int) -> bytes:
        start = offsets[number]
        end = data.index(b"endobj", start)
        inner = data.index(b"stream", start) if b"stream" in data[start:end] else end
        return data[start : min(end, inner)]

    objects = {number: head(number) for number in offsets}

    def stream(number: int) -> bytes:
        body = objects[number]
        length = re.search(rb"/Length (\d+)( 0 R)?", body)
        assert length is not None
        size = int(length.group(1))
        if length.group(2):
            size = int(objects[size].split(b"obj", 1)[1].split()[0])
        start = offsets[number] + len(body) + len(b"stream")
        start += 2 if data[start : start + 2] == b"\r\n" else 1
        raw = data[start : start + size]
        return zlib.decompress(raw) if b"/FlateDecode" in body else raw

    def unicode_map(number: int) -> dict[int, str]:
        table: dict[int, str] = {}
        text = stream(number).decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            ranges = re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
            for low, high, dst in ranges:
                for code in range(int(low, 16), int(high, 16) + 1):
                    table[code] = chr(int(dst, 16) + code - int(low, 16))
        return table

    def kids(number: int) -> list[int]:
        body = objects[number]
        if not re.search(rb"/Type\s*/Pages\b", body):
            return [number]
        listed = body[body.index(b"/Kids") :].split(b"]")[0]
        return [page for kid in re.findall(rb"(\d+) 0 R", listed) for page in kids(int(kid))]

    root = next(
        n for n, b in objects.items() if re.search(rb"/Type\s*/Pages\b", b) and b"/Parent" not in b
    )
    pages = []
    for number in kids(root):
        body = objects[number]
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", body)
        assert box is not None
        maps = {}
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            found = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
            maps[name.decode()] = unicode_map(int(found.group(1))) if found else {}
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body)
        assert contents is not None
        text: list[str] = []
        font: dict[int, str] = {}
        for ref in re.findall(rb"(\d+) 0 R", contents.group(1)):
            ops = stream(int(ref)).decode("latin-1")
            for match in re.finditer(r"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>", ops):
                if match.group(1):
                    font = maps.get(match.group(1), {})
                else:
                    glyphs = match.group(2)
                    text.extend(
                        font.get(int(glyphs[i : i + 4], 16), "") for i in range(0, len(glyphs), 4)
                    )
        size = (Decimal(box.group(1).decode()), Decimal(box.group(2).decode()))
        pages.append((size, "".join(text)))
    return pages


def squeeze(text: str) -> str:
    """Text without any white space (the PDF's text runs are split at line and cell breaks)."""
    return "".join(text.split())
