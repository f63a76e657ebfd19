/** Batched matrix product with NumPy `matmul` semantics. */
import { type NDArray, ndarray } from "../ndarray.js";
import { broadcastIndexMap, broadcastShapes } from "../dense.js";
import { gemm } from "../gemm.js";

/** The shape `a` stands for: itself, or with `transposed` its last two dims swapped. */
function viewShape(a: NDArray, transposed: boolean): readonly number[] {
  if (!transposed) return a.shape;
  if (a.shape.length < 2) throw new RangeError(`matmul: a transposed operand needs two dims, got [${a.shape.join(", ")}]`);
  const s = [...a.shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]];
  return s;
}

/**
 * `a @ b`: batch dims broadcast (NumPy rules); a 1-D `a` is a row vector and a 1-D `b` a column
 * vector, and the added dim is dropped from the result. RangeError on an inner-dim mismatch.
 * With `aT` (`bT`) the operand is the transpose of the last two dims of the array given — the
 * same numbers as materialising the transpose first, without the copy.
 */
export function matmul(a: NDArray, b: NDArray, aT = false, bT = false): NDArray {
  const aView = viewShape(a, aT);
  const bView = viewShape(b, bT);
  if (aView.length === 0 || bView.length === 0) throw new RangeError("matmul: operands must have at least one dim");
  const aVec = aView.length === 1;
  const bVec = bView.length === 1;
  const aShape = aVec ? [1, aView[0]] : aView;
  const bShape = bVec ? [bView[0], 1] : bView;
  const m = aShape[aShape.length - 2];
  const k = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2];
  const n = bShape[bShape.length - 1];
  if (k !== k2) {
    throw new RangeError(`matmul: inner dims differ, [${aView.join(", ")}] @ [${bView.join(", ")}]`);
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, "matmul");
  const aMap = broadcastIndexMap(batch, aBatch);
  const bMap = broadcastIndexMap(batch, bBatch);
  const outShape = [...batch, ...(aVec ? [] : [m]), ...(bVec ? [] : [n])];
  const out = ndarray(outShape);
  for (let t = 0; t < aMap.length; t++) gemm(m, n, k, a.data, aMap[t] * m * k, b.data, bMap[t] * k * n, out.data, t * m * n, aT, bT);
  return out;
}
