/**
 * The float64 kernels of issue 12's linalg ops against NumPy/SciPy values
 * (test/fixtures/linalg/reference.json, written by scripts/reference/linalg.py — see its header for
 * the conventions matprop fixes where NumPy leaves a choice).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { det, slogdet } from "../../../numeric/linalg/det.js";
import { eigh } from "../../../numeric/linalg/eigh.js";
import { powm } from "../../../numeric/spectral/matrix-power.js";
import { newtonSchulzSqrtm } from "../../../numeric/linalg/newton-schulz.js";
import { norm } from "../../../numeric/linalg/norm.js";
import { pinv, polar } from "../../../numeric/linalg/polar.js";
import { qr } from "../../../numeric/linalg/qr.js";
import { type NDArray, ndarray } from "../../../numeric/ndarray.js";
import { expectClose, expectNumericError } from "./helpers.js";

interface Stored {
  shape: number[];
  /** Numbers, or "-Infinity" (JSON has no infinities). */
  data: (number | string)[];
}
type Case = Record<string, Stored | number>;
const REF = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../fixtures/linalg/reference.json"), "utf8")) as Record<string, Case[]>;
const nd = (c: Case, k: string): NDArray => {
  const s = c[k] as Stored;
  return ndarray(s.shape, s.data.map(Number));
};
const label = (c: Case, k: string) => `[${(c[k] as Stored).shape.join(", ")}]`;

describe("det and slogdet = numpy.linalg", () => {
  for (const c of REF.det) {
    const a = nd(c, "a");
    it(`${label(c, "a")} ${a.data.slice(0, 3).join(", ")}…`, () => {
      const n = a.shape[a.shape.length - 1];
      const want = nd(c, "det");
      // Hadamard: |det| ≤ Π‖row‖, and LU's error is a few ulps of that product.
      let hadamard = 1;
      for (let i = 0; i < a.data.length / n; i++) hadamard *= Math.hypot(...a.data.subarray(i * n, (i + 1) * n));
      const got = det(a);
      for (let b = 0; b < want.data.length; b++) expect(Math.abs(got.data[b] - want.data[b])).toBeLessThanOrEqual(1e-14 * hadamard);
      const sign = nd(c, "sign");
      if (sign.data.some((s) => s === 0)) {
        // Singular for NumPy: an exact zero pivot. Whether round-off leaves one is the LU's business
        // ([[1,2,3],[4,5,6],[7,8,9]]: OpenBLAS's FMA gives 0, the textbook loop 6.7e-16), so the
        // determinant is compared above within the Hadamard bound, and slogdet must agree with it.
        if (got.data[0] === 0) expectNumericError(() => slogdet(a), "singular");
        else expect(Math.abs(slogdet(a)[0].data[0] * Math.exp(slogdet(a)[1].data[0]) - got.data[0])).toBeLessThanOrEqual(1e-14 * Math.abs(got.data[0]));
        return;
      }
      const [s, l] = slogdet(a);
      expect([...s.data]).toEqual([...sign.data]);
      expectClose(l, nd(c, "logabsdet"), 1e-12);
    });
  }
});

describe("qr (R_jj ≥ 0) = numpy.linalg.qr with R's diagonal made non-negative", () => {
  for (const c of REF.qr) {
    it(label(c, "a"), () => {
      const [q, r] = qr(nd(c, "a"));
      expectClose(q, nd(c, "q"), 1e-13);
      expectClose(r, nd(c, "r"), 1e-13);
    });
  }
});

describe("polar = scipy.linalg.polar", () => {
  for (const c of REF.polar) it(label(c, "a"), () => expectClose(polar(nd(c, "a")), nd(c, "q"), 1e-13));
});

describe("pinv = numpy.linalg.pinv", () => {
  for (const c of REF.pinv) it(label(c, "a"), () => expectClose(pinv(nd(c, "a")), nd(c, "pinv"), 1e-12));
});

describe("powm = scipy.linalg.fractional_matrix_power (Schur–Padé)", () => {
  for (const c of REF.powm) it(`${label(c, "x")}, p = ${c.p}`, () => expectClose(powm(nd(c, "x"), c.p as number), nd(c, "y"), 1e-11));
});

describe("Newton–Schulz sqrtm = the iSQRT-COV recurrence written in NumPy", () => {
  for (const c of REF.newtonSchulz) it(`${label(c, "x")}, ${c.iters} iterations`, () => expectClose(newtonSchulzSqrtm(nd(c, "x"), c.iters as number), nd(c, "y"), 1e-12));
});

describe("norm = numpy.linalg.norm", () => {
  for (const c of REF.norm) {
    if (c.vector) {
      it(`vectors ${label(c, "vector")}`, () => expectClose(norm(nd(c, "vector"), 2, false), nd(c, "2"), 1e-15));
      continue;
    }
    for (const ord of ["fro", "nuc", 2] as const) it(`${label(c, "a")}, ord ${ord}`, () => expectClose(norm(nd(c, "a"), ord, true), nd(c, String(ord)), 1e-14));
  }
});

describe("eigvalsh = numpy.linalg.eigvalsh", () => {
  for (const c of REF.eigvalsh) it(label(c, "x"), () => expectClose(eigh(nd(c, "x"))[0], nd(c, "w"), 1e-14));
});
