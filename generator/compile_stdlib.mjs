// Build the site's standard library inside the pinned Pyodide, under Node.js.
//
// Usage: node generator/compile_stdlib.mjs MODULES.txt FINDER.py PACKAGE.whl OUT_DIR
//   MODULES.txt: the standard library's modules that the scoring pages import, one dotted name
//                a line (generator/stdlib_modules.txt, derived by tests/test_pyodide.py).
//   FINDER.py:   generator/source_library.py, shipped as the module _thangdiem_stdlib.
//   PACKAGE.whl: the scoring_py wheel (sources only), built by generator/assets.py.
//   OUT_DIR:     receives python_stdlib.zip (the listed modules and the finder, as bytecode),
//                python_stdlib_source.zip (the npm package's archive, unchanged: what the
//                finder fetches for a module outside the list) and the wheel, as bytecode.
//
// The bytecode is made by the interpreter that runs it: Pyodide's own CPython, loaded from
// node_modules (nothing else has its exact version and magic number), started without column
// positions in code objects (PYTHONNODEBUGRANGES: a fifth of the bytes; a traceback keeps its
// lines, without the carets under them). Every `.pyc` is an unchecked-hash one (PEP 552):
// Python loads it without comparing it with any source or time. Only the listed modules are
// shipped, as bytecode only, with the finder, which knows every module left out. The archives
// are written in a fixed order, with fixed times and attributes: the same inputs give the same
// bytes on every build.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const BUILD = `
import importlib._bootstrap_external as external
import importlib.util
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def bytecode(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    return external._code_to_hash_pyc(code, importlib.util.source_hash(source), False)


def entry(out, name, data):
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    out.writestr(info, data, compresslevel=9)


def rebuild(source_zip, target_zip, mount, compiled):
    """Copy an archive, replacing each source file \`compiled\` picks with its bytecode."""
    done = set()
    with zipfile.ZipFile(source_zip) as src, zipfile.ZipFile(target_zip, "w") as out:
        for name in sorted(src.namelist()):
            if name.endswith("/"):
                continue
            data = src.read(name)
            module = compiled(name)
            if not module:
                entry(out, name, data)
                continue
            entry(out, name + "c", bytecode(data, f"{mount}/{name}"))
            done.add(module)
    return done


def module_of(name):
    if not name.endswith(".py"):
        return None
    parts = name[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def check_no_positions():
    code = compile("x = 1", "<check>", "exec")
    if any(column is not None for *_, column in code.co_positions()):
        raise SystemExit("PYTHONNODEBUGRANGES was not applied: code objects keep their columns")


def build(modules, finder, stdlib_in, stdlib_out, wheel_in, wheel_out, mount):
    check_no_positions()
    wanted = set(modules)
    done = set()
    left_out = set()
    with zipfile.ZipFile(stdlib_in) as src, zipfile.ZipFile(stdlib_out, "w") as out:
        for name in sorted(src.namelist()):
            module = module_of(name)
            if module in wanted:
                data = src.read(name)
                entry(out, name + "c", bytecode(data, f"{mount}/{name}"))
                done.add(module)
            elif module:
                left_out.add(module)
        names = "\\n\\nNAMES = frozenset(%r)\\n" % sorted(left_out)
        source = finder + names
        entry(out, "_thangdiem_stdlib.pyc", bytecode(source.encode(), f"{mount}/_thangdiem_stdlib.py"))
    missing = sorted(wanted - done)
    if missing:
        raise SystemExit("not in the standard library's archive: " + ", ".join(missing))
    # The wheel: every module of the package, by the same interpreter (the RECORD's hashes are
    # for the sources; zipimport does not read them, and nothing installs this wheel with pip).
    rebuild(wheel_in, wheel_out, "/lib/thangdiem/scoring_py.whl", lambda n: module_of(n))
`;

function fail(message) {
  process.stderr.write(`compile_stdlib: ${message}\n`);
  process.exit(1);
}

const [modulesPath, finderPath, wheelPath, outDir] = process.argv.slice(2);
if (!modulesPath || !finderPath || !wheelPath || !outDir) {
  fail("usage: node generator/compile_stdlib.mjs MODULES.txt FINDER.py PACKAGE.whl OUT_DIR");
}
const require = createRequire(path.resolve("package.json"));
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({
  env: { PYTHONNODEBUGRANGES: "1" },
  stdout: () => {},
  stderr: (line) => process.stderr.write(`${line}\n`),
});
const modules = fs
  .readFileSync(modulesPath, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));
py.FS.writeFile("/tmp/stdlib_in.zip", fs.readFileSync(path.join(pyodideDir, "python_stdlib.zip")));
py.FS.writeFile("/tmp/wheel_in.whl", fs.readFileSync(wheelPath));
py.runPython(BUILD);
const mount = py.runPython("import sys; next(p for p in sys.path if p.endswith('.zip'))");
try {
  py.globals.get("build")(
    py.toPy(modules),
    fs.readFileSync(finderPath, "utf8"),
    "/tmp/stdlib_in.zip",
    "/tmp/stdlib_out.zip",
    "/tmp/wheel_in.whl",
    "/tmp/wheel_out.whl",
    mount,
  );
} catch (error) {
  fail(error.message.trim().split("\n").slice(-4).join(" | "));
}
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "python_stdlib.zip"), py.FS.readFile("/tmp/stdlib_out.zip"));
fs.copyFileSync(
  path.join(pyodideDir, "python_stdlib.zip"),
  path.join(outDir, "python_stdlib_source.zip"),
);
fs.writeFileSync(path.join(outDir, path.basename(wheelPath)), py.FS.readFile("/tmp/wheel_out.whl"));
