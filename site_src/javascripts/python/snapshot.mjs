// Python's memory once scoring_py is imported (a Pyodide memory snapshot), kept in the
// browser's Cache Storage, so that the next visits restore it instead of starting Python and
// importing the module again: most of the time to the first score.
//
// The snapshot is taken before any rubric or user text reaches Python, so it holds no user data.
// It is only valid for the same Pyodide and standard library (the compiled standard library's
// address, whose folder is named by Pyodide's version and the digest of its inputs; Pyodide also
// refuses a snapshot of another build) and the same scoring_py wheel (a digest of its bytes): both are in the entry's address, and storing a new snapshot removes the site's older
// ones. The cache is named after the site's root (the wheel is in <root>/assets/): copies of
// the site on one origin keep their own; the un-namespaced cache of older versions of the site
// is removed when a snapshot is stored. Every failure here (no Cache Storage, a full disk, a damaged entry) only means that
// Python starts the long way.

const LEGACY_CACHE = "thangdiem-python";
const NAME = "thangdiem-python.snapshot";

async function openCache(name) {
  try {
    return await caches.open(name);
  } catch {
    return null; // no Cache Storage here (e.g. some private windows): no snapshot
  }
}

async function digest(bytes) {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export class Snapshots {
  /**
   * @param {string} runtime the runtime's address: the compiled standard library's (absolute URL)
   * @param {string} wheel the scoring_py wheel (absolute URL); the snapshots sit beside it
   */
  constructor(runtime, wheel) {
    this.runtime = runtime;
    this.place = new URL(NAME, wheel);
    this.cache = `${LEGACY_CACHE}:${new URL("../", wheel).pathname}`;
  }

  async key(archive) {
    const url = new URL(this.place);
    const query = new URLSearchParams({ runtime: this.runtime, wheel: await digest(archive) });
    url.search = String(query);
    return url.href;
  }

  /** The site's stored snapshots (Requests), whatever their Pyodide and wheel. */
  async #entries(cache) {
    const keys = await cache.keys();
    return keys.filter((request) => {
      const url = new URL(request.url);
      return url.origin === this.place.origin && url.pathname === this.place.pathname;
    });
  }

  /**
   * The snapshot stored for this Pyodide and the wheel `archiveLoad` resolves with, as bytes;
   * null if there is none. Waits for the wheel only when the site has a snapshot stored.
   * Never rejects.
   */
  async find(archiveLoad) {
    try {
      const cache = await openCache(this.cache);
      if (!cache || (await this.#entries(cache)).length === 0) return null;
      const response = await cache.match(await this.key(await archiveLoad));
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    } catch {
      return null;
    }
  }

  /** Store the snapshot of this wheel and remove the site's others. Never rejects. */
  async keep(archive, snapshot) {
    try {
      const cache = await openCache(this.cache);
      if (!cache) return;
      const key = await this.key(archive);
      const headers = { "Content-Type": "application/octet-stream" };
      await cache.put(key, new Response(snapshot, { headers }));
      const older = (await this.#entries(cache)).filter((request) => request.url !== key);
      await Promise.all(older.map((request) => cache.delete(request)));
      await caches.delete(LEGACY_CACHE);
    } catch {
      // not kept (e.g. the disk is full): the next visit starts Python the long way
    }
  }

  /** Remove the site's snapshots (one could not be restored). Never rejects. */
  async forget() {
    try {
      const cache = await openCache(this.cache);
      if (!cache) return;
      await Promise.all((await this.#entries(cache)).map((request) => cache.delete(request)));
    } catch {
      // nothing more to do
    }
  }
}
