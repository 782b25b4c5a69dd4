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
