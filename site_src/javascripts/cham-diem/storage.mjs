// Saved assessments in this browser: IndexedDB (database "thangdiem:<site root>", object
// store "assessments"), or localStorage (keys "thangdiem:<site root>:assessment:<id>") when
// IndexedDB is unavailable. Every name holds the site's root (namespace.mjs): two copies of
// the site on one origin never share drafts. Nothing leaves the browser.
//
// A record: {id, rubric, unit, created, updated, revision, seq, document, carried}
//   id                random (newId)
//   rubric            "<rubric id>@<rubric version>": a page lists the records of its rubric,
//                     of every version (list(rubricId))
//   unit              the unit's name, for the list
//   created, updated  ISO 8601 times
//   revision          1 after the first save, one more after each later save
//   seq               the store's save counter when it was last saved (one more than any
//                     record's; localStorage keeps its counter under "<prefix>:seq"): "latest"
//                     is the highest, whatever the clock says (absent in records saved before
//                     it existed)
//   document          the assessment document's JSON text
//   carried           (optional) when the record was carried over from another version of its
//                     rubric: {from, document, dropped}, the original document kept beside it
//                     (versions.mjs)
//
// When IndexedDB cannot be opened, the page saves in localStorage instead and is told so
// (store.fallback); once IndexedDB opens again, the records left in localStorage are listed
// beside the others (marked `where: "localstorage"`) and moved into IndexedDB when opened.
//
// save(record, expected) is a compare-and-set inside one transaction: it writes only when the
// stored revision is still `expected` (0: no such record yet) and answers {ok: true, revision}
// or {ok: false, stored} (stored: the record found, null when it has been deleted).
//
// A save started while the page is being unloaded may never finish (IndexedDB answers
// asynchronously), so the page also writes a "pending" copy synchronously to localStorage
// (keepPending); the next page of the same rubric applies or keeps it (see saving.mjs).
//
// Tabs tell each other about saves and deletions on a BroadcastChannel, or, without one,
// through a localStorage key whose `storage` event the other tabs receive (listen).
//
// Faults: a full storage (QuotaExceededError, or DataError/UnknownError, which Chromium gives
// when the disk itself is full: full() is true for all three), a blocked one (SecurityError, as
// in some private modes) or any other failure rejects the operation, and problem() says why in
// Vietnamese; the page keeps what is on screen. A connection closed because another tab
// deletes or upgrades the database is opened again at the next operation.
//
// The records of the un-namespaced database and keys of older versions of the site are adopted
// once into this site's own (legacy.mjs), and left where they were. A stored record that is not
// what this code writes (damaged) is listed as such by the page (damage()) and never changed or
// deleted by this module.

import { BLOCKED, QUOTA, diskFull, storageFault } from "../lib/messages.mjs";
import { adoptLegacy, keysStarting } from "./legacy.mjs";
import { names } from "./namespace.mjs";

const NAMES = names();
const DB_NAME = NAMES.database;
const DB_VERSION = 1;
const STORE = "assessments";
const META = "meta";
const OPEN_TIMEOUT_MS = 5000;
const RECORD = NAMES.record;
const PENDING = NAMES.pending;
const CHANNEL = NAMES.channel;
const SIGNAL = NAMES.signal;
const FULL = ["QuotaExceededError", "DataError", "UnknownError"];

/** A random id: 32 hexadecimal digits. */
export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function conflict(stored, expected) {
  return (stored ? stored.revision : 0) !== expected;
}

/** Whether a storage error means a full storage or a full disk. */
export function full(error) {
  return Boolean(error && FULL.includes(error.name));
}

/** Why a storage operation failed, in Vietnamese, for a message to the user. */
export function problem(error) {
  const name = error && error.name;
  if (name === "QuotaExceededError") return QUOTA;
  if (full(error)) return diskFull(name);
  if (name === "SecurityError") return BLOCKED;
  if (error instanceof StorageProblem) return error.message;
  return storageFault(name);
}

/** A failure of this module, already said in Vietnamese. */
export class StorageProblem extends Error {}

/**
 * Newest first: by the store's save counter, then (records saved before it, or records of the
 * two stores, whose counters are not comparable) by time.
 */
export function newestFirst(a, b) {
  const order = a.where === b.where ? (b.seq ?? 0) - (a.seq ?? 0) : 0;
  if (order) return order;
  return a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0;
}

/** The IDBKeyRange (or test) of the records of every version of a rubric id. */
function versionsOf(rubricId) {
  return `${rubricId}@`;
}

function validTime(value) {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

/**
 * Why a stored record cannot be opened (in Vietnamese), or null when it has the shape this
 * module writes. Its document is checked by the page.
 */
export function damage(record) {
  if (!record || typeof record !== "object" || Array.isArray(record)) {
    return "bản ghi không phải một đối tượng";
  }
  if (typeof record.id !== "string" || !record.id) return "thiếu mã phiếu";
  if (typeof record.document !== "string") return "thiếu nội dung phiếu";
  if (!Number.isInteger(record.revision) || record.revision < 1) return "sai số hiệu bản";
  if (!validTime(record.updated)) return "sai thời điểm lưu";
  return null;
}

/**
 * A stored record (see above); `where` is only on records listed from localStorage beside
 * IndexedDB's, and is never stored.
 * @typedef {object} StoredRecord
 * @property {string} id
 * @property {string} rubric "<rubric id>@<rubric version>"
 * @property {string} unit
 * @property {string} created
 * @property {string} updated
 * @property {number} [revision]
 * @property {number} [seq]
 * @property {string} document the assessment document's JSON text
 * @property {{from: string, document: string, dropped: unknown}} [carried]
 * @property {"localstorage"} [where]
 */

/**
 * The answer of a compare-and-set save.
 * @typedef {{ok: true, revision: number} | {ok: false, stored: StoredRecord | null}} SaveAnswer
 */

/**
 * What openStore gives: IndexedDB (with `local`, the records left in localStorage, and
 * `adopt`, which moves one into IndexedDB), or localStorage (`fallback`: why IndexedDB could
 * not be opened).
 * @typedef {object} Store
 * @property {(rubricId: string) => Promise<StoredRecord[]>} list
 * @property {(id: string) => Promise<StoredRecord | null>} get
 * @property {(record: StoredRecord, expected: number) => Promise<SaveAnswer>} save
 * @property {(id: string) => Promise<void>} remove
 * @property {Error | null} fallback
 * @property {Store} [local]
 * @property {(record: StoredRecord) => Promise<StoredRecord>} [adopt]
 */

class IndexedDbStore {
  constructor(db) {
    this.db = db;
    this.kind = "indexeddb";
    this.fallback = null;
    this.local = new LocalStore();
    this.watch(db);
  }

  /** Closed when another tab deletes or upgrades the database: opened again when next used. */
  watch(db) {
    db.onversionchange = () => {
      db.close();
      if (this.db === db) this.db = null;
    };
    db.onclose = () => {
      if (this.db === db) this.db = null;
    };
  }

  async connection() {
    if (!this.db) {
      const db = await openIndexedDb();
      this.watch(db);
      this.db = db;
    }
    return this.db;
  }

  /**
   * Run `work(store, done, guard)` in one transaction; resolve with what was passed to done()
   * once the transaction has committed. Request callbacks run inside guard(), so that an error
   * they throw (a put refused at once, say) aborts the transaction and rejects with that error.
   */
  async run(mode, work) {
    const db = await this.connection();
    return new Promise((resolve, reject) => {
      let result;
      let failure = null;
      let tx;
      const guard = (step) => {
        try {
          step();
        } catch (error) {
          failure = error;
          tx.abort();
        }
      };
      try {
        tx = db.transaction(STORE, mode);
        work(
          tx.objectStore(STORE),
          (value) => {
            result = value;
          },
          guard,
        );
      } catch (error) {
        reject(error);
        return;
      }
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(failure ?? tx.error);
      tx.onabort = () => reject(failure ?? tx.error ?? new StorageProblem("giao dịch bị hủy"));
    });
  }

  /**
   * The records of every version of the rubric `rubricId`, and those left in localStorage
   * (marked where: "localstorage"; none when localStorage cannot be read).
   */
  async list(rubricId) {
    const prefix = versionsOf(rubricId);
    const stored = await this.run("readonly", (store, done) => {
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      const request = store.index("rubric").getAll(range);
      request.onsuccess = () => done(request.result);
    });
    let left;
    try {
      left = await this.local.list(rubricId);
    } catch {
      left = [];
    }
    return [...stored, ...left.map((record) => ({ ...record, where: "localstorage" }))];
  }

  get(id) {
    return this.run("readonly", (store, done) => {
      const request = store.get(id);
      request.onsuccess = () => done(request.result ?? null);
    });
  }

  save(record, expected) {
    const { where, ...data } = record;
    return this.run("readwrite", (store, done, guard) => {
      const request = store.get(data.id);
      request.onsuccess = () =>
        guard(() => {
          const stored = request.result ?? null;
          if (conflict(stored, expected)) {
            done({ ok: false, stored });
            return;
          }
          const last = store.index("seq").openCursor(null, "prev");
          last.onsuccess = () =>
            guard(() => {
              const seq = (last.result ? last.result.value.seq : 0) + 1;
              store.put({ ...data, revision: expected + 1, seq });
              done({ ok: true, revision: expected + 1, seq });
            });
        });
    });
  }

  /** Delete a record (from localStorage too, where one may have been left). */
  async remove(id) {
    await this.run("readwrite", (store) => {
      store.delete(id);
    });
    await this.local.remove(id).catch(() => {});
  }

  /**
   * Move a record left in localStorage into IndexedDB (under a new id if IndexedDB has one of
   * its id already: both are kept) and return it as stored; the localStorage copy is removed
   * once it is written.
   */
  async adopt(record) {
    const { where, ...data } = record;
    let moved = { ...data };
    let answer = await this.save(moved, 0);
    if (!answer.ok) {
      moved = { ...data, id: newId() };
      answer = await this.save(moved, 0);
    }
    if (!answer.ok) throw new StorageProblem("không chuyển được phiếu vào IndexedDB");
    await this.local.remove(data.id);
    return { ...moved, revision: answer.revision, seq: answer.seq };
  }
}

function readItem(key) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** The same operations on localStorage (synchronous underneath: each write is immediate). */
class LocalStore {
  constructor() {
    this.kind = "localstorage";
    this.fallback = null;
  }

  async list(rubricId) {
    const prefix = versionsOf(rubricId);
    return keysStarting(RECORD)
      .map(readItem)
      .filter((record) => record && String(record.rubric).startsWith(prefix));
  }

  async get(id) {
    return readItem(RECORD + id);
  }

  async save(record, expected) {
    const { where, ...data } = record;
    const stored = readItem(RECORD + data.id);
    if (conflict(stored, expected)) return { ok: false, stored };
    const counted = Number.parseInt(localStorage.getItem(NAMES.seq) ?? "0", 10);
    const seq = Math.max(Number.isInteger(counted) ? counted : 0, stored?.seq ?? 0) + 1;
    localStorage.setItem(RECORD + data.id, JSON.stringify({ ...data, revision: expected + 1, seq }));
    try {
      localStorage.setItem(NAMES.seq, String(seq));
    } catch {
      // full: the next save counts from the records' own
    }
    return { ok: true, revision: expected + 1, seq };
  }

  async remove(id) {
    localStorage.removeItem(RECORD + id);
  }
}

function openIndexedDb() {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new StorageProblem("IndexedDB không trả lời")),
      OPEN_TIMEOUT_MS,
    );
    const settle = (fn, value) => {
      clearTimeout(timer);
      fn(value);
    };
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "id" });
      store.createIndex("rubric", "rubric");
      store.createIndex("seq", "seq");
      request.result.createObjectStore(META, { keyPath: "key" });
    };
    request.onsuccess = () => settle(resolve, request.result);
    request.onerror = () => settle(reject, request.error);
    request.onblocked = () => settle(reject, new StorageProblem("IndexedDB đang bị chặn"));
  });
}

/** Null when localStorage can be written, else the error it gave. */
function localStorageFault() {
  try {
    const key = NAMES.probe;
    localStorage.setItem(key, "1");
    localStorage.removeItem(key);
    return null;
  } catch (error) {
    return error;
  }
}

/**
 * The browser's store: IndexedDB, else localStorage. When IndexedDB exists but cannot be
 * opened, the localStorage store's `fallback` is the error (the page says so: never a silent
 * change of store). Throws a StorageProblem saying why when neither can be used (nothing can be
 * saved).
 * @returns {Promise<Store>}
 */
export async function openStore() {
  let fault = null;
  try {
    if (typeof indexedDB !== "undefined" && indexedDB) {
      const db = await openIndexedDb();
      await adoptLegacy(db, { store: STORE, meta: META });
      return /** @type {Store} */ (/** @type {unknown} */ (new IndexedDbStore(db)));
    }
  } catch (error) {
    fault = error; // try localStorage
  }
  const local = localStorageFault();
  // Full, localStorage still reads what was saved; each save will say it is full.
  if (!local || local.name === "QuotaExceededError") {
    if (!local) await adoptLegacy(null, { store: STORE, meta: META });
    const store = new LocalStore();
    store.fallback = fault;
    return /** @type {Store} */ (/** @type {unknown} */ (store));
  }
  throw new StorageProblem(problem(fault ?? local));
}

/**
 * Keep a copy of a save that may not finish (synchronously): `record` was to be saved on top
 * of revision `expected`, or on top of the next one if that holds `alsoAfter` (the document of
 * a save still under way). False when no copy can be kept.
 */
export function keepPending(record, expected, alsoAfter = null) {
  try {
    localStorage.setItem(PENDING + record.id, JSON.stringify({ record, expected, alsoAfter }));
    return true;
  } catch {
    return false;
  }
}

/** Forget the pending copy of a record. */
export function dropPending(id) {
  try {
    localStorage.removeItem(PENDING + id);
  } catch {
    // nothing was kept
  }
}

/**
 * The pending copies ({record, expected, alsoAfter}) of the records of a rubric ("<id>@<version>":
 * of any version of that id); one that is not what keepPending writes is left where it is.
 */
export function pendingSaves(rubric) {
  const usable = (entry) =>
    entry &&
    entry.record &&
    String(entry.record.rubric).startsWith(versionsOf(rubric.split("@")[0])) &&
    typeof entry.record.id === "string" &&
    entry.record.id !== "" &&
    typeof entry.record.document === "string" &&
    Number.isInteger(entry.expected) &&
    entry.expected >= 0 &&
    (entry.alsoAfter === null || typeof entry.alsoAfter === "string");
  try {
    return keysStarting(PENDING).map(readItem).filter(usable);
  } catch {
    return [];
  }
}

/**
 * Receive the other tabs' messages with `onMessage`; return a function that sends one to them.
 * BroadcastChannel when the browser has it, else the `storage` event of a localStorage key.
 */
export function listen(onMessage) {
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(CHANNEL);
    channel.addEventListener("message", (event) => onMessage(event.data));
    return (message) => channel.postMessage(message);
  }
  window.addEventListener("storage", (event) => {
    if (event.key !== SIGNAL || !event.newValue) return;
    let message;
    try {
      message = JSON.parse(event.newValue);
    } catch {
      return;
    }
    onMessage(message);
  });
  return (message) => {
    try {
      localStorage.setItem(SIGNAL, JSON.stringify({ ...message, nonce: newId() }));
    } catch {
      // the other tabs will find out when they save (compare-and-set)
    }
  };
}
