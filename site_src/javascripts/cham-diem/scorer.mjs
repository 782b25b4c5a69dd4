// The page's side of the scoring worker (worker.mjs): start it, follow its loading steps, and
// score documents. Every request carries a sequence number; its answer resolves the matching
// promise only.

export class Scorer {
  /**
   * @param {{runtime: string, wheel: string, rubric: string}} urls absolute URLs
   * @param {(step: number, steps: number, text: string) => void} onProgress
   */
  constructor(urls, onProgress) {
    this.urls = urls;
    this.onProgress = onProgress;
    this.seq = 0;
    this.pending = new Map();
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // reported through the promise returned by start()
  }

  /** Start the worker; resolves with {python, seconds} once scoring_py can be called. */
  start() {
    let worker;
    try {
      worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
    } catch (error) {
      this.fail(`trình duyệt không chạy được Web Worker dạng module (${error.message})`);
      return this.ready;
    }
    this.worker = worker;
    worker.addEventListener("message", (event) => this.receive(event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail(event.message || "không tải được mã của bộ chấm điểm");
    });
    worker.addEventListener("messageerror", () => this.fail("thư từ bộ chấm điểm bị hỏng"));
    worker.postMessage({ type: "init", ...this.urls });
    return this.ready;
  }

  fail(message) {
    this.rejectReady(new Error(message));
    for (const { reject } of this.pending.values()) reject(new Error(message));
    this.pending.clear();
  }

  receive(message) {
    if (message.type === "progress") {
      this.onProgress(message.step, message.steps, message.text);
    } else if (message.type === "ready") {
      this.resolveReady({ python: message.python, seconds: message.seconds });
    } else if (message.type === "failed") {
      this.fail(message.message);
    } else if (["scored", "validated", "error"].includes(message.type)) {
      const request = this.pending.get(message.seq);
      if (!request) return;
      this.pending.delete(message.seq);
      if (message.type === "error") request.reject(new Error(message.message));
      else request.resolve(message.text);
    }
  }

  async call(message) {
    await this.ready;
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...message, seq });
    });
  }

  /**
   * Score a document (JSON text) with scoring_py.api.score; resolves with the result's JSON
   * text. `rubric` is a rubric's canonical JSON text, or null for the page's rubric.
   */
  score(documentText, rubric = null) {
    return this.call({ type: "score", document: documentText, rubric });
  }

  /**
   * Check a document's JSON text (e.g. a user's file) against the page's rubric with
   * scoring_py.api.validate_document; resolves with its JSON text ({"ok": true, "document":
   * …} or {"ok": false, "error": {"code", "message"}}).
   */
  validate(documentText) {
    return this.call({ type: "validate", document: documentText });
  }
}
