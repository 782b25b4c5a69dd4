// The attached files of the scoring form: per item ([data-attach="<item id>"]) a button to
// attach one or more files, their list (name, size, "Mở", "Bỏ") and a line for what went wrong;
// under the saving tools, the space the site uses ([data-storage-info]).
//
// A file is checked against the limits scoring_py sets (the page's contract: its kinds by
// extension, its size, how many per item and in all, what its name may hold), its SHA-256
// taken, its bytes kept in the browser (store.mjs) and only then named in the form
// (form.mjs setAttachments), so that the draft never names a file the browser does not hold.
// A full quota refuses that file alone, says so, and changes nothing else.

import { contract } from "../../lib/contract.mjs";
import { shown } from "../../lib/files.mjs";
import { attachmentsOf, setAttachments } from "../form.mjs";
import { StoreFull, getBlob, persist, putBlob, sha256Of, usage } from "./store.mjs";

/** A size for a reader: "850 KB", "1,5 MB". */
export function sizeText(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(".", ",").replace(/,0$/, "")} MB`;
}

/** The limits of the page's contract (shapes.AttachmentLimits). */
const limits = () => contract().attachments;

/**
 * Why a file cannot be attached (in Vietnamese), or null when it can: its kind, size and
 * name, as scoring_py checks them (document.attachment_name_problem).
 * @param {{name: string, size: number}} file
 */
export function attachProblem(file) {
  const rules = limits();
  const name = file.name;
  const dot = name.lastIndexOf(".");
  const extension = dot >= 0 ? name.slice(dot).toLowerCase() : "";
  const hidden = rules.hidden.map((category) => `\\p{${category}}`).join("");
  const forbidden = new RegExp(`${rules.forbidden}|[${hidden}]`, "u");
  if (!Object.hasOwn(rules.types, extension)) {
    return `chỉ nhận tệp ${Object.keys(rules.types).join(", ")}`;
  }
  if (file.size > rules.max_bytes) return `tệp lớn quá ${sizeText(rules.max_bytes)}`;
  if (name.length > rules.max_name) return `tên tệp dài quá ${rules.max_name} ký tự`;
  if (forbidden.test(name) || name !== name.trim() || name.endsWith(".")) {
    return "tên tệp có ký tự không dùng được; hãy đổi tên tệp rồi đính kèm lại";
  }
  return null;
}

export class Attachments {
  /**
   * @param {HTMLFormElement} form
   * @param {() => void} changed called once the form names other files (to save, to score)
   */
  constructor(form, changed) {
    this.form = form;
    this.changed = changed;
  }

  start() {
    this.form.addEventListener("change", (event) => {
      const input = /** @type {HTMLInputElement} */ (event.target);
      const itemId = input.dataset?.attachInput;
      if (itemId === undefined || !input.files) return;
      const files = [...input.files];
      input.value = "";
      this.add(itemId, files);
    });
    this.form.addEventListener("click", (event) => {
      const button = /** @type {HTMLElement} */ (event.target).closest?.("[data-attach-action]");
      if (!(button instanceof HTMLElement)) return;
      const { attachAction: action, attachItem: itemId, attachIndex } = button.dataset;
      const index = Number(attachIndex);
      if (action === "open") this.open(itemId, index);
      else if (action === "remove") this.remove(itemId, index);
    });
    this.showAll();
  }

  /** The item's line for what happened. */
  say(itemId, text) {
    const place = this.form.querySelector(`[data-attach-status="${CSS.escape(itemId)}"]`);
    if (place) place.textContent = text;
  }

  /**
   * Attach files to an item, one by one: each checked, hashed and stored before it is named.
   * @param {string} itemId
   * @param {File[]} files
   */
  async add(itemId, files) {
    const rules = limits();
    const said = [];
    let list = attachmentsOf(this.form, itemId);
    persist(); // asked once a file is worth keeping; the answer changes nothing here
    for (const file of files) {
      const problem = attachProblem(file);
      if (problem) {
        said.push(`Không đính kèm được ${shown(file.name)}: ${problem}.`);
        continue;
      }
      if (list.length >= rules.max_per_item || this.count() >= rules.max_files) {
        said.push(
          `Không đính kèm được ${shown(file.name)}: mỗi mục tối đa ${rules.max_per_item} tệp,` +
            ` cả phiếu tối đa ${rules.max_files} tệp.`,
        );
        continue;
      }
      let sha256;
      try {
        sha256 = await sha256Of(file);
        if (list.some((entry) => entry.sha256 === sha256 && entry.name === file.name)) {
          said.push(`Tệp ${shown(file.name)} đã được đính kèm ở mục này.`);
          continue;
        }
        await putBlob(sha256, file);
      } catch (error) {
        const why =
          error instanceof StoreFull
            ? `${error.message}; các tệp đã đính kèm vẫn còn nguyên. Hãy xuất gói hồ sơ, xóa bớt phiếu cũ rồi thử lại`
            : `không lưu được tệp trong trình duyệt (${error?.message ?? error})`;
        said.push(`Không đính kèm được ${shown(file.name)}: ${why}.`);
        continue;
      }
      const type = rules.types[file.name.slice(file.name.lastIndexOf(".")).toLowerCase()];
      list = [...list, { name: file.name, size: file.size, sha256, type }];
      setAttachments(this.form, itemId, list);
      said.push(`Đã đính kèm ${shown(file.name)}.`);
    }
    this.show(itemId);
    this.say(itemId, said.join(" "));
    this.changed();
    this.showUsage();
  }

  /** How many files the whole form names. */
  count() {
    let total = 0;
    for (const place of this.form.querySelectorAll("[data-attach]")) {
      total += attachmentsOf(this.form, /** @type {HTMLElement} */ (place).dataset.attach).length;
    }
    return total;
  }

  /** Open (download) an attached file from the browser's store. */
  async open(itemId, index) {
    const entry = attachmentsOf(this.form, itemId)[index];
    if (!entry) return;
    const blob = await getBlob(entry.sha256).catch(() => null);
    if (!blob) {
      this.say(
        itemId,
        `Trình duyệt này không còn nội dung tệp ${shown(entry.name)}; hãy nhập lại gói hồ sơ có tệp này.`,
      );
      return;
    }
    const url = URL.createObjectURL(new Blob([blob], { type: entry.type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = entry.name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** No longer attach a file to an item (its bytes stay, for other drafts that name them). */
  remove(itemId, index) {
    const list = attachmentsOf(this.form, itemId);
    const [gone] = list.splice(index, 1);
    if (!gone) return;
    setAttachments(this.form, itemId, list);
    this.show(itemId);
    this.say(itemId, `Đã bỏ tệp ${shown(gone.name)} khỏi mục này.`);
    this.changed();
  }

  /** Draw an item's list of files. */
  show(itemId) {
    const list = this.form.querySelector(`[data-attach-list="${CSS.escape(itemId)}"]`);
    if (!list) return;
    const files = attachmentsOf(this.form, itemId);
    list.replaceChildren(
      ...files.map((entry, index) => {
        const row = document.createElement("li");
        const name = document.createElement("span");
        name.className = "td-attach-name";
        name.textContent = entry.name;
        const size = document.createElement("span");
        size.className = "td-attach-size";
        size.textContent = ` (${sizeText(entry.size)}) `;
        row.append(name, size, this.button("open", itemId, index, entry.name));
        row.append(" ", this.button("remove", itemId, index, entry.name));
        return row;
      }),
    );
  }

  button(action, itemId, index, name) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button td-attach-button";
    button.dataset.attachAction = action;
    button.dataset.attachItem = itemId;
    button.dataset.attachIndex = String(index);
    button.textContent = action === "open" ? "Mở" : "Bỏ";
    button.setAttribute("aria-label", `${button.textContent} tệp ${name}`);
    return button;
  }

  /** Draw every item's list (after a document is put into the form). */
  showAll() {
    for (const place of this.form.querySelectorAll("[data-attach]")) {
      const itemId = /** @type {HTMLElement} */ (place).dataset.attach;
      this.show(itemId);
      this.say(itemId, "");
    }
    this.showUsage();
  }

  /** "Trình duyệt đang lưu 12 MB cho trang này, còn chỗ cho khoảng 2.000 MB." */
  async showUsage() {
    const place = document.querySelector("[data-storage-info]");
    if (!place) return;
    const found = await usage();
    if (!found) {
      place.textContent = "";
      return;
    }
    const left = Math.max(found.quota - found.usage, 0);
    place.textContent =
      `Tệp đính kèm được lưu trong trình duyệt này: trang đang dùng ${sizeText(found.usage)},` +
      ` còn chỗ cho khoảng ${sizeText(left)}. Mỗi tệp tối đa ${sizeText(limits().max_bytes)}.`;
  }
}
