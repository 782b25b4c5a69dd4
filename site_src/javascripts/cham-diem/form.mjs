// The scoring form as an assessment document (format "thangdiem-assessment").
//
// The page embeds the rubric's empty document (api.template) in
// <script type="application/json" id="template">; collectDocument() fills a copy of it from
// the form, so the document always has exactly the template's keys. Numbers typed by the user
// are never turned into JS floats: "1,5" becomes the JSON number text 1.5, written as typed
// (see jsonNumber), and anything that is not a plain decimal number is sent as a JSON string
// so that scoring_py reports it (wrong_type) instead of this page guessing.
//
// Input names: "<stage>:<item-id>" for answers (radio values: level ids, "true", "false",
// "na"; "" means unanswered), "<stage>:<item-id>:numerator" / ":denominator" for ratios,
// "<stage>:<item-id>:na" for the "không phát sinh" checkbox, "<stage>:condition:<id>" and
// "<stage>:condition:<id>:note" for conditions, "evidence:<item-id>:documents" /
// ":explanation", "report:<criterion-id>:done_well" / ":shortcomings", "unit:name",
// "unit:type", "unit:year" and "proposed_band".

/** A JSON number kept as its exact text (never converted to a float). */
export class JsonNumber {
  constructor(text) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) throw new Error(`not a JSON number: ${text}`);
    this.text = text;
  }
}

// A plain decimal number as people type it: optional sign, up to 12 digits, optionally a
// decimal comma (Vietnamese) or point and up to 12 more digits. Longer numbers are not scores
// (scoring_py refuses them as such when sent as text).
const DECIMAL = /^([+-]?)(\d{0,12})(?:[.,](\d{1,12}))?$/;

/**
 * The JSON number text of a typed decimal number, or null when the text is not one:
 * "1,5" → "1.5", "01,50" → "1.50", ",5" → "0.5", "+2" → "2", "-0,5" → "-0.5".
 */
export function jsonNumber(typed) {
  const match = DECIMAL.exec(typed.trim());
  if (!match) return null;
  const [, sign, whole, fraction] = match;
  if (whole === "" && fraction === undefined) return null;
  const integer = whole.replace(/^0+(?=\d)/, "") || "0";
  const text = (sign === "-" ? "-" : "") + integer + (fraction === undefined ? "" : "." + fraction);
  return text;
}

/** A typed value as an answer: null when empty, a JsonNumber when a number, else the text. */
export function typedValue(typed) {
  const text = typed.trim();
  if (text === "") return null;
  const number = jsonNumber(text);
  return number === null ? text : new JsonNumber(number);
}

/** Write a value as JSON text; JsonNumbers are written exactly as they are. */
export function toJson(value) {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return "[" + value.map(toJson).join(",") + "]";
  if (typeof value === "object") {
    const parts = Object.keys(value).map((key) => JSON.stringify(key) + ":" + toJson(value[key]));
    return "{" + parts.join(",") + "}";
  }
  // Numbers only come from the template (e.g. "version": 1): integers, written as such.
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  throw new TypeError(`cannot write ${typeof value} as JSON`);
}

function field(form, name) {
  return form.elements.namedItem(name);
}

function textOf(form, name) {
  const element = field(form, name);
  return element && "value" in element ? element.value : "";
}

/** The checked value of a radio group, or null when the group is absent. */
function radioValue(form, name) {
  const group = field(form, name);
  if (!group) return null;
  if (group instanceof RadioNodeList) return group.value;
  return group.checked ? group.value : "";
}

/** One stage's answer to one item, read from the form (null when the input is absent). */
export function readAnswer(form, stage, itemId, kind) {
  const base = `${stage}:${itemId}`;
  const na = field(form, `${base}:na`);
  if (na && na.checked) return "na";
  if (kind === "choice" || kind === "yesno") {
    const value = radioValue(form, base);
    if (value === null || value === "") return null;
    if (kind === "yesno" && (value === "true" || value === "false")) return value === "true";
    return value;
  }
  if (kind === "ratio") {
    if (!field(form, `${base}:numerator`)) return null;
    const numerator = typedValue(textOf(form, `${base}:numerator`));
    const denominator = typedValue(textOf(form, `${base}:denominator`));
    if (numerator === null && denominator === null) return null;
    return { numerator, denominator };
  }
  if (!field(form, base)) return null;
  return typedValue(textOf(form, base));
}

function readYear(form) {
  const text = textOf(form, "unit:year").trim();
  if (text === "") return null;
  return /^\d{1,4}$/.test(text) ? new JsonNumber(text.replace(/^0+(?=\d)/, "")) : text;
}

/** The item kinds of the form, by item id (from the data-kind of each item). */
function itemKinds(form) {
  const kinds = new Map();
  for (const element of form.querySelectorAll("[data-item][data-kind]")) {
    kinds.set(element.dataset.item, element.dataset.kind);
  }
  return kinds;
}

/**
 * The form as an assessment document (plain data; numbers typed by the user are JsonNumbers).
 * `template` is the rubric's empty document.
 */
export function collectDocument(form, template) {
  const doc = structuredClone(template);
  const kinds = itemKinds(form);
  doc.unit.name = textOf(form, "unit:name");
  if (field(form, "unit:type")) doc.unit.type = textOf(form, "unit:type") || null;
  doc.unit.year = readYear(form);
  for (const [stage, body] of Object.entries(doc.stages)) {
    for (const itemId of Object.keys(body.answers)) {
      body.answers[itemId] = readAnswer(form, stage, itemId, kinds.get(itemId));
    }
    for (const [id, condition] of Object.entries(body.conditions)) {
      const value = radioValue(form, `${stage}:condition:${id}`);
      condition.value = value === "true" ? true : value === "false" ? false : null;
      condition.note = textOf(form, `${stage}:condition:${id}:note`);
    }
  }
  for (const [itemId, evidence] of Object.entries(doc.evidence)) {
    evidence.documents = textOf(form, `evidence:${itemId}:documents`);
    evidence.explanation = textOf(form, `evidence:${itemId}:explanation`);
  }
  for (const [criterionId, report] of Object.entries(doc.report)) {
    report.done_well = textOf(form, `report:${criterionId}:done_well`);
    report.shortcomings = textOf(form, `report:${criterionId}:shortcomings`);
  }
  doc.proposed_band = textOf(form, "proposed_band");
  return doc;
}

/** The embedded empty document of the page's rubric. */
export function readTemplate(root = document) {
  const element = root.getElementById("template");
  return JSON.parse(element.textContent);
}

/** The form of the page as the JSON text of an assessment document. */
export function currentDocument(form = document.getElementById("cham-diem"), template = null) {
  return toJson(collectDocument(form, template ?? readTemplate(form.ownerDocument)));
}
