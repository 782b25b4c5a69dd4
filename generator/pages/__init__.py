"""Generate the criteria guide (the documentation site) from the rubrics.

Everything here is pure: `build_site` reads the rubrics' folder and the folders it is given and
returns the generated pages (Markdown, rendered from Jinja2 templates), the static files to
publish and the navigation. The site's MkDocs hook hands them to MkDocs; nothing is written to
disk here, and nothing here knows MkDocs.

The modules: markup (escaping, filters, Jinja2 environments), words (the rubric's rules in
Vietnamese), example (the worked example), reference (the authors' format reference),
fragments (the HTML of the scoring and summary tools), starting (the "Bắt đầu" pages of each
role, with their screenshots), output (what is handed over).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from scoring_py.model import Rubric
from scoring_py.rubric import (
    band_order,
    canonical_json,
    evidence_strength,
    field_max,
    needs_evidence,
)

from ..loader import RubricFileError, load_file, read_source, rubric_files, source_path
from ..textout import criterion_number
from . import fragments, starting
from .example import worked_example
from .fragments import FORM_PAGE, SCORER, SUMMARY_PAGE
from .markup import environment, shorten
from .output import Page, Site, SiteError
from .reference import format_reference
from .words import (
    EVIDENCE_SHORT_VI,
    EVIDENCE_VI,
    GIVEN_BY_VI,
    KIND_NAME_VI,
    OVERRIDE_ORDER_VI,
    SECTION_VI,
    STATUS_VI,
    applies_to,
    band_range,
    band_unit,
    capped_words,
    how_scored,
    index_words,
    max_words,
    not_applicable_rule,
    override_condition,
    override_effect,
    quota_words,
    rubric_short,
    unstated_band_range,
    unstated_rules,
    variant_words,
)

__all__ = ["Page", "Site", "SiteError", "build_site"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The page templates (Markdown; the HTML fragments' templates are given to build_site)."""
GUIDE = "huong-dan-soan-thang-diem"
"""Folder of the rubric authors' guide in the site."""
EXAMPLE = f"{GUIDE}/vi-du-thang-diem.yaml"
"""The annotated example rubric, inside the docs folder (published as a static file too)."""
SCHEMA = "schema/rubric.schema.json"
"""The JSON Schema, inside the docs folder."""
SITE_NAME = "Thang điểm dân vận chính quyền"

STATUS_ORDER = {"in_force": 0, "draft": 1, "replaced": 2}


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


def build_site(
    rubrics_dir: Path, docs_dir: Path, fragments_dir: Path, *, serving: bool = False
) -> Site:
    """Generate every page and static file of the guide.

    `docs_dir` holds the authors' annotated example; `fragments_dir` the templates of the HTML
    fragments (see fragments.py). `serving`: for `mkdocs serve`, which makes no zip of the site
    (the home page says where the zip comes from instead of linking to it).
    """
    rubrics = load_rubrics(rubrics_dir)
    example_path = docs_dir / EXAMPLE
    try:
        example = load_file(example_path)
    except RubricFileError as exc:
        raise SiteError([str(p) for p in exc.problems]) from None
    env = environment(
        TEMPLATES,
        STATUS=STATUS_VI,
        GIVEN_BY=GIVEN_BY_VI,
        SECTION=SECTION_VI,
        KIND=KIND_NAME_VI,
        EVIDENCE=EVIDENCE_VI,
        OVERRIDE_ORDER=OVERRIDE_ORDER_VI,
        EVIDENCE_SHORT=EVIDENCE_SHORT_VI,
        SITE_NAME=SITE_NAME,
        GUIDE=GUIDE,
        FORM_PAGE=FORM_PAGE,
        SUMMARY_PAGE=SUMMARY_PAGE,
        ROLES=starting.ROLES,
        shot=starting.shot,
        EXPORTED=starting.EXPORTED,
    )
    form_env = fragments.environment(fragments_dir)
    site = Site()

    def page(src_uri: str, title: str, template: str, **context: Any) -> None:
        content = env.get_template(template).render(**context)
        site.pages.append(Page(src_uri, title, content))

    page("index.md", "Trang chủ", "home.md.j2", rubrics=rubrics, serving=serving)
    site.nav.append({_nav("Trang chủ"): "index.md"})
    for role in starting.ROLES:
        page(role.src_uri, role.title, role.template, rubrics=rubrics)
    roles = [{_nav(role.title): role.src_uri} for role in starting.ROLES]
    site.nav.append({_nav(starting.NAV_TITLE): roles})
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
            "max_words": lambda entry, r=rubric: max_words(r, entry),
            "variants": lambda item, r=rubric: variant_words(r, item),
            "needs_evidence": lambda item, r=rubric: needs_evidence(r, item),
            "strength": lambda item, r=rubric: evidence_strength(r, item),
            "rubric_strength": rubric.evidence
            or ("expected" if rubric.evidence_required else "none"),
            "band_range": band_range,
            "band_unit": band_unit(rubric),
            "index_rule": index_words(rubric),
            "capped": capped_words,
            "crit_no": lambda n, r=rubric: criterion_number(r, n),
            "field_max": lambda f, r=rubric: field_max(r, f),
            "unstated_band_range": lambda b, r=rubric: unstated_band_range(r, b),
            "unstated_rules": unstated_rules(rubric),
            "override_effect": lambda o, r=rubric: override_effect(r, o),
            "override_condition": lambda o, r=rubric: override_condition(r, o),
            "quota": quota_words(rubric),
        }
        section: list[Any] = [f"{base}/index.md"]
        page(f"{base}/index.md", rubric_short(rubric), "rubric.md.j2", **context)
        for number, crit in enumerate(rubric.criteria, start=1):
            title = f"{criterion_number(rubric, number)}. {shorten(crit.title, 60)}"
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
            form=fragments.scoring_form(form_env, rubric, tuple(rubrics)),
            scorer=SCORER,
            **context,
        )
        section.append({_nav("Phiếu chấm điểm"): f"{base}/{FORM_PAGE}.md"})
        page(
            f"{base}/{SUMMARY_PAGE}.md",
            "Tổng hợp kết quả",
            "tong-hop.md.j2",
            form=fragments.summary_form(form_env, rubric),
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
