// Write a summary's Excel workbook inside real Pyodide under Node.js, as the summary page's
// worker does: scoring_py's sources and XlsxWriter's wheel (imported from the zip itself).
//
// Usage: node tests/pyodide_workbook.mjs XLSXWRITER.whl IN.json OUT.xlsx
//   IN.json: {"rubric": canonical JSON text, "files": [{"name", "text"}, ...]}
// Prints {"python", "summary_ms", "xlsx_ms", "workbook_ms"}: the time to add the files to a
// batch; the time of SummaryBatch.xlsx (the summary and its workbook, as the page's call), the
// first time (XlsxWriter's import included) and a second time; and of workbook.workbook alone.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = path.resolve(HERE, "..", "scoring_py");

async function main() {
  const [wheel, inPath, outPath] = process.argv.slice(2);
  const { loadPyodide } = await import("pyodide");
  const py = await loadPyodide();
  const target = `${py.runPython("import site; site.getsitepackages()[0]")}/scoring_py`;
  py.FS.mkdirTree(target);
  for (const name of fs.readdirSync(PACKAGE_DIR).filter((n) => n.endsWith(".py"))) {
    py.FS.writeFile(`${target}/${name}`, fs.readFileSync(path.join(PACKAGE_DIR, name)));
  }
  py.FS.mkdirTree("/lib/thangdiem");
  py.FS.writeFile("/lib/thangdiem/xlsxwriter.whl", fs.readFileSync(wheel));
  py.runPython(
    "import importlib, sys; importlib.invalidate_caches();" +
      " sys.path.insert(0, '/lib/thangdiem/xlsxwriter.whl')",
  );
  const input = JSON.parse(fs.readFileSync(inPath, "utf8"));
  const api = py.pyimport("scoring_py.api");
  let start = performance.now();
  const batch = api.open_batch(input.rubric);
  for (const file of input.files) batch.add(file.name, file.text);
  const summaryMs = performance.now() - start;
  const times = [];
  let bytes;
  for (let n = 0; n < 2; n++) {
    start = performance.now();
    const proxy = batch.xlsx("[]");
    bytes = proxy.toJs();
    proxy.destroy();
    times.push(performance.now() - start);
  }
  py.globals.set("batch", batch);
  const workbookMs = py.runPython(`
import time
from scoring_py import workbook
_summary = batch.batch.summary()
_start = time.perf_counter()
workbook.workbook(_summary)
(time.perf_counter() - _start) * 1000
`);
  fs.writeFileSync(outPath, bytes);
  const python = py.runPython("import sys; sys.version.split()[0]");
  const report = { python, summary_ms: summaryMs, xlsx_ms: times, workbook_ms: workbookMs };
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  process.stderr.write(`pyodide_workbook: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
