// Drafts of other versions of the page's rubric. A province re-issues its rubric: after a
// deployment where the rubric's `version` changed, the drafts saved on the older version
// are still listed, by version, and can be downloaded as they are; opening one carries it
// over to the page's version with scoring_py (api.carry_document, in the worker): the answers
// that still fit are kept, and the notice (data-carry) says which could not be carried. Nothing
// is dropped: the record keeps the original document beside the carried one
// (record.carried = {from, document, message, dropped, earlier}), downloadable as "Tải bản gốc".
// An imported file of an older version is carried over the same way. Another text of the
// page's version (the rubric changed without a new version) is not carried: it opens as it
// is, and scoring_py warns about it (rubric_changed).

import { download, exportName } from "../lib/files.mjs";
import { parseJson, toJson } from "../lib/json.mjs";

/** "hung-yen-2020@2022.1" → "2022.1". */
export function versionOf(rubricKey) {
  const text = String(rubricKey);
  return text.slice(text.indexOf("@") + 1);
}

/**
 * Whether a document (from parseJson) names another version than the template (another text
 * of the same version opens as it is: scoring warns about it).
 */
export function needsCarry(doc, template) {
  return doc.rubric?.version !== template.rubric.version;
}

/**
 * Carry a document's JSON text over to the page's rubric with `carry` (api.carry_document):
 * {document, report, warnings} (report null: nothing changed), or an Error saying why not in
 * Vietnamese.
 */
export async function carryOver(carry, text) {
  let answer;
  try {
    answer = parseJson(await carry(text));
  } catch (error) {
    return new Error(error && error.message ? error.message : String(error));
  }
  if (!answer.ok) return Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return { document: answer.document, report: answer.carry, warnings: answer.warnings ?? [] };
}

/**
 * The document a stored record opens as (`doc`: what it holds, from parseJson, or an Error
 * when it is damaged): {doc, carried}, with carried null when the record is of the page's
 * version (or when `doc` is an Error), else the record carried over by scoring_py (carried:
 * what the record keeps of it); an Error saying why it cannot be carried over.
 */
export async function carryRecord(carry, record, doc, template) {
  if (doc instanceof Error) return { doc, carried: null }; // damaged: open() says so
  if (!needsCarry(doc, template)) return { doc, carried: null };
  const answer = await carryOver(carry, record.document);
  if (answer instanceof Error) return answer;
  if (!answer.report) return { doc: answer.document, carried: null };
  const carried = carriedFrom(record.rubric, record.document, answer.report, record.carried);
  return { doc: answer.document, carried };
}

/** The message for a record of another version that cannot be carried over. */
export function notCarried(record, error) {
  const name = typeof record.unit === "string" && record.unit.trim() ? record.unit.trim() : null;
  return (
    `Không mở được phiếu ${name ?? "(chưa ghi tên đơn vị)"} (phiên bản` +
    ` ${versionOf(record.rubric)}) trên phiên bản hiện hành: ${error.message}. Phiếu vẫn được` +
    " giữ nguyên trong “Các phiếu đã lưu” và tải về được."
  );
}

/**
 * What a record keeps of a carry-over: the original document and what was not carried (and
 * the record's earlier carry-over, if any).
 */
export function carriedFrom(rubricKey, originalText, report, earlier = null) {
  return {
    from: rubricKey,
    document: originalText,
    message: report.message,
    added: report.added,
    dropped: report.dropped,
    earlier,
  };
}

/** Download the original document a carried record keeps. */
export function downloadOriginal(carried, unit) {
  let name = exportName(unit, new Date()).replace(/\.json$/, "");
  name += `-ban-goc-${versionOf(carried.from).replace(/[^0-9a-z.-]/gi, "")}.json`;
  let text = carried.document;
  try {
    text = toJson(parseJson(carried.document), 2);
  } catch {
    // kept as stored
  }
  download(name, `${text}\n`);
}

/** Download a record of another version as it is: an assessment file of that version. */
export function downloadRecord(record) {
  let text = record.document;
  try {
    text = toJson(parseJson(record.document), 2);
  } catch {
    // kept as stored
  }
  const name = exportName(record.unit, new Date()).replace(
    /\.json$/,
    `-phien-ban-${versionOf(record.rubric).replace(/[^0-9a-z.-]/gi, "")}.json`,
  );
  download(name, `${text}\n`);
}

/**
 * Show what a carry-over did in the notice `box` (data-carry): the message, the items the
 * page's version adds, each answer not carried, and a button to download the original. Texts
 * only ever through textContent. `carried` null hides it.
 */
export function showCarry(box, carried, unit) {
  if (!box) return;
  if (!carried) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const parts = [];
  const text = (tag, content) => {
    const element = document.createElement(tag);
    element.textContent = content;
    parts.push(element);
    return element;
  };
  text("p", carried.message);
  if (carried.added?.length) {
    text("p", `Phiên bản hiện hành có thêm mục: ${carried.added.join(", ")} (chưa chấm).`);
  }
  if (carried.dropped?.length) {
    text("p", "Những phần sau không chuyển sang được, vẫn được giữ trong bản gốc của phiếu:");
    const list = document.createElement("ul");
    for (const entry of carried.dropped) {
      const item = document.createElement("li");
      item.textContent = entry.message;
      list.append(item);
    }
    parts.push(list);
  } else {
    text("p", "Mọi câu trả lời đều được chuyển sang; bản gốc của phiếu vẫn được giữ.");
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button";
  button.textContent = "Tải bản gốc";
  button.setAttribute("aria-label", `Tải bản gốc (phiên bản ${versionOf(carried.from)})`);
  button.addEventListener("click", () => downloadOriginal(carried, unit()));
  parts.push(button);
  box.replaceChildren(...parts);
  box.hidden = false;
}

/** The heading of the saved list's group of records of another version. */
export function versionHeading(rubricKey, count) {
  const heading = document.createElement("li");
  heading.className = "td-saved-version";
  heading.textContent =
    `Phiếu theo phiên bản ${versionOf(rubricKey)} của thang điểm (${count}): bấm “Mở” để` +
    " chuyển sang phiên bản hiện hành, hoặc “Tải về” để giữ nguyên.";
  return heading;
}
