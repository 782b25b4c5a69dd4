// lib/files.mjs under Node: exported files are named after the unit and the local date, with
// nothing that could leave the download folder, and file names enter messages as scoring_py's
// problems.shown writes them.

import assert from "node:assert/strict";
import { test } from "node:test";

process.env.TZ = "Asia/Ho_Chi_Minh"; // the users' time zone; read by Date from here on

const { exportName, megabytes, shown, slugify } = await import("./files.mjs");

const EXPORT_NAMES = {
  "UBND xã A": "danh-gia-ubnd-xa-a-2026-11-21.json",
  "UBND xã Đông Hòa": "danh-gia-ubnd-xa-dong-hoa-2026-11-21.json",
  "Phường Nguyễn Trãi — TP. Hưng Yên": "danh-gia-phuong-nguyen-trai-tp-hung-yen-2026-11-21.json",
  "ỨNG HÒA, ĐỨC THƯỢNG": "danh-gia-ung-hoa-duc-thuong-2026-11-21.json",
  "<img src=x onerror=alert(1)>": "danh-gia-img-src-x-onerror-alert-1-2026-11-21.json",
  "../../etc/passwd": "danh-gia-etc-passwd-2026-11-21.json",
  "": "danh-gia-2026-11-21.json",
  " —/ ": "danh-gia-2026-11-21.json",
  "Ủy ban nhân dân thị trấn Lương Bằng, huyện Kim Động, tỉnh Hưng Yên":
    "danh-gia-uy-ban-nhan-dan-thi-tran-luong-bang-huyen-kim-dong-tinh-hung-2026-11-21.json",
};

test("exported files are named after the unit and the date", () => {
  // Accents folded, đ → d, lower case, words joined by "-", at most 60 characters; the local
  // date.
  const date = new Date(2026, 10, 21, 23, 59);
  for (const [unit, name] of Object.entries(EXPORT_NAMES)) {
    assert.equal(exportName(unit, date), name);
    const slug = slugify(unit);
    assert.ok(slug.length <= 60 && !slug.startsWith("-") && !slug.endsWith("-"), slug);
    assert.match(slug, /^[a-z0-9-]*$/);
  }
});

// Each name and what scoring_py.problems.shown gives for it (controls and bidi characters
// escaped, right-to-left text isolated between FSI and PDI).
const ODD_NAMES = [
  ["danh-gia-ubnd-xa-a.json", "danh-gia-ubnd-xa-a.json"],
  ["bao-cao-\u202enosj.exe.json", "bao-cao-\\u202enosj.exe.json"],
  ["\u05e9\u05dc\u05d5\u05dd.json", "\u2068\u05e9\u05dc\u05d5\u05dd.json\u2069"],
  ["\u062a\u2066x\u2069.json", "\u2068\u062a\\u2066x\\u2069.json\u2069"],
  ["a\tb\nc\x7f\x85\u200b\u2028\ufeff.json", "a\\tb\\nc\\x7f\\x85\\u200b\\u2028\\ufeff.json"],
  ["xã\u00a0A 🙂\u{e0001}.json", "xã\u00a0A 🙂\\U000e0001.json"],
  ["\ud800x", "\\ud800x"],
];

test("file names are shown as scoring_py shows them", () => {
  for (const [name, expected] of ODD_NAMES) assert.equal(shown(name), expected, name);
});

test("sizes are written with a decimal comma", () => {
  assert.equal(megabytes(50 * 1024 * 1024), "50,0 MB");
  assert.equal(megabytes(1.25 * 1024 * 1024 + 1), "1,3 MB");
});
