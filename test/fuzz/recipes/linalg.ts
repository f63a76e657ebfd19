/**
 * Decompositions and solves on computed matrices, each applied only where it is well defined at
 * the actual numbers (conditioning.ts): cov, SPD constructions (`assume` included), Cholesky,
 * inverse and solve (matrix and vector right-hand sides, broadcast batches), eigh with its vectors
 * used one by one (distinct eigenvalues, safe signs), and the SVD with U, S, Vh or the polar
 * factor U·Vh. When a pool value fails the condition the recipe is retried on fresh inputs.
 */
import type { Value } from "../../../ir/index.js";
import { reject } from "../builder.js";
import { condition, eigenvectorsDefined, MAX_CONDITION, singularVectorsDefined } from "../conditioning.js";
import { batchOf, broadcastable, cols, fresh, isSquare, matrix, moderate, rank, rows, spdFrom, symmetricFrom, type Ctx, type Step } from "../operands.js";

export function cov(c: Ctx, s: Step): void {
  const f = moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n)));
  c.b.push(c.b.op1("cov", [f], { eps: [0.1, 1e-3, 0, 0.5][s.v % 4] }));
}

export function spd(c: Ctx, s: Step): void {
  c.b.push(spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v));
}

export function cholesky(c: Ctx, s: Step): void {
  const x = spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  const l = c.b.op1("cholesky", [x]);
  // L itself, or L Lᵀ (which should give x back), or a solve against L.
  if (s.b % 3 === 1) c.b.push(moderate(c, c.b.op1("matmul", [l, c.b.op1("transpose", [l])])));
  else if (s.b % 3 === 2) c.b.push(moderate(c, c.b.op1("solve", [l, fresh(c, [...batchOf(l), cols(l), c.size(s.n)])])));
  else c.b.push(moderate(c, l));
}

/** A well-conditioned square matrix: SPD, or A + t·I with t beyond A's spectral norm, by variant. */
function invertible(c: Ctx, s: Step): Value {
  if (s.v % 2 === 0) return spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v >> 1);
  const a = moderate(c, c.b.pick(isSquare, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.m)]));
  const n = cols(a);
  // Eigenvalues of a random matrix lie within about √n·rms of 0 (circular law): a shift of 3√n·rms
  // keeps them away from it, and the condition is checked anyway.
  const x = c.b.x(a).data;
  const rms = Math.sqrt(x.reduce((p, z) => p + z * z, 0) / x.length);
  const t = 3 * Math.sqrt(Number(n)) * rms * (s.v % 4 === 1 ? 1 : -1);
  const eye = c.b.op1("eye", [], { shape: [n, n], dtype: "f32" });
  const shifted = c.b.op1("add", [a, c.b.op1("mul", [eye, c.b.constant(t)])]);
  if (condition(c.b.x(shifted)) > MAX_CONDITION) reject("shifted matrix is ill-conditioned");
  return shifted;
}

export function inv(c: Ctx, s: Step): void {
  c.b.push(moderate(c, c.b.op1("inv", [invertible(c, s)])));
}

export function solve(c: Ctx, s: Step): void {
  const a = invertible(c, s);
  const n = cols(a);
  let rhs: Value;
  switch (s.b % 3) {
    case 0:
      rhs = c.b.pick((v) => rank(v) === 1 && v.type.shape[0] === n && v.type.dtype !== "i32", s.a) ?? fresh(c, [n]);
      break;
    case 1:
      rhs = matrix(c, s.b, n, c.size(s.n), (v) => rows(v) === n && broadcastable(batchOf(a), batchOf(v)));
      break;
    default:
      rhs = fresh(c, [...(batchOf(a).length ? [] : c.batch), n, c.size(s.n)]);
  }
  c.b.push(moderate(c, c.b.op1("solve", [a, rhs])));
}

/** eigh with the eigenvectors and eigenvalues used directly (not through a spectral function). */
export function eigh(c: Ctx, s: Step): void {
  const x = symmetricFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  if (!eigenvectorsDefined(c.b.x(x))) reject("eigenvalues too close or an eigenvector sign undecided");
  const [w, u] = c.b.op("eigh", [x]);
  switch (s.b % 3) {
    case 0:
      c.b.push(u, w);
      return;
    case 1:
      // U·diag(w) (not followed by Uᵀ: no spectral rewrite), a product with the eigenvectors.
      c.b.push(moderate(c, c.b.op1("matmul", [u, c.b.op1("diagm", [w])])));
      return;
    default:
      c.b.push(w);
  }
}

export function svd(c: Ctx, s: Step): void {
  const a = moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n)));
  if (!singularVectorsDefined(c.b.x(a))) reject("singular values too close or too small");
  const [u, sv, vh] = c.b.op("svd", [a]);
  switch (s.v % 4) {
    case 0:
      c.b.push(c.b.op1("matmul", [u, vh]));
      return;
    case 1:
      c.b.push(sv);
      return;
    case 2:
      c.b.push(u, vh);
      return;
    default:
      c.b.push(moderate(c, c.b.op1("matmul", [c.b.op1("mul", [u, sv.type.shape.length ? c.b.op1("reshape", [sv], { shape: [...sv.type.shape.slice(0, -1), 1, sv.type.shape[sv.type.shape.length - 1]] }) : sv]), vh])));
  }
}
