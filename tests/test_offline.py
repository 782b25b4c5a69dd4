"""Offline use: the precache manifest and service worker written after the build, the zip of the
site, the pinned Workbox files, the web app manifest and its icons."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from generator import assets, icons, offline, stdlib
from generator.assets import RuntimeFilesError

SITE_SRC = ROOT / "site_src"


def make_site(folder: Path) -> Path:
    """A small built site: pages, a search index, a source map, an old zip and sw.js."""
    files = {
        "index.html": "<h1>Trang chủ</h1>",
        "a/index.html": "<h1>A</h1>",
        "search/search_index.json": '{"docs": []}',
        "assets/app.min.js": "console.log(1);",
        "assets/app.min.js.map": "{}",
        "assets/pyodide/1.0/python_stdlib.zip": "PK",
        offline.ZIP_NAME: "old zip",
        offline.SERVICE_WORKER: "old worker",
    }
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder


def test_the_manifest_lists_every_file_but_maps_the_zip_and_the_worker(tmp_path: Path) -> None:
    """Sorted site paths with content digests; source maps, the zip and sw.js are left out."""
    entries = offline.precache_manifest(make_site(tmp_path))
    assert [e.url for e in entries] == [
        "a/index.html",
        "assets/app.min.js",
        "assets/pyodide/1.0/python_stdlib.zip",
        "index.html",
        "search/search_index.json",
    ]
    assert entries[0].size == len(b"<h1>A</h1>")
    # A versioned folder's files need no revision: their address changes with their bytes.
    assert [e.url for e in entries if e.revision is None] == [
        "assets/pyodide/1.0/python_stdlib.zip"
    ]
    revised = [e.revision for e in entries if e.revision is not None]
    assert all(re.fullmatch(r"[0-9a-f]{32}", r) for r in revised)
    assert len(set(revised)) == len(revised) == 4


def test_a_changed_file_changes_its_revision_and_the_build_id(tmp_path: Path) -> None:
    """Only the changed file's revision changes; the build id follows; same files, same id."""
    site = make_site(tmp_path)
    before = offline.precache_manifest(site)
    assert offline.build_id(before) == offline.build_id(offline.precache_manifest(site))
    (site / "a" / "index.html").write_text("<h1>A mới</h1>", encoding="utf-8")
    after = offline.precache_manifest(site)
    changed = [b.url for b, a in zip(before, after, strict=True) if b.revision != a.revision]
    assert changed == ["a/index.html"]
    assert offline.build_id(before) != offline.build_id(after)


SERVICE_WORKER_RUN = r"""
// Run sw.js with Workbox stubbed: report what it imports, configures and precaches.
const vm = require("node:vm");
const text = require("node:fs").readFileSync(process.argv[1], "utf-8");
const seen = { imported: [], listeners: [] };
const workbox = {
  setConfig: (config) => (seen.config = config),
  core: {
    setCacheNameDetails: (names) => (seen.names = names),
    clientsClaim: () => (seen.claims = true),
  },
  precaching: {
    cleanupOutdatedCaches: () => (seen.cleans = true),
    precacheAndRoute: (manifest, options) => {
      seen.manifest = manifest;
      const ignores = options.ignoreURLParametersMatching.map((r) => r.test("pyodide"));
      seen.options = { ...options, ignores };
    },
  },
  routing: {
    registerRoute: () => (seen.route = true),
    setCatchHandler: () => (seen.catches = true),
    NavigationRoute: class {},
  },
  strategies: { NetworkOnly: class {} },
};
const self = {
  __WB_MANIFEST: "unfilled",
  registration: { scope: "http://127.0.0.1/thangdiem/" },
  addEventListener: (type) => seen.listeners.push(type),
};
vm.runInNewContext(text, { self, workbox, importScripts: (url) => seen.imported.push(url) });
process.stdout.write(JSON.stringify(seen));
"""


def test_the_service_worker_loads_workbox_from_the_site_and_waits(tmp_path: Path) -> None:
    """sw.js is its source with the manifest in the place of self.__WB_MANIFEST; run (Workbox
    stubbed), it imports Workbox from the folder of the manifest's workbox-sw.js, precaches the
    manifest in a cache of this site, ignores query strings, and takes over only when asked."""
    site = make_site(tmp_path)
    (site / "assets/workbox/7.4.1/workbox-sw.js").parent.mkdir(parents=True)
    (site / "assets/workbox/7.4.1/workbox-sw.js").write_text("//", encoding="utf-8")
    source = (SITE_SRC / "overrides" / "sw.js").read_text(encoding="utf-8")
    entries = offline.write_service_worker(site, source)
    text = (site / offline.SERVICE_WORKER).read_text(encoding="utf-8")
    assert offline.INJECTION_POINT not in text
    assert text.replace(text[text.index("[\n  {") : text.index(",\n]") + 3], "X") == (
        source.replace(offline.INJECTION_POINT, "X")
    ), "nothing else is written into the source"
    assert "//" not in text.replace("// ", "").replace("://", ""), "no other host"
    assert "http" not in text
    # skipWaiting only on the page's message, after the user's choice.
    assert re.findall(r".*skipWaiting.*", text) == [
        '  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();'
    ]
    listed = re.findall(r'\{"url": "([^"]+)", "revision": (null|"[0-9a-f]{32}")\}', text)
    assert listed == [(e.url, json.dumps(e.revision)) for e in entries]
    ran = subprocess.run(
        ["node", "-e", SERVICE_WORKER_RUN, str(site / offline.SERVICE_WORKER)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(ran.stdout)
    assert seen["imported"] == ["assets/workbox/7.4.1/workbox-sw.js"]
    assert seen["config"] == {"debug": False, "modulePathPrefix": "assets/workbox/7.4.1/"}
    assert seen["names"] == {
        "prefix": offline.CACHE_PREFIX,
        "suffix": "http://127.0.0.1/thangdiem/",
    }
    assert seen["manifest"] == [{"url": e.url, "revision": e.revision} for e in entries]
    assert seen["options"] == {
        "directoryIndex": "index.html",
        "ignoreURLParametersMatching": [{}],
        "cleanURLs": False,
        "ignores": [True],
    }
    assert seen["claims"] and seen["cleans"] and seen["route"] and seen["catches"]
    assert seen["listeners"] == ["message"]
    with pytest.raises(ValueError, match="once"):
        offline.service_worker(source + offline.INJECTION_POINT, entries)


def test_build_id_names_the_manifest(tmp_path: Path) -> None:
    """The build id is a short digest of the manifest (it names the deployment in the log)."""
    entries = offline.precache_manifest(make_site(tmp_path))
    assert re.fullmatch(r"[0-9a-f]{16}", offline.build_id(entries))


def test_the_zip_is_deterministic_and_holds_the_site(tmp_path: Path) -> None:
    """Same files, same bytes (whatever the files' times); sorted entries under thangdiem/,
    neither the zip itself nor source maps."""
    site = make_site(tmp_path / "site")
    first = offline.write_zip(site).read_bytes()
    os.utime(site / "index.html", (0, 0))
    assert offline.write_zip(site).read_bytes() == first
    with zipfile.ZipFile(site / offline.ZIP_NAME) as archive:
        names = archive.namelist()
        assert archive.read("thangdiem/index.html").decode() == "<h1>Trang chủ</h1>"
        assert {i.date_time for i in archive.infolist()} == {offline.ZIP_TIME}
    assert names == [
        "thangdiem/a/index.html",
        "thangdiem/assets/app.min.js",
        "thangdiem/assets/pyodide/1.0/python_stdlib.zip",
        "thangdiem/index.html",
        "thangdiem/search/search_index.json",
        "thangdiem/sw.js",
    ]
    assert not list(site.glob("*.part"))


def test_workbox_is_pinned_once_and_installed(tmp_path: Path) -> None:
    """package.json pins one version for every Workbox package; its files are published."""
    version = assets.workbox_version()
    files = assets.workbox_files()
    assert sorted(files) == sorted(
        f"assets/workbox/{version}/{name}" for name in assets.WORKBOX_FILES.values()
    )
    assert all(path.is_file() for path in files.values())
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    package["dependencies"]["workbox-core"] = "7.0.0"
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(RuntimeFilesError, match="cùng đúng một phiên bản"):
        assets.workbox_version(tmp_path)
    package["dependencies"]["workbox-core"] = version
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(RuntimeFilesError, match=r"node_modules/workbox-sw không có.*npm ci"):
        assets.workbox_files(tmp_path)


def test_the_build_precaches_every_file_it_writes(built: Path) -> None:
    """sw.js of the real build lists every file written (new pages are covered by themselves)
    but itself, the zip, source maps and the full standard library (fetched only for a module
    the compiled one leaves out); each revision is the file's current digest."""
    text = (built / offline.SERVICE_WORKER).read_text(encoding="utf-8")
    assert offline.INJECTION_POINT not in text
    assert not (built / "fragments").exists(), "the theme folder's sources are not published"
    found = re.findall(r'\{"url": "([^"]+)", "revision": (null|"[0-9a-f]{32}")\}', text)
    listed = {url: json.loads(revision) for url, revision in found}
    expected = {
        path
        for path in offline.site_files(built)
        if path not in (offline.SERVICE_WORKER, offline.ZIP_NAME)
        and not path.endswith((".map", f"/{stdlib.SOURCE}"))
    }
    assert sum(path.endswith(f"/{stdlib.SOURCE}") for path in offline.site_files(built)) == 1
    assert set(listed) == expected
    assert {e.url: e.revision for e in offline.precache_manifest(built)} == listed
    for must in ("index.html", "search/search_index.json", "manifest.webmanifest"):
        assert must in listed
    assert any(re.fullmatch(r"assets/pyodide/[^/]+/pyodide\.asm\.wasm", p) for p in listed)
    assert any(re.fullmatch(r"assets/scoring_py-.*\.whl", p) for p in listed)
    assert any(p.endswith("/rubric.json") for p in listed)
    assert any(p.startswith("assets/workbox/") for p in listed)
    with zipfile.ZipFile(built / offline.ZIP_NAME) as archive:
        assert "thangdiem/sw.js" in archive.namelist()


def test_every_page_registers_the_worker_and_links_the_manifest(built: Path) -> None:
    """Each page links the web app manifest and loads offline.mjs (an external module)."""
    window = re.escape(f"assets/workbox/{assets.workbox_version()}/workbox-window.prod.mjs")
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        depth = "../" * (len(page.relative_to(built).parts) - 1)
        if page.name == "404.html":
            continue  # its links are absolute (site_url), checked by the browser tests
        assert f'<link rel="manifest" href="{depth}manifest.webmanifest">' in text, page
        assert '<meta name="theme-color" content="#ef5552">' in text, page
        pattern = (
            f'<script type="module" src="{re.escape(depth)}javascripts/offline.mjs"'
            f' data-service-worker="{re.escape(depth)}sw.js"'
            f' data-workbox-window="{re.escape(depth)}{window}"></script>'
        )
        assert re.search(pattern, text), page
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<a href="thangdiem.zip" download>' in home


def test_the_web_app_manifest() -> None:
    """Vietnamese name, relative start address and scope (works under a subpath), standalone,
    the theme's red, and PNG icons of the sizes it says, one of them maskable."""
    manifest = json.loads((SITE_SRC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Thang điểm dân vận chính quyền"
    assert manifest["lang"] == "vi" and manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == "./"
    assert manifest["theme_color"] == "#ef5552"
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        data = (SITE_SRC / icon["src"]).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert icon["sizes"] == f"{width}x{height}"
        assert width in (192, 512)


def test_the_committed_icons_are_what_the_script_draws() -> None:
    """site_src/icons/*.png are exactly `python -m generator.icons site_src/icons`."""
    committed = sorted(p.name for p in (SITE_SRC / "icons").iterdir())
    assert committed == sorted(icons.ICONS)
    for name in icons.ICONS:
        assert (SITE_SRC / "icons" / name).read_bytes() == icons.icon(name), name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_mkdocs_serve_has_no_service_worker() -> None:
    """Under `mkdocs serve` pages load no offline.mjs and there is no sw.js (a worker serving
    cached pages would hide each rebuild from the live reload)."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-livereload"]
    process = subprocess.Popen(
        [*command, "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        home = None
        deadline = time.monotonic() + 240
        while home is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    home = response.read().decode("utf-8")
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, "mkdocs serve stopped"
                time.sleep(0.5)
        assert home is not None and "<h1" in home
        assert "offline.mjs" not in home
        assert 'rel="manifest"' in home
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sw.js", timeout=10)
        missing.value.close()
        assert missing.value.code == 404
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_the_font_and_the_word_writer_are_published_with_their_licences(
    built: Path, tmp_path: Path
) -> None:
    """The printouts' font (Tinos: latin, latin-ext and vietnamese, four styles, each tried
    after the computer's own Times New Roman) and the Word writer's module are served by the
    site with their licences, from the pinned packages; a missing package stops the build
    with the command that fixes it."""
    files, (css_path, css) = assets.font_files()
    fonts = sorted(path for path in files if path.endswith(".woff2"))
    assert len(fonts) == 12
    for path in (*files, css_path, *assets.docx_files()):
        assert (built / path).is_file(), path
    rules = re.findall(r"@font-face \{(.*?)\}", css, re.S)
    assert len(rules) == 12
    for rule in rules:
        assert f"font-family: {assets.FONT_FAMILY};" in rule
        (local, url) = re.findall(r"src: (local\(.*\)), url\(([\w.-]+)\)", rule)[0]
        assert local.startswith('local("Times New Roman')
        assert f"{css_path.rsplit('/', 1)[0]}/{url}" in files
    vietnamese = [r for r in rules if "U+1EA0-1EF9" in r]  # ạ … ỹ, ố and ể among them
    assert len(vietnamese) == 4
    assert "Open Font License" in (built / css_path.replace("tinos.css", "LICENSE.txt")).read_text(
        encoding="utf-8"
    )
    (tmp_path / "package.json").write_text(
        (ROOT / "package.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(RuntimeFilesError, match=r"node_modules/@fontsource/tinos không có.*npm ci"):
        assets.font_files(tmp_path)
    with pytest.raises(RuntimeFilesError, match=r"node_modules/docx không có.*npm ci"):
        assets.docx_files(tmp_path)


def test_the_font_has_every_letter_the_printouts_print() -> None:
    """Every character of the bundled rubrics and of the printouts' template is in one of the
    font's ranges: none of them is taken from another font."""
    _, (_, css) = assets.font_files()
    ranges = []
    for listed in re.findall(r"unicode-range: ([^;]+);", css):
        for part in listed.split(","):
            low, _, high = part.strip().removeprefix("U+").partition("-")
            ranges.append((int(low, 16), int(high or low, 16)))
    sources = [*sorted((ROOT / "rubrics").glob("*.yaml"))]
    sources.append(ROOT / "site_src/overrides/fragments/printouts.html.j2")
    missing = {
        (char, path.name)
        for path in sources
        for char in path.read_text(encoding="utf-8")
        if char not in "\n\t" and not any(low <= ord(char) <= high for low, high in ranges)
    }
    assert missing == set()
