// What older versions of the site kept under un-namespaced names (namespace.mjs LEGACY),
// adopted once into this site's own store (storage.mjs) and left where they were; and the
// localStorage helper both read keys with.

import { LEGACY, names } from "./namespace.mjs";

const NAMES = names();
const RECORD = NAMES.record;
const PENDING = NAMES.pending;

/** The localStorage keys that begin with `prefix`. */
export function keysStarting(prefix) {
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null && key.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

/**
 * The records of the un-namespaced database of older versions of the site, or [] when there is
 * none (it is not created: its creation is aborted).
 * @param {string} storeName the records' object store (the same name in both databases)
 */
function legacyRecords(storeName) {
  return new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(LEGACY.database);
    } catch {
      resolve([]);
      return;
    }
    request.onupgradeneeded = () => request.transaction.abort(); // there was none
    request.onerror = () => resolve([]);
    request.onblocked = () => resolve([]);
    request.onsuccess = () => {
      const db = request.result;
      const finish = (records) => {
        db.close();
        resolve(records);
      };
      try {
        const all = db.transaction(storeName, "readonly").objectStore(storeName).getAll();
        all.onsuccess = () => finish(all.result);
        all.onerror = () => finish([]);
      } catch {
        finish([]);
      }
    };
  });
}

function adoptedBefore() {
  try {
    return localStorage.getItem(NAMES.adopted) !== null;
  } catch {
    return false;
  }
}

function markAdopted() {
  try {
    localStorage.setItem(NAMES.adopted, new Date().toISOString());
  } catch {
    // the database's own mark is enough
  }
}

/**
 * Adopt, once, what older versions of the site kept under un-namespaced names: the records of
 * the database "thangdiem" (added to this site's database, never over a record of the same id)
 * and the localStorage records and pending copies (copied under this site's keys). The old
 * names are left as they are: other copies of the site on this origin may adopt them too.
 * Never rejects; what cannot be adopted now is tried again on the next page.
 * @param {IDBDatabase | null} db this site's database (null: localStorage only)
 * @param {{store: string, meta: string}} stores its object stores' names: records, marks
 */
export async function adoptLegacy(db, stores) {
  if (adoptedBefore()) return;
  let copied = true;
  try {
    for (const [from, to] of [
      [LEGACY.record, RECORD],
      [LEGACY.pending, PENDING],
    ]) {
      for (const key of keysStarting(from)) {
        const target = to + key.slice(from.length);
        if (localStorage.getItem(target) === null) {
          localStorage.setItem(target, localStorage.getItem(key));
        }
      }
    }
  } catch {
    copied = false; // localStorage full or blocked: try again next time
  }
  const adopted = db ? await adoptDatabase(db, stores) : true;
  if (copied && adopted) markAdopted();
}

/** Add the legacy database's records to `db` unless done before; true when done. */
async function adoptDatabase(db, stores) {
  const records = await legacyRecords(stores.store);
  return new Promise((resolve) => {
    let tx;
    try {
      tx = db.transaction([stores.store, stores.meta], "readwrite");
    } catch {
      resolve(false);
      return;
    }
    const meta = tx.objectStore(stores.meta);
    const mark = meta.get("adopted");
    mark.onsuccess = () => {
      if (mark.result) return; // adopted already (the localStorage mark was lost)
      const store = tx.objectStore(stores.store);
      for (const record of records) {
        if (!record || typeof record !== "object" || typeof record.id !== "string") continue;
        const found = store.getKey(record.id);
        found.onsuccess = () => {
          if (found.result === undefined) store.put(record);
        };
      }
      meta.put({ key: "adopted", from: LEGACY.database, count: records.length });
    };
    tx.oncomplete = () => resolve(true);
    tx.onerror = () => resolve(false);
    tx.onabort = () => resolve(false);
  });
}
