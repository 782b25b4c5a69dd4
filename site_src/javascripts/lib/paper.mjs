// The places of a printout that a document's texts fill, as text only: [data-print-field]
// (a path of the document: "unit:name", "paper:signer", "report:1:done_well"), the date line
// [data-print-date="day|month|year"] (Nghị định 30/2020/NĐ-CP's writing of a date) and Nơi
// nhận [data-print-copies]. A place left empty prints as a dotted line to fill in by hand. The
// scoring page's printouts (cham-diem/print.mjs) and the summary's (tong-hop/paper.mjs) share
// them.

import { JsonNumber } from "./json.mjs";
import { documentDate } from "./dates.mjs";

/** What an empty place prints as: a line to fill in by hand, as on the paper forms. */
const BLANK = "…………";
/** The same in a table cell (narrower). */
const CELL_BLANK = "……";

/**
 * Write a text into a place; an empty text leaves `blank` (default: a dotted line to fill in,
 * shorter in a table cell; class td-blank).
 */
export function put(element, text, blank) {
  blank ??= element.closest("td") ? CELL_BLANK : BLANK;
  const empty = text === null || text === undefined || String(text).trim() === "";
  const shown = empty ? blank : String(text);
  if (element.textContent !== shown) element.textContent = shown;
  element.classList.toggle("td-blank", empty && blank !== "");
}

export function each(root, attribute, fill) {
  for (const element of root.querySelectorAll(`[${attribute}]`)) {
    fill(element, element.getAttribute(attribute));
  }
}

/**
 * The text at a path of the document ("unit:name", "report:1:done_well", "proposed_band"):
 * a string as it is, a number as its exact text, "" when absent.
 */
export function docText(doc, path) {
  /** @type {unknown} */
  let value = doc;
  for (const key of path.split(":")) {
    value = value !== null && typeof value === "object" ? value[key] : undefined;
  }
  if (typeof value === "string") return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === "number") return String(value);
  return "";
}

/**
 * Fill the places of `view` from a document's texts (an assessment document, or the summary
 * page's {unit: {name}, paper: {...}}).
 * @param {ParentNode} view
 * @param {any} doc
 */
export function fillPaper(view, doc) {
  // A place may say what it prints when empty: a blank of its own (data-blank, "" for
  // nothing) or a default text (data-default, printed as text, not as a blank).
  each(view, "data-print-field", (element, path) => {
    const text = docText(doc, path);
    const fallback = /** @type {HTMLElement} */ (element).dataset.default;
    if (fallback !== undefined && text.trim() === "") put(element, fallback, "");
    else put(element, text, /** @type {HTMLElement} */ (element).dataset.blank);
  });
  const signed = documentDate(docText(doc, "paper:date"));
  each(view, "data-print-date", (element, part) => put(element, signed ? signed[part] : null));
  each(view, "data-print-copies", (element) => {
    const typed = docText(doc, "paper:copies")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const lines = typed.length ? typed : ["Như trên;", "Lưu: VT."];
    const wanted = lines.map((line) => (line.startsWith("-") ? line : `- ${line}`));
    const now = [...element.children].map((p) => p.textContent);
    if (now.join("\n") === wanted.join("\n")) return;
    element.replaceChildren(
      ...wanted.map((line) => {
        const p = element.ownerDocument.createElement("p");
        p.textContent = line;
        return p;
      }),
    );
  });
}
