/**
 * Programs that must fail, clearly (every margin is a sizable fraction of the operand's scale):
 * an `assume(·, "spd")` of an indefinite matrix feeding logm/sqrtm/cholesky, an `assume(·,
 * "symmetric")` of a non-symmetric one feeding eigh, an exactly singular solve or inverse (a zero
 * row and column), log/sqrt of negative entries — also when a relu after them could hide the NaN.
 * The float64 executor stops with a coded error; WebGPU must stop with the same code, never
 * return numbers. The failing value is summed into the loss and kept out of the pool.
 */
import { MatpropError, type Value } from "../../../ir/index.js";
import { NumericError } from "../../../numeric/numeric-error.js";
import type { NDArray } from "../../../numeric/ndarray.js";
import { reject } from "../builder.js";
import { eigenRange, maxAbs } from "../conditioning.js";
import { cols, fresh, isSquare, matrix, moderate, symmetricFrom, type Ctx, type Step } from "../operands.js";

/** Adds op(inputs) — which must fail on the CPU here — and sums it into the loss. */
function mustFail(c: Ctx, op: string, inputs: Value[], attrs = {}): Value {
  let fails = false;
  try {
    fails = c.b.peek(op, inputs, attrs).some((o) => o.data.some((z) => !Number.isFinite(z)));
  } catch (e) {
    if (!(e instanceof NumericError || e instanceof MatpropError)) throw e;
    fails = true;
  }
  if (!fails) reject(`${op} does not fail here`);
  return c.b.failing(op, inputs, attrs)[0];
}

/** max |a_ij − a_ji| over the batch. */
function asymmetry(a: NDArray): number {
  const n = a.shape[a.shape.length - 1];
  let d = 0;
  for (let o = 0; o < a.data.length; o += n * n) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) d = Math.max(d, Math.abs(a.data[o + i * n + j] - a.data[o + j * n + i]));
  return d;
}

function indefinite(c: Ctx, s: Step): Value {
  const x = symmetricFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.b);
  const { min, max } = eigenRange(c.b.x(x));
  const n = cols(x);
  const eye = c.b.op1("eye", [], { shape: [n, n], dtype: "f32" });
  // Shifted so that the smallest eigenvalue is below −(0.1 + a quarter of the spread).
  const shift = min + 0.25 * (max - min) + 0.1 + 0.1 * Math.abs(max);
  return c.b.op1("sub", [x, c.b.op1("mul", [eye, c.b.constant(shift)])]);
}

export function failing(c: Ctx, s: Step): void {
  let bad: Value;
  switch (s.v % 6) {
    case 0: {
      const assumed = mustFail(c, "assume", [indefinite(c, s)], { structure: "spd" });
      bad = c.b.op1(["logm", "sqrtm", "cholesky"][s.b % 3], [assumed]);
      break;
    }
    case 1: {
      const a = moderate(c, c.b.pick(isSquare, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.m)]));
      if (asymmetry(c.b.x(a)) < 0.1 * maxAbs(c.b.x(a).data)) reject("not clearly non-symmetric");
      bad = c.b.op("eigh", [mustFail(c, "assume", [a], { structure: "symmetric" })])[s.b % 2];
      break;
    }
    case 2:
    case 3: {
      const n = Math.max(2, c.size(s.m));
      const a = fresh(c, [...c.batch, n, n]);
      const singular = c.b.op1("mul", [a, fresh(c, [n, n], "mask")]);
      bad = s.v % 6 === 2 ? mustFail(c, "solve", [singular, fresh(c, [n, c.size(s.n)])]) : mustFail(c, "inv", [singular]);
      break;
    }
    default: {
      const a = moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n)));
      const x = c.b.x(a).data;
      // Every entry ≤ −½·scale (s.b even), or a² + ½ with the first entry of each matrix negated.
      const negative =
        s.b % 2 === 0
          ? c.b.op1("sub", [a, c.b.constant(Math.max(...x) + 0.5 * maxAbs(x))])
          : c.b.op1("mul", [c.b.op1("add", [c.b.op1("mul", [a, a]), c.b.constant(0.5)]), fresh(c, a.type.shape.slice(-2), "flip")]);
      bad = mustFail(c, s.v % 6 === 4 ? "log" : "sqrt", [negative]);
      // A relu after it must not hide the failure.
      if ((s.b >> 1) % 2 === 1) bad = c.b.op1("maximum", [bad, c.b.constant(0)]);
    }
  }
  c.terms.push(c.b.op1("sum", [bad], { axis: null, keepdims: false }));
}
