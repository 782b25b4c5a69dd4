// Dates and times as the pages write them for a Vietnamese reader: day, month and a four-digit
// year ("02/12/2026 14:05"), local time. One writer for every page, so that a saved time, a
// summary's file and a printout's date read alike.

const pad = (n) => String(n).padStart(2, "0");

/** "02/12/2026" for a date, in local time. */
export function calendarDate(date) {
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
}

/** "02/12/2026 14:05" for a date, in local time. */
export function dateAndTime(date) {
  return `${calendarDate(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "2026-12-02" (for file names), in local time. */
export function localDate(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The day, month and year of a document's date line ("ngày 05 tháng 02 năm 2026") from a
 * date written YYYY-MM-DD: Nghị định 30/2020/NĐ-CP writes a day under 10 and the months 1 and
 * 2 with a leading zero, other months without ("tháng 12", "tháng 3"). Null for any other text.
 * @param {string} text
 * @returns {{day: string, month: string, year: string} | null}
 */
export function documentDate(text) {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!found) return null;
  const [, year, month, day] = found;
  const m = Number(month);
  return { day, month: m <= 2 ? month : String(m), year };
}
