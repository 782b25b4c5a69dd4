// What was last exported of each saved assessment: a digest of its content (timestamps aside,
// records.mjs contentOf) and when, kept in localStorage beside the records. A draft lives in
// this browser only until it is exported (clearing the browser's data loses it): the page
// says so while the form holds content that no exported file has, and the list of saved
// assessments marks each one "chưa xuất". Where localStorage keeps nothing, every draft reads
// as not exported, which only reminds more.

import { dateAndTime } from "./records.mjs";

const PREFIX = "thangdiem:exported:";

/** The browser's localStorage, or null where reaching it throws (storage blocked). */
function local() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** A short digest of a text (cyrb53: not for security, only to tell contents apart). */
export function digest(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/**
 * What was last exported of the assessment `id`, or null.
 * @returns {{digest: string, at: string} | null}
 */
export function lastExport(id, storage = local()) {
  try {
    const value = JSON.parse(storage?.getItem(PREFIX + id) ?? "null");
    return value && typeof value.digest === "string" && typeof value.at === "string"
      ? value
      : null;
  } catch {
    return null;
  }
}

/** Remember that the content `content` of the assessment `id` was exported at `at`. */
export function rememberExport(id, content, at, storage = local()) {
  try {
    storage?.setItem(PREFIX + id, JSON.stringify({ digest: digest(content), at }));
  } catch {
    // Storage full or refused: the page keeps reminding to export, which does no harm.
  }
}

/** Forget the export of a deleted assessment. */
export function forgetExport(id, storage = local()) {
  try {
    storage?.removeItem(PREFIX + id);
  } catch {
    // Nothing to do.
  }
}

/** Whether the content `content` of the assessment `id` is in a file exported last. */
export function isExported(id, content, storage = local()) {
  const last = lastExport(id, storage);
  return last !== null && last.digest === digest(content);
}

/**
 * The reminder for the form's assessment: null when its content was exported last (or the
 * form is empty), else what to say.
 * @param {string} id
 * @param {string} content the form's content (contentOf)
 * @param {string} empty the content of the rubric's empty document
 */
export function exportReminder(id, content, empty, storage = local()) {
  if (content === empty || isExported(id, content, storage)) return null;
  const last = lastExport(id, storage);
  const since = last
    ? `Phiếu đã thay đổi sau lần xuất tệp gần nhất (${dateAndTime(last.at)}).`
    : "Phiếu này chưa được xuất ra tệp lần nào.";
  return (
    `${since} Phiếu chỉ được lưu trong trình duyệt này (xóa dữ liệu trình duyệt là mất):` +
    " hãy bấm “Xuất tệp JSON” để giữ một bản và để gửi đi."
  );
}
