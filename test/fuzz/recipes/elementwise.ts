/**
 * Elementwise ops and chains of them: alone, on products (where they become the product kernel's
 * epilogue), with broadcast operands (scalars, rows, columns, matrices without the batch dims) and
 * with values used many times. Domains are met at the actual numbers: log/sqrt/fractional powers
 * get positive operands, division a divisor away from zero, relu/abs/max operands off their kink.
 */
import type { Dim, Value } from "../../../ir/index.js";
import { reject } from "../builder.js";
import { kinkDistance, KINK_MARGIN, maxAbs, slicesDecided } from "../conditioning.js";
import { batchOf, cols, fresh, isFloat, isMatrix, matrix, moderate, nonzero, offKink, positive, rank, rows, type Ctx, type Step } from "../operands.js";

const UNARY = ["neg", "exp", "log", "sqrt", "abs", "pow", "tanh", "sigmoid"] as const;
const POWERS = [2, 3, -1, 0.5, 1.5, -0.5];

function floatValue(c: Ctx, k: number): Value {
  return c.b.pick(isFloat, k) ?? fresh(c, [...c.batch, c.size(k + 3), c.size(k + 4)]);
}

export function unaryOn(c: Ctx, v: Value, which: number): Value {
  const op = UNARY[which % UNARY.length];
  switch (op) {
    case "exp":
    case "tanh":
    case "sigmoid":
      return c.b.op1(op, [moderate(c, v)]);
    case "log":
    case "sqrt":
      return c.b.op1(op, [positive(c, v, which >> 3)]);
    case "abs":
      return c.b.op1("abs", [offKink(c, v)]);
    case "pow": {
      const p = POWERS[(which >> 3) % POWERS.length];
      const x = Number.isInteger(p) ? (p < 0 ? nonzero(c, moderate(c, v), which) : moderate(c, v)) : positive(c, v, which);
      return c.b.op1("pow", [x], { p });
    }
    default:
      return c.b.op1("neg", [v]);
  }
}

export function unary(c: Ctx, s: Step): void {
  c.b.push(moderate(c, unaryOn(c, floatValue(c, s.a), s.v)));
}

/** A second operand for an elementwise op with `a`: same shape, a row, a column, no batch, a scalar. */
function partner(c: Ctx, a: Value, k: number, kind: number): Value {
  const shape = a.type.shape;
  const same = (v: Value) => v !== a && isFloat(v) && v.type.shape.length === shape.length && v.type.shape.every((d, i) => d === shape[i]);
  switch (kind % 5) {
    case 0:
      return c.b.pick(same, k) ?? a;
    case 1:
      return rank(a) >= 1 ? fresh(c, [shape[rank(a) - 1]], "normal", { param: true }) : c.b.constant(0.75);
    case 2:
      return rank(a) >= 2 ? fresh(c, [rows(a), 1]) : c.b.constant(-1.25);
    case 3:
      return isMatrix(a) && batchOf(a).length ? matrix(c, k, rows(a), cols(a), (v) => v.type.shape.length === 2 && rows(v) === rows(a) && cols(v) === cols(a)) : (c.b.pick(same, k) ?? fresh(c, shape as Dim[]));
    default:
      return c.b.constant([0.5, 2, -1.5][k % 3]);
  }
}

export function binaryOn(c: Ctx, a: Value, b: Value, which: number): Value {
  const op = ["add", "sub", "mul", "div", "maximum", "minimum"][which % 6];
  if (op === "div") return c.b.op1("div", [a, nonzero(c, moderate(c, b), which >> 3)]);
  if (op !== "maximum" && op !== "minimum") return c.b.op1(op, [a, b]);
  // max(a, b) = b + relu(a − b), min(a, b) = a − relu(a − b): the branch is that of a − b, kept off the tie.
  const b2 = offTie(c, a, b);
  return b2 ? c.b.op1(op, [a, b2]) : c.b.op1("add", [a, b]);
}

/** `b`, or `b` shifted by a constant, such that a − b is off its tie (KINK_MARGIN relative to a and b); null when neither is. */
function offTie(c: Ctx, a: Value, b: Value): Value | null {
  const scale = Math.max(maxAbs(c.b.x(a).data), maxAbs(c.b.x(b).data), 1);
  if (kinkDistance(c.b.peek("sub", [a, b])[0].data, 0, scale) >= KINK_MARGIN) return b;
  const b2 = c.b.op1("add", [b, c.b.constant(0.0173 * scale)]);
  return kinkDistance(c.b.peek("sub", [a, b2])[0].data, 0, scale) >= KINK_MARGIN ? b2 : null;
}

export function binary(c: Ctx, s: Step): void {
  const a = moderate(c, floatValue(c, s.a));
  const b = moderate(c, partner(c, a, s.b, s.m));
  const [x, y] = s.n % 4 === 3 ? [b, a] : [a, b];
  c.b.push(moderate(c, binaryOn(c, x, y, s.v)));
}

/** relu(x) = max(x, 0) (nn.relu), its operand moved off 0. */
export function relu(c: Ctx, s: Step): void {
  c.b.push(c.b.op1("maximum", [offKink(c, moderate(c, floatValue(c, s.a))), c.b.constant(0)]));
}

/**
 * A product followed at once by a chain of one to three elementwise links (unary, or binary with a
 * pool value of the same shape, a bias row or a scalar): the shape of a fused matmul epilogue.
 */
export function epilogue(c: Ctx, s: Step): void {
  const a = matrix(c, s.a, c.size(s.m), c.size(s.n));
  const b = matrix(c, s.b, cols(a), c.size(s.v), (v) => rows(v) === cols(a));
  let y = c.b.op1("matmul", [a, b]);
  for (let link = 0; link <= s.v % 3; link++) {
    const which = (s.v >> 2) + 7 * link;
    y = (which + link) % 2 ? unaryOn(c, y, which) : binaryOn(c, y, moderate(c, partner(c, y, s.a + link, which)), which >> 1);
  }
  c.b.push(moderate(c, y));
}

/**
 * where(cond, x, y) on a comparison (bool, no gradient; the cotangent reaches whichever operand is
 * picked), by variant: greater or less of a and a partner (pool value, bias row, column, scalar)
 * kept off their tie; equal of a with where(greater(a, b), a, b) — exact, true where a won; equal of
 * argmax positions with random labels (i32, exact). The picked operands: a and b, or a product and
 * a constant.
 */
export function select(c: Ctx, s: Step): void {
  const a = moderate(c, floatValue(c, s.a));
  const b = offTie(c, a, moderate(c, partner(c, a, s.b, s.m)));
  if (!b) return reject("every shift leaves a − b on its tie");
  const [x, y] = (s.n >> 2) % 2 ? [c.b.op1("mul", [a, b]), c.b.constant(0.25)] : [a, b];
  switch (s.v % 4) {
    case 0:
    case 1: {
      const cond = c.b.op1(s.v % 4 ? "less" : "greater", s.n % 4 === 3 ? [b, a] : [a, b]);
      return c.b.push(moderate(c, c.b.op1("where", [cond, x, y])));
    }
    case 2: {
      const winner = c.b.op1("where", [c.b.op1("greater", [a, b]), a, b]);
      return c.b.push(moderate(c, c.b.op1("where", [c.b.op1("equal", [a, winner]), x, y])));
    }
    default: {
      // Rows of a whose argmax is the label: a·b there, else b (a fresh [rows] pick of the row's class).
      if (rank(a) < 1) return reject("argmax of a scalar");
      if (!slicesDecided(c.b.x(a), [rank(a) - 1], KINK_MARGIN * maxAbs(c.b.x(a).data))) return reject("a row of a has a near tie");
      const n = a.type.shape[rank(a) - 1];
      if (typeof n !== "number") return reject("argmax over a named axis");
      const i = c.b.op1("argmax", [a], { axis: [-1], keepdims: false });
      const labels = c.b.source(i.type.shape, { dist: "labels", classes: n });
      const hit = c.b.op1("equal", [i, labels]);
      const p = fresh(c, i.type.shape, "normal", { param: true });
      return c.b.push(moderate(c, c.b.op1("where", [hit, p, c.b.op1("neg", [p])])));
    }
  }
}
