// The browser tests' hands inside a scoring page: what the tests do that a person cannot
// (score with another rubric, read the page's document, put a whole document into the form,
// save at once). Not part of the site: e2e/pages.py serves this file under the page's origin
// (Playwright's route) and imports it, which the site's policy (script-src 'self') allows; it
// reaches the page through the one handle cham-diem/main.mjs exports, the same module
// instance as the page's own (imported by the page's own script address).

const main = globalThis.document.querySelector('script[type="module"][src*="/cham-diem/main.mjs"]');
if (!main) throw new Error("e2e/hooks.mjs: not a scoring page");
const { page } = await import(main.src);
const { currentDocument } = await import(new URL("./form.mjs", main.src).href);
const { parseJson } = await import(new URL("../lib/json.mjs", main.src).href);

/**
 * Score a document's JSON text with the page's worker, with another rubric's JSON text (null:
 * the page's rubric); resolves with scoring_py.api.score's JSON text.
 */
export function score(rubricJson, documentJson) {
  return page.scorer.score(documentJson, rubricJson);
}

/** The form's document, as JSON text (currentDocument). */
export function document() {
  return currentDocument(page.form, page.template);
}

/** Put a document's JSON text into the form; returns the places it could not show. */
export function fill(json) {
  return page.show(parseJson(json));
}

/** Save the form now (if this tab may); resolves when done. */
export function save() {
  return page.saving.saveNow();
}
