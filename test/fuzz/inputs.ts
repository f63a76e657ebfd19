/**
 * The data of a random program's inputs: each input is drawn from a named distribution with its own
 * seed, so a program is reproducible from its text IR plus these descriptors (the regression cases
 * store exactly that). Every value is rounded to f32 before either backend sees it: the comparison
 * starts from identical numbers, and only the computation differs.
 */
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { conjugateDiag, orthogonal } from "../adjoint/cases/types.js";

/**
 * normal: N(0, scale²). positive: uniform in [0.5, 1.5]·scale. symmetric: eigenvalues spread
 * evenly over [−2, 2] (gaps ≥ 4/n, so eigenvectors are well defined) in a random basis. spd: the
 * same with eigenvalues in [0.5, 2.5]. labels: integers in [0, classes). mask: 1 everywhere but a
 * zero row and column (an exactly singular matrix in any precision). flip: 1 everywhere but −1 at
 * the first entry of each matrix.
 */
export type Distribution = "normal" | "positive" | "symmetric" | "spd" | "labels" | "mask" | "flip";

export interface InputSpec {
  readonly dist: Distribution;
  readonly seed: number;
  readonly scale?: number;
  /** labels: number of classes. */
  readonly classes?: number;
}

const f32 = Math.fround;

/** Evenly spread eigenvalues over [lo, hi] with a jitter below a tenth of the gap, shuffled order irrelevant. */
function spectrum(r: Random, n: number, lo: number, hi: number): number[] {
  const gap = n > 1 ? (hi - lo) / (n - 1) : 0;
  return Array.from({ length: n }, (_, i) => lo + i * gap + 0.1 * gap * (r.uniform() - 0.5));
}

/** The array an input spec describes for a concrete shape. */
export function drawInput(spec: InputSpec, shape: readonly number[]): NDArray {
  const r = new Random(spec.seed);
  const size = shape.reduce((p, d) => p * d, 1);
  const scale = spec.scale ?? 1;
  const data = new Float64Array(size);
  switch (spec.dist) {
    case "normal":
      for (let i = 0; i < size; i++) data[i] = f32(scale * r.normal());
      break;
    case "positive":
      for (let i = 0; i < size; i++) data[i] = f32(scale * (0.5 + r.uniform()));
      break;
    case "labels":
      for (let i = 0; i < size; i++) data[i] = Math.floor(r.uniform() * (spec.classes ?? 2));
      break;
    case "mask": {
      const n = shape[shape.length - 1];
      const m = shape[shape.length - 2];
      for (let i = 0; i < size; i++) {
        const row = Math.floor(i / n) % m;
        const col = i % n;
        data[i] = row === 0 || col === 0 ? 0 : 1;
      }
      break;
    }
    case "flip": {
      const per = shape.length >= 2 ? shape[shape.length - 1] * shape[shape.length - 2] : size;
      for (let i = 0; i < size; i++) data[i] = i % per === 0 ? -1 : 1;
      break;
    }
    case "symmetric":
    case "spd": {
      const n = shape[shape.length - 1];
      const [lo, hi] = spec.dist === "spd" ? [0.5, 2.5] : [-2, 2];
      for (let o = 0; o < size; o += n * n) data.set(conjugateDiag(orthogonal(r, n), spectrum(r, n, scale * lo, scale * hi)).map(f32), o);
      break;
    }
  }
  return ndarray(shape, data);
}
