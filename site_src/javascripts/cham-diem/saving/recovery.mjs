// Nothing lost when a page is left in the middle of a save: what the saves under way and the
// form's latest changes would write is kept synchronously as it goes (storage.mjs
// keepPending), and the next page applies it (recover): on top of the record when nobody saved
// it since, else as a record of its own.

import { contentOf, sameContent } from "./records.mjs";
import { dropPending, keepPending, newId, pendingSaves } from "../storage.mjs";
import { names } from "../namespace.mjs";

/**
 * The page is being left: keep (synchronously) what the saves under way and the form's
 * latest changes would write, in case they cannot finish; then start saving the form.
 * @param {import("./autosave.mjs").Saving} saving
 */
export function leaving(saving) {
  if (!saving.ready || !saving.store) return;
  const latest = new Map(); // record id → its newest save
  for (const job of saving.jobs) latest.set(job.record.id, job);
  if (saving.suspended) {
    // Another tab holds this assessment: keep this tab's version as a copy.
    const doc = saving.collect();
    if (contentOf(doc) !== saving.current.saved) {
      const copy = { ...saving.record(doc), id: newId() };
      if (keepPending(copy, 0, null)) {
        try {
          sessionStorage.setItem(names().open + saving.rubricId, copy.id); // the next page opens it
        } catch {
          // the next page opens the most recent record
        }
      }
    }
  } else {
    const job = saving.snapshot();
    if (job) latest.set(job.record.id, job);
  }
  const writing = saving.jobs[0];
  for (const job of latest.values()) {
    const after = writing && writing !== job && writing.target === job.target;
    keepPending(job.record, job.target.revision, after ? writing.record.document : null);
  }
  saving.saveNow();
}

/**
 * Apply the copies kept by pages that were left before their save finished: on top of the
 * record when nobody saved it since, else (another tab did) as a record of its own.
 * @param {import("./autosave.mjs").Saving} saving
 */
export async function recover(saving) {
  for (const { record, expected, alsoAfter } of pendingSaves(saving.rubric)) {
    try {
      const stored = await saving.store.get(record.id);
      if (stored && sameContent(stored.document, record.document)) {
        dropPending(record.id);
        continue;
      }
      let base = null;
      const revision = stored ? stored.revision : 0;
      if (revision === expected) {
        base = expected;
      } else if (revision === expected + 1 && alsoAfter) {
        // The save under way when the page was left did finish: apply on top of it.
        if (sameContent(stored.document, alsoAfter)) base = revision;
      }
      let saved = record;
      let answer = base === null ? null : await saving.store.save(record, base);
      if (!answer || !answer.ok) {
        saved = { ...record, id: newId() };
        answer = await saving.store.save(saved, 0);
      }
      if (!answer.ok) continue;
      dropPending(record.id);
      if (saved.id !== record.id) saving.recovered.set(record.id, saved.id);
      saving.send({ type: "saved", id: saved.id, revision: answer.revision, tab: saving.tab });
    } catch {
      // kept for the next page
    }
  }
}
