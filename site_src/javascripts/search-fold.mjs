// Search highlighting that ignores accents, on every page. The theme marks a query's words in
// its search results and, after a result is followed (?h=…), on the page; it compares letters
// as typed, so "tiep cong dan" marks the "dan" of "danh" and never "tiếp công dân". This module
// marks the page followed from a result, and replaces the theme's marks wherever they appear,
// with marks found by folding both the query and the text (lib/fold.mjs, with the build's
// fold of each letter: search/fold.json).

import { markRanges, queryTerms } from "./lib/fold.mjs";

const script = /** @type {HTMLScriptElement} */ (document.querySelector("script[data-fold]"));
const OURS = "data-td-fold";
const THEIRS = `mark:not([${OURS}])`;

/** @type {Promise<import("./lib/fold.mjs").Folding | null> | null} */
let settings = null;

/** The build's folding settings, fetched once (null when they cannot be read). */
function folding() {
  settings ??= fetch(script.dataset.fold)
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return settings;
}

/** The visible text nodes under an element (not inside scripts or styles). */
function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest("script, style, svg")
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return /** @type {Text[]} */ (nodes);
}

/** Take the search marks out of an element, keeping their text. */
function unmark(root) {
  for (const mark of root.querySelectorAll("mark")) {
    mark.replaceWith(...mark.childNodes);
  }
  root.normalize();
}

/**
 * Mark the query's words in elements, by folding: a word is marked whole where any of them
 * holds it whole (lib/fold.mjs).
 * @param {Element[]} roots
 * @param {string} query
 * @param {import("./lib/fold.mjs").Folding} fold
 */
function mark(roots, query, fold) {
  roots.forEach(unmark);
  const terms = queryTerms(query, fold);
  if (terms.length === 0) return;
  const nodes = roots.flatMap(textNodes);
  const ranges = markRanges(
    nodes.map((node) => node.data),
    terms,
    fold,
  );
  nodes.forEach((node, at) => {
    // From the last range back, so that the earlier offsets stay right.
    for (const [start, end] of ranges[at].toReversed()) {
      const word = node.splitText(start);
      word.splitText(end - start);
      const element = document.createElement("mark");
      element.setAttribute("data-md-highlight", "");
      element.setAttribute(OURS, "");
      word.replaceWith(element);
      element.append(word);
    }
  });
}

/** Whether mutations added marks of the theme's (not this module's). */
function themeMarked(records) {
  return records.some((record) =>
    [...record.addedNodes].some(
      (node) =>
        node instanceof Element &&
        (node.matches(THEIRS) || node.querySelector(THEIRS) !== null),
    ),
  );
}

/**
 * Each time the theme marks something under `root`, mark it again by folding.
 * @param {Element} root
 * @param {() => string} query
 * @param {() => Element[]} targets what to mark again
 */
function follow(root, query, targets) {
  const observer = new MutationObserver(async (records) => {
    if (!themeMarked(records)) return;
    const fold = await folding();
    if (fold === null) return;
    observer.disconnect();
    mark(targets(), query(), fold);
    observer.observe(root, { childList: true, subtree: true });
  });
  observer.observe(root, { childList: true, subtree: true });
}

const results = document.querySelector(".md-search-result__list");
const input = /** @type {HTMLInputElement} */ (document.querySelector(".md-search__input"));
if (results && input) {
  follow(
    results,
    () => input.value,
    () => [...results.querySelectorAll(".md-search-result__article")],
  );
}

const asked = new URL(location.href).searchParams.get("h");
const article = document.querySelector("article.md-content__inner");
if (asked && article) {
  follow(
    article,
    () => asked,
    () => [article],
  );
  // The theme marks only what it matches as typed (perhaps nothing): mark the page now too.
  folding().then((fold) => fold && mark([article], asked, fold));
}
