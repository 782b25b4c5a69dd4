// Assessment files: the name of an exported file, its download, and reading a chosen file.
// Everything happens in the browser (a Blob URL for the download, File.arrayBuffer() and a
// strict TextDecoder for reading).

import { localDate } from "./dates.mjs";
import { NOT_UTF8, tooLargeToImport, unreadableFile } from "./messages.mjs";
import { contract } from "./contract.mjs";
import { oneDecimal } from "./points.mjs";

/**
 * A file-name part from a text: Vietnamese accents folded, lower case, words joined by "-",
 * at most 60 characters. "UBND xã Đông Hòa" → "ubnd-xa-dong-hoa".
 */
export function slugify(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}


/**
 * The exported file's name: "danh-gia-ubnd-xa-a-2026-11-21.json"; with another `kind` and
 * extension, a Word file's ("bao-cao-ubnd-xa-a-2026-11-21.docx").
 */
export function exportName(unitName, date, kind = "danh-gia", extension = "json") {
  const slug = slugify(unitName ?? "");
  return `${kind}-${slug ? slug + "-" : ""}${localDate(date)}.${extension}`;
}

/** Let the browser save `parts` (a text or bytes, or a list of them) as a file named `name`. */
export function download(name, parts, type = "application/json") {
  const url = URL.createObjectURL(new Blob([parts].flat(), { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Characters that are invisible or act on the text around them: controls, format characters
// (bidi overrides and isolates among them), lone surrogates, private use, unassigned, line and
// paragraph separators. And the blocks of right-to-left scripts.
const HIDDEN = /[\p{C}\p{Zl}\p{Zp}]/gu;
const RIGHT_TO_LEFT =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const NAMED_ESCAPES = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(char) {
  const code = char.codePointAt(0);
  if (NAMED_ESCAPES[char]) return NAMED_ESCAPES[char];
  const hex = (digits) => code.toString(16).padStart(digits, "0");
  if (code <= 0xff) return `\\x${hex(2)}`;
  return code <= 0xffff ? `\\u${hex(4)}` : `\\U${hex(8)}`;
}

/**
 * User text (a file name) as it may enter a message, as scoring_py's problems.shown writes it:
 * invisible characters and those that act on the text around them (a right-to-left override
 * in a file name would reverse the rest of the message) as backslash escapes, and text with
 * right-to-left letters between FSI and PDI, so that it cannot reorder the message.
 */
export function shown(text) {
  const out = String(text).replace(HIDDEN, escapeChar);
  return RIGHT_TO_LEFT.test(out) ? `\u2068${out}\u2069` : out;
}

/** "12,5 MB" for a number of bytes. */
export function megabytes(bytes) {
  return `${oneDecimal(bytes / 1024 / 1024)} MB`;
}

/**
 * A file's bytes as text, read as the command line reads them: UTF-16 after its byte order
 * mark, else UTF-8 (its byte order mark dropped). Throws when the bytes are not such text (a
 * file saved in an old 8-bit encoding would otherwise come in with its letters replaced).
 */
export function decodeText(bytes) {
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? "utf-16le"
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? "utf-16be"
        : null;
  try {
    return new TextDecoder(utf16 ?? "utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new Error(NOT_UTF8, { cause: error });
  }
}

/**
 * A chosen file's text; throws an Error with a Vietnamese message when it is larger than
 * `limit` bytes (by default the page's contract's, checked before reading), cannot be read or
 * is not text (decodeText).
 * @param {File} file
 * @param {number} [limit]
 */
export async function readFile(file, limit = contract().max_file_bytes) {
  if (file.size > limit) throw new Error(tooLargeToImport(megabytes(file.size), megabytes(limit)));
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    const why = error && error.message ? error.message : error;
    throw new Error(unreadableFile(why), { cause: error });
  }
  return decodeText(bytes);
}
