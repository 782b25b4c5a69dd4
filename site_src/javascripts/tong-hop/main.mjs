// The summary page (<rubric-id>/tong-hop/): pick or drop many assessment files and summarise
// them with scoring_py.api.aggregate, the function behind `thangdiem aggregate`.
//
// The files go to the scoring form's module worker as File objects: the worker reads them in
// batches (reporting after each) and runs Python, so the page stays responsive however many
// files there are; the page only draws the progress and, at the end, the tables.
//
// <html data-scoring> is "loading", "ready" or "error" (Python); <html data-summary> is
// "working" while files are being summarised, then "done" or "error".

import { download, localDate } from "../cham-diem/files.mjs";
import { loaderView } from "../cham-diem/loader.mjs";
import { showSummary } from "./render.mjs";
import { scorer } from "../cham-diem/boot.mjs";

/**
 * The CSV starts with a UTF-8 byte-order mark: without it, Excel on Windows reads a CSV file
 * in the machine's legacy code page and garbles every Vietnamese letter. LibreOffice and
 * Python's "utf-8-sig" read the mark; the bytes after it are exactly `thangdiem aggregate --csv`.
 */
const BOM = "\ufeff";

function start(section) {
  const root = document.documentElement;
  const app = section.closest(".th-app");
  const result = app.querySelector("[data-result]");
  const box = section.querySelector("[data-progress-box]");
  const bar = box.querySelector("[data-progress]");
  const status = box.querySelector("[data-progress-text]");
  const failure = section.querySelector("[data-summary-error]");
  const input = section.querySelector("[data-files]");
  const drop = section.querySelector("[data-drop]");
  const loader = loaderView("Không tổng hợp được.");
  root.dataset.scoring = "loading";

  scorer.follow(loader.progress);
  scorer.ready.then(
    (info) => {
      loader.ready(info);
      root.dataset.scoring = "ready";
    },
    (error) => {
      loader.failed(error.message);
      root.dataset.scoring = "error";
    },
  );

  let csv = "";
  let run = 0;

  function progress(read, total) {
    if (read < total) {
      bar.max = total;
      bar.value = read;
      status.textContent = `Đang đọc tệp: ${read}/${total}…`;
    } else {
      bar.removeAttribute("value"); // indeterminate while Python works
      status.textContent = `Đã đọc ${total} tệp; đang tính điểm và tổng hợp…`;
    }
  }

  async function summarise(list) {
    // Sorted by name, as a shell lists `don-vi/*.json`: the refused files come in that order.
    const files = [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!files.length) return;
    const mine = ++run;
    root.dataset.summary = "working";
    failure.hidden = true;
    box.hidden = false;
    progress(0, files.length);
    const started = performance.now();
    let answer;
    try {
      const text = await scorer.aggregate(files, (read, total) => {
        if (mine === run) progress(read, total);
      });
      answer = JSON.parse(text);
    } catch (error) {
      answer = { ok: false, error: { message: error.message } };
    }
    if (mine !== run) return; // files chosen again meanwhile: that run shows its result
    box.hidden = true;
    if (!answer.ok) {
      failure.textContent = `Không tổng hợp được: ${answer.error.message}`;
      failure.hidden = false;
      root.dataset.summary = "error";
      return;
    }
    csv = answer.csv;
    result.hidden = true;
    showSummary(result, answer.summary, files.length);
    result.hidden = false;
    const seconds = ((performance.now() - started) / 1000).toFixed(1).replace(".", ",");
    result.dataset.seconds = seconds;
    root.dataset.summary = "done";
  }

  input.addEventListener("change", () => {
    summarise(input.files);
    input.value = ""; // choosing the same files again summarises them again
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("th-drop--over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("th-drop--over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("th-drop--over");
    summarise(event.dataTransfer.files);
  });
  // A file dropped beside the box must not replace the page with the file.
  for (const type of ["dragover", "drop"]) {
    window.addEventListener(type, (event) => event.preventDefault());
  }

  result.querySelector("[data-csv]").addEventListener("click", () => {
    const name = `tong-hop-${section.dataset.rubricId}-${localDate(new Date())}.csv`;
    download(name, [BOM, csv], "text/csv;charset=utf-8");
  });
  result.querySelector("[data-print]").addEventListener("click", () => window.print());
}

const section = document.getElementById("tong-hop");
if (section) start(section);
