/** Float64 data movement on batched matrices: transpose, diag, diagm, trace, eye. */
import { matrixBatch, sizeOf, type NDArray } from "./ndarray.js";

/** Swap the last two dims. */
export function transpose(a: NDArray): NDArray {
  const { batch, rows, cols, count } = matrixBatch(a);
  const out = new Float64Array(a.data.length);
  for (let b = 0; b < count; b++) {
    const o = b * rows * cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[o + j * rows + i] = a.data[o + i * cols + j];
  }
  return { shape: [...batch, cols, rows], data: out };
}

/** Main diagonal of each (square) matrix: [..., n, n] → [..., n]. */
export function diag(a: NDArray): NDArray {
  const { batch, rows, cols, count } = matrixBatch(a);
  const n = Math.min(rows, cols);
  const out = new Float64Array(count * n);
  for (let b = 0; b < count; b++) for (let i = 0; i < n; i++) out[b * n + i] = a.data[b * rows * cols + i * cols + i];
  return { shape: [...batch, n], data: out };
}

/** Diagonal matrices from vectors: [..., n] → [..., n, n]. */
export function diagm(v: NDArray): NDArray {
  const n = v.shape[v.shape.length - 1];
  const batch = v.shape.slice(0, -1);
  const count = sizeOf(batch);
  const out = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) for (let i = 0; i < n; i++) out[b * n * n + i * n + i] = v.data[b * n + i];
  return { shape: [...batch, n, n], data: out };
}

export function trace(a: NDArray): NDArray {
  const d = diag(a);
  const n = d.shape[d.shape.length - 1];
  const batch = d.shape.slice(0, -1);
  const out = new Float64Array(sizeOf(batch));
  for (let b = 0; b < out.length; b++) for (let i = 0; i < n; i++) out[b] += d.data[b * n + i];
  return { shape: batch, data: out };
}

export function eye(n: number): NDArray {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return { shape: [n, n], data: out };
}
