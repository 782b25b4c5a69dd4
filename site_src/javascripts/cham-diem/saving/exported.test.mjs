// cham-diem/saving/exported.mjs under Node: what was last exported of a draft, and the reminder.

import assert from "node:assert/strict";
import { test } from "node:test";

import { digest, exportReminder, forgetExport, isExported, rememberExport } from "./exported.mjs";

/** A localStorage stand-in: a Map with the Storage methods the module uses. */
function storage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

test("a digest tells contents apart and is the same for the same text", () => {
  assert.equal(digest("abc"), digest("abc"));
  assert.notEqual(digest('{"a":1}'), digest('{"a":2}'));
  assert.match(digest(""), /^[0-9a-f]+$/);
});

test("a draft is exported until its content changes; deleting forgets it", () => {
  const store = storage();
  assert.equal(isExported("p1", "A", store), false);
  rememberExport("p1", "A", "2026-12-04T08:00:00.000Z", store);
  assert.equal(isExported("p1", "A", store), true);
  assert.equal(isExported("p1", "B", store), false);
  assert.equal(isExported("p2", "A", store), false);
  forgetExport("p1", store);
  assert.equal(isExported("p1", "A", store), false);
});

test("the reminder says whether the draft was ever exported, and nothing for an empty form", () => {
  const store = storage();
  assert.equal(exportReminder("p1", "EMPTY", "EMPTY", store), null);
  assert.match(exportReminder("p1", "A", "EMPTY", store), /^Phiếu này chưa được xuất ra tệp lần nào\./);
  rememberExport("p1", "A", "2026-12-04T08:00:00.000Z", store);
  assert.equal(exportReminder("p1", "A", "EMPTY", store), null);
  assert.match(exportReminder("p1", "B", "EMPTY", store), /^Phiếu đã thay đổi sau lần xuất tệp gần nhất \(\d\d\/12\/2026 \d\d:\d\d\)\./);
});

test("storage that refuses or holds junk reads as not exported", () => {
  const refusing = { getItem: () => { throw new Error("no"); }, setItem: () => { throw new Error("full"); } };
  rememberExport("p1", "A", "2026-12-04T08:00:00.000Z", refusing);
  assert.equal(isExported("p1", "A", refusing), false);
  const junk = storage();
  junk.setItem("thangdiem:exported:p1", "{not json");
  assert.equal(isExported("p1", "A", junk), false);
});
