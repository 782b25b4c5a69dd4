// Python's memory once scoring_py is imported and the page's rubric is read (a Pyodide memory
// snapshot), kept raw in the browser's Cache Storage, so that the next visits restore it
// instead of starting Python, importing the module and reading the rubric again: most of the
// time to the first score.
//
// The snapshot is taken before any user text reaches Python, so it holds no user data: only the
// rubric, which the site publishes. It is only valid for the same Pyodide and standard library
// (the compiled standard library's address, whose folder is named by Pyodide's version and the
// digest of its inputs; Pyodide also refuses a snapshot of another build), the same scoring_py
// wheel and the same rubric (digests of their bytes): all three are in the entry's address.
// Storing a snapshot removes the site's snapshots of any other runtime or wheel and keeps the
// KEPT most recent rubrics' (a page of another rubric has its own). The cache is named after
// the site's root (the wheel is in <root>/assets/): copies of the site on one origin keep their
// own; the un-namespaced cache of older versions of the site is removed when a snapshot is
// stored. Every failure here (no Cache Storage, a full disk, a damaged entry) only means that
// Python starts the long way.

const LEGACY_CACHE = "thangdiem-python";
const NAME = "thangdiem-python.snapshot";
/** Snapshots kept per site: one per rubric, for the rubrics most recently opened. */
const KEPT = 3;

async function openCache(name) {
  try {
    return await caches.open(name);
  } catch {
    return null; // no Cache Storage here (e.g. some private windows): no snapshot
  }
}

/** @param {BufferSource | string} data */
async function digest(data) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
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

  /**
   * The entry's address: this runtime's, the wheel's and the rubric's.
   * @param {BufferSource} archive the wheel's bytes
   * @param {string} rubric the rubric's text
   */
  async key(archive, rubric) {
    const url = new URL(this.place);
    const query = new URLSearchParams({
      runtime: this.runtime,
      wheel: await digest(archive),
      rubric: await digest(rubric),
    });
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
   * The snapshot stored for this Pyodide, the wheel `archiveLoad` resolves with and the rubric
   * `rubricLoad` resolves with, as bytes; null if there is none. Waits for the wheel and the
   * rubric only when the site has a snapshot stored. Never rejects.
   */
  async find(archiveLoad, rubricLoad) {
    try {
      const cache = await openCache(this.cache);
      if (!cache || (await this.#entries(cache)).length === 0) return null;
      const response = await cache.match(await this.key(await archiveLoad, await rubricLoad));
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    } catch {
      return null;
    }
  }

  /**
   * Store the snapshot of this wheel and rubric; remove the site's snapshots of other runtimes
   * or wheels, and the oldest beyond KEPT. Never rejects.
   * @param {BufferSource} archive the wheel's bytes
   * @param {string} rubric the rubric's text
   * @param {BufferSource} snapshot
   */
  async keep(archive, rubric, snapshot) {
    try {
      const cache = await openCache(this.cache);
      if (!cache) return;
      const key = await this.key(archive, rubric);
      const headers = { "Content-Type": "application/octet-stream" };
      await cache.delete(key); // put again last: the cache lists its entries as they came
      await cache.put(key, new Response(snapshot, { headers }));
      const wheel = (url) => {
        const query = new URL(url).searchParams;
        return `${query.get("runtime")}\n${query.get("wheel")}`;
      };
      const entries = await this.#entries(cache);
      const same = entries.filter((request) => wheel(request.url) === wheel(key));
      const stale = [
        ...entries.filter((request) => wheel(request.url) !== wheel(key)),
        ...same.slice(0, Math.max(0, same.length - KEPT)),
      ];
      await Promise.all(stale.map((request) => cache.delete(request)));
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
