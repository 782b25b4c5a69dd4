// The loading indicator of the pages that start Python ([data-scoring-status]: the scoring and
// summary pages): the worker's loading steps, then ready or failed. Once ready, <html
// data-python> says how Python started: "snapshot" (restored from the browser's copy of an
// earlier visit) or "fresh".

/**
 * @param {string} consequence what a failure means on this page, as a sentence
 */
export function loaderView(consequence) {
  const box = document.querySelector("[data-scoring-status]");
  const bar = box.querySelector("[data-scoring-progress]");
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
      document.documentElement.dataset.python = restored ? "snapshot" : "fresh";
      const time = seconds.toFixed(1).replace(".", ",");
      const how = restored ? "khởi động lại từ bản lưu trong trình duyệt" : "tải";
      text.textContent = `Bộ chấm điểm đã sẵn sàng (Python ${python}, ${how} trong ${time} giây).`;
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
