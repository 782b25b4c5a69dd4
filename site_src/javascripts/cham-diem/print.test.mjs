// cham-diem/print.mjs under Node: what the page says before printing an unfinished form; the
// printouts filled once when idle, with the latest answer.

import assert from "node:assert/strict";
import { test } from "node:test";

import { printWarning, printoutsWhenIdle } from "./print.mjs";

const STAGES = [
  { id: "self", label: "Tự chấm", answers: true },
  { id: "appraisal", label: "Thẩm định", answers: true },
  { id: "final", label: "Kết quả cuối cùng", answers: false },
];
const stage = (invalid, missing) => ({ invalid, missing });

test("a complete form prints without a question", () => {
  const answer = { ok: true, result: { stages: { self: stage(0, 0), appraisal: null, final: stage(0, 0) } } };
  assert.equal(printWarning(answer, STAGES), null);
});

test("wrong and missing items are counted per stage with answers", () => {
  const answer = {
    ok: true,
    result: { stages: { self: stage(1, 3), appraisal: stage(0, 2), final: stage(1, 3) } },
  };
  assert.equal(
    printWarning(answer, STAGES),
    "Phiếu còn Tự chấm: 1 mục có điểm không hợp lệ, 3 mục chưa chấm; Thẩm định: 2 mục chưa chấm." +
      " Bản in sẽ để trống các ô đó và tổng điểm thành dòng chấm để điền tay. Vẫn in, hay quay" +
      " lại sửa?",
  );
});

test("a form that could not be scored is said so", () => {
  assert.match(printWarning(null, STAGES), /^Chưa tính được điểm/);
  assert.match(printWarning({ ok: false, error: {} }, STAGES), /^Chưa tính được điểm/);
});

test("answers in a row fill the printouts once, when idle, with the latest", async () => {
  const filled = [];
  const view = /** @type {any} */ ({});
  const later = printoutsWhenIdle(view, (target, doc, text) => filled.push([target, doc, text]));
  later({ n: 1 }, "a");
  later({ n: 2 }, "b");
  later({ n: 3 }, null);
  assert.deepEqual(filled, []); // not in the task that showed the answer
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(filled, [[view, { n: 3 }, null]]);
  later({ n: 4 }, "c");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(filled.length, 2);
});
