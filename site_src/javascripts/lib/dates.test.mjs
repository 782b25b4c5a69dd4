// lib/dates.mjs under Node: dates with a four-digit year, day first, local time.

import assert from "node:assert/strict";
import { test } from "node:test";

import { calendarDate, dateAndTime, localDate } from "./dates.mjs";

test("a date and time read day, month, four-digit year, then hours and minutes", () => {
  const date = new Date(2026, 11, 2, 14, 5, 59);
  assert.equal(dateAndTime(date), "02/12/2026 14:05");
  assert.equal(calendarDate(date), "02/12/2026");
  assert.equal(localDate(date), "2026-12-02");
  assert.equal(dateAndTime(new Date(1999, 0, 31, 0, 0)), "31/01/1999 00:00");
});
