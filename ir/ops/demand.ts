/** Shared checks of op type rules: each names the op and the operand it refuses, with an MP2xxx code. */
import { fail } from "../diagnostics.js";
import type { Attrs } from "../attrs.js";
import type { OpDef } from "../op.js";
import { formatShape, isFloat, satisfies, tensorType, type Dim, type Shape, type Structure, type TensorType } from "../types.js";

export function demand(op: string, t: TensorType, want: Structure, what = "input"): void {
  if (!satisfies(t.structure, want)) {
    const hint = want === "spd" ? "; build it with linalg.cov, or assert it with ops.assume(x, \"spd\")" : `; assert it with ops.assume(x, "${want}")`;
    fail("MP2002", `${op}: ${what} must be ${want}, but it is typed ${t.structure}${hint}`);
  }
}

export function demandFloat(op: string, t: TensorType, what = "input"): void {
  if (!isFloat(t.dtype)) fail("MP2006", `${op}: ${what} must be float, got ${t.dtype}`);
}

/** A batch of float vectors [..., n]; returns [batch, n]. */
export function vectorDims(op: string, t: TensorType, what = "input"): [Dim[], Dim] {
  if (t.shape.length < 1) fail("MP2007", `${op}: ${what} must be a vector [..., n], got shape ${formatShape(t.shape)}`);
  demandFloat(op, t, what);
  return [t.shape.slice(0, -1), t.shape[t.shape.length - 1]];
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function demandShape(op: string, t: TensorType, want: Shape, what: string): void {
  if (!sameShape(t.shape, want)) fail("MP2001", `${op}: ${what} must have shape ${formatShape(want)}, got ${formatShape(t.shape)}`);
}

/**
 * The type rule of an op from a batch of eigenvalues or singular values [..., n] to one n×n matrix
 * per batch entry (the eigengap inverses, Loewner matrices, the projector gap): `attrs` checks its
 * attributes first, `fits` the vector length after.
 */
export function pairwiseInfer(op: string, structure: Structure, attrs?: (a: Attrs) => void, fits?: (a: Attrs, n: Dim) => void): OpDef["infer"] {
  return ([w], a) => {
    attrs?.(a);
    const [batch, n] = vectorDims(op, w);
    fits?.(a, n);
    return [tensorType(w.dtype, [...batch, n, n], structure)];
  };
}
