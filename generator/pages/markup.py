"""Markup helpers of the generated pages: escaping, the templates' filters, the Jinja2 environments.

Rubric text is untrusted as far as Markdown goes: every value written into a page goes through
`md_escape` (HTML-escaped, Markdown syntax backslash-escaped), so it always shows literally.
The HTML fragments (the scoring form, its printouts, the summary tool) have their own
environment, with HTML autoescape only: they are placed in their pages as raw HTML blocks.
"""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from scoring_py import points

from ..textout import roman

_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_ORDERED = re.compile(r"^(\d+)\.(?=\s|$)")


def md_escape(text: str) -> str:
    """Make text show literally in Markdown: one line, HTML-escaped, syntax backslash-escaped."""
    flat = re.sub(r"\s+", " ", text)
    out = _INLINE.sub(r"\\\1", html.escape(flat, quote=False))
    body = out.lstrip(" ")
    lead = out[: len(out) - len(body)]
    if body[:1] in ("#", "+", "-", "!"):
        body = "\\" + body
    return lead + _ORDERED.sub(r"\1\\.", body)


def vn_number(value: Decimal | int) -> str:
    """A number of points for a Vietnamese reader: 0,5 and 12,25."""
    return points.fmt(Decimal(value))


def vn_date(text: str) -> str:
    """YYYY-MM-DD → DD/MM/YYYY."""
    return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")


def shorten(text: str, width: int = 70) -> str:
    """One line of at most `width` characters, cut at a word with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    return flat[: width - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _finalize(value: object) -> object:
    """Every `{{ value }}` goes through here: plain text is escaped for Markdown."""
    if isinstance(value, Markup):
        return value
    if value is None or isinstance(value, bool):
        raise TypeError(f"template output of {value!r}: say in words what it means")
    if isinstance(value, Decimal):
        return Markup(md_escape(vn_number(value)))
    if isinstance(value, int):
        return Markup(str(value))
    if isinstance(value, str):
        return Markup(md_escape(value))
    raise TypeError(f"template output of a {type(value).__name__}")


def _link(text: str, target: str) -> Markup:
    """A Markdown link with literal text to a relative target (a .md path or a static file)."""
    if not re.fullmatch(r"[A-Za-z0-9._/#-]*", target) or "//" in target:
        raise ValueError(f"unsafe link target {target!r}")
    return Markup(f"[{md_escape(text)}]({target})")


def _anchor(name: str) -> Markup:
    """An explicit heading id (attr_list): `{#name}`."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise ValueError(f"bad anchor {name!r}")
    return Markup("{#" + name + "}")


def _code(text: str) -> Markup:
    """Inline code (Markdown escapes its content itself)."""
    text = " ".join(text.split())
    if "`" in text:
        return Markup(md_escape(text))
    return Markup(f"`{text}`")


def _with_code(text: str) -> Markup:
    """Documentation text: `quoted` parts become inline code, the rest shows literally."""
    parts = re.split(r"`([^`\n]+)`", " ".join(text.split()))
    out = [md_escape(part) if i % 2 == 0 else f"`{part}`" for i, part in enumerate(parts)]
    return Markup("".join(out))


def _html(text: str) -> Markup:
    """Text for inside a raw HTML block (no Markdown processing there)."""
    return Markup(html.escape(text, quote=True))


def _fence(text: str) -> Markup:
    """A fenced block opener longer than any backtick run in text."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return Markup("`" * max(3, longest + 1))


def _raw(text: str) -> Markup:
    """Text inserted verbatim: only for the inside of a fenced code block."""
    return Markup(text)


def _finalize_html(value: object) -> object:
    """Every `{{ value }}` of an HTML template: text is escaped by autoescape, numbers written."""
    if value is None or isinstance(value, bool):
        raise TypeError(f"template output of {value!r}: say in words what it means")
    if isinstance(value, Decimal):
        return vn_number(value)
    if isinstance(value, str | int):
        return value
    raise TypeError(f"template output of a {type(value).__name__}")


def _environment(folder: Path, finalize: Any) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def html_environment(folder: Path, **names: Any) -> jinja2.Environment:
    """The Jinja2 environment of the HTML fragments in `folder`: HTML escaping only; `names`
    are the templates' globals."""
    env = _environment(folder, _finalize_html)
    env.filters.update(num=vn_number, roman=roman, date=vn_date)
    env.globals.update(names)
    return env


def environment(folder: Path, **names: Any) -> jinja2.Environment:
    """The Jinja2 environment of the page templates in `folder` (Markdown); `names` are the
    templates' globals, besides `link` and `anchor`."""
    env = _environment(folder, _finalize)
    env.filters.update(
        num=vn_number,
        date=vn_date,
        roman=roman,
        short=shorten,
        code=_code,
        with_code=_with_code,
        html=_html,
        fence=_fence,
        raw=_raw,
    )
    env.globals.update(link=_link, anchor=_anchor, **names)
    return env


def script_json(text: str) -> Markup:
    """JSON text for inside <script type="application/json">: no "<", ">" or "&" left raw."""
    escaped = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(escaped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def html_block(html_text: str) -> Markup:
    """Rendered HTML as a raw HTML block of a Markdown page."""
    # No blank line inside the block (Markdown would end the block there).
    return Markup("\n".join(line for line in html_text.splitlines() if line.strip()))
