// The summary page (<rubric-id>/tong-hop/): pick or drop many assessment files and summarise
// them with scoring_py's summary batch (api.SummaryBatch), the rules behind
// `thangdiem aggregate`.
//
// The files go to the scoring form's module worker as File objects: the worker reads them and
// hands them to Python one by one (reporting as it goes), so the page stays responsive however
// many files there are; the page only draws the progress and, at the end, the tables that
// scoring_py.tables wrote. Picking another file for a unit summarises the same files again in
// the worker, without reading them again.
//
// <html data-scoring> is "loading", "ready" or "error" (Python); <html data-summary> is
// "working" while files are being summarised, then "done" or "error". Each summary is
// measured as the performance entry "thangdiem:summary"; the mark
// "thangdiem:second-worker-ready" says when a large choice can be shared by two workers.

import { download } from "../lib/files.mjs";
import { localDate } from "../lib/dates.mjs";
import { showLoading } from "../python/progress.mjs";
import { setSummary } from "../lib/page-state.mjs";
import { SummaryView } from "./render.mjs";
import { scorer } from "../python/boot.mjs";
import { Scorer } from "../python/scorer.mjs";
import { fontsReady } from "../lib/fonts.mjs";
import { setUpPaper } from "./paper.mjs";

/**
 * From this many files on, a second worker on another core scores the later part of the
 * files, and the page's worker merges it: Python in WebAssembly takes about three times as long per file as
 * on the command line, and the machines of a Department of Home Affairs have several cores.
 */
const TWO_WORKERS_FROM = 1000;
/** The page's worker's share of a large choice of files; the second worker takes the rest. */
const OWN_SHARE = 0.45;

function start(section) {
  const app = section.closest(".th-app");
  const result = app.querySelector("[data-result]");
  const box = section.querySelector("[data-progress-box]");
  const bar = box.querySelector("[data-progress]");
  const status = box.querySelector("[data-progress-text]");
  const failure = section.querySelector("[data-summary-error]");
  const input = section.querySelector("[data-files]");
  const drop = section.querySelector("[data-drop]");
  showLoading(scorer, "Không tổng hợp được.");

  // The second worker starts once the first is up (from the same snapshot, about a second),
  // where the browser says it has a second core; it is used only when it is ready.
  let helper = null;
  scorer.ready.then(() => {
    if ((navigator.hardwareConcurrency ?? 1) < 2) return;
    const second = new Scorer(scorer.rubric, scorer.runtime);
    second.start().then(
      () => {
        helper = second;
        performance.mark("thangdiem:second-worker-ready");
      },
      () => {}, // the page's own worker summarises alone
    );
  }, () => {});

  /** Summarise files with the page's worker, and with the second one for a large choice. */
  function aggregate(files, onRead) {
    if (!helper || files.length < TWO_WORKERS_FROM) return scorer.aggregate(files, onRead);
    // The page's worker also merges and writes the tables at the end: it takes a bit less.
    const cut = Math.round(files.length * OWN_SHARE);
    const read = [0, 0];
    const follow = (which) => (count) => {
      read[which] = count;
      onRead(read[0] + read[1], files.length);
    };
    const own = scorer.aggregate(files.slice(0, cut), follow(0), { answer: "hold" });
    const theirs = helper.aggregate(files.slice(cut), follow(1), { from: cut, answer: "part" });
    return Promise.all([theirs, own]).then(([part]) => scorer.adopt(part));
  }

  let run = 0;
  /** Files the reader chose to count for their units, over the files chosen by the rules. */
  const preferred = new Set();
  const view = new SummaryView(result, (file, group) => {
    for (const other of group.files) preferred.delete(other.file);
    preferred.add(file);
    summarise(null);
  });

  function progress(read, total) {
    if (read < total) {
      bar.max = total;
      bar.value = read;
      status.textContent = `Đang tổng hợp: ${read}/${total} tệp…`;
    } else {
      bar.removeAttribute("value"); // indeterminate while Python writes the tables
      status.textContent = `Đã đọc ${total} tệp; đang lập các bảng…`;
    }
  }

  /** Summarise chosen files (a FileList), or the last ones again with the reader's choices. */
  async function summarise(list) {
    let request;
    if (list) {
      // Sorted by name, as a shell lists `don-vi/*.json`: the refused files come in that order.
      const files = [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (!files.length) return;
      preferred.clear();
      progress(0, files.length);
      request = () =>
        aggregate(files, (read, total) => {
          if (mine === run) progress(read, total);
        });
    } else {
      status.textContent = "Đang tổng hợp lại với tệp vừa chọn…";
      request = () => scorer.choose([...preferred]);
    }
    const mine = ++run;
    performance.mark("thangdiem:summary-start");
    setSummary("working");
    failure.hidden = true;
    box.hidden = false;
    let answer;
    try {
      const text = await request();
      performance.mark("thangdiem:summary-answered");
      answer = JSON.parse(text);
    } catch (error) {
      answer = { ok: false, error: { message: error.message } };
    }
    if (mine !== run) return; // files chosen again meanwhile: that run shows its result
    box.hidden = true;
    if (!answer.ok) {
      failure.textContent = `Không tổng hợp được: ${answer.error.message}`;
      failure.hidden = false;
      setSummary("error");
      return;
    }
    result.hidden = true;
    view.show(answer);
    result.hidden = false;
    performance.measure("thangdiem:summary", "thangdiem:summary-start");
    setSummary("done");
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

  // Written when asked for: at 10,000 units the CSV costs Python about a third of a second.
  result.querySelector("[data-csv]").addEventListener("click", async () => {
    const name = `tong-hop-${section.dataset.rubricId}-${localDate(new Date())}.csv`;
    try {
      const text = await scorer.csv([...preferred]);
      download(name, text, "text/csv;charset=utf-8"); // scoring_py's CSV, its BOM included
    } catch (error) {
      failure.textContent = `Không tải được bảng CSV: ${error.message}`;
      failure.hidden = false;
    }
  });
  // XlsxWriter is fetched into the worker on the first press only: the first score never
  // waits for it. The bytes are scoring_py.workbook's, as `thangdiem aggregate --xlsx` writes.
  const xlsxButton = /** @type {HTMLButtonElement} */ (result.querySelector("[data-xlsx]"));
  xlsxButton.addEventListener("click", async () => {
    const name = `tong-hop-${section.dataset.rubricId}-${localDate(new Date())}.xlsx`;
    xlsxButton.disabled = true;
    try {
      download(name, await scorer.xlsx([...preferred]), xlsxButton.dataset.type);
    } catch (error) {
      failure.textContent = `Không tải được bảng Excel: ${error.message}`;
      failure.hidden = false;
    } finally {
      xlsxButton.disabled = false;
    }
  });
  result.querySelector("[data-print]").addEventListener("click", async () => {
    await fontsReady();
    window.print();
  });
  setUpPaper(result, section.dataset.rubricId ?? "");
}

const section = document.getElementById("tong-hop");
if (section) start(section);
