// Module Web Worker (started with {type: "module"}): runs scoring_py in Pyodide.
//
// Everything comes from this site: Pyodide's files (assets/pyodide/<version>/, copied from the
// pinned npm package at build time), the scoring_py wheel (unpacked into site-packages without
// micropip) and the rubric's canonical JSON.
//
// Messages in:  {type: "init", runtime, wheel, rubric}   absolute URLs
//               {type: "score", seq, document, rubric}   JSON texts; rubric null: the page's
//               {type: "validate", seq, document}        a document's JSON text (a user's file)
//               {type: "aggregate", seq, files}          File objects (the summary page): read
//                                                        here, then scoring_py.api.aggregate
// Messages out: {type: "progress", step, steps, text}
//               {type: "ready", python, seconds}
//               {type: "failed", message}                 loading failed; nothing will work
//               {type: "scored", seq, text}               scoring_py.api.score's JSON text
//               {type: "validated", seq, text}            api.validate_document's JSON text
//               {type: "aggregating", seq, read, total}   files read so far (after each batch)
//               {type: "aggregated", seq, text}           api.aggregate's JSON text
//               {type: "error", seq, message}             that one call failed

import { MAX_FILE_BYTES, decodeText } from "./files.mjs";

const STEPS = 4;
/** Files read at once by "aggregate": enough to keep the disk busy, few enough to report often. */
const READ_BATCH = 25;

let api = null;
let rubricText = null;
let ready = null;

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
      rejectLoad(new Error(`không tải được tệp ${nameOf(input)} (${error.message})`));
      throw error;
    }
    if (!response.ok) {
      rejectLoad(new Error(`không tải được tệp ${nameOf(input)} (HTTP ${response.status})`));
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

async function start({ runtime, wheel, rubric }) {
  const started = performance.now();
  progress(1, "Đang tải Python (Pyodide) từ trang này…");
  // The wheel and the rubric download while Pyodide loads.
  const archiveLoad = fetchOk(wheel, "mô-đun chấm điểm").then((r) => r.arrayBuffer());
  const rubricLoad = fetchOk(rubric, "thang điểm").then((r) => r.text());
  archiveLoad.catch(() => {}); // awaited below, after Pyodide; no unhandled rejection meanwhile
  rubricLoad.catch(() => {});
  await canCompileWasm();
  const pyodide = await watchingDownloads(async () => {
    const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
    return loadPyodide({
      indexURL: runtime,
      packageBaseUrl: runtime,
      stdout: () => {},
      stderr: () => {},
    });
  });
  progress(2, "Đang cài mô-đun chấm điểm…");
  const archive = await archiveLoad;
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(archive, "wheel", { extractDir: sitePackages });
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  api = pyodide.pyimport("scoring_py.api");
  progress(3, "Đang tải thang điểm…");
  rubricText = await rubricLoad;
  const check = JSON.parse(api.template(rubricText));
  if (!check.ok) throw new Error(`thang điểm không hợp lệ: ${check.error.message}`);
  progress(4, "Bộ chấm điểm đã sẵn sàng.");
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  return { python, seconds: (performance.now() - started) / 1000 };
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

async function aggregate({ seq, files }) {
  const entries = [];
  for (let start = 0; start < files.length; start += READ_BATCH) {
    const batch = files.slice(start, start + READ_BATCH);
    entries.push(...(await Promise.all(batch.map(readEntry))));
    self.postMessage({ type: "aggregating", seq, read: entries.length, total: files.length });
  }
  if (!ready) throw new Error("bộ chấm điểm chưa được khởi động");
  await ready;
  return api.aggregate(rubricText, JSON.stringify(entries));
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
  if (message.type === "aggregate") {
    try {
      const text = await aggregate(message);
      self.postMessage({ type: "aggregated", seq: message.seq, text });
    } catch (error) {
      self.postMessage({ type: "error", seq: message.seq, message: describe(error) });
    }
    return;
  }
  if (message.type === "score" || message.type === "validate") {
    try {
      if (!ready) throw new Error("bộ chấm điểm chưa được khởi động");
      await ready;
      if (message.type === "score") {
        const text = api.score(message.rubric ?? rubricText, message.document);
        self.postMessage({ type: "scored", seq: message.seq, text });
      } else {
        const text = api.validate_document(rubricText, message.document);
        self.postMessage({ type: "validated", seq: message.seq, text });
      }
    } catch (error) {
      self.postMessage({ type: "error", seq: message.seq, message: describe(error) });
    }
  }
});
