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
// "unit:type", "unit:year", "paper:<key>" for the papers' texts and "proposed_band".
//
// fillDocument() is the inverse of collectDocument(): it puts a document (read with parseJson,
// which keeps numbers as their exact text) into the form, so that collectDocument() gives the
// same document back. What the form cannot show (an answer to an unknown item, a number where
// a level is expected, …) is reported, never dropped silently.

import { JsonNumber, toJson } from "../lib/json.mjs";
import { contract } from "../lib/contract.mjs";

/**
 * An assessment document as the page holds it (scoring_py/document.py declares its shape; the
 * page's copy is the embedded template). Numbers are JsonNumbers, or template integers.
 * @typedef {object} AssessmentDocument
 * @property {string} format
 * @property {number} version
 * @property {{id: string, version: string}} rubric
 * @property {{name: string, type: string | null, year: unknown}} unit
 * @property {Record<string, string>} paper the papers' texts, by key (shapes.Paper)
 * @property {Record<string, Stage>} stages by stage id ("self", "appraisal")
 * @property {Record<string, {documents: string, explanation: string}>} evidence by item id
 * @property {Record<string, Attachment[]>} attachments each item's attached files, by item id
 * @property {Review} [review] the appraisal round trip (shapes.Review)
 * @property {Record<string, {done_well: string, shortcomings: string}>} report by criterion
 * @property {string} proposed_band
 * @property {string | null} created
 * @property {string | null} updated
 *
 * @typedef {object} Attachment  a file attached to an item (shapes.Attachment)
 * @property {string} name
 * @property {number} size
 * @property {string} sha256
 * @property {string} type
 *
 * @typedef {object} ReviewStep  one step of the round trip (shapes.ReviewStep)
 * @property {string} state
 * @property {string} by
 * @property {string} at
 * @property {string} note
 *
 * @typedef {object} Review
 * @property {string} state one of the contract's review states
 * @property {ReviewStep[]} history every step taken, oldest first
 * @property {Record<string, {comment: string, explanation: string}>} items by item id
 *
 * @typedef {object} Stage
 * @property {Record<string, unknown>} answers by item id: null when unanswered
 * @property {Record<string, {value: boolean | null, note: string}>} conditions by id
 */
import { points } from "../lib/points.mjs";

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

function field(form, name) {
  return form.elements.namedItem(name);
}

/**
 * A control's text. A lone surrogate (half of a character, which a paste can bring in) is
 * replaced by U+FFFD "�": scoring_py refuses a document holding one (it could not be written
 * as UTF-8), so the form never saves or exports such text; an imported file holding one is
 * refused by scoring_py with the place named.
 */
function textOf(form, name) {
  const element = field(form, name);
  return element && "value" in element ? element.value.toWellFormed() : "";
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
  if (na && na.checked) return contract().not_applicable;
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
  for (const key of Object.keys(doc.paper)) doc.paper[key] = textOf(form, `paper:${key}`);
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
  if (doc.review) {
    const steps = reviewOf(form);
    doc.review.state = steps.state;
    doc.review.history = structuredClone(steps.history);
    for (const [itemId, entry] of Object.entries(doc.review.items)) {
      entry.comment = textOf(form, `review:${itemId}:comment`);
      entry.explanation = textOf(form, `review:${itemId}:explanation`);
    }
  }
  if (doc.attachments) {
    const held = attached.get(form);
    for (const itemId of Object.keys(doc.attachments)) {
      doc.attachments[itemId] = structuredClone(held?.get(itemId) ?? []);
    }
  }
  for (const [criterionId, report] of Object.entries(doc.report)) {
    report.done_well = textOf(form, `report:${criterionId}:done_well`);
    report.shortcomings = textOf(form, `report:${criterionId}:shortcomings`);
  }
  doc.proposed_band = textOf(form, "proposed_band");
  const { created, updated } = documentTimes(form);
  doc.created = created;
  doc.updated = updated;
  return doc;
}

// --------------------------------------------------------------------------------------------
// Filling the form from a document

/** What the form has no input for: the document's created/updated timestamps, per form. */
const times = new WeakMap();
/** Each form's attached files (no input holds them either): item id → Attachment[]. */
const attached = new WeakMap();
/** Each form's round trip state and history (no input holds them): {state, history}. */
const reviews = new WeakMap();

/**
 * Where the form's round trip stands: its state and the steps taken (a copy).
 * @param {HTMLFormElement} form
 * @returns {{state: string, history: ReviewStep[]}}
 */
export function reviewOf(form) {
  return structuredClone(reviews.get(form) ?? { state: "self", history: [] });
}

/**
 * Set where the form's round trip stands (collectDocument writes it).
 * @param {HTMLFormElement} form
 * @param {{state: string, history: ReviewStep[]}} review
 */
export function setReview(form, review) {
  reviews.set(form, structuredClone(review));
}

/**
 * The files attached to an item of the form (a copy; setAttachments changes them).
 * @param {HTMLFormElement} form
 * @param {string} itemId
 * @returns {Attachment[]}
 */
export function attachmentsOf(form, itemId) {
  return structuredClone(attached.get(form)?.get(itemId) ?? []);
}

/**
 * Set the files attached to an item of the form (collectDocument writes them).
 * @param {HTMLFormElement} form
 * @param {string} itemId
 * @param {Attachment[]} files
 */
export function setAttachments(form, itemId, files) {
  if (!attached.has(form)) attached.set(form, new Map());
  attached.get(form).set(itemId, structuredClone(files));
}

/** An attached file's entry as a document holds it, or null when it is not one. */
function attachmentEntry(value) {
  if (!isRecord(value)) return null;
  const { name, size, sha256, type } = value;
  const count = size instanceof JsonNumber ? Number(size.text) : size;
  if (typeof name !== "string" || typeof sha256 !== "string" || typeof type !== "string") {
    return null;
  }
  return Number.isSafeInteger(count) ? { name, size: count, sha256, type } : null;
}

/** The created/updated timestamps that collectDocument() writes for this form. */
export function documentTimes(form) {
  return times.get(form) ?? { created: null, updated: null };
}

/** Set the created/updated timestamps that collectDocument() writes for this form. */
export function setDocumentTimes(form, { created = null, updated = null }) {
  times.set(form, { created, updated });
}

/** Put every named control back to its value in the page's HTML (unanswered, empty). */
function clearControls(form) {
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "radio" || element.type === "checkbox") {
      element.checked = element.defaultChecked;
    } else if (element.tagName === "SELECT") {
      const chosen = [...element.options].findIndex((option) => option.defaultSelected);
      element.selectedIndex = Math.max(chosen, 0);
    } else if ("defaultValue" in element) {
      element.value = element.defaultValue;
    }
  }
}

/** A value as the form shows it: numbers with a decimal comma, texts as they are. */
function shown(value) {
  if (value instanceof JsonNumber) return points(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  return null;
}

function setValue(form, name, value) {
  const element = field(form, name);
  const text = shown(value);
  if (!element || !("value" in element) || element instanceof RadioNodeList || text === null) {
    return;
  }
  if (element.tagName === "SELECT" && ![...element.options].some((o) => o.value === text)) return;
  element.value = text;
}

function setRadio(form, name, value) {
  const group = field(form, name);
  if (!group) return;
  const radios = group instanceof RadioNodeList ? [...group] : [group];
  const radio = radios.find((element) => element.type === "radio" && element.value === value);
  if (radio) radio.checked = true;
}

function fillAnswer(form, stage, itemId, kind, value) {
  if (value === null || value === undefined) return;
  const base = `${stage}:${itemId}`;
  const na = field(form, `${base}:na`);
  if (value === contract().not_applicable && na && na.type === "checkbox") {
    na.checked = true;
    return;
  }
  if (kind === "choice" || kind === "yesno") {
    if (typeof value === "string" || typeof value === "boolean") {
      setRadio(form, base, String(value));
    }
    return;
  }
  if (kind === "ratio") {
    if (value && typeof value === "object" && !(value instanceof JsonNumber)) {
      setValue(form, `${base}:numerator`, value.numerator ?? null);
      setValue(form, `${base}:denominator`, value.denominator ?? null);
    }
    return;
  }
  setValue(form, base, value);
}

const isRecord = (value) =>
  value !== null &&
  typeof value === "object" &&
  !Array.isArray(value) &&
  !(value instanceof JsonNumber);

const entries = (value) => (isRecord(value) ? Object.entries(value) : []);

/** Every leaf of a document: path (list of keys) → its JSON text. */
function leaves(value, path = [], out = new Map()) {
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, [...path, key], out);
  } else {
    out.set(JSON.stringify(path), toJson(value));
  }
  return out;
}

/** A Vietnamese name for a place in a document, e.g. "Tự chấm, mục 2.1". */
export function describePath(path) {
  // A key of a million letters is named by its beginning, as scoring_py names it.
  const short = (key) =>
    typeof key === "string" && key.length > 40 ? key.slice(0, 37) + "…" : key;
  const [top, stage, part, id] = path.map(short);
  const label = () => contract().stages.find((entry) => entry.id === stage)?.label ?? stage;
  if (top === "stages" && part === "answers" && id !== undefined) return `${label()}, mục ${id}`;
  if (top === "stages" && part === "conditions" && id !== undefined) {
    return `${label()}, điều kiện ${id}`;
  }
  if (top === "evidence" && stage !== undefined) return `Tài liệu kiểm chứng, mục ${stage}`;
  if (top === "attachments" && stage !== undefined) return `Tệp đính kèm, mục ${stage}`;
  if (top === "review" && stage === "items" && part !== undefined) {
    return `Nhận xét thẩm định và giải trình, mục ${part}`;
  }
  if (top === "review") return "Trạng thái và lịch sử hồ sơ";
  if (top === "report" && stage !== undefined) return `Báo cáo, tiêu chí ${stage}`;
  if (top === "unit" && stage === "name") return "Tên đơn vị";
  if (top === "unit" && stage === "type") return "Loại đơn vị";
  if (top === "unit" && stage === "year") return "Năm đánh giá";
  if (top === "paper" && stage !== undefined) return contract().paper[stage] ?? `paper.${stage}`;
  if (top === "proposed_band") return "Mức xếp loại đơn vị đề nghị";
  return path.map(short).join(".");
}

/**
 * The places where `actual` does not hold `expected`'s value, as Vietnamese names (each place
 * once). A null expected where `actual` has nothing is not a difference; `rubric` and `version`
 * are not compared (the form always writes the page's rubric, in the current version: an older
 * draft is upgraded by being filled in, its new parts blank).
 */
export function differences(expected, actual) {
  const want = leaves({ ...expected, rubric: null, version: null });
  const have = leaves({ ...actual, rubric: null, version: null });
  const names = [];
  for (const [key, text] of want) {
    if (have.get(key) === text || (text === "null" && !have.has(key))) continue;
    const name = describePath(JSON.parse(key));
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Put a document (plain data from parseJson) into the form, replacing what it held. Returns
 * the places of the document that the form cannot hold (see differences); empty when
 * collectDocument() gives the document back.
 */
export function fillDocument(form, template, doc) {
  clearControls(form);
  const kinds = itemKinds(form);
  const unit = isRecord(doc.unit) ? doc.unit : {};
  setValue(form, "unit:name", unit.name ?? null);
  setValue(form, "unit:type", unit.type ?? null);
  setValue(form, "unit:year", unit.year ?? null);
  const paper = isRecord(doc.paper) ? doc.paper : {};
  for (const key of Object.keys(template.paper)) setValue(form, `paper:${key}`, paper[key] ?? null);
  const stages = isRecord(doc.stages) ? doc.stages : {};
  for (const stage of Object.keys(template.stages)) {
    const body = isRecord(stages[stage]) ? stages[stage] : {};
    for (const [itemId, value] of entries(body.answers)) {
      fillAnswer(form, stage, itemId, kinds.get(itemId), value);
    }
    for (const [id, condition] of entries(body.conditions)) {
      if (!isRecord(condition)) continue;
      if (typeof condition.value === "boolean") {
        setRadio(form, `${stage}:condition:${id}`, String(condition.value));
      }
      setValue(form, `${stage}:condition:${id}:note`, condition.note ?? null);
    }
  }
  for (const [itemId, evidence] of entries(doc.evidence)) {
    if (!isRecord(evidence)) continue;
    setValue(form, `evidence:${itemId}:documents`, evidence.documents ?? null);
    setValue(form, `evidence:${itemId}:explanation`, evidence.explanation ?? null);
  }
  const review = isRecord(doc.review) ? doc.review : {};
  const steps = Array.isArray(review.history) ? review.history.filter(isRecord) : [];
  setReview(form, {
    state: typeof review.state === "string" ? review.state : "self",
    history: steps.map(({ state, by, at, note }) => ({ state, by, at, note })),
  });
  for (const [itemId, entry] of entries(review.items)) {
    if (!isRecord(entry)) continue;
    setValue(form, `review:${itemId}:comment`, entry.comment ?? null);
    setValue(form, `review:${itemId}:explanation`, entry.explanation ?? null);
  }
  attached.set(form, new Map());
  for (const [itemId, files] of entries(doc.attachments)) {
    if (!Array.isArray(files) || !Object.hasOwn(template.attachments ?? {}, itemId)) continue;
    const kept = files.map(attachmentEntry).filter((entry) => entry !== null);
    setAttachments(form, itemId, kept);
  }
  for (const [criterionId, report] of entries(doc.report)) {
    if (!isRecord(report)) continue;
    setValue(form, `report:${criterionId}:done_well`, report.done_well ?? null);
    setValue(form, `report:${criterionId}:shortcomings`, report.shortcomings ?? null);
  }
  setValue(form, "proposed_band", doc.proposed_band ?? null);
  const text = (value) => (typeof value === "string" ? value : null);
  setDocumentTimes(form, { created: text(doc.created), updated: text(doc.updated) });
  return differences(doc, collectDocument(form, template));
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
