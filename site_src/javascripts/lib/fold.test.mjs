// lib/fold.mjs under Node: where a query typed without accents marks a text.

import assert from "node:assert/strict";
import { test } from "node:test";

import { foldText, markRanges, queryTerms } from "./fold.mjs";

// A few letters of the build's table (search/fold.json), and the site's separator.
const FOLDING = {
  separator: '[\\s\\-,:;!?=\\[\\]()"`/]+|\\.(?!\\d)|&[lg]t;',
  fold: { ế: "e", ô: "o", â: "a", Đ: "D", đ: "d", ố: "o", "\u0301": "", "\u0302": "" },
};

/** The marked words of each text. */
function marked(texts, query) {
  const ranges = markRanges(texts, queryTerms(query, FOLDING), FOLDING);
  return ranges.map((list, at) => list.map(([start, end]) => texts[at].slice(start, end)));
}

test("a text is folded and lower-cased, with the origin of each character", () => {
  assert.deepEqual(foldText("Tiếp Đ", FOLDING.fold), {
    folded: "tiep d",
    origin: [0, 1, 2, 3, 4, 5, 6],
  });
  // Decomposed letters: the marks fold to nothing and stay with their letter.
  const decomposed = "te\u0302\u0301p";
  assert.deepEqual(foldText(decomposed, FOLDING.fold), { folded: "tep", origin: [0, 1, 4, 5] });
});

test("the query's words are folded and split as the index splits", () => {
  assert.deepEqual(queryTerms("Tiếp công-dân (SIPAS)", FOLDING), [
    "tiep",
    "cong",
    "dan",
    "sipas",
  ]);
  assert.deepEqual(queryTerms("tiếp. 2.3", FOLDING), ["tiep", "2.3"]);
});

test("whole words are marked, not the start of a longer word", () => {
  assert.deepEqual(marked(["Tiếp công dân và danh sách"], "tiep cong dan"), [
    ["Tiếp", "công", "dân"],
  ]);
});

test("a word no text holds whole marks the words it begins, as it is being typed", () => {
  assert.deepEqual(marked(["Tiếp công dân", "đối thoại"], "tiep doi tho"), [
    ["Tiếp"],
    ["đối", "tho"],
  ]);
});

test("words beside punctuation are marked, and a decomposed letter whole", () => {
  assert.deepEqual(marked(["chỉ số (SIPAS).", "te\u0302\u0301p"], "sipas tep"), [
    ["SIPAS"],
    ["te\u0302\u0301p"],
  ]);
});

test("nothing is marked for a query of separators only", () => {
  assert.deepEqual(marked(["Tiếp công dân"], " - "), [[]]);
});
