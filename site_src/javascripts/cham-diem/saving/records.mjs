// Stored records ↔ assessment documents, for the saving modules: what a record holds once
// read (or why it cannot be opened), what a save would change, and how records and times are
// named to the user.

import { parseJson, toJson } from "../../lib/json.mjs";
import { contract } from "../../lib/contract.mjs";
import { damage } from "../storage.mjs";
import { dateAndTime as writeDateAndTime } from "../../lib/dates.mjs";

const clock = new Intl.DateTimeFormat("vi-VN", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** "14:03:22" for an ISO time. */
export function timeOfDay(iso) {
  return clock.format(new Date(iso));
}

/** "21/11/2026 14:03" for an ISO time. */
export function dateAndTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "(không rõ thời điểm)" : writeDateAndTime(date);
}

/** An error's message, or the value as text. */
export function describe(error) {
  return error && error.message ? error.message : String(error);
}

/** A document's content without its timestamps, as JSON text (what a save would change). */
export function contentOf(doc) {
  return toJson({ ...doc, created: null, updated: null });
}

/** Whether two documents' JSON texts hold the same content (timestamps aside). */
export function sameContent(textA, textB) {
  try {
    return contentOf(parseJson(textA)) === contentOf(parseJson(textB));
  } catch {
    return false;
  }
}

/**
 * A stored record of the rubric `rubricId` (of any version) as the document it holds, or an
 * Error saying (in Vietnamese) why it cannot be opened.
 */
export function readRecord(record, rubricId) {
  const reason = damage(record);
  if (reason) return new Error(reason);
  let doc;
  try {
    doc = parseJson(record.document);
  } catch (error) {
    return error;
  }
  if (!doc || typeof doc !== "object" || doc.format !== contract().format) {
    return new Error("nội dung không phải tài liệu chấm điểm");
  }
  const key = `${doc.rubric?.id}@${doc.rubric?.version}`;
  if (doc.rubric?.id !== rubricId || key !== record.rubric) {
    return new Error("nội dung thuộc thang điểm hoặc phiên bản khác");
  }
  return doc;
}

/** A unit's name for lists and questions. */
export function unitName(name) {
  return typeof name === "string" && name.trim() ? name.trim() : "(chưa ghi tên đơn vị)";
}

/**
 * An assessment a tab edits: its record's id, the revision this tab loaded or last saved,
 * that revision's content (contentOf; null: not saved by this tab yet), and what it was
 * carried over from (versions.mjs), if it was.
 * @typedef {{id: string, revision: number, saved: string | null, carried: object | null}} Target
 *
 * A save under way: the record to write on top of its target's revision, and its content.
 * @typedef {object} SaveJob
 * @property {Target} target
 * @property {import("../storage.mjs").StoredRecord} record
 * @property {string} content
 * @property {boolean} [quiet] the status keeps what it says
 */

/** @returns {Target} */
export function target(id, revision = 0, saved = null, carried = null) {
  return { id, revision, saved, carried };
}
