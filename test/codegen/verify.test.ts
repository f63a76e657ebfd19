/**
 * The program verifier fed broken programs: each class of lowering bug it exists for — steps in
 * the wrong order, a buffer reused while its value is still needed, an access mode that disagrees
 * with the WGSL, a dispatch too short for its output, a buffer too small for its value, an output
 * overwritten before it is read back, a kernel reading and writing one buffer — is made by editing
 * a real lowered program, and each must be refused, naming the step, its kernel and its IR nodes.
 */
import { describe, expect, it } from "vitest";
import { linalg, model } from "../../index.js";
import { lowerGraph } from "../../codegen/lower.js";
import { verifyLowered } from "../../codegen/verify.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { MatpropError } from "../../ir/diagnostics.js";
import type { Graph, Value } from "../../ir/graph.js";
import type { Program, Step } from "../../codegen/program.js";
import { checkProgram, groupZeroDeclarations, ProgramCheckError } from "../../codegen/verify-program.js";
import { procrustes as procrustesOf, twoProducts as twoProductsAt } from "../models/lowering.js";

const twoProducts = twoProductsAt(16);
const solveModel = model("solve", ({ input }) => ({ x: linalg.solve(input("A", [3, 3]), input("B", [3, 2])) }));
const procrustes = procrustesOf(9, 4);

function lowered(g: Graph): Program {
  return lowerGraph(g, new Map()).program;
}

function refusal(p: Program): ProgramCheckError {
  try {
    checkProgram(p);
  } catch (e) {
    if (e instanceof ProgramCheckError) return e;
    throw e;
  }
  throw new Error("the verifier accepted a broken program");
}

const writes = (s: Step) => s.values.filter((_, j) => s.kernel.bindings[j].access === "read_write");
const setStep = (p: Program, i: number, s: Step): Program => ({ ...p, steps: p.steps.map((x, k) => (k === i ? s : x)) });

describe("the program verifier", () => {
  const epi = lowered(twoProducts.build());
  const [product, fused, ...rest] = epi.steps;

  it("accepts what the lowering produces, where the epilogue kernel runs after the product it reads", () => {
    expect(() => checkProgram(epi)).not.toThrow();
    expect(epi.steps).toHaveLength(3);
    expect(fused.nodes.map((n) => n.op).sort()).toEqual(["add", "matmul"]);
    expect(fused.values).toContain(writes(product)[0]);
  });

  it("refuses steps swapped: the epilogue reads the product before anything wrote it (issue 9 repro 1)", () => {
    const e = refusal({ ...epi, steps: [fused, product, ...rest] });
    expect(e.step).toBe(0);
    expect(e.message).toMatch(/step 0 \(kernel 'matmul(_\d)?'.*add at .*lowering\.ts.*\) reads %\d+ through 'in\d' from buffer \d+, which (nothing has written yet|holds %\d+ \(an input\))/);
  });

  it("refuses a live buffer reused: the product written over an input the epilogue still reads", () => {
    const x = epi.inputs.find((s) => s.name === "X")!.buffer;
    const out = product.kernel.bindings.findIndex((b) => b.access === "read_write");
    const e = refusal(setStep(epi, 0, { ...product, buffers: product.buffers.map((b, j) => (j === out ? x : b)) }));
    expect(e.step).toBe(1);
    expect(e.message).toMatch(new RegExp(`reads %${epi.inputs.find((s) => s.name === "X")!.value} .* which holds %${writes(product)[0]} \\(written by step 0 \\(kernel 'matmul(_\\d)?'`));
  });

  it("refuses a reuse that clobbers a value still needed later (issue 9 repro 3: the stale value is not a read before write)", () => {
    const p = lowered(differentiate(procrustes.build()).graph);
    expect(() => checkProgram(p)).not.toThrow();
    // Find a value written at step i and read at a later step k > i + 1, and let the step in
    // between write its output into that buffer.
    let broken: Program | undefined;
    for (let i = 0; i < p.steps.length && !broken; i++) {
      for (const v of writes(p.steps[i])) {
        const k = p.steps.findIndex((s, at) => at > i + 1 && s.values.some((x, j) => x === v && s.kernel.bindings[j].access === "read"));
        if (k < 0) continue;
        const mid = p.steps[i + 1];
        const out = mid.kernel.bindings.findIndex((b, j) => b.access === "read_write" && mid.kernel.bindings[j].elements * 4 <= p.buffers[p.steps[i].buffers[p.steps[i].values.indexOf(v)]].bytes);
        if (out < 0 || mid.values.some((x, j) => x === v && mid.kernel.bindings[j].access === "read")) continue;
        const buffer = p.steps[i].buffers[p.steps[i].values.indexOf(v)];
        broken = setStep(p, i + 1, { ...mid, buffers: mid.buffers.map((b, j) => (j === out ? buffer : b)) });
      }
    }
    expect(broken, "the training step has a value that lives across a step").toBeDefined();
    expect(refusal(broken!).message).toMatch(/reads %-?\d+ .* which holds %-?\d+ \(written by step \d+/);
  });

  it("refuses an access mode that disagrees with the WGSL, and a kernel that would write its input", () => {
    const k = product.kernel;
    const flipped = { ...k, bindings: k.bindings.map((b, j) => (j === 0 ? { ...b, access: "read_write" as const } : b)) };
    expect(refusal(setStep(epi, 0, { ...product, kernel: flipped })).message).toMatch(/binding 'in0' is declared read in its WGSL but read_write in the kernel's bindings/);
    const both = { ...flipped, wgsl: k.wgsl.replace("var<storage, read> in0", "var<storage, read_write> in0") };
    expect(refusal(setStep(epi, 0, { ...product, kernel: both })).message).toMatch(/writes %\d+, an input, through 'in0'/);
    const renamed = { ...k, wgsl: k.wgsl.replace("read> in1:", "read> other:") };
    expect(refusal(setStep(epi, 0, { ...product, kernel: renamed })).message).toMatch(/@binding\(1\) is 'other' in its WGSL but 'in1'/);
  });

  it("refuses a short dispatch: a 16×16 product needs four 8×8 tiles", () => {
    const short = { ...product.kernel, dispatch: [3, 1, 1] as [number, number, number] };
    expect(refusal(setStep(epi, 0, { ...product, kernel: short })).message).toMatch(/dispatches 3 workgroups \(\[3, 1, 1\]\) but its output 'out0' \(%\d+\) needs 4/);
  });

  it("refuses a shrunk buffer, and a value bound with two sizes", () => {
    const b = product.buffers[product.kernel.bindings.length - 1];
    const shrunk = { ...epi, buffers: epi.buffers.map((x) => (x.id === b ? { ...x, bytes: x.bytes - 4 } : x)) };
    expect(refusal(shrunk).message).toMatch(/puts %\d+ \(256 elements, 1024 bytes\) in buffer \d+, which has only 1020 bytes/);
    const k = fused.kernel;
    const resized = { ...k, bindings: k.bindings.map((x, j) => (j === 0 ? { ...x, elements: 128 } : x)) };
    expect(refusal(setStep(epi, 1, { ...fused, kernel: resized })).message).toMatch(/binds %\d+ with 128 elements, elsewhere it has 256/);
  });

  it("refuses an output clobbered: the output's buffer holds another value at the end", () => {
    const y = epi.outputs[0];
    const other = product.buffers[product.kernel.bindings.length - 1];
    expect(refusal({ ...epi, outputs: [{ ...y, buffer: other }] }).message).toMatch(/output 'y' \(%\d+\) is read back from buffer \d+, which at the end holds %\d+ \(written by step 0/);
    // A later step writes something else into the output's buffer.
    const writtenBuffers = new Set(epi.steps.flatMap((s) => s.buffers.filter((_, j) => s.kernel.bindings[j].access === "read_write")));
    const [x, w] = epi.inputs.filter((s) => !writtenBuffers.has(s.buffer));
    const late = { ...product, buffers: [x.buffer, w.buffer, y.buffer], values: [x.value, w.value, -99] };
    expect(refusal({ ...epi, steps: [...epi.steps, late] }).message).toMatch(/output 'y' \(%\d+\) is read back from buffer \d+, which at the end holds %-99 \(written by step 3/);
  });

  it("refuses a value written twice", () => {
    const twice = { ...epi, buffers: [...epi.buffers, { id: epi.buffers.length, bytes: 1024 }] };
    const again = { ...product, buffers: product.buffers.map((b, j) => (j === product.buffers.length - 1 ? epi.buffers.length : b)) };
    expect(refusal({ ...twice, steps: [product, again, fused, ...rest] }).message).toMatch(/step 1 .* writes %\d+ through 'out0', but an earlier step already wrote it/);
  });

  it("refuses a step that reads and writes the same buffer", () => {
    const w = product.buffers[0];
    const alias = { ...product, buffers: product.buffers.map((b, j) => (j === product.buffers.length - 1 ? w : b)) };
    expect(refusal(setStep(epi, 0, alias)).message).toMatch(/binds buffer \d+ to both 'in0' and 'out0' with one of them writable/);
  });

  it("refuses a written value whose coverage is missing", () => {
    const k = { ...product.kernel, covers: [] };
    expect(refusal(setStep(epi, 0, { ...product, kernel: k })).message).toMatch(/writes %\d+ through 'out0' without declaring that its dispatch covers it/);
  });

  describe("the status binding (device-side failure reports)", () => {
    const solve = lowered(solveModel.build());
    const at = solve.steps.findIndex((s) => s.checks?.length);
    const step = solve.steps[at];

    it("accepts a kernel with checks that declares the status buffer at @group(1) and sites for each word", () => {
      expect(at).toBeGreaterThanOrEqual(0);
      expect(step.checks!.map((c) => c.word)).toEqual(step.kernel.checks!.map((_, w) => w));
      expect(() => checkProgram(solve)).not.toThrow();
    });
    it("refuses check sites for a kernel that declares no status buffer", () => {
      const plain = { ...step, kernel: { ...step.kernel, checks: undefined, wgsl: step.kernel.wgsl.replace(/@group\(1\)[^\n]*\n/, "") } };
      expect(refusal(setStep(solve, at, plain)).message).toMatch(/does not declare the status buffer alone at @group\(1\) @binding\(0\)/);
    });
    it("refuses a status buffer with no check sites in the step (the runtime would not bind it)", () => {
      expect(refusal(setStep(solve, at, { ...step, checks: [] })).message).toMatch(/declares @group\(1\) @binding\(0\), but its step has no check sites/);
    });
    it("refuses sites that do not match the kernel's status words", () => {
      expect(refusal(setStep(solve, at, { ...step, checks: [...step.checks!, { ...step.checks![0], word: 1 }] })).message).toMatch(/reports 1 status words, its step has 2 check sites/);
      const bundled = { ...step, kernel: { ...step.kernel, checks: undefined }, checks: [{ ...step.checks![0], word: 3 }] };
      expect(refusal(setStep(solve, at, bundled)).message).toMatch(/has check site 0 for status word 3/);
    });
  });

  it("reads WGSL declarations in either attribute order and ignores other groups (a status buffer)", () => {
    const d = groupZeroDeclarations("@binding(1) @group(0) var<storage, read_write> y: array<f32>;\n@group(0) @binding(0) var<storage> x: array<f32>;\n@group(1) @binding(0) var<storage, read_write> status: array<u32>;");
    expect(d).toEqual(new Map([[1, { access: "read_write", name: "y" }], [0, { access: "read", name: "x" }]]));
    expect(groupZeroDeclarations("@group(0) @binding(0) var<uniform> u: vec4f;")).toMatch(/not a storage buffer/);
  });
});

describe("the verifier at the end of every lowering", () => {
  it("turns a refusal into MP9002 naming the kernel, its IR nodes, and the source line", () => {
    const g = twoProducts.build();
    const p = lowered(g);
    const shape = (v: Value) => v.type.shape as number[];
    let err: unknown;
    try {
      verifyLowered(g, shape, { ...p, steps: [p.steps[1], p.steps[0], ...p.steps.slice(2)] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MatpropError);
    const m = err as MatpropError;
    expect(m.code).toBe("MP9002");
    expect(m.message).toMatch(/'two-products-16' failed verification \(a compiler bug.*kernel 'matmul(_\d)?': matmul at .*, add at /);
    expect(m.loc?.file).toMatch(/test\/models\/lowering\.ts$/);
  });

  it("refuses a kernel binding more storage buffers than every device allows", () => {
    const g = twoProducts.build();
    const p = lowered(g);
    const [first] = p.steps;
    const k = first.kernel;
    const extra = Array.from({ length: 6 }, (_, i) => ({ name: `pad${i}`, access: "read" as const, elements: k.bindings[0].elements }));
    const wide = { ...k, bindings: [...k.bindings, ...extra], wgsl: `${k.wgsl}\n${extra.map((b, i) => `@group(0) @binding(${k.bindings.length + i}) var<storage, read> ${b.name}: array<f32>;`).join("\n")}` };
    const step = { ...first, kernel: wide, buffers: [...first.buffers, ...extra.map(() => first.buffers[0])], values: [...first.values, ...extra.map(() => first.values[0])] };
    expect(() => verifyLowered(g, (v) => v.type.shape as number[], { ...p, steps: [step, ...p.steps.slice(1)] })).toThrow(/binds 9 storage buffers; a kernel may bind 7 on every WebGPU device/);
  });

  it("checks bound values against the graph: an element count that is not the value's type", () => {
    const g = twoProducts.build();
    const p = lowered(g);
    const shape = (v: Value) => (v.type.shape as number[]).map((d) => d / 2);
    expect(() => verifyLowered(g, shape, p)).toThrow(/binds %\d+ \(f32\[8, 8\]\) to 'in0', generated for 256 elements/);
  });
});
