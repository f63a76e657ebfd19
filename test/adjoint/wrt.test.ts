/**
 * Differentiating only what is asked for: `wrt` picks the sources that get a gradient, the backward
 * of paths that reach none of them is never built, and the gradients that are built equal the full
 * differentiation's.
 */
import { describe, expect, it } from "vitest";
import { model, nn, ops, type Tensor } from "../../index.js";
import { gradSources } from "../../compiler/passes/adjoint.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray } from "../../numeric/ndarray.js";
import { o2p } from "../models/adjoint/o2p.js";

// A conv trunk on an image input: the gradient of the image is the one the training step never needs.
const convNet = model("conv-net", ({ input, param }) => {
  const x = input("x", [2, 1, 6, 6], { dtype: "f64" });
  const w = param("w", [3, 1, 3, 3], { dtype: "f64", init: "he" });
  const V = param("V", [3, 4], { dtype: "f64", init: "normal" });
  const y = input("y", [2], { dtype: "i32" });
  const h = nn.relu(nn.conv2d(x, w, { stride: 2, padding: 1 }));
  const logits = ops.matmul(ops.sum(h, { axis: [2, 3] }), V);
  return { loss: nn.softmaxCrossEntropy(logits as Tensor<[2, 4]>, y) };
});

const names = (g: { outputs: readonly { name: string }[] }) => g.outputs.map((o) => o.name);
const ops_ = (g: { nodes: readonly { op: string }[] }) => g.nodes.map((n) => n.op);

describe("differentiate({ wrt })", () => {
  it("'all' (the default) differentiates every float input and param; 'params' only the params", () => {
    const g = convNet.build();
    expect(names(differentiate(g).graph)).toEqual(["loss", "grad.x", "grad.w", "grad.V"]);
    expect(names(differentiate(g, { wrt: "params" }).graph)).toEqual(["loss", "grad.w", "grad.V"]);
    expect(names(differentiate(g, { wrt: ["V"] }).graph)).toEqual(["loss", "grad.V"]);
  });

  it("builds no backward for paths that reach no differentiated source (no conv grad-input for the image)", () => {
    const g = convNet.build();
    expect(ops_(differentiate(g).graph)).toContain("conv2dGradInput");
    const params = differentiate(g, { wrt: "params" }).graph;
    expect(ops_(params)).not.toContain("conv2dGradInput");
    expect(ops_(params)).toContain("conv2dGradWeight");
    // Only V: nothing of the conv's backward at all.
    const onlyV = differentiate(g, { wrt: ["V"] }).graph;
    expect(ops_(onlyV).filter((op) => op.startsWith("conv2dGrad"))).toEqual([]);
  });

  it("the gradients it builds equal the full differentiation's, bitwise", () => {
    const g = convNet.build();
    const feeds = new Map([
      ["x", ndarray([2, 1, 6, 6], Array.from({ length: 72 }, (_, i) => Math.sin(i * 0.7)))],
      ["y", ndarray([2], [1, 3])],
    ]);
    const full = executeCPU(differentiate(g).graph, feeds, { seed: 3 }).outputs;
    const some = executeCPU(differentiate(g, { wrt: "params" }).graph, feeds, { seed: 3 }).outputs;
    for (const k of ["loss", "grad.w", "grad.V"]) expect([...some.get(k)!.data]).toEqual([...full.get(k)!.data]);
    const logmFull = executeCPU(differentiate(o2p.build()).graph, new Map([["F", ndarray([6, 3], Array.from({ length: 18 }, (_, i) => Math.cos(i)))]]), { seed: 1 }).outputs;
    const logmW = executeCPU(differentiate(o2p.build(), { wrt: ["W"] }).graph, new Map([["F", ndarray([6, 3], Array.from({ length: 18 }, (_, i) => Math.cos(i)))]]), { seed: 1 }).outputs;
    expect([...logmW.get("grad.W")!.data]).toEqual([...logmFull.get("grad.W")!.data]);
  });

  it("refuses names that are not float inputs or params (MP2011)", () => {
    const g = convNet.build();
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return `${(e as { code?: string }).code}: ${(e as Error).message}`;
      }
      return "no error";
    };
    expect(code(() => gradSources(g, ["nope"]))).toMatch(/^MP2011: .*'nope': the model has no input or param of that name/);
    expect(code(() => gradSources(g, ["y"]))).toMatch(/^MP2011: .*'y': it is i32, not a float/);
    expect(gradSources(g, []).length).toBe(0);
  });
});
