// Module Web Worker (started with {type: "module"}): runs scoring_py in Pyodide.
//
// Everything comes from this site: Pyodide's files (assets/pyodide/<version>/, copied from the
// pinned npm package at build time), the scoring_py wheel (imported from the wheel file itself,
// without micropip) and the rubric's canonical JSON. Python starts loading as soon as this
// module runs (its name says where from: "pyodide=…&wheel=…", absolute URLs given by
// scorer.mjs); the page's "init" message only brings the rubric's address, which is needed
// once Python is up. Python's memory once scoring_py is imported is
// kept in the browser (snapshot.mjs): the next visits restore it instead of starting afresh.
//
// Messages in:  {type: "init", rubric}                   the rubric's absolute URL
//               {type: "score", seq, document, rubric}   JSON texts; rubric null: the page's
//               {type: "validate", seq, document}        a document's JSON text (a user's file)
//               {type: "carry", seq, document}           the same, maybe of another version of
//                                                        the rubric: api.carry_document
//               {type: "aggregate", seq, total}          the summary page's files: `total` File
//                                                        objects follow in "files" messages;
//                                                        each is read here and handed to Python
//                                                        alone (api.open_batch); answers page()
//                                                        `from`: the first file's place among
//                                                        all (default 0); `answer`: "page"
//                                                        (default), "part" (the scored files,
//                                                        for the other worker) or "hold" ("")
//               {type: "files", seq, files}              the next chunk of a call's files
//               {type: "adopt", seq, part}               the other worker's "part": merged
//                                                        into the held batch; answers page()
//               {type: "csv", seq, prefer}               the last summary's CSV text
//               {type: "choose", seq, prefer}            the last files again, with these file
//                                                        names chosen to count for their units
// Messages out: {type: "progress", step, steps, text}
//               {type: "ready", python, seconds, restored, timings}
//                                                        restored: from the snapshot; timings:
//                                                        when each loading step ended (ms since
//                                                        the epoch), for measurements
//               {type: "failed", message}                 loading failed; nothing will work
//               {type: "scored", seq, text}               scoring_py.api.score's JSON text
//               {type: "validated", seq, text}            api.validate_document's or
//                                                        api.carry_document's JSON text
//               {type: "aggregating", seq, read, total}   files summarised so far
//               {type: "aggregated", seq, text}           the batch's page() JSON text
//               {type: "error", seq, message}             that one call failed

import { MAX_FILE_BYTES, decodeText } from "../lib/files.mjs";
import { Snapshots } from "./snapshot.mjs";

const RUNTIME = new URLSearchParams(self.name);
/** Pyodide's folder and the scoring_py wheel (absolute URLs). */
const PYODIDE = RUNTIME.get("pyodide");
const WHEEL = RUNTIME.get("wheel");

const STEPS = 4;
/** Files read ahead by "aggregate" while Python scores the one before: keeps the disk busy. */
const READ_AHEAD = 8;
/** Most milliseconds between two progress reports of "aggregate". */
const REPORT_MS = 100;

let api = null;
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

function progress(step, text) {
  self.postMessage({ type: "progress", step, steps: STEPS, text });
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`không tải được ${what} (${error.message})`);
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

/** Put the wheel where Python imports it from (also after a snapshot: files are not in it). */
function install(pyodide, archive) {
  pyodide.FS.mkdirTree(WHEEL_FILE.slice(0, WHEEL_FILE.lastIndexOf("/")));
  pyodide.FS.writeFile(WHEEL_FILE, archive);
  const path = JSON.stringify(WHEEL_FILE); // also a Python string literal
  pyodide.runPython(`import sys\nif ${path} not in sys.path: sys.path.insert(0, ${path})`);
}

const started = performance.now();
/** When each loading step ended, in milliseconds since the epoch (see `ready`). */
const timings = { start: performance.timeOrigin + started };

function mark(step) {
  timings[step] = performance.timeOrigin + performance.now();
}

/**
 * Python with scoring_py imported: {pyodide, api, restored}. Begun when this module runs:
 * Pyodide's module, the wheel and a stored snapshot are all asked for at once.
 */
async function loadScoring() {
  progress(1, "Đang tải Python (Pyodide) từ trang này…");
  const pyodideModule = import(new URL("pyodide.mjs", PYODIDE).href);
  const archiveLoad = fetchOk(WHEEL, "mô-đun chấm điểm")
    .then((r) => r.arrayBuffer())
    .then((buffer) => new Uint8Array(buffer));
  pyodideModule.catch(() => {}); // awaited in loadPython; no unhandled rejection meanwhile
  archiveLoad.catch(() => {});
  const snapshots = new Snapshots(PYODIDE, WHEEL);
  const stored = snapshots.find(archiveLoad);
  await canCompileWasm();
  const found = await stored;
  if (found) {
    try {
      const pyodide = await loadPython(pyodideModule, { _loadSnapshot: found });
      mark("python");
      install(pyodide, await archiveLoad);
      mark("imported");
      return { pyodide, api: pyodide.pyimport("scoring_py.api"), restored: true };
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
  // Taken now, before any rubric or user text reaches Python; stored once the page has its
  // first score (storing takes the worker's thread for a while), or soon anyway.
  const snapshot = pyodide.makeMemorySnapshot();
  keepSnapshot = () => snapshots.keep(archive, snapshot);
  setTimeout(storeSnapshot, SNAPSHOT_DELAY_MS);
  mark("snapshot");
  return { pyodide, api, restored: false };
}

const loading = loadScoring();
loading.catch(() => {}); // reported by start(), once the page has asked

async function start({ rubric }) {
  const rubricLoad = fetchOk(rubric, "thang điểm").then((r) => r.text());
  rubricLoad.catch(() => {}); // awaited below, after Python; no unhandled rejection meanwhile
  const loaded = await loading;
  api = loaded.api;
  progress(3, "Đang tải thang điểm…");
  rubricText = await rubricLoad;
  const check = JSON.parse(api.check_rubric(rubricText));
  if (!check.ok) throw new Error(`thang điểm không hợp lệ: ${check.error.message}`);
  mark("rubric");
  progress(4, "Bộ chấm điểm đã sẵn sàng.");
  const python = loaded.pyodide.runPython("import sys; sys.version.split()[0]");
  const seconds = (performance.now() - started) / 1000;
  return { python, seconds, restored: loaded.restored, timings };
}

function describe(error) {
  return error && error.message ? error.message : String(error);
}

/** One chosen file as an entry of api.aggregate: {name, text}, or {name, error} if unread. */
async function readEntry(file) {
  const name = file.name;
  if (file.size > MAX_FILE_BYTES) {
    const message = `Tệp lớn quá ${MAX_FILE_BYTES / 1024 / 1024} MB.`;
    return { name, error: { code: "too_large", message } };
  }
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch {
    const message = "Không đọc được tệp (tệp đã bị xóa, di chuyển, hoặc là một thư mục).";
    return { name, error: { code: "unreadable", message } };
  }
  // Decoded as `thangdiem aggregate` decodes a file (files.mjs): bytes that are not such
  // text are refused, never replaced as File.text() would.
  try {
    return { name, text: decodeText(new Uint8Array(bytes)) };
  } catch (error) {
    return { name, error: { code: "not_json", message: error.message } };
  }
}

/** Files of "aggregate" calls, as their chunks arrive ("files" messages), by call. */
const incoming = new Map();

/** The files of one call: `take(index)` resolves once file `index` has arrived. */
function arrivals(seq) {
  if (!incoming.has(seq)) {
    const state = { files: [], waiting: [] };
    state.take = (index) =>
      index < state.files.length
        ? Promise.resolve(state.files[index])
        : new Promise((resolve) => state.waiting.push([index, resolve]));
    incoming.set(seq, state);
  }
  return incoming.get(seq);
}

function receiveFiles({ seq, files }) {
  const state = arrivals(seq);
  state.files.push(...files);
  const waiting = state.waiting;
  state.waiting = [];
  for (const [index, resolve] of waiting) resolve(state.take(index));
}

/**
 * Summarise files one at a time: each file's text goes to Python alone and is dropped once
 * scored, so many large files never make one huge string (Python bounds their total).
 */
async function aggregate({ seq, total, from = 0, answer = "page" }) {
  const files = arrivals(seq);
  try {
    if (!ready) throw new Error("bộ chấm điểm chưa được khởi động");
    await ready;
    batch?.destroy();
    batch = null;
    const next = api.open_batch(rubricText);
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
        self.postMessage({ type: "aggregating", seq, read: index + 1, total });
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
    incoming.delete(seq);
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

/** Take in the other worker's half of the files ("part" of its aggregate), then answer. */
function adopt({ part }) {
  const whole = held();
  whole.adopt(part);
  return whole.page("[]");
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === "init") {
    if (ready) return;
    ready = start(message);
    try {
      const info = await ready;
      self.postMessage({ type: "ready", ...info });
    } catch (error) {
      self.postMessage({ type: "failed", message: describe(error) });
    }
    return;
  }
  if (message.type === "files") {
    receiveFiles(message);
    return;
  }
  if (["aggregate", "choose", "adopt", "csv"].includes(message.type)) {
    try {
      const calls = { aggregate, choose, adopt, csv };
      const text = await calls[message.type](message);
      self.postMessage({ type: "aggregated", seq: message.seq, text });
    } catch (error) {
      self.postMessage({ type: "error", seq: message.seq, message: describe(error) });
    }
    return;
  }
  if (["score", "validate", "carry"].includes(message.type)) {
    try {
      if (!ready) throw new Error("bộ chấm điểm chưa được khởi động");
      await ready;
      if (message.type === "score") {
        const text = api.score(message.rubric ?? rubricText, message.document);
        self.postMessage({ type: "scored", seq: message.seq, text });
        storeSnapshot();
      } else {
        const check = message.type === "carry" ? api.carry_document : api.validate_document;
        const text = check(rubricText, message.document);
        self.postMessage({ type: "validated", seq: message.seq, text });
      }
    } catch (error) {
      self.postMessage({ type: "error", seq: message.seq, message: describe(error) });
    }
  }
});
