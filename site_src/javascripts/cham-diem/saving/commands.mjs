// What the user asks of the saving tools, and how autosave.mjs answers: "Phiếu mới" (a blank
// form), open or delete a saved assessment, export or import a file (transfer.mjs), download a
// damaged or carried record, and the three answers to another tab's change of the open record
// (load theirs, drop this one when it was deleted, keep this one as a record of its own). The
// questions are asked in the page's <dialog> first (lib/dialog.mjs); the open assessment is
// saved before another one is shown.

import { dateAndTime, target, timeOfDay, unitName } from "./records.mjs";
import { downloadOriginal, downloadRecord, notCarried } from "../versions.mjs";
import { dropPending, newId, problem } from "../storage.mjs";
import { exportFile, exportPackage, importFile } from "./transfer.mjs";
import { forgetExport } from "./exported.mjs";
import { ask } from "../../lib/dialog.mjs";
import { downloadDamaged } from "./records-view.mjs";
import { setDocumentTimes } from "../form.mjs";

/**
 * Wire the buttons of the saving tools and of the conflict box.
 * @param {import("./autosave.mjs").Saving} saving
 */
export function wire(saving) {
  const on = (selector, handler) => {
    const element = saving.tools.querySelector(selector);
    if (element) element.addEventListener("click", handler);
  };
  on("[data-new-assessment]", () => startNew(saving));
  on("[data-export]", () => exportFile(saving));
  on("[data-export-package]", () => exportPackage(saving));
  /** @type {HTMLInputElement} */
  const input = saving.tools.querySelector("[data-import]");
  input.addEventListener("change", async () => {
    const [file] = input.files;
    if (file) await importFile(saving, file);
    input.value = ""; // the same file can be chosen again
  });
  saving.tools.querySelector("[data-saved-list]").addEventListener("click", (event) => {
    const target = /** @type {Element} */ (event.target);
    const button = /** @type {HTMLButtonElement} */ (target.closest("button[data-action]"));
    if (!button) return;
    const { action, id, index } = button.dataset;
    if (action === "open") openSaved(saving, id);
    else if (action === "delete") deleteSaved(saving, id);
    else if (action === "download-damaged") {
      downloadDamaged(saving.damaged[Number(index)]?.record, Number(index));
    }
    else if (action === "download-other") downloadRecord(saving.others.get(id));
    else if (action === "download-original") {
      const record = saving.others.get(id);
      if (record?.carried) downloadOriginal(record.carried, record.unit);
    }
  });
  saving.tools.hidden = false;
  if (saving.warning) {
    const choose = (selector, handler) =>
      saving.warning.querySelector(selector).addEventListener("click", handler);
    choose("[data-conflict-reload]", () => takeTheirs(saving));
    choose("[data-conflict-discard]", () => discardOurs(saving));
    choose("[data-conflict-copy]", () => keepAsCopy(saving));
  }
}

/** "Phiếu mới": after asking, save the open assessment and start a blank one. */
async function startNew(saving) {
  if (saving.blocked()) return;
  const yes = await ask(
    saving.dialog,
    saving.store
      ? "Bắt đầu một phiếu mới, để trống? Phiếu đang mở đã được lưu và vẫn mở lại được trong" +
          " “Các phiếu đã lưu”."
      : "Bắt đầu một phiếu mới, để trống? Trình duyệt này không lưu được phiếu: những gì" +
          " đang nhập sẽ mất nếu chưa “Xuất tệp JSON”.",
    "Tạo phiếu mới",
  );
  if (!yes || saving.blocked()) return;
  const saved = saving.saveNow(); // a snapshot of the open one, then at once a blank form
  saving.blank();
  saving.say("Đã bắt đầu một phiếu mới.");
  saving.focusName();
  await saved;
  await saving.refresh();
}

/** Open a saved assessment (after saving the open one). */
async function openSaved(saving, id) {
  if (saving.blocked()) return;
  let record;
  try {
    record = await saving.find(id);
  } catch (error) {
    saving.say(`Không đọc được phiếu đã lưu: ${problem(error)}.`, "error");
    return;
  }
  if (saving.blocked()) return;
  if (!record) {
    saving.say("Phiếu này không còn nữa (có thể đã bị xóa ở một thẻ khác).", "error");
    await saving.refresh();
    return;
  }
  const name = unitName(record.unit);
  const message = `Đã mở phiếu ${name} (lưu lúc ${dateAndTime(record.updated)}).`;
  const carried = await saving.carried(record);
  if (carried instanceof Error) {
    saving.say(notCarried(record, carried), "error");
    return;
  }
  if (saving.blocked()) return;
  const saved = saving.saveNow(); // a snapshot of the open one, then at once the other
  saving.open(record, message, carried);
  saving.focusName();
  await saved;
  await saving.refresh();
}

/** Delete a saved assessment, after asking; deleting the open one starts a blank form. */
async function deleteSaved(saving, id) {
  let record;
  try {
    record = (await saving.store.get(id)) ?? saving.others.get(id) ?? null;
  } catch {
    record = null;
  }
  const name = unitName(record ? record.unit : null);
  const when = record ? ` (lưu lúc ${dateAndTime(record.updated)})` : "";
  const yes = await ask(
    saving.dialog,
    `Xóa phiếu ${name}${when} khỏi trình duyệt này? Không thể hoàn tác.`,
    "Xóa phiếu",
  );
  if (!yes) return;
  const open = id === saving.current.id;
  if (open) {
    saving.blank(); // what was not saved of it goes with it
    await saving.chain;
  }
  try {
    await saving.store.remove(id);
    forgetExport(id);
  } catch (error) {
    saving.say(`Không xóa được phiếu: ${problem(error)}.`, "error");
    return;
  }
  dropPending(id);
  saving.send({ type: "deleted", id, tab: saving.tab });
  if (open) {
    saving.say(`Đã xóa phiếu ${name}; đã bắt đầu một phiếu mới.`);
  } else {
    saving.say(`Đã xóa phiếu ${name}.`);
  }
  await saving.refresh();
  saving.tools.querySelector("summary")?.focus();
}

/** "Tải bản ở thẻ kia": show the stored version of the record and save on top of it. */
async function takeTheirs(saving) {
  let record;
  try {
    record = await saving.store.get(saving.current.id);
  } catch (error) {
    saving.say(`Không đọc được phiếu đã lưu: ${problem(error)}.`, "error");
    return;
  }
  if (!record) {
    saving.conflict("deleted");
    return;
  }
  saving.open(record, `Đã tải bản ở thẻ kia (lưu lúc ${timeOfDay(record.updated)}).`);
  await saving.refresh();
  saving.focusName();
}

/** "Bỏ bản ở thẻ này" (the record was deleted): a blank form. */
async function discardOurs(saving) {
  saving.blank();
  saving.say("Đã bỏ bản ở thẻ này; đã bắt đầu một phiếu mới.");
  await saving.refresh();
  saving.focusName();
}

/** "Giữ bản ở thẻ này thành phiếu riêng": save the form as a new record. */
async function keepAsCopy(saving) {
  saving.current = target(newId(), 0, null, saving.current.carried);
  setDocumentTimes(saving.form, { created: null, updated: null });
  saving.resume();
  saving.remember();
  await saving.saveNow();
  if (!saving.suspended) {
    saving.say("Đã lưu bản ở thẻ này thành một phiếu riêng.");
    await saving.refresh();
  }
  saving.focusName();
}
