// cham-diem/word.mjs under Node with the pinned `docx` package: blocks of a printout written as a
// .docx, read back from the zip (its document.xml, header and footer parts).

import assert from "node:assert/strict";
import { test } from "node:test";
import { inflateRawSync } from "node:zlib";

import * as docx from "../../../node_modules/docx/dist/index.mjs";
import { blocksText, wordDocument } from "./word.mjs";

/** The files of a zip (stored or deflated entries), by name. */
function unzip(bytes) {
  const data = Buffer.from(bytes);
  const files = new Map();
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  for (let n = 0; n < count; n += 1) {
    const method = data.readUInt16LE(at + 10);
    const size = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const extra = data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const name = data.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const raw = data.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString("utf8"));
    at += 46 + nameLength + extra;
  }
  return files;
}

const para = (text, extra = {}) => ({
  runs: [{ text }],
  align: "center",
  rule: null,
  indent: false,
  before: 0,
  size: 13,
  ...extra,
});

const BLOCKS = [
  { kind: "columns", widths: [42, 58], left: [para("UBND XÃ A", { rule: "short" })], right: [para("CỘNG HÒA")] },
  { kind: "para", para: para("BÁO CÁO <b>&amp;</b>", { size: 14 }) },
  {
    kind: "table",
    widths: [10, 60, 30],
    head: [{ cells: [para("STT"), para("Nội dung"), para("Điểm")].map((p) => ({ paras: [p], align: "center" })), bold: true, keepNext: false }],
    rows: [
      {
        cells: [para("1"), para("Dòng một\nDòng hai"), para("12,5")].map((p) => ({ paras: [p], align: "left" })),
        bold: false,
        keepNext: false,
      },
    ],
  },
];

const xmlText = (xml) =>
  [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1])
    .join("|")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

test("a printout's blocks become the body of a .docx, text as text", async () => {
  const word = wordDocument(docx, BLOCKS, { title: "BÁO CÁO", creator: "UBND xã A", code: "0A1B-2C3D" });
  const files = unzip(await docx.Packer.toBuffer(word));
  const body = files.get("word/document.xml");
  assert.equal(
    xmlText(body),
    // An empty paragraph after the header and after the table, as space.
    "UBND XÃ A|CỘNG HÒA||BÁO CÁO <b>&amp;</b>|STT|Nội dung|Điểm|1|Dòng một|Dòng hai|12,5|",
  );
  assert.match(body, /<w:tblHeader\/>/); // the header row repeats on each page
  assert.match(body, /<w:br\/>/); // a line break inside a cell
  assert.match(body, /<w:pgSz w:w="11906" w:h="16838"/); // A4
  assert.match(body, /<w:titlePg\/>/); // another header on the first page
  const parts = [...files.keys()];
  const footers = parts.filter((name) => /^word\/footer\d+\.xml$/.test(name));
  assert.ok(footers.length >= 1);
  for (const name of footers) assert.equal(xmlText(files.get(name)), "Mã nội dung: 0A1B-2C3D");
  const headers = parts.filter((name) => /^word\/header\d+\.xml$/.test(name)).map((n) => files.get(n));
  assert.equal(headers.filter((xml) => /PAGE/.test(xml)).length, 1);
  assert.match(files.get("docProps/core.xml"), /<dc:creator>UBND xã A<\/dc:creator>/);
});

test("without a content code the foot of the pages stays empty", async () => {
  const word = wordDocument(docx, BLOCKS.slice(1, 2), { title: "", creator: "", code: null });
  const files = unzip(await docx.Packer.toBuffer(word));
  for (const [name, xml] of files) {
    if (/^word\/footer\d+\.xml$/.test(name)) assert.equal(xmlText(xml), "");
  }
});

test("the blocks' text, paragraph by paragraph", () => {
  assert.deepEqual(blocksText(BLOCKS), [
    "UBND XÃ A",
    "CỘNG HÒA",
    "BÁO CÁO <b>&amp;</b>",
    "STT",
    "Nội dung",
    "Điểm",
    "1",
    "Dòng một\nDòng hai",
    "12,5",
  ]);
});
