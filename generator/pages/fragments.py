"""The HTML fragments of the scoring and summary pages: the scoring form (with its printouts)
and the summary tool, rendered from the templates of the folder the site gives.

The fragments' markup sits with the scripts that read it (the site's overrides); each is
placed in its Markdown page as a raw HTML block.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from scoring_py import api, codec, document, engine, shapes, workbook
from scoring_py.model import Criterion, Field, Item, Rubric
from scoring_py.rubric import (
    criterion_max,
    evidence_strength,
    field_max,
    item_for,
    needs_evidence,
    top_total,
    varied_types,
)

from ..textout import criterion_number, item_number
from .markup import html_block, html_environment, script_json, vn_number
from .words import (
    EVIDENCE_FORM_VI,
    STAGE_LABEL,
    applies_to,
    capped_words,
    how_scored,
    override_condition,
    override_effect,
    quota_words,
)

FORM_PAGE = "cham-diem"
"""Name of each rubric's scoring page (the page is <rubric-id>/cham-diem/)."""
SUMMARY_PAGE = "tong-hop"
"""Name of each rubric's summary page (the page is <rubric-id>/tong-hop/)."""
SCORER = {"rubric": "../rubric.json"}
"""What the scoring and summary pages start their worker with (page.meta.scorer: the
`data-scorer` script in their <head>): the rubric's address, relative to <rubric-id>/<page>/."""


class ByType:
    """The texts of the scoring page that differ by unit type (ItemVariant, CriterionVariant),
    as a `data-by-type` attribute: {"xa": "8"} beside the element's own text, which is for
    every other type (cham-diem/unit-type.mjs shows the one of the unit's type)."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.types = varied_types(rubric)

    def attr(self, text_of: Any) -> Markup:
        own = text_of(None)
        texts = {t: text for t in self.types if (text := text_of(t)) != own}
        if not texts:
            return Markup("")
        return Markup(' data-by-type="{}"').format(codec.dumps(texts))

    def item_max(self, item: Item) -> Markup:
        return self.attr(lambda t: vn_number(item_for(item, t).max))

    def how(self, item: Item) -> Markup:
        return self.attr(lambda t: self.how_text(item_for(item, t)))

    def how_text(self, item: Item) -> str:
        return f"Tối đa {vn_number(item.max)} điểm. {how_scored(self.rubric, item)}"

    def level(self, item: Item, index: int) -> Markup:
        return self.attr(lambda t: vn_number(item_for(item, t).levels[index].points))

    def criterion_max(self, crit: Criterion) -> Markup:
        return self.attr(lambda t: vn_number(criterion_max(crit, t)))

    def field_max(self, fld: Field) -> Markup:
        return self.attr(lambda t: vn_number(field_max(self.rubric, fld, t)))


@dataclass(frozen=True, slots=True)
class FormField:
    """A field (lĩnh vực) of the scoring form, shown above its first criterion."""

    field: Field
    max: Decimal


@dataclass(frozen=True, slots=True)
class FormCriterion:
    """One criterion of the scoring form."""

    number: int
    criterion: Criterion
    field: FormField | None = None
    """The field that begins with this criterion, if any."""


def form_criteria(rubric: Rubric) -> list[FormCriterion]:
    """The criteria in order, each with the field it opens."""
    starts = {f.criteria[0]: f for f in rubric.fields if f.criteria}
    return [
        FormCriterion(
            n,
            c,
            FormField(starts[c.id], field_max(rubric, starts[c.id])) if c.id in starts else None,
        )
        for n, c in enumerate(rubric.criteria, start=1)
    ]


def environment(folder: Path) -> jinja2.Environment:
    """The Jinja2 environment of the fragments' templates in `folder`."""
    return html_environment(
        folder,
        STAGES=document.STAGES,
        ALL_STAGES=shapes.RESULT_STAGES,  # the stages whose results the form shows
        STAGE_LABEL=STAGE_LABEL,
        GIVER=engine.GIVER_NAMES,
        PAPER_LABEL=shapes.PAPER_LABELS,
    )


def scoring_form(
    env: jinja2.Environment, rubric: Rubric, site_rubrics: tuple[Rubric, ...] = ()
) -> Markup:
    """The scoring form of a rubric, as HTML (for the page <rubric-id>/cham-diem/).

    `site_rubrics` are the site's rubrics: the page names the rubric of a file made for
    another one (by Rubric.short_name) when it refuses to open it.
    """
    template = codec.dumps(document.template(rubric), sort_keys=False)
    names = {other.id: other.short_name for other in site_rubrics}
    html_text = env.get_template("form.html.j2").render(
        rubric=rubric,
        template_json=script_json(template),
        contract_json=script_json(api.contract()),
        rubrics_json=script_json(codec.dumps(names)),
        criteria=form_criteria(rubric),
        has_reserved=any(i.given_by != "unit" for c in rubric.criteria for i in c.items),
        top=top_total(rubric),
        how=lambda item: how_scored(rubric, item),
        crit_no=lambda number: criterion_number(rubric, number),
        item_no=lambda crit, number: item_number(rubric, crit, number),
        applies=lambda item: applies_to(rubric, item),
        needs_evidence=lambda item: needs_evidence(rubric, item),
        evidence_labels=lambda item: EVIDENCE_FORM_VI[evidence_strength(rubric, item)],
        override_effect=lambda o: override_effect(rubric, o),
        override_condition=lambda o: override_condition(rubric, o),
        capped=capped_words,
        by_type=ByType(rubric),
        attachment_accept=",".join(shapes.ATTACHMENT_TYPES),
    )
    return html_block(html_text)


def summary_form(env: jinja2.Environment, rubric: Rubric) -> Markup:
    """The summary tool of a rubric, as HTML (for the page <rubric-id>/tong-hop/).

    The units' table is drawn from scoring_py.summary.table(), the table of
    `thangdiem aggregate --csv`.
    """
    html_text = env.get_template("tong-hop.html.j2").render(
        rubric=rubric,
        contract_json=script_json(api.contract()),
        xlsx_type=workbook.MEDIA_TYPE,
        quota_words=quota_words(rubric),
    )
    return html_block(html_text)
