// "Các phiếu đã lưu": the list of this rubric's saved assessments (newest first), then those of
// other versions of the rubric (by version; opened, they are carried over to this one), then
// the records this page cannot open (damaged: kept as they are, offered for download). Its
// buttons carry data-action and data-id (or data-index for a damaged one); autosave.mjs acts
// on them. Texts from records are only ever set with textContent.

import { contentOf, dateAndTime, describe, readRecord, unitName } from "./records.mjs";
import { isExported } from "./exported.mjs";
import { parseJson } from "../../lib/json.mjs";
import { download } from "../../lib/files.mjs";
import { needsCarry, versionHeading, versionOf } from "../versions.mjs";
import { newestFirst } from "../storage.mjs";

/**
 * Split listed records: this version's (`good`), other versions' (`older`, by rubric key) and
 * those that cannot be opened (`damaged`: {record, reason}).
 */
export function sortRecords(records, rubricId, template) {
  const good = [];
  const older = new Map();
  const damaged = [];
  for (const record of records) {
    const doc = readRecord(record, rubricId);
    if (doc instanceof Error) damaged.push({ record, reason: describe(doc) });
    else if (needsCarry(doc, template)) {
      const group = older.get(record.rubric) ?? [];
      group.push(record);
      older.set(record.rubric, group);
    } else good.push(record);
  }
  good.sort(newestFirst);
  for (const group of older.values()) group.sort(newestFirst);
  return { good, older, damaged };
}

/**
 * Draw the list of `records` (sorted by sortRecords) into the saving tools; `openId` is the
 * record the form shows.
 */
export function drawList(tools, records, { good, older, damaged }, openId) {
  const groups = [...older.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
  tools.querySelector("[data-saved-list]").replaceChildren(
    ...good.map((record) => entry(record, openId)),
    ...groups.flatMap(([key, group]) => [
      versionHeading(key, group.length),
      ...group.map((record) => entry(record, openId, true)),
    ]),
    ...damaged.map(({ record, reason }, index) => damagedEntry(record, reason, index)),
  );
  tools.querySelector("[data-saved-count]").textContent = String(records.length);
  tools.querySelector("[data-saved-empty]").hidden = records.length > 0;
}

/** A list button: `action` and the record's id (or a damaged record's place) in its data. */
function button(action, text, label, data) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "md-button";
  element.dataset.action = action;
  Object.assign(element.dataset, data);
  element.textContent = text;
  element.setAttribute("aria-label", label);
  return element;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

/** Whether a stored record's content is the one last exported (exported.mjs). */
function exportedRecord(record) {
  try {
    return isExported(record.id, contentOf(parseJson(record.document)));
  } catch {
    return false;
  }
}

/**
 * One saved assessment in the list: name, time, and its buttons; `other`: a record of
 * another version of the rubric (opened, it is carried over to this one).
 */
function entry(record, openId, other = false) {
  const item = document.createElement("li");
  const name = unitName(record.unit);
  const id = { id: record.id };
  item.append(
    span("td-saved-name", name),
    span("td-saved-time", `lưu lúc ${dateAndTime(record.updated)}`),
  );
  if (other) item.append(span("td-saved-time", `(phiên bản ${versionOf(record.rubric)})`));
  if (!exportedRecord(record)) item.append(span("td-saved-unexported", "chưa xuất"));
  if (record.where === "localstorage") {
    item.append(span("td-saved-time", "(lưu tạm trong localStorage)"));
  }
  if (!other && record.carried) {
    item.append(span("td-saved-time", `(chuyển từ phiên bản ${versionOf(record.carried.from)})`));
  }
  if (record.id === openId) {
    item.append(span("td-saved-current", "(đang mở)"));
    item.setAttribute("aria-current", "true");
  } else {
    item.append(button("open", "Mở", `Mở phiếu ${name}`, id));
  }
  if (other) item.append(button("download-other", "Tải về", `Tải về phiếu ${name}`, id));
  if (!other && record.carried) {
    item.append(
      button("download-original", "Tải bản gốc", `Tải bản gốc của phiếu ${name}`, id),
    );
  }
  item.append(button("delete", "Xóa", `Xóa phiếu ${name}`, id));
  return item;
}

/**
 * A stored record this page cannot open: kept as it is, named as damaged, and offered for
 * download (to send to someone who can repair it) or deletion.
 */
function damagedEntry(record, reason, index) {
  const item = document.createElement("li");
  item.className = "td-saved-damaged";
  item.append(span("td-saved-name", `Phiếu bị hỏng, không mở được (${reason})`));
  const place = { index: String(index) };
  item.append(button("download-damaged", "Tải về", "Tải về phiếu bị hỏng", place));
  if (record && typeof record.id === "string" && record.id) {
    item.append(button("delete", "Xóa", "Xóa phiếu bị hỏng", { id: record.id }));
  }
  return item;
}

/** "Tải về" a damaged record (the `index`th listed): its stored content as it is, in a file. */
export function downloadDamaged(record, index) {
  let text;
  try {
    text = JSON.stringify(record, null, 2);
  } catch {
    text = String(record);
  }
  const id = record && typeof record.id === "string" ? record.id.slice(0, 32) : String(index);
  download(`phieu-hong-${id.replace(/[^0-9a-z-]/gi, "")}.json`, `${text}\n`);
}
