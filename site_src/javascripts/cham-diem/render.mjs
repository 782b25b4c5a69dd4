// Show scoring_py's answer on the form: per stage (self, appraisal, final) the total, the band
// and its reasons, per criterion the subtotal, per item its problems. Text only (textContent),
// never HTML: messages quote what the user typed. Only what changed is rewritten, so that
// live regions (problem lists, <output>) are not announced again on every keystroke.

import { contract } from "../lib/contract.mjs";
import { points } from "../lib/points.mjs";
import { showDisputed } from "./review.mjs";

/** The result's stages (self, appraisal, final), as the page's contract lists them. */
const stages = () => contract().stages.map((stage) => stage.id);
const NONE = "—";

/** A number of points for a Vietnamese reader: 12.5 → "12,5" (display only, no arithmetic). */
const vn = (number) => points(number) ?? "";

function attr(name, value) {
  return `[${name}="${CSS.escape(value)}"]`;
}

function setText(root, selector, text) {
  for (const element of root.querySelectorAll(selector)) {
    if (element.textContent !== text) element.textContent = text;
  }
}

function fillList(list, entries) {
  const now = [...list.children].map((item) => [item.textContent, item.className]);
  const same =
    now.length === entries.length &&
    entries.every(({ text, severity }, i) => {
      const className = severity ? `td-problem td-problem--${severity}` : "";
      return now[i][0] === text && now[i][1] === className;
    });
  if (same) return;
  list.replaceChildren(
    ...entries.map(({ text, severity }) => {
      const item = document.createElement("li");
      item.textContent = text;
      if (severity) item.className = `td-problem td-problem--${severity}`;
      return item;
    }),
  );
}

/**
 * The rescale of a stage in words: "Phần điểm chính: 45 điểm trên 50 điểm của các mục áp
 * dụng, quy đổi thành 90 điểm."
 * @param {{raw_total: unknown, applicable_max: unknown, base: unknown}} result
 */
export function rescaleText(result) {
  return (
    `Phần điểm chính: ${vn(result.raw_total)} điểm trên ${vn(result.applicable_max)} điểm` +
    ` của các mục áp dụng, quy đổi thành ${vn(result.base)} điểm.`
  );
}

/**
 * A rescaled criterion's or field's note beside its subtotal: " (quy đổi từ 6 / 8 điểm của các
 * mục áp dụng)"; empty when it was not rescaled.
 * @param {{rescaled: unknown, raw_score: unknown, applicable_max: unknown}} part
 */
export function partRescaleText(part) {
  if (part.rescaled !== true) return "";
  return ` (quy đổi từ ${vn(part.raw_score)} / ${vn(part.applicable_max)} điểm của các mục áp dụng)`;
}

/** Show a rescale note (partRescaleText) in its places, hidden when there is none. */
function setNote(root, selector, text) {
  for (const element of root.querySelectorAll(selector)) {
    const place = /** @type {HTMLElement} */ (element);
    if (place.textContent !== text) place.textContent = text;
    place.hidden = !text;
  }
}

/** A stage's index in percent ("87,5 %"), "—" when it has none. */
const indexText = (result) => (result.index == null ? NONE : `${vn(result.index)} %`);

function clearStage(form, stage) {
  setText(form, attr("data-total", stage), NONE);
  setText(form, attr("data-index", stage), NONE);
  setText(form, attr("data-band", stage), NONE);
  for (const list of form.querySelectorAll(attr("data-reasons", stage))) fillList(list, []);
  setNote(form, `[data-subtotal-rescale^="${stage}:"], [data-field-subtotal-rescale^="${stage}:"]`, "");
  for (const output of form.querySelectorAll(
    `[data-subtotal^="${stage}:"], [data-field-subtotal^="${stage}:"]`,
  )) {
    output.textContent = NONE;
  }
}

/** Whether nothing is entered for any item of a criterion in this stage. */
const untouched = (criterion) =>
  criterion.items.every((item) => item.status === "missing" || item.status === "reserved");

/**
 * The band cell of a stage: scoring_py's band; else an appraisal under way, a condition that
 * rules out a band, the band the unit proposes (its own row only, where the tool cannot
 * classify), or "Chưa xếp loại".
 */
export function bandCell(result, proposed) {
  if (result.band) return result.band.name;
  if (result.note && result.note.code === "appraising") return result.note.text;
  // Reasons without a band come only from a "không đủ điều kiện xếp loại" condition.
  if (result.reasons.length) return "Không đủ điều kiện xếp loại";
  if (result.stage === "self" && proposed) return `Đơn vị đề nghị: ${proposed}`;
  return "Chưa xếp loại";
}

/** A note about the rubric itself (it has no bands), said once under the table. */
const rubricNote = (result) => result?.note?.code === "no_bands";

function showStage(form, stage, result) {
  if (!result) {
    clearStage(form, stage);
    return;
  }
  // Nothing entered yet: "—", as for a stage not begun, rather than a total of 0.
  const total = result.answered === 0 && result.invalid === 0 ? NONE : vn(result.total);
  setText(form, attr("data-total", stage), total);
  setText(form, attr("data-max", stage), vn(result.max));
  setText(form, attr("data-index", stage), total === NONE ? NONE : indexText(result));
  const pending = result.note && result.note.code === "appraising";
  const proposed = /** @type {HTMLInputElement | null} */ (
    form.querySelector('[name="proposed_band"]')
  );
  setText(form, attr("data-band", stage), bandCell(result, proposed?.value.trim() ?? ""));
  // The overrides that decided the band, then why there is none (the rubric's note).
  const reasons = result.reasons.map((reason) => ({ text: reason.text }));
  if (result.note && !pending && !rubricNote(result)) reasons.push({ text: result.note.text });
  // Rescaled, the rows do not add up to the total: say how the total came from them.
  if (result.rescaled) reasons.unshift({ text: rescaleText(result) });
  for (const list of form.querySelectorAll(attr("data-reasons", stage))) fillList(list, reasons);
  for (const field of result.fields ?? []) {
    const key = `${stage}:${field.id}`;
    setText(form, attr("data-field-subtotal", key), vn(field.score));
    setText(form, attr("data-field-subtotal-max", key), vn(field.max));
    setNote(form, attr("data-field-subtotal-rescale", key), partRescaleText(field));
  }
  for (const criterion of result.criteria) {
    const key = `${stage}:${criterion.id}`;
    setText(form, attr("data-subtotal", key), untouched(criterion) ? NONE : vn(criterion.score));
    setText(form, attr("data-subtotal-max", key), vn(criterion.max));
    setNote(form, attr("data-subtotal-rescale", key), partRescaleText(criterion));
    if (stage !== "final") continue;
    for (const item of criterion.items) {
      const element = form.querySelector(attr("data-item", item.id));
      if (element && element.dataset.status !== item.status) element.dataset.status = item.status;
      // A ratio whose zero denominator means "không phát sinh" says so when it is.
      const arisen = /** @type {HTMLElement | null} */ (
        form.querySelector(attr("data-not-arisen", item.id))
      );
      if (arisen) arisen.hidden = item.status !== "not_applicable";
    }
  }
}

function showProblems(form, problems) {
  const byItem = new Map();
  const general = [];
  for (const problem of problems) {
    const entry = { text: problem.message, severity: problem.severity };
    const list = form.querySelector(attr("data-problems", problem.item));
    if (list) {
      if (!byItem.has(list)) byItem.set(list, []);
      byItem.get(list).push(entry);
    } else {
      general.push(entry);
    }
  }
  for (const list of form.querySelectorAll("[data-problems]")) {
    fillList(list, byItem.get(list) ?? []);
  }
  for (const list of form.querySelectorAll("[data-general-problems]")) fillList(list, general);
  markInvalid(form, problems);
}

/**
 * aria-invalid on the inputs of each stage's item that has an error (its message is in the
 * list the inputs are described by), and on no other.
 */
function markInvalid(form, problems) {
  const wrong = new Set(
    problems
      .filter((problem) => problem.severity === "error" && problem.item && problem.stage)
      .map((problem) => `${problem.stage}:${problem.item}`),
  );
  for (const input of form.querySelectorAll("input[name], select[name]")) {
    const [stage, item] = input.getAttribute("name").split(":");
    const invalid = wrong.has(`${stage}:${item}`) && input.getAttribute("type") !== "checkbox";
    if (invalid) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

function showDocumentError(form, message) {
  for (const element of form.querySelectorAll("[data-document-error]")) {
    element.textContent = message ?? "";
    element.hidden = !message;
  }
}

/** Show an answer of scoring_py.api.score (parsed JSON). */
export function showAnswer(form, answer) {
  if (!answer.ok) {
    showFailure(form, `Không tính được điểm: ${answer.error.message}`);
    return;
  }
  showDocumentError(form, null);
  for (const stage of stages()) showStage(form, stage, answer.result.stages[stage]);
  const noted = Object.values(answer.result.stages).find(rubricNote);
  const text = noted ? noted.note.text : "";
  for (const place of form.querySelectorAll("[data-band-note]")) {
    if (place.textContent !== text) place.textContent = text;
    place.hidden = !noted;
  }
  showProblems(form, answer.result.problems);
  showDisputed(form, answer.result.disputed ?? []);
}

/** Show that the form could not be scored, and clear every result. */
export function showFailure(form, message) {
  showDocumentError(form, message);
  for (const stage of stages()) clearStage(form, stage);
  for (const place of form.querySelectorAll("[data-band-note]")) place.hidden = true;
  showProblems(form, []);
}
