// Where an accent-folded query matches a text: "tiep cong dan" in "Tiếp công dân" marks
// "Tiếp", "công" and "dân" (not the "dan" of "danh"). The fold of each letter is not written
// here: it comes from the site's build (search/fold.json, made by generator/search.py from the
// same rule that folds the search index), with the index's word separator.

/**
 * @typedef {{ separator: string, fold: Record<string, string> }} Folding
 * The build's settings: the search index's separator (a regular expression) and the fold of
 * every letter that folding changes.
 */

/**
 * A text folded and lower-cased, with where each of its characters came from in the text.
 * @param {string} text
 * @param {Record<string, string>} table
 * @returns {{ folded: string, origin: number[] }}
 */
export function foldText(text, table) {
  let folded = "";
  const origin = [];
  let index = 0;
  for (const char of text) {
    const lower = char.toLowerCase();
    const bare = (table[char] ?? table[lower] ?? lower).toLowerCase();
    for (let i = 0; i < bare.length; i += 1) origin.push(index);
    folded += bare;
    index += char.length;
  }
  origin.push(index);
  return { folded, origin };
}

/**
 * The query's words, folded: split as the index splits its texts.
 * @param {string} query
 * @param {Folding} folding
 * @returns {string[]}
 */
export function queryTerms(query, folding) {
  const separator = new RegExp(folding.separator, "u");
  const bare = foldText(query, folding.fold).folded.replace(/[*+~^]/g, " ");
  return [...new Set(bare.split(separator).filter((term) => term.length > 0))];
}

/**
 * The words of a text, as [start, end) ranges of its folded form.
 * @param {string} folded
 * @param {string} separator
 * @returns {{ word: string, start: number, end: number }[]}
 */
function words(folded, separator) {
  const split = new RegExp(separator, "gu");
  const found = [];
  let start = 0;
  for (const match of folded.matchAll(split)) {
    if (match.index > start) found.push(start, match.index);
    start = match.index + Math.max(match[0].length, 1);
  }
  if (folded.length > start) found.push(start, folded.length);
  const result = [];
  for (let i = 0; i < found.length; i += 2) {
    result.push({ word: folded.slice(found[i], found[i + 1]), start: found[i], end: found[i + 1] });
  }
  return result;
}

/**
 * The ranges of the texts to mark, per text: a word equal to a query word; for a query word
 * that no text has whole (a word still being typed), the words it begins.
 * @param {string[]} texts
 * @param {string[]} terms the query's folded words
 * @param {Folding} folding
 * @returns {[number, number][][]} per text, [start, end) offsets in that text, in order
 */
export function markRanges(texts, terms, folding) {
  const folded = texts.map((text) => foldText(text, folding.fold));
  const split = folded.map(({ folded: bare }) => words(bare, folding.separator));
  const whole = new Set(
    terms.filter((term) => split.some((list) => list.some(({ word }) => word === term))),
  );
  return split.map((list, at) => {
    const { origin } = folded[at];
    const ranges = [];
    for (const { word, start, end } of list) {
      let length = 0;
      if (whole.has(word)) length = end - start;
      else {
        for (const term of terms) {
          if (!whole.has(term) && word.startsWith(term)) length = Math.max(length, term.length);
        }
      }
      if (length > 0) ranges.push([origin[start], origin[start + length]]);
    }
    return ranges;
  });
}
