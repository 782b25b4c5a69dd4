"""The semantic checks of a decoded rubric: sums, numbering, steps, bands, overrides and their
rules, the limit on a band, the not-applicable rule. Each problem names its place in the file
(rubric.check_rubric runs them; the loader turns the places into file:line:col)."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from . import codec
from .checks_rules import check_not_applicable, check_overrides, check_quota
from .model import (
    FORMAT_VERSION,
    Band,
    Criterion,
    Item,
    ItemVariant,
    Rubric,
)
from .problems import Path, Problem, describe, format_path, quoted
from .rubric import (
    band_order,
    base_criteria,
    criterion_ids,
    criterion_max,
    field_max,
    item_for,
    varied_types,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""What a rubric's id may be: lower-case letters without accents, digits and dashes."""
COUNTED_KINDS = ("steps", "deduction")
"""The item kinds that count occurrences (per_unit)."""


class Checker:
    """Collects every semantic problem of a decoded rubric, each with its place."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.problems: list[Problem] = []

    def fail(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def positive(self, value: Decimal | None, path: Path) -> None:
        if value is not None and value <= 0:
            self.fail(path, f"phải là một số > 0 (nhận được {codec.format_decimal(value)})")

    def run(self) -> None:
        r = self.rubric
        if r.format != FORMAT_VERSION:
            self.fail(("format",), f"phải là {FORMAT_VERSION} (nhận được {r.format})")
        if not SLUG.match(r.id):
            self.fail(
                ("id",), f"phải gồm chữ thường không dấu, số và '-' (nhận được {quoted(r.id)})"
            )
        self.positive(r.total, ("total",))
        self.positive(r.default_step, ("default_step",))
        for key in ("date", "effective"):
            value = getattr(r.legal, key)
            if value is not None and not _is_date(value):
                self.fail(
                    ("legal", key), f"phải là ngày dạng YYYY-MM-DD (nhận được {describe(value)})"
                )
        self.unique(((("unit_types", i, "id"), t.id) for i, t in enumerate(r.unit_types)))
        if r.evidence is not None and r.evidence_required:
            self.fail(
                ("evidence_required",),
                f"không dùng cùng 'evidence' (đã là {quoted(r.evidence)}); chỉ giữ 'evidence'",
            )
        self.check_criteria()
        self.check_fields()
        self.check_bands()
        check_overrides(self)
        check_quota(self)
        check_not_applicable(self)

    def unique(self, entries: Iterable[tuple[Path, str]]) -> None:
        seen: dict[str, Path] = {}
        for path, value in entries:
            if value in seen:
                first = seen[value]
                self.fail(path, f"trùng mã {describe(value)} với {format_path(first)}")
            else:
                seen[value] = path

    def check_criteria(self) -> None:
        r = self.rubric
        if not any(c.section == "base" for c in r.criteria):
            self.fail(("criteria",), "phải có ít nhất một tiêu chí thuộc phần 'base'")
        ids = criterion_ids(r)
        for ci, crit in enumerate(r.criteria):
            cpath: Path = ("criteria", ci)
            expected = ids[ci] if ci < len(ids) else str(ci + 1)
            if crit.id != expected:
                hint = ""
                if "." in crit.id and r.numbering != "fields":
                    hint = (
                        "; nếu văn bản đánh số ba cấp (lĩnh vực, tiêu chí, tiêu chí thành phần),"
                        " ghi numbering: 'fields'"
                    )
                self.fail(
                    (*cpath, "id"),
                    f"phải là {quoted(expected)} theo thứ tự đánh số"
                    f" (nhận được {quoted(crit.id)}){hint}",
                )
            self.positive(crit.max, (*cpath, "max"))
            if not crit.items:
                self.fail((*cpath, "items"), "phải có ít nhất một mục")
            for ii, item in enumerate(crit.items):
                self.check_item(item, f"{expected}.{ii + 1}", (*cpath, "items", ii))
            if crit.capped and crit.section != "base":
                self.fail(
                    (*cpath, "capped"),
                    "chỉ dùng với section 'base' (điểm thưởng, điểm trừ luôn có trần là max)",
                )
            self.check_sum(crit, None, cpath)
            self.variant_types(crit.by_unit_type, (*cpath, "by_unit_type"))
            for type_id in varied_types(r):
                self.check_sum(crit, type_id, cpath)
        for each in (None, *varied_types(r)):
            total = sum((criterion_max(c, each) for c in base_criteria(r)), Decimal(0))
            if total != r.total and any(c.section == "base" for c in r.criteria):
                self.fail(
                    ("total",),
                    f"{_for_type(each)}phải bằng tổng điểm tối đa của các tiêu chí"
                    f" = {codec.format_decimal(total)} (nhận được"
                    f" {codec.format_decimal(r.total)})",
                )
                break

    def check_sum(self, crit: Criterion, type_id: str | None, cpath: Path) -> None:
        """A criterion's maximum against its items' (for a unit type, with the variants of
        both): equal, below it when capped, at most it for bonus and penalty."""
        if not crit.items:
            return
        item_sum = sum((item_for(i, type_id).max for i in crit.items), Decimal(0))
        top = criterion_max(crit, type_id)
        same = item_sum == sum((i.max for i in crit.items), Decimal(0)) and top == crit.max
        if type_id is not None and same:
            return  # nothing differs for this type: checked once, for every type
        path: Path = (*cpath, "max")
        declared = False
        for vi, variant in enumerate(crit.by_unit_type):
            if type_id in variant.unit_types:
                path, declared = (*cpath, "by_unit_type", vi, "max"), True
        fmt = codec.format_decimal
        lead = _for_type(type_id)
        if crit.section == "base" and crit.capped:
            if top >= item_sum:
                self.fail(
                    path,
                    f"{lead}phải nhỏ hơn tổng điểm tối đa của các mục = {fmt(item_sum)} khi có"
                    f" capped: true (nhận được {fmt(top)})",
                )
        elif crit.section == "base" and item_sum != top:
            hint = ""
            if top < item_sum:
                hint = "; nếu nguồn cho tiêu chí tối đa thấp hơn tổng các mục, ghi capped: true"
            if type_id is not None and not declared:
                hint += "; nếu nguồn cho tiêu chí điểm tối đa khác với loại này, ghi by_unit_type"
            self.fail(
                path,
                f"{lead}phải bằng tổng điểm tối đa của các mục = {fmt(item_sum)}"
                f" (nhận được {fmt(top)}){hint}",
            )
        elif crit.section != "base" and top > item_sum:
            self.fail(
                path,
                f"{lead}phải ≤ tổng điểm tối đa của các mục = {fmt(item_sum)}"
                f" (nhận được {fmt(top)})",
            )

    def check_item(self, item: Item, expected: str, path: Path) -> None:
        r = self.rubric
        if item.id != expected:
            self.fail(
                (*path, "id"),
                f"phải là {quoted(expected)} theo thứ tự đánh số (nhận được {quoted(item.id)})",
            )
        self.positive(item.max, (*path, "max"))
        self.positive(item.step, (*path, "step"))
        self.positive(item.per_unit, (*path, "per_unit"))
        kind = item.kind
        self.only_for(item.step, ("score",), kind, (*path, "step"))
        self.only_for(item.per_unit, COUNTED_KINDS, kind, (*path, "per_unit"))
        self.only_for(item.rounding, ("ratio",), kind, (*path, "rounding"))
        self.only_for(item.denominator, ("ratio",), kind, (*path, "denominator"))
        self.only_for(item.counts, (*COUNTED_KINDS, "ratio"), kind, (*path, "counts"))
        self.only_for(item.levels or None, ("choice",), kind, (*path, "levels"))
        self.only_for(item.thresholds or None, ("ratio",), kind, (*path, "thresholds"))
        self.only_for(item.ratio_steps, ("ratio",), kind, (*path, "ratio_steps"))
        zero = item.zero_denominator if item.zero_denominator != "invalid" else None
        self.only_for(zero, ("ratio",), kind, (*path, "zero_denominator"))
        if kind == "score":
            step = item.step if item.step is not None else r.default_step
            self.multiple(item.max, step, (*path, "max"), "bước chấm")
        elif kind == "choice":
            if len(item.levels) < 2:
                self.fail((*path, "levels"), "phải có ít nhất 2 mức để chọn")
            for li, level in enumerate(item.levels):
                lpath: Path = (*path, "levels", li)
                lexp = f"{expected}.{li + 1}"
                if level.id != lexp:
                    self.fail(
                        (*lpath, "id"),
                        f"phải là {quoted(lexp)} theo thứ tự đánh số"
                        f" (nhận được {quoted(level.id)})",
                    )
                if not Decimal(0) <= level.points <= item.max:
                    self.fail(
                        (*lpath, "points"),
                        f"phải nằm trong khoảng 0..{codec.format_decimal(item.max)}"
                        f" (nhận được {codec.format_decimal(level.points)})",
                    )
        elif kind in COUNTED_KINDS:
            if item.per_unit is None:
                self.fail((*path, "per_unit"), f"thiếu khóa bắt buộc với loại {quoted(kind)}")
        elif kind == "ratio":
            self.check_ratio(item, path)
        if item.rounding is not None:
            self.positive(item.rounding.step, (*path, "rounding", "step"))
            self.multiple(item.max, item.rounding.step, (*path, "max"), "bước làm tròn")
        ev = item.evidence
        if ev is not None and ev.strength is None and ev.required is None:
            self.fail(
                (*path, "evidence", "strength"),
                "thiếu mức yêu cầu tài liệu kiểm chứng: 'required', 'expected' hoặc 'none'",
            )
        elif ev is not None and ev.strength is not None and ev.required is not None:
            self.fail(
                (*path, "evidence", "required"),
                f"không dùng cùng 'strength' (đã là {quoted(ev.strength)}); chỉ giữ 'strength'",
            )
        for ti, type_id in enumerate(item.applies_to):
            self.unit_type(type_id, (*path, "applies_to", ti))
        if item.by_unit_type:
            self.check_item_variants(item, expected, path)

    def unit_type(self, type_id: str, path: Path) -> bool:
        """Whether a unit type id is declared in unit_types (a problem if not)."""
        known = [t.id for t in self.rubric.unit_types]
        if type_id in known:
            return True
        names = ", ".join(quoted(k) for k in sorted(known)) or "(chưa khai báo unit_types)"
        self.fail(
            path,
            f"phải là mã loại đơn vị trong unit_types: {names} (nhận được {quoted(type_id)})"
            f"{codec.suggest(type_id, known)}",
        )
        return False

    def variant_types(self, variants: Iterable[Any], path: Path) -> None:
        """Each variant names known unit types, at least one, each in one variant only."""
        seen: dict[str, Path] = {}
        for vi, variant in enumerate(variants):
            vpath: Path = (*path, vi, "unit_types")
            if not variant.unit_types:
                self.fail(vpath, "phải nêu ít nhất một mã loại đơn vị")
            for ti, type_id in enumerate(variant.unit_types):
                if not self.unit_type(type_id, (*vpath, ti)):
                    continue
                if type_id in seen:
                    self.fail(
                        (*vpath, ti), f"loại {quoted(type_id)} đã có ở {format_path(seen[type_id])}"
                    )
                else:
                    seen[type_id] = (*vpath, ti)
            self.positive(variant.max, (*path, vi, "max"))

    def check_item_variants(self, item: Item, expected: str, path: Path) -> None:
        """An item's other points for some unit types (ItemVariant): known types, keys of its
        kind and way of scoring, and, applied to the item, the same rules as the item's own."""
        vpath: Path = (*path, "by_unit_type")
        self.variant_types(item.by_unit_type, vpath)
        kind = item.kind
        for vi, variant in enumerate(item.by_unit_type):
            here: Path = (*vpath, vi)
            known = {t.id for t in self.rubric.unit_types}
            for type_id in variant.unit_types:
                if item.applies_to and type_id in known and type_id not in item.applies_to:
                    self.fail(
                        (*here, "unit_types"),
                        f"mục không áp dụng cho loại {quoted(type_id)} (applies_to)",
                    )
            self.only_for(variant.levels or None, ("choice",), kind, (*here, "levels"))
            self.only_for(variant.per_unit, COUNTED_KINDS, kind, (*here, "per_unit"))
            for key in ("thresholds", "ratio_steps"):
                if getattr(variant, key) and not getattr(item, key):
                    self.fail(
                        (*here, key), f"chỉ dùng khi mục cũng chấm theo {key} (cùng một cách chấm)"
                    )
            if variant.levels:
                ids = [level.id for level in item.levels]
                given = [lp.id for lp in variant.levels]
                if given != ids:
                    self.fail(
                        (*here, "levels"),
                        "phải nêu điểm của mọi mức, theo thứ tự của levels: " + ", ".join(ids),
                    )
            self.check_as_varied(item, variant, expected, here)

    def check_as_varied(self, item: Item, variant: ItemVariant, expected: str, here: Path) -> None:
        """The item as it stands for the variant's types obeys the item's rules. A problem the
        item has anyway is the item's own (reported once, at the item); any other is the
        variant's: at the key it sets, or, in a key it leaves to the item (a level's points
        above the variant's maximum), at its `max`, naming that key."""
        effective = item_for(item, variant.unit_types[0]) if variant.unit_types else item
        found, anyway = Checker(self.rubric), Checker(self.rubric)
        found.check_item(dataclasses.replace(effective, by_unit_type=()), expected, here)
        anyway.check_item(dataclasses.replace(item, by_unit_type=()), expected, here)
        own = set(anyway.problems)
        keys = {
            "max",
            *(
                k
                for k in ("levels", "per_unit", "thresholds", "ratio_steps")
                if getattr(variant, k)
            ),
        }
        for problem in found.problems:
            if problem in own or problem in self.problems:
                continue
            rest = problem.path[len(here) :]
            if rest and rest[0] in keys:
                self.problems.append(problem)
            else:
                self.fail(
                    (*here, "max"),
                    f"với điểm của biến thể này, {format_path(rest)} của mục {problem.message}",
                )

    def check_ratio(self, item: Item, path: Path) -> None:
        """A ratio scores in proportion (rounded), by thresholds or stepwise: exactly one."""
        stated = [k for k in ("thresholds", "ratio_steps") if getattr(item, k)]
        if len(stated) > 1:
            self.fail((*path, "ratio_steps"), "không dùng cùng lúc với thresholds (chọn một cách)")
        if stated and item.rounding is not None:
            self.fail(
                (*path, "rounding"),
                f"không dùng với {stated[0]}: số điểm đã nêu sẵn, không phải làm tròn",
            )
        if not stated and item.rounding is None:
            self.fail((*path, "rounding"), "thiếu quy tắc làm tròn bắt buộc với loại 'ratio'")
        if item.thresholds:
            self.check_thresholds(item, (*path, "thresholds"))
        if item.ratio_steps is not None:
            self.check_ratio_steps(item, (*path, "ratio_steps"))

    def percent(self, value: Decimal, path: Path, low: Decimal = Decimal(0)) -> bool:
        fmt = codec.format_decimal
        if low <= value <= 100:
            return True
        self.fail(path, f"phải là tỷ lệ phần trăm từ {fmt(low)} đến 100 (nhận được {fmt(value)})")
        return False

    def points_within(self, value: Decimal, item: Item, path: Path) -> None:
        if not Decimal(0) <= value <= item.max:
            self.fail(
                path,
                f"phải nằm trong khoảng 0..{codec.format_decimal(item.max)}"
                f" (nhận được {codec.format_decimal(value)})",
            )

    def check_thresholds(self, item: Item, path: Path) -> None:
        fmt = codec.format_decimal
        above: Decimal | None = None
        for ti, threshold in enumerate(item.thresholds):
            tpath: Path = (*path, ti)
            self.percent(threshold.at_least, (*tpath, "at_least"))
            if above is not None and threshold.at_least >= above:
                self.fail(
                    (*tpath, "at_least"),
                    f"phải nhỏ hơn ngưỡng liền trước = {fmt(above)} (các ngưỡng xếp từ cao"
                    f" xuống thấp) (nhận được {fmt(threshold.at_least)})",
                )
            above = threshold.at_least
            self.points_within(threshold.points, item, (*tpath, "points"))
        if all(t.points != item.max for t in item.thresholds):
            self.fail(
                (*path[:-1], "max"),
                f"phải là số điểm của một ngưỡng trong thresholds (nhận được {fmt(item.max)})",
            )

    def check_ratio_steps(self, item: Item, path: Path) -> None:
        steps = item.ratio_steps
        assert steps is not None
        fmt = codec.format_decimal
        start_ok = self.percent(steps.start, (*path, "start"))
        until = steps.start if steps.flat_until is None else steps.flat_until
        if steps.flat_until is not None and start_ok:
            start_ok = self.percent(steps.flat_until, (*path, "flat_until"), steps.start)
        self.positive(steps.every, (*path, "every"))
        self.positive(steps.add, (*path, "add"))
        self.positive(steps.points, (*path, "points"))
        self.points_within(steps.points, item, (*path, "points"))
        if start_ok and steps.every > 0 and steps.add > 0 and 0 < steps.points <= item.max:
            best = steps.points + ((100 - until) // steps.every) * steps.add
            if best < item.max:
                self.fail(
                    (*path[:-1], "max"),
                    f"không đạt được: tỷ lệ 100 % chỉ được {fmt(best)} điểm theo ratio_steps"
                    f" (nhận được {fmt(item.max)})",
                )

    def multiple(self, value: Decimal, step: Decimal, path: Path, what: str) -> None:
        """Rounded or stepped points must land on the maximum exactly."""
        if step > 0 and value > 0 and value % step != 0:
            self.fail(
                path,
                f"phải là bội số của {what} {codec.format_decimal(step)}"
                f" (nhận được {codec.format_decimal(value)})",
            )

    def only_for(self, value: Any, kinds: tuple[str, ...], kind: str, path: Path) -> None:
        if value is not None and kind not in kinds:
            allowed = ", ".join(quoted(k) for k in kinds)
            self.fail(path, f"chỉ dùng với loại {allowed} (mục này có kind {quoted(kind)})")

    def check_fields(self) -> None:
        r = self.rubric
        if not r.fields:
            if r.numbering == "fields":
                self.fail(
                    ("numbering",),
                    "đánh số theo lĩnh vực ('fields') cần khai báo 'fields' (các lĩnh vực)",
                )
            return
        self.unique(((("fields", i, "id"), f.id) for i, f in enumerate(r.fields)))
        fmt = codec.format_decimal
        for fi, fld in enumerate(r.fields):
            if r.numbering == "fields" and fld.id != str(fi + 1):
                self.fail(
                    ("fields", fi, "id"),
                    f"phải là {quoted(str(fi + 1))} theo thứ tự đánh số lĩnh vực"
                    f" (nhận được {quoted(fld.id)})",
                )
            for k, cid in enumerate(fld.criteria):
                want = f"{fi + 1}.{k + 1}"
                if r.numbering == "fields" and cid != want:
                    self.fail(
                        ("fields", fi, "criteria", k),
                        f"phải là {quoted(want)}: tiêu chí thứ {k + 1} của lĩnh vực {fi + 1}"
                        f" (nhận được {quoted(cid)})",
                    )
            self.positive(fld.max, ("fields", fi, "max"))
            derived = field_max(r, fld)
            if fld.max is not None and fld.max != derived:
                self.fail(
                    ("fields", fi, "max"),
                    f"phải bằng tổng điểm tối đa của các tiêu chí phần chính trong lĩnh vực"
                    f" = {fmt(derived)} (nhận được {fmt(fld.max)})",
                )
        ids = {c.id for c in r.criteria}
        placed: dict[str, Path] = {}
        for fi, fld in enumerate(r.fields):
            for ci, cid in enumerate(fld.criteria):
                path: Path = ("fields", fi, "criteria", ci)
                if cid not in ids:
                    self.fail(path, f"phải là mã một tiêu chí (nhận được {quoted(cid)})")
                elif cid in placed:
                    self.fail(path, f"tiêu chí {quoted(cid)} đã thuộc {format_path(placed[cid])}")
                else:
                    placed[cid] = path
        missing = [c.id for c in r.criteria if c.id not in placed]
        if missing:
            self.fail(
                ("fields",),
                "phải xếp mọi tiêu chí vào một lĩnh vực (còn thiếu "
                + ", ".join(quoted(m) for m in missing)
                + ")",
            )

    def check_bands(self) -> None:
        r = self.rubric
        if not r.bands:
            if r.bands_note is None:
                self.fail(
                    ("bands_note",),
                    "phải nêu rõ văn bản nguồn nói gì về mức xếp loại khi không có 'bands'",
                )
            return
        self.unique(((("bands", i, "id"), b.id) for i, b in enumerate(r.bands)))
        index = {id(b): i for i, b in enumerate(r.bands)}
        ordered = band_order(r)
        fmt = codec.format_decimal
        expected_min: Decimal | None = Decimal(0)
        previous: Band | None = None
        for pos, band in enumerate(ordered):
            path: Path = ("bands", index[id(band)])
            span = (band.min, band.max)
            top = all((b.min, b.max) == span for b in ordered[pos + 1 :])
            if previous is not None and (previous.min, previous.max) == (band.min, band.max):
                # Bands whose thresholds are not stated may share one range; none other may.
                if previous.stated or band.stated:
                    self.fail(
                        (*path, "min"),
                        f"trùng khoảng điểm với mức {quoted(previous.id)}; chỉ các mức có"
                        " stated: false (ngưỡng không được nêu) mới được chung một khoảng",
                    )
                continue
            previous = band
            if expected_min is not None and band.min != expected_min:
                what = "hở" if band.min > expected_min else "chồng lấn"
                self.fail(
                    (*path, "min"),
                    f"phải là {fmt(expected_min)} để các mức liền nhau, không {what}"
                    f" (nhận được {fmt(band.min)})",
                )
            if top:
                if band.max is not None:
                    self.fail(
                        (*path, "max"),
                        f"phải là null ở mức cao nhất (nhận được {fmt(band.max)})",
                    )
                on_index = r.index is not None and r.index.bands
                limit, what = (Decimal(100), "chỉ số 100 %") if on_index else (r.total, "tổng điểm")
                if band.min > limit:
                    self.fail(
                        (*path, "min"),
                        f"phải ≤ {what} {fmt(limit)} (nhận được {fmt(band.min)})",
                    )
            elif band.max is None:
                self.fail((*path, "max"), "chỉ mức cao nhất được để null")
            elif band.max <= band.min:
                self.fail(
                    (*path, "max"),
                    f"phải > min = {fmt(band.min)} (nhận được {fmt(band.max)})",
                )
            # After a band with no upper bound the next lower bound cannot be checked.
            expected_min = band.max


def _for_type(type_id: str | None) -> str:
    """The start of a message about the maxima of one unit type."""
    return "" if type_id is None else f"với loại đơn vị {quoted(type_id)}: "


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
