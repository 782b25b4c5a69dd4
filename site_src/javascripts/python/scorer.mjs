// The page's side of the scoring worker (worker.mjs): start it, follow its loading steps, score
// documents and summarise files. Every request carries a sequence number; its answer resolves
// the matching promise only.

/** Files handed to the worker in one message (see Scorer.sendFiles). */
const FILES_PER_MESSAGE = 50;

/** Let the page draw and answer input before going on. */
function nextTask() {
  const scheduler = /** @type {any} */ (globalThis).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class Scorer {
  /**
   * @param {string} rubric the rubric's canonical JSON (absolute URL)
   * @param {{pyodide: string, wheel: string}} runtime Pyodide's folder and the scoring_py
   *   wheel (absolute URLs): the worker reads them from its name, to start at once (not from
   *   a query string of its address: offline, the service worker answers with the cached
   *   worker.mjs, whose address, and so the worker's self.location, has none)
   */
  constructor(rubric, runtime) {
    this.rubric = rubric;
    this.runtime = runtime;
    this.onProgress = null;
    this.lastProgress = null;
    this.seq = 0;
    this.pending = new Map();
    this.reading = new Map(); // aggregate calls: seq -> onRead
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // reported through the promise returned by start()
  }

  /**
   * Start the worker (once); resolves with {python, seconds, restored, timings} once
   * scoring_py can be called (`restored`: Python's memory came from the browser's snapshot;
   * `timings`: when each loading step ended, see worker.mjs).
   */
  start() {
    if (this.started) return this.ready;
    this.started = true;
    let worker;
    try {
      const name = new URLSearchParams(this.runtime).toString();
      worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module", name });
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
    worker.postMessage({ type: "init", rubric: this.rubric });
    return this.ready;
  }

  /**
   * Follow the loading steps from now on, beginning with the step under way (the worker may
   * have started before the page could show them).
   * @param {(step: number, steps: number, text: string) => void} onProgress
   */
  follow(onProgress) {
    this.onProgress = onProgress;
    if (this.lastProgress) onProgress(...this.lastProgress);
  }

  fail(message) {
    this.rejectReady(new Error(message));
    for (const { reject } of this.pending.values()) reject(new Error(message));
    this.pending.clear();
    this.reading.clear();
  }

  receive(message) {
    if (message.type === "progress") {
      this.lastProgress = [message.step, message.steps, message.text];
      this.onProgress?.(...this.lastProgress);
    } else if (message.type === "ready") {
      const { python, seconds, restored, timings } = message;
      this.resolveReady({ python, seconds, restored, timings });
    } else if (message.type === "failed") {
      this.fail(message.message);
    } else if (message.type === "aggregating") {
      this.reading.get(message.seq)?.(message.read, message.total);
    } else if (["scored", "validated", "aggregated", "error"].includes(message.type)) {
      const request = this.pending.get(message.seq);
      this.reading.delete(message.seq);
      if (!request) return;
      this.pending.delete(message.seq);
      if (message.type === "error") request.reject(new Error(message.message));
      else request.resolve(message.text);
    }
  }

  request(message) {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...message, seq });
    });
  }

  async call(message) {
    await this.ready;
    return this.request(message);
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

  /**
   * The same for a document that may be of another version of the page's rubric, with
   * scoring_py.api.carry_document: {"ok": true, "document": … re-targeted at the page's
   * rubric, "carry": null or what was carried and what was not, "warnings"}, or the error.
   */
  carry(documentText) {
    return this.call({ type: "carry", document: documentText });
  }

  /**
   * The CSV of the last summary (`thangdiem aggregate --csv`'s bytes, as text), with `prefer`
   * chosen as in `choose`.
   * @param {string[]} prefer
   */
  csv(prefer) {
    return this.call({ type: "csv", prefer });
  }

  /**
   * Merge another worker's part (its `aggregate` with answer "part") into the batch held by
   * the last `aggregate` (answer "hold"); resolves with the page's answer.
   * @param {string} part
   */
  adopt(part) {
    return this.call({ type: "adopt", part });
  }

  /**
   * Summarise the files of the last `aggregate` again, with `prefer` (file names) chosen to
   * count for their units; resolves with the same JSON text as `aggregate`.
   * @param {string[]} prefer
   */
  choose(prefer) {
    return this.call({ type: "choose", prefer });
  }

  /**
   * Read the chosen files in the worker and summarise them one by one with scoring_py's
   * summary batch; resolves with the JSON text of its page() answer. `onRead(read, total)`
   * follows the files summarised. With `from` and `answer` ("part" or "hold"), a worker
   * summarises one part of a larger choice of files (see `adopt`).
   * @param {File[]} files
   * @param {(read: number, total: number) => void} onRead
   */
  aggregate(files, onRead, { from = 0, answer = "page" } = {}) {
    if (!this.worker) return Promise.reject(new Error("bộ chấm điểm chưa được khởi động"));
    const promise = this.request({ type: "aggregate", total: files.length, from, answer });
    const seq = this.seq;
    this.reading.set(seq, onRead);
    this.sendFiles(seq, files);
    return promise;
  }

  /**
   * Hand the files over in chunks, each in a task of its own: posting a File costs the page
   * about 0.15 ms the first time, so 10,000 in one message would block it for over a second.
   */
  async sendFiles(seq, files) {
    for (let start = 0; start < files.length; start += FILES_PER_MESSAGE) {
      if (start) await nextTask();
      this.worker.postMessage({ type: "files", seq, files: files.slice(start, start + FILES_PER_MESSAGE) });
    }
  }
}
