// Loaded from the <head> of the scoring and summary pages as an async module script: it runs
// as soon as it has arrived, while the rest of the page is still being parsed, and starts the
// scoring worker at once, so that Python loads while the page is built. The page's own module
// (main.mjs, tong-hop/main.mjs) then takes the same Scorer from here.
//
// The rubric's address comes from that script element: <script data-scorer data-rubric>,
// relative to the page. The worker finds Pyodide and the wheel itself (runtime.mjs).

import { Scorer } from "./scorer.mjs";

function startScorer() {
  const script = /** @type {HTMLScriptElement} */ (document.querySelector("script[data-scorer]"));
  if (!script) return null;
  const scorer = new Scorer(new URL(script.dataset.rubric, document.baseURI).href);
  scorer.start();
  return scorer;
}

/** The page's Scorer, already started; null on a page without a scorer. */
export const scorer = startScorer();
