// Globals of the pages that no module declares: the scoring page's handles for the browser
// tests (cham-diem/main.mjs), and the scheduler of the browsers that have one.
export {};

declare global {
  interface Window {
    thangdiemScore?: (rubricJson: string | null, documentJson: string) => Promise<string>;
    thangdiemDocument?: () => string;
    thangdiemFill?: (json: string) => string[];
    thangdiemSave?: () => Promise<void>;
  }
}
