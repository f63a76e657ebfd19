/**
 * The CPU executor's tensor: a dense row-major float64 array with a concrete shape.
 * Every float dtype is computed in float64 here (this executor is the reference the f32 WebGPU
 * path is checked against); i32 values (class labels) are stored as exact integers in the same array.
 */
export interface NDArray {
  /** Concrete dims, outermost first. */
  readonly shape: readonly number[];
  /** The elements in row-major order. */
  readonly data: Float64Array;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** An array of `shape`, holding a copy of `data` (zeros when not given). */
export function ndarray(shape: readonly number[], data?: Float64Array | readonly number[]): NDArray {
  const n = sizeOf(shape);
  const buf = data === undefined ? new Float64Array(n) : Float64Array.from(data);
  if (buf.length !== n) throw new RangeError(`ndarray: ${buf.length} values for shape [${shape.join(", ")}]`);
  return { shape: [...shape], data: buf };
}

/** A rank-0 array holding `x`. */
export function scalar(x: number): NDArray {
  return { shape: [], data: Float64Array.of(x) };
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * The matrices of a batched array: leading dims are batch dims, the last two are the matrix.
 * Returns the batch shape, matrix rows/cols and the number of matrices.
 */
export function matrixBatch(a: NDArray): { batch: number[]; rows: number; cols: number; count: number } {
  if (a.shape.length < 2) throw new RangeError(`expected a matrix, got shape [${a.shape.join(", ")}]`);
  const batch = a.shape.slice(0, -2);
  return { batch, rows: a.shape[a.shape.length - 2], cols: a.shape[a.shape.length - 1], count: sizeOf(batch) };
}

/** Nested JS arrays (or a number for rank 0) from an NDArray, for JSON output. */
export function toNested(a: NDArray): number | unknown[] {
  if (a.shape.length === 0) return a.data[0];
  const strides = stridesOf(a.shape);
  const build = (dim: number, offset: number): unknown[] => {
    const out = new Array(a.shape[dim]);
    for (let i = 0; i < a.shape[dim]; i++) {
      out[i] = dim === a.shape.length - 1 ? a.data[offset + i] : build(dim + 1, offset + i * strides[dim]);
    }
    return out;
  };
  return build(0, 0);
}
