/** The two projectors of the normalized-cuts layer (docs/architecture.md, rules 3 and 4). */
import { intAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { matrixDims, squareDims } from "../shape.js";
import { tensorType } from "../types.js";

import { rangeProjector, topEigenProjector } from "../../numeric/spectral/projectors.js";
import { demand } from "./demand.js";
import { spectralConjugate } from "./spectral.js";

const table = new OpTable();

table.define({
  name: "topEigenProjector",
  family: "spectral",
  arity: 1,
  doc: "U_k U_kᵀ, the projector onto the eigenvectors of the k largest eigenvalues of a symmetric X",
  infer: ([x], attrs) => {
    const k = intAttr("topEigenProjector", attrs, "k", 1);
    const [batch, n] = squareDims("topEigenProjector", x);
    demand("topEigenProjector", x, "symmetric");
    if (typeof n === "number" && k > n) fail("MP2004", `topEigenProjector: k = ${k} exceeds the matrix size ${n}`);
    return [tensorType(x.dtype, [...batch, n, n], "projector")];
  },
  evalCPU: ([x], attrs) => [topEigenProjector(x, attrs.k as number)],
  adjoint: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const [w, u] = e.ops("eigh", [x]);
    return [spectralConjugate(e, u, e.op("projectorGap", [w], { k: attrs.k }), g!)];
  },
});

table.define({
  name: "rangeProjector",
  family: "spectral",
  arity: 1,
  doc: "Z (ZᵀZ)⁻¹ Zᵀ, the orthogonal projector onto the column space of a full-column-rank Z",
  infer: ([z]) => {
    const [batch, n, k] = matrixDims("rangeProjector", z, "Z");
    if (typeof n === "number" && typeof k === "number" && k > n) {
      fail("MP2001", `rangeProjector: Z is ${n}×${k}; it needs at least as many rows as columns to have full column rank`);
    }
    return [tensorType(z.dtype, [...batch, n, n], "projector")];
  },
  evalCPU: ([z]) => [rangeProjector(z)],
  // Π = Z (ZᵀZ)⁻¹ Zᵀ: Z̄ = 2 (I − Π) sym(Π̄) (Z⁺)ᵀ with (Z⁺)ᵀ = Z (ZᵀZ)⁻¹.
  adjoint: ({ inputs: [z], outputs: [p], cotangents: [g], e }) => {
    const zt = e.transpose(z);
    const zpt = e.transpose(e.op("solve", [e.matmul(zt, z), zt]));
    const a = e.matmul(e.sym(g!), zpt);
    return [e.mul(e.sub(a, e.matmul(p, a)), 2)];
  },
});

/** The projector ops, for ir/registry.ts. */
export const PROJECTOR_OPS = table.ops;
