// Load Pyodide from the site's own copy and run one line of Python. Also says when the worker
// started and when Python was loaded (ms since the epoch), as the scoring worker does.
const start = performance.timeOrigin + performance.now();
self.addEventListener("message", async (event) => {
  const { indexURL, stdLibURL, lock } = event.data;
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  const runtime = stdLibURL ? { stdLibURL, lockFileContents: lock } : {};
  const pyodide = await loadPyodide({ indexURL, ...runtime });
  const python = performance.timeOrigin + performance.now();
  self.postMessage({ result: String(pyodide.runPython("1 + 1")), timings: { start, python } });
});
