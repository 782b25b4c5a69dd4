"""Python's memory snapshot: the first visit keeps a copy of Python once scoring_py is imported
and the page's rubric read (Cache Storage, "thangdiem-python"); the next visits restore it
instead of starting Python afresh, and score exactly as CPython does. Each rubric has its own.
A damaged snapshot, or one of another wheel, is dropped and Python starts the long way;
nothing the user sees breaks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from scoring_py import api
from testkit.site import SUBPATH

from .conftest import Recorded
from .pages import READY_TIMEOUT_MS, ScoringForm, SummaryPage, rubric_json
from .test_form import HUNG_YEN, differential_cases

pytestmark = pytest.mark.browser

RUBRIC = "hung-yen-2020"
OTHER = "bac-kan-2017"
CACHE = f"thangdiem-python:/{SUBPATH}/"
"""The snapshot cache of the site served under /thangdiem/ (its name holds the site's root)."""

STORED = """async (name) => {
    const cache = await caches.open(name);
    const entries = [];
    for (const request of await cache.keys()) {
        const body = await (await cache.match(request)).arrayBuffer();
        entries.push({url: request.url, size: body.byteLength});
    }
    return entries;
}"""

DAMAGE = """async (name) => {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
        await cache.put(request, new Response(new Uint8Array(4096).fill(7)));
    }
}"""


def stored(page: Page) -> list[dict[str, Any]]:
    """The snapshots the browser holds for this origin: their addresses and sizes."""
    entries: list[dict[str, Any]] = page.evaluate(STORED, CACHE)
    return entries


WATCH_STORED = """([name, count]) => {
    // Cache Storage has no change event: look every 100 ms until `count` snapshots are stored.
    window.__snapshots = null;
    // An entry may go between keys() and match() (the page's worker removes the older ones
    // right after storing its own): that look counts for nothing, and the next one follows.
    const look = async () => {
        const cache = await caches.open(name);
        const keys = await cache.keys();
        const sizes = [];
        for (const request of keys) {
            const response = await cache.match(request);
            sizes.push(response ? (await response.arrayBuffer()).byteLength : 0);
        }
        if (keys.length === count && sizes.every((size) => size > 1e6)) window.__snapshots = sizes;
        else setTimeout(look, 100);
    };
    const keepLooking = () => look().catch(() => setTimeout(keepLooking, 100));
    keepLooking();
}"""


def wait_stored(page: Page, count: int = 1) -> list[dict[str, Any]]:
    """Wait until `count` snapshots of Python's memory (tens of megabytes each) are stored."""
    page.evaluate(WATCH_STORED, [CACHE, count])
    page.wait_for_function("() => window.__snapshots !== null", timeout=READY_TIMEOUT_MS)
    return stored(page)


def python_start(page: Page) -> str:
    """How Python started on this page: "snapshot" or "fresh"."""
    html = page.locator("html")
    expect(html).to_have_attribute("data-scoring", "ready", timeout=READY_TIMEOUT_MS)
    start = html.get_attribute("data-python")
    assert start is not None
    return start


def score_cases(page: Page) -> None:
    """Random assessments, scored by the page's worker, give exactly CPython's JSON."""
    cases = differential_cases()[:60]
    answers = ScoringForm(page).score_all([(rubric, doc) for _, rubric, doc in cases])
    for (label, rubric, doc), ours in zip(cases, answers, strict=True):
        theirs = api.score(rubric if rubric is not None else rubric_json(HUNG_YEN), doc)
        assert ours == theirs, label


def test_the_next_visit_restores_python_and_scores_as_cpython(
    site_url: str, recorded: Recorded
) -> None:
    """First visit: Python starts afresh and its memory is stored once; reloaded, the page
    restores it, says so, and scores 60 random assessments exactly as CPython does."""
    page = ScoringForm.open(recorded.page, site_url, RUBRIC).page
    assert python_start(page) == "fresh"
    (entry,) = wait_stored(page)
    assert entry["url"].startswith(f"{site_url}assets/thangdiem-python.snapshot?")
    assert entry["size"] > 10_000_000
    page.locator('[name="self:1.1"]').fill("1,5")
    expect(page.locator('[data-total="self"]')).to_have_text("1,5")

    page.reload()
    assert python_start(page) == "snapshot"
    # Said under "Chi tiết kỹ thuật" (a technician's matter).
    expect(page.locator("[data-scoring-details] p")).to_contain_text(
        "khởi động lại từ bản lưu trong trình duyệt"
    )
    expect(page.locator('[name="self:1.1"]')).to_have_value("1,5")
    expect(page.locator('[data-total="self"]')).to_have_text("1,5")
    page.locator('[name="self:1.2"]').fill("1")
    expect(page.locator('[data-total="self"]')).to_have_text("2,5")
    score_cases(page)
    # Imports that scoring_py makes only when needed still work in the restored Python: the
    # close-match hint of a misspelt rubric key (difflib) gives CPython's very answer.
    rubric = json.loads(rubric_json(HUNG_YEN))
    rubric["titel"] = rubric.pop("title")
    misspelt = json.dumps(rubric, ensure_ascii=False)
    doc = differential_cases()[1][2]
    ours = ScoringForm(page).score(misspelt, doc)
    assert ours == api.score(misspelt, doc)
    assert "có phải ý bạn là 'title'?" in ours
    assert stored(page) == [entry]  # restoring stores nothing again


def test_the_summary_page_restores_the_same_snapshot(
    site_url: str, recorded: Recorded, tmp_path: Path
) -> None:
    """The summary page starts the same worker: after the scoring page, it restores Python,
    and summarises files (the CSV writer is imported there, after the restore)."""
    page = ScoringForm.open(recorded.page, site_url, RUBRIC).page
    wait_stored(page)
    page.goto(f"{site_url}{RUBRIC}/tong-hop/")
    assert python_start(page) == "snapshot"
    paths = []
    for number, (label, _, doc) in enumerate(differential_cases()[:20]):
        assert label.startswith("hung-yen/"), label
        paths.append(tmp_path / f"don-vi-{number}.json")
        paths[-1].write_text(doc, encoding="utf-8")
    SummaryPage(page).summarise(paths)
    expect(page.locator("[data-overview]")).to_contain_text("từ 20 tệp")


def test_a_damaged_snapshot_is_dropped_and_python_starts_afresh(
    site_url: str, recorded: Recorded
) -> None:
    """A snapshot that cannot be restored: the page starts Python the long way, scores, and
    stores a good snapshot in its place, which the next visit restores."""
    page = ScoringForm.open(recorded.page, site_url, RUBRIC).page
    (good,) = wait_stored(page)
    page.evaluate(DAMAGE, CACHE)
    assert stored(page) == [{"url": good["url"], "size": 4096}]

    page.reload()
    assert python_start(page) == "fresh"
    page.locator('[name="self:1.1"]').fill("2")
    expect(page.locator('[data-total="self"]')).to_have_text("2")
    assert wait_stored(page) == [good]
    page.reload()
    assert python_start(page) == "snapshot"
    expect(page.locator('[data-total="self"]')).to_have_text("2")


def test_a_snapshot_of_another_wheel_is_not_restored(site_url: str, recorded: Recorded) -> None:
    """A snapshot stored for another scoring_py (another digest in its address) is never
    restored: Python starts afresh, and the stale snapshot is replaced by this wheel's."""
    page = ScoringForm.open(recorded.page, site_url, RUBRIC).page
    (good,) = wait_stored(page)
    stale = good["url"].replace("wheel=", "wheel=0000")
    page.evaluate(
        """async ([name, from, to]) => {
            const cache = await caches.open(name);
            const body = await (await cache.match(from)).arrayBuffer();
            await cache.put(to, new Response(body));
            await cache.delete(from);
        }""",
        [CACHE, good["url"], stale],
    )
    assert [e["url"] for e in stored(page)] == [stale]

    page.reload()
    assert python_start(page) == "fresh"
    page.locator('[name="self:1.1"]').fill("2")
    expect(page.locator('[data-total="self"]')).to_have_text("2")
    assert wait_stored(page) == [good]


def test_each_rubric_has_its_own_snapshot(site_url: str, recorded: Recorded) -> None:
    """A snapshot holds its rubric, read (its digest is in the address): another rubric's page
    starts afresh and stores its own beside it, and each page then restores its own."""
    page = ScoringForm.open(recorded.page, site_url, RUBRIC).page
    (first,) = wait_stored(page)
    assert "&rubric=" in first["url"]
    ScoringForm.open(page, site_url, OTHER)
    assert python_start(page) == "fresh"
    both = wait_stored(page, 2)
    assert first in both
    for rubric_id in (RUBRIC, OTHER, RUBRIC):
        ScoringForm.open(page, site_url, rubric_id)
        assert python_start(page) == "snapshot", rubric_id
    assert stored(page) == both
