/**
 * Structure inference that needs to see which values an op combines, not just their types:
 * `Aᵀ A` and `A Aᵀ` are symmetric; `U D Uᵀ` and `Uᵀ D U` (D symmetric, e.g. diagm(v)) and
 * `(U ∘ v) Uᵀ` (columns of U scaled by a row vector v) are symmetric; so is `A + Aᵀ`. Type rules see only types, so Graph.add calls this
 * after them.
 */
import type { Value } from "./graph.js";
import { isSymmetric, tensorType, type TensorType } from "./types.js";

function transposeOf(v: Value): Value | undefined {
  return v.node.op === "transpose" ? v.node.inputs[0] : undefined;
}

/** Is `v` a row vector that scales columns when broadcast against a matrix ([n] or [..., 1, n])? */
function isRowVector(v: Value): boolean {
  const s = v.type.shape;
  return s.length === 1 || (s.length >= 2 && s[s.length - 2] === 1);
}

/** If `left` is `U·D` or `U ∘ v` (a symmetric or per-column scaling of U), return U. */
function scaledColumnsOf(left: Value): Value | undefined {
  const [x, y] = left.node.inputs;
  if (left.node.op === "matmul" && isSymmetric(y.type.structure)) return x;
  if (left.node.op === "mul" && isRowVector(y) && !isRowVector(x)) return x;
  if (left.node.op === "mul" && isRowVector(x) && !isRowVector(y)) return y;
  return undefined;
}

/** `D·Uᵀ` → U, where D is symmetric. */
function scaledRowsOfTranspose(right: Value): Value | undefined {
  if (right.node.op !== "matmul") return undefined;
  const [d, ut] = right.node.inputs;
  return isSymmetric(d.type.structure) ? transposeOf(ut) : undefined;
}

/** Is `b` the transpose of `a` (either one written as transpose of the other)? */
function transposed(a: Value | undefined, b: Value | undefined): boolean {
  return a !== undefined && b !== undefined && (transposeOf(a) === b || transposeOf(b) === a);
}

function symmetricProduct(a: Value, b: Value): boolean {
  return transposed(a, b) || transposed(scaledColumnsOf(a), b) || (scaledRowsOfTranspose(b) !== undefined && scaledRowsOfTranspose(b) === a);
}

export function refineStructure(op: string, inputs: readonly Value[], types: TensorType[]): TensorType[] {
  if (types.length !== 1 || types[0].structure !== "general") return types;
  const [a, b] = inputs;
  // Aᵀ·S·A family for matmul; A + Aᵀ for add.
  const symmetric = (op === "matmul" && symmetricProduct(a, b)) || (op === "add" && transposed(a, b));
  return symmetric ? [tensorType(types[0].dtype, types[0].shape, "symmetric")] : types;
}
