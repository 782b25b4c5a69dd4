// Saved assessments in this browser: IndexedDB (database "thangdiem", object store
// "assessments"), or localStorage (keys "thangdiem:assessment:<id>") when IndexedDB is
// unavailable. Nothing leaves the browser.
//
// A record: {id, rubric, unit, created, updated, revision, document}
//   id                random (newId)
//   rubric            "<rubric id>@<rubric version>": a page lists the records of its own rubric
//   unit              the unit's name, for the list
//   created, updated  ISO 8601 times
//   revision          1 after the first save, one more after each later save
//   document          the assessment document's JSON text
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
// Faults: a full storage (QuotaExceededError), a blocked one (SecurityError, as in some private
// modes) or any other failure rejects the operation, and problem() says why in Vietnamese; the
// page keeps what is on screen. A stored record that is not what this code writes (damaged)
// is listed as such by the page (damage()) and never changed or deleted by this module.

const DB_NAME = "thangdiem";
const DB_VERSION = 1;
const STORE = "assessments";
const OPEN_TIMEOUT_MS = 5000;
const RECORD = "thangdiem:assessment:";
const PENDING = "thangdiem:pending:";
const CHANNEL = "thangdiem";
const SIGNAL = "thangdiem:signal";

/** A random id: 32 hexadecimal digits. */
export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function conflict(stored, expected) {
  return (stored ? stored.revision : 0) !== expected;
}

/** Why a storage operation failed, in Vietnamese, for a message to the user. */
export function problem(error) {
  const name = error && error.name;
  if (name === "QuotaExceededError") {
    return "bộ nhớ của trình duyệt dành cho trang này đã đầy";
  }
  if (name === "SecurityError") {
    return (
      "trình duyệt không cho trang này lưu dữ liệu (chế độ duyệt riêng tư hoặc cài đặt chặn" +
      " lưu trữ)"
    );
  }
  if (error instanceof StorageProblem) return error.message;
  return `kho lưu trữ của trình duyệt báo lỗi (${name || "không rõ"})`;
}

/** A failure of this module, already said in Vietnamese. */
export class StorageProblem extends Error {}

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

class IndexedDbStore {
  constructor(db) {
    this.db = db;
    this.kind = "indexeddb";
  }

  /**
   * Run `work(store, done, guard)` in one transaction; resolve with what was passed to done()
   * once the transaction has committed. Request callbacks run inside guard(), so that an error
   * they throw (a put refused at once, say) aborts the transaction and rejects with that error.
   */
  run(mode, work) {
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
        tx = this.db.transaction(STORE, mode);
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

  list(rubric) {
    return this.run("readonly", (store, done) => {
      const request = store.index("rubric").getAll(rubric);
      request.onsuccess = () => done(request.result);
    });
  }

  get(id) {
    return this.run("readonly", (store, done) => {
      const request = store.get(id);
      request.onsuccess = () => done(request.result ?? null);
    });
  }

  save(record, expected) {
    return this.run("readwrite", (store, done, guard) => {
      const request = store.get(record.id);
      request.onsuccess = () =>
        guard(() => {
          const stored = request.result ?? null;
          if (conflict(stored, expected)) {
            done({ ok: false, stored });
            return;
          }
          store.put({ ...record, revision: expected + 1 });
          done({ ok: true, revision: expected + 1 });
        });
    });
  }

  remove(id) {
    return this.run("readwrite", (store) => {
      store.delete(id);
    });
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

function keysStarting(prefix) {
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null && key.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

/** The same operations on localStorage (synchronous underneath: each write is immediate). */
class LocalStore {
  constructor() {
    this.kind = "localstorage";
  }

  async list(rubric) {
    return keysStarting(RECORD)
      .map(readItem)
      .filter((record) => record && record.rubric === rubric);
  }

  async get(id) {
    return readItem(RECORD + id);
  }

  async save(record, expected) {
    const stored = readItem(RECORD + record.id);
    if (conflict(stored, expected)) return { ok: false, stored };
    localStorage.setItem(RECORD + record.id, JSON.stringify({ ...record, revision: expected + 1 }));
    return { ok: true, revision: expected + 1 };
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
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => db.close();
      settle(resolve, db);
    };
    request.onerror = () => settle(reject, request.error);
    request.onblocked = () => settle(reject, new StorageProblem("IndexedDB đang bị chặn"));
  });
}

/** Null when localStorage can be written, else the error it gave. */
function localStorageFault() {
  try {
    const key = "thangdiem:probe";
    localStorage.setItem(key, "1");
    localStorage.removeItem(key);
    return null;
  } catch (error) {
    return error;
  }
}

/**
 * The browser's store: IndexedDB, else localStorage. Throws a StorageProblem saying why when
 * neither can be used (nothing can be saved).
 */
export async function openStore() {
  let fault = null;
  try {
    if (typeof indexedDB !== "undefined" && indexedDB) {
      return new IndexedDbStore(await openIndexedDb());
    }
  } catch (error) {
    fault = error; // try localStorage
  }
  const local = localStorageFault();
  // Full, localStorage still reads what was saved; each save will say it is full.
  if (!local || local.name === "QuotaExceededError") return new LocalStore();
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
 * The pending copies ({record, expected, alsoAfter}) of a rubric's records; one that is not
 * what keepPending writes is left where it is.
 */
export function pendingSaves(rubric) {
  const usable = (entry) =>
    entry &&
    entry.record &&
    entry.record.rubric === rubric &&
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
