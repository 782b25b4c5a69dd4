"""Offline use: the service worker that precaches the whole site, and the site as one zip file.

The service worker (sw.js at the site's root, so that it controls every page) runs Workbox,
served by the site itself from assets/workbox/<version>/ (copied from the pinned npm packages
in node_modules, never from a CDN). Its precache manifest is written here, after the build:
every file of the built site with a content-hash revision, except source maps, the zip and
sw.js itself. The cache's name holds the site's scope and a build id (a digest of the
manifest), so that each deployment has its own cache and the worker of the next one removes
it. workbox-build is not used: it would only compute the same manifest.

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

from generator.runtime import ASSETS, NPM_HINT, PROJECT, RuntimeFilesError

SERVICE_WORKER = "sw.js"
"""The service worker's path in the site (at its root: its scope is the whole site)."""
ZIP_NAME = "thangdiem.zip"
"""The zip of the whole site, at the site's root."""
ZIP_FOLDER = "thangdiem"
"""The folder that the zip's entries are in (unzipping gives this one folder)."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Time of every zip entry (the earliest a zip can hold): the same site gives the same bytes."""
CACHE_PREFIX = "thangdiem"
"""First part of the precache's name (then Workbox's "precache-v2", the build id, the scope)."""
WORKBOX_PACKAGES = (
    "workbox-sw",
    "workbox-core",
    "workbox-precaching",
    "workbox-routing",
    "workbox-strategies",
    "workbox-window",
)
"""The pinned npm packages of Workbox that the site serves."""
WORKBOX_FILES = {
    "workbox-sw": "workbox-sw.js",
    "workbox-core": "workbox-core.prod.js",
    "workbox-precaching": "workbox-precaching.prod.js",
    "workbox-routing": "workbox-routing.prod.js",
    "workbox-strategies": "workbox-strategies.prod.js",
    "workbox-window": "workbox-window.prod.mjs",
}
"""The file of each package in its build/ folder: workbox-sw loads the `.prod.js` modules."""
SKIPPED_SUFFIXES = (".map",)
"""Files neither precached nor zipped: source maps (only a debugger reads them)."""


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


def workbox_version(project: Path | None = None) -> str:
    """The one exact Workbox version that package.json pins for every Workbox package."""
    path = (project or PROJECT) / "package.json"
    try:
        pins = json.loads(path.read_text(encoding="utf-8"))["dependencies"]
        versions = {pins[name] for name in WORKBOX_PACKAGES}
    except (OSError, ValueError, KeyError, TypeError):
        raise RuntimeFilesError(f"{path}: không đọc được phiên bản Workbox đã ghim") from None
    version = versions.pop() if len(versions) == 1 else None
    if not isinstance(version, str) or not version[:1].isdigit():
        raise RuntimeFilesError(
            f"{path}: các gói Workbox phải được ghim cùng đúng một phiên bản"
            f" (nhận được {sorted(map(str, versions | {version}))})"
        )
    return version


def workbox_dir(version: str) -> str:
    """The folder of Workbox's files in the site, with a trailing slash."""
    return f"{ASSETS}/workbox/{version}/"


def workbox_files(project: Path | None = None) -> dict[str, Path]:
    """Workbox's files to publish: path in the site → file in node_modules.

    Raise RuntimeFilesError when a package is missing or not the pinned version.
    """
    project = project or PROJECT
    version = workbox_version(project)
    files: dict[str, Path] = {}
    for package, name in WORKBOX_FILES.items():
        folder = project / "node_modules" / package
        try:
            info = json.loads((folder / "package.json").read_text(encoding="utf-8"))
            installed = info.get("version")
        except (OSError, ValueError):
            installed = None
        if installed != version:
            found = "không có" if installed is None else f"là phiên bản {installed}"
            raise RuntimeFilesError(
                f"node_modules/{package} {found}, nhưng package.json ghim {version}; {NPM_HINT}."
            )
        source = folder / "build" / name
        if not source.is_file():
            raise RuntimeFilesError(f"node_modules/{package} thiếu tệp build/{name}; {NPM_HINT}.")
        files[workbox_dir(version) + name] = source
    return files


IMMUTABLE = (f"{ASSETS}/pyodide/", f"{ASSETS}/workbox/")
"""Folders named by the pinned version of their package: a file there never changes."""


def _skipped(path: str) -> bool:
    return path.endswith(SKIPPED_SUFFIXES) or path in (ZIP_NAME, SERVICE_WORKER)


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site, as sorted paths relative to its root."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())


def precache_manifest(site_dir: Path) -> list[Entry]:
    """The precache manifest: every file of the built site but sw.js, the zip and source maps."""
    entries = []
    for path in site_files(site_dir):
        if _skipped(path):
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


def service_worker(entries: list[Entry], workbox_version: str) -> str:
    """The text of sw.js for a manifest."""
    lines = (
        json.dumps({"url": e.url, "revision": e.revision}, ensure_ascii=False) for e in entries
    )
    manifest = "[\n  " + ",\n  ".join(lines) + ",\n]"
    folder = workbox_dir(workbox_version)
    return f"""\
// The site's service worker (written by generator/offline.py when the site is built).
// Workbox precaches every file of the site, so that after one visit every page, search and
// the scoring pages work with no network. A new deployment's worker waits until the page asks
// it to take over (offline.mjs, after the user's choice); then it removes the old caches.
importScripts({json.dumps(folder + "workbox-sw.js")});
workbox.setConfig({{ debug: false, modulePathPrefix: {json.dumps(folder)} }});

// This deployment (a digest of the manifest below): a new deployment is a new sw.js.
const BUILD = {json.dumps(build_id(entries))};
// One cache per site (several sites may share a host). A new deployment adds the files whose
// revision changed to it, and only those are downloaded; once it takes over, the files that
// are no longer listed are removed. Caches of an older naming are removed too.
workbox.core.setCacheNameDetails({{
  prefix: {json.dumps(CACHE_PREFIX)},
  suffix: self.registration.scope,
}});

self.addEventListener("message", (event) => {{
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
}});

workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
// "foo/" is "foo/index.html"; a query string (e.g. search's "?q=") does not change the file.
workbox.precaching.precacheAndRoute({manifest}, {{
  directoryIndex: "index.html",
  ignoreURLParametersMatching: [/.*/],
  cleanURLs: false,
}});

// Offline, an address the site does not have gets the site's "page not found".
workbox.routing.registerRoute(
  new workbox.routing.NavigationRoute(new workbox.strategies.NetworkOnly()),
);
workbox.routing.setCatchHandler(async ({{ request }}) => {{
  if (request.mode !== "navigate") return Response.error();
  const missing = await workbox.precaching.matchPrecache("404.html");
  if (!missing) return Response.error();
  return new Response(missing.body, {{ status: 404, headers: missing.headers }});
}});
"""


def write_service_worker(site_dir: Path, workbox_version: str) -> list[Entry]:
    """Write sw.js into the built site; return its precache manifest."""
    entries = precache_manifest(site_dir)
    (site_dir / SERVICE_WORKER).write_text(
        service_worker(entries, workbox_version), encoding="utf-8"
    )
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


def post_build(site_dir: Path, project: Path | None = None) -> list[Entry]:
    """Write sw.js, then the zip (which holds sw.js); return the precache manifest."""
    entries = write_service_worker(site_dir, workbox_version(project))
    write_zip(site_dir)
    return entries
