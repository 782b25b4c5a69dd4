// "Thông tin trên văn bản" of the summary page: the body that issues the summary, its superior,
// number, place and date, and the signer, printed in the heading and the signature of the
// printed summary (lib/paper.mjs fills them, as text only). They are kept in this browser
// (localStorage, per rubric), so that the next summary prints them again; where the browser
// keeps nothing, they last as long as the page.

import { fillPaper } from "../lib/paper.mjs";
import { contract } from "../lib/contract.mjs";

const KEY = "thangdiem:tong-hop:paper:";

/** The fields' texts as a document of the papers: {unit: {name}, paper: {...}}. */
function collect(form) {
  const text = (name) => {
    const field = form.querySelector(`[name="${name}"]`);
    return field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement
      ? field.value
      : "";
  };
  const paper = Object.fromEntries(Object.keys(contract().paper).map((k) => [k, text(`paper:${k}`)]));
  return { unit: { name: text("unit:name") }, paper };
}

function read(rubricId) {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY + rubricId) ?? "null");
    return saved !== null && typeof saved === "object" ? saved : null;
  } catch {
    return null; // nothing kept, or storage refused: the fields start empty
  }
}

function keep(rubricId, doc) {
  try {
    localStorage.setItem(KEY + rubricId, JSON.stringify(doc));
  } catch {
    // Storage full or refused: the texts stay in the page until it is closed.
  }
}

/**
 * Wire the fields of the summary page's papers to its printed heading and signature.
 * @param {Element} result the summary's result section
 * @param {string} rubricId
 */
export function setUpPaper(result, rubricId) {
  const form = result.querySelector("[data-paper-form]");
  if (!form) return;
  const saved = read(rubricId);
  if (saved) {
    const values = { "unit:name": saved.unit?.name };
    for (const key of Object.keys(contract().paper)) values[`paper:${key}`] = saved.paper?.[key];
    for (const [name, value] of Object.entries(values)) {
      const field = form.querySelector(`[name="${name}"]`);
      if (typeof value === "string" && (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) {
        field.value = value;
      }
    }
  }
  const show = () => {
    const doc = collect(form);
    for (const view of result.querySelectorAll("[data-paper-view]")) fillPaper(view, doc);
    return doc;
  };
  form.addEventListener("input", () => keep(rubricId, show()));
  show();
}
