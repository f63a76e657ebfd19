/**
 * Elementwise ops with NumPy broadcasting. Structure: a symmetric matrix stays symmetric under any
 * elementwise map, and two symmetric operands (or a symmetric one and a scalar) give a symmetric
 * result; sums and Hadamard products of SPD matrices are SPD (Schur product theorem).
 *
 * Each op is one row: its float64 function (the reference `evalCPU`), the JavaScript of the CPU
 * executor's fused loops, the WGSL of fused GPU kernels, and its adjoint — a new elementwise op is a
 * new row (plus its DSL function; domain checks of the WGSL form live in codegen/domain.ts).
 */
import { numberAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable, type AdjointRule, type OpDef, type OpGroup, type Pointwise } from "../op.js";
import { broadcastShapes } from "../shape.js";
import { isSymmetric, promote, tensorType, type Structure, type TensorType } from "../types.js";
import { map, where, zip } from "../../numeric/elementwise.js";
import type { Attrs } from "../attrs.js";

const table = new OpTable();

/** A value broadcast to a constant (rank 0 or all dims 1): it cannot break symmetry. */
function isScalarLike(t: TensorType): boolean {
  return t.shape.every((d) => d === 1);
}

function unaryStructure(s: Structure): Structure {
  return isSymmetric(s) ? "symmetric" : "general";
}

type BinaryRule = (a: TensorType, b: TensorType) => Structure;

const symmetricPair: BinaryRule = (a, b) => {
  const symA = isSymmetric(a.structure) || isScalarLike(a);
  const symB = isSymmetric(b.structure) || isScalarLike(b);
  // At least one operand must be typed symmetric: two scalar-likes make no matrix structure (but
  // a 1×1 symmetric matrix times a scalar is still one).
  return symA && symB && (isSymmetric(a.structure) || isSymmetric(b.structure)) ? "symmetric" : "general";
};

const addRule: BinaryRule = (a, b) => {
  if (a.structure === "spd" && b.structure === "spd") return "spd";
  if (a.structure === "diagonal" && b.structure === "diagonal") return "diagonal";
  return symmetricPair(a, b);
};

const subRule: BinaryRule = (a, b) => (a.structure === "diagonal" && b.structure === "diagonal" ? "diagonal" : symmetricPair(a, b));

const mulRule: BinaryRule = (a, b) => {
  if (a.structure === "spd" && b.structure === "spd") return "spd";
  if ((a.structure === "diagonal" && (isSymmetric(b.structure) || isScalarLike(b))) || (b.structure === "diagonal" && isSymmetric(a.structure))) {
    return "diagonal";
  }
  return symmetricPair(a, b);
};

const divRule: BinaryRule = (a, b) => (a.structure === "diagonal" && isScalarLike(b) ? "diagonal" : symmetricPair(a, b));

interface Row extends Pointwise {
  readonly name: string;
  readonly doc: string;
  /** The adjoint rule, or why there is none (`noAdjoint`). */
  readonly adjoint?: AdjointRule;
  readonly noAdjoint?: string;
  /** Finite inputs give finite outputs (OpGroup `finite-preserving`). */
  readonly finitePreserving?: boolean;
}

const groups = (r: Row): OpGroup[] => ["elementwise", "expression", ...(r.finitePreserving ? (["finite-preserving"] as const) : [])];
const forms = (r: Row): Pointwise => ({ js: r.js, wgsl: r.wgsl, ...(r.wgslHelpers ? { wgslHelpers: r.wgslHelpers } : {}) });

/**
 * 1 / (1 + e⁻ˣ) without overflow, and with full relative accuracy in the lower tail (where
 * 1 − σ(−x) would round to 0): e^(−|x|) ≤ 1 is the only exponential taken.
 */
export function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** The op of a row, with the type rule and float64 evaluation of its arity. */
function define(r: Row, arity: 1 | 2 | 3, infer: OpDef["infer"], evalCPU: OpDef["evalCPU"]): void {
  const derivative = r.adjoint ? { adjoint: r.adjoint } : { noAdjoint: r.noAdjoint! };
  table.define({ name: r.name, family: "elementwise", groups: groups(r), arity, doc: r.doc, infer, evalCPU, pointwise: forms(r), ...derivative });
}

/** Arithmetic does not take bool (comparison results): `where(cond, 1, 0)` turns one into numbers. */
function demandNumbers(op: string, ...ts: TensorType[]): void {
  if (ts.some((t) => t.dtype === "bool")) fail("MP2006", `${op}: operands must be numbers, got bool (use ops.where(cond, 1, 0) for a 0/1 mask)`);
}

function unary(r: Row & { readonly f64: (x: number, attrs: Attrs) => number; readonly check?: (attrs: Attrs) => void }): void {
  const infer: OpDef["infer"] = ([x], attrs) => {
    demandNumbers(r.name, x);
    r.check?.(attrs);
    return [tensorType(x.dtype, x.shape, unaryStructure(x.structure))];
  };
  define(r, 1, infer, ([x], attrs) => [map(x, (v) => r.f64(v, attrs))]);
}

/** A broadcasting binary op; `bool` rows (comparisons) give 1 or 0 of dtype bool. */
function binary(r: Row & { readonly f64: (x: number, y: number) => number; readonly structure: BinaryRule; readonly bool?: boolean }): void {
  const infer: OpDef["infer"] = ([a, b]) => {
    demandNumbers(r.name, a, b);
    return [tensorType(r.bool ? "bool" : promote(a.dtype, b.dtype), broadcastShapes(r.name, a.shape, b.shape), r.structure(a, b))];
  };
  define(r, 2, infer, ([a, b]) => [zip(a, b, r.f64)]);
}

unary({
  name: "neg",
  doc: "−x",
  f64: (x) => -x,
  js: ([a]) => `(-${a})`,
  wgsl: ([a]) => `(-${a})`,
  finitePreserving: true,
  adjoint: ({ cotangents: [g], e }) => [e.neg(g!)],
});
unary({
  name: "exp",
  doc: "eˣ elementwise",
  f64: Math.exp,
  js: ([a]) => `Math.exp(${a})`,
  wgsl: ([a]) => `exp(${a})`,
  adjoint: ({ outputs: [y], cotangents: [g], e }) => [e.mul(g!, y)],
});
unary({
  name: "log",
  doc: "natural log elementwise",
  f64: Math.log,
  js: ([a]) => `Math.log(${a})`,
  wgsl: ([a]) => `log(${a})`,
  adjoint: ({ inputs: [x], cotangents: [g], e }) => [e.div(g!, x)],
});
unary({
  name: "sqrt",
  doc: "√x elementwise",
  f64: Math.sqrt,
  js: ([a]) => `Math.sqrt(${a})`,
  wgsl: ([a]) => `sqrt(${a})`,
  // d√x = dx / (2√x)
  adjoint: ({ outputs: [y], cotangents: [g], e }) => [e.div(e.mul(g!, 0.5), y)],
});
unary({
  name: "abs",
  doc: "|x| elementwise",
  f64: Math.abs,
  js: ([a]) => `Math.abs(${a})`,
  wgsl: ([a]) => `abs(${a})`,
  finitePreserving: true,
  adjoint: ({ inputs: [x], cotangents: [g], e }) => [e.mul(g!, e.op("sign", [x]))],
});
unary({
  name: "pow",
  doc: "xᵖ elementwise for a constant exponent p",
  f64: (x, a) => Math.pow(x, a.p as number),
  check: (a) => numberAttr("pow", a, "p"),
  js: ([a], attrs, param) => `Math.pow(${a}, ${param(attrs.p as number)})`,
  wgsl: ([a], attrs, literal) => {
    const p = attrs.p as number;
    if (p === 1) return a;
    if (p === 2) return `(${a} * ${a})`;
    if (p === 0.5) return `sqrt(${a})`;
    if (p === -0.5) return `inverseSqrt(${a})`;
    if (p === -1) return `(1.0 / ${a})`;
    return `mp_pow(${a}, ${literal(p)})`;
  },
  // WGSL's pow is undefined for x < 0; integer exponents take |x| and the sign.
  wgslHelpers: /* wgsl */ `fn mp_pow(x: f32, p: f32) -> f32 {
  if (p == floor(p)) {
    let m = pow(abs(x), p);
    if (x < 0.0 && (p - 2.0 * floor(p / 2.0)) == 1.0) { return -m; }
    return m;
  }
  return pow(x, p);
}
`,
  adjoint: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const p = attrs.p as number;
    if (p === 1) return [g];
    const dx = p === 2 ? e.mul(x, 2) : e.mul(e.op("pow", [x], { p: p - 1 }), p);
    return [e.mul(g!, dx)];
  },
});
unary({
  name: "sign",
  doc: "−1, 0 or 1 elementwise (NumPy's sign)",
  f64: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  // (a > 0) − (a < 0): 1, −1, or +0 for ±0, as NumPy's sign (NaN gives 0: flagged before it matters).
  js: ([a]) => `((${a} > 0) - (${a} < 0))`,
  wgsl: ([a]) => `sign(${a})`,
  finitePreserving: true,
  // sign is piecewise constant: its derivative is zero wherever it exists.
  adjoint: () => [null],
});

unary({
  name: "tanh",
  doc: "hyperbolic tangent elementwise",
  f64: Math.tanh,
  js: ([a]) => `Math.tanh(${a})`,
  wgsl: ([a]) => `mp_tanh(${a})`,
  // From e^(−2|x|) ≤ 1: no overflow (WGSL's tanh may give ∞/∞ = NaN for large |x|), and expm1
  // keeps tanh's relative accuracy near 0.
  wgslHelpers: /* wgsl */ `fn mp_tanh(x: f32) -> f32 { let t = mp_expm1(-2.0 * abs(x)); return sign(x) * (-t / (2.0 + t)); }
`,
  finitePreserving: true,
  // d tanh x = (1 − tanh² x) dx
  adjoint: ({ outputs: [y], cotangents: [g], e }) => [e.mul(g!, e.sub(1, e.mul(y, y)))],
});
unary({
  name: "sigmoid",
  doc: "the logistic function 1 / (1 + e⁻ˣ) elementwise",
  f64: sigmoid,
  // sigmoid above, inlined.
  js: ([a]) => `(${a} >= 0 ? 1 / (1 + Math.exp(-Math.abs(${a}))) : Math.exp(-Math.abs(${a})) / (1 + Math.exp(-Math.abs(${a}))))`,
  wgsl: ([a]) => `mp_sigmoid(${a})`,
  // From e^(−|x|) ≤ 1, as the float64 form.
  wgslHelpers: /* wgsl */ `fn mp_sigmoid(x: f32) -> f32 { let e = mp_exp(-abs(x)); return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0); }
`,
  finitePreserving: true,
  // dσ = σ (1 − σ) dx
  adjoint: ({ outputs: [y], cotangents: [g], e }) => [e.mul(g!, e.mul(y, e.sub(1, y)))],
});

binary({
  name: "add",
  doc: "a + b (broadcasting)",
  f64: (x, y) => x + y,
  structure: addRule,
  js: ([a, b]) => `(${a} + ${b})`,
  wgsl: ([a, b]) => `(${a} + ${b})`,
  adjoint: ({ inputs: [a, b], cotangents: [g], e }) => [e.sumTo(g!, a.type.shape), e.sumTo(g!, b.type.shape)],
});
binary({
  name: "sub",
  doc: "a − b (broadcasting)",
  f64: (x, y) => x - y,
  structure: subRule,
  js: ([a, b]) => `(${a} - ${b})`,
  wgsl: ([a, b]) => `(${a} - ${b})`,
  adjoint: ({ inputs: [a, b], cotangents: [g], e }) => [e.sumTo(g!, a.type.shape), e.sumTo(e.neg(g!), b.type.shape)],
});
binary({
  name: "mul",
  doc: "a ∘ b, the elementwise (Hadamard) product (broadcasting)",
  f64: (x, y) => x * y,
  structure: mulRule,
  js: ([a, b]) => `(${a} * ${b})`,
  wgsl: ([a, b]) => `(${a} * ${b})`,
  adjoint: ({ inputs: [a, b], cotangents: [g], e }) => [e.sumTo(e.mul(g!, b), a.type.shape), e.sumTo(e.mul(g!, a), b.type.shape)],
});
binary({
  name: "div",
  doc: "a / b elementwise (broadcasting)",
  f64: (x, y) => x / y,
  structure: divRule,
  js: ([a, b]) => `(${a} / ${b})`,
  wgsl: ([a, b]) => `(${a} / ${b})`,
  // d(a/b) = da/b − (a/b)·db/b
  adjoint: ({ inputs: [a, b], outputs: [y], cotangents: [g], e }) => {
    const gb = e.div(g!, b);
    return [e.sumTo(gb, a.type.shape), e.sumTo(e.neg(e.mul(gb, y)), b.type.shape)];
  },
});
binary({
  name: "maximum",
  doc: "elementwise maximum (broadcasting)",
  f64: Math.max,
  structure: symmetricPair,
  // The selected operand plus a signed zero: exact for finite a, b, including max(−0, +0) = +0.
  js: ([a, b]) => `((${a} > ${b}) * ${a} + (${a} <= ${b}) * ${b})`,
  wgsl: ([a, b]) => `max(${a}, ${b})`,
  finitePreserving: true,
  // Ties split the cotangent evenly (as JAX does): mask = (1 + sign(a − b)) / 2.
  adjoint: ({ inputs: [a, b], cotangents: [g], e }) => {
    const mask = e.mul(e.add(e.op("sign", [e.sub(a, b)]), 1), 0.5);
    const ga = e.mul(g!, mask);
    return [e.sumTo(ga, a.type.shape), e.sumTo(e.sub(g!, ga), b.type.shape)];
  },
});
binary({
  name: "minimum",
  doc: "elementwise minimum (broadcasting)",
  f64: Math.min,
  structure: symmetricPair,
  // maximum's selection on −a, −b, negated: min(−0, +0) = −0 as Math.min.
  js: ([a, b]) => `(-((-${a} > -${b}) * -${a} + (-${a} <= -${b}) * -${b}))`,
  wgsl: ([a, b]) => `min(${a}, ${b})`,
  finitePreserving: true,
  // Ties split the cotangent evenly, as for maximum: mask = (1 − sign(a − b)) / 2.
  adjoint: ({ inputs: [a, b], cotangents: [g], e }) => {
    const mask = e.mul(e.sub(1, e.op("sign", [e.sub(a, b)])), 0.5);
    const ga = e.mul(g!, mask);
    return [e.sumTo(ga, a.type.shape), e.sumTo(e.sub(g!, ga), b.type.shape)];
  },
});

/** Comparisons: bool results (1 or 0 in the executors' arrays and in f32 device buffers). */
function comparison(name: string, doc: string, test: (x: number, y: number) => boolean, js: string, wgsl: string): void {
  binary({
    name,
    doc,
    bool: true,
    f64: (x, y) => (test(x, y) ? 1 : 0),
    structure: () => "general",
    js: ([a, b]) => `+(${a} ${js} ${b})`,
    wgsl: ([a, b]) => `select(0.0, 1.0, ${a} ${wgsl} ${b})`,
    finitePreserving: true,
    noAdjoint: "a bool result: piecewise constant, so no gradient flows through it",
  });
}
comparison("greater", "a > b elementwise (broadcasting), bool", (x, y) => x > y, ">", ">");
comparison("less", "a < b elementwise (broadcasting), bool", (x, y) => x < y, "<", "<");
comparison("equal", "a == b elementwise (broadcasting), bool", (x, y) => x === y, "===", "==");

define(
  {
    name: "where",
    doc: "a where cond holds, else b (numpy.where; all three broadcast; cond bool)",
    js: ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`,
    wgsl: ([c, a, b]) => `select(${b}, ${a}, ${c} != 0.0)`,
    finitePreserving: true,
    // The cotangent goes to whichever operand was chosen; cond (bool) gets none.
    adjoint: ({ inputs: [c, a, b], cotangents: [g], e }) => {
      const zero = e.constant(0, g!.type.dtype);
      return [null, e.sumTo(e.op("where", [c, g!, zero]), a.type.shape), e.sumTo(e.op("where", [c, zero, g!]), b.type.shape)];
    },
  },
  3,
  ([c, a, b]) => {
    if (c.dtype !== "bool") fail("MP2006", `where: cond must be bool (a comparison's result), got ${c.dtype}`);
    demandNumbers("where", a, b);
    const shape = broadcastShapes("where", c.shape, broadcastShapes("where", a.shape, b.shape));
    return [tensorType(promote(a.dtype, b.dtype), shape, symmetricPair(a, b) === "symmetric" && isSymmetric(c.structure) ? "symmetric" : "general")];
  },
  ([c, a, b]) => [where(c, a, b)],
);

/** The elementwise ops, for ir/registry.ts. */
export const ELEMENTWISE_OPS = table.ops;
