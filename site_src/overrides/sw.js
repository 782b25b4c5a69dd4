// The site's service worker (sw.js at the site's root, so that it controls every page). Its
// source: after the build, generator/offline.py puts the precache manifest (every file the
// build wrote, with a content-hash revision) in the place of Workbox's injection point below,
// as Workbox's injectManifest does; nothing else is written into it.
// Workbox precaches every file of the site, so that after one visit every page, search and
// the scoring pages work with no network. A new deployment's worker waits until the page asks
// it to take over (offline.mjs, after the user's choice); then it removes the old caches.

// This deployment's files: a new deployment (any file changed) is a new sw.js.
const MANIFEST = self.__WB_MANIFEST;

// Workbox is served by the site itself, from the folder named by its pinned version (its files
// are in the manifest): assets/workbox/<version>/.
const WORKBOX_SW = MANIFEST.map((entry) => entry.url).find((url) =>
  /^assets\/workbox\/[^/]+\/workbox-sw\.js$/.test(url),
);
const WORKBOX = WORKBOX_SW.slice(0, WORKBOX_SW.lastIndexOf("/") + 1);
importScripts(WORKBOX_SW);
workbox.setConfig({ debug: false, modulePathPrefix: WORKBOX });

// One cache per site (several sites may share a host). A new deployment adds the files whose
// revision changed to it, and only those are downloaded; once it takes over, the files that
// are no longer listed are removed. Caches of an older naming are removed too.
workbox.core.setCacheNameDetails({
  prefix: "thangdiem",
  suffix: self.registration.scope,
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
// "foo/" is "foo/index.html"; a query string (e.g. search's "?q=") does not change the file.
workbox.precaching.precacheAndRoute(MANIFEST, {
  directoryIndex: "index.html",
  ignoreURLParametersMatching: [/.*/],
  cleanURLs: false,
});

// Offline, an address the site does not have gets the site's "page not found".
workbox.routing.registerRoute(
  new workbox.routing.NavigationRoute(new workbox.strategies.NetworkOnly()),
);
workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.mode !== "navigate") return Response.error();
  const missing = await workbox.precaching.matchPrecache("404.html");
  if (!missing) return Response.error();
  return new Response(missing.body, { status: 404, headers: missing.headers });
});
