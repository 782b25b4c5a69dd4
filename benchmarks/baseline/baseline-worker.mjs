// Load Pyodide from the site's own copy and run one line of Python.
self.addEventListener("message", async (event) => {
  const indexURL = event.data;
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  const pyodide = await loadPyodide({ indexURL });
  self.postMessage(String(pyodide.runPython("1 + 1")));
});
