// What the scoring and summary pages share with scoring_py, read from the page: the generator
// embeds scoring_py.api.contract() as <script type="application/json" id="td-contract">
// (scoring_py/shapes.py declares it). The scripts take the stages and their labels,
// "không phát sinh", the file limits and the refusal of a file too large from here and never
// restate them. A worker has no document: it asks Python (api.contract) instead.

/**
 * @typedef {object} StageEntry
 * @property {string} id "self", "appraisal" or "final"
 * @property {string} label the stage's name as the page writes it
 * @property {boolean} answers whether a document holds answers for it
 */

/**
 * @typedef {object} AttachmentLimits  (shapes.AttachmentLimits)
 * @property {Record<string, string>} types each accepted extension's media type
 * @property {number} max_bytes the largest attached file
 * @property {number} max_package_bytes the largest package
 * @property {number} max_per_item the most files attached to one item
 * @property {number} max_files the most files attached to one document
 * @property {number} max_name the longest file name
 * @property {string} forbidden a regular expression of what a name may not hold
 * @property {string[]} hidden the Unicode categories a name may not hold either
 */

/**
 * @typedef {object} Contract
 * @property {string} format the `format` of an assessment document
 * @property {number} version the document version scoring_py writes
 * @property {StageEntry[]} stages the result's stages, in reading order
 * @property {string} not_applicable the answer that marks an item "không phát sinh"
 * @property {number} max_file_bytes the largest assessment file accepted
 * @property {number} max_depth the deepest JSON nesting accepted
 * @property {AttachmentLimits} attachments what files an item may have attached
 * @property {{too_large: string}} messages sentences shared with the command line
 * @property {Record<string, string>} paper the label of each of the papers' texts, by key
 * @property {{states: Record<string, string>, steps: Record<string, string[]>}} review the
 *   round trip's states (their names) and, from each, the states it may go to
 */

/** @type {WeakMap<Document, Contract>} */
const read = new WeakMap();

/**
 * The page's contract (read once per document).
 * @param {Document} [doc]
 * @returns {Contract}
 */
export function contract(doc = globalThis.document) {
  let found = read.get(doc);
  if (found === undefined) {
    const element = doc.getElementById("td-contract");
    if (element === null) throw new Error("the page has no #td-contract");
    found = /** @type {Contract} */ (JSON.parse(element.textContent ?? ""));
    read.set(doc, found);
  }
  return found;
}
