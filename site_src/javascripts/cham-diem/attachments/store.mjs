// The attached files' bytes in the browser: one IndexedDB database of the site (namespace.mjs
// `files`), one store of Blobs keyed by their SHA-256, so that a file attached to two items or
// two drafts is kept once. The drafts name the files (the document's `attachments`); nothing
// here reads the drafts. A write that the browser's quota refuses throws a StoreFull: what is
// stored already stays as it was.

import { QUOTA } from "../../lib/messages.mjs";
import { names } from "../namespace.mjs";

const STORE = "blobs";
const FULL = ["QuotaExceededError", "DataError", "UnknownError"];

/** The browser refused to store a file: its quota is spent (or the disk is full). */
export class StoreFull extends Error {}

/** @type {Promise<IDBDatabase> | null} */
let opening = null;

/** @returns {Promise<IDBDatabase>} */
function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(names().files, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => {
        request.result.onversionchange = () => {
          request.result.close();
          opening = null;
        };
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("IndexedDB đang bị chặn"));
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

/**
 * Run one request in a transaction; resolve with its result once the transaction is done.
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest} act
 */
async function run(mode, act) {
  const db = await open();
  const full = (error) => (FULL.includes(error?.name ?? "") ? new StoreFull(QUOTA) : error);
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    let request;
    try {
      request = act(transaction.objectStore(STORE));
    } catch (error) {
      reject(full(error)); // refused at once (a value the browser cannot store, no room)
      return;
    }
    const fail = () => reject(full(transaction.error ?? request.error));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = fail;
    transaction.onabort = fail;
  });
}

/**
 * Keep a file's bytes under its SHA-256 (a no-op when they are kept already).
 * @param {string} sha256
 * @param {Blob} blob
 */
export async function putBlob(sha256, blob) {
  const have = await run("readonly", (store) => store.count(sha256));
  if (have) return;
  await run("readwrite", (store) => store.put(blob, sha256));
}

/**
 * A file's bytes, or null when this browser does not hold them.
 * @param {string} sha256
 * @returns {Promise<Blob | null>}
 */
export async function getBlob(sha256) {
  const found = await run("readonly", (store) => store.get(sha256));
  return found instanceof Blob ? found : null;
}

/**
 * The SHA-256 of some bytes, as 64 lower-case hex digits.
 * @param {Blob} blob
 */
export async function sha256Of(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * How much the site stores and may store, in bytes (navigator.storage.estimate), or null
 * where the browser does not say.
 * @returns {Promise<{usage: number, quota: number} | null>}
 */
export async function usage() {
  try {
    const estimate = await navigator.storage?.estimate?.();
    if (!estimate || typeof estimate.usage !== "number" || typeof estimate.quota !== "number") {
      return null;
    }
    return { usage: estimate.usage, quota: estimate.quota };
  } catch {
    return null;
  }
}

/** Ask the browser to keep the site's storage when space runs low (once is enough). */
export async function persist() {
  try {
    if (await navigator.storage?.persisted?.()) return true;
    return Boolean(await navigator.storage?.persist?.());
  } catch {
    return false;
  }
}
