// Module Web Worker (started with {type: "module"}): runs scoring_py in Pyodide.
//
// Everything comes from this site: Pyodide's files (assets/pyodide/<version>/, copied from the
// pinned npm package at build time), the scoring_py wheel (imported from the wheel file itself,
// without micropip), the rubric's canonical JSON and, only when an Excel workbook is asked for,
// XlsxWriter's wheel (imported the same way). Python and the rubric start loading as soon as
// this module runs (its name says where from: "pyodide=…&wheel=…&rubric=…", absolute URLs
// given by scorer.mjs); the page's "init" message asks for the "ready" answer. Python's memory
// once scoring_py is imported and the rubric read is kept in the browser (snapshot.mjs): the
// next visits restore it instead of starting afresh.
//
// The page talks to it as shinylive talks to its Pyodide worker: "init" once, then each request
// is a "call" that brings its own MessagePort, on which its answer (and an aggregate's progress)
// comes back, so requests need no numbering and the page no table of pending ones
// (scorer.mjs). The types below are the protocol; scorer.mjs imports them.
//
// The loading steps are marked on this worker's timeline as performance marks
// "thangdiem:<step>" (start, python, imported, rubric, snapshot), sent in "ready" for the page
// to mark again on its own ("thangdiem:worker:<step>"), for measurements.

/**
 * What the page sends on the worker itself.
 * @typedef {{type: "init"}} InitMessage  answered by "ready" (or "failed") once
 * @typedef {object} CallMessage  a request, posted with one MessagePort for its answer
 * @property {"call"} type
 * @property {CallName} fn
 * @property {CallArgs} args
 * @typedef {InitMessage | CallMessage} InMessage
 *
 * The calls. score, validate and carry call scoring_py.api.score, validate_document and
 * carry_document with a document's JSON text and a rubric's canonical JSON (null or absent:
 * the page's). aggregate summarises `total` files (File objects that follow on the call's
 * port in {type: "files", files} chunks, each read here and handed to Python alone,
 * api.open_batch) and answers page(); `from` is the first file's place among all (default 0),
 * `answer` "page" (default), "part" (the scored files, for another worker) or "hold" (kept
 * for adopt; answers ""). adopt merges another worker's "part" into the held batch and
 * answers page(); choose answers page() again with `prefer` (file names chosen to count for
 * their units); csv gives the held summary's CSV text; xlsx its Excel workbook's bytes
 * (scoring_py.workbook, with XlsxWriter loaded first), answered as a BytesReply. pack writes a
 * document's package (scoring_py.api.pack) from its JSON text and its attached files' bytes
 * (`files`, by SHA-256), answered as a BytesReply; unpack opens a package (`package`, a File)
 * and answers with a FilesReply.
 * @typedef {"score" | "validate" | "carry" | "aggregate" | "adopt" | "choose" | "csv" | "xlsx" | "pack" | "unpack"} CallName
 * @typedef {object} CallArgs
 * @property {string} [document]
 * @property {string | null} [rubric]
 * @property {number} [total]
 * @property {number} [from]
 * @property {"page" | "part" | "hold"} [answer]
 * @property {string} [part]
 * @property {string[]} [prefer]
 * @property {Map<string, Uint8Array>} [files]
 * @property {File} [package]
 * @typedef {{type: "files", files: File[]}} FilesMessage  the next chunk of an aggregate's files
 *
 * What the worker posts on itself.
 * @typedef {{type: "progress", step: number, steps: number, text: string}} ProgressMessage
 * @typedef {{name: string, startTime: number}} Mark  a performance mark of this worker
 * @typedef {object} ReadyMessage  scoring_py can be called
 * @property {"ready"} type
 * @property {string} python Python's version
 * @property {number} seconds from this module's start until ready
 * @property {boolean} restored Python's memory came from the browser's snapshot
 * @property {Mark[]} marks the loading steps' marks ("thangdiem:<step>")
 * @property {number} timeOrigin this worker's performance.timeOrigin (the marks' zero)
 * @typedef {{type: "failed", message: string}} FailedMessage  loading failed: nothing will work
 * @typedef {ProgressMessage | ReadyMessage | FailedMessage} OutMessage
 *
 * What comes back on a call's port: its answer (the JSON or CSV text, or a file's bytes), its
 * failure, or (before the answer of an aggregate) how many files are summarised so far.
 * @typedef {{type: "done", text: string}} DoneReply
 * @typedef {{type: "bytes", bytes: Uint8Array}} BytesReply
 * @typedef {{type: "error", message: string}} ErrorReply
 * @typedef {{type: "read", read: number, total: number}} ReadReply
 * @typedef {{type: "unpacked", text: string, files: Map<string, Uint8Array>}} FilesReply
 *   a package opened: its document's JSON text and its files' bytes by SHA-256
 * @typedef {DoneReply | BytesReply | ErrorReply | ReadReply | FilesReply} Reply
 */

// No static import: a module's imports load before its first line runs, and Python's download
// starts on that line. What the summary's files need is asked for at once and awaited there.
const helpers = Promise.all([import("../lib/files.mjs"), import("../lib/messages.mjs")]);
helpers.catch(() => {}); // awaited by readEntry; no unhandled rejection meanwhile

const RUNTIME = new URLSearchParams(self.name);
/** Pyodide's folder and the scoring_py wheel (absolute URLs). */
const PYODIDE = RUNTIME.get("pyodide");
const WHEEL = RUNTIME.get("wheel");
/** XlsxWriter's wheel (absolute URL), fetched for the first workbook only. */
const XLSXWRITER = RUNTIME.get("xlsxwriter");
/** The standard library compiled at build time (absolute URL) and the minimal lock file's
 * text (generator/stdlib.py): Pyodide fetches neither the npm archive nor the full lock. */
const STDLIB = RUNTIME.get("stdlib");
const LOCK = RUNTIME.get("lock");
/** The page's rubric: its canonical JSON (absolute URL). */
const RUBRIC = RUNTIME.get("rubric");
/** The npm package's full standard library (sources), fetched only for a module the compiled
 * one leaves out (generator/source_library.py). */
const SOURCE = RUNTIME.get("source");

const STEPS = 4;
/** Files read ahead by "aggregate" while Python scores the one before: keeps the disk busy. */
const READ_AHEAD = 8;
/** Most milliseconds between two progress reports of "aggregate". */
const REPORT_MS = 100;

let api = null;
/** The running Pyodide, once loaded. */
let pyodideRuntime = null;
/**
 * What the pages share with scoring_py (api.contract, the page's #td-contract): the file limit
 * and its refusal. Read once Python is up.
 * @type {import("../lib/contract.mjs").Contract}
 */
let limits = null;
let rubricText = null;
let ready = null;
/** The summary page's last files (a scoring_py.api.SummaryBatch), for "choose". */
let batch = null;
/** Stores the snapshot taken while starting (see start()); null once done or if none. */
let keepSnapshot = null;
const SNAPSHOT_DELAY_MS = 3000;

function storeSnapshot() {
  const keep = keepSnapshot;
  keepSnapshot = null;
  keep?.();
}

/** @param {OutMessage} message */
function post(message) {
  self.postMessage(message);
}

function progress(step, text) {
  post({ type: "progress", step, steps: STEPS, text });
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`không tải được ${what} (${error.message})`, { cause: error });
  }
  if (!response.ok) throw new Error(`không tải được ${what} (HTTP ${response.status})`);
  return response;
}

/** A runtime file could not be downloaded. */
class DownloadError extends Error {}

// loadPyodide() only logs a failed download of its own files (e.g. pyodide.asm.wasm) and then
// never settles. While it runs, fetch() is watched: a failed or refused download of a runtime
// file rejects at once, so that the page can say what went wrong.
async function watchingDownloads(load) {
  const realFetch = self.fetch;
  let rejectLoad;
  const failed = new Promise((_, reject) => {
    rejectLoad = reject;
  });
  const nameOf = (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
    return decodeURIComponent(url.pathname.split("/").pop());
  };
  self.fetch = async (input, init) => {
    let response;
    try {
      response = await realFetch(input, init);
    } catch (error) {
      rejectLoad(new DownloadError(`không tải được tệp ${nameOf(input)} (${error.message})`));
      throw error;
    }
    if (!response.ok) {
      rejectLoad(
        new DownloadError(`không tải được tệp ${nameOf(input)} (HTTP ${response.status})`),
      );
    }
    return response;
  };
  try {
    return await Promise.race([load(), failed]);
  } finally {
    self.fetch = realFetch;
  }
}

// Pyodide only logs a refused WebAssembly compilation (e.g. a host's Content-Security-Policy
// header without 'wasm-unsafe-eval') and then never settles: try the smallest module first.
const EMPTY_WASM_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

async function canCompileWasm() {
  try {
    await WebAssembly.compile(EMPTY_WASM_MODULE);
  } catch (error) {
    throw new Error(
      `trình duyệt hoặc máy chủ của trang không cho chạy WebAssembly (${describe(error)})`,
      { cause: error },
    );
  }
}

/** Pyodide, started afresh (`options` {_makeSnapshot: true}) or from a snapshot. */
async function loadPython(pyodideModule, options) {
  return watchingDownloads(async () => {
    const { loadPyodide } = await pyodideModule;
    return loadPyodide({
      indexURL: PYODIDE,
      packageBaseUrl: PYODIDE,
      stdLibURL: STDLIB,
      lockFileContents: LOCK,
      stdout: () => {},
      stderr: () => {},
      ...options,
    });
  });
}

/**
 * Where the wheel is written in Python's file system. A wheel is a zip file: Python imports
 * the package from it (zipimport) once the file is on sys.path, with nothing to unpack and no
 * import cache to refresh. The same path before and after a snapshot: the restored sys.path
 * holds it.
 */
const WHEEL_FILE = "/lib/thangdiem/scoring_py.whl";

/** XlsxWriter's wheel in Python's file system, imported from there as scoring_py's. */
const XLSXWRITER_FILE = "/lib/thangdiem/xlsxwriter.whl";

/**
 * Put a wheel where Python imports it from (also after a snapshot: files are not in it).
 * @param {any} pyodide
 * @param {Uint8Array} archive
 */
function install(pyodide, archive, file = WHEEL_FILE) {
  pyodide.FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
  pyodide.FS.writeFile(file, archive);
  const path = JSON.stringify(file); // also a Python string literal
  pyodide.runPython(`import sys\nif ${path} not in sys.path: sys.path.insert(0, ${path})`);
}

/** Where the full standard library is written in Python's file system, once fetched. */
const SOURCE_FILE = "/lib/thangdiem/python_stdlib_source.zip";

/**
 * Let Python import a module the compiled standard library leaves out: the archive's finder
 * (`_thangdiem_stdlib`, last on sys.meta_path) calls back here once, for the first such module.
 * Python's import is synchronous, so the archive is fetched synchronously (a worker may block).
 * @param {any} pyodide
 */
function installSourceLibrary(pyodide) {
  /** @param {string} module the first module asked for (named in the address, for the logs) */
  const fetchSource = (module) => {
    const request = new XMLHttpRequest();
    request.open("GET", `${SOURCE}?for=${encodeURIComponent(module)}`, false);
    request.responseType = "arraybuffer";
    request.send();
    if (request.status !== 200) {
      throw new Error(`không tải được thư viện chuẩn đầy đủ của Python (HTTP ${request.status})`);
    }
    pyodide.FS.writeFile(SOURCE_FILE, new Uint8Array(request.response));
    return SOURCE_FILE;
  };
  pyodide.pyimport("_thangdiem_stdlib").install(fetchSource);
}

/** @type {Promise<void> | null} */
let xlsxwriter = null;

/** XlsxWriter, fetched and installed once, when the first workbook is asked for (a failed
 * download is tried again on the next request). */
function loadXlsxWriter() {
  xlsxwriter ??= fetchOk(XLSXWRITER, "thư viện XlsxWriter")
    .then((response) => response.arrayBuffer())
    .then((buffer) => install(pyodideRuntime, new Uint8Array(buffer), XLSXWRITER_FILE));
  xlsxwriter.catch(() => {
    xlsxwriter = null;
  });
  return xlsxwriter;
}

const started = performance.mark("thangdiem:start").startTime;

/** Mark the end of a loading step on this worker's timeline (sent in "ready"). */
function mark(step) {
  performance.mark(`thangdiem:${step}`);
}

/** Read and check the rubric's text in Python; it stays parsed there (api.load_rubric). */
function readRubric(api, text) {
  const check = JSON.parse(api.check_rubric(text));
  if (!check.ok) throw new Error(`thang điểm không hợp lệ: ${check.error.message}`);
}

/**
 * Python with scoring_py imported and the rubric read: {pyodide, api, restored, rubric}. Begun
 * when this module runs: Pyodide's module, the wheel, the rubric and a stored snapshot are all
 * asked for at once.
 */
async function loadScoring() {
  progress(1, "Đang tải Python (Pyodide) từ trang này…");
  const pyodideModule = import(new URL("pyodide.mjs", PYODIDE).href);
  const archiveLoad = fetchOk(WHEEL, "mô-đun chấm điểm")
    .then((r) => r.arrayBuffer())
    .then((buffer) => new Uint8Array(buffer));
  const rubricLoad = fetchOk(RUBRIC, "thang điểm").then((r) => r.text());
  for (const load of [pyodideModule, archiveLoad, rubricLoad]) load.catch(() => {}); // awaited below
  // The standard library's address names Pyodide's version and the digest of its bytes.
  const { Snapshots } = await import("./snapshot.mjs");
  const snapshots = new Snapshots(STDLIB, WHEEL);
  const stored = snapshots.find(archiveLoad, rubricLoad);
  await canCompileWasm();
  const found = await stored;
  if (found) {
    try {
      const pyodide = await loadPython(pyodideModule, { _loadSnapshot: found });
      mark("python");
      install(pyodide, await archiveLoad);
      installSourceLibrary(pyodide);
      const api = pyodide.pyimport("scoring_py.api");
      mark("imported");
      const rubric = await rubricLoad;
      readRubric(api, rubric); // already parsed in the snapshot: found in load_rubric's cache
      mark("rubric");
      return { pyodide, api, restored: true, rubric };
    } catch (error) {
      if (error instanceof DownloadError) throw error; // starting afresh would fail the same way
      await snapshots.forget(); // a damaged or foreign snapshot: start the long way
    }
  }
  const pyodide = await loadPython(pyodideModule, { _makeSnapshot: true });
  mark("python");
  progress(2, "Đang cài mô-đun chấm điểm…");
  const archive = await archiveLoad;
  install(pyodide, archive);
  const api = pyodide.pyimport("scoring_py.api");
  mark("imported");
  progress(3, "Đang tải thang điểm…");
  const rubric = await rubricLoad;
  readRubric(api, rubric);
  mark("rubric");
  // Taken now, with the rubric read but before any user text reaches Python; stored once the
  // page has its first score (storing takes the worker's thread for a while), or soon anyway.
  const snapshot = pyodide.makeMemorySnapshot();
  installSourceLibrary(pyodide); // after the snapshot: it holds a JavaScript function
  keepSnapshot = () => snapshots.keep(archive, rubric, snapshot);
  setTimeout(storeSnapshot, SNAPSHOT_DELAY_MS);
  mark("snapshot");
  return { pyodide, api, restored: false, rubric };
}

const loading = loadScoring();
loading.catch(() => {}); // reported by start(), once the page has asked

async function start() {
  const loaded = await loading;
  api = loaded.api;
  pyodideRuntime = loaded.pyodide;
  limits = JSON.parse(api.contract());
  rubricText = loaded.rubric;
  progress(4, "Bộ chấm điểm đã sẵn sàng.");
  const python = loaded.pyodide.runPython("import sys; sys.version.split()[0]");
  const seconds = (performance.now() - started) / 1000;
  const marks = performance
    .getEntriesByType("mark")
    .filter((entry) => entry.name.startsWith("thangdiem:"))
    .map(({ name, startTime }) => ({ name, startTime }));
  return { python, seconds, restored: loaded.restored, marks, timeOrigin: performance.timeOrigin };
}

function describe(error) {
  return error && error.message ? error.message : String(error);
}

/** One chosen file as an entry of api.aggregate: {name, text}, or {name, error} if unread. */
async function readEntry(file) {
  const [{ decodeText }, { UNREADABLE_ENTRY }] = await helpers;
  const name = file.name;
  if (file.size > limits.max_file_bytes) {
    return { name, error: { code: "too_large", message: limits.messages.too_large } };
  }
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch {
    return { name, error: { code: "unreadable", message: UNREADABLE_ENTRY } };
  }
  // Decoded as `thangdiem aggregate` decodes a file (files.mjs): bytes that are not such
  // text are refused, never replaced as File.text() would.
  try {
    return { name, text: decodeText(new Uint8Array(bytes)) };
  } catch (error) {
    return { name, error: { code: "not_json", message: error.message } };
  }
}

/**
 * The files of one aggregate call, as their chunks arrive on its port: `take(index)` resolves
 * once file `index` has arrived.
 * @param {MessagePort} port
 */
function arrivals(port) {
  /** @type {File[]} */
  const files = [];
  /** @type {[number, (file: File | Promise<File>) => void][]} */
  let waiting = [];
  port.onmessage = (/** @type {MessageEvent<FilesMessage>} */ { data }) => {
    files.push(...data.files);
    const due = waiting;
    waiting = [];
    for (const [index, resolve] of due) resolve(take(index));
  };
  /** @returns {Promise<File>} */
  const take = (index) =>
    index < files.length
      ? Promise.resolve(files[index])
      : new Promise((resolve) => waiting.push([index, resolve]));
  return { take };
}

/**
 * Summarise files one at a time: each file's text goes to Python alone and is dropped once
 * scored, so many large files never make one huge string (Python bounds their total).
 */
async function aggregate({ total, from = 0, answer = "page", rubric = null }, port) {
  const files = arrivals(port);
  try {
    batch?.destroy();
    batch = null;
    const next = api.open_batch(rubric ?? rubricText);
    next.at(from);
    const reads = new Map();
    const readAhead = (index) => {
      if (index < total && !reads.has(index)) reads.set(index, files.take(index).then(readEntry));
    };
    let reported = 0;
    for (let index = 0; index < total; index++) {
      for (let ahead = index; ahead < index + READ_AHEAD; ahead++) readAhead(ahead);
      const entry = await reads.get(index);
      reads.delete(index);
      if (entry.error) next.refuse(entry.name, entry.error.code, entry.error.message);
      else next.add(entry.name, entry.text);
      const now = performance.now();
      if (now - reported > REPORT_MS || index + 1 === total) {
        reported = now;
        /** @type {ReadReply} */
        const read = { type: "read", read: index + 1, total };
        port.postMessage(read);
      }
    }
    if (answer === "part") {
      const part = next.export();
      next.destroy();
      return part;
    }
    batch = next;
    return answer === "page" ? batch.page("[]") : "";
  } finally {
    port.onmessage = null;
  }
}

/** The batch of the last summary, kept for "choose", "csv" and "adopt". */
function held() {
  if (!batch) throw new Error("chưa có tệp nào được tổng hợp");
  return batch;
}

function choose({ prefer }) {
  return held().page(JSON.stringify(prefer));
}

/** The CSV of the last summary, with the reader's choices of files. */
function csv({ prefer }) {
  return held().csv(JSON.stringify(prefer));
}

/** The Excel workbook of the last summary, with the reader's choices of files. */
async function xlsx({ prefer }) {
  const whole = held();
  await loadXlsxWriter();
  const proxy = whole.xlsx(JSON.stringify(prefer));
  try {
    return /** @type {Uint8Array} */ (proxy.toJs());
  } finally {
    proxy.destroy();
  }
}

/** Take in the other worker's half of the files ("part" of its aggregate), then answer. */
function adopt({ part }) {
  const whole = held();
  whole.adopt(part);
  return whole.page("[]");
}

/**
 * A document's package: its JSON text with its files' bytes, written by scoring_py.
 * @returns {Uint8Array}
 */
function pack({ document: text, files }) {
  const buffers = pyodideRuntime.toPy(files ?? new Map());
  try {
    const answer = api.pack(rubricText, text, buffers);
    if (typeof answer === "string") throw new Error(JSON.parse(answer).error.message);
    try {
      return /** @type {Uint8Array} */ (answer.toJs());
    } finally {
      answer.destroy();
    }
  } finally {
    buffers.destroy();
  }
}

/**
 * A package opened and checked by scoring_py: {text, files} (a FilesReply's).
 * @returns {Promise<{text: string, files: Map<string, Uint8Array>}>}
 */
async function unpack({ package: file }) {
  if (!file || file.size > limits.attachments.max_package_bytes) {
    throw new Error(`gói hồ sơ lớn quá ${limits.attachments.max_package_bytes / 1048576} MB`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const answer = api.unpack(bytes);
  try {
    const [text, files] = /** @type {[string, Map<string, Uint8Array>]} */ (
      answer.toJs({ dict_converter: (entries) => new Map(entries) })
    );
    const reply = JSON.parse(text);
    if (!reply.ok) throw new Error(reply.error.message);
    return { text: reply.document, files };
  } finally {
    answer.destroy();
  }
}

/** scoring_py.api's function for each call that takes a document. */
const DOCUMENT_CALLS = { score: "score", validate: "validate_document", carry: "carry_document" };

/**
 * One call's answer text. Every call waits for Python (and fails if the page has not asked
 * for it yet).
 * @param {CallMessage} message
 * @param {MessagePort} port
 */
async function call({ fn, args }, port) {
  if (!ready) throw new Error("bộ chấm điểm chưa được khởi động");
  await ready;
  if (Object.hasOwn(DOCUMENT_CALLS, fn)) {
    const text = api[DOCUMENT_CALLS[fn]](args.rubric ?? rubricText, args.document);
    if (fn === "score") storeSnapshot();
    return text;
  }
  const calls = { aggregate, adopt, choose, csv, xlsx, pack, unpack };
  if (!Object.hasOwn(calls, fn)) throw new Error(`không có yêu cầu ${fn}`);
  return calls[fn](args, port);
}

self.addEventListener("message", async (/** @type {MessageEvent<InMessage>} */ event) => {
  const message = event.data;
  if (message.type === "init") {
    if (ready) return;
    ready = start();
    try {
      const info = await ready;
      post({ type: "ready", ...info });
    } catch (error) {
      post({ type: "failed", message: describe(error) });
    }
    return;
  }
  if (message.type !== "call") return;
  const [port] = event.ports;
  /** @type {Reply} */
  let reply;
  try {
    const answer = await call(message, port);
    reply =
      answer instanceof Uint8Array
        ? { type: "bytes", bytes: answer }
        : typeof answer === "string"
          ? { type: "done", text: answer }
          : { type: "unpacked", text: answer.text, files: answer.files };
  } catch (error) {
    reply = { type: "error", message: describe(error) };
  }
  const moved =
    reply.type === "bytes"
      ? [reply.bytes.buffer]
      : reply.type === "unpacked"
        ? [...reply.files.values()].map((bytes) => bytes.buffer)
        : [];
  port.postMessage(reply, moved);
});
