// Run a Python script inside real Pyodide under Node.js, with scoring_py and tests/*.py.
//
// Usage: node tests/pyodide_python.mjs SCRIPT.py [INPUT]
//   scoring_py/*.py is copied into site-packages and tests/*.py into /lib/thangdiem_tests (on
//   sys.path, so the script can import helpers such as codec_cases); INPUT, if given, is copied
//   to /tmp/input. The script's last expression must be a str: it is printed on stdout.
// Pyodide is loaded from node_modules, without network.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function copySources(py, from, to) {
  py.FS.mkdirTree(to);
  for (const name of fs.readdirSync(from).filter((n) => n.endsWith(".py"))) {
    py.FS.writeFile(`${to}/${name}`, fs.readFileSync(path.join(from, name)));
  }
}

async function main() {
  const [script, input] = process.argv.slice(2);
  if (!script) throw new Error("usage: node tests/pyodide_python.mjs SCRIPT.py [INPUT]");
  const { loadPyodide } = await import("pyodide");
  const py = await loadPyodide();
  const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
  copySources(py, path.resolve(HERE, "..", "scoring_py"), `${sitePackages}/scoring_py`);
  copySources(py, HERE, "/lib/thangdiem_tests");
  if (input) py.FS.writeFile("/tmp/input", fs.readFileSync(input));
  py.runPython(
    "import importlib, sys; importlib.invalidate_caches(); sys.path.append('/lib/thangdiem_tests')",
  );
  process.stdout.write(`${py.runPython(fs.readFileSync(script, "utf8"))}\n`);
}

main().catch((err) => {
  process.stderr.write(`pyodide_python: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
