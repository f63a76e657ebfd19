/**
 * Structure inference that needs to see which values an op combines, not just their types:
 * `Aᵀ A` and `A Aᵀ` are symmetric; `U D Uᵀ` and `Uᵀ D U` (D symmetric, e.g. diagm(v)) and
 * `(U ∘ v) Uᵀ` (columns of U scaled by a row vector v) are symmetric; so is `A + Aᵀ`; `c·S` with a
 * constant c > 0 and S SPD is SPD. Type rules see only types, so Graph.add calls this
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

/** `D·Uᵀ` → U, where D is symmetric (a symmetric U stands for its own transpose). */
function scaledRowsOfTranspose(right: Value): Value | undefined {
  if (right.node.op !== "matmul") return undefined;
  const [d, ut] = right.node.inputs;
  if (!isSymmetric(d.type.structure)) return undefined;
  return transposeOf(ut) ?? (isSymmetric(ut.type.structure) ? ut : undefined);
}

/**
 * Is `b` the transpose of `a`: either one written as the transpose of the other, or both the same
 * symmetric value (Sᵀ = S, so S·D·S is S·D·Sᵀ — the form the simplifier leaves after folding Sᵀ to S).
 */
function transposed(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return transposeOf(a) === b || transposeOf(b) === a || (a === b && isSymmetric(a.type.structure));
}

function symmetricProduct(a: Value, b: Value): boolean {
  return transposed(a, b) || transposed(scaledColumnsOf(a), b) || (scaledRowsOfTranspose(b) !== undefined && scaledRowsOfTranspose(b) === a);
}

/** A positive constant (a scalar: the factor `2` the simplifier writes for S + S). */
function positiveConstant(v: Value): boolean {
  return v.node.op === "constant" && (v.node.attrs.value as number) > 0;
}

export function refineStructure(op: string, inputs: readonly Value[], types: TensorType[]): TensorType[] {
  if (types.length !== 1) return types;
  const [a, b] = inputs;
  // c·S and S/c for a constant c > 0 stay SPD.
  const spd = (x: Value | undefined) => x?.type.structure === "spd";
  const scaledSpd = (op === "mul" && ((spd(a) && positiveConstant(b)) || (spd(b) && positiveConstant(a)))) || (op === "div" && spd(a) && positiveConstant(b));
  if (scaledSpd) return [tensorType(types[0].dtype, types[0].shape, "spd")];
  if (types[0].structure !== "general") return types;
  // Aᵀ·S·A family for matmul; A + Aᵀ for add.
  const symmetric = (op === "matmul" && symmetricProduct(a, b)) || (op === "add" && transposed(a, b));
  return symmetric ? [tensorType(types[0].dtype, types[0].shape, "symmetric")] : types;
}
