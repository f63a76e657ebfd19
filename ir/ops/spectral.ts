/**
 * Spectral matrix functions f(X) = U diag(f(λ)) Uᵀ of a symmetric X: logm, sqrtm, expm.
 * One table defines them; the adjoint pass adds the Daleckii–Krein rule (DESIGN.md rule 2).
 */
import { OpTable } from "../op.js";
import { squareDims } from "../shape.js";
import { tensorType, type Structure } from "../types.js";
import { demand } from "./linalg.js";
import { spectralFunction, type SpectralFn } from "../../numeric/spectral/spectral.js";

const table = new OpTable();

interface SpectralOp {
  readonly name: string;
  readonly fn: SpectralFn;
  readonly needs: Structure;
  readonly gives: Structure;
  readonly doc: string;
}

export const MATRIX_FUNCTIONS: readonly SpectralOp[] = [
  { name: "logm", fn: "log", needs: "spd", gives: "symmetric", doc: "matrix logarithm of an SPD matrix" },
  { name: "sqrtm", fn: "sqrt", needs: "spd", gives: "spd", doc: "principal square root of an SPD matrix" },
  { name: "expm", fn: "exp", needs: "symmetric", gives: "spd", doc: "matrix exponential of a symmetric matrix" },
];

for (const s of MATRIX_FUNCTIONS) {
  table.define({
    name: s.name,
    family: "spectral",
    arity: 1,
    doc: s.doc,
    infer: ([x]) => {
      squareDims(s.name, x);
      demand(s.name, x, s.needs);
      return [tensorType(x.dtype, x.shape, s.gives)];
    },
    evalCPU: ([x]) => [spectralFunction(x, s.fn)],
  });
}

/** The spectral ops, for ir/registry.ts. */
export const SPECTRAL_OPS = table.ops;
