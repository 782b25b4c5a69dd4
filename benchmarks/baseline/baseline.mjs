// The benchmark's baseline: the same pinned Pyodide as the scoring page, started the same way
// (a module Web Worker), running one line of Python. Nothing of thangdiem is loaded.
const root = document.documentElement;
const indexURL = new URL(root.dataset.pyodide, document.baseURI).href;
const worker = new Worker(new URL("./baseline-worker.mjs", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => {
  root.dataset.done = String(performance.now());
  document.getElementById("result").textContent = event.data;
});
worker.postMessage(indexURL);
