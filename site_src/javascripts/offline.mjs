// Offline use: register the site's service worker (sw.js at the site's root, written by
// generator/offline.py) with workbox-window, served by this site, and offer a new deployment.
//
// The worker precaches the whole site on the first visit; after that every page works with no
// network. When a new deployment is found (on each page load, when the page is shown again,
// and every hour), its worker is installed but waits: a banner says "Có phiên bản mới" and
// the page keeps working with the version it has. Only when the user chooses "Cập nhật" does
// the page ask the scoring form to save first (the "thangdiem:before-update" event: a
// listener passes a promise to event.detail.waitUntil, which rejects when what is typed cannot
// be kept), then tells the new worker to take over and reloads once it controls the page.
// The new worker removes the old version's cache.

import { scoringSettled, setOffline } from "./lib/page-state.mjs";

const script = /** @type {HTMLScriptElement} */ (
  document.querySelector("script[data-service-worker]")
);
const CHECK_EVERY_MS = 60 * 60 * 1000;
const CHECK_AGAIN_AFTER_MS = 5 * 60 * 1000;
const FLUSH_TIMEOUT_MS = 10_000;

/** Ask the page to save what it holds; resolves with true when it is kept. */
async function flushed() {
  const waits = [];
  const detail = { waitUntil: (promise) => waits.push(promise) };
  document.dispatchEvent(new CustomEvent("thangdiem:before-update", { detail }));
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), FLUSH_TIMEOUT_MS);
  });
  const done = Promise.all(waits).then(
    () => true,
    () => false,
  );
  const kept = await Promise.race([done, late]);
  clearTimeout(timer);
  return kept;
}

/** The banner offering the new version (built once, shown until the user updates or waits). */
function banner(update) {
  const box = document.createElement("div");
  box.className = "td-update";
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", "Phiên bản mới của trang");
  const text = document.createElement("p");
  text.className = "td-update__text";
  text.setAttribute("role", "status");
  const yes = document.createElement("button");
  yes.type = "button";
  yes.className = "md-button md-button--primary";
  yes.textContent = "Cập nhật";
  const later = document.createElement("button");
  later.type = "button";
  later.className = "md-button";
  later.textContent = "Để sau";
  box.append(text, yes, later);
  document.body.append(box);
  // Set after the live region is in the page, so that screen readers announce it.
  const say = (message) => {
    text.textContent = message;
  };
  requestAnimationFrame(() =>
    say("Có phiên bản mới của trang. Những gì đang nhập sẽ được lưu trước khi cập nhật."),
  );
  later.addEventListener("click", () => {
    box.hidden = true;
  });
  let warned = false;
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    say("Đang lưu và cập nhật…");
    if (!(await flushed()) && !warned) {
      warned = true;
      yes.disabled = false;
      say(
        "Chưa lưu được phiếu đang nhập trong trình duyệt này. Hãy “Xuất tệp JSON” để giữ " +
          "phiếu, rồi bấm “Cập nhật” lần nữa.",
      );
      return;
    }
    update();
  });
  return {
    show() {
      box.hidden = false;
    },
  };
}

/**
 * After the page has loaded and, on a page that starts Python (<html data-scoring="loading">:
 * the scoring and summary pages), once Python is up or has failed: on the first visit,
 * precaching the whole site then does not compete with Python's own download.
 */
async function settled() {
  if (document.readyState !== "complete") {
    await new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  }
  await scoringSettled();
}

async function start() {
  if (!script || !("serviceWorker" in navigator)) return;
  await settled();
  const url = new URL(script.dataset.serviceWorker, document.baseURI);
  const scope = new URL("./", url).href;
  const { Workbox } = await import(new URL(script.dataset.workboxWindow, document.baseURI).href);
  // updateViaCache "none": sw.js (and what it imports) is always fetched anew, whatever the
  // host's cache headers say, so that a new deployment is seen at once.
  const workbox = new Workbox(url.href, { scope, updateViaCache: "none" });

  let offer = null;
  async function update() {
    const registration = await navigator.serviceWorker.getRegistration(scope);
    if (!registration || !registration.waiting) {
      window.location.reload(); // another tab has updated already
      return;
    }
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), {
      once: true,
    });
    registration.waiting.postMessage({ type: "SKIP_WAITING" });
  }
  let registration;
  try {
    registration = await workbox.register();
  } catch {
    return; // no service worker (e.g. a private window): the site still works online
  }
  if (!registration) return;
  // A new version waits: offer it. Followed here for every update, whenever it began (before
  // this page registered, or long after): workbox-window's own "waiting" event only covers
  // the first update it sees.
  const offerIfWaiting = () => {
    if (!registration.waiting || !navigator.serviceWorker.controller) return;
    offer ??= banner(update);
    offer.show();
  };
  const follow = (worker) => worker && worker.addEventListener("statechange", offerIfWaiting);
  registration.addEventListener("updatefound", () => follow(registration.installing));
  follow(registration.installing);
  offerIfWaiting();
  setOffline(); // for tests and measurements
  let checked = Date.now();
  const check = () => {
    checked = Date.now();
    workbox.update().catch(() => {}); // offline: try again later
  };
  setInterval(check, CHECK_EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Date.now() - checked > CHECK_AGAIN_AFTER_MS) {
      check();
    }
  });
}

start();
