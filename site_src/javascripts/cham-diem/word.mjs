// The Word files of the scoring page ("Tải báo cáo (Word)", "Tải bảng chấm điểm (Word)"): the
// printouts as WordprocessingML, written by the pinned npm `docx` package (loaded only when a
// file is asked for, from the site's own copy).
//
// The printout, filled by print.mjs from scoring_py's answer and the document's texts, is the
// one description of the document's content: describePrintout() reads its blocks, paragraphs,
// rows and cells, as text only, and wordDocument() writes the same into a .docx, so that the
// paper and the Word file never disagree (e2e/test_word.py compares their texts). What Word
// needs beyond the printout's words (A4, margins, the font, the page number from page 2, the
// content code at the foot of each page) is written here.

/**
 * A run of text: bold, italic, or neither.
 * @typedef {{text: string, bold?: boolean, italic?: boolean}} Run
 *
 * A paragraph: its runs ("\n" inside a run is a line break), alignment, and the rule under it
 * ("short": a third of its width, under the unit's name; "fit": under the motto).
 * @typedef {object} Para
 * @property {Run[]} runs
 * @property {"left" | "center" | "justify"} align
 * @property {"short" | "fit" | null} rule
 * @property {boolean} indent the first line indented (the report's points)
 * @property {number} before space before, in points
 * @property {number} size in points
 *
 * A table cell, a row (bold for a criterion's, a field's and the total's), a table.
 * @typedef {{paras: Para[], align: "left" | "center"}} Cell
 * @typedef {{cells: Cell[], bold: boolean, keepNext: boolean}} Row
 * @typedef {{kind: "table", widths: number[], head: Row[], rows: Row[]}} TableBlock
 *
 * Two columns without borders: the header (issuer | nation) and the signature (recipients |
 * signer). Widths in percent of the text's width.
 * @typedef {{kind: "columns", widths: number[], left: Para[], right: Para[]}} ColumnsBlock
 *
 * @typedef {{kind: "para", para: Para}} ParaBlock
 * @typedef {ParaBlock | TableBlock | ColumnsBlock} Block
 */

/** Sizes in points, as the print style sheet sets them (cham-diem.css, @media print). */
const SIZE = { body: 13, header: 12, table: 10.5, recipients: 11 };
/** The table's columns in percent (the <colgroup> of printouts.html.j2; the rest to text). */
const COLUMN_CLASSES = {
  "td-doc-col-no": 7,
  "td-doc-col-points": 10,
  "td-doc-col-evidence": 22,
};
/** Paragraph classes of the printouts and how they are set. */
const CENTERED = [
  "td-doc-title",
  "td-doc-subtitle",
  "td-doc-attached",
  "td-doc-to",
  "td-doc-superior",
  "td-doc-unit",
  "td-doc-country",
  "td-doc-motto",
  "td-doc-date",
];
const BOLD = ["td-doc-title", "td-doc-subtitle", "td-doc-unit", "td-doc-country", "td-doc-motto"];
const ITALIC = ["td-doc-date", "td-doc-attached"];
const UPPER = ["td-doc-unit", "td-doc-superior"];

/** Whether an element of the printout is left out of it (hidden, or inside something hidden). */
const isHidden = (element) => Boolean(element.closest("[hidden]"));

const has = (element, classes) => classes.some((name) => element.classList.contains(name));

/**
 * The runs of an element's text: <strong>/<b> bold, <em>/<i> italic, <br> a line break; the
 * spacing of the markup folded as a browser shows it (the printout's texts keep their line
 * breaks: they are set white-space: pre-wrap).
 * @param {Element} element
 * @param {{bold?: boolean, italic?: boolean, upper?: boolean}} style
 * @returns {Run[]}
 */
export function runsOf(element, style = {}) {
  /** @type {Run[]} */
  const runs = [];
  const walk = (node, bold, italic, keep) => {
    if (node.nodeType === 3) {
      let text = node.textContent ?? "";
      if (!keep) text = text.replace(/\s+/g, " ");
      if (style.upper) text = text.toLocaleUpperCase("vi");
      if (text) runs.push({ text, ...(bold && { bold }), ...(italic && { italic }) });
      return;
    }
    if (node.nodeType !== 1 || isHidden(node)) return;
    const tag = node.tagName;
    if (tag === "BR") {
      runs.push({ text: "\n" });
      return;
    }
    const pre =
      keep || node.hasAttribute("data-print-field") || node.classList.contains("td-doc-evidence");
    for (const child of node.childNodes) {
      walk(child, bold || tag === "STRONG" || tag === "B", italic || tag === "EM" || tag === "I", pre);
    }
  };
  walk(element, Boolean(style.bold), Boolean(style.italic), false);
  // Spaces at the ends of the paragraph, and doubled between runs, as a browser drops them.
  const merged = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last && last.text.endsWith(" ") && run.text.startsWith(" ")) run.text = run.text.slice(1);
    if (run.text) merged.push(run);
  }
  if (merged.length) merged[0].text = merged[0].text.replace(/^ +/, "");
  if (merged.length) merged[merged.length - 1].text = merged.at(-1).text.replace(/ +$/, "");
  return merged.filter((run) => run.text !== "");
}

/**
 * A paragraph of the printout.
 * @param {Element} element
 * @param {number} size
 * @returns {Para}
 */
function paraOf(element, size, align = has(element, CENTERED) ? "center" : "justify") {
  const bold = element.tagName === "H1" || has(element, BOLD);
  const italic = has(element, ITALIC);
  /** @type {Para["rule"]} */
  let rule = null;
  if (element.classList.contains("td-doc-unit")) rule = "short";
  if (element.classList.contains("td-doc-motto")) rule = "fit";
  return {
    runs: runsOf(element, { bold, italic, upper: has(element, UPPER) }),
    align: /** @type {Para["align"]} */ (align),
    rule,
    indent: element.classList.contains("td-doc-point"),
    before: element.tagName === "H1" ? 10 : element.classList.contains("td-doc-signer-name") ? 50 : 0,
    size: element.tagName === "H1" ? 14 : size,
  };
}

/** The paragraphs inside an element (its <p>, in order), each set with `align` and `size`. */
function parasIn(element, size, align) {
  if (!element) return [];
  return [...element.querySelectorAll("p")]
    .filter((p) => !isHidden(p))
    .map((p) => paraOf(p, size, align));
}

/**
 * The table of the BẢNG CHẤM ĐIỂM.
 * @param {HTMLTableElement} table
 * @returns {TableBlock}
 */
function tableOf(table) {
  const widths = [...table.querySelectorAll("col")].map((col) => {
    const known = Object.entries(COLUMN_CLASSES).find(([name]) => col.classList.contains(name));
    return known ? known[1] : 0;
  });
  const rest = 100 - widths.reduce((sum, width) => sum + width, 0);
  const free = widths.filter((width) => width === 0).length;
  const columns = widths.map((width) => width || rest / Math.max(free, 1));
  const rowOf = (row, head) => {
    const cells = [...row.children].map((cell, index) => ({
      paras: [
        {
          runs: runsOf(cell, { bold: head, italic: cell.classList.contains("td-doc-reserved") }),
          align: /** @type {Para["align"]} */ (head || [0, 2, 3, 4].includes(index) ? "center" : "left"),
          rule: null,
          indent: false,
          before: 0,
          size: SIZE.table,
        },
      ],
      align: /** @type {Cell["align"]} */ (head ? "center" : "left"),
    }));
    const bold = head || row.classList.contains("td-doc-criterion") || row.classList.contains("td-doc-total");
    return { cells, bold, keepNext: row.classList.contains("td-doc-criterion") };
  };
  const visible = (rows) => [...rows].filter((row) => !isHidden(row));
  return {
    kind: "table",
    widths: columns,
    head: visible(table.tHead?.rows ?? []).map((row) => rowOf(row, true)),
    rows: visible(table.tBodies[0]?.rows ?? []).map((row) => rowOf(row, false)),
  };
}

/**
 * The content of a printout (<article data-printout>), as blocks, in reading order.
 * @param {Element} article
 * @returns {Block[]}
 */
export function describePrintout(article) {
  /** @type {Block[]} */
  const blocks = [];
  const visit = (element) => {
    if (isHidden(element)) return;
    if (element.classList.contains("td-doc-header")) {
      blocks.push({
        kind: "columns",
        widths: [42, 58],
        left: parasIn(element.querySelector(".td-doc-issuer"), SIZE.header, "center"),
        right: parasIn(element.querySelector(".td-doc-nation"), SIZE.header, "center"),
      });
    } else if (element.classList.contains("td-doc-sign")) {
      blocks.push({
        kind: "columns",
        widths: [50, 50],
        left: parasIn(element.querySelector(".td-doc-recipients"), SIZE.recipients, "left"),
        right: parasIn(element.querySelector(".td-doc-signer"), SIZE.body, "center"),
      });
    } else if (element.tagName === "TABLE") {
      blocks.push(tableOf(/** @type {HTMLTableElement} */ (element)));
    } else if (element.tagName === "P" || element.tagName === "H1") {
      blocks.push({ kind: "para", para: paraOf(element, SIZE.body) });
    } else {
      for (const child of element.children) visit(child);
    }
  };
  for (const child of article.children) visit(child);
  return blocks;
}

/** The plain text of blocks, paragraph by paragraph (what the tests compare with the paper). */
export function blocksText(blocks) {
  const paras = (list) => list.map((para) => para.runs.map((run) => run.text).join(""));
  return blocks.flatMap((block) => {
    if (block.kind === "para") return paras([block.para]);
    if (block.kind === "columns") return [...paras(block.left), ...paras(block.right)];
    return [...block.head, ...block.rows].flatMap((row) => row.cells.flatMap((cell) => paras(cell.paras)));
  });
}

// --------------------------------------------------------------------------------------------
// Writing the .docx

const MM = 56.6929; // twips in a millimetre
/** A4 and the printouts' margins (top, right, bottom, left: 20, 15, 20, 30 mm). */
const PAGE = {
  size: { width: 11906, height: 16838 },
  margin: { top: Math.round(20 * MM), right: Math.round(15 * MM), bottom: Math.round(20 * MM), left: Math.round(30 * MM) },
};
const TEXT_WIDTH = PAGE.size.width - PAGE.margin.left - PAGE.margin.right;
const FONT = "Times New Roman";

/**
 * The .docx of a printout's blocks.
 * @param {any} docx the `docx` package's module
 * @param {Block[]} blocks
 * @param {{title: string, creator: string, code: string | null}} meta the file's title, who it
 *   is from (the unit), and the content code printed at the foot of each page (null: none)
 * @returns {any} a docx.Document (Packer.toBlob or toBuffer writes it)
 */
export function wordDocument(docx, blocks, meta) {
  const { AlignmentType, BorderStyle, Document, Footer, Header, PageNumber, Paragraph } = docx;
  const { Table, TableBorders, TableCell, TableRow, TextRun, WidthType } = docx;
  const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, justify: AlignmentType.JUSTIFIED };
  const line = { style: BorderStyle.SINGLE, size: 4, color: "000000", space: 1 };

  const runs = (para, bold = false) =>
    para.runs.flatMap((run) =>
      run.text.split("\n").map(
        (text, index) =>
          new TextRun({
            text,
            ...(index > 0 && { break: 1 }),
            bold: bold || run.bold === true,
            italics: run.italic === true,
            size: Math.round(para.size * 2),
          }),
      ),
    );
  const paragraph = (para, width, bold = false) => {
    // A rule as Nghị định 30 draws it: a border under the paragraph, made as wide as the
    // text above it by indenting the paragraph from both sides.
    const ruled = para.rule === "short" ? width / 3 : para.rule === "fit" ? width * 0.55 : width;
    const indent = para.rule ? Math.round((width - ruled) / 2) : 0;
    return new Paragraph({
      alignment: ALIGN[para.align],
      children: runs(para, bold),
      spacing: { before: para.before * 20, after: 0, line: para.size >= 13 ? 300 : 260 },
      ...(para.rule && { border: { bottom: line }, indent: { left: indent, right: indent } }),
      ...(para.indent && { indent: { firstLine: Math.round(7 * MM) } }),
    });
  };
  const columns = (block) => {
    const widths = block.widths.map((share) => Math.round((TEXT_WIDTH * share) / 100));
    const cell = (paras, width) =>
      new TableCell({
        width: { size: width, type: WidthType.DXA },
        borders: TableBorders.NONE,
        children: paras.length ? paras.map((para) => paragraph(para, width)) : [new Paragraph("")],
      });
    return new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      borders: TableBorders.NONE,
      rows: [new TableRow({ children: [cell(block.left, widths[0]), cell(block.right, widths[1])] })],
    });
  };
  const table = (block) => {
    const widths = block.widths.map((share) => Math.round((TEXT_WIDTH * share) / 100));
    const border = { style: BorderStyle.SINGLE, size: 4, color: "000000" };
    const borders = { top: border, bottom: border, left: border, right: border };
    const row = (entry, head) =>
      new TableRow({
        tableHeader: head,
        cantSplit: !head && !entry.cells.some((c) => c.paras.some((p) => p.runs.length > 1)),
        children: entry.cells.map(
          (cell, index) =>
            new TableCell({
              width: { size: widths[index], type: WidthType.DXA },
              borders,
              margins: { top: 30, bottom: 30, left: 60, right: 60 },
              children: cell.paras.map((para) => paragraph(para, widths[index], entry.bold)),
            }),
        ),
      });
    return new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      rows: [...block.head.map((r) => row(r, true)), ...block.rows.map((r) => row(r, false))],
    });
  };
  const children = blocks.flatMap((block) => {
    if (block.kind === "para") return [paragraph(block.para, TEXT_WIDTH)];
    if (block.kind === "columns") return [columns(block), new Paragraph("")];
    return [table(block), new Paragraph("")];
  });
  const small = { size: 18, italics: true };
  const footer = () =>
    new Footer({
      children: meta.code
        ? [
            new Paragraph({
              alignment: AlignmentType.RIGHT,
              children: [new TextRun({ text: `Mã nội dung: ${meta.code}`, ...small })],
            }),
          ]
        : [],
    });
  return new Document({
    title: meta.title,
    creator: meta.creator,
    lastModifiedBy: meta.creator,
    styles: { default: { document: { run: { font: FONT, size: SIZE.body * 2 } } } },
    sections: [
      {
        properties: { page: PAGE, titlePage: true },
        headers: {
          // Nghị định 30: the page number at the top centre, from the second page on.
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], size: SIZE.body * 2 })],
              }),
            ],
          }),
          first: new Header({ children: [] }),
        },
        footers: { default: footer(), first: footer() },
        children,
      },
    ],
  });
}
