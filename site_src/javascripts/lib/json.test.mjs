// lib/json.mjs under Node: documents are written and read with every number's exact text, as
// Python's json reads them (parse_float=Decimal), and the nesting limit and malformed texts
// are refused with a Vietnamese SyntaxError.

import assert from "node:assert/strict";
import { test } from "node:test";

import { JsonNumber, parseJson as parseWithDepth, toJson } from "./json.mjs";
import { canonicalDecimal, seeded } from "./helpers.test.mjs";

/** The nesting limit the pages' contract gives (scoring_py.shapes.MAX_DEPTH). */
const MAX_DEPTH = 64;
/** parseJson with the contract's limit (there is no page here to read it from). */
const parseJson = (text) => parseWithDepth(text, MAX_DEPTH);

test("documents are written with exact numbers", () => {
  const doc = toJson({
    a: new JsonNumber("1.50"),
    b: [null, true, false, '</script> "ổn" \n', new JsonNumber("-0.25")],
    c: { "d.e": 1 },
  });
  assert.ok(doc.startsWith('{"a":1.50,'));
  assert.equal(
    doc,
    '{"a":1.50,"b":[null,true,false,"</script> \\"ổn\\" \\n",-0.25],"c":{"d.e":1}}',
  );
  assert.deepEqual(JSON.parse(doc), {
    a: 1.5,
    b: [null, true, false, '</script> "ổn" \n', -0.25],
    c: { "d.e": 1 },
  });
});

test("indented JSON is still exact", () => {
  const pretty = toJson(parseJson('{"a":[1.50,{}],"b":{"c":null},"d":[],"e":"<\\/x>"}'), 2);
  assert.equal(
    pretty,
    '{\n  "a": [\n    1.50,\n    {}\n  ],\n  "b": {\n    "c": null\n  },\n  "d": [],\n' +
      '  "e": "</x>"\n}',
  );
});

const KEYS = ["a", "__proto__", "é", "1.1", "", "constructor"];
const STRINGS = ["", "ổn", '</script>"\\', "\u2028\ud7ff", "\x00\x1f", "🙂"];

/** A number as other programs write it: its text and its canonical decimal value. */
function randomNumber(rng) {
  if (rng.random() < 0.5) {
    // An integer of up to 21 digits (beyond a float's exact range).
    const more = Array.from({ length: rng.int(0, 20) }, () => rng.int(0, 9)).join("");
    const digits = rng.random() < 0.1 ? "0" : String(rng.int(1, 9)) + more;
    return (rng.random() < 0.5 ? "-" : "") + digits;
  }
  // A decimal of up to 5 digits, scaled by 10^-0…6, sometimes with an exponent.
  const whole = String(rng.int(0, 99999));
  const scale = rng.int(0, 6);
  const padded = whole.padStart(scale + 1, "0");
  const point = padded.length - scale;
  const sign = rng.random() < 0.5 ? "-" : "";
  if (rng.random() < 0.3) {
    const mantissa = padded.replace(/^0+(?=\d)/, "");
    const lead = mantissa.slice(0, 1);
    const rest = mantissa.slice(1);
    const exponent = mantissa.length - 1 - scale;
    const e = rng.random() < 0.5 ? "E" : "e";
    const power = `${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
    return `${sign}${lead}${rest ? "." + rest : ""}${e}${power}`;
  }
  const text = scale ? `${padded.slice(0, point)}.${padded.slice(point)}` : padded;
  return sign + text;
}

/** A number in a random value: the text it is written as. */
class Written {
  constructor(text) {
    this.text = text;
  }
}

/** A random value (numbers as Written), as Python's test of the same made them. */
function randomValue(rng, depth = 0) {
  const roll = rng.random();
  if (depth < 4 && roll < 0.25) {
    const object = {};
    for (let index = rng.int(0, 4); index > 0; index--) {
      Object.defineProperty(object, rng.choice(KEYS), {
        value: randomValue(rng, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  }
  if (depth < 4 && roll < 0.4) {
    return Array.from({ length: rng.int(0, 3) }, () => randomValue(rng, depth + 1));
  }
  const kind = rng.int(0, 4);
  if (kind === 0) return rng.choice([null, true, false]);
  if (kind <= 2) return new Written(randomNumber(rng));
  return rng.choice(STRINGS);
}

/** A string as JSON, with non-ASCII characters escaped or not. */
function writeString(text, rng) {
  const plain = JSON.stringify(text);
  if (rng.random() < 0.5) return plain;
  const escape = (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return plain.replace(/[^\x20-\x7e]/g, escape);
}

/** JSON text with random spacing, exponents and escapes (what other programs may write). */
function writeValue(value, rng) {
  if (Array.isArray(value)) {
    return "[" + value.map((item) => writeValue(item, rng)).join("\t,") + " ]";
  }
  if (value instanceof Written) return value.text;
  if (value && typeof value === "object") {
    const parts = Object.keys(value).map(
      (key) => `${writeString(key, rng)} :${writeValue(value[key], rng)}`,
    );
    return "{ " + parts.join(",\n") + "}";
  }
  return typeof value === "string" ? writeString(value, rng) : JSON.stringify(value);
}

/** Whether a value read by parseJson holds what `expected` (from randomValue) holds. */
function sameValue(actual, expected) {
  if (expected instanceof Written) {
    const same = canonicalDecimal(actual?.text ?? "") === canonicalDecimal(expected.text);
    return actual instanceof JsonNumber && same;
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((value, index) => sameValue(actual[index], value))
    );
  }
  if (expected && typeof expected === "object") {
    const keys = Object.keys(expected);
    return (
      actual !== null &&
      typeof actual === "object" &&
      !(actual instanceof JsonNumber) &&
      Object.keys(actual).length === keys.length &&
      keys.every((key) => Object.hasOwn(actual, key) && sameValue(actual[key], expected[key]))
    );
  }
  return actual === expected;
}

const BAD_JSON = [
  "",
  "{",
  "[1,]",
  '{"a":1,}',
  "01",
  "1.",
  ".5",
  "+1",
  "NaN",
  "Infinity",
  "nul",
  "'a'",
  '"a\nb"',
  '"\\x"',
  "{1:2}",
  '{"a" 1}',
  "[1 2]",
  "1 2",
  "[".repeat(65) + "]".repeat(65),
];

test("JSON is read with exact numbers, as Python's json reads it", () => {
  const rng = seeded(11);
  for (let index = 0; index < 300; index++) {
    const value = randomValue(rng);
    const text = writeValue(value, rng);
    const json = toJson(parseJson(text));
    assert.ok(sameValue(parseJson(json), value), text);
    assert.deepEqual(JSON.parse(json), JSON.parse(text), text);
  }
  assert.equal(toJson(parseJson('{"a":1.50,"b":-0.0,"c":1e3}')), '{"a":1.50,"b":-0.0,"c":1e3}');
  assert.equal(toJson(parseJson(" [ ] ")), "[]");
  const polluted = parseJson('{"__proto__":{"polluted":1}}');
  assert.equal(toJson(polluted), '{"__proto__":{"polluted":1}}');
  assert.equal(/** @type {any} */ ({}).polluted, undefined);
});

test("malformed JSON and nesting deeper than the limit are refused", () => {
  for (const text of BAD_JSON) {
    const refused = (error) => error instanceof SyntaxError && error.message.startsWith("JSON ");
    assert.throws(() => parseJson(text), refused, text);
  }
  const deepest = "[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH);
  assert.equal(toJson(parseJson(deepest)), deepest);
  assert.equal(toJson(parseWithDepth("[[[]]]", 3)), "[[[]]]");
  assert.throws(() => parseWithDepth("[[[[]]]]", 3), /JSON lồng nhau quá sâu \(quá 3 cấp\)/);
});

test("JSON with strings of millions of characters is read in linear time", () => {
  // A regular expression for strings overflowed the stack there.
  const key = "k".repeat(24_000_000);
  const text = `{"${key}": ["${"é\\\\".repeat(2_000_000)}", 1.50], "b": "\\u00e9"}`;
  const started = performance.now();
  const doc = parseJson(text);
  const seconds = (performance.now() - started) / 1000;
  assert.deepEqual(Object.keys(doc).map((k) => k.length), [24_000_000, 1]);
  assert.equal(doc[key][0].length, 4_000_000);
  assert.equal(doc[key][1].text, "1.50");
  assert.equal(doc.b, "é");
  assert.ok(seconds < 5, `${seconds} s`);
});
