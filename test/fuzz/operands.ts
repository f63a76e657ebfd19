/**
 * Operands for recipes: pool values of the right kind or fresh inputs, and the small constructions
 * that make a computed value fit an op's domain at its actual numbers (scaled into a moderate range,
 * moved off a kink, made positive, symmetric or SPD). Each construction is itself ordinary graph
 * code (a product, a shift, an `assume`), so it is tested like everything else.
 */
import type { Dim, Structure, Value } from "../../ir/index.js";
import type { ProgramBuilder } from "./builder.js";
import { reject } from "./builder.js";
import { eigenRange, KINK_MARGIN, kinkDistance, maxAbs, minOf } from "./conditioning.js";
import type { Distribution } from "./inputs.js";

/** One step of a program: which recipe, and the numbers it draws its choices from (shrink toward 0). */
export interface Step {
  readonly recipe: string;
  /** Operand picks: the k-th most recent fitting pool value. */
  readonly a: number;
  readonly b: number;
  /** Sizes (indices into the size table). */
  readonly m: number;
  readonly n: number;
  /** Recipe-specific variant. */
  readonly v: number;
}

export interface Ctx {
  readonly b: ProgramBuilder;
  /** The program's leading batch dims (matrices have these or none). */
  readonly batch: readonly Dim[];
  /** Scalar loss terms recipes contribute directly (softmax cross-entropy). */
  readonly terms: Value[];
  /** The size a step's size index k draws (sizesUpTo). */
  readonly size: (k: number) => number;
  /** The largest of those sizes: no generated dim exceeds it (a flattened 17×33 would make a 561×561 product). */
  readonly maxDim: number;
}

/**
 * Sizes that cross the matmul tile (8), the workgroup tiles (16, 32) and, rarely, the sizes where
 * the decompositions leave workgroup memory for global memory (47: solve/inv; 65: eigh): a step's
 * size index k draws from this table, weighted toward the cheap ones (SwiftShader runs them) and
 * shrinking toward 3.
 */
const SIZE_TABLE = [3, 3, 3, 9, 9, 9, 8, 8, 12, 12, 1, 1, 17, 17, 4, 5, 33, 3, 9, 47, 8, 12, 1, 17, 4, 33, 65];

/** Size index → size, over the table's sizes up to `max` (CI keeps to 33: the global-memory sizes cost 30% of its time). */
export function sizesUpTo(max: number): (k: number) => number {
  const table = SIZE_TABLE.filter((n) => n <= max);
  return (k) => table[k % table.length];
}

/** The largest size sizesUpTo(max) draws. */
export const largestSize = (max: number): number => Math.max(...SIZE_TABLE.filter((n) => n <= max));

export const rank = (v: Value) => v.type.shape.length;
/** f32 or f64: never i32 positions or bool comparison results (arithmetic refuses bool). */
export const isFloat = (v: Value) => v.type.dtype === "f32" || v.type.dtype === "f64";
export const rows = (v: Value) => v.type.shape[rank(v) - 2];
export const cols = (v: Value) => v.type.shape[rank(v) - 1];
export const batchOf = (v: Value) => v.type.shape.slice(0, -2);
export const isMatrix = (v: Value) => isFloat(v) && rank(v) >= 2 && rank(v) <= 4;
export const isSquare = (v: Value) => isMatrix(v) && rows(v) === cols(v);
export const isSymmetricTyped = (v: Value) => ["symmetric", "spd", "diagonal", "projector"].includes(v.type.structure);

/** Leading dims of `a` and `b` broadcast (NumPy rules). */
export function broadcastable(a: readonly Dim[], b: readonly Dim[]): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i];
    const y = b[b.length - i];
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** A fresh input (param when `param`), normal unless told. */
export function fresh(c: Ctx, shape: readonly Dim[], dist: Distribution = "normal", opts: { param?: boolean; structure?: Structure; scale?: number } = {}): Value {
  return c.b.source(shape, { dist, ...(opts.scale ? { scale: opts.scale } : {}) }, opts);
}

/** Batch dims for a fresh matrix: the program's batch, or none (then it broadcasts), by a variant bit. */
export function batchFor(c: Ctx, bit: number): Dim[] {
  return bit % 3 === 2 ? [] : [...c.batch];
}

/** A pool matrix that `ok` accepts, else a fresh normal [batch?, m, n] (a param every other time). */
export function matrix(c: Ctx, k: number, m: Dim, n: Dim, ok: (v: Value) => boolean = isMatrix): Value {
  return c.b.pick((v) => isMatrix(v) && ok(v), k) ?? fresh(c, [...batchFor(c, k), m, n], "normal", { param: k % 2 === 1 });
}

/** Scales `v` into max|x| ∈ [1/4, 4] with one constant product (nothing when already there or all zero). */
export function moderate(c: Ctx, v: Value): Value {
  const s = maxAbs(c.b.x(v).data);
  if (s === 0 || (s >= 0.25 && s <= 4)) return v;
  return c.b.op1("mul", [v, c.b.constant(1 / s)]);
}

/**
 * `v − t` for the first t of a fixed list such that no entry is within KINK_MARGIN (relative) of
 * 0: relu/abs/max/sign of the result have the same branch in f32 as in f64.
 */
export function offKink(c: Ctx, v: Value): Value {
  const x = c.b.x(v).data;
  const s = Math.max(maxAbs(x), 1);
  for (const t of [0, 0.0137, -0.0291, 0.0613, -0.1171, 0.2203]) {
    if (kinkDistance(x, t * s) >= KINK_MARGIN) return t === 0 ? v : c.b.op1("sub", [v, c.b.constant(t * s)]);
  }
  return reject("every shift leaves an entry on the kink");
}

/** A positive version of `v` (min ≥ 0.05·scale): v itself, v² + ½, exp(v) or |v| + ½, by variant. */
export function positive(c: Ctx, v: Value, variant: number): Value {
  const x = c.b.x(v).data;
  if (minOf(x) >= 0.05 * (maxAbs(x) || 1) && variant % 4 === 0) return v;
  const m = moderate(c, v);
  switch (variant % 3) {
    case 0:
      return c.b.op1("add", [c.b.op1("mul", [m, m]), c.b.constant(0.5)]);
    case 1:
      return c.b.op1("exp", [m]);
    default:
      return c.b.op1("add", [c.b.op1("abs", [offKink(c, m)]), c.b.constant(0.5)]);
  }
}

/** Away from zero (|x| ≥ 0.05·scale): `v` itself, or a positive version of it (by variant). */
export function nonzero(c: Ctx, v: Value, variant: number): Value {
  const x = c.b.x(v).data;
  if (kinkDistance(x) >= 0.05) return v;
  return positive(c, v, variant + 1);
}

/**
 * A symmetric matrix from any matrix: a self-product F Fᵀ or Fᵀ F (scaled), or (A + Aᵀ)/2 for a
 * square A, by variant. The result is typed symmetric by the IR's own inference.
 */
export function symmetricFrom(c: Ctx, v: Value, variant: number): Value {
  if (c.b.freshOnly || variant % 7 === 6) return declared(c, v, "symmetric");
  if (isSymmetricTyped(v) && variant % 2 === 0) return v;
  const m = moderate(c, v);
  if (isSquare(m) && variant % 3 === 0) return c.b.op1("mul", [c.b.op1("add", [m, c.b.op1("transpose", [m])]), c.b.constant(0.5)]);
  const t = c.b.op1("transpose", [m]);
  const g = variant % 2 ? c.b.op1("matmul", [t, m]) : c.b.op1("matmul", [m, t]);
  return moderate(c, g);
}

/**
 * A fresh input declared symmetric (or SPD) with a designed spectrum (inputs.ts), n×n for n the
 * columns of `like`, with its batch: the input-structure check and the symmetric-gradient convention
 * get exercised, and a recipe retried on fresh inputs finds the gaps it needs.
 */
function declared(c: Ctx, like: Value, structure: "symmetric" | "spd"): Value {
  const n = cols(like);
  return fresh(c, [...batchOf(like), n, n], structure, { structure, param: Number(n) % 2 === 0 });
}

/** Smallest eigenvalue an SPD construction guarantees, relative to the largest. */
const SPD_FLOOR = 0.05;

/**
 * An SPD matrix from any matrix, by variant: cov(F, eps) (typed SPD by the IR), or a symmetric
 * S shifted by c·I so that λ_min ≥ SPD_FLOOR·λ_max and asserted with `assume(·, "spd")`.
 */
export function spdFrom(c: Ctx, v: Value, variant: number): Value {
  if (c.b.freshOnly || variant % 7 === 6) return declared(c, v, "spd");
  if (v.type.structure === "spd" && variant % 3 === 0) {
    const { min, max } = eigenRange(c.b.x(v));
    if (min >= SPD_FLOOR * max) return v;
  }
  if (variant % 3 === 1) {
    const eps = [0.1, 0.5, 1e-3][Math.floor(variant / 3) % 3];
    return c.b.op1("cov", [moderate(c, v)], { eps });
  }
  const s = symmetricFrom(c, v, variant >> 1);
  const { min, max } = eigenRange(c.b.x(s));
  const shift = Math.max(0, SPD_FLOOR * Math.max(Math.abs(max), 1) - min) + 0.1;
  const n = cols(s);
  const eye = c.b.op1("eye", [], { shape: [n, n], dtype: "f32" });
  const shifted = c.b.op1("add", [s, c.b.op1("mul", [eye, c.b.constant(shift)])]);
  return shifted.type.structure === "spd" ? shifted : c.b.op1("assume", [shifted], { structure: "spd" });
}
