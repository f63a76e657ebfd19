/**
 * Structure inference that needs to see which values an op combines, not just their types:
 * `Aᵀ A` and `A Aᵀ` are symmetric; `U D Uᵀ` (D symmetric, e.g. diagm(v)) and `(U ∘ v) Uᵀ` (columns
 * of U scaled by a row vector v) are symmetric. Type rules see only types, so Graph.add calls this
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

export function refineStructure(op: string, inputs: readonly Value[], types: TensorType[]): TensorType[] {
  if (op !== "matmul" || types[0].structure !== "general") return types;
  const [a, b] = inputs;
  const symmetric =
    transposeOf(a) === b ||
    transposeOf(b) === a ||
    (transposeOf(b) !== undefined && scaledColumnsOf(a) === transposeOf(b)) ||
    (scaledRowsOfTranspose(b) !== undefined && scaledRowsOfTranspose(b) === a);
  return symmetric ? [tensorType(types[0].dtype, types[0].shape, "symmetric")] : types;
}
