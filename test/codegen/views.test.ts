/**
 * Views: a reshape of a value held in a buffer is that buffer. The lowering dispatches no copy for
 * it (as an output, or for a consumer that needs a buffer), the plan keeps the viewed value alive
 * as long as the view is used, and the program check still proves the right value is there — a
 * view is held exactly where the value it views is held, and only inside it.
 */
import { describe, expect, it } from "vitest";
import { model, ops } from "../../index.js";
import { lowerGraph } from "../../codegen/lower.js";
import { verifyLowered } from "../../codegen/verify.js";
import type { Value } from "../../ir/graph.js";
import type { Program } from "../../codegen/program.js";
import { checkProgram, ProgramCheckError } from "../../codegen/verify-program.js";

function refusal(p: Program): string {
  try {
    checkProgram(p);
  } catch (e) {
    if (e instanceof ProgramCheckError) return e.message;
    throw e;
  }
  throw new Error("the verifier accepted a broken program");
}

// y = reshape(Σ_rows X·W) and z = reshape(X·W) with X·W [16, 16] (a kernel of its own): both
// outputs are views of kernel outputs.
const reshapes = model("reshapes", ({ input }) => {
  const X = input("X", [16, 6]);
  const W = input("W", [6, 16]);
  const P = ops.matmul(X, W);
  return { y: ops.reshape(ops.sum(P, { axis: 0, keepdims: true }), [16]), z: ops.reshape(P, [8, 32]) };
});

describe("views", () => {
  const g = reshapes.build();
  const p = lowerGraph(g, new Map()).program;
  const slot = (name: string) => p.outputs.find((s) => s.name === name)!;

  it("an output that is a reshape of a kernel's output is read back from that kernel's buffer: no copy kernel", () => {
    expect(p.steps.map((s) => s.kernel.name)).toEqual(["matmul", "sum"]);
    expect(p.views).toHaveLength(2);
    const [product, sum] = p.steps;
    const out = (s: (typeof p.steps)[number]) => s.buffers[s.kernel.bindings.findIndex((b) => b.access === "read_write")];
    expect(slot("z").buffer).toBe(out(product));
    expect(slot("y").buffer).toBe(out(sum));
    expect(() => checkProgram(p)).not.toThrow();
  });

  it("keeps the viewed value's buffer to the end when the view is an output (no later step reuses it)", () => {
    const z = slot("z");
    const later = p.steps.slice(1).flatMap((s) => s.buffers.filter((_, j) => s.kernel.bindings[j].access === "read_write"));
    expect(later).not.toContain(z.buffer);
  });

  it("a consumer that needs a buffer binds a view of its operand: the symmetry check of a reshaped input", () => {
    const m = model("assume-of-reshape", ({ input }) => {
      const x = input("x", [2, 36]);
      return { y: ops.assume(ops.reshape(x, [2, 6, 6]), "symmetric") };
    });
    const q = lowerGraph(m.build(), new Map()).program;
    expect(q.steps.map((s) => s.kernel.name)).toEqual([expect.stringMatching(/^assume/)]);
    expect(q.steps[0].buffers[0]).toBe(q.inputs.find((s) => s.name === "x")!.buffer);
    expect(q.views?.map((v) => v.of)).toEqual([q.inputs.find((s) => s.name === "x")!.value]);
  });

  it("refuses a view that is written, read where its value is not held, or read back at the wrong offset", () => {
    const [product, sum] = p.steps;
    const z = slot("z");
    // The product kernel writes the view instead of the value it views.
    const outAt = product.kernel.bindings.findIndex((b) => b.access === "read_write");
    const writesView = { ...p, steps: [{ ...product, values: product.values.map((v, j) => (j === outAt ? z.value : v)) }, sum] };
    expect(refusal(writesView)).toMatch(new RegExp(`writes %${z.value} through 'out0', but %${z.value} is a view of %\\d+: views are never written`));
    // The output view read back from a buffer that holds another value.
    const y = slot("y");
    expect(refusal({ ...p, outputs: p.outputs.map((s) => (s.name === "z" ? { ...s, buffer: y.buffer } : s)) })).toMatch(/output 'z' \(%\d+, a view of %\d+\) is read back from buffer \d+, which at the end holds %\d+/);
    expect(refusal({ ...p, outputs: p.outputs.map((s) => (s.name === "z" ? { ...s, offset: 4 } : s)) })).toMatch(/output 'z' .* is read back from offset 4 .* but it starts at offset 0/);
    // A view that reaches past the value it views.
    const past = { ...p, views: p.views!.map((v) => (v.value === z.value ? { ...v, offset: 1 } : v)), outputs: p.outputs.map((s) => (s.name === "z" ? { ...s, offset: 1 } : s)) };
    expect(refusal(past)).toMatch(/output 'z' \(%\d+, 256 elements at offset 1\) lies outside %\d+/);
    // Cycles and duplicates.
    expect(refusal({ ...p, views: [...p.views!, { value: p.views![0].of, of: p.views![0].value, offset: 0 }] })).toMatch(/is a view of itself/);
  });

  it("the lowering's verifier checks each view against the graph: it must be a reshape of the value it views", () => {
    const shape = (v: Value) => v.type.shape as number[];
    expect(() => verifyLowered(g, shape, p)).not.toThrow();
    // The same program against a graph whose z is Pᵀ (same ids, same shapes): the buffer walk
    // passes, the graph says the view holds other numbers.
    const square = (z: "reshape" | "transpose") =>
      model("reshapes", ({ input }) => {
        const X = input("X", [16, 6]);
        const P = ops.matmul(X, input("W", [6, 16]));
        return { y: ops.reshape(ops.sum(P, { axis: 0, keepdims: true }), [16]), z: z === "reshape" ? ops.reshape(P, [16, 16]) : ops.transpose(P) };
      }).build();
    const q = lowerGraph(square("reshape"), new Map()).program;
    expect(() => verifyLowered(square("transpose"), shape, q)).toThrow(/is declared a view of %\d+ at offset 0, but it is not a reshape of it/);
  });
});
