// The names this copy of the site stores under. Several copies of the site may share one origin
// (the project sites of one GitHub account all do: a production copy and a staging one, say),
// and an origin's IndexedDB, localStorage, Cache Storage and BroadcastChannels are shared by
// every page on it: each name holds the site's root path, so that one copy never reads or
// writes another's drafts.
//
// The root is the folder of the site's own pages: the theme's base script says it
// (data-scope, the site's base URL relative to the page, e.g. "../.."), else the service
// worker's folder (sw.js is at the site's root), else "/".
//
// Before names held the root, every copy used the LEGACY names; storage.mjs adopts what they
// hold once into its own names (and leaves them as they are, for the other copies).

/** The un-namespaced names used before (database, localStorage prefix, channel). */
export const LEGACY = {
  database: "thangdiem",
  record: "thangdiem:assessment:",
  pending: "thangdiem:pending:",
};

/** The site's root path, e.g. "/thangdiem/", from the page (see above). */
export function siteRoot(doc = globalThis.document) {
  const script = (selector) => /** @type {HTMLScriptElement} */ (doc?.querySelector(selector));
  const scope = script("script[data-scope]")?.dataset.scope;
  const worker = script("script[data-service-worker]")?.dataset.serviceWorker;
  try {
    if (scope !== undefined) return new URL(scope, doc.baseURI).pathname;
    if (worker !== undefined) return new URL("./", new URL(worker, doc.baseURI)).pathname;
  } catch {
    // an address that does not parse: the origin's root
  }
  return "/";
}

/**
 * The names for the site whose root is `root`: the IndexedDB databases (the drafts', and the
 * attached files' bytes), the localStorage keys and their prefixes, the BroadcastChannel and
 * the sessionStorage key of the open record.
 */
export function names(root = siteRoot()) {
  const base = `thangdiem:${root.endsWith("/") ? root : `${root}/`}`;
  return {
    database: base,
    record: `${base}:assessment:`,
    pending: `${base}:pending:`,
    signal: `${base}:signal`,
    channel: base,
    open: `${base}:open:`,
    adopted: `${base}:adopted`,
    probe: `${base}:probe`,
    seq: `${base}:seq`,
    files: `${base}:files`,
  };
}
