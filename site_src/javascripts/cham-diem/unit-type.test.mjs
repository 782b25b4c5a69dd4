// unit-type.mjs's choice of text under Node: the type's own text where there is one, else the
// element's own text, whatever the attribute holds.

import assert from "node:assert/strict";
import { test } from "node:test";

import { typedText } from "./unit-type.mjs";

test("a unit type with a text of its own gets it", () => {
  assert.equal(typedText({ xa: "8", phuong: "6" }, "10", "xa"), "8");
  assert.equal(typedText({ xa: "8", phuong: "6" }, "10", "phuong"), "6");
});

test("any other type, or none chosen, gets the element's own text", () => {
  assert.equal(typedText({ xa: "8" }, "10", "so-nganh"), "10");
  assert.equal(typedText({ xa: "8" }, "10", null), "10");
  assert.equal(typedText({ xa: "8" }, "10", ""), "10");
});

test("a damaged attribute leaves the own text", () => {
  for (const texts of [null, "xa", 8, ["8"], { xa: 8 }, { xa: null }]) {
    assert.equal(typedText(texts, "10", "xa"), "10");
  }
});

test("an inherited key is not a unit type", () => {
  assert.equal(typedText({ xa: "8" }, "10", "toString"), "10");
  assert.equal(typedText({ xa: "8" }, "10", "__proto__"), "10");
});
