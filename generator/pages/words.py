"""The rubric's rules in Vietnamese words, as the guide's pages state them, and the labels of
the model's enumerations.

The rules themselves live in scoring_py (scoring_py.rubric, which the engine applies too);
here they are only said.
"""

from __future__ import annotations

from decimal import Decimal

from scoring_py import model
from scoring_py.classify import classify
from scoring_py.model import Criterion, Item, Rubric
from scoring_py.points import round_to
from scoring_py.rubric import (
    band_order,
    criterion_max,
    item_for,
    item_step,
    shared_range,
    varied_types,
)

from ..textout import criterion_number
from .markup import vn_number

STATUS_VI = {"in_force": "Còn hiệu lực", "replaced": "Đã được thay thế", "draft": "Dự thảo"}
GIVEN_BY_VI = {
    "unit": "Đơn vị tự chấm",
    "appraiser": "Chỉ đoàn thẩm định chấm (đơn vị không tự chấm)",
    "superior": "Chỉ cấp trên chấm (đơn vị không tự chấm)",
    "survey": (
        "Điểm do cấp tỉnh nhập theo kết quả điều tra xã hội học (đơn vị và đoàn thẩm định không"
        " chấm)"
    ),
}
SECTION_VI = {"base": "Phần điểm chính", "bonus": "Điểm thưởng", "penalty": "Điểm trừ"}
ROUNDING_VI = {
    "half_up": "từ nửa bước trở lên thì làm tròn lên",
    "half_even": "đúng nửa bước thì làm tròn về bội số chẵn của bước",
    "down": "bỏ phần lẻ (làm tròn về phía 0)",
    "up": "có phần lẻ thì làm tròn lên",
}
KIND_NAME_VI = {
    "score": "chấm tự do",
    "choice": "chọn một mức",
    "yesno": "có/không",
    "ratio": "theo tỷ lệ",
    "steps": "cộng theo số lần",
    "deduction": "trừ theo số lần",
}
EVIDENCE_VI = {
    "required": (
        "bắt buộc: không có tài liệu kiểm chứng thì không được tính điểm (điểm tự chấm của mục"
        " được tính 0 điểm; giải trình không thay được tài liệu)."
    ),
    "expected": (
        "cần có: mục có điểm mà chưa có tài liệu kiểm chứng thì công cụ cảnh báo và đơn vị phải"
        " ghi giải trình vì sao không có; điểm vẫn được tính."
    ),
    "none": "không bắt buộc.",
}
"""What each evidence strength (scoring_py.model.EvidenceStrength) means, in the guide."""
EVIDENCE_SHORT_VI = {
    "required": "Bắt buộc (không có thì 0 điểm)",
    "expected": "Cần có (thiếu thì phải giải trình)",
    "none": "Không",
}
EVIDENCE_FORM_VI = {
    "required": (" (bắt buộc: không có thì mục được 0 điểm)", ""),
    "expected": (
        " (cần có khi có điểm)",
        " (bắt buộc khi có điểm mà không có tài liệu kiểm chứng)",
    ),
    "none": ("", ""),
}
"""What the form adds to the labels of the evidence and explanation fields."""
STAGE_LABEL = {"self": "Tự chấm", "appraisal": "Thẩm định", "final": "Kết quả cuối cùng"}
"""The stages' names in the form's headings."""


def rounding_words(rounding: model.Rounding) -> str:
    """A rounding rule in words; "half_even" with an example at its own step, scored by the
    engine (at a step of 0,5: 1,25 → 1 and 1,75 → 2)."""
    words = ROUNDING_VI[rounding.mode]
    if rounding.mode != "half_even":
        return words
    step = rounding.step
    examples = [step * 2 + step / 2, step * 3 + step / 2]
    shown = "; ".join(f"{vn_number(v)} → {vn_number(round_to(v, rounding))}" for v in examples)
    return f"{words}, ví dụ với bước {vn_number(step)}: {shown}"


def rubric_short(rubric: Rubric) -> str:
    """Short name for navigation: "Hưng Yên (02/2020/QĐ-UBND)" (Rubric.short_name)."""
    return rubric.short_name


def how_scored(rubric: Rubric, item: Item) -> str:
    """How an item is scored, in words (an item of a penalty criterion takes points off)."""
    section = next((c.section for c in rubric.criteria if any(i is item for i in c.items)), "base")
    if section == "penalty":
        return _how_penalized(rubric, item)
    return _how_earned(rubric, item)


def _how_earned(rubric: Rubric, item: Item) -> str:
    """How an item that earns points is scored, in words."""
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
    num = item.counts or "tử số"
    den = item.denominator or "mẫu số"
    zero = f" {ZERO_DENOMINATOR_WORDS}" if item.zero_denominator == "not_applicable" else ""
    if item.thresholds:
        return f"Theo tỷ lệ số {num} trên số {den}: {threshold_words(item)}.{zero}"
    if item.ratio_steps is not None:
        return f"Theo tỷ lệ số {num} trên số {den}: {ratio_steps_words(item)}.{zero}"
    assert item.rounding is not None  # kind "ratio": guaranteed by the loader
    return (
        f"Theo tỷ lệ: số {num} ÷ số {den} × {mx} điểm, làm tròn đến "
        f"{vn_number(item.rounding.step)} điểm ({rounding_words(item.rounding)}).{zero}"
    )


ZERO_DENOMINATOR_WORDS = (
    "Mẫu số bằng 0 (không có việc để tính tỷ lệ) thì mục được tính là “không phát sinh”:"
    " không tính vào điểm tối đa."
)
"""What a ratio item whose zero denominator means "không phát sinh" says of it."""


def _percent(value: Decimal) -> str:
    return f"{vn_number(value)}%"


def threshold_words(item: Item) -> str:
    """A ratio's thresholds in words, highest first: "đạt 100% được 2 điểm; từ 80% đến dưới
    100% được 1 điểm; dưới 80% được 0 điểm"."""
    parts = []
    above: Decimal | None = None
    for threshold in item.thresholds:  # highest first (the loader checks it)
        low, got = threshold.at_least, f"được {vn_number(threshold.points)} điểm"
        if above is None:
            reach = "đạt 100%" if low == 100 else f"từ {_percent(low)} trở lên"
        elif low == 0:
            reach = f"dưới {_percent(above)}"
        else:
            reach = f"từ {_percent(low)} đến dưới {_percent(above)}"
        parts.append(f"{reach} {got}")
        above = low
    if above is not None and above > 0:
        parts.append(f"dưới {_percent(above)} được 0 điểm")
    return "; ".join(parts)


def ratio_steps_words(item: Item) -> str:
    """Stepwise points in words: "dưới 10% được 0 điểm; từ 10% đến 20% được 1 điểm; trên 20%,
    cứ thêm đủ 5% được cộng 0,25 điểm, tối đa 2 điểm"."""
    steps = item.ratio_steps
    assert steps is not None
    parts = [] if steps.start == 0 else [f"dưới {_percent(steps.start)} được 0 điểm"]
    got = f"được {vn_number(steps.points)} điểm"
    more = (
        f"cứ thêm đủ {_percent(steps.every)} được cộng {vn_number(steps.add)} điểm,"
        f" tối đa {vn_number(item.max)} điểm"
    )
    if steps.flat_until is None or steps.flat_until == steps.start:
        parts.append(f"đạt {_percent(steps.start)} {got}; trên {_percent(steps.start)}, {more}")
    else:
        until = _percent(steps.flat_until)
        parts.append(f"từ {_percent(steps.start)} đến {until} {got}; trên {until}, {more}")
    return "; ".join(parts)


def capped_words(criterion: Criterion) -> str | None:
    """What the cap of a criterion below its items' sum does (after "tiêu chí …"), or None
    when it has none."""
    if not criterion.capped:
        return None
    items = sum((i.max for i in criterion.items), Decimal(0))
    cap = vn_number(criterion.max)
    return (
        f"được tối đa {cap} điểm, dù các mục cộng lại tối đa {vn_number(items)} điểm:"
        f" tổng điểm các mục vượt {cap} thì chỉ tính {cap}."
    )


def _how_penalized(rubric: Rubric, item: Item) -> str:
    """How an item of a penalty criterion is scored: its points are taken off the total."""
    mx = vn_number(item.max)
    counts = item.counts or "lần"
    per = vn_number(item.per_unit or 0)
    end = f"; số điểm này được trừ vào tổng điểm (trừ tối đa {mx} điểm)."
    if item.kind == "steps":
        return f"Trừ {per} điểm cho mỗi {counts}" + end
    if item.kind == "yesno":
        return f"Có/không: có thì bị trừ {mx} điểm, không thì không bị trừ" + end[:-1] + "."
    if item.kind == "score":
        step = vn_number(item_step(rubric, item))
        return f"Ghi số điểm bị trừ, từ 0 đến {mx} điểm, theo bước {step} điểm" + end
    return _how_earned(rubric, item) + " Điểm của mục là điểm trừ, trừ vào tổng điểm."


def applies_to(rubric: Rubric, item: Item) -> str:
    """Which unit types an item applies to, in words."""
    if not item.applies_to:
        return "Mọi loại đơn vị."
    names = {t.id: t.name for t in rubric.unit_types}
    return "Chỉ " + "; ".join(names.get(i, i) for i in item.applies_to) + "."


def _type_names(rubric: Rubric, ids: tuple[str, ...]) -> str:
    names = {t.id: t.name for t in rubric.unit_types}
    return "; ".join(names.get(i, i) for i in ids)


def variant_words(rubric: Rubric, item: Item) -> list[tuple[str, str]]:
    """Per variant of an item (ItemVariant), the unit types and how a unit of those types is
    scored: ("UBND xã, phường", "tối đa 8 điểm. Chọn một mức … Điểm các mức: 1.1.2.1: 8; …")."""
    out = []
    for variant in item.by_unit_type:
        own = item_for(item, variant.unit_types[0])
        text = f"tối đa {vn_number(own.max)} điểm. {how_scored(rubric, own)}"
        if own.levels:
            levels = "; ".join(f"mức {lv.id}: {vn_number(lv.points)}" for lv in own.levels)
            text += f" Điểm các mức: {levels}."
        out.append((_type_names(rubric, variant.unit_types), text))
    return out


def max_words(rubric: Rubric, entry: Item | Criterion) -> str:
    """A maximum, with the other maxima by unit type: "10 (UBND xã, phường: 8)"."""
    if isinstance(entry, Criterion):
        maxima = {t: criterion_max(entry, t) for t in varied_types(rubric)}
    else:
        maxima = {t: item_for(entry, t).max for t in varied_types(rubric)}
    others: dict[Decimal, list[str]] = {}
    for type_id, value in maxima.items():
        if value != entry.max:
            others.setdefault(value, []).append(type_id)
    shown = [f"{_type_names(rubric, tuple(ids))}: {vn_number(v)}" for v, ids in others.items()]
    return vn_number(entry.max) + (f" ({'; '.join(shown)})" if shown else "")


def band_range(band: model.Band, unit: str = "điểm") -> str:
    """A band's range in words: "Từ 75 đến dưới 90 điểm" (unit "%": bounds of the index)."""
    low = vn_number(band.min)
    if band.max is None:
        return f"Từ {low} {unit} trở lên"
    if band.min == 0:
        return f"Dưới {vn_number(band.max)} {unit}"
    return f"Từ {low} đến dưới {vn_number(band.max)} {unit}"


def unstated_band_range(rubric: Rubric, band: model.Band) -> str:
    """The range of a band whose threshold the source does not state, and what that means."""
    shared = shared_range(rubric, band)
    span = band_range(band, band_unit(rubric))
    if len(shared) < 2:
        return f"{span} (mức không được văn bản nguồn nêu: không tự xếp loại)"
    others = ", ".join(f"“{b.name}”" for b in shared if b is not band)
    return (
        f"{span}, chung khoảng với mức {others} (văn bản nguồn không nêu ngưỡng"
        " giữa các mức này: không tự xếp loại)"
    )


def unstated_rules(rubric: Rubric) -> list[str]:
    """What the engine does with a total in each range whose band or threshold is not stated,
    with an example total scored by the engine itself."""
    rules: list[str] = []
    seen: set[tuple[Decimal, Decimal | None]] = set()
    for band in reversed(band_order(rubric)):
        span = (band.min, band.max)
        if band.stated or span in seen:
            continue
        seen.add(span)
        shared = shared_range(rubric, band)
        where = band_range(band, band_unit(rubric))
        if len(shared) < 2:
            rule = f"{where}: văn bản nguồn không nêu mức xếp loại"
        else:
            names = ", ".join(f"“{b.name}”" for b in shared)
            rule = f"{where}: văn bản nguồn nêu các mức {names} nhưng không nêu ngưỡng"
            rule += " điểm giữa các mức này"
        rule += ", nên công cụ không tự xếp loại."
        total = band.max - 1 if band.max is not None and band.max - 1 >= band.min else band.min
        found, _, note = classify(rubric, total, {})
        if found is None and note is not None:
            rule += f" Ví dụ: tổng điểm {vn_number(total)} không được xếp loại; kết quả ghi"
            rule += f" “{note['text'].rstrip('.')}”"
        rules.append(rule + ".")
    return rules


def override_effect(rubric: Rubric, ovr: model.Override) -> str:
    """What an override does, in words."""
    names = {b.id: b.name for b in rubric.bands}
    if ovr.effect == "force":
        return f"Xếp loại “{names.get(ovr.band or '', ovr.band)}”, bất kể tổng điểm."
    if ovr.effect == "cap":
        return f"Xếp loại cao nhất là “{names.get(ovr.band or '', ovr.band)}”."
    return "Không đủ điều kiện xếp loại, bất kể tổng điểm."


def override_condition(rubric: Rubric, ovr: model.Override) -> str:
    """When an override holds, in words that follow "nếu"/"khi": its question in quotes, or
    its rule on the scores ("tiêu chí III đạt dưới 80 % điểm tối đa")."""
    rule = ovr.when
    if rule is None:
        return f"“{ovr.question}”"
    if rule.criterion is not None:
        number = next(n for n, c in enumerate(rubric.criteria, 1) if c.id == rule.criterion)
        subject = f"tiêu chí {criterion_number(rubric, number)}"
    else:
        subject = f"mục {rule.item}"
    if rule.at_most is not None:
        if rule.at_most == 0:
            return f"{subject} được 0 điểm"
        return f"{subject} được không quá {vn_number(rule.at_most)} điểm"
    assert rule.below_percent is not None  # the loader requires one of the two
    return f"{subject} đạt dưới {vn_number(rule.below_percent)} % điểm tối đa"


def quota_words(rubric: Rubric) -> str | None:
    """The rubric's limit on a band, in words (None when it sets none)."""
    quota = rubric.quota
    if quota is None:
        return None
    names = {b.id: b.name for b in rubric.bands}
    order = [b for b in band_order(rubric) if b.stated]
    below = order[[b.id for b in order].index(quota.band) - 1].name
    where = "trong mỗi loại đơn vị" if quota.by_type and rubric.unit_types else "trong cả tỉnh"
    return (
        f"Khi tổng hợp, số đơn vị xếp mức “{names[quota.band]}” {where} không vượt quá"
        f" {vn_number(quota.percent)} % số đơn vị xếp từ mức “{names[quota.of]}” trở lên"
        " (làm tròn xuống). Đơn vị vượt hạn mức (điểm thấp nhất trước; các đơn vị bằng điểm ở"
        f" ngưỡng cùng chuyển) được chuyển xuống mức “{below}”; trang tổng hợp nêu tên từng"
        " đơn vị được chuyển."
    )


OVERRIDE_ORDER_VI = (
    "Khi nhiều điều kiện cùng xảy ra: điều kiện “không đủ điều kiện xếp loại” thắng mọi điều kiện"
    " khác; nếu không có, điều kiện “xếp đúng mức” được áp dụng (nếu có nhiều, lấy điều kiện ghi"
    " trước trong danh sách trên); nếu cũng không có, các điều kiện “xếp loại cao nhất là” hạ mức"
    " xếp loại xuống mức thấp nhất trong các mức trần đó."
)
"""Which override wins when several hold (as scoring_py.classify.classify applies them)."""


def not_applicable_rule(rubric: Rubric) -> str | None:
    """The rescaling rule in words, or None when the rubric has none."""
    rule = rubric.not_applicable
    if rule is None:
        return None
    if rule.method == "none":
        return "Mục không áp dụng hoặc không phát sinh được 0 điểm; tổng điểm không quy đổi."
    assert rule.rounding is not None  # guaranteed by the loader
    rounded = f"làm tròn đến {vn_number(rule.rounding.step)} điểm ({rounding_words(rule.rounding)})"
    if rule.scope == "total":
        return (
            f"Tổng điểm được quy đổi theo tỷ lệ: tổng điểm đạt được × {vn_number(rubric.total)}"
            f" ÷ tổng điểm tối đa của các mục áp dụng, {rounded}."
        )
    part = "tiêu chí" if rule.scope == "criterion" else "lĩnh vực"
    return (
        f"Điểm được quy đổi theo tỷ lệ trong từng {part}: {part} có mục không áp dụng hoặc không"
        f" phát sinh được tính điểm đạt được × điểm tối đa của {part} ÷ tổng điểm tối đa các mục"
        f" áp dụng của nó; {part} không còn mục nào áp dụng thì không tính, và tổng điểm được quy"
        f" đổi về {vn_number(rubric.total)} điểm trên các {part} còn lại. Điểm quy đổi được cộng"
        f" chính xác rồi mới {rounded} một lần ở tổng điểm (điểm của từng {part} hiện đã làm"
        " tròn theo cách đó, nên có thể lệch tổng một chút)."
    )


def index_words(rubric: Rubric) -> str | None:
    """What the index of the result is, in words, or None when the rubric has none."""
    rule = rubric.index
    if rule is None:
        return None
    na = rubric.not_applicable
    over = (
        f"tổng điểm (đã quy đổi) ÷ {vn_number(rubric.total)}"
        if na is not None and na.method == "proportional"
        else "tổng điểm ÷ tổng điểm tối đa của các mục áp dụng cho đơn vị"
    )
    text = (
        f"Kết quả còn được tính thành chỉ số (%): {over} × 100, làm tròn đến"
        f" {vn_number(rule.rounding.step)} ({rounding_words(rule.rounding)}) một lần, từ thương"
        " số chính xác."
    )
    if rule.bands:
        text += " Các mức xếp loại tính theo chỉ số này (%), không theo số điểm."
    return text


def band_unit(rubric: Rubric) -> str:
    """What the bands' bounds count: "%" of the index (IndexRule.bands) or "điểm"."""
    return "%" if rubric.index is not None and rubric.index.bands else "điểm"
