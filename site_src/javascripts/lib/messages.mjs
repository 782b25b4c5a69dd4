// What the page tells the user when a file or the browser's storage refuses something, in
// Vietnamese, in one place: the scoring page, its saved assessments and the summary's worker
// all say the same thing the same way.

// --------------------------------------------------------------------------------------------
// Files

/**
 * A file chosen for import is larger than the limit (both sizes written by files.mjs
 * megabytes). The summary's worker says the contract's messages.too_large instead, as the
 * command line does.
 */
export const tooLargeToImport = (size, limit) =>
  `tệp quá lớn (${size}; tệp chấm điểm không quá ${limit})`;

/** A chosen file could not be read (the browser's reason in brackets). */
export const unreadableFile = (why) => `không đọc được tệp (${why})`;

/** A chosen file is not text in UTF-8 (or UTF-16 after its byte order mark). */
export const NOT_UTF8 = "Tệp phải được mã hóa UTF-8.";

/** One of the summary's files could not be read. */
export const UNREADABLE_ENTRY =
  "Không đọc được tệp (tệp đã bị xóa, di chuyển, hoặc là một thư mục).";

// --------------------------------------------------------------------------------------------
// The browser's storage

export const QUOTA = "bộ nhớ của trình duyệt dành cho trang này đã đầy";

/** The disk (or the browser's storage) is full; `name` the error's name. */
export const diskFull = (name) => `bộ nhớ của trình duyệt đã đầy hoặc ổ đĩa hết chỗ (${name})`;

export const BLOCKED =
  "trình duyệt không cho trang này lưu dữ liệu (chế độ duyệt riêng tư hoặc cài đặt chặn" +
  " lưu trữ)";

/** Any other failure of the storage; `name` the error's name, if any. */
export const storageFault = (name) => `kho lưu trữ của trình duyệt báo lỗi (${name || "không rõ"})`;

/** What to do after a save that failed because the disk is full. */
export const FULL_ADVICE =
  "Hãy “Xuất tệp JSON” ngay để giữ những gì đã nhập (vẫn còn trên trang), rồi giải phóng dung" +
  " lượng ổ đĩa; các phiếu đã lưu trước đó không bị ảnh hưởng.";

/** What to do after a save that failed for any other reason. */
export const KEEP_IT =
  "Những gì đã nhập vẫn còn trên trang; hãy dùng “Xuất tệp JSON” để giữ lại (các phiếu đã lưu" +
  " trước đó không bị ảnh hưởng).";

/** The browser has not promised to keep the drafts. */
export const EVICTABLE =
  "Trình duyệt chưa cam kết giữ lâu dài các phiếu lưu ở đây: khi ổ đĩa thiếu chỗ, nó có thể tự" +
  " xóa chúng. Hãy “Xuất tệp JSON” để giữ chắc từng phiếu.";

/**
 * IndexedDB could not be opened (`problem`: why), so the page saves in localStorage; `full`:
 * because the disk is full.
 */
export const fellBack = (problem, full) =>
  `Không mở được kho lưu trữ chính của trình duyệt (IndexedDB): ${problem}. Trang` +
  " này tạm lưu phiếu vào localStorage; các phiếu đã lưu trước đó trong IndexedDB vẫn còn" +
  " nhưng chưa mở được, và sẽ hiện lại khi IndexedDB mở được. " +
  (full ? FULL_ADVICE : "Nên “Xuất tệp JSON” để giữ chắc phiếu đang nhập.");

/** Nothing can be saved in this browser (`problem`: why). */
export const cannotSave = (problem) =>
  `Không lưu được phiếu trong trình duyệt này: ${problem}. Tải lại hoặc đóng trang` +
  " thì những gì đã nhập sẽ mất; hãy dùng “Xuất tệp JSON” để giữ lại.";

/** A save failed (`problem`: why; `name`: the unit's, when the save was not the open one's). */
export const notSaved = (problem, advice, name = null) =>
  `Không lưu được phiếu${name === null ? "" : ` ${name}`}: ${problem}. ${advice}`;
