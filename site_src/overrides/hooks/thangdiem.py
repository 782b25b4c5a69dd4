"""The site's MkDocs hook (mkdocs.yml `hooks:`): generate the guide's pages from the rubrics.

This is the only file that knows MkDocs; the generator (generator/) is handed folders and
returns pages, files and navigation. `mkdocs build` and `mkdocs serve` run these events:
on_startup remembers the command (under serve, MkDocs's live-reload poller is then served as a
file, javascripts/livereload.js, which the pages' CSP allows: MkDocs writes it inline);
on_config reads and checks the rubrics (a bad rubric stops the build with the loader's
messages), checks that the pinned Pyodide and Workbox are in node_modules, builds the scoring_py
wheel, fetches XlsxWriter's and sets the navigation; on_files adds the generated pages and files
(in memory only) and the runtime of the scoring pages: Pyodide's files, copied by MkDocs from
node_modules, the wheels, and Workbox's files; on_post_build adds accent-folded text to the
search index so that "dan van" finds "dân vận" (and search/fold.json, for the highlighting of
such queries), then writes the service worker (its precache manifest lists every file written)
and the zip of the whole site. `mkdocs serve` gets neither: a worker serving cached pages would
hide each rebuild from the live reload (the home page then says where the zip comes from).

Settings, in mkdocs.yml: `extra.thangdiem.rubrics` names the rubrics' folder (relative to
mkdocs.yml; the environment variable THANGDIEM_RUBRICS sets another).

MkDocs 1.6 loads a hook once per process (Hooks._load_hook is cached), so this module's state
lasts across the rebuilds of one `mkdocs serve`, as a plugin's instance would; the generator's
Python modules are not reloaded either (restart `make serve` after editing them).
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs import livereload
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from generator import assets, offline, pages, search, stdlib

log = logging.getLogger("mkdocs.hooks.thangdiem")
OVERRIDES = Path(__file__).resolve().parent.parent
"""The site's overrides folder (the theme's custom_dir)."""
FRAGMENTS = OVERRIDES / "fragments"
"""The templates of the scoring and summary pages' HTML fragments (beside the scripts that
read their markup, in the site's overrides)."""
SERVICE_WORKER = OVERRIDES / "sw.js"
"""The service worker's source (its manifest is filled in after the build)."""


@dataclass(slots=True)
class _Build:
    """What one build's events share, and the command of this process."""

    serving: bool = False
    """True under `mkdocs serve`: no service worker, no zip."""
    site: pages.Site | None = None
    pyodide: dict[str, Path] = field(default_factory=dict)
    workbox: dict[str, Path] = field(default_factory=dict)
    font: dict[str, Path] = field(default_factory=dict)
    docx: dict[str, Path] = field(default_factory=dict)
    font_css: tuple[str, str] = ("", "")
    """The font's @font-face rules: their path in the site and their text."""
    wheel: tuple[str, bytes] = ("", b"")
    """The wheel's path in the site and its bytes."""
    stdlib: tuple[str, bytes] = ("", b"")
    source: tuple[str, Path] = ("", Path())
    """The compiled standard library's path in the site (named by its inputs' digest) and its
    bytes."""
    xlsx: tuple[str, bytes] = ("", b"")
    """XlsxWriter's wheel's path in the site and its bytes."""


_build = _Build()


def rubrics_dir(config: MkDocsConfig) -> Path:
    """The rubrics' folder that mkdocs.yml names (`extra.thangdiem.rubrics`), relative to
    mkdocs.yml; written relative when run from there, as `thangdiem check` says it."""
    setting = Path(config.extra.get("thangdiem", {}).get("rubrics") or "rubrics")
    folder = Path(config.config_file_path).resolve().parent
    if setting.is_absolute():
        return setting
    return setting if folder == Path.cwd().resolve() else folder / setting


LIVE_RELOAD = "javascripts/livereload.js"
"""Under `mkdocs serve` only: MkDocs's live-reload poller, as a file of the site."""


def _live_reload_script() -> str:
    """MkDocs's own poller, reading the two values it is written with (the site's epoch and
    the page's request id) from its <script> tag's data attributes."""
    return livereload._SCRIPT_TEMPLATE.substitute(
        epoch="Number(document.currentScript.dataset.epoch)",
        request_id="Number(document.currentScript.dataset.requestId)",
    )


def _inject_live_reload(self: livereload.LiveReloadServer, content: bytes, epoch: int) -> bytes:
    """LiveReloadServer._inject_js_into_html, with the poller as a same-origin file: MkDocs
    writes it inline, which the pages' Content-Security-Policy (no inline script) refuses."""
    try:
        body_end = content.rindex(b"</body>")
    except ValueError:
        body_end = len(content)
    src = posixpath.join(self.mount_path, LIVE_RELOAD)
    tag = (
        f'<script src="{html.escape(src)}" data-epoch="{epoch}"'
        f' data-request-id="{livereload._timestamp()}"></script>'
    )
    return content[:body_end] + tag.encode() + content[body_end:]


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: `mkdocs serve` gets no service worker, and its live reload is
    served as a file (the built site has neither the file nor the tag)."""
    _build.serving = command == "serve"
    if _build.serving:
        livereload.LiveReloadServer._inject_js_into_html = _inject_live_reload  # type: ignore[method-assign]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the site from the rubrics; stop the build on a bad rubric or a missing runtime."""
    try:
        paths = assets.describe()
        pyodide = assets.pyodide_files()
        wheel_name, _ = assets.build_wheel()
        runtime = stdlib.build()
        xlsx_name, xlsx = assets.xlsx_wheel()
        workbox = assets.workbox_files()
        font, font_css = assets.font_files()
        docx = assets.docx_files()
    except assets.RuntimeFilesError as exc:
        raise Abort(f"Không dựng được trang: {exc}") from None
    try:
        site = pages.build_site(
            rubrics_dir(config), Path(config.docs_dir), FRAGMENTS, serving=_build.serving
        )
    except pages.SiteError as exc:
        for message in exc.messages:
            log.error(message)
        count = len(exc.messages)
        raise Abort(
            f"Không dựng được trang: thang điểm có {count} lỗi (xem các dòng ERROR)."
        ) from None
    assert wheel_name == paths.wheel_name and xlsx_name == paths.xlsx_wheel_name
    _build.site = site
    _build.pyodide = pyodide
    # The wheel and the standard library as bytecode, made by the pinned Pyodide (stdlib.py).
    _build.wheel = (paths.wheel_path, runtime.wheel.read_bytes())
    stdlib_path = f"{assets.ASSETS}/python/{runtime.stdlib.parent.name}/{stdlib.STDLIB}"
    _build.stdlib = (stdlib_path, runtime.stdlib.read_bytes())
    source_path = f"{assets.ASSETS}/python/{runtime.stdlib.parent.name}/{stdlib.SOURCE}"
    _build.source = (source_path, runtime.source)
    _build.xlsx = (paths.xlsx_wheel_path, xlsx)
    _build.workbox = workbox
    # The printouts' font (cham-diem.html and tong-hop.html link its rules).
    _build.font = font
    _build.font_css = font_css
    config.extra["font"] = font_css[0]
    # cham-diem.html names the Word writer's module; word.mjs imports it when asked.
    _build.docx = docx
    config.extra["docx"] = next(path for path in docx if path.endswith(".mjs"))
    # main.html loads offline.mjs (registration, updates) when the build has a service worker.
    window = next(path for path in workbox if path.endswith("workbox-window.prod.mjs"))
    config.extra["offline"] = None if _build.serving else {"window": window}
    # partials/scorer.html hands these to the scoring worker (paths in the site).
    config.extra["runtime"] = {
        "pyodide": paths.pyodide_dir,
        "wheel": paths.wheel_path,
        "xlsxwriter": paths.xlsx_wheel_path,
        "stdlib": stdlib_path,
        "source": source_path,
        "lock": runtime.lock_text(),
    }
    config.nav = site.nav
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and files (nothing is written into the docs folder); leave out
    the sources kept in the theme's folder (MkDocs would publish them as theme files)."""
    site = _build.site
    assert site is not None  # on_config ran
    for file in list(files):
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if source is not None and (source == SERVICE_WORKER or source.parent == FRAGMENTS):
            files.remove(file)
    for page in site.pages:
        files.append(File.generated(config, page.src_uri, content=page.content))
    for path, text in site.assets.items():
        files.append(File.generated(config, path, content=text.encode("utf-8")))
    copied = _build.pyodide | _build.workbox | _build.font | _build.docx | dict([_build.source])
    for path, source in copied.items():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    for path, data in (_build.wheel, _build.xlsx, _build.stdlib):
        files.append(File.generated(config, path, content=data))
    path, text = _build.font_css
    files.append(File.generated(config, path, content=text.encode("utf-8")))
    if _build.serving:
        files.append(File.generated(config, LIVE_RELOAD, content=_live_reload_script()))
    return files


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    """Fold the search index; then write the service worker and the zip (last: they list
    every file written)."""
    site_dir = Path(config.site_dir)
    path = site_dir / "search" / "search_index.json"
    if path.is_file():
        index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        folded = search.fold_search_index(index)
        text = json.dumps(folded, ensure_ascii=False, separators=(",", ":"))
        path.write_text(text, encoding="utf-8")
        highlighting = json.dumps(search.highlighting(folded), ensure_ascii=False)
        (path.parent / "fold.json").write_text(highlighting, encoding="utf-8")
    if not _build.serving:
        source = SERVICE_WORKER.read_text(encoding="utf-8")
        entries = offline.post_build(site_dir, source)
        size = sum(entry.size for entry in entries) / 1e6
        build = offline.build_id(entries)
        log.info(
            f"Service worker: {len(entries)} tệp được lưu sẵn ({size:.1f} MB), bản dựng {build}."
        )
