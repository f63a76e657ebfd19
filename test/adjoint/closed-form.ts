/** Comparison of a gradient with its closed form, shared by the repeated-value tests. */
import { expect } from "vitest";

/** max |got − want| / max(1, max |want|) ≤ tol, with both arrays in the message when not. */
export function expectCloseToClosedForm(got: Float64Array, want: Float64Array, tol: number): void {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  expect(err / scale, `max |got − closed form| / max(1, |closed form|)\n got ${[...got]}\nwant ${[...want]}`).toBeLessThanOrEqual(tol);
}
