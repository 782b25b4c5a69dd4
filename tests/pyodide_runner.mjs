// Run scoring_py.api calls inside real Pyodide (CPython compiled to WebAssembly) under Node.js.
//
// Usage: node tests/pyodide_runner.mjs IN.json OUT.json RUNTIME_DIR XLSXWRITER.whl [STDLIB.zip]
//   IN.json:  {"calls": [{"fn": "score"|"validate_document"|"template"|"aggregate"|…, "args": [str, ...]}]}
//   OUT.json: {"python": sys.version, "results": [str, ...], "stdlib": [str, ...]}, one result
//             per call; "stdlib" names every module imported from the standard library's archive.
//   RUNTIME_DIR: the site's runtime (generator/stdlib.py): its python_stdlib.zip replaces the
//             npm package's, its lock.json the full lock file, and scoring_py is imported from
//             its wheel, as the site's worker does.
//   XLSXWRITER.whl: XlsxWriter's wheel, put on sys.path as the summary page's worker does.
//   STDLIB.zip: another standard library's archive in the place of the runtime's: the npm
//             package's whole one, to derive the list of modules the runtime compiles.
//
// A call's "fn" names a function of scoring_py.api, or of tests/pyodide_calls.py's CALLS.
// Each result is what the function returned. An exception escaping it is recorded as
// "!exception <Type>: <message>" (formatted in Python, exactly as tests/test_pyodide.py does on
// CPython). If Pyodide itself dies during a call (a fatal error, e.g. a stack overflow in
// WebAssembly), the result is "!fatal <message>" and a fresh Pyodide runs the remaining calls.
// Pyodide is loaded from node_modules, without network.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

const EXTRA_CALLS = path.resolve(HERE, "pyodide_calls.py");

const PRELUDE = `
import json

import scoring_py.api as _api
import pyodide_calls as _extra

with open("/tmp/thangdiem_calls.json", encoding="utf-8") as _f:
    _CALLS = json.load(_f)["calls"]


def _run_call(index):
    call = _CALLS[index]
    try:
        function = _extra.CALLS.get(call["fn"]) or getattr(_api, call["fn"])
        result = function(*call["args"])
    except Exception as exc:
        result = f"!exception {type(exc).__name__}: {exc}"
    return json.dumps(result)  # ASCII-only JSON string literal
`;

function fail(message) {
  process.stderr.write(`pyodide_runner: ${message}\n`);
  process.exit(1);
}

const STDLIB_MODULES = `
import json as _json, sys as _sys
_zip = next(p for p in _sys.path if p.endswith(".zip")) + "/"
_json.dumps(sorted(
    name for name, module in list(_sys.modules.items())
    if str(getattr(getattr(module, "__spec__", None), "origin", None)).startswith(_zip)
))
`;

/** Put XlsxWriter's wheel and tests/pyodide_calls.py where Python imports them from. */
function installExtras(py, xlsxwriter) {
  py.FS.mkdirTree("/lib/thangdiem");
  py.FS.writeFile("/lib/thangdiem/xlsxwriter.whl", fs.readFileSync(xlsxwriter));
  py.FS.mkdirTree("/lib/thangdiem/calls");
  py.FS.writeFile("/lib/thangdiem/calls/pyodide_calls.py", fs.readFileSync(EXTRA_CALLS));
  py.runPython(
    "import sys; sys.path[:0] = ['/lib/thangdiem/xlsxwriter.whl', '/lib/thangdiem/calls']",
  );
}

async function startPyodide(loadPyodide, input, runtime, xlsxwriter, stdlibZip) {
  const py = await loadPyodide({
    stdLibURL: stdlibZip ?? path.join(runtime, "python_stdlib.zip"),
    lockFileContents: fs.readFileSync(path.join(runtime, "lock.json"), "utf8"),
  });
  const wheel = fs.readdirSync(runtime).find((name) => name.endsWith(".whl"));
  if (!wheel) fail(`no wheel in ${runtime}`);
  py.FS.mkdirTree("/lib/thangdiem");
  py.FS.writeFile("/lib/thangdiem/scoring_py.whl", fs.readFileSync(path.join(runtime, wheel)));
  py.runPython("import sys; sys.path.insert(0, '/lib/thangdiem/scoring_py.whl')");
  installExtras(py, xlsxwriter);
  py.FS.writeFile("/tmp/thangdiem_calls.json", input);
  py.runPython(PRELUDE);
  return py;
}

async function main() {
  const [inPath, outPath, runtime, xlsxwriter, stdlibZip] = process.argv.slice(2);
  if (!inPath || !outPath || !runtime || !xlsxwriter) {
    fail("usage: node tests/pyodide_runner.mjs IN.json OUT.json RUNTIME_DIR XLSXWRITER.whl [STDLIB.zip]");
  }
  let loadPyodide;
  try {
    ({ loadPyodide } = await import("pyodide"));
  } catch (err) {
    fail(`cannot import the npm package pyodide (run npm install): ${err.message}`);
  }
  let input;
  let calls;
  try {
    input = fs.readFileSync(inPath);
    calls = JSON.parse(input.toString("utf8")).calls;
  } catch (err) {
    fail(`cannot read ${inPath}: ${err.message}`);
  }
  if (!Array.isArray(calls)) fail(`${inPath} has no "calls" list`);

  let py = await startPyodide(loadPyodide, input, runtime, xlsxwriter, stdlibZip);
  const version = py.runPython("import sys; sys.version");
  const results = [];
  const stdlib = new Set();
  const used = () => JSON.parse(py.runPython(STDLIB_MODULES)).forEach((name) => stdlib.add(name));
  for (let index = 0; index < calls.length; index++) {
    try {
      results.push(py.globals.get("_run_call")(index));
    } catch (err) {
      const first = String(err && err.message ? err.message : err).split("\n")[0];
      process.stderr.write(`pyodide_runner: call ${index} killed Pyodide (${first}); restarting\n`);
      results.push(JSON.stringify(`!fatal ${first}`));
      try {
        used();
      } catch {
        // this Pyodide is dead: its modules are those of the calls before, already counted
      }
      py = await startPyodide(loadPyodide, input, runtime, xlsxwriter, stdlibZip);
    }
  }
  used();
  const modules = JSON.stringify([...stdlib].sort());
  const out = `{"python":${JSON.stringify(version)},"results":[${results.join(",")}],"stdlib":${modules}}\n`;
  fs.writeFileSync(outPath, out, "utf8");
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
