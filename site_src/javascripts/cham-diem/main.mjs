// The scoring page (<rubric-id>/cham-diem/): wire the form, the worker and the results.
//
// The form is plain HTML and works before Python has loaded; meanwhile a module worker loads
// Pyodide and scoring_py (with a visible progress indicator). Once ready,
// <html data-scoring="ready"> is set and every change of the form is scored at once; changes
// made while an answer is awaited are scored together right after it, so that fast typing
// never queues stale work; an answer older than the one shown is dropped. If loading fails,
// <html data-scoring="error"> is set and a Vietnamese message says so.
//
// The form is saved in the browser as it is filled in (saving.mjs), and the assessment this tab
// had open comes back on reload. The printouts (print.mjs) follow the latest answer, filled
// when the page is idle.
//
// The module exports `page`, the page's parts for whoever drives it from outside (the browser
// tests' e2e/hooks.mjs): nothing of the page reads it.
//
// Before offline.mjs reloads the page into a new deployment it sends "thangdiem:before-update":
// the form is saved first.

import { collectDocument, fillDocument, readTemplate } from "./form.mjs";
import { printoutsWhenIdle, setUpPrinting } from "./print.mjs";
import { showLoading } from "../python/progress.mjs";
import { showAnswer, showFailure } from "./render.mjs";
import { Saving } from "./saving/autosave.mjs";
import { scorer } from "../python/boot.mjs";
import { toJson } from "../lib/json.mjs";
import { showUnitType } from "./unit-type.mjs";
import { Attachments } from "./attachments/view.mjs";
import { Review } from "./review.mjs";

function start(form) {
  const template = readTemplate();
  /** How long an export waits for Python to name the assessment's state, in ms. */
  const STATE_WAIT_MS = 15_000;
  const loading = showLoading(scorer, "Vẫn có thể nhập, nhưng điểm không được tính.");

  let sent = 0;
  let shown = 0;
  let ready = false;
  let running = null; // the scoring loop under way
  let again = false; // the form changed while it ran
  let latest = null; // the JSON text of the answer shown
  let revealAppraisal = false; // a document was put in: open its appraisal once it is scored
  const view = document.querySelector("[data-printouts]");
  const printouts = view ? printoutsWhenIdle(view) : null;

  async function scoreOnce() {
    const seq = ++sent;
    const doc = collectDocument(form, template);
    let text;
    try {
      text = await scorer.score(toJson(doc));
    } catch (error) {
      if (seq > shown) {
        shown = seq;
        latest = null;
        showFailure(form, `Không tính được điểm: ${error.message}`);
        printouts?.(doc, null);
      }
      return;
    }
    if (seq <= shown) return; // a newer answer is already shown
    shown = seq;
    latest = text;
    const answer = JSON.parse(text);
    showAnswer(form, answer);
    printouts?.(doc, text);
    // Whether the appraisal has begun is scoring_py's to say (engine.has_appraisal).
    if (revealAppraisal) {
      revealAppraisal = false;
      if (answer.ok === true && answer.result.status !== "self" && !toggle.checked) {
        toggle.checked = true;
        showMode();
      }
    }
  }

  /** Score the form now, or once more after the answer awaited; resolves when shown. */
  function update() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await scoreOnce();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function schedule() {
    if (ready) update();
  }

  const toggle = form.querySelector("[data-appraisal-toggle]");
  const showMode = () => form.classList.toggle("td-appraisal-on", toggle.checked);
  toggle.addEventListener("change", showMode);
  showMode();
  // The maxima and points of the unit's type, where the rubric gives some types others.
  const unitType = form.querySelector('[name="unit:type"]');
  const showType = () => {
    if (unitType instanceof HTMLSelectElement) showUnitType(document, unitType.value || null);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("change", showType);
  showType();
  form.addEventListener("submit", (event) => event.preventDefault());

  /** Put a document (from parseJson) into the form; return the places it could not show. */
  function show(doc) {
    const lost = fillDocument(form, template, doc);
    showType();
    attachments.showAll();
    review.show();
    revealAppraisal = true;
    schedule();
    return lost;
  }

  // The team agrees with most self-scores: copy them into its empty boxes, then correct.
  const copyStatus = form.querySelector("[data-copy-self-status]");
  form.querySelector("[data-copy-self]")?.addEventListener("click", () => {
    const doc = collectDocument(form, template);
    const own = doc.stages.self.answers;
    const team = doc.stages.appraisal.answers;
    let copied = 0;
    for (const [id, value] of Object.entries(own)) {
      if (value !== null && team[id] === null) {
        team[id] = value;
        copied += 1;
      }
    }
    fillDocument(form, template, doc);
    form.dispatchEvent(new Event("input", { bubbles: true })); // scored and saved as typed
    copyStatus.textContent = copied
      ? `Đã chép ${copied} điểm tự chấm; hãy sửa những mục đoàn chấm khác.`
      : "Không có ô thẩm định trống nào có điểm tự chấm để chép.";
  });

  setUpPrinting(
    () => collectDocument(form, template),
    () => latest,
    () => (ready ? update() : null),
  );

  // A file attached or removed changes the document as typing does: saved and scored.
  const attachments = new Attachments(form, () =>
    form.dispatchEvent(new Event("input", { bubbles: true })),
  );
  attachments.start();
  const review = new Review(form, toggle, () =>
    form.dispatchEvent(new Event("input", { bubbles: true })),
  );
  review.start();
  const saving = new Saving(form, template, show, (text) => scorer.carry(text));
  saving.pack = (text, files) => scorer.pack(text, files);
  saving.unpack = (file) => scorer.unpack(file);
  // How far the form's assessment has come, as scoring_py says once it has scored the form
  // as it is now (the exported file's name). Python still loading is waited for a while
  // (STATE_WAIT_MS); null when it cannot say.
  saving.state = async () => {
    if (!ready) {
      const wait = new Promise((resolve) => setTimeout(resolve, STATE_WAIT_MS));
      await Promise.race([loading.catch(() => null), wait]);
    }
    if (!ready) return null;
    try {
      await update();
      const answer = latest ? JSON.parse(latest) : null;
      return answer && answer.ok ? answer.result.status : null;
    } catch {
      return null;
    }
  };
  saving.start();
  // Before the page is reloaded into a new version of the site (offline.mjs): save now; what
  // is typed is not kept when the browser cannot save or while another tab's change waits for
  // the user's choice.
  document.addEventListener("thangdiem:before-update", (event) => {
    const kept = saving.store && !saving.suspended;
    const { detail } = /** @type {CustomEvent} */ (event);
    detail.waitUntil(kept ? saving.saveNow() : Promise.reject(new Error("not saved")));
  });

  loading.then(
    () => {
      ready = true;
      update();
    },
    () => {}, // the loader says why; the form still works and is saved
  );
  return { form, template, scorer, saving, show };
}

/**
 * The scoring page's parts, or null on a page without the form: {form, template (from
 * readTemplate), scorer (the page's Scorer), saving (its Saving), show(doc) (put a parsed
 * document into the form, score it; returns the places it could not show)}.
 */
const form = document.getElementById("cham-diem");
export const page = form ? start(form) : null;
