// How long the browser keeps the drafts, and what the page says when it cannot keep them where
// it should. After the first save the page asks the browser to keep this site's storage
// (navigator.storage.persist(), once); while the browser has not agreed (or cannot say), the
// saved list says that it may evict the drafts when the disk runs short. When IndexedDB cannot
// be opened, the page says that it saves in localStorage instead (fallbackText): the store is
// never changed silently.

import { EVICTABLE, fellBack } from "../lib/messages.mjs";
import { full, problem } from "./storage.mjs";

/** The notice of a page that saves in localStorage because IndexedDB gave `error`. */
export function fallbackText(error) {
  return fellBack(problem(error), full(error));
}

export class Durability {
  /** @param {() => void} changed called when the browser's answer changes what to show */
  constructor(changed) {
    this.changed = changed;
    this.kept = null; // true: the browser keeps the drafts; false or null: it may evict them
    this.asked = false;
  }

  /** Whether the browser already keeps this site's storage. */
  async check() {
    try {
      this.kept = navigator.storage?.persisted ? await navigator.storage.persisted() : null;
    } catch {
      this.kept = null;
    }
  }

  /**
   * Ask the browser, once, to keep this site's storage; the list follows its answer, whenever
   * it comes (a browser may ask the user first).
   */
  ask() {
    if (this.asked) return;
    this.asked = true;
    if (!navigator.storage?.persist) return;
    navigator.storage.persist().then(
      (granted) => {
        this.kept = granted;
        this.changed();
      },
      () => {},
    );
  }

  /** Show or hide the saved list's note (data-saved-evict). */
  show(note) {
    if (!note) return;
    note.textContent = EVICTABLE;
    note.hidden = this.kept === true;
  }
}
