"""Generate the criteria guide (the documentation site) from the rubrics.

Everything here is pure: `build_site` reads rubrics/ and the docs folder and returns the
generated pages (Markdown, rendered from Jinja2 templates), the static files to publish and
the navigation. generator/hooks.py hands them to MkDocs; nothing is written to disk here.

Rubric text is untrusted as far as Markdown goes: every value written into a page goes through
`md_escape` (HTML-escaped, Markdown syntax backslash-escaped), so it always shows literally.
The scoring form of each rubric (<rubric-id>/cham-diem/) is an HTML fragment rendered by its
own Jinja2 environment (HTML autoescape only) and placed in its page as a raw HTML block.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import re
import typing
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from scoring_py import api, codec, document, engine, model
from scoring_py.codec import is_optional, type_hints
from scoring_py.model import Criterion, Item, Rubric
from scoring_py.rubric import band_order, canonical_json
from scoring_py.shapes import Result

from .loader import RubricFileError, load_file, read_source, rubric_files, source_path
from .runtime import Runtime, describe
from .schema import field_docs
from .sitetext import (
    CLASS_VI,
    FIELD_VI,
    GIVEN_BY_VI,
    KIND_NAME_VI,
    ROUNDING_VI,
    SECTION_VI,
    STATUS_VI,
)
from .textout import roman

TEMPLATES = Path(__file__).resolve().parent / "templates"
GUIDE = "huong-dan-soan-thang-diem"
"""Folder of the rubric authors' guide in the site."""
EXAMPLE = f"{GUIDE}/vi-du-thang-diem.yaml"
"""The annotated example rubric, inside the docs folder (published as a static file too)."""
SCHEMA = "schema/rubric.schema.json"
"""The JSON Schema, inside the docs folder."""
SITE_NAME = "Thang điểm dân vận chính quyền"

STATUS_ORDER = {"in_force": 0, "draft": 1, "replaced": 2}


class SiteError(Exception):
    """The site cannot be generated; `messages` says why, one line each (loader format)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True, slots=True)
class Page:
    """A generated Markdown page."""

    src_uri: str
    """Path of the page in the docs folder, e.g. "hung-yen-2020/tieu-chi-1.md"."""
    title: str
    """Title in the navigation."""
    content: str
    """The Markdown text."""


@dataclass(slots=True)
class Site:
    """What the generator adds to the MkDocs build."""

    pages: list[Page] = field(default_factory=list)
    """Generated Markdown pages, in navigation order."""
    assets: dict[str, str] = field(default_factory=dict)
    """Static files: path in the site → text content."""
    nav: list[Any] = field(default_factory=list)
    """The MkDocs `nav` setting."""


# --------------------------------------------------------------------------------------------
# Text helpers


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


def fold(text: str) -> str:
    """Strip Vietnamese diacritics: "Tiếp công dân" → "Tiep cong dan" (same length when NFC)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def vn_number(value: Decimal | int) -> str:
    """A number of points for a Vietnamese reader: 0,5 and 12,25."""
    return engine.fmt(Decimal(value))


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


def html_environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML fragments (the scoring form): HTML escaping only."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize_html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=vn_number, roman=roman, date=vn_date)
    env.globals.update(
        STAGES=document.STAGES,
        ALL_STAGES=FORM_STAGES,
        STAGE_LABEL=STAGE_LABEL,
        GIVER=engine.GIVER_NAMES,
        STEPS=LOADING_STEPS,
    )
    return env


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the page templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
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
    env.globals.update(
        link=_link,
        anchor=_anchor,
        STATUS=STATUS_VI,
        GIVEN_BY=GIVEN_BY_VI,
        SECTION=SECTION_VI,
        KIND=KIND_NAME_VI,
        SITE_NAME=SITE_NAME,
        GUIDE=GUIDE,
    )
    return env


# --------------------------------------------------------------------------------------------
# Rubric facts in words


def rubric_short(rubric: Rubric) -> str:
    """Short name for navigation: "Hưng Yên (02/2020/QĐ-UBND)"."""
    return f"{rubric.province} ({rubric.legal.number})"


def item_step(rubric: Rubric, item: Item) -> Decimal:
    """The scoring step of a free-score item."""
    return item.step if item.step is not None else rubric.default_step


def how_scored(rubric: Rubric, item: Item) -> str:
    """How an item is scored, in words."""
    mx = vn_number(item.max)
    counts = item.counts or "lần"
    if item.kind == "score":
        return (
            f"Chấm tự do từ 0 đến {mx} điểm, theo bước {vn_number(item_step(rubric, item))} điểm."
        )
    if item.kind == "choice":
        return f"Chọn đúng một trong {len(item.levels)} mức dưới đây; điểm là điểm của mức đã chọn."
    if item.kind == "yesno":
        return f"Có/không: có thì được {mx} điểm, không thì được 0 điểm."
    per = vn_number(item.per_unit or 0)
    if item.kind == "steps":
        return f"Cộng {per} điểm cho mỗi {counts}, tối đa {mx} điểm."
    if item.kind == "deduction":
        return f"Có sẵn {mx} điểm, trừ {per} điểm cho mỗi {counts}, thấp nhất là 0 điểm."
    assert item.rounding is not None  # kind "ratio": guaranteed by the loader
    num = item.counts or "tử số"
    den = item.denominator or "mẫu số"
    return (
        f"Theo tỷ lệ: số {num} ÷ số {den} × {mx} điểm, làm tròn đến "
        f"{vn_number(item.rounding.step)} điểm ({ROUNDING_VI[item.rounding.mode]})."
    )


def applies_to(rubric: Rubric, item: Item) -> str:
    """Which unit types an item applies to, in words."""
    if not item.applies_to:
        return "Mọi loại đơn vị."
    names = {t.id: t.name for t in rubric.unit_types}
    return "Chỉ " + "; ".join(names.get(i, i) for i in item.applies_to) + "."


def evidence_rule(rubric: Rubric, item: Item) -> bool:
    """Whether a score of this item needs evidence."""
    return item.evidence.required if item.evidence is not None else rubric.evidence_required


def band_range(band: model.Band) -> str:
    """A band's range in words: "Từ 75 đến dưới 90 điểm"."""
    low = vn_number(band.min)
    if band.max is None:
        return f"Từ {low} điểm trở lên"
    if band.min == 0:
        return f"Dưới {vn_number(band.max)} điểm"
    return f"Từ {low} đến dưới {vn_number(band.max)} điểm"


def override_effect(rubric: Rubric, ovr: model.Override) -> str:
    """What an override does, in words."""
    names = {b.id: b.name for b in rubric.bands}
    if ovr.effect == "force":
        return f"Xếp loại “{names.get(ovr.band or '', ovr.band)}”, bất kể tổng điểm."
    if ovr.effect == "cap":
        return f"Xếp loại cao nhất là “{names.get(ovr.band or '', ovr.band)}”."
    return "Không đủ điều kiện xếp loại, bất kể tổng điểm."


def not_applicable_rule(rubric: Rubric) -> str | None:
    """The rescaling rule in words, or None when the rubric has none."""
    rule = rubric.not_applicable
    if rule is None:
        return None
    if rule.method == "none":
        return "Mục không áp dụng hoặc không phát sinh được 0 điểm; tổng điểm không quy đổi."
    assert rule.rounding is not None  # guaranteed by the loader
    return (
        f"Tổng điểm được quy đổi theo tỷ lệ: tổng điểm đạt được × {vn_number(rubric.total)} ÷"
        f" tổng điểm tối đa của các mục áp dụng, làm tròn đến {vn_number(rule.rounding.step)}"
        f" điểm ({ROUNDING_VI[rule.rounding.mode]})."
    )


# --------------------------------------------------------------------------------------------
# The worked example of the scoring page


def _example_score(rubric: Rubric, item: Item) -> Decimal:
    step = item_step(rubric, item)
    return (item.max * Decimal("0.8") / step).to_integral_value(rounding=ROUND_FLOOR) * step


def example_answer(rubric: Rubric, item: Item) -> Any:
    """A fixed, plausible answer to an item, for the worked example."""
    if item.kind == "score":
        return _example_score(rubric, item)
    if item.kind == "choice":
        return item.levels[1 if len(item.levels) > 1 else 0].id
    if item.kind == "yesno":
        return True
    if item.kind == "ratio":
        return {"numerator": 9, "denominator": 10}
    if item.kind == "steps":
        return 2
    return 1  # deduction


def describe_answer(item: Item, answer: Any) -> str:
    """An answer in words."""
    if answer is None:
        return "—"
    if answer == document.NOT_APPLICABLE:
        return "Không phát sinh"
    if item.kind == "choice":
        return f"Mức {answer}"
    if item.kind == "yesno":
        return "Có" if answer else "Không"
    if item.kind == "ratio":
        den = f" {item.denominator}" if item.denominator else ""
        return f"{answer['numerator']}/{answer['denominator']}{den}"
    if item.kind in ("steps", "deduction"):
        return f"{answer} {item.counts or 'lần'}"
    return f"{vn_number(Decimal(answer))} điểm"


@dataclass(frozen=True, slots=True)
class ExampleRow:
    """One item of the worked example."""

    item: Item
    own: str
    """The self-assessment's answer, in words."""
    appraisal: str
    """The appraisal's answer, in words."""
    points: Decimal | None
    """Points of the final result."""
    status: str


@dataclass(frozen=True, slots=True)
class ExampleCriterion:
    """One criterion of the worked example."""

    number: int
    criterion: Criterion
    rows: list[ExampleRow]
    score: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class Example:
    """The worked example: a sample assessment scored by scoring_py during the build."""

    unit_name: str
    unit_type: str | None
    criteria: list[ExampleCriterion]
    result: Result
    band: model.Band | None
    base: Decimal
    """Total of the base criteria, after rescaling when items did not apply."""


def worked_example(rubric: Rubric) -> Example:
    """Fill a sample document with fixed answers and score it with scoring_py."""
    uses_types = any(i.applies_to for c in rubric.criteria for i in c.items)
    unit_type = rubric.unit_types[0].id if uses_types and rubric.unit_types else None
    doc = document.template(rubric, name="Đơn vị minh họa", unit_type=unit_type)
    own = doc["stages"]["self"]["answers"]
    appraisal = doc["stages"]["appraisal"]["answers"]
    marked_na = False
    corrected = False
    for crit in rubric.criteria:
        for item in crit.items:
            if item.applies_to and unit_type is not None and unit_type not in item.applies_to:
                continue
            answer: Any = example_answer(rubric, item)
            if item.may_be_not_applicable and not marked_na:
                answer, marked_na = document.NOT_APPLICABLE, True
            if item.given_by != "unit":
                appraisal[item.id] = answer
                continue
            own[item.id] = appraisal[item.id] = answer  # the team re-scores every item
            if evidence_rule(rubric, item):
                doc["evidence"][item.id]["documents"] = "Tài liệu kiểm chứng kèm theo báo cáo"
            if (
                not corrected
                and crit.section == "base"
                and item.kind == "score"
                and isinstance(answer, Decimal)
                and answer > 0
            ):
                appraisal[item.id] = answer - item_step(rubric, item)
                corrected = True
    for stage in (doc["stages"]["self"], doc["stages"]["appraisal"]):
        for cond in stage["conditions"].values():
            cond["value"] = False
    result = engine.score_document(rubric, document.validate(rubric, doc))
    errors = [p["message"] for p in result["problems"] if p["severity"] == "error"]
    if errors:  # pragma: no cover - would mean the example answers are wrong
        raise SiteError([f"{rubric.id}: ví dụ tính điểm không hợp lệ: {m}" for m in errors])
    final = result["stages"]["final"]
    criteria = []
    for ci, crit in enumerate(rubric.criteria):
        rows = []
        for ii, item in enumerate(crit.items):
            outcome = final["criteria"][ci]["items"][ii]
            rows.append(
                ExampleRow(
                    item,
                    describe_answer(item, own.get(item.id)),
                    describe_answer(item, appraisal.get(item.id)),
                    outcome["points"],
                    outcome["status"],
                )
            )
        part = final["criteria"][ci]
        criteria.append(ExampleCriterion(ci + 1, crit, rows, part["score"], part["max"]))
    band = None
    if result["band_id"] is not None:
        band = next(b for b in rubric.bands if b.id == result["band_id"])
    type_name = next((t.name for t in rubric.unit_types if t.id == unit_type), None)
    base = final["raw_total"]
    rule = rubric.not_applicable
    if final["rescaled"] and rule is not None and rule.rounding is not None:
        applicable = final["applicable_max"]
        base = (
            engine.round_to(base * rubric.total / applicable, rule.rounding)
            if applicable
            else base * 0
        )
    return Example("Đơn vị minh họa", type_name, criteria, result, band, Decimal(base))


# --------------------------------------------------------------------------------------------
# The scoring form

FORM_PAGE = "cham-diem"
"""Name of each rubric's scoring page (the page is <rubric-id>/cham-diem/)."""
FORM_STAGES = ("self", "appraisal", "final")
"""The stages whose results the form shows."""
STAGE_LABEL = {"self": "Tự chấm", "appraisal": "Thẩm định", "final": "Kết quả cuối cùng"}
LOADING_STEPS = 4
"""Steps of the loading indicator (site_src/javascripts/python/worker.mjs reports them)."""


@dataclass(frozen=True, slots=True)
class FormCriterion:
    """One criterion of the scoring form."""

    number: int
    criterion: Criterion


def script_json(text: str) -> Markup:
    """JSON text for inside <script type="application/json">: no "<", ">" or "&" left raw."""
    escaped = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(escaped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def top_total(rubric: Rubric) -> Decimal:
    """The highest total a unit can reach (bonus points may lift it above `total`)."""
    if not rubric.bonus_above_total:
        return rubric.total
    return rubric.total + sum((c.max for c in rubric.criteria if c.section == "bonus"), Decimal(0))


RUNTIME_MODULE = "javascripts/python/runtime.mjs"
"""The module that tells the scoring worker where Pyodide and the wheel are (written here,
since both paths carry versions)."""


def runtime_module(runtime: Runtime) -> str:
    """The text of RUNTIME_MODULE: absolute addresses of Pyodide's folder and of the wheel.

    The worker imports it, so that it starts loading Python as soon as it runs, without
    waiting for a message from a page that may still be busy laying itself out.
    """
    up = "../" * RUNTIME_MODULE.count("/")
    return (
        "// Written by the site's build (generator/site.py): where the scoring worker finds\n"
        "// Pyodide and the scoring_py wheel.\n"
        f"export const PYODIDE = new URL({json.dumps(up + runtime.pyodide_dir)},"
        " import.meta.url).href;\n"
        f"export const WHEEL = new URL({json.dumps(up + runtime.wheel_path)},"
        " import.meta.url).href;\n"
    )


SCORER = {"rubric": "../rubric.json"}
"""What the scoring and summary pages start their worker with (page.meta.scorer: the
`data-scorer` script in their <head>): the rubric's address, relative to <rubric-id>/<page>/."""


def scoring_form(env: jinja2.Environment, rubric: Rubric) -> Markup:
    """The scoring form of a rubric, as HTML (for the page <rubric-id>/cham-diem/)."""
    template = codec.dumps(document.template(rubric), sort_keys=False)
    html_text = env.get_template("form.html.j2").render(
        rubric=rubric,
        template_json=script_json(template),
        contract_json=script_json(api.contract()),
        criteria=[FormCriterion(n, c) for n, c in enumerate(rubric.criteria, start=1)],
        has_reserved=any(i.given_by != "unit" for c in rubric.criteria for i in c.items),
        top=top_total(rubric),
        how=lambda item: how_scored(rubric, item),
        applies=lambda item: applies_to(rubric, item),
        needs_evidence=lambda item: evidence_rule(rubric, item),
        override_effect=lambda o: override_effect(rubric, o),
    )
    return html_block(html_text)


def html_block(html_text: str) -> Markup:
    """Rendered HTML as a raw HTML block of a Markdown page."""
    # No blank line inside the block (Markdown would end the block there).
    return Markup("\n".join(line for line in html_text.splitlines() if line.strip()))


# --------------------------------------------------------------------------------------------
# The summary of many assessments

SUMMARY_PAGE = "tong-hop"
"""Name of each rubric's summary page (the page is <rubric-id>/tong-hop/)."""


def summary_form(env: jinja2.Environment, rubric: Rubric) -> Markup:
    """The summary tool of a rubric, as HTML (for the page <rubric-id>/tong-hop/).

    The units' table is drawn from scoring_py.summary.table(), the table of
    `thangdiem aggregate --csv`.
    """
    html_text = env.get_template("tong-hop.html.j2").render(
        rubric=rubric, contract_json=script_json(api.contract())
    )
    return html_block(html_text)


# --------------------------------------------------------------------------------------------
# The format reference of the authors' guide


@dataclass(frozen=True, slots=True)
class KeyDoc:
    """One key of the rubric format."""

    name: str
    type: Markup
    """The type in words (with links to other classes)."""
    required: str
    """"bắt buộc" or the default value."""
    vi: str
    """Vietnamese description."""
    en: str
    """The model's docstring."""


@dataclass(frozen=True, slots=True)
class ClassDoc:
    """One class of the rubric format."""

    name: str
    anchor: str
    vi: str
    en: str
    keys: list[KeyDoc]


def model_classes() -> list[type]:
    """Every dataclass of the model reachable from Rubric, Rubric first."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        for tp in type_hints(cls).values():
            for inner in _inner_types(tp):
                if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                    visit(inner)

    visit(model.Rubric)
    return found


def _inner_types(tp: Any) -> Iterable[Any]:
    _, inner = is_optional(tp)
    if typing.get_origin(inner) is tuple:
        yield from typing.get_args(inner)[:1]
    else:
        yield inner


def type_words(tp: Any) -> Markup:
    """A field's type in Vietnamese, with links to the tables of other classes."""
    optional, inner = is_optional(tp)
    if optional:
        return Markup(f"{type_words(inner)} hoặc `null`")
    if typing.get_origin(inner) is tuple:
        return Markup(f"danh sách {type_words(typing.get_args(inner)[0])}")
    if typing.get_origin(inner) is Literal:
        return Markup("một trong " + ", ".join(f"`{a}`" for a in typing.get_args(inner)))
    if dataclasses.is_dataclass(inner) and isinstance(inner, type):
        return Markup(f"[{inner.__name__}](#{inner.__name__.lower()})")
    words = {str: "chuỗi", Decimal: "số", bool: "`true`/`false`", int: "số nguyên"}
    return Markup(words[inner])


def _default_words(f: dataclasses.Field[Any]) -> str:
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
        return "bắt buộc"
    value = f.default if f.default is not dataclasses.MISSING else ()
    if value is None:
        return "null"
    if value == ():
        return "[] (trống)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return f'"{value}"'


def format_reference() -> list[ClassDoc]:
    """Tables of the rubric format, read from the model (types, defaults, docstrings)."""
    out = []
    for cls in model_classes():
        docs = field_docs(cls)
        hints = type_hints(cls)
        keys = [
            KeyDoc(
                f.name,
                type_words(hints[f.name]),
                _default_words(f),
                FIELD_VI[cls.__name__][f.name],
                docs.get(f.name, ""),
            )
            for f in dataclasses.fields(cls)
        ]
        out.append(
            ClassDoc(
                cls.__name__,
                cls.__name__.lower(),
                CLASS_VI[cls.__name__],
                " ".join((cls.__doc__ or "").split()),
                keys,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Building the site


def load_rubrics(folder: Path) -> list[Rubric]:
    """Load and check every rubric of the folder; SiteError lists every problem."""
    paths = rubric_files(folder)
    if not paths:
        raise SiteError([f"{folder}: không có tệp thang điểm (*.yaml) nào"])
    rubrics: list[Rubric] = []
    problems: list[str] = []
    for path in paths:
        try:
            rubrics.append(load_file(path))
        except RubricFileError as exc:
            problems.extend(str(p) for p in exc.problems)
    if problems:
        raise SiteError(problems)
    return sorted(rubrics, key=lambda r: (STATUS_ORDER[r.legal.status], r.province, r.id))


def source_text(rubrics_dir: Path, rubric: Rubric) -> tuple[str, str] | None:
    """The source text of a rubric and its file's suffix, when `legal.source` names a file of
    rubrics/sources/ (a real file inside rubrics/: see loader.file_problem)."""
    try:
        text = read_source(rubrics_dir, rubric)
    except RubricFileError as exc:
        raise SiteError([str(p) for p in exc.problems]) from None
    path = source_path(rubrics_dir, rubric.legal.source)
    return None if text is None or path is None else (text, path.suffix)


def _nav(title: str) -> str:
    """A navigation title: the theme writes it as HTML, so it is escaped here."""
    return html.escape(title, quote=False)


NAV_GROUP_ABOVE = 20
"""With more rubrics than this, the navigation groups them by province."""


def rubric_nav(sections: list[tuple[Rubric, list[Any]]]) -> list[dict[str, Any]]:
    """The navigation entries of the rubrics: one section each, grouped by province when
    there are more than NAV_GROUP_ABOVE.

    A long flat list is hard to scan, and the theme writes the visible part of the navigation
    into every page: grouped (with `navigation.prune`), a page carries its province's
    rubrics only, so the size of the site grows linearly with the number of rubrics.
    """
    entries = [{_nav(rubric_short(rubric)): section} for rubric, section in sections]
    if len(sections) <= NAV_GROUP_ABOVE:
        return entries
    provinces: dict[str, list[dict[str, Any]]] = {}
    for (rubric, _), entry in zip(sections, entries, strict=True):
        provinces.setdefault(rubric.province, []).append(entry)
    return [{_nav(province): group} for province, group in provinces.items()]


def build_site(rubrics_dir: Path, docs_dir: Path, runtime: Runtime | None = None) -> Site:
    """Generate every page and static file of the guide.

    `runtime` says where the scoring pages find Pyodide and the scoring_py wheel; by default
    it is read from the project's package.json and pyproject.toml.
    """
    rubrics = load_rubrics(rubrics_dir)
    runtime = runtime if runtime is not None else describe()
    example_path = docs_dir / EXAMPLE
    try:
        example = load_file(example_path)
    except RubricFileError as exc:
        raise SiteError([str(p) for p in exc.problems]) from None
    env = environment()
    form_env = html_environment()
    site = Site()
    site.assets[RUNTIME_MODULE] = runtime_module(runtime)

    def page(src_uri: str, title: str, template: str, **context: Any) -> None:
        content = env.get_template(template).render(**context)
        site.pages.append(Page(src_uri, title, content))

    page("index.md", "Trang chủ", "home.md.j2", rubrics=rubrics)
    site.nav.append({_nav("Trang chủ"): "index.md"})
    sections: list[tuple[Rubric, list[Any]]] = []
    for rubric in rubrics:
        base = rubric.id
        source = source_text(rubrics_dir, rubric)
        source_copy = f"nguon{source[1]}" if source is not None else None
        context: dict[str, Any] = {
            "rubric": rubric,
            "source_copy": source_copy,
            "bands": band_order(rubric)[::-1],
            "not_applicable": not_applicable_rule(rubric),
            "how": lambda item, r=rubric: how_scored(r, item),
            "applies": lambda item, r=rubric: applies_to(r, item),
            "needs_evidence": lambda item, r=rubric: evidence_rule(r, item),
            "band_range": band_range,
            "override_effect": lambda o, r=rubric: override_effect(r, o),
        }
        section: list[Any] = [f"{base}/index.md"]
        page(f"{base}/index.md", rubric_short(rubric), "rubric.md.j2", **context)
        for number, crit in enumerate(rubric.criteria, start=1):
            title = f"{roman(number)}. {shorten(crit.title, 60)}"
            page(
                f"{base}/tieu-chi-{crit.id}.md",
                title,
                "criterion.md.j2",
                criterion=crit,
                number=number,
                **context,
            )
            section.append({_nav(title): f"{base}/tieu-chi-{crit.id}.md"})
        page(
            f"{base}/cach-tinh-diem.md",
            "Cách tính điểm",
            "scoring.md.j2",
            example=worked_example(rubric),
            **context,
        )
        section.append({_nav("Cách tính điểm"): f"{base}/cach-tinh-diem.md"})
        page(
            f"{base}/{FORM_PAGE}.md",
            "Phiếu chấm điểm",
            "cham-diem.md.j2",
            form=scoring_form(form_env, rubric),
            scorer=SCORER,
            **context,
        )
        section.append({_nav("Phiếu chấm điểm"): f"{base}/{FORM_PAGE}.md"})
        page(
            f"{base}/{SUMMARY_PAGE}.md",
            "Tổng hợp kết quả",
            "tong-hop.md.j2",
            form=summary_form(form_env, rubric),
            scorer=SCORER,
            **context,
        )
        section.append({_nav("Tổng hợp kết quả"): f"{base}/{SUMMARY_PAGE}.md"})
        if source is not None and source_copy is not None:
            text = source[0]
            site.assets[f"{base}/{source_copy}"] = text
            page(f"{base}/van-ban-nguon.md", "Văn bản nguồn", "source.md.j2", text=text, **context)
            section.append({_nav("Văn bản nguồn"): f"{base}/van-ban-nguon.md"})
        site.assets[f"{base}/rubric.json"] = canonical_json(rubric) + "\n"
        sections.append((rubric, section))
    site.nav.extend(rubric_nav(sections))
    example_text = example_path.read_text(encoding="utf-8")
    page(
        f"{GUIDE}/index.md",
        "Hướng dẫn soạn thang điểm",
        "authors.md.j2",
        classes=format_reference(),
        example=example,
        example_text=example_text,
        example_file=Path(EXAMPLE).name,
        schema=SCHEMA,
    )
    site.nav.append({_nav("Hướng dẫn soạn thang điểm"): f"{GUIDE}/index.md"})
    return site


# --------------------------------------------------------------------------------------------
# Search without accents

FOLDED_FIELDS = {"folded_title": {"boost": 1e3}, "folded_text": {"boost": 1e0}}
"""Extra search fields: the accent-folded title and text of each entry."""


def fold_search_index(index: dict[str, Any]) -> dict[str, Any]:
    """Give each entry of a mkdocs-material search index its accent-folded title and text.

    They are extra indexed fields of the same entry (same location), so a query typed without
    accents finds the page while the results still show the accented text.
    """
    index["config"]["fields"].update(FOLDED_FIELDS)
    for doc in index["docs"]:
        for name in ("title", "text"):
            value = doc.get(name)
            if isinstance(value, str) and fold(value) != value:
                doc[f"folded_{name}"] = fold(value)
    return index
