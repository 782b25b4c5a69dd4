// lib/dates.mjs under Node: dates with a four-digit year, day first, local time.

import assert from "node:assert/strict";
import { test } from "node:test";

import { calendarDate, dateAndTime, documentDate, localDate } from "./dates.mjs";

test("a date and time read day, month, four-digit year, then hours and minutes", () => {
  const date = new Date(2026, 11, 2, 14, 5, 59);
  assert.equal(dateAndTime(date), "02/12/2026 14:05");
  assert.equal(calendarDate(date), "02/12/2026");
  assert.equal(localDate(date), "2026-12-02");
  assert.equal(dateAndTime(new Date(1999, 0, 31, 0, 0)), "31/01/1999 00:00");
});

test("a document's date line writes days under 10 and the months 1 and 2 with a zero", () => {
  assert.deepEqual(documentDate("2026-02-05"), { day: "05", month: "02", year: "2026" });
  assert.deepEqual(documentDate("2026-12-04"), { day: "04", month: "12", year: "2026" });
  assert.deepEqual(documentDate("2026-03-15"), { day: "15", month: "3", year: "2026" });
  assert.deepEqual(documentDate("2026-01-31"), { day: "31", month: "01", year: "2026" });
  assert.equal(documentDate(""), null);
  assert.equal(documentDate("4/12/2026"), null);
});
