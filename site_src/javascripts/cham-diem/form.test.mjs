// form.mjs's typed numbers under Node: a comma or point decimal becomes exact JSON number
// text; anything else stays text, for scoring_py to refuse with the place named.

import assert from "node:assert/strict";
import { test } from "node:test";

import { canonicalDecimal, seeded } from "../lib/helpers.test.mjs";
import { JsonNumber } from "../lib/json.mjs";
import { jsonNumber, typedValue } from "./form.mjs";

const CASES = {
  "1,5": "1.5",
  "1.5": "1.5",
  " 2 ": "2",
  "01,50": "1.50",
  ",5": "0.5",
  "+2": "2",
  "-0,5": "-0.5",
  "0": "0",
  "000": "0",
  "123456789012,123456789012": "123456789012.123456789012",
  "1234567890123": null,
  "1,5,5": null,
  "1.": null,
  "1e3": null,
  "0x10": null,
  "Infinity": null,
  "NaN": null,
  "1 000": null,
  "một": null,
  "١": null,
  "": null,
  "-": null,
  ",": null,
};

function* randomTexts(count) {
  const rng = seeded(7);
  const alphabet = [..."0123456789,.+- e"];
  for (let index = 0; index < count; index++) {
    yield Array.from({ length: rng.int(0, 8) }, () => rng.choice(alphabet)).join("");
  }
}

test("typed numbers become exact JSON numbers", () => {
  for (const [typed, number] of Object.entries(CASES)) {
    assert.equal(jsonNumber(typed), number, typed);
  }
  const texts = [...Object.keys(CASES), ...randomTexts(600)];
  let numbers = 0;
  for (const typed of texts) {
    const number = jsonNumber(typed);
    const value = typedValue(typed);
    if (number === null) {
      assert.equal(value, typed.trim() || null, typed);
      continue;
    }
    numbers += 1;
    assert.ok(value instanceof JsonNumber && value.text === number, typed);
    assert.equal(typeof JSON.parse(number), "number", typed); // a JSON number, not a string
    const written = typed.trim().replace(",", ".");
    assert.equal(canonicalDecimal(number), canonicalDecimal(written), typed);
  }
  assert.ok(numbers > 50, `${numbers} numbers`);
});
