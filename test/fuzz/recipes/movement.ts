/**
 * Reductions and data movement: sum/mean over every kind of axis set (all, rows, columns, batch)
 * with and without keepdims, transposes, reshapes (flatten, merge, re-split, unit dims), the
 * diagonal both ways, trace and identity shifts. Transposes and reshapes become index arithmetic
 * inside kernels, so they are exercised in front of products and reductions alike.
 */
import type { Dim, Value } from "../../../ir/index.js";
import { cols, fresh, isFloat, isSquare, matrix, moderate, rank, rows, type Ctx, type Step } from "../operands.js";

export function reduce(c: Ctx, s: Step): void {
  const x = c.b.pick((v) => isFloat(v) && rank(v) >= 1, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.n)]);
  const r = rank(x);
  const choices: (number[] | null)[] = [null, [-1], [r - 2 >= 0 ? -2 : -1], [0], [-1, -2].slice(0, Math.min(2, r))];
  const axis = choices[s.v % choices.length];
  const op = s.b % 2 ? "mean" : "sum";
  c.b.push(moderate(c, c.b.op1(op, [x], { axis, keepdims: (s.v >> 3) % 2 === 1 })));
}

export function transpose(c: Ctx, s: Step): void {
  c.b.push(c.b.op1("transpose", [matrix(c, s.a, c.size(s.m), c.size(s.n))]));
}

export function reshape(c: Ctx, s: Step): void {
  const x = matrix(c, s.a, c.size(s.m), c.size(s.n));
  const batch = x.type.shape.slice(0, -2);
  const [m, n] = [rows(x), cols(x)];
  // A merged dim stays within the program's sizes: a matrix built from it is squared by products and decompositions.
  const fits = (elements: number) => elements <= c.maxDim;
  const matrixElements = typeof m === "number" && typeof n === "number" ? m * n : Infinity;
  const targets: Dim[][] = [
    ...(fits(matrixElements) ? [[...batch, -1], [...batch, 1, -1]] : []),
    ...(fits(c.b.x(x).data.length) ? [[-1]] : []),
    [...batch, n, m],
    [...batch, m, n, 1],
  ].filter((t) => t.length <= 4);
  c.b.push(c.b.op1("reshape", [x], { shape: targets[s.v % targets.length] }));
}

/** diag of a square matrix, diagm of a vector, or trace. */
export function diagonal(c: Ctx, s: Step): void {
  switch (s.v % 3) {
    case 0:
      c.b.push(c.b.op1("diag", [c.b.pick(isSquare, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.m)])]));
      return;
    case 1: {
      const v = c.b.pick((x) => isFloat(x) && rank(x) >= 1 && rank(x) <= 2, s.a) ?? fresh(c, [c.size(s.m)]);
      c.b.push(c.b.op1("diagm", [v]));
      return;
    }
    default:
      c.b.push(c.b.op1("trace", [c.b.pick(isSquare, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.m)])]));
  }
}

/** S + t·I for a square S (the identity built by `eye`). */
export function shiftByIdentity(c: Ctx, s: Step): void {
  const x: Value = c.b.pick(isSquare, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.m)]);
  const n = cols(x);
  const eye = c.b.op1("eye", [], { shape: [n, n], dtype: "f32" });
  c.b.push(moderate(c, c.b.op1(s.v % 2 ? "sub" : "add", [x, s.v % 4 < 2 ? eye : c.b.op1("mul", [eye, c.b.constant(1.5)])])));
}
