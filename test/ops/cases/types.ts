/**
 * The known-value case table's row type and small helpers for writing expected values by hand.
 * Nothing here calls matprop's kernels: expected values are closed forms, so a kernel bug cannot
 * hide by agreeing with itself.
 */
import type { Model } from "../../../index.js";
import { Graph, verify, type Attrs, type DType, type Shape, type Structure, type Value } from "../../../ir/index.js";

export type Nested = number | readonly Nested[];

export interface OpCase {
  /** What the case shows (the test title). */
  readonly name: string;
  readonly model: Model;
  /** Values of the model's inputs (and of params, where the case pins them). */
  readonly inputs: Readonly<Record<string, Nested>>;
  /** Expected value of every output the case checks, written out by hand. */
  readonly expected: Readonly<Record<string, Nested>>;
  /** Outputs compared up to the sign of each matrix column (eigenvectors, singular vectors U). */
  readonly columnSign?: readonly string[];
  /** Outputs compared up to the sign of each matrix row (Vh). */
  readonly rowSign?: readonly string[];
  /** Further checks on the outputs (e.g. U diag(S) Vh = A), written without matprop's kernels. */
  readonly check?: (outputs: ReadonlyMap<string, { shape: readonly number[]; data: Float64Array }>) => void;
  /** The model file to run through `matprop run` as well (a path from the repository root). */
  readonly cli?: string;
}

/** The table: op name (or `dsl:<name>` for a DSL composite) → its cases. */
export type CaseTable = Readonly<Record<string, readonly OpCase[]>>;

// ---- hand arithmetic on small nested matrices (plain JS, independent of the kernels) --------

export type Mat = number[][];

export function mat(rows: number, cols: number, f: (i: number, j: number) => number): Mat {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));
}

/** Σ_k d_k · u_k v_kᵀ for column vectors u_k, v_k: a matrix with known spectral/singular factors. */
export function outerSum(d: readonly number[], u: readonly (readonly number[])[], v: readonly (readonly number[])[]): Mat {
  return mat(u[0].length, v[0].length, (i, j) => d.reduce((s, dk, k) => s + dk * u[k][i] * v[k][j], 0));
}

/** Q diag(d) Qᵀ from the columns q_k of an orthogonal Q: the matrix f(X) for X = Q diag(λ) Qᵀ. */
export function spectral(d: readonly number[], q: readonly (readonly number[])[]): Mat {
  return outerSum(d, q, q);
}

/** Columns of the rotation by θ about the z axis with cos θ = 3/5, sin θ = 4/5 (exact in decimal). */
export const ROT3: readonly (readonly number[])[] = [
  [0.6, 0.8, 0],
  [-0.8, 0.6, 0],
  [0, 0, 1],
];
/** Columns of a 2-D rotation with cos = 4/5, sin = 3/5. */
export const ROT2: readonly (readonly number[])[] = [
  [0.8, 0.6],
  [-0.6, 0.8],
];

export const E = Math.E;
export const LN2 = Math.LN2;
/** Declared dtype of every input in the cases: the CPU reference computes in f64. */
export const F64 = { dtype: "f64" } as const;

// ---- models built with the Graph API, for ops the DSL does not expose (backward-only ops) ----


export interface GraphBuilder {
  input(name: string, shape: Shape, opts?: { dtype?: DType; structure?: Structure }): Value;
  op(name: string, inputs: readonly Value[], attrs?: Attrs): Value;
  /** A multi-output op (eigh, svd): all its values. */
  ops(name: string, inputs: readonly Value[], attrs?: Attrs): readonly Value[];
}

/** A Model-shaped object whose graph is built node by node (verified, like `model(...).build()`). */
export function graphModel(name: string, build: (b: GraphBuilder) => Record<string, Value>): Model {
  return {
    kind: "matprop.model",
    name,
    build() {
      const g = new Graph(name);
      const outputs = build({
        input: (n, shape, opts = {}) => g.apply("input", [], { name: n, shape: [...shape], dtype: opts.dtype ?? "f64", structure: opts.structure ?? "general" }),
        op: (op, inputs, attrs = {}) => g.apply(op, inputs, attrs),
        ops: (op, inputs, attrs = {}) => g.add(op, inputs, attrs).outputs,
      });
      for (const [k, v] of Object.entries(outputs)) g.setOutput(k, v);
      verify(g);
      return g;
    },
  };
}
