// Assessment files in and out of the saved assessments. "Xuất tệp JSON" downloads the form as
// an assessment file (the open one saved first); "Nhập tệp JSON" has scoring_py check a file
// (in the worker) and opens a valid one as a new saved assessment, carried over first when it
// is of another version of the rubric. Anything else changes nothing and says why, beside the
// buttons ([data-file-message]).

import { download, exportName, readFile, shown } from "../../lib/files.mjs";
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
  const status = await saving.state();
  await saving.saveNow();
  const doc = saving.collect();
  const content = contentOf(doc);
  const now = new Date();
  doc.created = doc.created ?? now.toISOString();
  doc.updated = now.toISOString();
  const state = STATE_WORDS[status ?? ""];
  const name = exportName(doc.unit.name, now, state ? `danh-gia-${state}` : "danh-gia");
  const order = Object.keys(saving.template);
  const keys = [...order, ...Object.keys(doc).filter((key) => !order.includes(key))];
  const ordered = Object.fromEntries(keys.filter((key) => key in doc).map((k) => [k, doc[k]]));
  download(name, toJson(ordered, 2) + "\n");
  rememberExport(saving.current.id, content, doc.updated);
  saving.remindExport();
  await saving.refresh();
  saving.say(`Đã xuất tệp ${name}.`);
}

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
  try {
    text = await readFile(file);
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
