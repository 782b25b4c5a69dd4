// Loaded from the <head> of the scoring and summary pages as an async module script, after
// start.js (a classic script) has started the scoring worker: makes the page's Scorer, which
// takes that worker over with what it has said so far. The page's own module (main.mjs,
// tong-hop/main.mjs) then takes the same Scorer from here.

import { Scorer } from "./scorer.mjs";

function startScorer() {
  /** @type {{runtime: any, rubric: string} | undefined} */
  const early = /** @type {any} */ (globalThis).thangdiemWorker;
  if (!early) return null; // a page without a scorer
  const scorer = new Scorer(early.rubric, early.runtime);
  scorer.start();
  return scorer;
}

/** The page's Scorer, already started; null on a page without a scorer. */
export const scorer = startScorer();
