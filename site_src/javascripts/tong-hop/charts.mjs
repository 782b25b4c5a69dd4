// The summary page's charts, drawn as SVG from the figures scoring_py gives
// (scoring_py.tables.charts): units per band, the distribution of final totals, each
// criterion's average share of its maximum, and the appraised units' own totals beside the
// appraisal's. Nothing here counts or rounds: a bar's length comes from its value, its words
// from its text. Each chart has a table of the same figures for screen readers, and prints
// with the summary. Text is set with textContent only.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const LABEL = 250; // the labels' column
const BAR = 300; // the longest bar
const ROW = 22;
const LABEL_CHARS = 38;

/** An SVG element with attributes. */
function svg(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** A label cut to fit its column, whole in a <title> (shown on hover). */
function label(text, y) {
  const element = svg("text", { x: LABEL - 8, y, "text-anchor": "end", class: "th-chart-label" });
  element.textContent = text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
  const title = svg("title");
  title.textContent = text;
  element.append(title);
  return element;
}

/** The length of a bar for a value, the longest being `top`. */
const length = (value, top) => (top > 0 ? (Math.max(value, 0) / top) * BAR : 0);

/**
 * A figure: its caption, the SVG (hidden from screen readers) and a table of the same figures.
 * @param {string} caption
 * @param {SVGSVGElement} drawing
 * @param {string[][]} rows the table's rows: [label, text]
 * @param {string} kind the chart's name (data-chart)
 */
function figure(caption, drawing, rows, kind) {
  const element = document.createElement("figure");
  element.className = "th-chart";
  element.dataset.chart = kind;
  const title = document.createElement("figcaption");
  title.textContent = caption;
  drawing.setAttribute("aria-hidden", "true");
  // Screen readers only: in a box of its own (a table grows to its cells whatever its width).
  const hidden = document.createElement("div");
  hidden.className = "td-sr";
  const table = document.createElement("table");
  table.className = "th-chart-table"; // not the theme's scrolling table (table:not([class]))
  hidden.append(table);
  const head = table.createTHead().insertRow();
  for (const text of ["Mục", "Số liệu"]) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = text;
    head.append(cell);
  }
  const body = table.createTBody();
  for (const [name, text] of rows) {
    const row = body.insertRow();
    const cell = document.createElement("th");
    cell.scope = "row";
    cell.textContent = name;
    row.append(cell);
    row.insertCell().textContent = text;
  }
  element.append(title, drawing, hidden);
  return element;
}

/**
 * A horizontal bar chart: one bar per entry, its text after it.
 * @param {{label: string, value: string, text: string}[]} bars
 */
function barChart(bars) {
  const height = bars.length * ROW + 8;
  const drawing = /** @type {SVGSVGElement} */ (
    svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "th-chart-svg" })
  );
  const top = Math.max(0, ...bars.map((bar) => Number(bar.value)));
  bars.forEach((bar, index) => {
    const y = index * ROW + 4;
    drawing.append(label(bar.label, y + ROW * 0.65));
    const width = length(Number(bar.value), top);
    drawing.append(
      svg("rect", { x: LABEL, y: y + 3, width, height: ROW - 8, class: "th-chart-bar" }),
    );
    const value = svg("text", { x: LABEL + width + 6, y: y + ROW * 0.65, class: "th-chart-value" });
    value.textContent = bar.text;
    drawing.append(value);
  });
  return drawing;
}

/**
 * Own totals beside the appraisal's, per unit: two thin bars each.
 * @param {{label: string, self: string, appraisal: string, text: string}[]} units
 */
function pairChart(units) {
  const height = units.length * ROW + 8;
  const drawing = /** @type {SVGSVGElement} */ (
    svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "th-chart-svg" })
  );
  const top = Math.max(0, ...units.flatMap((unit) => [Number(unit.self), Number(unit.appraisal)]));
  units.forEach((unit, index) => {
    const y = index * ROW + 4;
    drawing.append(label(unit.label, y + ROW * 0.65));
    const own = length(Number(unit.self), top);
    const appraised = length(Number(unit.appraisal), top);
    drawing.append(
      svg("rect", { x: LABEL, y: y + 2, width: own, height: 7, class: "th-chart-bar th-chart-self" }),
      svg("rect", { x: LABEL, y: y + 10, width: appraised, height: 7, class: "th-chart-bar" }),
    );
    const value = svg("text", {
      x: LABEL + Math.max(own, appraised) + 6,
      y: y + ROW * 0.65,
      class: "th-chart-value",
    });
    value.textContent = unit.text;
    drawing.append(value);
  });
  return drawing;
}

/**
 * Draw the charts of a summary (the page answer's `charts`) into their box.
 * @param {Element} box
 * @param {any} charts
 */
export function drawCharts(box, charts) {
  const figures = [];
  const rows = (bars) => bars.map((bar) => [bar.label, bar.text]);
  figures.push(
    figure("Số đơn vị theo xếp loại", barChart(charts.bands), rows(charts.bands), "bands"),
    figure(
      "Phân bố tổng điểm (kết quả cuối cùng của các đơn vị được xếp hạng)",
      barChart(charts.distribution),
      rows(charts.distribution),
      "distribution",
    ),
    figure(
      "Điểm trung bình của từng tiêu chí, so với điểm tối đa của tiêu chí",
      barChart(charts.criteria),
      rows(charts.criteria),
      "criteria",
    ),
  );
  if (charts.differences.length > 0) {
    const shown = charts.differences.length;
    const of = charts.appraised > shown ? ` (${shown} trong ${charts.appraised} đơn vị)` : "";
    figures.push(
      figure(
        `Tự chấm (vạch nhạt) và thẩm định (vạch đậm) của các đơn vị đã thẩm định, đơn vị tự chấm cao hơn nhiều nhất ở trên${of}`,
        pairChart(charts.differences),
        rows(charts.differences),
        "differences",
      ),
    );
  }
  box.replaceChildren(...figures);
}
