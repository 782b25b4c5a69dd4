// Show the summary page's answer (scoring_py.api.SummaryBatch.page): tables whose columns and
// cells come from scoring_py.tables, written as a reader sees them; nothing here formats a
// number or knows a column by its position.
//
// Every text that comes from a file (unit names, file names, reasons) is set with textContent,
// never parsed as HTML. The units' table draws its first rows at once and the rest as the
// reader scrolls to them (or all at once before printing), and so does the list of files to
// review, so that 10,000 units never make one long task on the page.

import { calendarDate, dateAndTime } from "../lib/dates.mjs";
import { drawCharts } from "./charts.mjs";

/** Rows of a long table drawn at first, then at each step as the reader scrolls. */
export const FIRST_ROWS = 200;
const MORE_ROWS = 500;
/** Units with several files shown at first (each is a group of choices). */
const FIRST_GROUPS = 50;

/**
 * @typedef {{key: string, title: string, kind: "number" | "difference" | "text",
 *            main: boolean, header: boolean}} Column
 * @typedef {{columns: Column[], rows: string[][]}} Table
 */

/** The self vs appraised difference: an arrow and bold type say it; colour only helps. */
function difference(cell, text) {
  cell.textContent = "";
  const up = text.startsWith("+");
  if (!up && !text.startsWith("−")) {
    cell.textContent = text;
    return;
  }
  const mark = document.createElement("span");
  mark.setAttribute("aria-hidden", "true");
  mark.textContent = up ? "↑ " : "↓ "; // in the printouts' font (its latin subset)
  cell.append(mark, text);
  cell.classList.add("th-diff", up ? "th-diff--up" : "th-diff--down");
  cell.title = up ? "Điểm thẩm định cao hơn điểm tự chấm" : "Điểm thẩm định thấp hơn điểm tự chấm";
}

function className(column) {
  const names = [];
  if (column.kind !== "text") names.push("th-num");
  if (column.main) names.push("th-main");
  return names.join(" ");
}

/** One row of a table, its cells laid out as its columns say. */
function row(columns, cells) {
  const tr = document.createElement("tr");
  columns.forEach((column, index) => {
    const cell = document.createElement(column.header ? "th" : "td");
    if (column.header) cell.scope = "row";
    const name = className(column);
    if (name) cell.className = name;
    if (column.kind === "difference") difference(cell, cells[index]);
    else cell.textContent = cells[index];
    tr.append(cell);
  });
  return tr;
}

function head(columns) {
  const tr = document.createElement("tr");
  for (const column of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.column = column.key;
    const name = className(column);
    if (name) th.className = name;
    th.textContent = column.title;
    tr.append(th);
  }
  return tr;
}

/** Put `table`'s rows [from, to) at the end of `body`, in one fragment. */
function append(body, table, from, to) {
  const fragment = document.createDocumentFragment();
  for (let index = from; index < to; index++) fragment.append(row(table.columns, table.rows[index]));
  body.append(fragment);
}

/** Draw a whole (short) table into the <table> that holds `[data-rows=name]`. */
function fill(root, name, table) {
  const body = root.querySelector(`[data-rows="${name}"]`);
  const element = body.closest("table");
  element.querySelector("thead").replaceChildren(head(table.columns));
  body.replaceChildren();
  append(body, table, 0, table.rows.length);
}

/**
 * A long table (the units, the files to review): the first rows now, more as they come into
 * view, all before printing or when asked.
 */
class LongTable {
  constructor(root, name, noun) {
    this.body = root.querySelector(`[data-rows="${name}"]`);
    this.head = this.body.closest("table").querySelector("thead");
    this.moreBox = root.querySelector(`[data-more-box="${name}"]`);
    this.moreText = this.moreBox.querySelector("[data-more-text]");
    this.noun = noun;
    this.table = null;
    this.shown = 0;
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.more(MORE_ROWS);
    });
    this.moreBox.querySelector("[data-more]").addEventListener("click", () => this.all());
    window.addEventListener("beforeprint", () => this.all());
  }

  show(table) {
    this.table = table;
    this.shown = 0;
    this.head.replaceChildren(head(table.columns));
    this.body.replaceChildren();
    this.more(FIRST_ROWS);
  }

  more(count) {
    const table = this.table;
    if (!table) return;
    const to = Math.min(table.rows.length, this.shown + count);
    append(this.body, table, this.shown, to);
    this.shown = to;
    this.observer.disconnect();
    const left = table.rows.length - to;
    this.moreBox.hidden = left === 0;
    if (left > 0) {
      const total = table.rows.length;
      this.moreText.textContent = `Đang hiện ${to}/${total} ${this.noun}; cuộn xuống để xem tiếp.`;
      this.observer.observe(this.body.lastElementChild);
    }
  }

  all() {
    if (this.table) this.more(this.table.rows.length - this.shown);
  }
}


/** One unit with several files: the file that counts, and a choice of another one. */
function choice(group, index, onChoose) {
  const fieldset = document.createElement("fieldset");
  fieldset.className = "th-choice";
  const legend = document.createElement("legend");
  const year = group.year === null ? "" : ` (năm ${group.year})`;
  legend.textContent = `${group.name || "(không ghi tên)"}${year}: ${group.count} tệp`;
  const because = document.createElement("p");
  because.className = "td-note";
  because.textContent = `Đang tính tệp ${group.chosen}: ${group.because}.`;
  fieldset.append(legend, because);
  for (const file of group.files) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `th-unit-${index}`;
    input.value = file.file;
    input.checked = file.chosen;
    input.addEventListener("change", () => onChoose(file.file, group));
    const moment = file.updated ? new Date(file.updated) : null;
    const when = moment && !Number.isNaN(moment.getTime()) ? `, lưu ${dateAndTime(moment)}` : "";
    label.append(input, ` ${file.file} — ${file.status}${when}`);
    fieldset.append(label);
  }
  return fieldset;
}

/** The units with several files: the first groups now, the others when asked. */
class Choices {
  constructor(root, onChoose) {
    this.box = root.querySelector('[data-rows="duplicates"]');
    this.moreBox = root.querySelector('[data-more-box="duplicates"]');
    this.moreText = this.moreBox.querySelector("[data-more-text]");
    this.onChoose = onChoose;
    this.groups = [];
    this.moreBox.querySelector("[data-more]").addEventListener("click", () => this.draw(Infinity));
  }

  show(groups) {
    this.groups = groups;
    this.box.replaceChildren();
    this.draw(FIRST_GROUPS);
  }

  draw(count) {
    const from = this.box.children.length;
    const to = Math.min(this.groups.length, from + count);
    const fragment = document.createDocumentFragment();
    for (let index = from; index < to; index++) {
      fragment.append(choice(this.groups[index], index, this.onChoose));
    }
    this.box.append(fragment);
    const left = this.groups.length - to;
    this.moreBox.hidden = left === 0;
    this.moreText.textContent = `Đang hiện ${to}/${this.groups.length} đơn vị có nhiều tệp.`;
  }
}

/**
 * The summary's view: `show(answer)` fills every table; `onChoose(file, group)` is called when
 * the reader picks another file for a unit.
 */
export class SummaryView {
  constructor(root, onChoose) {
    this.root = root;
    this.units = new LongTable(root, "units", "đơn vị");
    this.review = new LongTable(root, "review", "tệp");
    this.choices = new Choices(root, onChoose);
  }

  show(answer) {
    const root = this.root;
    const date = calendarDate(new Date());
    root.querySelector("[data-overview]").textContent = `${answer.overview} (ngày ${date}).`;
    const notes = root.querySelector("[data-notes]");
    notes.replaceChildren(
      ...answer.notes.map((note) => {
        const item = document.createElement("li");
        item.textContent = `${note.text} (${note.count} đơn vị)`;
        return item;
      }),
    );
    root.querySelector("[data-notes-box]").hidden = answer.notes.length === 0;
    const { tables } = answer;
    drawCharts(root.querySelector("[data-charts]"), answer.charts);
    fill(root, "bands", tables.bands);
    fill(root, "types", tables.types);
    this.units.show(tables.units);
    this.choices.show(answer.duplicates);
    root.querySelector("[data-duplicates-box]").hidden = answer.duplicates.length === 0;
    this.review.show(tables.review);
    root.querySelector("[data-review-box]").hidden = tables.review.rows.length === 0;
    fill(root, "rejected", tables.rejected);
    root.querySelector("[data-rejected-box]").hidden = tables.rejected.rows.length === 0;
    // The rubric's limit on a band (the page has the box only when the rubric sets one).
    if (root.querySelector('[data-rows="quota"]')) fill(root, "quota", tables.quota);
  }
}
