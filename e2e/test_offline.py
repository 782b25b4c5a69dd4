"""Offline-first: after one visit the whole site works with the network cut and the server
stopped; a new deployment is offered without losing a form being filled; the app is
installable; the zip of the site, unpacked and served, works.

These tests let service workers run (the other tests block them) and serve their own build
with a server they can stop, or switch to a new build at the same address.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from generator import offline
from testkit.server import Server
from testkit.site import SUBPATH, build

from .conftest import Recorded
from .pages import READY_TIMEOUT_MS, ScoringForm
from .test_saving import expect_typed, type_some

pytestmark = pytest.mark.browser

RUBRIC = "hung-yen-2020"
OFFLINE_READY_TIMEOUT_MS = 180_000
"""How long the first visit may take to precache the whole site (about 16 MB)."""
CHANGED_FILE = "stylesheets/extra.css"
CHANGE = "\n/* the next deployment */\n"

PRECACHE = """async () => {
    const registration = await navigator.serviceWorker.ready;
    const names = (await caches.keys()).filter((name) => name.includes("-precache-"));
    const sizes = [];
    for (const name of names) sizes.push((await (await caches.open(name)).keys()).length);
    return {
        names,
        sizes,
        active: registration.active.state,
        waiting: registration.waiting !== null,
        controlled: navigator.serviceWorker.controller !== null,
    };
}"""


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two deployments of the site under /thangdiem/: the built one, and the same with one file
    changed and its service worker written again (its precache manifest changes)."""
    first = tmp_path_factory.mktemp("deployment-1")
    build(first / SUBPATH)
    second = tmp_path_factory.mktemp("deployment-2")
    shutil.copytree(first / SUBPATH, second / SUBPATH)
    changed = second / SUBPATH / CHANGED_FILE
    changed.write_text(changed.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
    source = Path(__file__).resolve().parents[1] / "site_src" / "overrides" / "sw.js"
    offline.write_service_worker(second / SUBPATH, source.read_text(encoding="utf-8"))
    # The test server answers "not modified" by the file's time in whole seconds: the files
    # written again must not keep the first deployment's second.
    later = (first / SUBPATH / offline.SERVICE_WORKER).stat().st_mtime + 60
    for path in (changed, second / SUBPATH / offline.SERVICE_WORKER):
        os.utime(path, (later, later))
    return first, second


@pytest.fixture
def server(builds: tuple[Path, Path]) -> Iterator[Server]:
    """The first deployment, served by a server of this test's own."""
    server = Server(builds[0]).start()
    yield server
    server.stop()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context where service workers run."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", service_workers="allow"
    )
    yield context
    context.close()


def site(server: Server) -> str:
    return f"{server.url}{SUBPATH}/"


def manifest(root: Path) -> list[offline.Entry]:
    return offline.precache_manifest(root / SUBPATH)


def wait_offline_ready(page: Page, root: Path) -> dict[str, Any]:
    """Wait until the worker controls the page and has precached every file of the build."""
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null", timeout=OFFLINE_READY_TIMEOUT_MS
    )
    state: dict[str, Any] = page.evaluate(PRECACHE)
    entries = offline.precache_manifest(root / SUBPATH)
    assert state["active"] == "activated" and state["controlled"], state
    (name,) = state["names"]  # one cache for the site, holding this build's files only
    assert name.startswith(offline.CACHE_PREFIX) and name.endswith(f"/{SUBPATH}/"), name
    assert state["sizes"] == [len(entries)]
    return state


def test_after_one_visit_the_site_works_offline(
    server: Server, builds: tuple[Path, Path], context: BrowserContext
) -> None:
    """Visited once, then offline with the server stopped: score, export, reload, import, print,
    guide pages, search, a query string and the "page not found" page all work."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{site(server)}{RUBRIC}/cham-diem/")
    wait_offline_ready(page, builds[0])
    seconds = time.perf_counter() - start
    entries = offline.precache_manifest(builds[0] / SUBPATH)
    size = sum(entry.size for entry in entries)
    print(f"\nprecache: {len(entries)} files, {size} bytes; offline-ready in {seconds:.1f} s")

    url = site(server)
    server.stop()
    context.set_offline(True)

    page.reload()
    ScoringForm(page).wait_restored()
    ScoringForm(page).wait_ready()
    type_some(page)
    expect(page.locator('[data-total="self"]')).to_have_text("4,5")
    name, text = ScoringForm(page).export()
    assert name.startswith("danh-gia-tu-cham-ubnd-xa-a-") and name.endswith(".json")
    assert json.loads(text)["unit"]["name"] == "UBND xã A"
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    ScoringForm(page).wait_ready()
    expect(page.locator('[data-total="self"]')).to_have_text("4,5")
    ScoringForm(page).import_file(name, text)
    expect(page.locator("[data-save-status]")).to_contain_text(f"Đã nhập tệp {name}")
    expect_typed(page)

    page.goto(f"{url}{RUBRIC}/tieu-chi-4/")  # a directory address: its index.html
    expect(page.locator("article h1")).to_be_visible()
    page.emulate_media(media="print")  # the print stylesheet is there too
    expect(page.locator(".md-header")).to_be_hidden()
    page.emulate_media(media="screen")
    page.goto(f"{url}?utm_source=email")  # a query string: the same page
    expect(page.locator("article h1")).to_contain_text("Thang điểm dân vận chính quyền")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("tiep cong dan")
    first = page.locator(".md-search-result__item").first
    expect(first.locator("a.md-search-result__link h1").first).to_contain_text(
        "tiếp công dân", ignore_case=True
    )
    response = page.goto(f"{url}khong-co-trang-nay/")
    assert response is not None and response.status == 404
    expect(page.locator("article h1")).to_have_text("404 - Not found")


def test_a_new_deployment_is_offered_and_nothing_typed_is_lost(
    server: Server, builds: tuple[Path, Path], context: BrowserContext
) -> None:
    """A new build at the same address: the open scoring page says "Có phiên bản mới"; on
    "Cập nhật" what was typed (even just now) is saved, the page reloads under the new worker
    and the old version's cache is gone."""
    first, second = builds
    page = context.new_page()
    page.goto(f"{site(server)}{RUBRIC}/cham-diem/")
    wait_offline_ready(page, first)
    ScoringForm(page).wait_restored()
    type_some(page)
    banner = page.get_by_role("region", name="Phiên bản mới của trang")
    expect(banner).to_have_count(0)

    # The page has registered the worker (after Python is up): the update it finds next is
    # the new deployment's, not the end of its own registration.
    expect(page.locator("html")).to_have_attribute("data-offline", "registered")
    server.root = second  # the next deployment, same address
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(banner).to_contain_text("Có phiên bản mới", timeout=OFFLINE_READY_TIMEOUT_MS)
    state = page.evaluate(PRECACHE)
    # Installed, not in charge: the changed file's new revision is in the cache beside the old.
    assert state["waiting"] and state["sizes"] == [len(manifest(first)) + 1], state
    assert page.evaluate(f"fetch('../../{CHANGED_FILE}').then((r) => r.text())").count(CHANGE) == 0

    page.locator('[name="self:1.2"]').fill("1")  # typed just before choosing to update
    with page.expect_navigation(timeout=READY_TIMEOUT_MS):
        banner.get_by_role("button", name="Cập nhật").click()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    expect(page.locator('[name="self:1.2"]')).to_have_value("1")
    state = wait_offline_ready(page, second)  # the old revision is gone from the cache
    assert not state["waiting"]
    assert page.evaluate(f"fetch('../../{CHANGED_FILE}').then((r) => r.text())").endswith(CHANGE)
    expect(page.get_by_role("region", name="Phiên bản mới của trang")).to_have_count(0)
    ScoringForm(page).wait_ready()
    expect(page.locator('[data-total="self"]')).to_have_text("5,5")


def test_the_app_is_installable(server: Server, context: BrowserContext) -> None:
    """Chromium reads the manifest without errors, with its Vietnamese name, icons and scope."""
    page = context.new_page()
    page.goto(site(server))
    session = context.new_cdp_session(page)
    result = session.send("Page.getAppManifest")
    assert result["errors"] == [], result["errors"]
    assert result["url"] == f"{site(server)}manifest.webmanifest"
    manifest = json.loads(result["data"])
    assert manifest["name"] == "Thang điểm dân vận chính quyền"
    assert manifest["lang"] == "vi" and manifest["display"] == "standalone"
    assert result["parsed"]["scope"] == site(server)  # "./" from the manifest's address
    for icon in manifest["icons"]:
        response = page.request.get(f"{site(server)}{icon['src']}")
        assert response.ok and response.headers["content-type"] == "image/png"
        side = int.from_bytes(response.body()[16:20], "big")
        assert icon["sizes"] == f"{side}x{side}"
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A test's browser context is an incognito profile, where nothing can be installed; every
    # other criterion (manifest, icons, start address, scope, display) must hold.
    assert [error for error in errors if error["errorId"] != "in-incognito"] == [], errors
    expect(page.locator('meta[name="theme-color"]')).to_have_attribute("content", "#ef5552")


def test_the_zip_unpacked_and_served_works(
    builds: tuple[Path, Path], recorded: Recorded, tmp_path: Path
) -> None:
    """The site's zip holds every file but itself and source maps, in sorted order with fixed
    times; unpacked and served at a root address, the guide and the scoring page work."""
    root = builds[0] / SUBPATH
    with zipfile.ZipFile(root / offline.ZIP_NAME) as archive:
        names = archive.namelist()
        assert {info.date_time for info in archive.infolist()} == {offline.ZIP_TIME}
        archive.extractall(tmp_path)
    assert names == sorted(names)
    expected = [
        f"thangdiem/{path}"
        for path in offline.site_files(root)
        if path != offline.ZIP_NAME and not path.endswith(".map")
    ]
    assert names == expected
    with Server(tmp_path / offline.ZIP_FOLDER).start() as served:
        page = recorded.page
        page.goto(served.url)
        expect(page.locator("article h1")).to_contain_text("Thang điểm dân vận chính quyền")
        page.goto(f"{served.url}{RUBRIC}/cham-diem/")
        ScoringForm(page).wait_restored()
        ScoringForm(page).wait_ready()
        type_some(page)
        expect(page.locator('[data-total="self"]')).to_have_text("4,5")
