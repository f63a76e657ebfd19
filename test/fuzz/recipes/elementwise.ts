/**
 * Elementwise ops and chains of them: alone, on products (where they become the product kernel's
 * epilogue), with broadcast operands (scalars, rows, columns, matrices without the batch dims) and
 * with values used many times. Domains are met at the actual numbers: log/sqrt/fractional powers
 * get positive operands, division a divisor away from zero, relu/abs/max operands off their kink.
 */
import type { Dim, Value } from "../../../ir/index.js";
import { kinkDistance, KINK_MARGIN, maxAbs } from "../conditioning.js";
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
  // max(a, b) = b + relu(a − b), min(a, b) = a − relu(a − b): the branch is that of a − b, kept off the tie (relative to a and b).
  const scale = Math.max(maxAbs(c.b.x(a).data), maxAbs(c.b.x(b).data), 1);
  const diff = c.b.peek("sub", [a, b])[0].data;
  if (kinkDistance(diff, 0, scale) >= KINK_MARGIN) return c.b.op1(op, [a, b]);
  const b2 = c.b.op1("add", [b, c.b.constant(0.0173 * scale)]);
  if (kinkDistance(c.b.peek("sub", [a, b2])[0].data, 0, scale) < KINK_MARGIN) return c.b.op1("add", [a, b]);
  return c.b.op1(op, [a, b2]);
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
