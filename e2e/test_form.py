"""The scoring pages in a real browser: the form scores with scoring_py in Pyodide (in a module
Web Worker), loads everything from this host, and gives exactly CPython's answers."""

from __future__ import annotations

import json
import random
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from generator.loader import load_file
from scoring_py import api, codec, document, engine
from scoring_py.model import Item, Rubric
from scoring_py.points import fmt
from scoring_py.rubric import canonical_json, parse_rubric
from testkit.site import ROOT
from tests import casegen

from .conftest import EXAMPLE, Recorded
from .pages import READY_TIMEOUT_MS, ScoringForm, exact, items, points, rubric_json

pytestmark = pytest.mark.browser

HUNG_YEN = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
BAC_KAN = load_file(ROOT / "rubrics" / "bac-kan-2017.yaml")
EXAMPLE_RUBRIC = load_file(ROOT / "site_src" / EXAMPLE)
SEED = 20250101


def expect_results(page: Page, result: dict[str, Any]) -> None:
    """Totals, bands and subtotals on the page are those of a CPython result: "—" where nothing
    is entered, the band the unit proposes in its own row where the tool cannot classify, and
    the rubric's "no bands" note once, under the table."""
    proposed = page.locator('[name="proposed_band"]').input_value().strip()
    for stage in ("self", "appraisal", "final"):
        body = result["stages"][stage]
        if body is None:
            expect(page.locator(f'[data-total="{stage}"]')).to_have_text("—")
            continue
        for crit in body["criteria"]:
            subtotal = page.locator(f'[data-subtotal="{stage}:{crit["id"]}"]')
            blank = all(i["status"] in ("missing", "reserved") for i in crit["items"])
            expect(subtotal).to_have_text("—" if blank else points(crit["score"]))
        blank = body["answered"] == 0 and body["invalid"] == 0
        total = page.locator(f'[data-total="{stage}"]')
        expect(total).to_have_text("—" if blank else points(body["total"]))
        note = body["note"]
        pending = note is not None and note["code"] == "appraising"
        said_once = note is not None and note["code"] == "no_bands"
        if body["band"]:
            band = body["band"]["name"]
        elif pending:
            band = note["text"]
        elif body["reasons"]:
            band = "Không đủ điều kiện xếp loại"
        elif stage == "self" and proposed:
            band = f"Đơn vị đề nghị: {proposed}"
        else:
            band = "Chưa xếp loại"
        expect(page.locator(f'[data-band="{stage}"]')).to_have_text(band)
        rescale = (
            [
                f"Phần điểm chính: {points(body['raw_total'])} điểm trên"
                f" {points(body['applicable_max'])} điểm của các mục áp dụng, quy đổi thành"
                f" {points(body['base'])} điểm."
            ]
            if body["rescaled"]
            else []
        )
        reasons = (
            rescale
            + [r["text"] for r in body["reasons"]]
            + ([note["text"]] if note and not pending and not said_once else [])
        )
        expect(page.locator(f'[data-reasons="{stage}"] li')).to_have_text(reasons)
    notes = {
        body["note"]["text"]
        for body in result["stages"].values()
        if body is not None and body["note"] is not None and body["note"]["code"] == "no_bands"
    }
    shared = page.locator("[data-band-note]")
    if notes:
        expect(shared).to_have_text(notes.pop())
    else:
        expect(shared).to_be_hidden()


def expect_problems(page: Page, rubric: Rubric, result: dict[str, Any]) -> None:
    """Each item's problem list shows exactly CPython's messages for that item."""
    for item in items(rubric):
        messages = [p["message"] for p in result["problems"] if p["item"] == item.id]
        expect(page.locator(f'[data-problems="{item.id}"] li')).to_have_text(messages)


# --------------------------------------------------------------------------------------------
# The Hưng Yên form, filled in


def hung_yen_answers() -> dict[str, Any]:
    """An answer to each of the 28 items: scores with decimals, and the 4 choose-one items."""
    answers: dict[str, Any] = {}
    for n, item in enumerate(items(HUNG_YEN)):
        if item.kind == "choice":
            answers[item.id] = item.levels[n % len(item.levels)].id
        else:
            answers[item.id] = item.max - Decimal("0.5") * (n % 3)
    return answers


def test_the_hung_yen_form_totals_as_cpython(site_url: str, recorded: Recorded) -> None:
    """All 28 items entered (comma decimals, choose-one levels): subtotals and total as CPython."""
    start = time.perf_counter()
    ScoringForm.open(recorded.page, site_url, "hung-yen-2020")
    seconds = time.perf_counter() - start
    print(f"html[data-scoring=ready] after {seconds:.2f} s")  # shown with `pytest -rP`
    page = recorded.page
    expect(page.locator("[data-scoring-message]")).to_have_text("Bộ chấm điểm đã sẵn sàng.")
    # The interpreter's version is for a technician: folded away under "Chi tiết kỹ thuật".
    details = page.locator("[data-scoring-details]")
    expect(details.locator("p")).to_be_hidden()
    details.locator("summary", has_text="Chi tiết kỹ thuật").click()
    expect(details.locator("p")).to_have_text(re.compile(r"^Python 3\.\d+\.\d+, tải trong"))
    expect(page.locator(".md-content")).not_to_contain_text("thangdiem aggregate")
    answers = hung_yen_answers()
    assert len(answers) == 28
    assert sum(1 for i in items(HUNG_YEN) if i.kind == "choice") == 4
    assert any(fmt(a) == "1,5" for a in answers.values() if isinstance(a, Decimal))
    page.locator('[name="unit:name"]').fill("UBND xã <b>Thử</b>")
    page.locator('[name="unit:type"]').select_option("xa")
    page.locator('[name="unit:year"]').fill("2024")
    for item in items(HUNG_YEN):
        ScoringForm(page).fill("self", item, answers[item.id])
        page.locator(f'[name="evidence:{item.id}:documents"]').fill(f"Văn bản {item.id}")
    doc = document.template(HUNG_YEN, name="UBND xã <b>Thử</b>", unit_type="xa")
    doc["unit"]["year"] = 2024
    doc["stages"]["self"]["answers"].update(answers)
    for item in items(HUNG_YEN):
        doc["evidence"][item.id]["documents"] = f"Văn bản {item.id}"
    expected = engine.score_document(HUNG_YEN, document.validate(HUNG_YEN, doc))
    assert expected["problems"] == []
    expect_results(page, expected)
    expect(page.locator('[data-total="self"]')).to_have_text(fmt(expected["total"]))
    for item in items(HUNG_YEN):
        expect(page.locator(f'[data-problems="{item.id}"] li')).to_have_count(0)
    # The page's document is the same document, with exact numbers (and, once saved, the
    # times it was created and last saved).
    text = ScoringForm(page).document()
    assert '"1.1":2,"1.2":1.5,' in text
    ours = json.loads(api.validate_document(rubric_json(HUNG_YEN), text))
    assert ours["ok"], ours
    doc["created"], doc["updated"] = ours["document"]["created"], ours["document"]["updated"]
    theirs = json.loads(api.validate_document(rubric_json(HUNG_YEN), codec.dumps(doc)))
    assert ours == theirs
    page_answer = ScoringForm(page).score(None, text)
    assert page_answer == api.score(rubric_json(HUNG_YEN), text)


def test_a_wrong_value_shows_a_problem_under_its_item(site_url: str, recorded: Recorded) -> None:
    """Above the maximum, off the step, or not a number: the item says so; fixed, it clears."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    box = page.locator('[name="self:1.1"]')
    problems = page.locator('[data-problems="1.1"]')
    box.fill("2,5")
    expect(problems).to_contain_text("Tự chấm, mục 1.1: điểm 2,5 vượt quá điểm tối đa 2")
    # The refused box says so, and its message is right under the answers, before the evidence.
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(page.locator('[name="self:1.2"]')).not_to_have_attribute("aria-invalid", "true")
    after = page.locator("#td-item-1\\.1 .td-answers + .td-problems")
    expect(after).to_have_attribute("data-problems", "1.1")
    box.fill("1,25")
    expect(problems).to_contain_text("điểm 1,25 không phải bội số của bước chấm 0,5")
    box.fill("1,5 điểm")
    expect(problems).to_contain_text("phải là một số điểm (nhận được '1,5 điểm')")
    expect(page.locator('[data-subtotal="self:1"]')).to_have_text("0")
    box.fill("1,5")
    expect(page.locator('[data-subtotal="self:1"]')).to_have_text("1,5")
    expect(problems.locator(".td-problem--error")).to_have_count(0)
    expect(box).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator('[data-problems="1.2"]')).to_contain_text("chưa chấm điểm")


def test_expected_evidence_warns_until_an_explanation_is_written(
    site_url: str, recorded: Recorded
) -> None:
    """Hưng Yên asks for evidence: a score without it warns (the points still count) and names
    the explanation field as required; an explanation or a document clears the warning."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    explanation = page.locator('[name="evidence:1.1:explanation"]')
    expect(
        page.get_by_label(
            "Giải trình (bắt buộc khi có điểm mà không có tài liệu kiểm chứng) — mục 1.1"
        )
    ).to_have_count(1)
    problems = page.locator('[data-problems="1.1"]')
    page.locator('[name="self:1.1"]').fill("2")
    expect(problems.locator(".td-problem--warning")).to_contain_text(
        "có điểm nhưng chưa có tài liệu kiểm chứng; khi không có tài liệu, phải ghi giải trình"
    )
    expect(page.locator('[data-subtotal="self:1"]')).to_have_text("2")
    explanation.fill("Năm nay chưa ban hành văn bản riêng")
    expect(problems.locator("li")).to_have_count(0)
    explanation.fill("")
    expect(problems.locator(".td-problem--warning")).to_have_count(1)
    page.locator('[name="evidence:1.1:documents"]').fill("Kế hoạch số 12/KH-UBND")
    expect(problems.locator("li")).to_have_count(0)


def test_appraisal_mode_shows_the_appraisal_column(site_url: str, recorded: Recorded) -> None:
    """The appraisal inputs appear in appraisal mode; the final result uses the appraised value."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    appraisal = page.locator('[name="appraisal:1.1"]')
    expect(appraisal).to_be_hidden()
    page.locator('[name="self:1.1"]').fill("2")
    page.locator('[name="self:1.2"]').fill("1,5")
    expect(page.locator('[data-total="self"]')).to_have_text("3,5")
    expect(page.locator('[data-total="final"]')).to_have_text("3,5")
    expect(page.locator('[data-total="appraisal"]')).to_have_text("—")
    page.get_by_label("Chế độ thẩm định").check()
    expect(appraisal).to_be_visible()
    expect(appraisal).to_be_editable()
    appraisal.fill("1")
    expect(page.locator('[data-subtotal="appraisal:1"]')).to_have_text("1")
    expect(page.locator('[data-subtotal="final:1"]')).to_have_text("2,5")
    expect(page.locator('[data-total="final"]')).to_have_text("2,5")
    expect(page.locator('[data-total="self"]')).to_have_text("3,5")
    expect(page.locator('[data-total="appraisal"]')).to_have_text("1")
    page.get_by_label("Chế độ thẩm định").uncheck()
    expect(appraisal).to_be_hidden()
    expect(page.locator('[data-total="final"]')).to_have_text("2,5")


def test_an_imported_file_opens_appraisal_mode_only_when_scoring_py_says_it_began(
    site_url: str, recorded: Recorded
) -> None:
    """Whether a document's appraisal has begun is scoring_py's answer (engine.has_appraisal),
    not the page's: a note of blanks is nothing begun; a typed note is."""
    form = ScoringForm.open(recorded.page, site_url, "bac-kan-2017")
    page = form.page
    form.wait_ready()
    toggle = page.get_by_label("Chế độ thẩm định")
    doc = json.loads(api.template(rubric_json(BAC_KAN), name="Sở A"))["document"]
    doc["stages"]["self"]["answers"]["1.1"] = 5
    doc["evidence"]["1.1"]["documents"] = "Báo cáo số 1"
    doc["stages"]["appraisal"]["conditions"]["khong-du-dieu-kien"]["note"] = "   "
    form.import_file("trang.json", json.dumps(doc, ensure_ascii=False))
    expect(page.locator('[name="appraisal:condition:khong-du-dieu-kien:note"]')).to_have_value(
        "   "
    )
    # The imported document's answer is shown, so the page has heard what scoring_py says.
    expect(page.locator('[data-total="self"]')).to_have_text("5")
    expect(page.locator('[data-total="appraisal"]')).to_have_text("—")
    expect(toggle).not_to_be_checked()
    doc["stages"]["appraisal"]["conditions"]["khong-du-dieu-kien"]["note"] = "Đoàn đang xem"
    form.import_file("ghi-chu.json", json.dumps(doc, ensure_ascii=False))
    expect(toggle).to_be_checked()
    expect(page.locator('[name="appraisal:condition:khong-du-dieu-kien:note"]')).to_be_visible()


def test_the_superior_item_is_entered_in_appraisal_mode_only(
    site_url: str, recorded: Recorded
) -> None:
    """Bắc Kạn 2.1 (cấp trên chấm) has no self input; its input shows in appraisal mode."""
    page = ScoringForm.open(recorded.page, site_url, "bac-kan-2017").page
    expect(page.locator('[name="self:2.1"]')).to_have_count(0)
    item = page.locator('[data-item="2.1"]')
    expect(item.locator(".td-note")).to_contain_text("mục này do cấp trên chấm")
    superior = page.locator('[name="appraisal:2.1"]')
    expect(superior).to_be_hidden()
    page.locator('[name="self:1.1"]').fill("85")
    page.locator('[name="evidence:1.1:documents"]').fill("Báo cáo tự đánh giá số 12/BC")
    expect(page.locator('[data-total="self"]')).to_have_text("85")
    expect(page.locator('[data-band="self"]')).to_have_text("Tốt")
    page.get_by_label("Chế độ thẩm định").check()
    expect(superior).to_be_editable()
    expect(page.get_by_label("Cấp trên chấm mục 2.1")).to_be_visible()
    superior.fill("10")
    # The appraisal has scored 1 of the 2 items: a running total, no band yet.
    expect(page.locator('[data-total="final"]')).to_have_text("95")
    expect(page.locator('[data-band="final"]')).to_have_text("Đang thẩm định: 1/2 mục")
    page.locator('[name="appraisal:1.1"]').fill("85")
    expect(page.locator('[data-total="final"]')).to_have_text("95")
    expect(page.locator('[data-band="final"]')).to_have_text("Tốt")
    expect(page.locator('[data-subtotal="final:2"]')).to_have_text("10")
    page.get_by_label("Chế độ thẩm định").uncheck()  # the unit's own answer, out of it
    page.locator('[name="self:condition:khong-du-dieu-kien"][value="true"]').check()
    expect(page.locator('[data-band="final"]')).to_have_text("Không đủ điều kiện xếp loại")
    expect(page.locator('[data-reasons="final"]')).to_have_text("Không đủ điều kiện xếp loại")


def test_a_scoring_page_loads_from_this_host_only(site_url: str, recorded: Recorded) -> None:
    """Pyodide, the wheel and the rubric come from the site itself, under its subpath."""
    page = ScoringForm.open(recorded.page, site_url, "hau-giang-2022").page
    page.locator('[name="self:1.1"]').fill("91,25")
    expect(page.locator('[data-band="self"]')).to_have_text("Hoàn thành xuất sắc")
    page.wait_for_load_state("networkidle")
    paths = recorded.site_paths(site_url)
    assert "/thangdiem/hau-giang-2022/rubric.json" in paths
    assert any(p.endswith("/pyodide.asm.wasm") for p in paths)
    assert any(p.endswith("-py3-none-any.whl") for p in paths)


@pytest.mark.parametrize("failure", ["network", "404"])
def test_a_failed_load_says_so(site_url: str, recorded: Recorded, failure: str) -> None:
    """When Pyodide cannot be loaded, the page says so in Vietnamese and keeps the form."""
    page = recorded.page

    def refuse(route: Route) -> None:
        if failure == "network":
            route.abort()
        else:
            route.fulfill(status=404, body="không có")

    page.route("**/pyodide.asm.wasm", refuse)
    page.goto(f"{site_url}hung-yen-2020/cham-diem/")
    expect(page.locator("html")).to_have_attribute(
        "data-scoring", "error", timeout=READY_TIMEOUT_MS
    )
    message = page.locator("[data-scoring-status]")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Không tải được bộ chấm điểm: không tải được tệp pyodide.asm")
    expect(message).to_have_attribute("role", "alert")
    expect(page.locator('[name="self:1.1"]')).to_be_editable()


def test_every_kind_of_item_is_read_from_the_form(
    example_site_url: str, recorded: Recorded
) -> None:
    """The annotated example (every kind and ratio rule, a criterion capped below its items,
    "không phát sinh", reserved items, conditions): the page's document holds exactly the
    answers entered, and shows CPython's results."""
    page = ScoringForm.open(recorded.page, example_site_url, EXAMPLE_RUBRIC.id).page
    page.locator('[name="unit:type"]').select_option("xa")
    page.locator('[name="self:1.1.1"]').fill("9,75")
    page.locator('[name="self:1.1.2"][value="1.1.2.1"]').check()  # 8 points for a "xã"
    page.locator('[name="self:1.1.3"][value="true"]').check()
    page.locator('[name="self:1.1.4:numerator"]').fill("9")
    page.locator('[name="self:1.1.4:denominator"]').fill("10")
    page.locator('[name="self:1.1.5:numerator"]').fill("7")  # 100 %: 2 points by thresholds
    page.locator('[name="self:1.1.5:denominator"]').fill("7")
    page.locator('[name="self:1.1.6:numerator"]').fill("2")  # 40 %: 1 + 2 × 0,5 = 2 (a "xã"s steps)
    page.locator('[name="self:1.1.6:denominator"]').fill("5")
    page.locator('[name="self:2.1.1"]').fill("2")
    page.locator('[name="self:2.1.2"]').fill("1")
    page.locator('[name="self:2.1.3"]').fill("4")
    page.locator('[name="self:2.1.3:na"]').check()
    page.locator('[name="self:2.2.1"]').fill("1")
    page.locator('[name="self:2.3.1"]').fill("0")
    expect(page.locator('[name="self:2.1.4"]')).to_have_count(0)
    expect(page.locator('[name="self:2.1.5"]')).to_have_count(0)
    page.locator('[name="self:condition:khieu-nai-dong-nguoi"][value="true"]').check()
    page.locator('[name="self:condition:khieu-nai-dong-nguoi:note"]').fill("Một vụ năm 2024")
    page.locator('[name="evidence:1.1.1:documents"]').fill("Kế hoạch số 5/KH")
    # The unit's part is read-only in appraisal mode: the team's columns come after it.
    page.get_by_label("Chế độ thẩm định").check()
    expect(page.locator('[name="self:1.1.1"]')).not_to_be_editable()
    page.locator('[name="appraisal:2.1.4"]').fill("8")
    page.locator('[name="appraisal:2.1.5"]').fill("9")
    page.locator('[name="appraisal:1.1.3"][value="false"]').check()
    page.locator('[name="appraisal:condition:khong-nop-bao-cao"][value="false"]').check()
    page.locator('[name="report:1.1:done_well"]').fill("Triển khai đúng hạn")
    page.locator('[name="proposed_band"]').fill("Hoàn thành tốt")

    doc = document.template(EXAMPLE_RUBRIC, unit_type="xa")
    own = {"1.1.1": Decimal("9.75"), "1.1.2": "1.1.2.1", "1.1.3": True, "2.1.1": 2, "2.1.2": 1}
    own |= {"1.1.4": {"numerator": 9, "denominator": 10}, "2.1.3": "na", "2.2.1": 1, "2.3.1": 0}
    own |= {"1.1.5": {"numerator": 7, "denominator": 7}}
    own |= {"1.1.6": {"numerator": 2, "denominator": 5}}
    doc["stages"]["self"]["answers"].update(own)
    doc["stages"]["appraisal"]["answers"].update({"2.1.4": 8, "2.1.5": 9, "1.1.3": False})
    doc["stages"]["self"]["conditions"]["khieu-nai-dong-nguoi"] = {
        "value": True,
        "note": "Một vụ năm 2024",
    }
    doc["stages"]["appraisal"]["conditions"]["khong-nop-bao-cao"]["value"] = False
    doc["evidence"]["1.1.1"]["documents"] = "Kế hoạch số 5/KH"
    doc["report"]["1.1"]["done_well"] = "Triển khai đúng hạn"
    doc["proposed_band"] = "Hoàn thành tốt"
    expected = engine.score_document(EXAMPLE_RUBRIC, document.validate(EXAMPLE_RUBRIC, doc))
    expect(page.locator('[data-total="final"]')).to_have_text(points(expected["total"]))
    ours = codec.loads(ScoringForm(page).document())
    theirs = codec.loads(codec.dumps(doc))
    # Autosave stamps when the assessment was made and changed; the answers are what count.
    for stamps in (ours, theirs):
        stamps.pop("created", None)
        stamps.pop("updated", None)
    assert ours == theirs
    expect_results(page, expected)
    expect_problems(page, EXAMPLE_RUBRIC, expected)
    final = expected["stages"]["final"]
    status = {i["id"]: i["status"] for c in final["criteria"] for i in c["items"]}
    assert status["2.1.3"] == "not_applicable" and final["rescaled"]
    answered = ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6")
    answered += ("2.1.1", "2.1.2", "2.1.4", "2.1.5")
    assert {status[i] for i in answered} == {"answered"}
    # The items add up to 40,25 for a "xã" (1.1.2 gives it 8): criterion 1.1 is capped at 40.
    assert expected["stages"]["self"]["criteria"][0]["score"] == 40
    expect(page.locator('[data-subtotal="self:1.1"]')).to_have_text("40")
    # Each field (lĩnh vực) shows its subtotal out of its maximum, as CPython adds them.
    for stage in ("self", "final"):
        for fld in expected["stages"][stage]["fields"]:
            key = f"{stage}:{fld['id']}"
            expect(page.locator(f'[data-field-subtotal="{key}"]')).to_have_text(
                points(fld["score"])
            )
            expect(page.locator(f'[data-field-subtotal-max="{key}"]')).to_have_text(
                points(fld["max"])
            )


# --------------------------------------------------------------------------------------------
# Differential: the page's worker gives exactly CPython's answers


def random_form_answers(rng: random.Random, item: Item) -> str | None:
    """What a user might type or pick for an item (valid or not), or None to leave it."""
    roll = rng.random()
    if roll < 0.15:
        return None
    if item.kind == "choice":
        return rng.choice(item.levels).id
    if roll < 0.8:
        return fmt(Decimal("0.5") * rng.randint(0, int(item.max * 2)))
    return rng.choice(["2,75", "-1", "0,1", "abc", "1.5", "100", " 1,0 ", ",5", "1e1"])


@pytest.mark.parametrize("seed", range(3))
def test_a_randomly_filled_form_is_scored_as_cpython(
    site_url: str, recorded: Recorded, seed: int
) -> None:
    """Fill both columns of the real form at random: the shown results are CPython's."""
    rng = random.Random(SEED + seed)
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    for stage in ("self", "appraisal"):
        if stage == "appraisal":  # the unit's column is read-only there: filled before
            page.get_by_label("Chế độ thẩm định").check()
        for item in items(HUNG_YEN):
            answer = random_form_answers(rng, item)
            if answer is not None and (stage == "self" or rng.random() < 0.3):
                ScoringForm(page).fill(stage, item, answer)
    answer = codec.loads(api.score(rubric_json(HUNG_YEN), ScoringForm(page).document()))
    assert answer["ok"], answer
    assert answer["result"]["stages"]["appraisal"] is not None
    assert any(p["severity"] == "error" for p in answer["result"]["problems"])
    expect_results(page, answer["result"])
    expect_problems(page, HUNG_YEN, answer["result"])


def differential_cases() -> list[tuple[str, str | None, str]]:
    """(label, rubric JSON or None for the page's rubric, document JSON): 160 assessments."""
    rng = random.Random(SEED)
    cases: list[tuple[str, str | None, str]] = []
    for n in range(100):
        doc = casegen.to_json(casegen.random_document(rng, HUNG_YEN))
        cases.append((f"hung-yen/{n}", None if n % 2 else rubric_json(HUNG_YEN), doc))
    for r in range(3):
        rubric = parse_rubric(casegen.random_rubric(rng))
        text = canonical_json(rubric)
        for n in range(20):
            doc = casegen.to_json(casegen.random_document(rng, rubric))
            cases.append((f"random-{r}/{n}", text, doc))
    return cases


def test_the_worker_gives_exactly_cpythons_answers(site_url: str, recorded: Recorded) -> None:
    """≥ 100 random assessments, Hưng Yên and random rubrics: the same JSON text as CPython."""
    ScoringForm.open(recorded.page, site_url, "hung-yen-2020")
    cases = differential_cases()
    assert len(cases) >= 150
    answers = ScoringForm(recorded.page).score_all([(rubric, doc) for _, rubric, doc in cases])
    assert len(answers) == len(cases)
    scored = 0
    for (label, rubric, doc), ours in zip(cases, answers, strict=True):
        theirs = api.score(rubric if rubric is not None else rubric_json(HUNG_YEN), doc)
        assert ours == theirs, f"{label}\nCPython: {theirs[:2000]}\nPyodide: {ours[:2000]}"
        scored += json.loads(theirs)["ok"]
    assert scored >= 100


def test_the_page_has_no_inline_handlers(site_url: str, recorded: Recorded) -> None:
    """The form's scripts are external modules; no element carries an inline handler."""
    page = ScoringForm.open(recorded.page, site_url, "bac-kan-2017").page
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(
            el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))"""
    )
    assert handlers == []
    module = page.locator('script[type="module"][src$="cham-diem/main.mjs"]')
    expect(module).to_have_count(1)


# --------------------------------------------------------------------------------------------
# Filling the form from a document: the inverse of currentDocument()


def every_kind_document() -> dict[str, Any]:
    """A document of the annotated example using every kind, both stages, conditions, texts."""
    doc = document.template(EXAMPLE_RUBRIC, name='UBND xã "A" <b>&amp;</b>', unit_type="xa")
    doc["unit"]["year"] = 2024
    own = {"1.1.1": Decimal("7.75"), "1.1.2": "1.1.2.1", "1.1.3": True, "2.1.1": 2, "2.1.2": 1}
    own |= {"1.1.4": {"numerator": 9, "denominator": Decimal("10.5")}, "2.1.3": "na", "2.3.1": 0}
    doc["stages"]["self"]["answers"].update(own)
    doc["stages"]["self"]["answers"]["2.2.1"] = "mười"  # wrong, but the form holds it as typed
    doc["stages"]["appraisal"]["answers"].update({"2.1.4": 8, "2.1.5": 9, "1.1.3": False})
    doc["stages"]["appraisal"]["answers"]["1.1.4"] = {"numerator": None, "denominator": 4}
    doc["stages"]["self"]["conditions"]["khieu-nai-dong-nguoi"] = {
        "value": True,
        "note": "Một vụ năm 2024",
    }
    doc["stages"]["appraisal"]["conditions"]["khong-nop-bao-cao"]["value"] = False
    doc["evidence"]["1.1.1"] = {
        "documents": "Kế hoạch số 5/KH\n<script>x</script>",
        "explanation": " ",
    }
    doc["report"]["1.1"]["shortcomings"] = "Còn chậm"
    doc["proposed_band"] = "Hoàn thành tốt"
    doc["created"] = "2026-11-20T08:00:00.000Z"
    doc["updated"] = "2026-11-21T09:30:00.000Z"
    return doc


def test_a_document_fills_the_form_and_reads_back_the_same(
    example_site_url: str, recorded: Recorded
) -> None:
    """Every kind of answer, "không phát sinh", ratio parts, conditions, texts, unit, timestamps:
    fill then read gives the same JSON text; the page shows CPython's results for it."""
    page = ScoringForm.open(recorded.page, example_site_url, EXAMPLE_RUBRIC.id).page
    doc = every_kind_document()
    text = codec.dumps(doc)
    assert ScoringForm(page).fill_document(text) == []
    assert exact(ScoringForm(page).document()) == exact(text)
    assert '"1.1.1":7.75,' in ScoringForm(page).document()
    expect(page.get_by_label("Chế độ thẩm định")).to_be_checked()
    expect(page.locator('[name="unit:name"]')).to_have_value('UBND xã "A" <b>&amp;</b>')
    expect(page.locator('[name="self:1.1.1"]')).to_have_value("7,75")
    expect(page.locator('[name="self:1.1.4:denominator"]')).to_have_value("10,5")
    expect(page.locator('[name="self:2.1.3:na"]')).to_be_checked()
    expect(page.locator('[name="self:1.1.2"][value="1.1.2.1"]')).to_be_checked()
    expect(page.locator('[name="appraisal:1.1.3"][value="false"]')).to_be_checked()
    expected = engine.score_document(EXAMPLE_RUBRIC, document.validate(EXAMPLE_RUBRIC, doc))
    expect_results(page, expected)
    expect_problems(page, EXAMPLE_RUBRIC, expected)
    # Filling an empty document empties the form again, and turns nothing on by itself.
    empty = codec.dumps(document.template(EXAMPLE_RUBRIC))
    assert ScoringForm(page).fill_document(empty) == []
    assert exact(ScoringForm(page).document()) == exact(empty)
    expect(page.locator('[name="self:1.1.2"][value=""]')).to_be_checked()
    expect(page.locator('[name="self:2.1.3:na"]')).not_to_be_checked()


def random_valid_document(rng: random.Random, rubric: Rubric) -> dict[str, Any]:
    """Answers the form can hold (per stage, only where the stage has an input)."""
    doc = document.template(
        rubric, unit_type=rng.choice([None, *[t.id for t in rubric.unit_types]])
    )
    doc["unit"]["name"] = rng.choice(["", "Xã A", " <i>B</i> "])
    doc["unit"]["year"] = rng.choice([None, 2023, 2200])
    for stage in document.STAGES:
        answers = doc["stages"][stage]["answers"]
        for item in items(rubric):
            if (stage == "self" and item.given_by != "unit") or rng.random() < 0.3:
                continue
            if item.may_be_not_applicable and rng.random() < 0.2:
                answers[item.id] = "na"
            elif item.kind == "ratio":
                parts = [None, 0, 3, Decimal("2.5")]
                answers[item.id] = {"numerator": rng.choice(parts), "denominator": 7}
            elif item.kind == "choice":
                answers[item.id] = rng.choice(item.levels).id
            elif item.kind == "yesno":
                answers[item.id] = rng.random() < 0.5
            else:
                answers[item.id] = rng.choice([0, 1, Decimal("0.25"), Decimal("12.5"), "hai"])
        for cond in doc["stages"][stage]["conditions"].values():
            cond.update(value=rng.choice([None, True, False]), note=rng.choice(["", "Ghi chú"]))
    for ev in doc["evidence"].values():
        ev.update(documents=rng.choice(["", "Văn bản"]), explanation=rng.choice(["", "…"]))
    doc["created"] = rng.choice([None, "2026-01-01T00:00:00.000Z"])
    return doc


def test_random_documents_round_trip_or_say_what_the_form_cannot_hold(
    example_site_url: str, recorded: Recorded
) -> None:
    """Documents the form can hold come back exactly; for any other valid document, what does
    not come back is named, and filling what came back loses nothing more."""
    ScoringForm.open(recorded.page, example_site_url, EXAMPLE_RUBRIC.id, python=False)
    rng = random.Random(SEED)
    served = rubric_json(EXAMPLE_RUBRIC)
    holdable = [codec.dumps(random_valid_document(rng, EXAMPLE_RUBRIC)) for _ in range(25)]
    others = []
    for _ in range(60):
        checked = codec.loads(
            api.validate_document(served, codec.dumps(casegen.random_document(rng, EXAMPLE_RUBRIC)))
        )
        if checked["ok"]:
            others.append(codec.dumps(checked["document"]))
    assert len(others) >= 30
    script = """(hooks, texts) => texts.map((text) => {
        const lost = hooks.fill(text);
        const first = hooks.document();
        const again = hooks.fill(first);
        return [lost, first, again, hooks.document()];
    })"""
    results = ScoringForm(recorded.page).with_hooks(script, holdable + others)
    for text, (lost, first, again, second) in zip(holdable, results, strict=False):
        assert lost == [] and again == [], text
        assert exact(first) == exact(text) and second == first
    lossy = 0
    for text, (lost, first, again, second) in zip(others, results[len(holdable) :], strict=True):
        assert again == [] and second == first
        same = exact(first) == exact(text) | {"rubric": exact(first)["rubric"]}
        assert same == (lost == []), (text, first, lost)
        lossy += bool(lost)
    assert lossy >= 5


def test_what_the_form_cannot_hold_is_named(example_site_url: str, recorded: Recorded) -> None:
    """An unknown item, a self answer to the superior's item, a level that does not exist."""
    ScoringForm.open(recorded.page, example_site_url, EXAMPLE_RUBRIC.id, python=False)
    doc = document.template(EXAMPLE_RUBRIC)
    doc["stages"]["self"]["answers"].update({"99.1": 1, "2.1.5": 3, "1.1.2": "9.9.9", "1.1.1": 2})
    doc["stages"]["appraisal"]["answers"]["1.1.4"] = Decimal("0.5")
    doc["stages"]["appraisal"]["conditions"]["khong-nop-bao-cao"]["note"] = "một\nhai"
    doc["unit"]["name"] = "Xã\nA"  # a one-line input cannot hold a line break
    lost = ScoringForm(recorded.page).fill_document(codec.dumps(doc))
    assert lost == [
        "Thẩm định, mục 1.1.4",
        "Thẩm định, điều kiện khong-nop-bao-cao",
        "Tự chấm, mục 1.1.2",
        "Tự chấm, mục 2.1.5",
        "Tự chấm, mục 99.1",
        "Tên đơn vị",
    ]
    expect(recorded.page.locator('[name="self:1.1.1"]')).to_have_value("2")


def test_the_team_copies_the_self_scores_then_corrects_one(
    site_url: str, recorded: Recorded
) -> None:
    """ "Chép điểm tự chấm" fills the empty appraisal boxes; one correction later the appraisal
    is finished and classified; the copy is saved like typing."""
    page = ScoringForm.open(recorded.page, site_url, "hau-giang-2022").page
    rubric = load_file(ROOT / "rubrics" / "hau-giang-2022.yaml")
    [item] = items(rubric)
    ScoringForm(page).fill("self", item, Decimal("92.5"))
    page.get_by_label("Chế độ thẩm định").check()
    expect(page.locator('[data-band="final"]')).to_have_text("Hoàn thành xuất sắc")
    page.get_by_role("button", name="Chép điểm tự chấm vào các ô thẩm định còn trống").click()
    expect(page.locator("[data-copy-self-status]")).to_contain_text("Đã chép 1 điểm tự chấm")
    expect(page.locator(f'[name="appraisal:{item.id}"]')).to_have_value("92,5")
    expect(page.locator('[data-band="final"]')).to_have_text("Hoàn thành xuất sắc")
    ScoringForm(page).fill("appraisal", item, Decimal(88))
    expect(page.locator('[data-total="final"]')).to_have_text("88")
    expect(page.locator('[data-band="final"]')).to_have_text("Hoàn thành tốt")


def test_a_blank_form_reads_dashes_and_shows_the_proposed_band(
    recorded: Recorded, site_url: str
) -> None:
    """Nothing entered reads "—" in both stages alike (not "0" for one, "—" for the other);
    where the rubric has no bands, its note is said once under the table, and the band the
    unit types shows in its own row."""
    page = recorded.page
    ScoringForm.open(page, site_url, "hung-yen-2020")
    for stage in ("self", "final"):
        expect(page.locator(f'[data-total="{stage}"]')).to_have_text("—")
        expect(page.locator(f'[data-band="{stage}"]')).to_have_text("Chưa xếp loại")
        expect(page.locator(f'[data-reasons="{stage}"] li')).to_have_count(0)
    for stage in ("self", "appraisal"):
        expect(page.locator(f'[data-subtotal="{stage}:1"]')).to_have_text("—")
    expect(page.locator("[data-band-note]")).to_have_count(1)
    expect(page.locator("[data-band-note]")).to_contain_text("không tự xếp loại")
    page.locator('[name="proposed_band"]').fill("Tốt")
    expect(page.locator('[data-band="self"]')).to_have_text("Đơn vị đề nghị: Tốt")
    expect(page.locator('[data-band="final"]')).to_have_text("Chưa xếp loại")
    page.locator('[name="self:1.1"]').fill("1,5")
    expect(page.locator('[data-subtotal="self:1"]')).to_have_text("1,5")
    expect(page.locator('[data-total="self"]')).to_have_text("1,5")


def test_a_text_area_grows_with_its_text(site_url: str, recorded: Recorded) -> None:
    """An evidence box grows as lines are typed into it, instead of scrolling a small box."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020", python=False).page
    box = page.locator('[name="evidence:1.1:documents"]')
    before = box.bounding_box()
    box.fill("\n".join(f"Văn bản số {n}/KH-UBND" for n in range(1, 9)))
    after = box.bounding_box()
    assert before is not None and after is not None
    assert after["height"] > 2 * before["height"], (before, after)
    assert box.evaluate("box => box.scrollHeight <= box.clientHeight + 1")
