// The printouts of the scoring page: the BẢNG CHẤM ĐIỂM and the BÁO CÁO tự đánh giá, xếp loại,
// in the layout of the forms attached to seed 001. Their rows and fixed texts are in the page
// (site_src/overrides/fragments/printouts.html.j2); this module fills the [data-print-*] places from
// scoring_py's latest answer (numbers exactly as it wrote them, with a decimal comma: no
// arithmetic here) and from the texts of the document that answer scored, always as text
// (textContent). The printouts never read the form: the page hands them each document it
// scores with scoring_py's answer for it.
//
// A value that is not there yet prints as a dotted blank to fill in by hand. The buttons
// [data-print-button="table|report"] set <html data-print> (which printout @media print
// shows), bring the printouts up to date and open the browser's print dialog; printing from
// the browser's menu prints both.

import { JsonNumber, parseJson } from "../lib/json.mjs";
import { contract } from "../lib/contract.mjs";
import { points } from "../lib/points.mjs";
import { setPrint } from "../lib/page-state.mjs";
import { ask } from "../lib/dialog.mjs";
import { docText, each, fillPaper, put } from "../lib/paper.mjs";
import { download, exportName } from "../lib/files.mjs";
import { describePrintout, wordDocument } from "./word.mjs";
import { fontsReady } from "../lib/fonts.mjs";

const STATUS_TEXT = { not_applicable: "Không phát sinh", excluded: "Không áp dụng" };

/** A number of points as scoring_py's fmt writes it (12.5 → "12,5"), null when absent. */
const pointsOf = (value) => (value instanceof JsonNumber ? points(value) : null);

/** Per stage, the stage's result and its items by id; null for a stage with no answer. */
function stagesOf(answer) {
  const stages = {};
  const result = answer && answer.ok === true ? answer.result : null;
  for (const { id: stage } of contract().stages) {
    const body = result && result.stages ? result.stages[stage] : null;
    // A stage with nothing answered prints blank, ready to be filled in by hand.
    if (!body || !(body.answered instanceof JsonNumber) || body.answered.text === "0") {
      stages[stage] = null;
      continue;
    }
    const items = new Map();
    const criteria = new Map();
    for (const criterion of body.criteria) {
      criteria.set(criterion.id, criterion);
      for (const item of criterion.items) items.set(item.id, item);
    }
    const fields = new Map((body.fields ?? []).map((field) => [field.id, field]));
    stages[stage] = { body, items, criteria, fields };
  }
  return stages;
}

/**
 * A criterion's or field's printed subtotal: its points; rescaled (NotApplicableRule.scope),
 * the rescaled points, then what they come from, as the rescale row prints them.
 */
function partText(part) {
  if (part.rescaled !== true) return pointsOf(part.score);
  return `${pointsOf(part.score)} (${pointsOf(part.raw_score)}/${pointsOf(part.applicable_max)})`;
}

function itemText(item) {
  if (!item) return null;
  if (item.status === "answered") return pointsOf(item.points);
  return STATUS_TEXT[item.status] ?? null;
}

/**
 * The band a stage proposes: scoring_py's band, with the reasons of the conditions that forced
 * or capped it; without a band, a condition's reason ("không đủ điều kiện xếp loại"), an
 * appraisal under way ("Đang thẩm định: 12/28 mục"), else what the user typed (rubrics without
 * bands, totals in a range the source leaves unstated).
 */
function bandText(stage, typed) {
  if (!stage) return { band: typed || null, note: "" };
  const { band, reasons, note } = stage.body;
  const held = reasons.map((reason) => reason.text);
  if (band) return { band: band.name, note: held.length ? ` (${held.join("; ")})` : "" };
  if (held.length) return { band: held.join("; "), note: "" };
  if (note && note.code === "appraising") return { band: note.text, note: "" };
  return { band: typed || null, note: "" };
}

/** The style sheet that writes the content code in each printed page's bottom margin. */
const footers = new WeakMap();

/**
 * Write the content code at the foot of every printed page, in the bottom margin (an @page
 * margin box: a box of the page itself would miss the pages it does not reach). The code is
 * scoring_py's (four hex digits, a dash, four more); anything else writes no footer.
 * @param {Document | null} page
 * @param {string | null} code
 */
function pageFooter(page, code) {
  if (!page || typeof CSSStyleSheet === "undefined") return;
  let sheet = footers.get(page);
  if (!sheet) {
    sheet = new CSSStyleSheet({ media: "print" });
    page.adoptedStyleSheets = [...page.adoptedStyleSheets, sheet];
    footers.set(page, sheet);
  }
  const shown = typeof code === "string" && /^[0-9A-F]{4}-[0-9A-F]{4}$/.test(code);
  sheet.replaceSync(
    shown ? `@page { @bottom-right { content: "Mã nội dung: ${code}"; } }` : "",
  );
}

/**
 * Fill the printouts from an assessment document (as collectDocument gives it) and the answer
 * scoring_py gave for it (api.score's JSON text, or null when there is none).
 * @param {ParentNode} view
 * @param {import("./form.mjs").AssessmentDocument} doc
 * @param {string | null} answerText
 */
export function fillPrintouts(view, doc, answerText) {
  let answer = null;
  if (answerText) {
    try {
      answer = parseJson(answerText);
    } catch {
      answer = null;
    }
  }
  const stages = stagesOf(answer);
  // The content code of the document scored (document.content_code), on every page: the
  // province matches the signed paper with the file it received by it.
  pageFooter(view.ownerDocument ?? null, answer && answer.ok === true ? answer.result.code : null);

  fillPaper(view, doc);
  each(view, "data-print-evidence", (element, id) => {
    const documents = docText(doc, `evidence:${id}:documents`).trim();
    const explanation = docText(doc, `evidence:${id}:explanation`).trim();
    const files = (doc.attachments?.[id] ?? []).map((entry) => entry.name).join("; ");
    const lines = [
      documents,
      explanation && `Giải trình: ${explanation}`,
      files && `Tệp đính kèm: ${files}`,
    ].filter(Boolean);
    put(element, lines.join("\n"), "");
  });
  each(view, "data-print-points", (element, key) => {
    const [stage, id] = key.split(/:(.*)/s);
    const item = stages[stage]?.items.get(id);
    if (element.dataset.reserved) put(element, element.dataset.reserved);
    else put(element, itemText(item));
  });
  each(view, "data-print-level", (element, key) => {
    const [stage, id, level] = key.split(":");
    const item = stages[stage]?.items.get(id);
    const chosen = item && item.status === "answered" && doc.stages[stage]?.answers[id] === level;
    put(element, chosen ? "Chọn" : "", "");
  });
  each(view, "data-print-subtotal", (element, key) => {
    const [stage, id] = key.split(/:(.*)/s);
    const criterion = stages[stage]?.criteria.get(id);
    if (element.dataset.reserved) put(element, element.dataset.reserved);
    else put(element, criterion ? partText(criterion) : null);
  });
  // A field's (lĩnh vực's) subtotal: its base criteria's scores, as scoring_py adds them.
  each(view, "data-print-group-subtotal", (element, key) => {
    const [stage, id] = key.split(/:(.*)/s);
    const field = stages[stage]?.fields.get(id);
    put(element, field ? partText(field) : null);
  });
  let rescaled = false;
  each(view, "data-print-rescale", (element, stage) => {
    const body = stages[stage]?.body;
    rescaled ||= Boolean(body?.rescaled);
    put(
      element,
      body?.rescaled
        ? // The rescaled points, then what they come from (in the printouts' font: no arrow).
          `${pointsOf(body.base)} (${pointsOf(body.raw_total)}/${pointsOf(body.applicable_max)})`
        : null,
    );
  });
  for (const row of view.querySelectorAll('[data-print-row="rescale"]')) {
    /** @type {HTMLElement} */ (row).hidden = !rescaled;
  }
  each(view, "data-print-total", (element, stage) => {
    put(element, stages[stage] ? pointsOf(stages[stage].body.total) : null);
  });
  each(view, "data-print-index", (element, stage) => {
    const index = stages[stage] ? pointsOf(stages[stage].body.index) : null;
    put(element, index === null ? null : `${index} %`);
  });
  const typed = docText(doc, "proposed_band").trim();
  each(view, "data-print-band", (element, stage) => {
    const { band, note } = bandText(stages[stage], stage === "self" ? typed : "");
    put(element, band);
    for (const place of view.querySelectorAll(`[data-print-band-note="${stage}"]`)) {
      put(place, note, "");
    }
  });
  /** @type {NodeListOf<HTMLElement>} */
  const finalLines = view.querySelectorAll('[data-print-band-line="final"]');
  for (const line of finalLines) {
    line.hidden = stages.appraisal === null;
  }
}

/**
 * What to say before printing an answer whose totals would print as blanks: per stage with
 * answers, how many items are wrongly answered or not answered; null when nothing is missing.
 * @param {any} answer scoring_py's answer (parsed), or null when there is none
 * @param {{id: string, label: string, answers: boolean}[]} stages the contract's stages
 * @returns {string | null}
 */
export function printWarning(answer, stages) {
  if (!answer || !answer.ok) {
    return "Chưa tính được điểm của phiếu: tổng điểm và xếp loại sẽ in thành dòng chấm để điền tay.";
  }
  const parts = [];
  for (const { id, label, answers } of stages) {
    const stage = answers ? answer.result.stages[id] : null;
    if (!stage) continue;
    const counts = [];
    if (stage.invalid > 0) counts.push(`${stage.invalid} mục có điểm không hợp lệ`);
    if (stage.missing > 0) counts.push(`${stage.missing} mục chưa chấm`);
    if (counts.length) parts.push(`${label}: ${counts.join(", ")}`);
  }
  if (parts.length === 0) return null;
  return (
    `Phiếu còn ${parts.join("; ")}. Bản in sẽ để trống các ô đó và tổng điểm thành dòng chấm` +
    " để điền tay. Vẫn in, hay quay lại sửa?"
  );
}

/** The Word files' names, by printout ("bao-cao-ubnd-xa-a-2026-12-04.docx"), and type. */
const WORD_NAMES = { table: "bang-cham-diem", report: "bao-cao" };
const WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/**
 * Wire the print buttons. `currentDocument()` gives the form's document as it is now;
 * `latestAnswer()` the latest scoring answer text (or null); `scoreNow()` scores the form as
 * it is now (the page then fills the printouts from that document and its answer).
 * @param {() => import("./form.mjs").AssessmentDocument} currentDocument
 * @param {() => string | null} latestAnswer
 * @param {() => Promise<unknown> | null} scoreNow
 */
export function setUpPrinting(currentDocument, latestAnswer, scoreNow) {
  const view = document.querySelector("[data-printouts]");
  if (!view) return;
  const refresh = () => fillPrintouts(view, currentDocument(), latestAnswer());
  // Printing from the browser's menu: the texts typed since the last answer are printed too.
  window.addEventListener("beforeprint", refresh);
  window.addEventListener("afterprint", () => setPrint(null));
  /** @type {NodeListOf<HTMLButtonElement>} */
  const buttons = document.querySelectorAll("[data-print-button]");
  for (const button of buttons) {
    button.addEventListener("click", async () => {
      setPrint(button.dataset.printButton ?? null);
      try {
        await scoreNow();
      } catch {
        // Printed with the latest answer; the form already says why scoring failed.
      }
      refresh();
      await fontsReady();
      const text = latestAnswer();
      const warning = printWarning(text ? JSON.parse(text) : null, contract().stages);
      const dialog = /** @type {HTMLDialogElement | null} */ (
        document.querySelector("[data-confirm]")
      );
      if (warning && !(await ask(dialog, warning, "Vẫn in"))) {
        setPrint(null);
        return;
      }
      window.print();
    });
  }
  /** @type {NodeListOf<HTMLButtonElement>} */
  const wordButtons = document.querySelectorAll("[data-word-button]");
  const status = document.querySelector("[data-word-status]");
  for (const button of wordButtons) {
    button.addEventListener("click", async () => {
      const kind = button.dataset.wordButton ?? "report";
      const say = (text) => {
        if (status) status.textContent = text;
      };
      button.disabled = true;
      say("Đang tạo tệp Word…");
      try {
        try {
          await scoreNow();
        } catch {
          // Written with the latest answer; the form already says why scoring failed.
        }
        refresh();
        const doc = currentDocument();
        const article = view.querySelector(`[data-printout="${kind}"]`);
        const text = latestAnswer();
        const answer = text ? JSON.parse(text) : null;
        const module = document.querySelector('meta[name="td-docx"]')?.getAttribute("content");
        if (!article || !module) throw new Error("trang thiếu phần tạo tệp Word");
        const docx = await import(new URL(module, document.baseURI).href);
        const title = article.querySelector(".td-doc-title")?.textContent ?? "";
        const word = wordDocument(docx, describePrintout(article), {
          title: `${title} — ${doc.unit.name}`.trim(),
          creator: doc.unit.name,
          code: answer && answer.ok ? answer.result.code : null,
        });
        const blob = await docx.Packer.toBlob(word);
        const name = exportName(doc.unit.name, new Date(), WORD_NAMES[kind], "docx");
        download(name, blob, WORD_TYPE);
        say(`Đã tạo tệp ${name}.`);
      } catch (error) {
        say(`Không tạo được tệp Word: ${error instanceof Error ? error.message : error}.`);
      } finally {
        button.disabled = false;
      }
    });
  }
  refresh();
  // Printing from the browser's menu cannot wait: have the font by then, fetched when idle.
  whenIdle(() => void fontsReady());
}

/**
 * Run `run` once the page is idle (at the latest after `timeout` ms).
 * @param {() => void} run
 */
export function whenIdle(run, timeout = 2000) {
  if (globalThis.requestIdleCallback) requestIdleCallback(run, { timeout });
  else setTimeout(run, Math.min(timeout, 200));
}

/**
 * Keep the printouts up to date with the answers, when the page is idle rather than in the task
 * that shows a new total: printing, the print buttons and the Word buttons fill them at once
 * anyway (setUpPrinting). Returns `later(doc, answerText)`, which fills them with the latest
 * document and answer given, once.
 * @param {Element} view the [data-printouts] element
 * @param {typeof fillPrintouts} fill
 */
export function printoutsWhenIdle(view, fill = fillPrintouts) {
  /** @type {[import("./form.mjs").AssessmentDocument, string | null] | null} */
  let due = null;
  return (doc, answerText) => {
    const waiting = due !== null;
    due = [doc, answerText];
    if (waiting) return;
    whenIdle(() => {
      if (due) fill(view, ...due);
      due = null;
    }, 1000);
  };
}
