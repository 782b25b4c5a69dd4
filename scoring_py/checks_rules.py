"""The rubric's checks of what it says around the scores: the overrides and their rules on
the scores (`when`), the limit on a band across units (`quota`), the not-applicable rule and the
index. Each problem names its place (the Checker of scoring_py/checks.py collects them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import codec
from .model import Override
from .problems import Path, quoted
from .rubric import band_order

if TYPE_CHECKING:
    from .checks import Checker


def check_overrides(c: Checker) -> None:
    r = c.rubric
    c.unique(((("overrides", i, "id"), o.id) for i, o in enumerate(r.overrides)))
    bands = {b.id: b for b in r.bands}
    for oi, ovr in enumerate(r.overrides):
        check_trigger(c, oi, ovr)
        path: Path = ("overrides", oi, "band")
        if ovr.effect == "unclassifiable":
            if ovr.band is not None:
                c.fail(path, "không dùng với effect 'unclassifiable'")
        elif ovr.band is None:
            c.fail(path, f"thiếu mã mức xếp loại, bắt buộc với effect {quoted(ovr.effect)}")
        elif ovr.band in bands and not bands[ovr.band].stated:
            c.fail(
                path,
                f"mức {quoted(ovr.band)} có stated: false (ngưỡng không được nêu),"
                " không dùng được ở đây",
            )
        elif ovr.band not in bands:
            names = ", ".join(quoted(b.id) for b in r.bands if b.stated) or "(không có)"
            c.fail(path, f"phải là mã một mức xếp loại: {names} (nhận được {quoted(ovr.band)})")


def check_quota(c: Checker) -> None:
    """The limited band and the counted one are stated bands, the first above the second,
    and the share a percentage."""
    quota = c.rubric.quota
    if quota is None:
        return
    order = [b.id for b in band_order(c.rubric)]  # lowest first
    stated = [b.id for b in band_order(c.rubric) if b.stated]
    for key in ("band", "of"):
        value = getattr(quota, key)
        if value not in stated:
            names = ", ".join(quoted(b) for b in stated) or "(không có)"
            hint = codec.suggest(value, stated)
            c.fail(
                ("quota", key),
                f"phải là mã một mức xếp loại có ngưỡng: {names} (nhận được {quoted(value)}){hint}",
            )
            return
    if order.index(quota.band) <= order.index(quota.of):
        c.fail(("quota", "band"), f"phải là mức cao hơn mức {quoted(quota.of)} (of)")
    if not 0 <= quota.percent <= 100:
        c.fail(
            ("quota", "percent"),
            f"phải từ 0 đến 100 (nhận được {codec.format_decimal(quota.percent)})",
        )


def check_trigger(c: Checker, oi: int, ovr: Override) -> None:
    """An override holds by a question or by a rule on the scores (`when`), not both."""
    path: Path = ("overrides", oi)
    if (ovr.question is None) == (ovr.when is None):
        both = "chỉ được có một trong" if ovr.question is not None else "phải có"
        c.fail(path, f"{both} 'question' (câu hỏi có/không) hoặc 'when' (điều kiện theo điểm)")
    rule = ovr.when
    if rule is None:
        return
    wpath: Path = (*path, "when")
    if (rule.criterion is None) == (rule.item is None):
        c.fail(wpath, "phải có đúng một trong 'criterion' (mã tiêu chí) hoặc 'item' (mã mục)")
        return
    if (rule.below_percent is None) == (rule.at_most is None):
        c.fail(
            wpath,
            "phải có đúng một trong 'below_percent' (dưới bao nhiêu % điểm tối đa) hoặc"
            " 'at_most' (nhiều nhất bao nhiêu điểm)",
        )
        return
    fmt = codec.format_decimal
    items = {i.id: i for c in c.rubric.criteria for i in c.items}
    if rule.criterion is not None:
        known = [c.id for c in c.rubric.criteria]
        if rule.criterion not in known:
            hint = codec.suggest(rule.criterion, known)
            c.fail((*wpath, "criterion"), f"không có tiêu chí {quoted(rule.criterion)}{hint}")
        if rule.at_most is not None:
            c.fail((*wpath, "at_most"), "chỉ dùng với 'item'; với tiêu chí dùng 'below_percent'")
    if rule.item is not None and rule.item not in items:
        c.fail(
            (*wpath, "item"),
            f"không có mục {quoted(rule.item)}{codec.suggest(rule.item, list(items))}",
        )
    if rule.below_percent is not None and not 0 < rule.below_percent <= 100:
        c.fail(
            (*wpath, "below_percent"),
            f"phải lớn hơn 0 và không quá 100 (nhận được {fmt(rule.below_percent)})",
        )
    if rule.at_most is not None:
        item = items.get(rule.item or "")
        if rule.at_most < 0 or (item is not None and rule.at_most >= item.max):
            top = f" và nhỏ hơn điểm tối đa {fmt(item.max)} của mục" if item else ""
            c.fail(
                (*wpath, "at_most"),
                f"phải ≥ 0{top} (nhận được {fmt(rule.at_most)})",
            )


def check_not_applicable(c: Checker) -> None:
    r = c.rubric
    needs = [
        (ci, ii)
        for ci, c in enumerate(r.criteria)
        for ii, i in enumerate(c.items)
        if i.applies_to or i.may_be_not_applicable or i.zero_denominator == "not_applicable"
    ]
    rule = r.not_applicable
    if needs and rule is None:
        ci, ii = needs[0]
        c.fail(
            ("not_applicable",),
            f"phải nêu quy tắc tính điểm khi có mục không áp dụng (như criteria[{ci}].items[{ii}])",
        )
    if rule is not None:
        if rule.method == "proportional" and rule.rounding is None:
            c.fail(
                ("not_applicable", "rounding"),
                "thiếu quy tắc làm tròn, bắt buộc với method 'proportional'",
            )
        if rule.rounding is not None:
            c.positive(rule.rounding.step, ("not_applicable", "rounding", "step"))
            c.multiple(r.total, rule.rounding.step, ("total",), "bước làm tròn")
        if rule.scope != "total" and rule.method != "proportional":
            c.fail(
                ("not_applicable", "scope"),
                "chỉ dùng với method 'proportional' (không quy đổi thì không có chỗ quy đổi)",
            )
        elif rule.scope == "field" and not r.fields:
            c.fail(
                ("not_applicable", "scope"),
                "quy đổi theo lĩnh vực ('field') cần khai báo 'fields' (các lĩnh vực)",
            )
    if r.index is not None:
        c.positive(r.index.rounding.step, ("index", "rounding", "step"))
