// The texts of the scoring page that differ by unit type: a rubric may give an item or a
// criterion other points for some unit types (scoring_py.model.ItemVariant). The page writes
// each such text twice: the element's own text (for every other type, or no type chosen) and,
// in its data-by-type attribute, a JSON object of the texts by unit type id
// (generator/pages/fragments.py ByType). This module only chooses which one shows.

/**
 * The text to show for a unit type: the type's own text where the element has one, else its
 * own text. Anything but an object of strings in `texts` leaves the own text.
 * @param {unknown} texts
 * @param {string} own
 * @param {string | null} type
 * @returns {string}
 */
export function typedText(texts, own, type) {
  if (type === null || typeof texts !== "object" || texts === null || Array.isArray(texts)) {
    return own;
  }
  const value = Object.hasOwn(texts, type) ? /** @type {Record<string, unknown>} */ (texts)[type] : null;
  return typeof value === "string" ? value : own;
}

/** @param {string | undefined} text */
function parsed(text) {
  try {
    return JSON.parse(text ?? "null");
  } catch {
    return null;
  }
}

/**
 * Show, in every [data-by-type] element under root, the text for the unit type (null: none
 * chosen). The element's own text is kept in data-own-text the first time.
 * @param {ParentNode} root
 * @param {string | null} type
 */
export function showUnitType(root, type) {
  for (const element of root.querySelectorAll("[data-by-type]")) {
    const place = /** @type {HTMLElement} */ (element);
    if (place.dataset.ownText === undefined) place.dataset.ownText = place.textContent ?? "";
    const want = typedText(parsed(place.dataset.byType), place.dataset.ownText, type);
    if (place.textContent !== want) place.textContent = want;
  }
}
