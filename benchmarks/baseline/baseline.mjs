// The benchmark's baseline: the same pinned Pyodide as the scoring page, started the same way
// (a module Web Worker), running one line of Python. Nothing of thangdiem is loaded, unless
// the page names the site's standard library and lock file (data-stdlib, data-lock): the
// bench's second bare page, which boots the site's runtime with no scoring page around it.
const root = document.documentElement;
const indexURL = new URL(root.dataset.pyodide, document.baseURI).href;
const runtime = root.dataset.stdlib
  ? { stdLibURL: new URL(root.dataset.stdlib, document.baseURI).href, lock: root.dataset.lock }
  : {};
const worker = new Worker(new URL("./baseline-worker.mjs", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => {
  root.dataset.done = String(performance.now());
  const { result, timings } = event.data;
  // The worker's steps, in ms since this page's navigation (as the benchmark's marks are).
  const since = Object.entries(timings).map(([step, at]) => [step, at - performance.timeOrigin]);
  root.dataset.worker = JSON.stringify(Object.fromEntries(since));
  document.getElementById("result").textContent = result;
});
worker.postMessage({ indexURL, ...runtime });
