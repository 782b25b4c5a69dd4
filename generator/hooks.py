"""MkDocs hooks (mkdocs.yml `hooks:`): generate the guide's pages from rubrics/ in the build.

`mkdocs build` and `mkdocs serve` run these: on_config reads and checks the rubrics (a bad
rubric stops the build with the loader's messages), checks that the pinned Pyodide is in
node_modules, builds the scoring_py wheel and sets the navigation; on_files adds the generated
pages and files (in memory only) and the runtime of the scoring pages: Pyodide's files, copied
by MkDocs from node_modules, and the wheel, and Workbox's files; on_post_build adds
accent-folded text to the search index so that "dan van" finds "dân vận", then writes the
service worker (its precache manifest lists every file written) and the zip of the whole site
(generator/offline.py). `mkdocs serve` gets neither: a worker serving cached pages would hide
each rebuild from the live reload.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

import generator.offline
import generator.pages
import generator.runtime
import generator.search

log = logging.getLogger("mkdocs.hooks.thangdiem")
_state: dict[str, Any] = {}


def rubrics_dir(config: MkDocsConfig) -> Path:
    """rubrics/ beside mkdocs.yml (relative when run from there, as `thangdiem check` says it)."""
    folder = Path(config.config_file_path).resolve().parent
    return Path("rubrics") if folder == Path.cwd().resolve() else folder / "rubrics"


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: `mkdocs serve` gets no service worker."""
    # Kept in an imported module: `mkdocs serve` loads this file anew for each rebuild.
    generator.offline.serving = command == "serve"


def offline_enabled() -> bool:
    """Whether this build gets the service worker and the zip (not under `mkdocs serve`)."""
    return not generator.offline.serving


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the site from the rubrics; stop the build on a bad rubric or a missing runtime."""
    # `mkdocs serve` reloads this file on each rebuild: pick up generator changes too.
    site_module = generator.pages
    runtime = generator.runtime
    try:
        paths = runtime.describe()
        pyodide = runtime.pyodide_files()
        wheel_name, wheel = runtime.build_wheel()
        workbox = generator.offline.workbox_files()
    except runtime.RuntimeFilesError as exc:
        raise Abort(f"Không dựng được trang: {exc}") from None
    try:
        site = site_module.build_site(
            rubrics_dir(config), Path(config.docs_dir), site_module.TEMPLATES, paths
        )
    except site_module.SiteError as exc:
        for message in exc.messages:
            log.error(message)
        count = len(exc.messages)
        raise Abort(
            f"Không dựng được trang: thang điểm có {count} lỗi (xem các dòng ERROR)."
        ) from None
    _state["site"] = site
    _state["pyodide"] = pyodide
    _state["wheel"] = (paths.wheel_path, wheel)
    _state["workbox"] = workbox
    # main.html loads offline.mjs (registration, updates) when the build has a service worker.
    window = next(path for path in workbox if path.endswith("workbox-window.prod.mjs"))
    config.extra["offline"] = {"window": window} if offline_enabled() else None
    assert wheel_name == paths.wheel_name
    config.nav = site.nav
    # The published address, e.g. https://<account>.github.io/<repo>/ (set by the Pages
    # workflow): the 404 page and the sitemap need it; every other link is relative.
    site_url = os.environ.get("SITE_URL", "").strip()
    if site_url and not config.site_url:
        config.site_url = site_url.rstrip("/") + "/"
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and files (nothing is written into the docs folder)."""
    site = _state["site"]
    for page in site.pages:
        files.append(File.generated(config, page.src_uri, content=page.content))
    for path, text in site.assets.items():
        files.append(File.generated(config, path, content=text.encode("utf-8")))
    for path, source in (_state["pyodide"] | _state["workbox"]).items():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    wheel_path, wheel = _state["wheel"]
    files.append(File.generated(config, wheel_path, content=wheel))
    return files


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    """Fold the search index; then write the service worker and the zip (last: they list
    every file written)."""
    site_dir = Path(config.site_dir)
    path = site_dir / "search" / "search_index.json"
    if path.is_file():
        index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        folded = generator.search.fold_search_index(index)
        text = json.dumps(folded, ensure_ascii=False, separators=(",", ":"))
        path.write_text(text, encoding="utf-8")
    if offline_enabled():
        entries = generator.offline.post_build(site_dir)
        size = sum(entry.size for entry in entries) / 1e6
        log.info(f"Service worker: {len(entries)} tệp được lưu sẵn ({size:.1f} MB).")
