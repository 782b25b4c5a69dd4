// lib/points.mjs under Node: points and measures are written with a decimal comma, exactly as
// scoring_py wrote them.

import assert from "node:assert/strict";
import { test } from "node:test";

import { oneDecimal, points } from "./points.mjs";
import { JsonNumber } from "./json.mjs";

test("points keep their exact text, with a decimal comma", () => {
  assert.equal(points(new JsonNumber("12.50")), "12,50");
  assert.equal(points(new JsonNumber("-3")), "-3");
  assert.equal(points(12.5), "12,5");
  assert.equal(points("0.25"), "0,25");
  assert.equal(points(null), null);
  assert.equal(points(undefined), null);
});

test("measures are written with one decimal", () => {
  assert.equal(oneDecimal(1.25), "1,3");
  assert.equal(oneDecimal(50), "50,0");
});
