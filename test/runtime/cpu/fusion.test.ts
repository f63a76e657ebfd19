/**
 * The CPU executor's fused elementwise loops and in-place transposed reads (runtime/cpu/fusion/)
 * against the unfused reference: templates bitwise equal to each op's evalCPU, every elementwise
 * op covered, random elementwise programs with broadcasting giving bitwise the unfused outputs or
 * exactly the unfused error, ReLU's backward in one loop, and matmuls of transposes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MatpropError } from "../../../ir/diagnostics.js";
import { Graph, type Value } from "../../../ir/graph.js";
import { allOps, getOp } from "../../../ir/registry.js";
import { differentiate } from "../../../compiler/passes/differentiate.js";
import { executeCPU } from "../../../runtime/cpu/execute.js";
import { planFusion } from "../../../runtime/cpu/fusion/groups.js";
import { TEMPLATES } from "../../../runtime/cpu/fusion/templates.js";
import type { NDArray } from "../../../numeric/ndarray.js";
import { model, nn, ops } from "../../../index.js";
import { mulberry32 } from "./helpers.js";

/** Finite values with edge cases: signed zeros, subnormals, the largest doubles, non-integers. */
const VALUES = [0, -0, 1, -1, 0.5, -2.5, 3, 7.25, -1e-3, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308, 8.98846567431158e307, 123.456];
const POWERS = [0, 1, 2, 3, 0.5, -1, -2.5, 1.5];

function scalar(x: number): NDArray {
  return { shape: [], data: Float64Array.of(x) };
}

describe("templates", () => {
  it("cover every elementwise op of the registry, and name only registered ops", () => {
    const elementwise = allOps().filter((op) => op.family === "elementwise").map((op) => op.name).sort();
    expect(Object.keys(TEMPLATES).sort()).toEqual(elementwise);
  });

  it.each(Object.keys(TEMPLATES))("%s: bitwise the op's evalCPU wherever arguments and result are finite", (name) => {
    const def = getOp(name);
    const attrsList: { p?: number }[] = name === "pow" ? POWERS.map((p) => ({ p })) : [{}];
    const ctx = { dim: () => 0 };
    const args = ["a", "b", "c"].slice(0, def.arity as number);
    let compared = 0;
    for (const attrs of attrsList) {
      const params: number[] = [];
      const body = TEMPLATES[name](args, attrs, (v) => `P[${params.push(v) - 1}]`);
      const f = new Function("P", ...args, `return ${body};`) as (p: number[], ...x: number[]) => number;
      // where's condition is bool: 1 or 0 (the other values stand in for true as well).
      const firsts = name === "where" ? [0, 1, 2.5] : VALUES;
      const tuples = def.arity === 1 ? VALUES.map((a) => [a]) : def.arity === 2 ? VALUES.flatMap((a) => VALUES.map((b) => [a, b])) : firsts.flatMap((c) => VALUES.flatMap((a) => VALUES.map((b) => [c, a, b])));
      for (const t of tuples) {
        const want = def.evalCPU(t.map(scalar), attrs, ctx)[0].data[0];
        if (!Number.isFinite(want)) continue;
        const got = f(params, ...t);
        if (!Object.is(got, want)) expect.fail(`${name}(${t.join(", ")}${name === "pow" ? `; p=${attrs.p}` : ""}) = ${got}, evalCPU gives ${want}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});

/** A random elementwise program over a few inputs with broadcasting shapes; `loc`-less nodes. */
function randomProgram(seed: number): { g: Graph; feeds: Map<string, NDArray> } {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const full = pick([[3, 4], [2, 1, 5], [4], [2, 3, 1, 2], [1, 7], [1]]);
  // Input shapes: the full shape, or one that broadcasts to it (dims dropped from the left or set to 1).
  const shapeLike = () => full.slice(Math.floor(rand() * (full.length + 1))).map((d) => (rand() < 0.3 ? 1 : d));
  const g = new Graph(`random-${seed}`);
  const feeds = new Map<string, NDArray>();
  const values: Value[] = [];
  for (let i = 0; i < 3; i++) {
    const shape = i === 0 ? full : shapeLike();
    const name = `x${i}`;
    values.push(g.apply("input", [], { name, shape, dtype: "f64", structure: "general" }));
    const size = shape.reduce((p, d) => p * d, 1);
    // Mostly moderate values; some zeros and large ones so that log, div, pow and exp can fail.
    feeds.set(name, { shape, data: Float64Array.from({ length: size }, () => (rand() < 0.1 ? 0 : rand() < 0.1 ? 700 * (rand() - 0.3) : 4 * (rand() - 0.5))) });
  }
  values.push(g.apply("constant", [], { value: pick([0, 1, 0.5, -2]), dtype: "f64" }));
  const unary = ["neg", "exp", "log", "sqrt", "abs", "sign", "pow", "tanh", "sigmoid"];
  const binary = ["add", "sub", "mul", "div", "maximum", "minimum"];
  const steps = 2 + Math.floor(rand() * 7);
  for (let s = 0; s < steps; s++) {
    const a = pick(values);
    if (rand() < 0.1) {
      // An op that is never fused, between fused ones: errors must still come in graph order.
      values.push(g.apply("sum", [a], { axis: null, keepdims: false }));
    } else if (rand() < 0.4) {
      const op = pick(unary);
      values.push(g.apply(op, [a], op === "pow" ? { p: pick(POWERS) } : {}));
    } else {
      values.push(g.apply(pick(binary), [a, pick(values)]));
    }
  }
  // One or two outputs: the last value, sometimes an intermediate too (it must stay materialised).
  g.setOutput("y", values[values.length - 1]);
  if (rand() < 0.5) g.setOutput("z", values[4 + Math.floor(rand() * (values.length - 4))] ?? values[0]);
  return { g, feeds };
}

function outcome(run: () => { outputs: Map<string, NDArray> }): { outputs?: [string, number[], readonly number[]][]; error?: string } {
  try {
    return { outputs: [...run().outputs].map(([k, v]) => [k, [...v.data], v.shape]) };
  } catch (e) {
    if (e instanceof MatpropError) return { error: `${e.code} ${e.message}` };
    throw e;
  }
}

describe("fused vs unfused executor", () => {
  it("300 random elementwise programs with broadcasting (and unfused sums between): bitwise the same outputs, or exactly the same error", () => {
    let errors = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { g, feeds } = randomProgram(seed);
      const want = outcome(() => executeCPU(g, feeds, { fuse: false }));
      const got = outcome(() => executeCPU(g, feeds));
      if (want.error) errors++;
      // toEqual compares numbers with Object.is: −0 and +0 differ, as they should.
      expect(got, `program ${seed}`).toEqual(want);
    }
    // The campaign must exercise the fallback (non-finite values met inside a fused loop).
    expect(errors).toBeGreaterThan(10);
  });

  it("a non-finite value hidden by a later op (1 / (1/0) = 0) is still reported at the op that made it", () => {
    const g = new Graph("masked");
    const x = g.apply("input", [], { name: "x", shape: [3], dtype: "f64", structure: "general" });
    const one = g.apply("constant", [], { value: 1, dtype: "f64" });
    g.setOutput("y", g.apply("div", [one, g.apply("div", [one, x])]));
    const feeds = new Map([["x", { shape: [3], data: Float64Array.of(2, 0, 4) }]]);
    const want = outcome(() => executeCPU(g, feeds, { fuse: false }));
    expect(want.error).toMatch(/^MP5001 div \(node \d+\) produced Infinity \(output 0, flat index 1\)/);
    expect(outcome(() => executeCPU(g, feeds))).toEqual(want);
  });

  describe("without `new Function` (a strict Content-Security-Policy)", () => {
    const original = globalThis.Function;
    afterEach(() => {
      globalThis.Function = original;
    });
    it("evaluates node by node with the same results", () => {
      // A chain shape no other test compiles, so the kernel cache cannot serve it.
      const g = new Graph("no-eval");
      const x = g.apply("input", [], { name: "x", shape: [5], dtype: "f64", structure: "general" });
      let v = x;
      for (const op of ["abs", "sqrt", "neg", "exp", "abs", "sqrt", "neg", "exp", "abs"]) v = g.apply(op, [v]);
      g.setOutput("y", v);
      const feeds = new Map([["x", { shape: [5], data: Float64Array.of(1, -2, 3, 0, 0.25) }]]);
      const want = executeCPU(g, feeds, { fuse: false }).outputs.get("y")!.data;
      globalThis.Function = function () {
        throw new EvalError("Function is not allowed by Content-Security-Policy");
      } as unknown as FunctionConstructor;
      expect([...executeCPU(g, feeds).outputs.get("y")!.data]).toEqual([...want]);
    });
  });
});

describe("what is fused", () => {
  const relu = model("relu-net", ({ input, param }) => {
    const x = input("x", [4, 6]);
    const W = param("W", [5, 6]);
    return { loss: ops.sum(ops.mul(nn.relu(nn.linear(x, W)), input("c", [4, 5]))) };
  });

  it("ReLU's backward is one loop: sign, +1, ×½ and × the cotangent in one group", () => {
    const g = differentiate(relu.build()).graph;
    const groups = [...planFusion(g).groups.values()].map((gr) => gr.nodes.map((n) => n.op).sort().join(","));
    expect(groups).toContain(["add", "mul", "mul", "sign"].sort().join(","));
  });

  it("transposes read only by matmuls are not copied, and the products are bitwise those of the copies", () => {
    const g = differentiate(relu.build()).graph;
    const plan = planFusion(g);
    expect(plan.transposed.skipped.size).toBeGreaterThan(0);
    const rand = mulberry32(5);
    const feeds = new Map([
      ["x", { shape: [4, 6], data: Float64Array.from({ length: 24 }, () => rand() - 0.5) }],
      ["c", { shape: [4, 5], data: Float64Array.from({ length: 20 }, () => rand() - 0.5) }],
    ]);
    const want = executeCPU(g, feeds, { fuse: false, seed: 3 }).outputs;
    const got = executeCPU(g, feeds, { seed: 3 }).outputs;
    for (const [k, v] of want) expect([...got.get(k)!.data], k).toEqual([...v.data]);
  });

  it("cov of a transpose (the positions × channels view O2P pools) reads it in place, bitwise", () => {
    const g = new Graph("covt");
    const h = g.apply("input", [], { name: "h", shape: [3, 5, 7], dtype: "f64", structure: "general" });
    const f = g.apply("transpose", [h]);
    const c = g.apply("cov", [f], { eps: 1e-3 });
    g.setOutput("c", c);
    g.setOutput("p", g.apply("matmul", [f, c]));
    const rand = mulberry32(4);
    const feeds = new Map([["h", { shape: [3, 5, 7], data: Float64Array.from({ length: 105 }, () => rand() - 0.5) }]]);
    expect(planFusion(g).transposed.skipped.size).toBe(1);
    const want = executeCPU(g, feeds, { fuse: false }).outputs;
    const got = executeCPU(g, feeds).outputs;
    for (const [k, v] of want) expect([...got.get(k)!.data], k).toEqual([...v.data]);
  });

  it.each([
    ["Aᵀ·B", true, false],
    ["A·Bᵀ", false, true],
    ["Aᵀ·Bᵀ", true, true],
  ] as const)("batched %s with broadcasting and odd sizes", (_, ta, tb) => {
    const g = new Graph("mt");
    const a = g.apply("input", [], { name: "a", shape: ta ? [2, 1, 7, 5] : [2, 1, 5, 7], dtype: "f64", structure: "general" });
    const b = g.apply("input", [], { name: "b", shape: tb ? [3, 9, 7] : [3, 7, 9], dtype: "f64", structure: "general" });
    g.setOutput("y", g.apply("matmul", [ta ? g.apply("transpose", [a]) : a, tb ? g.apply("transpose", [b]) : b]));
    const rand = mulberry32(9);
    const arr = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rand() - 0.5) });
    const feeds = new Map([["a", arr(ta ? [2, 1, 7, 5] : [2, 1, 5, 7])], ["b", arr(tb ? [3, 9, 7] : [3, 7, 9])]]);
    expect(planFusion(g).transposed.skipped.size).toBe(Number(ta) + Number(tb));
    const want = executeCPU(g, feeds, { fuse: false }).outputs.get("y")!;
    const got = executeCPU(g, feeds).outputs.get("y")!;
    expect(got.shape).toEqual([2, 3, 5, 9]);
    expect([...got.data]).toEqual([...want.data]);
  });
});
