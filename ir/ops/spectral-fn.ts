/**
 * `spectralFn(X, w, U) {fn}` = U diag(f(w)) Uᵀ with [w, U] = eigh(X): the form logm/sqrtm/expm take
 * in gradient graphs (compiler/passes/canonicalize.ts), so that the forward pass and the
 * Daleckii–Krein backward share one eigendecomposition. X is an input only so that the adjoint
 * can send the whole derivative to it.
 */
import { stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { squareDims } from "../shape.js";
import { formatShape, tensorType } from "../types.js";
import { applySpectral, SPECTRAL_FNS, type SpectralFn } from "../../numeric/spectral/spectral.js";
import { symmetricProduct } from "../../numeric/dense.js";
import { matrixBatch } from "../../numeric/ndarray.js";
import { MATRIX_FUNCTIONS, spectralConjugate } from "./spectral.js";

const table = new OpTable();

table.define({
  name: "spectralFn",
  family: "spectral",
  arity: 3,
  doc: "U diag(f(w)) Uᵀ from eigh(X) = (w, U), f ∈ log/sqrt/exp: logm/sqrtm/expm sharing their eigendecomposition",
  infer: ([x, w, u], attrs) => {
    const fn = stringAttr("spectralFn", attrs, "fn", SPECTRAL_FNS);
    const [batch, n] = squareDims("spectralFn", x, "X");
    const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((d, i) => d === b[i]);
    if (!same(u.shape, x.shape) || !same(w.shape, [...batch, n])) {
      fail("MP2001", `spectralFn: X ${formatShape(x.shape)}, w ${formatShape(w.shape)} and U ${formatShape(u.shape)} do not belong together`);
    }
    return [tensorType(x.dtype, x.shape, MATRIX_FUNCTIONS.find((m) => m.fn === fn)!.gives)];
  },
  evalCPU: ([, w, u], attrs) => {
    const { rows: n, count } = matrixBatch(u);
    const out = new Float64Array(u.data.length);
    for (let b = 0; b < count; b++) {
      const fw = applySpectral(w.data.subarray(b * n, (b + 1) * n), attrs.fn as SpectralFn, attrs);
      out.set(symmetricProduct(u.data.subarray(b * n * n, (b + 1) * n * n), fw, n, n), b * n * n);
    }
    return [{ shape: [...u.shape], data: out }];
  },
  // The canonical form of logm/sqrtm/expm in gradient graphs: the same rule on the shared eigh.
  adjoint: ({ inputs: [, w, u], attrs, cotangents: [g], e }) => [spectralConjugate(e, u, e.op("loewner", [w], { fn: attrs.fn }), g!), null, null],
});

/** The spectral-fn ops, for ir/registry.ts. */
export const SPECTRAL_FN_OPS = table.ops;
