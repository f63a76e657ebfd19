/**
 * The gradient-check table's row type, seeded samplers for well-conditioned inputs, and a builder
 * for ops the DSL does not expose. Samplers are plain JS (no matprop kernel), so a kernel bug cannot
 * shape its own test data.
 */
import type { Model } from "../../../index.js";
import { Graph, verify, type Attrs, type DType, type Shape, type Structure, type Value } from "../../../ir/index.js";
import { ndarray, type NDArray } from "../../../numeric/ndarray.js";
import { Random } from "../../../numeric/random.js";

export interface GradCase {
  /** What the case shows (the test title). */
  readonly name: string;
  readonly model: Model;
  /** Values of the inputs (and of params the case pins), drawn from the case's seeded generator. */
  readonly inputs: (r: Random) => Record<string, NDArray>;
  /** Largest allowed normwise relative error of the adjoint against central differences (default 1e-7). */
  readonly tol?: number;
  /**
   * f32 tolerance of the WebGPU run (forward outputs and gradients, normwise relative) against
   * the f64 CPU executor (default GPU_TOL).
   */
  readonly gpuTol?: number;
}

export const GPU_TOL = 1e-4;

/** The table: op name (or `dsl:<name>` for a DSL composite) → its cases. */
export type GradTable = Readonly<Record<string, readonly GradCase[]>>;

export const DEFAULT_TOL = 1e-7;
export const F64 = { dtype: "f64" } as const;
export const SYM = { dtype: "f64", structure: "symmetric" } as const;
export const SPD = { dtype: "f64", structure: "spd" } as const;

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

export function randn(r: Random, shape: readonly number[], scale = 1): NDArray {
  return ndarray(shape, Array.from({ length: size(shape) }, () => scale * r.normal()));
}

export function uniform(r: Random, shape: readonly number[], lo: number, hi: number): NDArray {
  return ndarray(shape, Array.from({ length: size(shape) }, () => lo + (hi - lo) * r.uniform()));
}

/** Normal entries kept at least `gap` away from 0 (for abs, sign, relu). */
export function awayFromZero(r: Random, shape: readonly number[], gap = 0.1): NDArray {
  return ndarray(shape, Array.from({ length: size(shape) }, () => {
    const x = r.normal();
    return Math.sign(x || 1) * (gap + Math.abs(x));
  }));
}

/** Integers in [0, n) as an array for an i32 input. */
export function labels(r: Random, count: number, classes: number): NDArray {
  return ndarray([count], Array.from({ length: count }, () => Math.floor(r.uniform() * classes)));
}

/** A random n×n orthogonal matrix (Gram–Schmidt on normal columns), row-major. */
export function orthogonal(r: Random, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const v = Array.from({ length: n }, () => r.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * n + p] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * q[i * n + p];
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) q[i * n + c] = v[i] / norm;
  }
  return q;
}

/** Q diag(d) Qᵀ for a row-major orthogonal Q, exactly symmetric (upper triangle mirrored). */
export function conjugateDiag(q: Float64Array, d: readonly number[]): Float64Array {
  const n = d.length;
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * d[k] * q[j * n + k];
      x[i * n + j] = s;
      x[j * n + i] = s;
    }
  }
  return x;
}

/**
 * A batch of symmetric matrices [...batch, n, n] with eigenvalues `eig(k)` (well separated) in a
 * random eigenbasis per matrix.
 */
export function symmetricWith(r: Random, batch: readonly number[], eigs: readonly number[]): NDArray {
  const n = eigs.length;
  const count = size(batch);
  const data = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    // Jitter so no two batch entries share a spectrum (and no exact structure sneaks in).
    const d = eigs.map((e) => e + 0.05 * r.uniform());
    data.set(conjugateDiag(orthogonal(r, n), d), b * n * n);
  }
  return ndarray([...batch, n, n], data);
}

/** SPD with eigenvalues 0.6, 1.3, 2.1, 3.0, 4.0 (first n), separated by ≥ 0.7. */
export function spd(r: Random, n: number, batch: readonly number[] = []): NDArray {
  return symmetricWith(r, batch, [0.6, 1.3, 2.1, 3.0, 4.0, 5.1].slice(0, n));
}

/** Symmetric indefinite with separated eigenvalues −1.5, −0.4, 0.5, 1.4, 2.3 (first n). */
export function symmetric(r: Random, n: number, batch: readonly number[] = []): NDArray {
  return symmetricWith(r, batch, [-1.5, -0.4, 0.5, 1.4, 2.3, 3.3].slice(0, n));
}

/** P diag(s) Qᵀ [m, n] with singular values s (length min(m, n)), random orthogonal P, Q. */
export function withSingularValues(r: Random, batch: readonly number[], m: number, n: number, s: readonly number[]): NDArray {
  const count = size(batch);
  const data = new Float64Array(count * m * n);
  for (let b = 0; b < count; b++) {
    const p = orthogonal(r, m);
    const q = orthogonal(r, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let x = 0;
        for (let k = 0; k < s.length; k++) x += p[i * m + k] * (s[k] + 0.05 * b) * q[j * n + k];
        data[b * m * n + i * n + j] = x;
      }
    }
  }
  return ndarray([...batch, m, n], data);
}

/** A well-conditioned general square matrix batch: 2.5·I + N(0, 0.4²) entries. */
export function wellConditioned(r: Random, n: number, batch: readonly number[] = []): NDArray {
  const x = randn(r, [...batch, n, n], 0.4);
  for (let o = 0; o < x.data.length; o += n * n) for (let i = 0; i < n; i++) x.data[o + i * n + i] += 2.5;
  return x;
}

// ---- models built with the Graph API, for ops the DSL does not expose --------------------------

export interface GraphBuilder {
  input(name: string, shape: Shape, opts?: { dtype?: DType; structure?: Structure }): Value;
  op(name: string, inputs: readonly Value[], attrs?: Attrs): Value;
  /** ⟨y, W⟩ = sum(y ∘ W) with a new input W of y's shape. */
  dot(y: Value, w?: string): Value;
}

/** A Model-shaped object whose graph is built node by node (verified, like `model(...).build()`). */
export function graphModel(name: string, build: (b: GraphBuilder) => Record<string, Value>): Model {
  return {
    kind: "matprop.model",
    name,
    build() {
      const g = new Graph(name);
      const b: GraphBuilder = {
        input: (n, shape, opts = {}) => g.apply("input", [], { name: n, shape: [...shape], dtype: opts.dtype ?? "f64", structure: opts.structure ?? "general" }),
        op: (op, inputs, attrs = {}) => g.apply(op, inputs, attrs),
        dot: (y, w = "W") => g.apply("sum", [g.apply("mul", [y, b.input(w, y.type.shape)])], { axis: null, keepdims: false }),
      };
      for (const [k, v] of Object.entries(build(b))) g.setOutput(k, v);
      verify(g);
      return g;
    },
  };
}
