/**
 * Matrix products in the shapes the lowering treats specially: products that fit one 8×8 tile
 * (computed inside their consumer), larger ones (tiled kernels), self-products F Fᵀ and Fᵀ F,
 * sums of two products (`X@W + A@B`, where the second product must be written before the first
 * one's epilogue reads it), matrix–vector products, nn.linear and chains of products.
 */
import type { Value } from "../../../ir/index.js";
import { batchOf, broadcastable, cols, fresh, matrix, moderate, rank, rows, type Ctx, type Step } from "../operands.js";

/** A right operand for `a`: a pool matrix with rows(a's cols) and a compatible batch, else fresh [cols(a), n]. */
function rightOf(c: Ctx, a: Value, k: number, n: number): Value {
  return matrix(c, k, cols(a), n, (v) => rows(v) === cols(a) && broadcastable(batchOf(a), batchOf(v)));
}

export function product(c: Ctx, s: Step): void {
  const a = matrix(c, s.a, c.size(s.m), c.size(s.n));
  c.b.push(moderate(c, c.b.op1("matmul", [a, rightOf(c, a, s.b, c.size(s.v))])));
}

export function selfProduct(c: Ctx, s: Step): void {
  const f = moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n)));
  const t = c.b.op1("transpose", [f]);
  const g = s.v % 2 ? c.b.op1("matmul", [t, f]) : c.b.op1("matmul", [f, t]);
  c.b.push(moderate(c, g));
}

/** (A@B) ⊕ (C@D) with ⊕ one of + − ∘ and the operands drawn from the pool where they fit. */
export function productSum(c: Ctx, s: Step): void {
  const a = matrix(c, s.a, c.size(s.m), c.size(s.n));
  const p1 = c.b.op1("matmul", [a, rightOf(c, a, s.b, c.size(s.v))]);
  const [m, n] = [rows(p1), cols(p1)];
  const cc = matrix(c, s.b + 1, m, c.size(s.n + 1), (v) => rows(v) === m && broadcastable(batchOf(a), batchOf(v)));
  const d = matrix(c, s.a + 1, cols(cc), n, (v) => rows(v) === cols(cc) && cols(v) === n && broadcastable(batchOf(a), batchOf(v)));
  const p2 = c.b.op1("matmul", [cc, d]);
  c.b.push(moderate(c, c.b.op1(["add", "sub", "mul"][s.v % 3], [p1, p2])));
}

/** A @ v or v @ A with a 1-D vector (NumPy's vector promotion). */
export function matVec(c: Ctx, s: Step): void {
  const a = matrix(c, s.a, c.size(s.m), c.size(s.n));
  const left = s.v % 2 === 1;
  const len = left ? rows(a) : cols(a);
  const v = c.b.pick((x) => rank(x) === 1 && x.type.shape[0] === len && x.type.dtype !== "i32", s.b) ?? fresh(c, [len]);
  c.b.push(moderate(c, c.b.op1("matmul", left ? [v, a] : [a, v])));
}

/** nn.linear: x Wᵀ (+ b) with W [out, in] and b [out] params. */
export function linear(c: Ctx, s: Step): void {
  const x = c.b.pick((v) => rank(v) >= 1 && rank(v) <= 3 && v.type.dtype !== "i32", s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.n)]);
  const inF = x.type.shape[rank(x) - 1];
  const w = fresh(c, [c.size(s.v), inF], "normal", { param: true, scale: 1 / Math.sqrt(Number(inF) || 1) });
  let y = c.b.op1("matmul", [x, c.b.op1("transpose", [w])]);
  if (s.b % 2 === 0) y = c.b.op1("add", [y, fresh(c, [c.size(s.v)], "normal", { param: true })]);
  c.b.push(moderate(c, y));
}

/** A @ B @ C: with small factors the inner product is computed inside the outer one. */
export function productChain(c: Ctx, s: Step): void {
  const a = matrix(c, s.a, c.size(s.m), c.size(s.n));
  const b = rightOf(c, a, s.b, c.size(s.v));
  const ab = s.v % 2 ? moderate(c, c.b.op1("matmul", [a, b])) : c.b.op1("matmul", [a, b]);
  c.b.push(moderate(c, c.b.op1("matmul", [ab, rightOf(c, ab, s.a + s.b, c.size(s.m + 1))])));
}
