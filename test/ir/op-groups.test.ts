// Op groups and op blocks (ir/op.ts): the passes, the executor and the lowering read groups declared
// on the op instead of name lists, so the groups must say what those readers assume.
import { describe, expect, it } from "vitest";
import { allOps, opInGroup, registerOp } from "../../ir/registry.js";
import { MATRIX_FUNCTIONS } from "../../ir/ops/spectral.js";
import { SCALAR_FUNCTIONS, SPECTRAL_FNS, type ScalarFunction } from "../../numeric/spectral/functions.js";

const named = (group: Parameters<typeof opInGroup>[1]) => allOps().filter((d) => opInGroup(d.name, group)).map((d) => d.name).sort();

describe("op groups", () => {
  it("source ops are exactly the ones a run feeds", () => {
    expect(named("source")).toEqual(["input", "param"]);
  });

  it("every elementwise op has its JavaScript and WGSL forms, and fuses into expressions", () => {
    const elementwise = named("elementwise");
    expect(elementwise).toEqual(expect.arrayContaining(["add", "sub", "mul", "div", "maximum", "neg", "exp", "log", "sqrt", "abs", "pow", "sign"]));
    for (const d of allOps()) {
      expect(d.pointwise !== undefined, `${d.name}: pointwise forms ⇔ elementwise group`).toBe(elementwise.includes(d.name));
      if (d.pointwise) {
        expect(d.pointwise.js(["a", "b"], { p: 3 }, (v) => String(v)), d.name).toMatch(/\ba\b/);
        expect(d.pointwise.wgsl(["a", "b"], { p: 3 }, (v) => `${v}.0`), d.name).toMatch(/\ba\b/);
      }
    }
    expect(elementwise.every((n) => opInGroup(n, "expression"))).toBe(true);
  });

  it("backward-only ops have no adjoint (second derivatives are not supported), and say why", () => {
    const backward = allOps().filter((d) => opInGroup(d.name, "backward-only"));
    expect(backward.length).toBeGreaterThan(10);
    for (const d of backward) expect(d.noAdjoint, d.name).toMatch(/\w/);
  });

  it("the registry refuses an op with both or neither of an adjoint rule and a noAdjoint reason, and a second definition", () => {
    const base = { family: "elementwise", arity: 1, doc: "test", infer: () => [], evalCPU: () => [] } as const;
    expect(() => registerOp({ ...base, name: "test.neither" })).toThrow(/exactly one/);
    expect(() => registerOp({ ...base, name: "test.both", adjoint: () => [null], noAdjoint: "x" })).toThrow(/exactly one/);
    expect(() => registerOp({ ...base, name: "add", noAdjoint: "x" })).toThrow(/defined twice/);
    expect(opInGroup("accumulator", "expression")).toBe(false); // an expression-only node, not an op
  });
});

describe("spectral function rows", () => {
  it("every scalar function row (numeric/spectral/functions.ts) has exactly one matrix op, named as the row says", () => {
    expect(MATRIX_FUNCTIONS.map((m) => m.fn).sort()).toEqual([...SPECTRAL_FNS].sort());
    for (const m of MATRIX_FUNCTIONS) expect(SCALAR_FUNCTIONS[m.fn].matrixOp).toBe(m.name);
  });

  it("each row's divided difference is its derivative at a repeated point and the secant elsewhere", () => {
    for (const fn of SPECTRAL_FNS) {
      const row: ScalarFunction = SCALAR_FUNCTIONS[fn];
      const [a, b] = [2.5, 1.5];
      expect(row.divdiff(a, b, {}), fn).toBeCloseTo((row.f(a, {}) - row.f(b, {})) / (a - b), 12);
      const h = 1e-6;
      expect(row.divdiff(a, a, {}), fn).toBeCloseTo((row.f(a + h, {}) - row.f(a - h, {})) / (2 * h), 6);
    }
  });
});
