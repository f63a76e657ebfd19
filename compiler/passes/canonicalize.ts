/**
 * Canonical forms for differentiation: `logm/sqrtm/expm(X)` become `spectralFn(X, eigh(X)) {fn}`
 * so that the forward value and the Daleckii–Krein backward share one eigendecomposition
 * (without this the backward graph would decompose X a second time).
 */
import { MATRIX_FUNCTIONS } from "../../ir/ops/spectral.js";
import type { RewriteRule } from "./rewrite.js";

const FN_OF = new Map(MATRIX_FUNCTIONS.map((s) => [s.name, s.fn]));

export const CANONICALIZE_RULES: readonly RewriteRule[] = [
  {
    name: "spectral-via-eigh",
    match(node, e) {
      const fn = FN_OF.get(node.op);
      if (!fn) return undefined;
      const [x] = node.inputs;
      const [w, u] = e.ops("eigh", [x]);
      return [e.op("spectralFn", [x, w, u], { fn })];
    },
  },
];
