// The summary page's side of the scoring worker (cham-diem/worker.mjs): the same worker and
// loading as the scoring form (Scorer), plus its "aggregate" call.

import { Scorer } from "../cham-diem/scorer.mjs";

export class Summariser extends Scorer {
  constructor(urls, onProgress) {
    super(urls, onProgress);
    this.reading = new Map();
  }

  receive(message) {
    if (message.type === "aggregating") {
      this.reading.get(message.seq)?.(message.read, message.total);
    } else if (message.type === "aggregated") {
      const request = this.pending.get(message.seq);
      this.pending.delete(message.seq);
      this.reading.delete(message.seq);
      request?.resolve(message.text);
    } else {
      if (message.type === "error") this.reading.delete(message.seq);
      super.receive(message);
    }
  }

  /**
   * Read the chosen files in the worker and summarise them with scoring_py.api.aggregate;
   * resolves with its JSON text. Reading starts at once, even while Python is loading;
   * `onRead(read, total)` follows it.
   * @param {File[]} files
   * @param {(read: number, total: number) => void} onRead
   */
  aggregate(files, onRead) {
    if (!this.worker) return Promise.reject(new Error("bộ chấm điểm chưa được khởi động"));
    const seq = ++this.seq;
    this.reading.set(seq, onRead);
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ type: "aggregate", seq, files });
    });
  }
}
