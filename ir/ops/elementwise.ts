/**
 * Elementwise ops with NumPy broadcasting. Structure: a symmetric matrix stays symmetric under any
 * elementwise map, and two symmetric operands (or a symmetric one and a scalar) give a symmetric
 * result; sums and Hadamard products of SPD matrices are SPD (Schur product theorem).
 */
import { numberAttr } from "../attrs.js";
import { OpTable } from "../op.js";
import { broadcastShapes } from "../shape.js";
import { isSymmetric, promote, tensorType, type Structure, type TensorType } from "../types.js";
import { map, zip } from "../../numeric/elementwise.js";
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

/**
 * 1 / (1 + e⁻ˣ) without overflow, and with full relative accuracy in the lower tail (where
 * 1 − σ(−x) would round to 0): e^(−|x|) ≤ 1 is the only exponential taken.
 */
export function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

function defineUnary(name: string, doc: string, f: (x: number, attrs: Attrs) => number, check?: (attrs: Attrs) => void) {
  table.define({
    name,
    family: "elementwise",
    arity: 1,
    doc,
    infer: ([x], attrs) => {
      check?.(attrs);
      return [tensorType(x.dtype, x.shape, unaryStructure(x.structure))];
    },
    evalCPU: ([x], attrs) => [map(x, (v) => f(v, attrs))],
  });
}

function defineBinary(name: string, doc: string, f: (x: number, y: number) => number, rule: BinaryRule) {
  table.define({
    name,
    family: "elementwise",
    arity: 2,
    doc,
    infer: ([a, b]) => [tensorType(promote(a.dtype, b.dtype), broadcastShapes(name, a.shape, b.shape), rule(a, b))],
    evalCPU: ([a, b]) => [zip(a, b, f)],
  });
}

defineUnary("neg", "−x", (x) => -x);
defineUnary("exp", "eˣ elementwise", Math.exp);
defineUnary("log", "natural log elementwise", Math.log);
defineUnary("sqrt", "√x elementwise", Math.sqrt);
defineUnary("abs", "|x| elementwise", Math.abs);
defineUnary("tanh", "hyperbolic tangent elementwise", Math.tanh);
defineUnary("sigmoid", "the logistic function 1 / (1 + e⁻ˣ) elementwise", sigmoid);
defineUnary("pow", "xᵖ elementwise for a constant exponent p", (x, a) => Math.pow(x, a.p as number), (a) => numberAttr("pow", a, "p"));

defineBinary("add", "a + b (broadcasting)", (x, y) => x + y, addRule);
defineBinary("sub", "a − b (broadcasting)", (x, y) => x - y, subRule);
defineBinary("mul", "a ∘ b, the elementwise (Hadamard) product (broadcasting)", (x, y) => x * y, mulRule);
defineBinary("div", "a / b elementwise (broadcasting)", (x, y) => x / y, divRule);
defineBinary("maximum", "elementwise maximum (broadcasting)", Math.max, symmetricPair);
defineBinary("minimum", "elementwise minimum (broadcasting)", Math.min, symmetricPair);

/** The elementwise ops, for ir/registry.ts. */
export const ELEMENTWISE_OPS = table.ops;
