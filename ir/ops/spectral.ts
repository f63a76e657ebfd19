/**
 * Spectral matrix functions f(X) = U diag(f(λ)) Uᵀ of a symmetric X: logm, sqrtm, expm.
 * One table defines them; the adjoint pass adds the Daleckii–Krein rule (DESIGN.md rule 2).
 */
import { defineOp } from "../op.js";
import { squareDims } from "../shape.js";
import { tensorType, type Structure } from "../types.js";
import { demand } from "./linalg.js";
import { spectralFunction, type SpectralFn } from "../../runtime/cpu/kernels/spectral.js";

interface SpectralOp {
  readonly name: string;
  readonly fn: SpectralFn;
  readonly needs: Structure;
  readonly gives: Structure;
  readonly doc: string;
}

export const SPECTRAL_OPS: readonly SpectralOp[] = [
  { name: "logm", fn: "log", needs: "spd", gives: "symmetric", doc: "matrix logarithm of an SPD matrix" },
  { name: "sqrtm", fn: "sqrt", needs: "spd", gives: "spd", doc: "principal square root of an SPD matrix" },
  { name: "expm", fn: "exp", needs: "symmetric", gives: "spd", doc: "matrix exponential of a symmetric matrix" },
];

for (const s of SPECTRAL_OPS) {
  defineOp({
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
