/**
 * Extremes and indexing: max/min over axis sets, argmax/argmin feeding a gather (`take` of another
 * value's columns at the winning positions, so the i32 result is used and its backward is the
 * scatter-add `takeGrad`), take at random indices, slices, concatenations and axis permutations.
 * Extremes are taken only where every reduced slice's winner leads by KINK_MARGIN (relative): f32
 * picks the same entry as f64 (well-defined.ts re-checks against the measured rounding).
 */
import type { Dim, Value } from "../../../ir/index.js";
import { KINK_MARGIN, maxAbs, slicesDecided } from "../conditioning.js";
import { reject } from "../builder.js";
import { fresh, isFloat, moderate, rank, type Ctx, type Step } from "../operands.js";

function floatOperand(c: Ctx, s: Step, minRank = 1): Value {
  return c.b.pick((v) => isFloat(v) && rank(v) >= minRank && v.type.shape.every((d) => typeof d === "number"), s.a) ?? fresh(c, [...c.batch.filter((d) => typeof d === "number"), c.size(s.m), c.size(s.n)]);
}

/** Non-negative axes of `axis` (null: all) on a rank-r value. */
const axesOf = (axis: number[] | null, r: number) => (axis === null ? [...Array(r).keys()] : axis.map((a) => (a + r) % r));

function decided(c: Ctx, x: Value, axis: number[] | null): void {
  const data = c.b.x(x);
  if (!slicesDecided(data, axesOf(axis, rank(x)), KINK_MARGIN * maxAbs(data.data))) reject("a reduced slice has a near tie");
}

/** max or min over all axes, the last, the second to last or the first, with and without keepdims. */
export function extreme(c: Ctx, s: Step): void {
  const x = moderate(c, floatOperand(c, s));
  const r = rank(x);
  const axis = [null, [-1], [r >= 2 ? -2 : -1], [0]][s.v % 4];
  decided(c, x, axis);
  c.b.push(c.b.op1(s.b % 2 ? "min" : "max", [x], { axis, keepdims: (s.v >> 2) % 2 === 1 }));
}

/** i = argmax/argmin of x along its last axis (or axis 0); y = take(v, i) along the same-sized axis of v (x itself, or a fresh param). */
export function argExtreme(c: Ctx, s: Step): void {
  const x = moderate(c, floatOperand(c, s));
  const axis = s.v % 3 === 2 ? 0 : -1;
  decided(c, x, [axis]);
  const i = c.b.op1(s.b % 2 ? "argmin" : "argmax", [x], { axis: [axis], keepdims: false });
  const n = x.type.shape[(axis + rank(x)) % rank(x)];
  const v = s.v % 2 ? x : fresh(c, [c.size(s.m + 1), n], "normal", { param: true });
  c.b.push(c.b.op1("take", [v, i], { axis: -1 }));
}

/** take at fresh random indices (repeats included: the scatter-add sums them) along one axis. */
export function take(c: Ctx, s: Step): void {
  const x = floatOperand(c, s);
  const axis = s.v % 2 ? -1 : 0;
  const n = x.type.shape[(axis + rank(x)) % rank(x)] as number;
  const idx = c.b.source([c.size(s.b)], { dist: "labels", classes: n });
  c.b.push(c.b.op1("take", [x, idx], { axis }));
}

export function slice(c: Ctx, s: Step): void {
  const x = floatOperand(c, s);
  const axis = s.v % 2 ? -1 : 0;
  const n = x.type.shape[(axis + rank(x)) % rank(x)] as number;
  const start = s.m % n;
  const stop = (s.v >> 1) % 3 === 0 ? null : start + 1 + (s.n % (n - start));
  c.b.push(c.b.op1("slice", [x], { axis, start: (s.v >> 3) % 2 && start > 0 ? start - n : start, stop }));
}

/** [a, b] joined along one axis: b a pool value whose other dims agree, else a fresh one. */
export function concatenate(c: Ctx, s: Step): void {
  const a = floatOperand(c, s);
  const r = rank(a);
  const axis = s.v % 2 ? -1 : 0;
  const k = (axis + r) % r;
  const agrees = (v: Value) => v !== a && isFloat(v) && rank(v) === r && v.type.shape.every((d, i) => i === k || d === a.type.shape[i]);
  const b = c.b.pick(agrees, s.b) ?? fresh(c, a.type.shape.map((d, i) => (i === k ? c.size(s.n) : d)) as Dim[], "normal", { param: s.b % 2 === 1 });
  c.b.push(moderate(c, c.b.op1("concatenate", s.v % 4 < 2 ? [a, b] : [b, a, b], { axis })));
}

/** Any axis order of a rank-2..4 value (a rotation or a reversal of its axes). */
export function permute(c: Ctx, s: Step): void {
  const x = floatOperand(c, s, 2);
  const r = rank(x);
  const order = [...Array(r).keys()];
  const axes = s.v % 2 ? order.reverse() : order.map((_, i) => order[(i + 1 + (s.m % (r - 1))) % r]);
  c.b.push(c.b.op1("permute", [x], { axes }));
}
