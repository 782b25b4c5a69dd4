// Show a summary (scoring_py.api.aggregate's "summary") in the page's tables.
//
// Every text that comes from a file (unit names, file names, reasons) is set with textContent,
// never parsed as HTML. Each table body is built in a DocumentFragment and swapped in at once.

const DASH = "—";

/** A number of points as scoring_py writes it for a reader: comma decimals ("12,25"). */
export function points(value) {
  return value === null || value === undefined ? DASH : String(value).replace(".", ",");
}

/** The self vs appraised difference: "▲ +1,5", "▼ −2", "0", or "—" when not appraised. */
function difference(cell, value) {
  if (value === null || value === undefined) {
    cell.textContent = DASH;
    return;
  }
  if (value === 0) {
    cell.textContent = "0";
    return;
  }
  const up = value > 0;
  const mark = document.createElement("span");
  mark.setAttribute("aria-hidden", "true");
  mark.textContent = up ? "▲ " : "▼ ";
  cell.append(mark, `${up ? "+" : "−"}${points(Math.abs(value))}`);
  cell.classList.add("th-diff", up ? "th-diff--up" : "th-diff--down");
  cell.title = up ? "Điểm thẩm định cao hơn điểm tự chấm" : "Điểm thẩm định thấp hơn điểm tự chấm";
}

/** A table row; the cell at `header` names the row (a <th>). */
function row(cells, numeric = [], header = 0) {
  const tr = document.createElement("tr");
  cells.forEach((value, index) => {
    const td = document.createElement(index === header ? "th" : "td");
    if (index === header) td.scope = "row";
    if (numeric.includes(index)) td.className = "th-num";
    if (typeof value === "function") value(td);
    else td.textContent = value;
    tr.append(td);
  });
  return tr;
}

function fill(root, name, rows) {
  const fragment = document.createDocumentFragment();
  fragment.append(...rows);
  root.querySelector(`[data-rows="${name}"]`).replaceChildren(fragment);
}

function band(stage) {
  if (!stage) return "";
  return stage.band ?? "";
}

/** What a reader should look at in a unit's row (not in the CSV). */
function notes(unit) {
  const out = [];
  if (unit.errors) out.push(`${unit.errors} lỗi nhập điểm`);
  else if (!unit.complete) out.push("Chưa chấm đủ các mục");
  if (unit.appraisal && unit.appraisal.band_id !== unit.self.band_id) {
    out.push("Xếp loại thẩm định khác tự chấm");
  }
  return out.join("; ");
}

function unitRow(u) {
  const tr = row(
    [
      String(u.rank),
      u.name || "(không ghi tên)",
      u.type_name ?? u.type ?? "",
      u.year === null ? "" : String(u.year),
      points(u.self.total),
      band(u.self),
      u.appraisal ? points(u.appraisal.total) : DASH,
      band(u.appraisal),
      (td) => difference(td, u.difference),
      points(u.final.total),
      u.final.band ?? u.final.reasons.join("; "),
      u.proposed_band,
      u.file,
      notes(u),
    ],
    [0, 3, 4, 6, 8, 9],
    1,
  );
  if (u.difference) tr.classList.add("th-changed");
  return tr;
}

function averageRow(name, group) {
  return row(
    [
      name,
      String(group.count),
      String(group.appraised),
      points(group.self),
      points(group.appraisal),
      points(group.final),
      (td) => difference(td, group.difference),
    ],
    [1, 2, 3, 4, 5, 6],
  );
}

/** The one-line overview: how many units, files refused, duplicates. */
export function overview(summary, fileCount) {
  const parts = [`Đã tổng hợp ${summary.units.length} đơn vị từ ${fileCount} tệp`];
  if (summary.rejected.length) parts.push(`${summary.rejected.length} tệp không tổng hợp được`);
  if (summary.duplicates.length) {
    parts.push(`${summary.duplicates.length} đơn vị có nhiều tệp`);
  }
  const date = new Date().toLocaleDateString("vi-VN");
  return `${parts.join("; ")} (ngày ${date}).`;
}

/**
 * Fill every table of the result section with a summary. Each body is swapped in whole while
 * the section is hidden: drawn in chunks, a 500-row table is laid out again for every chunk,
 * which costs far more (measured) than laying it out once.
 */
export function showSummary(root, summary, fileCount) {
  root.querySelector("[data-overview]").textContent = overview(summary, fileCount);
  fill(
    root,
    "bands",
    summary.band_counts.map((b) => row([b.name, String(b.count)], [1])),
  );
  const types = summary.by_type.map((group) => averageRow(group.name, group));
  if (summary.by_type.length !== 1) types.push(averageRow("Tất cả", summary.overall));
  fill(root, "types", types);
  fill(root, "units", summary.units.map(unitRow));
  fill(
    root,
    "duplicates",
    summary.duplicates.map((d) =>
      row(
        [
          d.name || "(không ghi tên)",
          d.year === null ? "" : String(d.year),
          String(d.count),
          d.files.join("; "),
        ],
        [1, 2],
      ),
    ),
  );
  root.querySelector("[data-duplicates-box]").hidden = summary.duplicates.length === 0;
  fill(
    root,
    "rejected",
    summary.rejected.map((r) => row([r.file, r.reason])),
  );
  root.querySelector("[data-rejected-box]").hidden = summary.rejected.length === 0;
}
