// The loading indicator of the pages that start Python ([data-scoring-status]: the scoring and
// summary pages): the worker's loading steps, then ready or failed. Once ready, <html
// data-python> says how Python started: "snapshot" (restored from the browser's copy of an
// earlier visit) or "fresh".

import { oneDecimal } from "../lib/points.mjs";
import { setPython, setScoring } from "../lib/page-state.mjs";

/**
 * @param {string} consequence what a failure means on this page, as a sentence
 */
export function loaderView(consequence) {
  const box = /** @type {HTMLElement} */ (document.querySelector("[data-scoring-status]"));
  const bar = /** @type {HTMLProgressElement} */ (box.querySelector("[data-scoring-progress]"));
  const text = box.querySelector("[data-scoring-message]");
  return {
    progress(step, steps, message) {
      bar.max = steps;
      bar.value = step - 1;
      text.textContent = `Đang tải bộ chấm điểm (bước ${step}/${steps}): ${message}`;
    },
    ready({ python, seconds, restored }) {
      bar.value = bar.max;
      box.classList.add("td-loader--ready");
      setPython(restored);
      const time = oneDecimal(seconds);
      const how = restored ? "khởi động lại từ bản lưu trong trình duyệt" : "tải";
      text.textContent = "Bộ chấm điểm đã sẵn sàng.";
      // What only a technician asks about, out of the way of the reader.
      const details = document.createElement("details");
      details.className = "td-tech";
      details.dataset.scoringDetails = "";
      const summary = document.createElement("summary");
      summary.textContent = "Chi tiết kỹ thuật";
      const line = document.createElement("p");
      line.textContent = `Python ${python}, ${how} trong ${time} giây.`;
      details.append(summary, line);
      box.querySelector("[data-scoring-details]")?.remove();
      box.append(details);
    },
    failed(message) {
      box.classList.add("td-loader--error");
      box.setAttribute("role", "alert");
      bar.hidden = true;
      text.textContent =
        `Không tải được bộ chấm điểm: ${message}. ${consequence} Hãy tải lại trang; nếu vẫn ` +
        "lỗi, hãy dùng bản mới của Chrome, Edge, Firefox hoặc Safari.";
    },
  };
}

/**
 * Show a Scorer's loading on the page (the indicator and <html data-scoring>); resolves when
 * it is ready, rejects when it failed (both already shown).
 * @param {import("./scorer.mjs").Scorer} scorer
 * @param {string} consequence what a failure means on this page, as a sentence
 */
export function showLoading(scorer, consequence) {
  setScoring("loading");
  const view = loaderView(consequence);
  scorer.follow(view.progress);
  const ready = scorer.ready.then(
    (info) => {
      view.ready(info);
      setScoring("ready");
      return info;
    },
    (error) => {
      view.failed(error.message);
      setScoring("error");
      throw error;
    },
  );
  ready.catch(() => {}); // shown on the page; callers that wait for it handle it themselves
  return ready;
}
