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
// The other saving modules: records.mjs (stored record ↔ document), records-view.mjs (the list
// "Các phiếu đã lưu"), commands.mjs (what the user asks of the tools, and the answers to a
// conflict), transfer.mjs (export and import of files). Texts that come from users or their
// files are only ever set with textContent.
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

import { FULL_ADVICE, KEEP_IT, cannotSave, notSaved } from "../../lib/messages.mjs";
import { collectDocument, documentTimes, setDocumentTimes } from "../form.mjs";
import {
  contentOf,
  dateAndTime,
  describe,
  readRecord,
  target,
  timeOfDay,
  unitName,
} from "./records.mjs";
import {
  dropPending,
  full,
  listen,
  newId,
  newestFirst,
  openStore,
  problem,
} from "../storage.mjs";
import { Durability, fallbackText } from "../durability.mjs";
import { carryRecord, needsCarry, notCarried, showCarry, versionOf } from "../versions.mjs";
import { drawList, sortRecords } from "./records-view.mjs";
import { exportReminder } from "./exported.mjs";
import { leaving, recover } from "./recovery.mjs";
import { names } from "../namespace.mjs";
import { setSaving } from "../../lib/page-state.mjs";
import { toJson } from "../../lib/json.mjs";
import { wire } from "./commands.mjs";

const SAVE_DELAY_MS = 300;
const OPEN_KEY = names().open;
const SAVING = "Đang lưu…";

/** What to do after a failed save: export now when the disk is full. */
function advice(error) {
  return full(error) ? FULL_ADVICE : KEEP_IT;
}

export class Saving {
  /**
   * @param {HTMLFormElement} form
   * @param {import("../form.mjs").AssessmentDocument} template the rubric's empty document
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
    /** @type {import("../storage.mjs").Store | null} */
    this.store = null;
    /** @type {(message: object) => void} tells the other tabs (storage.mjs listen) */
    this.send = () => {};
    this.current = target(newId(), 0, contentOf(template)); // the assessment in the form
    this.ready = false;
    this.suspended = null; // "changed" or "deleted" while another tab holds the record
    this.timer = null;
    this.scheduled = false; // a save waits for the delay after a change
    this.carrySave = false; // a record carried over while starting: saved once ready
    /** @type {Promise<void>} */
    this.chain = Promise.resolve();
    this.jobs = []; // saves not finished yet, oldest (the one being written) first
    this.damaged = []; // the listed records that cannot be opened: {record, reason}
    /** @type {() => Promise<string | null>} how far the form's assessment has come */
    this.state = async () => null;
    /**
     * The package of a document (its JSON text) with its files' bytes by SHA-256
     * (scoring_py.api.pack, in the worker).
     * @type {(text: string, files: Map<string, Uint8Array>) => Promise<Uint8Array>}
     */
    this.pack = async () => {
      throw new Error("bộ chấm điểm chưa sẵn sàng");
    };
    /**
     * A package opened and checked (scoring_py.api.unpack, in the worker): its document's
     * JSON text and its files' bytes by SHA-256.
     * @type {(file: File) => Promise<{text: string, files: Map<string, Uint8Array>}>}
     */
    this.unpack = async () => {
      throw new Error("bộ chấm điểm chưa sẵn sàng");
    };
    this.empty = contentOf(template);
    this.others = new Map(); // the listed records of other versions, by id
    this.recovered = new Map(); // id → the id a pending copy was saved under instead
    this.busy = null; // while "Đang lưu…" is shown: what the status said before
    this.durability = new Durability(() => this.refresh());
    /** @type {(selector: string) => HTMLElement} */
    const find = (selector) => document.querySelector(selector);
    this.carryBox = find("[data-carry]");
    this.status = find("[data-save-status]");
    this.tools = find("[data-saving-tools]");
    this.dialog = /** @type {HTMLDialogElement} */ (find("[data-confirm]"));
    this.warning = find("[data-conflict]");
  }

  async start() {
    setSaving("loading");
    // A keystroke says "Đang lưu…" at once; a `change` (a field left) only saves.
    this.form.addEventListener("input", () => this.changed(true));
    this.form.addEventListener("change", () => this.changed(false));
    window.addEventListener("pagehide", () => leaving(this));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.saveNow();
    });
    try {
      this.store = await openStore();
    } catch (error) {
      // Nothing can be saved: the form still works, and "Xuất tệp JSON" keeps it.
      this.store = null;
      this.say(cannotSave(problem(error)), "error");
      this.ready = true;
      if (this.tools) {
        wire(this);
        /** @type {HTMLElement} */ (this.tools.querySelector("[data-saved]")).hidden = true;
      }
      setSaving("off");
      return;
    }
    if (this.store.fallback) this.fellBack(this.store.fallback);
    await this.durability.check();
    this.send = listen((message) => this.received(message));
    await recover(this);
    await this.restore();
    this.ready = true;
    if (this.tools) wire(this);
    await this.refresh();
    this.remindExport();
    setSaving("ready");
    if (this.carrySave) this.saveNow(true);
    else this.schedule();
  }

  /**
   * IndexedDB could not be opened: say so (never a silent change of store), and that this page
   * saves in localStorage meanwhile; a full disk says to export now.
   */
  fellBack(error) {
    /** @type {HTMLElement} */
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
    return sortRecords(records, this.rubricId, this.template);
  }

  /**
   * Say, beside "Xuất tệp JSON", when the form holds content that no exported file has
   * (exported.mjs): the draft lives only in this browser until it is exported. `content` is
   * the form's (contentOf), when the caller has it already.
   * @param {string} [content]
   */
  remindExport(content) {
    const place = this.tools?.querySelector("[data-export-reminder]");
    if (!place) return;
    // Where nothing can be saved, the page already says to export (cannotSave).
    const text = this.store
      ? exportReminder(this.current.id, content ?? contentOf(this.collect()), this.empty)
      : null;
    place.textContent = text ?? "";
    /** @type {HTMLElement} */ (place).hidden = text === null;
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
    const sorted = this.sortRecords(records);
    this.damaged = sorted.damaged;
    this.others = new Map(records.map((record) => [record.id, record]));
    drawList(this.tools, records, sorted, this.current.id);
    this.durability.show(this.tools.querySelector("[data-saved-evict]"));
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
    this.remindExport();
    this.resume();
    this.remember();
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
    let wanted;
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
    const saved = over ? null : contentOf(this.collect());
    this.current = target(record.id, record.revision, saved, kept);
    this.resume();
    this.remember();
    showCarry(this.carryBox, kept, () => this.collect().unit.name);
    this.remindExport();
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
        ? {
            text: this.status.hidden ? "" : this.status.textContent,
            kind: this.status.dataset.kind,
          }
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
    this.remindExport(job?.content); // the snapshot's content, not read from the form again
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
        this.say(notSaved(problem(error), advice(error)), "error");
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

  /**
   * Write a snapshot on top of the revision its assessment last had in this tab.
   * @param {import("./records.mjs").SaveJob} job
   */
  async commit({ target: into, record, content, quiet = false }) {
    const open = () => into === this.current;
    if (content === into.saved || (open() && this.suspended)) return;
    let answer;
    try {
      answer = await this.store.save(record, into.revision);
    } catch (error) {
      this.say(notSaved(problem(error), advice(error), unitName(record.unit)), "error");
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
    /** @type {(selector: string) => HTMLElement} */
    const button = (selector) => this.warning.querySelector(selector);
    button("[data-conflict-reload]").hidden = reason === "deleted";
    button("[data-conflict-discard]").hidden = reason !== "deleted";
    this.warning.hidden = false;
  }

  /** Put the keyboard on the unit's name (after a change of the assessment shown). */
  focusName() {
    /** @type {HTMLElement} */ (this.form.elements.namedItem("unit:name"))?.focus();
  }

  /** Saving again: the question is answered. */
  resume() {
    this.suspended = null;
    if (this.warning) this.warning.hidden = true;
  }
}
