/**
 * The fusion pass on its own: which nodes form one kernel, and which values each kernel reads and
 * writes — including the buffers an epilogue, a fused producer or an inlined product loads, which
 * are the dependencies the scheduler must see.
 */
import { describe, expect, it } from "vitest";
import { linalg, model, nn, ops } from "../../index.js";
import { fuseGraph, MAX_KERNEL_BUFFERS, type FusedKernel } from "../../codegen/fuse.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import type { Graph } from "../../ir/graph.js";
import { manyInputs, selfProduct, twoProducts } from "../models/lowering.js";

const idOf = (g: Graph, name: string) => g.sources().find((n) => n.attrs.name === name)!.outputs[0].id;
const ops_ = (k: FusedKernel) => k.nodes.map((n) => n.op).sort();

describe("fusion", () => {
  it("y = X·W + A·B at 16×16: the + rides on X·W as its epilogue, which reads A·B's buffer", () => {
    const g = twoProducts(16).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels).toHaveLength(3);
    const [xw, ab] = kernels;
    expect(xw.epilogue?.consumer.op).toBe("add");
    expect(ops_(xw)).toEqual(["add", "matmul"]);
    expect(xw.writes).toEqual([g.outputs.find((o) => o.name === "y")!.value.id]);
    expect([...xw.reads].sort()).toEqual([idOf(g, "X"), idOf(g, "W"), ...ab.writes].sort());
    expect([...ab.reads].sort()).toEqual([idOf(g, "A"), idOf(g, "B")].sort());
  });

  it("an inlined small product's operands are reads of its consumer: sum(F·Fᵀ ∘ P) with F [6, 3] is one kernel reading F and P", () => {
    const g = selfProduct(6).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels).toHaveLength(1);
    expect(ops_(kernels[0])).toEqual(["matmul", "mul", "sum", "transpose"]);
    expect([...kernels[0].reads].sort()).toEqual([idOf(g, "F"), idOf(g, "P")].sort());
  });

  it("the same product at F [12, 3] (beyond one tile) is still computed inside the loss: the reduction reads each entry once, and the inner dim is short", () => {
    const g = selfProduct(12).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels).toHaveLength(1);
    expect([...kernels[0].reads].sort()).toEqual([idOf(g, "F"), idOf(g, "P")].sort());
  });

  it("a product with a long inner dim (F [12, 9]) gets a kernel of its own, and the reduction reads its buffer", () => {
    const g = model("long-inner", ({ input }) => {
      const F = input("F", [12, 9]);
      return { loss: ops.sum(ops.mul(ops.matmul(F, ops.transpose(F)), input("P", [12, 12]))) };
    }).build();
    const { kernels } = fuseGraph(g, new Map());
    const [product, sum] = kernels;
    expect(product.root.op).toBe("matmul");
    expect([...product.reads]).toEqual([idOf(g, "F")]);
    expect([...sum.reads].sort()).toEqual([...product.writes, idOf(g, "P")].sort());
  });

  it("a product read by a matmul stays a kernel of its own beyond one tile, whatever its inner dim", () => {
    const g = model("product-of-product", ({ input }) => {
      const F = input("F", [12, 3]);
      return { y: ops.matmul(ops.matmul(F, ops.transpose(F)), input("G", [12, 5])) };
    }).build();
    expect(fuseGraph(g, new Map()).kernels.map((k) => k.root.op)).toEqual(["matmul", "matmul"]);
  });

  it("a sum of a sum is one reduction, and a scalar tail rides on it: ½·mean(Σ_ij X²) is one kernel", () => {
    const g = model("loss", ({ input }) => {
      const X = input("X", [3, 17, 9]);
      return { loss: ops.mul(0.5, ops.mean(ops.sum(ops.mul(X, X), { axis: [1, 2] }))) };
    }).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels).toHaveLength(1);
    expect(ops_(kernels[0])).toEqual(["mean", "mul", "mul", "sum"]);
  });

  it("reads through fused producers: exp(X)·W loads X, and the kernel lists exp among its nodes", () => {
    const g = model("prologue", ({ input }) => ({ y: ops.matmul(ops.exp(input("X", [16, 16])), input("W", [16, 16])) })).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels).toHaveLength(1);
    expect(ops_(kernels[0])).toEqual(["exp", "matmul"]);
    expect([...kernels[0].reads].sort()).toEqual([idOf(g, "X"), idOf(g, "W")].sort());
  });

  it("a value used many times is computed once when some consumer needs a buffer: relu(conv) feeds a symmetry check", () => {
    const g = model("conv", ({ input }) => {
      const h = nn.relu(nn.conv2d(input("x", [1, 2, 6, 6]), input("w", [3, 2, 3, 3])));
      return { y: ops.assume(h, "symmetric"), z: ops.sum(ops.mul(h, h)) };
    }).build();
    const { kernels, materialised } = fuseGraph(g, new Map());
    // The ReLU is the conv's epilogue: the conv kernel writes relu(conv) once, both consumers read it.
    const relu = kernels.find((k) => k.root.op === "conv2d")!;
    expect(relu.epilogue?.consumer.op).toBe("maximum");
    expect(kernels.filter((k) => k.kind === "map")).toEqual([]);
    expect(materialised.has(relu.writes[0])).toBe(true);
    for (const k of kernels.filter((k) => k.root.op === "assume" || k.root.op === "sum")) expect([...k.reads]).toEqual(relu.writes);
  });

  it("conv and pool take fused operands: maxPool(relu(conv(x) + b)) reads the conv's output and b, no ReLU kernel", () => {
    const g = model("conv-pool", ({ input }) => {
      const h = nn.relu(nn.conv2d(input("x", [1, 2, 6, 6]), input("w", [3, 2, 3, 3]), { bias: input("b", [3]) }));
      return { y: nn.maxPool2d(h, 2) };
    }).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels.map((k) => k.root.op)).toEqual(["conv2d", "maxPool2d"]);
    expect(ops_(kernels[1])).toEqual(["add", "maxPool2d", "maximum", "reshape"]);
  });

  it("a kernel absorbs a sibling: the cross-entropy writes the softmax of its logits, a conv's weight gradient its bias gradient", () => {
    const g = model("absorb", ({ input, param }) => {
      const x = input("x", [2, 1, 6, 6]);
      const w = param("w", [3, 1, 3, 3]);
      const b = param("b", [3]);
      const h = nn.relu(nn.conv2d(x, w, { bias: b }));
      const logits = ops.reshape(ops.sum(h, { axis: [2, 3] }), [2, 3]);
      return { loss: nn.softmaxCrossEntropy(logits, input("y", [2], { dtype: "i32" })) };
    }).build();
    const { kernels } = fuseGraph(differentiate(g, { wrt: "params" }).graph, new Map());
    const ce = kernels.find((k) => k.root.op === "softmaxCrossEntropy")!;
    expect(ce.absorbed.map((n) => n.op)).toEqual(["softmax"]);
    expect(kernels.filter((k) => k.root.op === "softmax")).toEqual([]);
    const dw = kernels.find((k) => k.root.op === "conv2dGradWeight")!;
    expect(dw.absorbed.map((n) => n.op)).toEqual(["sum"]);
    expect(dw.writes).toHaveLength(2);
  });

  it("a decomposition writes every output; its consumers read them", () => {
    const g = model("svd", ({ input }) => {
      const [U, , Vh] = linalg.svd(input("A", [9, 4]));
      return { y: ops.matmul(U, Vh) };
    }).build();
    const { kernels } = fuseGraph(g, new Map());
    const [svd, product] = kernels;
    expect(svd.writes).toHaveLength(3);
    expect([...product.reads].sort()).toEqual([svd.writes[0], svd.writes[2]].sort());
  });

  it("splits a fused expression that would bind more buffers than a kernel may: Σ over a chain of 13 inputs", () => {
    const g = manyInputs(13).build();
    const { kernels } = fuseGraph(g, new Map());
    for (const k of kernels) expect(k.reads.size + k.writes.length).toBeLessThanOrEqual(MAX_KERNEL_BUFFERS);
    expect(kernels.length).toBe(3);
    const reads = new Set(kernels.flatMap((k) => [...k.reads]));
    for (const n of g.sources()) expect(reads.has(n.outputs[0].id)).toBe(true);
  });

  it("fuse: false gives every node its own kernel and no epilogues", () => {
    const g = model("two-products", ({ input }) => {
      const [X, W, A, B] = ["X", "W", "A", "B"].map((n) => input(n, [16, 16]));
      return { y: ops.mul(ops.add(ops.matmul(X, W), ops.matmul(A, B)), 2) };
    }).build();
    const { kernels } = fuseGraph(g, new Map(), { fuse: false });
    expect(kernels.map((k) => k.root.op)).toEqual(["matmul", "matmul", "add", "mul"]);
    expect(kernels.every((k) => !k.epilogue && k.nodes.length === 1)).toBe(true);
  });
});
