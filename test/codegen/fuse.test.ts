/**
 * The fusion pass on its own: which nodes form one kernel, and which values each kernel reads and
 * writes — including the buffers an epilogue, a fused producer or an inlined product loads, which
 * are the dependencies the scheduler must see.
 */
import { describe, expect, it } from "vitest";
import { linalg, model, nn, ops } from "../../index.js";
import { fuseGraph, MAX_KERNEL_BUFFERS, type FusedKernel } from "../../codegen/fuse.js";
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

  it("the same product at F [12, 3] (beyond one tile) gets a kernel of its own, and the reduction reads its buffer", () => {
    const g = selfProduct(12).build();
    const { kernels } = fuseGraph(g, new Map());
    const [product, sum] = kernels;
    expect(product.root.op).toBe("matmul");
    expect([...product.reads]).toEqual([idOf(g, "F")]);
    expect([...sum.reads].sort()).toEqual([...product.writes, idOf(g, "P")].sort());
  });

  it("reads through fused producers: exp(X)·W loads X, and the kernel lists exp among its nodes", () => {
    const g = model("prologue", ({ input }) => ({ y: ops.matmul(ops.exp(input("X", [16, 16])), input("W", [16, 16])) })).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels).toHaveLength(1);
    expect(ops_(kernels[0])).toEqual(["exp", "matmul"]);
    expect([...kernels[0].reads].sort()).toEqual([idOf(g, "X"), idOf(g, "W")].sort());
  });

  it("a value used many times is computed once when some consumer needs a buffer: relu(conv) feeds a pool", () => {
    const g = model("conv", ({ input }) => {
      const h = nn.relu(nn.conv2d(input("x", [1, 2, 6, 6]), input("w", [3, 2, 3, 3])));
      return { y: nn.maxPool2d(h, 2), z: ops.sum(ops.mul(h, h)) };
    }).build();
    const { kernels, materialised } = fuseGraph(g, new Map());
    const relu = kernels.find((k) => k.kind === "map")!;
    expect(relu.root.op).toBe("maximum");
    expect(materialised.has(relu.writes[0])).toBe(true);
    for (const k of kernels.filter((k) => k.root.op === "maxPool2d" || k.root.op === "sum")) expect([...k.reads]).toEqual(relu.writes);
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
