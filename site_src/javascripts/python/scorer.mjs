// The page's side of the scoring worker (worker.mjs): start it, follow its loading steps, score
// documents and summarise files. Each request travels with its own MessageChannel, as
// workbox-window's messageSW and shinylive's postMessageAsync do: its answer comes back on
// that channel only, so nothing here numbers requests or matches answers to them.

/** Files handed to the worker in one message (see Scorer.sendFiles). */
const FILES_PER_MESSAGE = 50;

/** Let the page draw and answer input before going on. */
function nextTask() {
  const scheduler = /** @type {any} */ (globalThis).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Mark the worker's loading steps again on the page's timeline, as
 * "thangdiem:worker:<step>", their times moved from the worker's time origin to the page's.
 * @param {import("./worker.mjs").ReadyMessage} ready
 */
function markWorkerSteps({ marks, timeOrigin }) {
  for (const { name, startTime } of marks) {
    const step = name.slice("thangdiem:".length);
    const at = timeOrigin + startTime - performance.timeOrigin;
    performance.mark(`thangdiem:worker:${step}`, { startTime: Math.max(0, at) });
  }
}

/**
 * What `ready` resolves with.
 * @typedef {{python: string, seconds: number, restored: boolean}} ReadyInfo
 */

/**
 * The worker start.js started from <head>, if it was started for this name (runtime and rubric)
 * and not taken yet; taken by the caller.
 * @param {string} name
 * @returns {{worker: Worker | null, events: Event[] | null, error: Error | null} | null}
 */
function takeEarlyWorker(name) {
  const early = /** @type {any} */ (globalThis).thangdiemWorker;
  if (!early || early.name !== name || early.taken) return null;
  early.taken = true;
  return early;
}

export class Scorer {
  /**
   * @param {string} rubric the rubric's canonical JSON (absolute URL)
   * @param {{pyodide: string, wheel: string, xlsxwriter: string, stdlib: string, source: string, lock: string}}
   *   runtime Pyodide's folder, the scoring_py wheel, XlsxWriter's, the compiled standard
   *   library and the full one (absolute URLs), and the lock file's text: the worker reads
   *   them and the rubric's address from its name, to start at once (not from
   *   a query string of its address: offline, the service worker answers with the cached
   *   worker.mjs, whose address, and so the worker's self.location, has none)
   */
  constructor(rubric, runtime) {
    this.rubric = rubric;
    this.runtime = runtime;
    /** @type {Worker | null} */
    this.worker = null;
    this.started = false;
    /** @type {((step: number, steps: number, text: string) => void) | null} */
    this.onProgress = null;
    /** @type {[number, number, string] | null} */
    this.lastProgress = null;
    /** The calls not answered yet: each one's reject, called if the worker fails. */
    this.unanswered = new Set();
    /** @type {Promise<ReadyInfo>} */
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // reported through the promise returned by start()
  }

  /**
   * Start the worker (once); resolves with {python, seconds, restored} once scoring_py can be
   * called (`restored`: Python's memory came from the browser's snapshot).
   */
  start() {
    if (this.started) return this.ready;
    this.started = true;
    const name = new URLSearchParams({ ...this.runtime, rubric: this.rubric }).toString();
    const early = takeEarlyWorker(name);
    let worker = early?.worker ?? null;
    try {
      if (early?.error) throw early.error;
      worker ??= new Worker(new URL("./worker.mjs", import.meta.url), { type: "module", name });
    } catch (error) {
      this.fail(`trình duyệt không chạy được Web Worker dạng module (${error.message})`);
      return this.ready;
    }
    this.worker = worker;
    /** @type {Record<string, (event: any) => void>} */
    const handlers = {
      message: (event) => this.receive(event.data),
      error: (event) => {
        event.preventDefault();
        this.fail(event.message || "không tải được mã của bộ chấm điểm");
      },
      messageerror: () => this.fail("thư từ bộ chấm điểm bị hỏng"),
    };
    for (const [type, handle] of Object.entries(handlers)) worker.addEventListener(type, handle);
    if (early) {
      // Started by start.js, which has posted "init": what it heard meanwhile, in order.
      const heard = early.events ?? [];
      early.events = null;
      for (const event of heard) handlers[event.type](event);
      return this.ready;
    }
    /** @type {import("./worker.mjs").InitMessage} */
    const init = { type: "init" };
    worker.postMessage(init);
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

  /** The worker cannot work: `ready` and every call not answered yet reject with `message`. */
  fail(message) {
    this.rejectReady(new Error(message));
    for (const reject of this.unanswered) reject(new Error(message));
    this.unanswered.clear();
  }

  /** @param {import("./worker.mjs").OutMessage} message */
  receive(message) {
    if (message.type === "progress") {
      this.lastProgress = [message.step, message.steps, message.text];
      this.onProgress?.(...this.lastProgress);
    } else if (message.type === "ready") {
      markWorkerSteps(message);
      const { python, seconds, restored } = message;
      this.resolveReady({ python, seconds, restored });
    } else if (message.type === "failed") {
      this.fail(message.message);
    }
  }

  /**
   * Post one call to the worker with a channel of its own; `answer` resolves with its text.
   * `onRead(read, total)` follows an aggregate; `port` is the page's end of the channel (an
   * aggregate's files go there).
   * @param {import("./worker.mjs").CallName} fn
   * @param {import("./worker.mjs").CallArgs} args
   * @param {((read: number, total: number) => void) | null} [onRead]
   * @returns {{answer: Promise<any>, port: MessagePort}} the answer's text (its bytes for a
   *   call answered with a BytesReply)
   */
  post(fn, args, onRead = null) {
    const { port1: port, port2 } = new MessageChannel();
    const answer = new Promise((resolve, reject) => {
      const settle = () => {
        this.unanswered.delete(reject);
        port.close();
      };
      this.unanswered.add(reject);
      port.onmessage = (/** @type {MessageEvent<import("./worker.mjs").Reply>} */ { data }) => {
        if (data.type === "read") {
          onRead?.(data.read, data.total);
          return;
        }
        settle();
        if (data.type === "error") reject(new Error(data.message));
        else if (data.type === "bytes") resolve(data.bytes);
        else if (data.type === "unpacked") resolve({ text: data.text, files: data.files });
        else resolve(data.text);
      };
      port.onmessageerror = () => {
        settle();
        reject(new Error("thư từ bộ chấm điểm bị hỏng"));
      };
    });
    /** @type {import("./worker.mjs").CallMessage} */
    const message = { type: "call", fn, args };
    this.worker.postMessage(message, [port2]);
    return { answer, port };
  }

  /**
   * Call the worker once it is ready; resolves with the answer's text.
   * @param {import("./worker.mjs").CallName} fn
   * @param {import("./worker.mjs").CallArgs} args
   */
  async call(fn, args) {
    await this.ready;
    return this.post(fn, args).answer;
  }

  /**
   * Score a document (JSON text) with scoring_py.api.score; resolves with the result's JSON
   * text. `rubric` is a rubric's canonical JSON text, or null for the page's rubric.
   * @param {string} documentText
   * @param {string | null} [rubric]
   */
  score(documentText, rubric = null) {
    return this.call("score", { document: documentText, rubric });
  }

  /**
   * Check a document's JSON text (e.g. a user's file) against the page's rubric with
   * scoring_py.api.validate_document; resolves with its JSON text ({"ok": true, "document":
   * …} or {"ok": false, "error": {"code", "message"}}).
   * @param {string} documentText
   */
  validate(documentText) {
    return this.call("validate", { document: documentText });
  }

  /**
   * The same for a document that may be of another version of the page's rubric, with
   * scoring_py.api.carry_document: {"ok": true, "document": … re-targeted at the page's
   * rubric, "carry": null or what was carried and what was not, "warnings"}, or the error.
   * @param {string} documentText
   */
  carry(documentText) {
    return this.call("carry", { document: documentText });
  }

  /**
   * The CSV of the last summary (`thangdiem aggregate --csv`'s bytes, as text), with `prefer`
   * chosen as in `choose`.
   * @param {string[]} prefer
   */
  csv(prefer) {
    return this.call("csv", { prefer });
  }

  /**
   * The last summary's Excel workbook (`thangdiem aggregate --xlsx`'s bytes), with `prefer`
   * chosen as in `choose`. The worker loads XlsxWriter for the first one.
   * @param {string[]} prefer
   * @returns {Promise<Uint8Array>}
   */
  xlsx(prefer) {
    return this.call("xlsx", { prefer });
  }

  /**
   * A document's package (scoring_py.api.pack): its JSON text and its attached files' bytes
   * by SHA-256 in, the package's bytes out.
   * @param {string} documentText
   * @param {Map<string, Uint8Array>} files
   * @returns {Promise<Uint8Array>}
   */
  async pack(documentText, files) {
    await this.ready;
    return this.post("pack", { document: documentText, files }).answer;
  }

  /**
   * Open and check a package (scoring_py.api.unpack): its document's JSON text and its files'
   * bytes by SHA-256.
   * @param {File} file
   * @returns {Promise<{text: string, files: Map<string, Uint8Array>}>}
   */
  async unpack(file) {
    await this.ready;
    return this.post("unpack", { package: file }).answer;
  }

  /**
   * Merge another worker's part (its `aggregate` with answer "part") into the batch held by
   * the last `aggregate` (answer "hold"); resolves with the page's answer.
   * @param {string} part
   */
  adopt(part) {
    return this.call("adopt", { part });
  }

  /**
   * Summarise the files of the last `aggregate` again, with `prefer` (file names) chosen to
   * count for their units; resolves with the same JSON text as `aggregate`.
   * @param {string[]} prefer
   */
  choose(prefer) {
    return this.call("choose", { prefer });
  }

  /**
   * Read the chosen files in the worker and summarise them one by one with scoring_py's
   * summary batch; resolves with the JSON text of its page() answer. `onRead(read, total)`
   * follows the files summarised. With `from` and `answer` ("part" or "hold"), a worker
   * summarises one part of a larger choice of files (see `adopt`). Posted at once (the worker
   * waits for Python), so that the files are on their way meanwhile.
   * @param {File[]} files
   * @param {(read: number, total: number) => void} onRead
   * @param {{from?: number, answer?: "page" | "part" | "hold"}} [options]
   */
  aggregate(files, onRead, { from = 0, answer = "page" } = {}) {
    if (!this.worker) return Promise.reject(new Error("bộ chấm điểm chưa được khởi động"));
    const call = this.post("aggregate", { total: files.length, from, answer }, onRead);
    this.sendFiles(call.port, files);
    return call.answer;
  }

  /**
   * Hand the files over in chunks, each in a task of its own: posting a File costs the page
   * about 0.15 ms the first time, so 10,000 in one message would block it for over a second.
   * @param {MessagePort} port
   * @param {File[]} files
   */
  async sendFiles(port, files) {
    for (let start = 0; start < files.length; start += FILES_PER_MESSAGE) {
      if (start) await nextTask();
      /** @type {import("./worker.mjs").FilesMessage} */
      const chunk = { type: "files", files: files.slice(start, start + FILES_PER_MESSAGE) };
      port.postMessage(chunk);
    }
  }
}
