// The page's one writer of numbers for Vietnamese readers: a decimal comma, as scoring_py's
// engine.fmt writes points ("12.5" → "12,5"). Display only: nothing here does arithmetic on
// points, which keep the exact text scoring_py wrote (a JsonNumber) wherever there is one.

import { JsonNumber } from "./json.mjs";

/**
 * A number of points as scoring_py writes it, with a decimal comma: a JsonNumber's exact text,
 * a number or a number's text (12.5, "12.5" → "12,5"); null for anything else.
 * @param {unknown} value
 * @returns {string | null}
 */
export function points(value) {
  if (value instanceof JsonNumber) return value.text.replace(".", ",");
  if (typeof value !== "number" && typeof value !== "string") return null;
  return String(value).replace(".", ",");
}

/**
 * A measured quantity (seconds, megabytes) with one decimal: 1.25 → "1,3".
 * @param {number} number
 */
export function oneDecimal(number) {
  return number.toFixed(1).replace(".", ",");
}
