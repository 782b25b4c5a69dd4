"""Offline use: the service worker's precache manifest, and the site as one zip file.

The service worker (sw.js at the site's root, so that it controls every page) is a real
source file of the site (the site's hook hands its text here); it runs Workbox, served by the
site itself from assets/workbox/<version>/ (see assets.py). Its precache manifest is made
here, after the build: every file of the built site with a content-hash revision, except
source maps, the zip and sw.js itself; it replaces the source's placeholder, as Workbox's
injectManifest does. A build id (a digest of the manifest) names a deployment in the build's
log. workbox-build is not used: it would only compute the same manifest.

The zip holds the whole built site (but itself and the source maps) under one folder, with
sorted entries and fixed times, so that the same site always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .assets import ASSETS
from .stdlib import SOURCE as SOURCE_LIBRARY

SERVICE_WORKER = "sw.js"
"""The service worker's path in the site (at its root: its scope is the whole site)."""
ZIP_NAME = "thangdiem.zip"
"""The zip of the whole site, at the site's root."""
ZIP_FOLDER = "thangdiem"
"""The folder that the zip's entries are in (unzipping gives this one folder)."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Time of every zip entry (the earliest a zip can hold): the same site gives the same bytes."""
CACHE_PREFIX = "thangdiem"
"""First part of the precache's name, as sw.js sets it (then Workbox's "precache-v2" and the
site's scope)."""
INJECTION_POINT = "self.__WB_MANIFEST"
"""The placeholder of the service worker's source that the manifest replaces (Workbox's
default `injectionPoint`)."""
SKIPPED_SUFFIXES = (".map",)
"""Files neither precached nor zipped: source maps (only a debugger reads them)."""
NOT_PRECACHED = (SOURCE_LIBRARY,)
"""Files zipped but not precached: the full standard library (2.5 MB), fetched only for a
module the compiled one leaves out (generator/stdlib.py); the browser tests fail if any page
fetches it."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A file of the built site in the precache manifest."""

    url: str
    """Its path in the site, relative to the site's root (e.g. "bac-kan-2017/index.html")."""
    revision: str | None
    """A digest of its bytes: the worker fetches it again when this changes. None for a file
    of a versioned folder (see IMMUTABLE), whose address changes with its bytes: the worker
    may then take it from the browser's HTTP cache, where the page has just put it."""
    size: int
    """Its size in bytes."""


IMMUTABLE = (f"{ASSETS}/pyodide/", f"{ASSETS}/workbox/")
"""Folders named by the pinned version of their package: a file there never changes."""


def _skipped(path: str) -> bool:
    return path.endswith(SKIPPED_SUFFIXES) or path in (ZIP_NAME, SERVICE_WORKER)


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site, as sorted paths relative to its root."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())


def precache_manifest(site_dir: Path) -> list[Entry]:
    """The precache manifest: every file of the built site but sw.js, the zip, source maps and
    the full standard library."""
    entries = []
    for path in site_files(site_dir):
        if _skipped(path) or path.endswith(NOT_PRECACHED):
            continue
        data = (site_dir / path).read_bytes()
        revision = None if path.startswith(IMMUTABLE) else hashlib.sha256(data).hexdigest()[:32]
        entries.append(Entry(path, revision, len(data)))
    return entries


def build_id(entries: Iterable[Entry]) -> str:
    """A short digest of a manifest: the same files give the same id."""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(f"{entry.url}\0{entry.revision}\n".encode())
    return digest.hexdigest()[:16]


def service_worker(source: str, entries: list[Entry]) -> str:
    """The text of sw.js: its source with the manifest in the place of INJECTION_POINT."""
    if source.count(INJECTION_POINT) != 1:
        raise ValueError(f"the service worker's source must hold {INJECTION_POINT} once")
    lines = (
        json.dumps({"url": e.url, "revision": e.revision}, ensure_ascii=False) for e in entries
    )
    manifest = "[\n  " + ",\n  ".join(lines) + ",\n]"
    return source.replace(INJECTION_POINT, manifest)


def write_service_worker(site_dir: Path, source: str) -> list[Entry]:
    """Write sw.js (from its source) into the built site; return its precache manifest."""
    entries = precache_manifest(site_dir)
    (site_dir / SERVICE_WORKER).write_text(service_worker(source, entries), encoding="utf-8")
    return entries


def write_zip(site_dir: Path, target: Path | None = None) -> Path:
    """Zip the built site (but the zip and source maps) into <site>/thangdiem.zip."""
    target = target or site_dir / ZIP_NAME
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in site_files(site_dir):
            if path.endswith(SKIPPED_SUFFIXES) or path in (ZIP_NAME, partial.name):
                continue
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{path}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the building machine is
            archive.writestr(info, (site_dir / path).read_bytes())
    partial.replace(target)
    return target


def post_build(site_dir: Path, source: str) -> list[Entry]:
    """Write sw.js from its source, then the zip (which holds sw.js); return the manifest."""
    entries = write_service_worker(site_dir, source)
    write_zip(site_dir)
    return entries
