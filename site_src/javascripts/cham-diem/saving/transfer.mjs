// Assessment files in and out of the saved assessments. "Xuất tệp JSON" downloads the form as
// an assessment file (the open one saved first); "Xuất gói hồ sơ (.zip)" downloads it with its
// attached files as a package (scoring_py.package, written in the worker). "Nhập tệp JSON hoặc
// gói hồ sơ" has scoring_py check a file (in the worker) and opens a valid one as a new saved
// assessment, carried over first when it is of another version of the rubric; a package's
// files are checked (sizes, SHA-256, names) and kept in the browser first. Anything else
// changes nothing and says why, beside the buttons ([data-file-message]).

import { download, exportName, readFile, shown } from "../../lib/files.mjs";
import { StoreFull, getBlob, putBlob } from "../attachments/store.mjs";
import { contract } from "../../lib/contract.mjs";
import { carriedFrom, carryOver, showCarry } from "../versions.mjs";
import { contentOf, describe, target } from "./records.mjs";
import { rememberExport } from "./exported.mjs";
import { newId } from "../storage.mjs";
import { parseJson, toJson } from "../../lib/json.mjs";

/** Show (or, with null, hide) the message about a file. */
export function fileMessage(saving, text) {
  const element = saving.tools?.querySelector("[data-file-message]");
  if (!element) return;
  element.textContent = text ?? "";
  element.hidden = !text;
}

/** The file name's word for how far an assessment has come (scoring_py's result.status). */
const STATE_WORDS = { self: "tu-cham", appraising: "dang-tham-dinh", appraised: "da-tham-dinh" };
/** The same for a step of the round trip once one is taken (the document's review.state). */
const STEP_WORDS = {
  sent: "da-gui",
  appraising: "dang-tham-dinh",
  appraised: "da-tham-dinh",
  explained: "da-giai-trinh",
  reappraising: "dang-tham-dinh-lai",
  final: "ket-qua",
};

/**
 * "Xuất tệp JSON": the form as an assessment file, named after its state, the unit and the
 * date ("danh-gia-tu-cham-ubnd-xa-a-2026-12-04.json"; the state as scoring_py last scored the
 * form, left out before it has). Its keys are in the embedded template's order (scoring_py
 * writes it in reading order), any others after them. What was exported is remembered
 * (exported.mjs), so that the page stops reminding to export until the form changes again.
 * @param {import("./autosave.mjs").Saving} saving
 */
export async function exportFile(saving) {
  fileMessage(saving, null);
  const { doc, content, name, text } = await exported(saving);
  download(name, text);
  rememberExport(saving.current.id, content, doc.updated);
  saving.remindExport();
  await saving.refresh();
  saving.say(`Đã xuất tệp ${name}.`);
}

/**
 * The form as an exported file: the document stamped now, its content (records.mjs), its file
 * name and its JSON text, keys in the template's order.
 * @param {import("./autosave.mjs").Saving} saving
 */
async function exported(saving, extension = ".json") {
  const status = await saving.state();
  await saving.saveNow();
  const doc = saving.collect();
  const content = contentOf(doc);
  const now = new Date();
  doc.created = doc.created ?? now.toISOString();
  doc.updated = now.toISOString();
  // The round trip's step once one is taken, else how far the scores have come.
  const step = doc.review?.state ?? "self";
  const state = step !== "self" ? STEP_WORDS[step] : STATE_WORDS[status ?? ""];
  const base = state ? `danh-gia-${state}` : "danh-gia";
  const name = exportName(doc.unit.name, now, base).replace(/\.json$/, extension);
  const order = Object.keys(saving.template);
  const keys = [...order, ...Object.keys(doc).filter((key) => !order.includes(key))];
  const ordered = Object.fromEntries(keys.filter((key) => key in doc).map((k) => [k, doc[k]]));
  return { doc, content, name, text: toJson(ordered, 2) + "\n" };
}

/**
 * "Xuất gói hồ sơ (.zip)": the form as an assessment file with every attached file, in one
 * package written by scoring_py (the same name as the JSON file's, with .zip). A file the
 * browser no longer holds is named and nothing is downloaded.
 * @param {import("./autosave.mjs").Saving} saving
 */
export async function exportPackage(saving) {
  fileMessage(saving, null);
  const { doc, content, name, text } = await exported(saving, ".zip");
  const files = new Map();
  const missing = [];
  for (const [itemId, list] of Object.entries(doc.attachments ?? {})) {
    for (const entry of list) {
      const blob = await getBlob(entry.sha256).catch(() => null);
      if (blob) files.set(entry.sha256, new Uint8Array(await blob.arrayBuffer()));
      else missing.push(`${shown(entry.name)} (mục ${itemId})`);
    }
  }
  if (missing.length) {
    fileMessage(
      saving,
      `Chưa xuất được gói hồ sơ: trình duyệt này không còn nội dung các tệp ${missing.join(", ")}.` +
        " Hãy bỏ các tệp đó hoặc đính kèm lại.",
    );
    return;
  }
  saving.say("Đang đóng gói hồ sơ…");
  let bytes;
  try {
    bytes = await saving.pack(text, files);
  } catch (error) {
    fileMessage(saving, `Chưa xuất được gói hồ sơ: ${describe(error)}`);
    saving.say("");
    return;
  }
  download(name, bytes, "application/zip");
  rememberExport(saving.current.id, content, doc.updated);
  saving.remindExport();
  await saving.refresh();
  saving.say(`Đã xuất gói hồ sơ ${name} (${files.size} tệp đính kèm).`);
}

/**
 * Whether a chosen file is a package: by its name or type, so that nothing is read before a
 * file too large is refused (scoring_py then checks that it is a zip indeed).
 * @param {File} file
 */
const isPackage = (file) => /\.zip$/i.test(file.name) || file.type === "application/zip";

/**
 * For a file of another of the site's rubrics: which one, by its name, and where to open it
 * (null when the file names a rubric the site does not have).
 * @param {string} text the file's JSON text
 */
function otherRubric(text) {
  const names = JSON.parse(document.getElementById("td-rubrics").textContent);
  let id;
  try {
    id = parseJson(text)?.rubric?.id;
  } catch {
    return null;
  }
  if (typeof id !== "string" || !Object.hasOwn(names, id)) return null;
  return (
    `tệp là phiếu chấm theo thang điểm ${names[id]}, không phải thang điểm của trang này.` +
    ` Hãy nhập tệp ở trang “Phiếu chấm điểm” của thang điểm ${names[id]}.`
  );
}

/**
 * "Nhập tệp JSON": check the file with scoring_py; a valid one opens as a new saved
 * assessment (the open one is saved and kept); one of another version of the rubric is
 * carried over first, keeping the file's document in the record. Anything else changes
 * nothing and says why.
 * @param {import("./autosave.mjs").Saving} saving
 * @param {File} file
 */
export async function importFile(saving, file) {
  fileMessage(saving, null);
  if (saving.blocked()) return;
  const refuse = (reason) => {
    fileMessage(saving, `Không nhập được tệp ${shown(file.name)}: ${reason}`);
    saving.say("");
  };
  let answer;
  let text;
  let files = new Map();
  try {
    if (isPackage(file)) {
      const limit = contract().attachments.max_package_bytes;
      if (file.size > limit) await readFile(file, limit); // refused there, with the limit
      saving.say(`Đang kiểm tra gói hồ sơ ${shown(file.name)}…`);
      ({ text, files } = await saving.unpack(file));
    } else {
      text = await readFile(file);
    }
    saving.say(`Đang kiểm tra tệp ${shown(file.name)}…`);
    answer = await carryOver(saving.carry, text);
  } catch (error) {
    refuse(describe(error));
    return;
  }
  if (answer instanceof Error) {
    const code = /** @type {Error & { code?: string }} */ (answer).code;
    refuse(code === "other_rubric" ? (otherRubric(text) ?? answer.message) : answer.message);
    return;
  }
  if (saving.blocked()) return;
  // A package's files are kept before its document names them in a draft.
  try {
    for (const [sha256, bytes] of files) await putBlob(sha256, new Blob([bytes]));
  } catch (error) {
    const why = error instanceof StoreFull ? error.message : describe(error);
    refuse(`không lưu được các tệp đính kèm trong trình duyệt (${why}); phiếu đang mở không đổi.`);
    return;
  }
  const saved = saving.saveNow(); // a snapshot of the open one, then at once the file's
  const lost = saving.show(answer.document);
  const { report } = answer;
  let carried = null;
  if (report) {
    const from = `${saving.rubricId}@${report.from.version}`;
    carried = carriedFrom(from, text, report);
  }
  saving.current = target(newId(), 0, null, carried);
  showCarry(saving.carryBox, carried, () => saving.collect().unit.name);
  saving.resume();
  saving.remember();
  const imported = saving.saveNow();
  saving.focusName();
  await saved;
  await imported;
  const moved = report ? ` ${report.message} Xem thông báo về các thay đổi bên dưới.` : "";
  saving.say(`Đã nhập tệp ${shown(file.name)} thành một phiếu mới.${moved}`);
  const notes = [...(answer.warnings ?? [])];
  if (lost.length) {
    notes.push(
      `tệp ${shown(file.name)} có giá trị mà phiếu không hiện được nên không được giữ lại:` +
        ` ${lost.join("; ")}.`,
    );
  }
  if (notes.length) fileMessage(saving, `Lưu ý: ${notes.join(" ")}`);
}
