// Starts the scoring worker from the top of <head>, before the rest of the page is parsed.
//
// A classic script, not a module: the parser runs it as soon as it has arrived. An async module
// script (boot.mjs) is run only when the parser yields, which on the scoring page, a long
// document, is when it has parsed it all: the worker then started some 200 ms later than on a
// page that only loads Pyodide. It stands right after the page's policy, before any
// stylesheet, so nothing holds it up; the preload scanner still fetches the stylesheets while
// it runs.
//
// The addresses come from this script element, relative to the page: <script data-scorer
// data-worker data-rubric data-pyodide data-wheel data-xlsxwriter data-stdlib data-source
// data-lock> (the worker's module, the rubric, Pyodide's folder, the scoring_py wheel,
// XlsxWriter's, which the worker fetches only for an Excel workbook, the compiled standard
// library, the full one, fetched only for a module the compiled one leaves out, and the minimal
// lock file's text). The worker is left, with the events it sent meanwhile, in
// `window.thangdiemWorker` ({name, runtime, rubric, worker, events, error}): boot.mjs's Scorer
// takes it over (scorer.mjs, adopt).
(function () {
  "use strict";
  const script = /** @type {HTMLScriptElement} */ (document.currentScript);
  const address = (/** @type {string} */ key) =>
    new URL(script.dataset[key] ?? "", document.baseURI).href;
  const runtime = {
    pyodide: address("pyodide"),
    wheel: address("wheel"),
    xlsxwriter: address("xlsxwriter"),
    stdlib: address("stdlib"),
    source: address("source"),
    lock: script.dataset.lock ?? "",
  };
  const rubric = address("rubric");
  const name = new URLSearchParams({ ...runtime, rubric }).toString();
  /** @type {{name: string, runtime: typeof runtime, rubric: string, worker: Worker | null, events: Event[] | null, error: Error | null}} */
  const early = { name, runtime, rubric, worker: null, events: [], error: null };
  try {
    const worker = new Worker(address("worker"), { type: "module", name });
    for (const type of ["message", "error", "messageerror"]) {
      worker.addEventListener(type, (event) => {
        if (!early.events) return; // taken over: the Scorer's own listeners have it
        if (type === "error") event.preventDefault();
        early.events.push(event);
      });
    }
    worker.postMessage({ type: "init" });
    early.worker = worker;
  } catch (error) {
    early.error = error instanceof Error ? error : new Error(String(error));
  }
  /** @type {any} */ (window).thangdiemWorker = early;
})();
