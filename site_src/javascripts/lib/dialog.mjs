// The page's yes/no question: the <dialog data-confirm> of the page (its markup is in the
// fragment), with the question and the button's words set as text.

/**
 * Ask a yes/no question in the page's <dialog> (modal: keyboard focus stays inside, Escape
 * answers no, focus starts on "Hủy"); resolves with true for `yes`.
 * @param {HTMLDialogElement | null} dialog
 * @param {string} question
 * @param {string} yes the words of the button that says yes
 * @returns {Promise<boolean>}
 */
export function ask(dialog, question, yes) {
  if (!dialog || dialog.open) return Promise.resolve(false);
  /** @type {HTMLElement} */ (dialog.querySelector("[data-confirm-text]")).textContent = question;
  /** @type {HTMLElement} */ (dialog.querySelector("[data-confirm-ok]")).textContent = yes;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}
