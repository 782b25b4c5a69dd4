// Autosave: the form is saved in this browser (storage.mjs) shortly after every change, when
// the page is hidden and when it is left, and the assessment this tab had open comes back on
// reload. Each tab remembers its open record in sessionStorage; a new tab opens the most
// recently saved one of its rubric (the store's save counter decides, not the clock). The
// status says "Đang lưu…" from a change until its save is written, and "Đã tự lưu lúc …" only
// once it is.
//
// A save writes a snapshot taken at once (the form may change, or show another assessment,
// while it is written) and commits only if the stored revision is still the one this tab
// loaded or last saved (compare-and-set). When another tab has saved the same record (its
// message, or a refused save), this tab stops saving it and says so until the user chooses:
// load the other tab's version, or keep this one as a record of its own (see conflict()).
// Nothing is overwritten without the user's choice.
//
// "Các phiếu đã lưu" lists this rubric's saved assessments (one per unit, say), newest first,
// to open or delete, then those of other versions of the rubric, by version (versions.mjs:
// opened, they are carried over to this version), and those left in localStorage while
// IndexedDB could not be opened; "Phiếu mới" starts a blank one. Both ask first, in a
// <dialog> (ask()).
// "Xuất tệp JSON" downloads the form as an assessment file; "Nhập tệp JSON" has scoring_py
// check a file (in the worker) and opens a valid one as a new saved assessment. Texts that
// come from users or their files are only ever set with textContent.
//
// Faults never cost what is on screen or what is stored: a save that fails (storage full, say)
// says why in Vietnamese and autosave tries again at the next change; when the browser cannot
// save at all (storage blocked) the form still works and “Xuất tệp JSON” keeps it; a stored
// record that cannot be opened is listed as damaged, kept as it is, offered for download. A full
// disk (full() in storage.mjs) says to export now. When IndexedDB cannot be opened, the page
// says so and that it saves in localStorage instead. After the first save the page asks the
// browser to keep its storage (navigator.storage.persist()); the list says when the browser
// may still evict drafts.
//
// <html data-saving> is "loading" until the saved assessment is back in the form, then
// "ready", or "off" when the browser cannot save.

import { Durability, FULL_ADVICE, fallbackText } from "./durability.mjs";
import { download, exportName, readFile, shown } from "../lib/files.mjs";
import { collectDocument, documentTimes, parseJson, setDocumentTimes, toJson } from "./form.mjs";
import { names } from "./namespace.mjs";
import {
  damage,
  dropPending,
  full,
  keepPending,
  listen,
  newId,
  newestFirst,
  openStore,
  pendingSaves,
  problem,
} from "./storage.mjs";
import {
  carriedFrom,
  carryOver,
  carryRecord,
  downloadOriginal,
  downloadRecord,
  needsCarry,
  notCarried,
  showCarry,
  versionHeading,
  versionOf,
} from "./versions.mjs";

const SAVE_DELAY_MS = 300;
/** The top-level keys of an exported file, in the order people read them. */
const FILE_ORDER = [
  "format",
  "version",
  "rubric",
  "unit",
  "stages",
  "evidence",
  "report",
  "proposed_band",
  "created",
  "updated",
];
const OPEN_KEY = names().open;
const KEEP_IT =
  "Những gì đã nhập vẫn còn trên trang; hãy dùng “Xuất tệp JSON” để giữ lại (các phiếu đã lưu" +
  " trước đó không bị ảnh hưởng).";
const SAVING = "Đang lưu…";

const FORMAT = "thangdiem-assessment";

const clock = new Intl.DateTimeFormat("vi-VN", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const stamp = new Intl.DateTimeFormat("vi-VN", { dateStyle: "short", timeStyle: "short" });

/** "14:03:22" for an ISO time. */
export function timeOfDay(iso) {
  return clock.format(new Date(iso));
}

/** "21/11/2026, 14:03" (or as the browser writes it in Vietnamese) for an ISO time. */
export function dateAndTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "(không rõ thời điểm)" : stamp.format(date);
}

function describe(error) {
  return error && error.message ? error.message : String(error);
}

/** What to do after a failed save: export now when the disk is full. */
function advice(error) {
  return full(error) ? FULL_ADVICE : KEEP_IT;
}

/** A document's content without its timestamps, as JSON text (what a save would change). */
function contentOf(doc) {
  return toJson({ ...doc, created: null, updated: null });
}

/**
 * A stored record of the rubric `rubricId` (of any version) as the document it holds, or an
 * Error saying (in Vietnamese) why it cannot be opened.
 */
function readRecord(record, rubricId) {
  const reason = damage(record);
  if (reason) return new Error(reason);
  let doc;
  try {
    doc = parseJson(record.document);
  } catch (error) {
    return error;
  }
  if (!doc || typeof doc !== "object" || doc.format !== FORMAT) {
    return new Error("nội dung không phải tài liệu chấm điểm");
  }
  const key = `${doc.rubric?.id}@${doc.rubric?.version}`;
  if (doc.rubric?.id !== rubricId || key !== record.rubric) {
    return new Error("nội dung thuộc thang điểm hoặc phiên bản khác");
  }
  return doc;
}

/** A unit's name for lists and questions. */
function unitName(name) {
  return typeof name === "string" && name.trim() ? name.trim() : "(chưa ghi tên đơn vị)";
}

/**
 * Ask a yes/no question in the page's <dialog> (modal: keyboard focus stays inside, Escape
 * answers no, focus starts on "Hủy"); resolves with true for `yes`.
 */
export function ask(dialog, question, yes) {
  if (!dialog || dialog.open) return Promise.resolve(false);
  dialog.querySelector("[data-confirm-text]").textContent = question;
  dialog.querySelector("[data-confirm-ok]").textContent = yes;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}

/**
 * An assessment this tab edits: its record's id, the revision this tab loaded or last saved,
 * and that revision's content (contentOf; null: not saved by this tab yet).
 */
function target(id, revision = 0, saved = null, carried = null) {
  return { id, revision, saved, carried };
}

function sameContent(textA, textB) {
  try {
    return contentOf(parseJson(textA)) === contentOf(parseJson(textB));
  } catch {
    return false;
  }
}

export class Saving {
  /**
   * @param {HTMLFormElement} form
   * @param {object} template the rubric's empty document
   * @param {(doc: object) => string[]} show put a document into the form (see main.mjs)
   * @param {(text: string) => Promise<string>} carry api.carry_document in the worker
   */
  constructor(form, template, show, carry) {
    this.form = form;
    this.template = template;
    this.show = show;
    this.carry = carry;
    this.rubricId = template.rubric.id;
    this.rubric = `${template.rubric.id}@${template.rubric.version}`;
    this.tab = newId();
    this.store = null;
    this.send = () => {};
    this.current = target(newId(), 0, contentOf(template)); // the assessment in the form
    this.ready = false;
    this.suspended = null; // "changed" or "deleted" while another tab holds the record
    this.timer = null;
    this.chain = Promise.resolve();
    this.jobs = []; // saves not finished yet, oldest (the one being written) first
    this.damaged = []; // the listed records that cannot be opened: {record, reason}
    this.others = new Map(); // the listed records of other versions, by id
    this.recovered = new Map(); // id → the id a pending copy was saved under instead
    this.busy = null; // while "Đang lưu…" is shown: what the status said before
    this.durability = new Durability(() => this.refresh());
    this.carryBox = document.querySelector("[data-carry]");
    this.status = document.querySelector("[data-save-status]");
    this.tools = document.querySelector("[data-saving-tools]");
    this.dialog = document.querySelector("[data-confirm]");
    this.warning = document.querySelector("[data-conflict]");
  }

  /** Wire the buttons of the saving tools. */
  wire() {
    const on = (selector, handler) => {
      const element = this.tools.querySelector(selector);
      if (element) element.addEventListener("click", handler);
    };
    on("[data-new-assessment]", () => this.startNew());
    on("[data-export]", () => this.exportFile());
    const input = this.tools.querySelector("[data-import]");
    input.addEventListener("change", async () => {
      const [file] = input.files;
      if (file) await this.importFile(file);
      input.value = ""; // the same file can be chosen again
    });
    this.tools.querySelector("[data-saved-list]").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const { action, id, index } = button.dataset;
      if (action === "open") this.openSaved(id);
      else if (action === "delete") this.deleteSaved(id);
      else if (action === "download-damaged") this.downloadDamaged(Number(index));
      else if (action === "download-other") downloadRecord(this.others.get(id));
      else if (action === "download-original") {
        const record = this.others.get(id);
        if (record?.carried) downloadOriginal(record.carried, record.unit);
      }
    });
    this.tools.hidden = false;
    if (this.warning) {
      const choose = (selector, handler) =>
        this.warning.querySelector(selector).addEventListener("click", handler);
      choose("[data-conflict-reload]", () => this.takeTheirs());
      choose("[data-conflict-discard]", () => this.discardOurs());
      choose("[data-conflict-copy]", () => this.keepAsCopy());
    }
  }

  async start() {
    const root = document.documentElement;
    root.dataset.saving = "loading";
    // A keystroke says "Đang lưu…" at once; a `change` (a field left) only saves.
    this.form.addEventListener("input", () => this.changed(true));
    this.form.addEventListener("change", () => this.changed(false));
    window.addEventListener("pagehide", () => this.leaving());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.saveNow();
    });
    try {
      this.store = await openStore();
    } catch (error) {
      // Nothing can be saved: the form still works, and "Xuất tệp JSON" keeps it.
      this.store = null;
      this.say(
        `Không lưu được phiếu trong trình duyệt này: ${problem(error)}. Tải lại hoặc đóng trang` +
          " thì những gì đã nhập sẽ mất; hãy dùng “Xuất tệp JSON” để giữ lại.",
        "error",
      );
      this.ready = true;
      if (this.tools) {
        this.wire();
        this.tools.querySelector("[data-saved]").hidden = true;
      }
      root.dataset.saving = "off";
      return;
    }
    if (this.store.fallback) this.fellBack(this.store.fallback);
    await this.durability.check();
    this.send = listen((message) => this.received(message));
    await this.recover();
    await this.restore();
    this.ready = true;
    if (this.tools) this.wire();
    await this.refresh();
    root.dataset.saving = "ready";
    if (this.carrySave) this.saveNow(true);
    else this.schedule();
  }

  /**
   * IndexedDB could not be opened: say so (never a silent change of store), and that this page
   * saves in localStorage meanwhile; a full disk says to export now.
   */
  fellBack(error) {
    const box = this.tools?.querySelector("[data-store-warning]");
    const text = fallbackText(error);
    this.say(text, "error");
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  /** Split listed records: this version's, other versions' (by version), damaged. */
  sortRecords(records) {
    const good = [];
    const older = new Map();
    const damaged = [];
    for (const record of records) {
      const doc = readRecord(record, this.rubricId);
      if (doc instanceof Error) damaged.push({ record, reason: describe(doc) });
      else if (needsCarry(doc, this.template)) {
        const group = older.get(record.rubric) ?? [];
        group.push(record);
        older.set(record.rubric, group);
      } else good.push(record);
    }
    good.sort(newestFirst);
    for (const group of older.values()) group.sort(newestFirst);
    return { good, older, damaged };
  }

  /** Show the list of saved assessments again. */
  async refresh() {
    if (!this.tools) return;
    let records;
    try {
      records = await this.store.list(this.rubricId);
    } catch {
      return;
    }
    const { good, older, damaged } = this.sortRecords(records);
    this.damaged = damaged;
    this.others = new Map(records.map((record) => [record.id, record]));
    const groups = [...older.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
    const list = this.tools.querySelector("[data-saved-list]");
    list.replaceChildren(
      ...good.map((record) => this.entry(record)),
      ...groups.flatMap(([key, group]) => [
        versionHeading(key, group.length),
        ...group.map((record) => this.entry(record, true)),
      ]),
      ...damaged.map(({ record, reason }, index) => this.damagedEntry(record, reason, index)),
    );
    this.durability.show(this.tools.querySelector("[data-saved-evict]"));
    this.tools.querySelector("[data-saved-count]").textContent = String(records.length);
    this.tools.querySelector("[data-saved-empty]").hidden = records.length > 0;
  }

  /**
   * One saved assessment in the list: name, time, and its buttons; `other`: a record of
   * another version of the rubric (opened, it is carried over to this one).
   */
  entry(record, other = false) {
    const item = document.createElement("li");
    const name = unitName(record.unit);
    const title = document.createElement("span");
    title.className = "td-saved-name";
    title.textContent = name;
    const time = document.createElement("span");
    time.className = "td-saved-time";
    time.textContent = `lưu lúc ${dateAndTime(record.updated)}`;
    item.append(title, time);
    const note = (text) => {
      const mark = document.createElement("span");
      mark.className = "td-saved-time";
      mark.textContent = text;
      item.append(mark);
    };
    if (other) note(`(phiên bản ${versionOf(record.rubric)})`);
    if (record.where === "localstorage") note("(lưu tạm trong localStorage)");
    if (!other && record.carried) note(`(chuyển từ phiên bản ${versionOf(record.carried.from)})`);
    const button = (action, text, label) => {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "md-button";
      element.dataset.action = action;
      element.dataset.id = record.id;
      element.textContent = text;
      element.setAttribute("aria-label", label);
      return element;
    };
    if (record.id === this.current.id) {
      const mark = document.createElement("span");
      mark.className = "td-saved-current";
      mark.textContent = "(đang mở)";
      item.append(mark);
      item.setAttribute("aria-current", "true");
    } else {
      item.append(button("open", "Mở", `Mở phiếu ${name}`));
    }
    if (other) item.append(button("download-other", "Tải về", `Tải về phiếu ${name}`));
    if (!other && record.carried) {
      item.append(button("download-original", "Tải bản gốc", `Tải bản gốc của phiếu ${name}`));
    }
    item.append(button("delete", "Xóa", `Xóa phiếu ${name}`));
    return item;
  }

  /**
   * A stored record this page cannot open: kept as it is, named as damaged, and offered for
   * download (to send to someone who can repair it) or deletion.
   */
  damagedEntry(record, reason, index) {
    const item = document.createElement("li");
    item.className = "td-saved-damaged";
    const title = document.createElement("span");
    title.className = "td-saved-name";
    title.textContent = `Phiếu bị hỏng, không mở được (${reason})`;
    item.append(title);
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "md-button";
    keep.dataset.action = "download-damaged";
    keep.dataset.index = String(index);
    keep.textContent = "Tải về";
    keep.setAttribute("aria-label", "Tải về phiếu bị hỏng");
    item.append(keep);
    if (record && typeof record.id === "string" && record.id) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "md-button";
      remove.dataset.action = "delete";
      remove.dataset.id = record.id;
      remove.textContent = "Xóa";
      remove.setAttribute("aria-label", "Xóa phiếu bị hỏng");
      item.append(remove);
    }
    return item;
  }

  /** "Tải về" a damaged record: its stored content as it is, in a file. */
  downloadDamaged(index) {
    const record = this.damaged[index]?.record;
    let text;
    try {
      text = JSON.stringify(record, null, 2);
    } catch {
      text = String(record);
    }
    const id = record && typeof record.id === "string" ? record.id.slice(0, 32) : String(index);
    download(`phieu-hong-${id.replace(/[^0-9a-z-]/gi, "")}.json`, `${text}\n`);
  }

  /** The user wants to act while another tab holds the record: point at the question. */
  blocked() {
    if (!this.suspended) return false;
    const buttons = this.warning ? [...this.warning.querySelectorAll("button")] : [];
    buttons.find((button) => !button.hidden)?.focus();
    return true;
  }

  /** Show a blank form as a new assessment (saved once something is entered). */
  blank() {
    this.show(structuredClone(this.template));
    this.current = target(newId(), 0, contentOf(this.collect()));
    showCarry(this.carryBox, null);
    this.resume();
    this.remember();
  }

  /** "Phiếu mới": after asking, save the open assessment and start a blank one. */
  async startNew() {
    if (this.blocked()) return;
    const yes = await ask(
      this.dialog,
      this.store
        ? "Bắt đầu một phiếu mới, để trống? Phiếu đang mở đã được lưu và vẫn mở lại được trong" +
            " “Các phiếu đã lưu”."
        : "Bắt đầu một phiếu mới, để trống? Trình duyệt này không lưu được phiếu: những gì" +
            " đang nhập sẽ mất nếu chưa “Xuất tệp JSON”.",
      "Tạo phiếu mới",
    );
    if (!yes || this.blocked()) return;
    const saving = this.saveNow(); // a snapshot of the open one, then at once a blank form
    this.blank();
    this.say("Đã bắt đầu một phiếu mới.");
    this.form.querySelector('[name="unit:name"]')?.focus();
    await saving;
    await this.refresh();
  }

  /** Open a saved assessment (after saving the open one). */
  async openSaved(id) {
    if (this.blocked()) return;
    let record = null;
    try {
      record = await this.find(id);
    } catch (error) {
      this.say(`Không đọc được phiếu đã lưu: ${problem(error)}.`, "error");
      return;
    }
    if (this.blocked()) return;
    if (!record) {
      this.say("Phiếu này không còn nữa (có thể đã bị xóa ở một thẻ khác).", "error");
      await this.refresh();
      return;
    }
    const name = unitName(record.unit);
    const message = `Đã mở phiếu ${name} (lưu lúc ${dateAndTime(record.updated)}).`;
    const carried = await this.carried(record);
    if (carried instanceof Error) {
      this.say(notCarried(record, carried), "error");
      return;
    }
    if (this.blocked()) return;
    const saving = this.saveNow(); // a snapshot of the open one, then at once the other
    this.open(record, message, carried);
    this.form.querySelector('[name="unit:name"]')?.focus();
    await saving;
    await this.refresh();
  }

  /** Delete a saved assessment, after asking; deleting the open one starts a blank form. */
  async deleteSaved(id) {
    let record = null;
    try {
      record = (await this.store.get(id)) ?? this.others.get(id) ?? null;
    } catch {
      record = null;
    }
    const name = unitName(record ? record.unit : null);
    const when = record ? ` (lưu lúc ${dateAndTime(record.updated)})` : "";
    const yes = await ask(
      this.dialog,
      `Xóa phiếu ${name}${when} khỏi trình duyệt này? Không thể hoàn tác.`,
      "Xóa phiếu",
    );
    if (!yes) return;
    const open = id === this.current.id;
    if (open) {
      this.blank(); // what was not saved of it goes with it
      await this.chain;
    }
    try {
      await this.store.remove(id);
    } catch (error) {
      this.say(`Không xóa được phiếu: ${problem(error)}.`, "error");
      return;
    }
    dropPending(id);
    this.send({ type: "deleted", id, tab: this.tab });
    if (open) {
      this.say(`Đã xóa phiếu ${name}; đã bắt đầu một phiếu mới.`);
    } else {
      this.say(`Đã xóa phiếu ${name}.`);
    }
    await this.refresh();
    this.tools.querySelector("summary")?.focus();
  }

  /** The form's document, as plain data. */
  collect() {
    return collectDocument(this.form, this.template);
  }

  say(text, kind = "info") {
    this.busy = null;
    if (!this.status) return;
    this.status.textContent = text;
    this.status.dataset.kind = kind;
    this.status.hidden = !text;
  }

  remember() {
    try {
      sessionStorage.setItem(OPEN_KEY + this.rubricId, this.current.id);
    } catch {
      // a reload will open the most recent record instead
    }
  }

  /**
   * A stored record by id: from IndexedDB, or one left in localStorage (moved into IndexedDB
   * first, so that it is saved where the page saves).
   */
  async find(id) {
    const record = await this.store.get(id);
    if (record || !this.store.adopt) return record;
    const left = await this.store.local.get(id);
    return left ? this.store.adopt(left) : null;
  }

  /** A listed record, moved into IndexedDB first when it was left in localStorage. */
  async adopted(record) {
    return record && record.where === "localstorage" ? this.store.adopt(record) : record;
  }

  /** See carryRecord (versions.mjs). */
  carried(record) {
    return carryRecord(this.carry, record, readRecord(record, this.rubricId), this.template);
  }

  /** Open the record that this tab had open, else the most recent one, else a blank form. */
  async restore() {
    if (contentOf(this.collect()) !== this.current.saved) {
      // Typed into before the saved assessments could be read: keep that as a new one.
      this.remember();
      return;
    }
    let wanted = null;
    try {
      wanted = sessionStorage.getItem(OPEN_KEY + this.rubricId);
    } catch {
      wanted = null;
    }
    const recovered = wanted ? this.recovered.get(wanted) : undefined;
    let candidates = [];
    try {
      if (wanted) {
        candidates = [await this.find(recovered ?? wanted)];
      } else {
        // The most recent one that opens, of this version, else of an older one; a damaged one
        // stays listed, as it is.
        const { good, older } = this.sortRecords(await this.store.list(this.rubricId));
        candidates = [...good, ...[...older.values()].flat().sort(newestFirst)];
      }
    } catch (error) {
      this.say(`Không đọc được các phiếu đã lưu: ${problem(error)}.`, "error");
    }
    let [record] = candidates;
    try {
      record = await this.adopted(record);
    } catch (error) {
      this.say(`Không đọc được các phiếu đã lưu: ${problem(error)}.`, "error");
      record = null;
    }
    if (!record) {
      if (wanted) {
        this.say(
          "Phiếu mở ở thẻ này lần trước không còn trong trình duyệt (có thể đã bị xóa ở một" +
            " thẻ khác); đã bắt đầu một phiếu mới.",
          "error",
        );
      }
      this.remember();
      return;
    }
    const form = contentOf(this.collect());
    const doc = readRecord(record, this.rubricId);
    if (!(doc instanceof Error) && needsCarry(doc, this.template)) {
      this.say(
        `Đang chuyển phiếu ${unitName(record.unit)} (phiên bản ${versionOf(record.rubric)})` +
          " sang phiên bản hiện hành của thang điểm…",
      );
    }
    const carried = await this.carried(record);
    if (contentOf(this.collect()) !== form) {
      this.remember(); // typed into meanwhile: that stays, the record stays listed
      return;
    }
    if (carried instanceof Error) {
      this.say(notCarried(record, carried), "error");
      this.remember();
      return;
    }
    const message = recovered
      ? `Đã khôi phục phiếu ${unitName(record.unit)} từ bản lưu tạm khi rời trang (lưu lúc` +
        ` ${dateAndTime(record.updated)}); phiếu đó không còn trong bộ nhớ của trình duyệt nên` +
        " được lưu thành một phiếu mới."
      : `Đã mở lại phiếu lưu lúc ${dateAndTime(record.updated)}.`;
    const opened = this.open(record, message, carried);
    if (!opened) this.remember();
  }

  /**
   * Put a stored record into the form and make it this tab's record. A damaged one changes
   * nothing (the form keeps what it shows, the record stays stored) and says why. `carried`
   * is what carried() gave: a record of another version is saved at once as carried over,
   * keeping its original document.
   */
  open(record, message, carried = null) {
    const doc = carried ? carried.doc : readRecord(record, this.rubricId);
    if (doc instanceof Error) {
      this.say(
        `Phiếu đã lưu bị hỏng, không mở được (${describe(doc)}); phiếu đó được giữ nguyên` +
          " trong “Các phiếu đã lưu”.",
        "error",
      );
      return false;
    }
    const lost = this.show(doc);
    const over = carried?.carried ?? null;
    const kept = over ?? record.carried ?? null;
    this.current = target(record.id, record.revision, over ? null : contentOf(this.collect()), kept);
    this.resume();
    this.remember();
    showCarry(this.carryBox, kept, () => this.collect().unit.name);
    const note = lost.length ? ` Không hiện được trên phiếu: ${lost.join("; ")}.` : "";
    const moved = over ? ` ${over.message} Xem thông báo về các thay đổi bên dưới.` : "";
    this.say(message + moved + note, lost.length ? "error" : "info");
    // Saved as carried over, on top of the record's revision (once the page is ready).
    if (over && this.ready) this.saveNow(true);
    else if (over) this.carrySave = true;
    return true;
  }

  changed(typed) {
    if (!this.ready || this.suspended) return;
    if (typed && this.store && this.busy === null) {
      const before = this.status
        ? { text: this.status.hidden ? "" : this.status.textContent, kind: this.status.dataset.kind }
        : null;
      this.say(SAVING);
      this.busy = before ?? { text: "", kind: "info" };
    }
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.scheduled = true;
    this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  /**
   * Save the form now (after the saves under way): a snapshot is taken at once, so the form
   * may change, or show another assessment, right after. Resolves when written. `quiet`: the
   * status keeps what it says (the message of the assessment just opened).
   */
  saveNow(quiet = false) {
    clearTimeout(this.timer);
    this.scheduled = false;
    const job = this.snapshot();
    if (job) {
      job.quiet = quiet;
      this.jobs.push(job);
    }
    this.chain = this.chain.then(async () => {
      if (!job) {
        // Nothing new to write (changed back, say): the status says again what it said.
        if (this.busy && this.jobs.length === 0) this.say(this.busy.text, this.busy.kind);
        return;
      }
      try {
        await this.commit(job);
      } catch (error) {
        this.say(`Không lưu được phiếu: ${problem(error)}. ${advice(error)}`, "error");
      } finally {
        this.jobs.splice(this.jobs.indexOf(job), 1);
      }
    });
    return this.chain;
  }

  /** The form as a record of the assessment in it, stamped now. */
  record(doc = this.collect()) {
    const now = new Date().toISOString();
    const created = documentTimes(this.form).created ?? now;
    doc.created = created;
    doc.updated = now;
    const record = {
      id: this.current.id,
      rubric: this.rubric,
      unit: doc.unit.name,
      created,
      updated: now,
      document: toJson(doc),
    };
    if (this.current.carried) record.carried = this.current.carried;
    return record;
  }

  /** A save of the form as it is now ({target, record, content}), or null: nothing to save. */
  snapshot() {
    if (!this.ready || !this.store || this.suspended) return null;
    const doc = this.collect();
    const content = contentOf(doc);
    if (content === this.current.saved) return null;
    return { target: this.current, record: this.record(doc), content };
  }

  /** Write a snapshot on top of the revision its assessment last had in this tab. */
  async commit({ target: into, record, content, quiet }) {
    const open = () => into === this.current;
    if (content === into.saved || (open() && this.suspended)) return;
    let answer;
    try {
      answer = await this.store.save(record, into.revision);
    } catch (error) {
      const name = unitName(record.unit);
      this.say(`Không lưu được phiếu ${name}: ${problem(error)}. ${advice(error)}`, "error");
      return;
    }
    if (!answer.ok && open()) {
      this.conflict(answer.stored ? "changed" : "deleted", answer.stored?.updated);
      return;
    }
    let saved = record;
    if (!answer.ok) {
      // The assessment this tab has just left was changed in another tab meanwhile: keep
      // this tab's last version of it as a record of its own.
      saved = { ...record, id: newId() };
      try {
        answer = await this.store.save(saved, 0);
      } catch {
        answer = { ok: false };
      }
      if (!answer.ok) return;
      this.say(
        `Bản cuối ở thẻ này của phiếu ${unitName(record.unit)} được lưu thành một phiếu riêng,` +
          " vì phiếu đó vừa được sửa ở một thẻ khác.",
      );
    } else {
      into.revision = answer.revision;
      into.saved = content;
    }
    dropPending(record.id);
    this.send({
      type: "saved",
      id: saved.id,
      revision: answer.revision,
      updated: saved.updated,
      tab: this.tab,
    });
    if (open()) {
      setDocumentTimes(this.form, { created: record.created, updated: record.updated });
      const where = this.store.fallback
        ? " (tạm vào localStorage, vì IndexedDB không mở được; nên “Xuất tệp JSON”)"
        : "";
      const kind = this.store.fallback ? "error" : "info";
      // Only once nothing typed is still waiting to be written.
      if (this.jobs.length <= 1 && !this.scheduled && !quiet) {
        this.say(`Đã tự lưu lúc ${timeOfDay(record.updated)}${where}.`, kind);
      }
    }
    this.durability.ask();
    await this.refresh();
  }

  /**
   * The page is being left: keep (synchronously) what the saves under way and the form's
   * latest changes would write, in case they cannot finish; then start saving the form.
   */
  leaving() {
    if (!this.ready || !this.store) return;
    const latest = new Map(); // record id → its newest save
    for (const job of this.jobs) latest.set(job.record.id, job);
    if (this.suspended) {
      // Another tab holds this assessment: keep this tab's version as a copy.
      const doc = this.collect();
      if (contentOf(doc) !== this.current.saved) {
        const copy = { ...this.record(doc), id: newId() };
        if (keepPending(copy, 0, null)) {
          try {
            sessionStorage.setItem(OPEN_KEY + this.rubricId, copy.id); // the next page opens it
          } catch {
            // the next page opens the most recent record
          }
        }
      }
    } else {
      const job = this.snapshot();
      if (job) latest.set(job.record.id, job);
    }
    const writing = this.jobs[0];
    for (const job of latest.values()) {
      const after = writing && writing !== job && writing.target === job.target;
      keepPending(job.record, job.target.revision, after ? writing.record.document : null);
    }
    this.saveNow();
  }

  /**
   * Apply the copies kept by pages that were left before their save finished: on top of the
   * record when nobody saved it since, else (another tab did) as a record of its own.
   */
  async recover() {
    for (const { record, expected, alsoAfter } of pendingSaves(this.rubric)) {
      try {
        const stored = await this.store.get(record.id);
        if (stored && sameContent(stored.document, record.document)) {
          dropPending(record.id);
          continue;
        }
        let base = null;
        const revision = stored ? stored.revision : 0;
        if (revision === expected) {
          base = expected;
        } else if (revision === expected + 1 && alsoAfter) {
          // The save under way when the page was left did finish: apply on top of it.
          if (sameContent(stored.document, alsoAfter)) base = revision;
        }
        let saved = record;
        let answer = base === null ? null : await this.store.save(record, base);
        if (!answer || !answer.ok) {
          saved = { ...record, id: newId() };
          answer = await this.store.save(saved, 0);
        }
        if (!answer.ok) continue;
        dropPending(record.id);
        if (saved.id !== record.id) this.recovered.set(record.id, saved.id);
        this.send({ type: "saved", id: saved.id, revision: answer.revision, tab: this.tab });
      } catch {
        // kept for the next page
      }
    }
  }

  received(message) {
    if (!message || message.tab === this.tab) return;
    if (this.ready) this.refresh();
    if (message.id !== this.current.id) return;
    if (message.type === "saved" && message.revision > this.current.revision) {
      this.conflict("changed", message.updated);
    } else if (message.type === "deleted") {
      this.conflict("deleted");
    }
  }

  /**
   * Another tab has saved (or deleted) this record: stop saving it, and ask the user to load
   * the other tab's version (or drop this one, when deleted) or to keep this one as a copy.
   */
  conflict(reason, updated = null) {
    clearTimeout(this.timer);
    this.suspended = reason;
    this.say("Thẻ này tạm ngừng tự lưu phiếu đang mở.", "error");
    if (!this.warning) return;
    const when = updated ? ` (lưu lúc ${timeOfDay(updated)})` : "";
    this.warning.querySelector("[data-conflict-text]").textContent =
      reason === "deleted"
        ? "Phiếu này vừa bị xóa ở một thẻ khác. Thẻ này tạm ngừng tự lưu phiếu này; những gì" +
          " đang có ở đây chưa được lưu. Hãy chọn: giữ bản ở thẻ này thành một phiếu riêng," +
          " hoặc bỏ nó."
        : `Phiếu này đang được sửa ở một thẻ khác${when}. Thẻ này tạm ngừng tự lưu để hai` +
          " thẻ không ghi đè lên nhau. Hãy chọn: tải bản ở thẻ kia (bỏ những gì chưa lưu ở" +
          " đây), hoặc giữ bản ở thẻ này thành một phiếu riêng.";
    this.warning.querySelector("[data-conflict-reload]").hidden = reason === "deleted";
    this.warning.querySelector("[data-conflict-discard]").hidden = reason !== "deleted";
    this.warning.hidden = false;
  }

  /** Show (or, with null, hide) the message about a file. */
  fileMessage(text) {
    const element = this.tools?.querySelector("[data-file-message]");
    if (!element) return;
    element.textContent = text ?? "";
    element.hidden = !text;
  }

  /** "Xuất tệp JSON": the form as an assessment file, named after the unit and the date. */
  async exportFile() {
    this.fileMessage(null);
    await this.saveNow();
    const doc = this.collect();
    const now = new Date();
    doc.created = doc.created ?? now.toISOString();
    doc.updated = now.toISOString();
    const name = exportName(doc.unit.name, now);
    const keys = [...FILE_ORDER, ...Object.keys(doc).filter((key) => !FILE_ORDER.includes(key))];
    const ordered = Object.fromEntries(keys.filter((key) => key in doc).map((k) => [k, doc[k]]));
    download(name, toJson(ordered, 2) + "\n");
    this.say(`Đã xuất tệp ${name}.`);
  }

  /**
   * "Nhập tệp JSON": check the file with scoring_py; a valid one opens as a new saved
   * assessment (the open one is saved and kept); one of another version of the rubric is
   * carried over first, keeping the file's document in the record. Anything else changes
   * nothing and says why.
   */
  async importFile(file) {
    this.fileMessage(null);
    if (this.blocked()) return;
    const refuse = (reason) => {
      this.fileMessage(`Không nhập được tệp ${shown(file.name)}: ${reason}`);
      this.say("");
    };
    let answer;
    let text;
    try {
      text = await readFile(file);
      this.say(`Đang kiểm tra tệp ${shown(file.name)}…`);
      answer = await carryOver(this.carry, text);
    } catch (error) {
      refuse(describe(error));
      return;
    }
    if (answer instanceof Error) {
      refuse(answer.message);
      return;
    }
    if (this.blocked()) return;
    const saving = this.saveNow(); // a snapshot of the open one, then at once the file's
    const lost = this.show(answer.document);
    const { report } = answer;
    let carried = null;
    if (report) {
      const from = `${this.rubricId}@${report.from.version}`;
      carried = carriedFrom(from, text, report);
    }
    this.current = target(newId(), 0, null, carried);
    showCarry(this.carryBox, carried, () => this.collect().unit.name);
    this.resume();
    this.remember();
    const imported = this.saveNow();
    this.form.querySelector('[name="unit:name"]')?.focus();
    await saving;
    await imported;
    const moved = report ? ` ${report.message} Xem thông báo về các thay đổi bên dưới.` : "";
    this.say(`Đã nhập tệp ${shown(file.name)} thành một phiếu mới.${moved}`);
    const notes = [...(answer.warnings ?? [])];
    if (lost.length) {
      notes.push(
        `tệp ${shown(file.name)} có giá trị mà phiếu không hiện được nên không được giữ lại:` +
          ` ${lost.join("; ")}.`,
      );
    }
    if (notes.length) this.fileMessage(`Lưu ý: ${notes.join(" ")}`);
  }

  /** Saving again: the question is answered. */
  resume() {
    this.suspended = null;
    if (this.warning) this.warning.hidden = true;
  }

  /** "Tải bản ở thẻ kia": show the stored version of the record and save on top of it. */
  async takeTheirs() {
    let record = null;
    try {
      record = await this.store.get(this.current.id);
    } catch (error) {
      this.say(`Không đọc được phiếu đã lưu: ${problem(error)}.`, "error");
      return;
    }
    if (!record) {
      this.conflict("deleted");
      return;
    }
    this.open(record, `Đã tải bản ở thẻ kia (lưu lúc ${timeOfDay(record.updated)}).`);
    await this.refresh();
    this.form.querySelector('[name="unit:name"]')?.focus();
  }

  /** "Bỏ bản ở thẻ này" (the record was deleted): a blank form. */
  async discardOurs() {
    this.blank();
    this.say("Đã bỏ bản ở thẻ này; đã bắt đầu một phiếu mới.");
    await this.refresh();
    this.form.querySelector('[name="unit:name"]')?.focus();
  }

  /** "Giữ bản ở thẻ này thành phiếu riêng": save the form as a new record. */
  async keepAsCopy() {
    this.current = target(newId(), 0, null, this.current.carried);
    setDocumentTimes(this.form, { created: null, updated: null });
    this.resume();
    this.remember();
    await this.saveNow();
    if (!this.suspended) {
      this.say("Đã lưu bản ở thẻ này thành một phiếu riêng.");
      await this.refresh();
    }
    this.form.querySelector('[name="unit:name"]')?.focus();
  }
}
