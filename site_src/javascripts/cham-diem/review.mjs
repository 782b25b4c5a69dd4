// The appraisal round trip on the scoring form ([data-review]): where the document stands
// (tự chấm → đã gửi → đang thẩm định → đã thẩm định → giải trình → thẩm định lại → kết quả, the
// contract's review states and steps), one button per next step, who takes it (a name typed
// once, kept in this browser) and the history of the steps taken, each with who and when.
//
// Roles: in "Chế độ thẩm định" the unit's own scores, evidence texts and files are read-only;
// unlocking them asks first and is recorded in the history. The unit's explanation of an item
// the team scored otherwise shows beside its evidence once scoring_py says the item is
// disputed (render.mjs calls showDisputed).

import { contract } from "../lib/contract.mjs";
import { ask } from "../lib/dialog.mjs";
import { reviewOf, setReview } from "./form.mjs";
import { names } from "./namespace.mjs";

/** The name of the state, as the page writes it. */
const stateName = (state) => contract().review.states[state] ?? state;

/** A step's time for a reader: "04/12/2026 14:05". */
export function stepTime(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const two = (n) => String(n).padStart(2, "0");
  return (
    `${two(at.getDate())}/${two(at.getMonth() + 1)}/${at.getFullYear()}` +
    ` ${two(at.getHours())}:${two(at.getMinutes())}`
  );
}

/** The button's words for going to a state. */
const STEP_WORDS = {
  sent: "Đánh dấu đã gửi",
  appraising: "Bắt đầu thẩm định",
  appraised: "Đánh dấu đã thẩm định",
  explained: "Đơn vị đã giải trình",
  reappraising: "Bắt đầu thẩm định lại",
  final: "Chốt kết quả",
};

/** What an own part of the unit is, in the form: its scores, evidence texts and file pickers. */
const OWN = '[data-stage-part="self"] input, [data-stage-part="self"] select, .td-evidence textarea[name^="evidence:"], [data-attach-input]';

export class Review {
  /**
   * @param {HTMLFormElement} form
   * @param {HTMLInputElement} toggle the "Chế độ thẩm định" switch
   * @param {() => void} changed called once the document changed (to save, to score)
   */
  constructor(form, toggle, changed) {
    this.form = form;
    this.toggle = toggle;
    this.changed = changed;
    this.root = /** @type {HTMLElement | null} */ (form.querySelector("[data-review]"));
    this.unlocked = false;
    this.byKey = `${names().database}:review-by`;
  }

  start() {
    if (!this.root) return;
    const by = this.byInput();
    try {
      by.value = localStorage.getItem(this.byKey) ?? "";
    } catch {
      by.value = "";
    }
    by.addEventListener("change", () => {
      try {
        localStorage.setItem(this.byKey, by.value.trim());
      } catch {
        // kept for this visit only
      }
    });
    this.root.addEventListener("click", (event) => {
      const button = /** @type {HTMLElement} */ (event.target).closest?.("[data-review-to]");
      if (button instanceof HTMLElement) this.step(button.dataset.reviewTo);
    });
    this.root.querySelector("[data-review-unlock]")?.addEventListener("click", () => this.unlock());
    this.toggle.addEventListener("change", () => {
      this.unlocked = false;
      this.lock();
    });
    this.show();
  }

  byInput() {
    return /** @type {HTMLInputElement} */ (this.root.querySelector("[data-review-by]"));
  }

  say(text) {
    const place = this.root?.querySelector("[data-review-status]");
    if (place) place.textContent = text;
  }

  /** Take a step to `state`, recorded with who and when; refused without a name. */
  step(state, note = "") {
    const by = this.byInput().value.trim();
    if (!by) {
      this.say("Hãy ghi tên người thực hiện trước (ô “Người thực hiện”).");
      this.byInput().focus();
      return false;
    }
    const review = reviewOf(this.form);
    review.history.push({ state, by, at: new Date().toISOString(), note });
    review.state = state;
    setReview(this.form, review);
    this.say(note ? `Đã ghi: ${note}.` : `Hồ sơ chuyển sang “${stateName(state)}”.`);
    this.show();
    this.changed();
    return true;
  }

  /** In appraisal mode, unlock the unit's part after asking; the history records it. */
  async unlock() {
    const sure = await ask(
      /** @type {HTMLDialogElement | null} */ (document.querySelector("[data-confirm]")),
      "Mở khóa phần tự chấm, tài liệu và tệp của đơn vị? Việc mở khóa được ghi vào lịch sử hồ sơ.",
      "Mở khóa",
    );
    if (!sure) return;
    if (this.step(reviewOf(this.form).state, "mở khóa phần của đơn vị trong chế độ thẩm định")) {
      this.unlocked = true;
      this.lock();
    }
  }

  /** The unit's part is read-only in appraisal mode, unless unlocked. */
  lock() {
    const locked = this.toggle.checked && !this.unlocked;
    for (const element of this.form.querySelectorAll(OWN)) {
      const control = /** @type {HTMLInputElement} */ (element);
      if (control.type === "radio" || control.type === "checkbox" || control.type === "file") {
        control.disabled = locked;
      } else {
        control.readOnly = locked;
      }
    }
    const unlock = /** @type {HTMLElement | null} */ (
      this.root?.querySelector("[data-review-unlock]")
    );
    if (unlock) unlock.hidden = !locked;
  }

  /** Draw the state, its next steps and the history (after any change of the document). */
  show() {
    if (!this.root) return;
    const { state, history } = reviewOf(this.form);
    const label = this.root.querySelector("[data-review-state]");
    if (label) label.textContent = stateName(state);
    const steps = this.root.querySelector("[data-review-steps]");
    steps?.replaceChildren(
      ...(contract().review.steps[state] ?? []).map((next) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.dataset.reviewTo = next;
        button.textContent = STEP_WORDS[next] ?? stateName(next);
        return button;
      }),
    );
    const list = this.root.querySelector("[data-review-history]");
    list?.replaceChildren(
      ...history.map((step) => {
        const row = document.createElement("li");
        const note = step.note ? ` (${step.note})` : "";
        row.textContent = `${stepTime(step.at)} — ${stateName(step.state)} — ${step.by}${note}`;
        return row;
      }),
    );
    const count = this.root.querySelector("[data-review-count]");
    if (count) count.textContent = String(history.length);
    this.lock();
  }
}

/**
 * Show the unit's explanation of each item the appraisal scored otherwise (scoring_py's
 * result.disputed), and of any item whose explanation is written.
 * @param {ParentNode} form
 * @param {string[]} disputed
 */
export function showDisputed(form, disputed) {
  const set = new Set(disputed);
  for (const element of form.querySelectorAll("[data-explain]")) {
    const place = /** @type {HTMLElement} */ (element);
    const text = /** @type {HTMLTextAreaElement | null} */ (place.querySelector("textarea"));
    place.hidden = !set.has(place.dataset.explain ?? "") && !text?.value.trim();
  }
}
