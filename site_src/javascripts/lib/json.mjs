// Exact-number JSON: documents and scoring answers are read and written without ever turning
// a number into a JS float. parseJson keeps every number as a JsonNumber (its exact text) and
// toJson writes it back as it was, so that "1.50" stays "1.50" and 0.1 + 0.2 never happens on
// the page; scoring_py does all the arithmetic, with Decimals.

import { contract } from "./contract.mjs";

/** A JSON number kept as its exact text (never converted to a float). */
export class JsonNumber {
  /** @param {string} text */
  constructor(text) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
      throw new Error(`not a JSON number: ${text}`);
    }
    this.text = text;
  }
}

/**
 * Write a value as JSON text; JsonNumbers are written exactly as they are. With `indent` > 0,
 * one entry a line, indented by that many spaces a level.
 */
export function toJson(value, indent = 0, level = 0) {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  const wrap = (open, parts, close) => {
    if (parts.length === 0) return open + close;
    if (!indent) return open + parts.join(",") + close;
    const pad = "\n" + " ".repeat(indent * (level + 1));
    return open + pad + parts.join("," + pad) + "\n" + " ".repeat(indent * level) + close;
  };
  if (Array.isArray(value)) {
    return wrap("[", value.map((item) => toJson(item, indent, level + 1)), "]");
  }
  if (typeof value === "object") {
    const colon = indent ? ": " : ":";
    const parts = Object.keys(value).map(
      (key) => JSON.stringify(key) + colon + toJson(value[key], indent, level + 1),
    );
    return wrap("{", parts, "}");
  }
  // Numbers only come from the template (e.g. "version": 1): integers, written as such.
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  throw new TypeError(`cannot write ${typeof value} as JSON`);
}

// JSON's tokens other than strings, each tried at one place (sticky). Strings are scanned by
// stringEnd, not by a regular expression: a pattern such as "(?:[^"\\]|\\.)*" keeps one
// backtracking entry a character, and a key of a few million characters then overflows the
// stack ("Maximum call stack size exceeded").
const SPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
// eslint-disable-next-line no-control-regex -- the control characters JSON strings may not hold
const CONTROL = /[\u0000-\u001f]/;
const MARKS = "{}[]:,";

/**
 * Read JSON text like JSON.parse, but keep every number as a JsonNumber (its exact text), so
 * that toJson(parseJson(text)) writes the numbers exactly as they were. Throws SyntaxError.
 * Linear in the text's length: one pass, whatever the length of its strings. Nesting deeper
 * than `maxDepth` is refused (documents need 4 levels); by default the page's contract says how
 * deep scoring_py reads.
 * @param {string} text
 * @param {number} [maxDepth]
 */
export function parseJson(text, maxDepth = contract().max_depth) {
  let position = 0;
  // The next '"' and "\\" found (-1: none left; -2: not looked up): each search starts where
  // the last one ended, so that the text is searched once in all.
  let quote = -2;
  let backslash = -2;
  const invalid = (at) => new SyntaxError(`JSON không hợp lệ ở ký tự ${at + 1}`);
  /** The index after the closing quote of the string that opens at `start`, or -1. */
  const stringEnd = (start) => {
    let at = start + 1;
    for (;;) {
      if (quote !== -1 && quote < at) quote = text.indexOf('"', at);
      if (quote < 0) return -1;
      if (backslash !== -1 && backslash < at) backslash = text.indexOf("\\", at);
      const stop = backslash !== -1 && backslash < quote ? backslash : quote;
      if (CONTROL.test(text.slice(at, stop))) return -1;
      if (stop === quote) return quote + 1;
      ESCAPE.lastIndex = stop;
      if (!ESCAPE.test(text)) return -1;
      at = ESCAPE.lastIndex;
    }
  };
  const sticky = (pattern, at) => {
    pattern.lastIndex = at;
    return pattern.test(text) ? pattern.lastIndex : -1;
  };
  // The next token as [, string, number, literal, mark] (one of them set).
  const next = () => {
    const at = position;
    const start = sticky(SPACE, at);
    const char = text[start];
    const match = [null, undefined, undefined, undefined, undefined];
    let end;
    if (char === '"') {
      end = stringEnd(start);
      if (end >= 0) match[1] = text.slice(start, end);
    } else if (char !== undefined && MARKS.includes(char)) {
      end = start + 1;
      match[4] = char;
    } else if ((end = sticky(NUMBER, start)) >= 0) {
      match[2] = text.slice(start, end);
    } else if ((end = sticky(LITERAL, start)) >= 0) {
      match[3] = text.slice(start, end);
    }
    if (end < 0) throw invalid(at);
    position = end;
    return match;
  };
  const value = (match, depth) => {
    if (depth > maxDepth) throw new SyntaxError(`JSON lồng nhau quá sâu (quá ${maxDepth} cấp)`);
    const [, string, number, literal, mark] = match;
    if (string !== undefined) return JSON.parse(string);
    if (number !== undefined) return new JsonNumber(number);
    if (literal !== undefined) return literal === "null" ? null : literal === "true";
    if (mark === "[") {
      const list = [];
      let item = next();
      if (item[4] === "]") return list;
      for (;;) {
        list.push(value(item, depth + 1));
        const after = next()[4];
        if (after === "]") return list;
        if (after !== ",") throw new SyntaxError("JSON không hợp lệ: thiếu dấu phẩy trong mảng");
        item = next();
      }
    }
    if (mark === "{") {
      const object = {};
      let key = next();
      if (key[4] === "}") return object;
      for (;;) {
        if (key[1] === undefined) throw new SyntaxError("JSON không hợp lệ: khóa phải là chuỗi");
        if (next()[4] !== ":") throw new SyntaxError("JSON không hợp lệ: thiếu dấu hai chấm");
        // defineProperty: a "__proto__" key is an own property, as with JSON.parse.
        Object.defineProperty(object, JSON.parse(key[1]), {
          value: value(next(), depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        const after = next()[4];
        if (after === "}") return object;
        if (after !== ",") {
          throw new SyntaxError("JSON không hợp lệ: thiếu dấu phẩy trong đối tượng");
        }
        key = next();
      }
    }
    throw new SyntaxError(`JSON không hợp lệ: gặp “${mark}” không đúng chỗ`);
  };
  const result = value(next(), 1);
  if (sticky(SPACE, position) !== text.length) {
    throw new SyntaxError(`JSON không hợp lệ: còn nội dung thừa ở ký tự ${position + 1}`);
  }
  return result;
}
