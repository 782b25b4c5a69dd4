// Loaded from the <head> of the scoring and summary pages as an async module script: it runs
// as soon as it has arrived, while the rest of the page is still being parsed, and starts the
// scoring worker at once, so that Python loads while the page is built. The page's own module
// (main.mjs, tong-hop/main.mjs) then takes the same Scorer from here.
//
// The addresses come from that script element, relative to the page: <script data-scorer
// data-rubric data-pyodide data-wheel data-xlsxwriter data-stdlib data-lock> (the rubric,
// Pyodide's folder, the scoring_py wheel, XlsxWriter's, which the worker fetches only for an
// Excel workbook, the compiled standard library, and the minimal lock file's text).

import { Scorer } from "./scorer.mjs";

function startScorer() {
  const script = /** @type {HTMLScriptElement} */ (document.querySelector("script[data-scorer]"));
  if (!script) return null;
  const address = (name) => new URL(script.dataset[name], document.baseURI).href;
  const runtime = {
    pyodide: address("pyodide"),
    wheel: address("wheel"),
    xlsxwriter: address("xlsxwriter"),
    stdlib: address("stdlib"),
    source: address("source"),
    lock: script.dataset.lock ?? "",
  };
  const scorer = new Scorer(address("rubric"), runtime);
  scorer.start();
  return scorer;
}

/** The page's Scorer, already started; null on a page without a scorer. */
export const scorer = startScorer();
