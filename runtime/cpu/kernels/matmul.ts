/** Batched matrix product with NumPy `matmul` semantics. */
import { type NDArray, ndarray } from "../ndarray.js";
import { broadcastIndexMap, broadcastShapes } from "./dense.js";
import { gemm } from "./gemm.js";

/**
 * `a @ b`: batch dims broadcast (NumPy rules); a 1-D `a` is a row vector and a 1-D `b` a column
 * vector, and the added dim is dropped from the result. RangeError on an inner-dim mismatch.
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  if (a.shape.length === 0 || b.shape.length === 0) throw new RangeError("matmul: operands must have at least one dim");
  const aVec = a.shape.length === 1;
  const bVec = b.shape.length === 1;
  const aShape = aVec ? [1, a.shape[0]] : a.shape;
  const bShape = bVec ? [b.shape[0], 1] : b.shape;
  const m = aShape[aShape.length - 2];
  const k = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2];
  const n = bShape[bShape.length - 1];
  if (k !== k2) {
    throw new RangeError(`matmul: inner dims differ, [${a.shape.join(", ")}] @ [${b.shape.join(", ")}]`);
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, "matmul");
  const aMap = broadcastIndexMap(batch, aBatch);
  const bMap = broadcastIndexMap(batch, bBatch);
  const outShape = [...batch, ...(aVec ? [] : [m]), ...(bVec ? [] : [n])];
  const out = ndarray(outShape);
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  for (let t = 0; t < aMap.length; t++) gemm(m, n, k, ad, aMap[t] * m * k, bd, bMap[t] * k * n, o, t * m * n);
  return out;
}
