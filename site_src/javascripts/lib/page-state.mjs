// The states the scripts show on <html data-*>, each written here only. The page's styles,
// its other scripts (offline.mjs waits for Python to settle) and the browser tests read them.
//
//   data-scoring  "loading" | "ready" | "error"   Python on the scoring and summary pages
//   data-python   "snapshot" | "fresh"            how Python started (set once it is ready)
//   data-saving   "loading" | "ready" | "off"     the scoring page's saved assessments: "off"
//                                                 when the browser cannot save
//   data-summary  "working" | "done" | "error"    the summary page's files
//   data-print    "table" | "report" | absent     which printout @media print shows
//   data-offline  "registered"                    the service worker is registered

const root = () => globalThis.document.documentElement;

/** @param {"loading" | "ready" | "error"} state */
export function setScoring(state) {
  root().dataset.scoring = state;
}

/** @param {boolean} restored whether Python's memory came from the browser's snapshot */
export function setPython(restored) {
  root().dataset.python = restored ? "snapshot" : "fresh";
}

/** @param {"loading" | "ready" | "off"} state */
export function setSaving(state) {
  root().dataset.saving = state;
}

/** @param {"working" | "done" | "error"} state */
export function setSummary(state) {
  root().dataset.summary = state;
}

/** @param {string | null} printout "table" or "report"; null: both (the browser's menu) */
export function setPrint(printout) {
  if (printout) root().dataset.print = printout;
  else delete root().dataset.print;
}

export function setOffline() {
  root().dataset.offline = "registered";
}

/**
 * Resolves once Python has settled (ready or failed) on a page that starts it, at once on any
 * other page (no data-scoring="loading").
 * @returns {Promise<void>}
 */
export function scoringSettled() {
  const element = root();
  if (element.dataset.scoring !== "loading") return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (element.dataset.scoring === "loading") return;
      observer.disconnect();
      resolve();
    });
    observer.observe(element, { attributes: true, attributeFilter: ["data-scoring"] });
  });
}
