/**
 * The text IR round trip: print(parse(print(g))) is print(g) character for character and the
 * parsed graph verifies, for every example model, every model of the known-value cases and random
 * small graphs; plus the parser's diagnostics (code and IR line:col) and one snapshot of the format.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Graph, MatpropError, parse, type Attrs, print, verify, type DType, type Shape, type SourceLoc, type Structure, type Value } from "../../ir/index.js";
import type { Model } from "../../index.js";
import { allCases } from "../ops/cases/index.js";
import smallO2p from "../models/small-o2p.js";
import { differentiate } from "../../compiler/passes/differentiate.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function exampleModels(dir = path.join(ROOT, "examples")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? exampleModels(p) : e.name === "model.ts" ? [p] : [];
  });
}

function expectRoundTrip(g: Graph): void {
  const text = print(g);
  const back = parse(text);
  expect(print(back)).toBe(text);
  expect(() => verify(back)).not.toThrow();
}

/** The MatpropError `f` throws. */
function caught(f: () => unknown): MatpropError {
  try {
    f();
  } catch (e) {
    if (e instanceof MatpropError) return e;
    throw e;
  }
  throw new Error("expected a MatpropError, nothing was thrown");
}

describe("round trip of every model", () => {
  const examples = exampleModels().map((f) => path.relative(ROOT, f));

  it("finds the example models", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)("%s", async (file) => {
    const m = ((await import(pathToFileURL(path.join(ROOT, file)).href)) as { default: Model }).default;
    expectRoundTrip(m.build());
  });

  it.each(examples)("%s with its backward graph (grad annotations included)", async (file) => {
    const m = ((await import(pathToFileURL(path.join(ROOT, file)).href)) as { default: Model }).default;
    const { graph } = differentiate(m.build());
    expect(print(graph)).toMatch(/ grad %\d+\n/);
    expectRoundTrip(graph);
    expect(parse(print(graph)).nodes.filter((n) => n.gradOf).length).toBe(graph.nodes.filter((n) => n.gradOf).length);
  });

  it.each(allCases().map((c) => [c.model.name, c.model] as const))("case model %s", (_, m) => {
    expectRoundTrip(m.build());
  });
});

describe("printed format", () => {
  it("is stable for a small model (snapshot)", () => {
    expect(print(smallO2p.build())).toMatchInlineSnapshot(`
      "graph "small-o2p" {
        %0 = input {name="F"} : f64[n,3] @"test/models/small-o2p.ts":8:13
        %1 = cov %0 {eps=0.001} : f64[3,3] spd @"test/models/small-o2p.ts":9:20
        %2 = param {name="W", init="normal"} : f64[3,3] @"test/models/small-o2p.ts":10:13
        %3 = logm %1 : f64[3,3] symmetric @"test/models/small-o2p.ts":11:41
        %4 = mul %3, %2 : f64[3,3] @"test/models/small-o2p.ts":11:30
        %5 = sum %4 {axis=null, keepdims=false} : f64[] @"test/models/small-o2p.ts":11:22
        return loss=%5
      }
      "
    `);
  });
});

const SMALL = `graph "g" {
  %0 = input {name="X"} : f64[2,2] spd
  %1 = logm %0 : f64[2,2] symmetric
  %2 = sum %1 {axis=null, keepdims=false} : f64[]
  return loss=%2
}
`;

describe("parse", () => {
  it("reads its own sample", () => {
    expect(print(parse(SMALL))).toBe(SMALL);
  });

  it("accepts comments and blank lines anywhere a line can be", () => {
    const commented = `# a leading comment

graph "g" {   # after the header
  # a whole-line comment

  %0 = input {name="X"} : f64[2,2] spd   # trailing
  %1 = logm %0 : f64[2,2] symmetric

  %2 = sum %1 {axis=null, keepdims=false} : f64[]
  # before return
  return loss=%2   # after return

}
# the end
`;
    expect(print(parse(commented))).toBe(SMALL);
  });

  it("keeps source locations and quoted names", () => {
    const text = `graph "a \\"quoted\\" name" {
  %0 = input {name="x y"} : f32[B,3] @"dir with space/m.ts":12:7
  %1 = exp %0 : f32[B,3] @"m.ts":13:1
  return "out put"=%1, plain=%0
}
`;
    const g = parse(text);
    expect(g.name).toBe('a "quoted" name');
    expect(g.nodes[0].loc).toEqual({ file: "dir with space/m.ts", line: 12, col: 7 });
    expect(g.outputs.map((o) => o.name)).toEqual(["out put", "plain"]);
    expect(print(g)).toBe(text);
  });

  const error = (text: string) => caught(() => parse(text, "t.ir"));
  const at = (line: number, col: number): SourceLoc => ({ file: "t.ir", line, col });

  it("a written type that disagrees with the op's rule is MP3003 at the statement", () => {
    const e = error(SMALL.replace("f64[2,2] symmetric", "f64[2,2] spd"));
    expect(e.code).toBe("MP3003");
    expect(e.loc).toEqual(at(3, 3));
    expect(e.message).toContain("%1 is written as f64[2,2] spd but logm gives f64[2,2] symmetric");
    expect(error(SMALL.replace(": f64[]", ": f64[1]")).code).toBe("MP3003");
    // Two types written for one value.
    expect(error(SMALL.replace(": f64[]", ": f64[], f64[]")).loc).toEqual(at(4, 3));
  });

  it("a type rule's own error keeps its code and gets the IR line:col", () => {
    const e = error(SMALL.replace("%1 = logm %0", "%1 = logm %0").replace('input {name="X"} : f64[2,2] spd', 'input {name="X"} : f64[2,2]'));
    expect(e.code).toBe("MP2002"); // logm of a general matrix
    expect(e.loc).toEqual(at(3, 3));
  });

  it("an undefined value is MP3003 at its use", () => {
    const e = error(SMALL.replace("logm %0", "logm %7"));
    expect(e.code).toBe("MP3003");
    expect(e.loc).toEqual(at(3, 13));
    expect(e.message).toContain("%7");
    expect(error(SMALL.replace("loss=%2", "loss=%3")).loc).toEqual(at(5, 15));
  });

  it("an unknown op is MP3002 at the op name", () => {
    const e = error(SMALL.replace("logm %0", "logmm %0"));
    expect(e.code).toBe("MP3002");
    expect(e.loc).toEqual(at(3, 8));
  });

  it("syntax errors are MP3001 with line:col", () => {
    const missingColon = error(SMALL.replace("logm %0 : f64", "logm %0 f64"));
    expect(missingColon.code).toBe("MP3001");
    expect(missingColon.loc).toEqual(at(3, 16));
    const badChar = error(SMALL.replace("logm %0", "logm $0"));
    expect(badChar.code).toBe("MP3001");
    expect(badChar.loc).toEqual(at(3, 13));
    const badDtype = error(SMALL.replace("f64[]", "f16[]"));
    expect([badDtype.code, badDtype.loc]).toEqual(["MP3001", at(4, 45)]);
    const twice = error(SMALL.replace("%2 = sum %1", "%1 = sum %1"));
    expect([twice.code, twice.loc]).toEqual(["MP3001", at(4, 3)]);
    const unclosed = error(SMALL.replace(/}\n$/, ""));
    expect(unclosed.code).toBe("MP3001");
    expect(unclosed.loc?.line).toBe(6);
  });
});

// ---- property: random small elementwise / matmul graphs round-trip -------------------------------

const SHAPES: readonly Shape[] = [[], [1], [3], [2, 2], [2, 3], [3, 2], [3, 3], [2, 3, 3], ["B", 3], [3, "B"], ["B", 3, 3], [1, 3]];
const UNARY = ["neg", "exp", "log", "sqrt", "abs", "pow", "tanh", "sigmoid", "transpose", "sum", "mean"] as const;
const BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "matmul"] as const;

const inputArb = fc.record({
  shape: fc.constantFrom(...SHAPES),
  dtype: fc.constantFrom<DType>("f32", "f64"),
  structure: fc.constantFrom<Structure>("general", "symmetric", "spd", "diagonal"),
});
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom(...UNARY), a: fc.nat(), p: fc.double({ noNaN: true, noDefaultInfinity: true }), axis: fc.option(fc.integer({ min: -3, max: 2 })), keep: fc.boolean() }),
  fc.record({ kind: fc.constant("binary" as const), op: fc.constantFrom(...BINARY), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("constant" as const), value: fc.double({ noNaN: true, noDefaultInfinity: true }), op: fc.constantFrom(...BINARY), a: fc.nat(), left: fc.boolean() }),
);
const locArb = fc.option(fc.record({ file: fc.string({ unit: "binary" }), line: fc.nat(), col: fc.nat() }), { nil: undefined });

const graphArb = fc.record({
  name: fc.string({ unit: "binary" }),
  names: fc.uniqueArray(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 3 }),
  inputs: fc.array(inputArb, { minLength: 3, maxLength: 3 }),
  steps: fc.array(fc.tuple(stepArb, locArb), { maxLength: 12 }),
  outs: fc.uniqueArray(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 3 }),
  picks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
});

type Spec = typeof graphArb extends fc.Arbitrary<infer T> ? T : never;

/** Build the graph a spec describes, skipping steps the type rules reject. */
function build(spec: Spec): Graph {
  const g = new Graph(spec.name);
  const values: Value[] = [];
  spec.names.forEach((name, i) => {
    const { shape, dtype, structure } = spec.inputs[i];
    const square = shape.length >= 2 && shape[shape.length - 1] === shape[shape.length - 2];
    values.push(g.apply(i % 2 ? "param" : "input", [], { name, ...(i % 2 ? { init: "normal" } : {}), shape: [...shape], dtype, structure: square ? structure : "general" }));
  });
  const pick = (k: number) => values[k % values.length];
  for (const [s, loc] of spec.steps) {
    try {
      if (s.kind === "unary") {
        const attrs: Attrs = s.op === "pow" ? { p: s.p } : s.op === "sum" || s.op === "mean" ? { axis: s.axis === null ? null : [s.axis], keepdims: s.keep } : {};
        values.push(g.apply(s.op, [pick(s.a)], attrs, loc));
      } else if (s.kind === "binary") {
        values.push(g.apply(s.op, [pick(s.a), pick(s.b)], {}, loc));
      } else {
        const x = pick(s.a);
        const c = g.apply("constant", [], { value: s.value, dtype: x.type.dtype }, loc);
        values.push(g.apply(s.op, s.left ? [c, x] : [x, c], {}, loc));
      }
    } catch (e) {
      if (!(e instanceof MatpropError)) throw e;
    }
  }
  spec.outs.forEach((name, i) => g.setOutput(name, values[values.length - 1 - (spec.picks[i] % Math.min(values.length, 3))] ?? values[0]));
  return g;
}

describe("round trip of random graphs (fast-check)", () => {
  it("print(parse(print(g))) === print(g), and the parsed graph verifies", () => {
    fc.assert(
      fc.property(graphArb, (spec) => {
        let g: Graph;
        try {
          g = build(spec);
        } catch (e) {
          // Two outputs picking the same value is fine; a repeated output name cannot happen (unique).
          if (e instanceof MatpropError) return;
          throw e;
        }
        expectRoundTrip(g);
      }),
      { numRuns: 300 },
    );
  });
});
