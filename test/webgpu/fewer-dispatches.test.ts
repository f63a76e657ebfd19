/**
 * Fusions that save dispatches, each checked twice: the lowering really dispatches fewer kernels
 * (no device needed), and WebGPU agrees with the float64 CPU executor (forward and training step)
 * across tile boundaries (8, 9, 17) and batch dims.
 */
import { describe, expect, it } from "vitest";
import { linalg, model, nn, ops } from "../../index.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { lowerGraph } from "../../codegen/lower.js";
import type { Graph } from "../../ir/graph.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { randn } from "../adjoint/cases/types.js";
import { compareBoth } from "./compare.js";
import { hasGPU } from "./gpu.js";

const TOL = 2e-4;
const kernels = (g: Graph) => lowerGraph(g, new Map()).program.steps.map((s) => s.kernel.name);
const feedsFor = (g: Graph, seed: number): Map<string, NDArray> => {
  const r = new Random(seed);
  return new Map(g.sources().map((n) => [n.attrs.name as string, randn(r, n.outputs[0].type.shape as number[])]));
};

/** y = (X·W)ᵀ ∘ S + c: the product stored transposed, with an elementwise tail at the transposed shape. */
const transposedProduct = (b: number, m: number, k: number, n: number) =>
  model(`transposed-${b}x${m}x${k}x${n}`, ({ input }) => {
    const X = input("X", [b, m, k]);
    const W = input("W", [k, n]);
    const S = input("S", [b, n, m]);
    const c = input("c", [m]);
    const y = ops.add(ops.mul(ops.transpose(ops.matmul(X, W)), S), c);
    return { y, loss: ops.sum(ops.mul(y, y)) };
  });

/** y = exp(reshape(X·W, [m·n])) · v: the product stored through a reshape with a broadcast tail. */
const reshapedProduct = (m: number, k: number, n: number) =>
  model(`reshaped-${m}x${k}x${n}`, ({ input }) => {
    const X = input("X", [m, k]);
    const W = input("W", [k, n]);
    const v = input("v", [n, m]);
    const y = ops.mul(ops.exp(ops.mul(ops.reshape(ops.matmul(X, W), [n, m]), 0.1)), v);
    return { y, loss: ops.sum(y) };
  });

describe("epilogues that store through transposes and reshapes", () => {
  it("(X·W)ᵀ ∘ S + c is one matmul kernel (then the loss); exp(reshape(X·W)) · v too", () => {
    expect(kernels(transposedProduct(2, 9, 5, 17).build())).toEqual(["matmul", "sum"]);
    expect(kernels(reshapedProduct(9, 4, 17).build())).toEqual(["matmul", "sum"]);
  });

  it("a tail that reads the product at other coordinates gets no epilogue: (X·W)ᵀ + X·W keeps its kernel", () => {
    const g = model("both-ways", ({ input }) => {
      const P = ops.matmul(input("X", [9, 9]), input("W", [9, 9]));
      return { y: ops.add(ops.transpose(P), P) };
    }).build();
    expect(kernels(g)).toEqual(["matmul", "map_add"]);
  });
});

describe.runIf(hasGPU)("epilogues through transposes and reshapes on WebGPU", () => {
  for (const [b, m, k, n] of [
    [1, 8, 8, 8],
    [2, 9, 5, 17],
    [3, 17, 9, 8],
  ]) {
    it(`(X·W)ᵀ ∘ S + c at [${b}, ${m}, ${k}] · [${k}, ${n}]`, async () => {
      const g = transposedProduct(b, m, k, n).build();
      await compareBoth(g, feedsFor(g, 10 + m), TOL);
    });
  }
  for (const [m, k, n] of [
    [8, 3, 8],
    [9, 4, 17],
    [17, 9, 9],
  ]) {
    it(`exp(reshape(X·W)) · v at [${m}, ${k}] · [${k}, ${n}]`, async () => {
      const g = reshapedProduct(m, k, n).build();
      await compareBoth(g, feedsFor(g, 20 + m), TOL);
    });
  }
});

/** ½·mean_b(Σ_{i,j} (X ∘ X)) with the inner sum keeping its dims or not: one reduction with a scalar tail. */
const nestedLoss = (b: number, m: number, n: number, keepdims: boolean) =>
  model(`nested-loss-${b}x${m}x${n}-${keepdims}`, ({ input }) => {
    const X = input("X", [b, m, n]);
    const per = ops.sum(ops.mul(X, X), { axis: [1, 2], keepdims });
    return { loss: ops.mul(0.5, ops.mean(per)) };
  });

/** Row sums of F·Fᵀ (the normalized-cuts degrees) and a loss on them: the product inside the reduction. */
const degrees = (n: number, d: number) =>
  model(`degrees-${n}x${d}`, ({ input }) => {
    const F = input("F", [2, n, d]);
    const deg = ops.sum(ops.matmul(F, ops.transpose(F)), { axis: -1, keepdims: true });
    return { deg, loss: ops.sum(ops.mul(ops.exp(ops.mul(deg, 0.05)), input("V", [2, n, 1]))) };
  });

describe("reductions of reductions and products read once", () => {
  it("nested sums are one kernel; a short product feeding a row sum is computed inside it", () => {
    expect(kernels(nestedLoss(3, 17, 9, false).build())).toEqual(["mean"]);
    expect(kernels(degrees(17, 3).build())).toEqual(["sum", "sum_1"]);
  });
});

describe.runIf(hasGPU)("reductions of reductions and products read once on WebGPU", () => {
  for (const [b, m, n, keep] of [
    [1, 8, 8, false],
    [3, 17, 9, true],
    [2, 33, 65, false],
  ] as const) {
    it(`½·mean(Σ X²) at [${b}, ${m}, ${n}]${keep ? " (keepdims)" : ""}`, async () => {
      const g = nestedLoss(b, m, n, keep).build();
      await compareBoth(g, feedsFor(g, 30 + m), TOL);
    });
  }
  for (const [n, d] of [
    [8, 3],
    [17, 3],
    [33, 8],
  ]) {
    it(`degrees of F·Fᵀ at F [2, ${n}, ${d}]`, async () => {
      const g = degrees(n, d).build();
      await compareBoth(g, feedsFor(g, 40 + n), TOL);
    });
  }
});

/** Two conv layers with bias and ReLU, max and average pooling: every NN kernel reads fused operands. */
const convNet = (n: number, size: number) =>
  model(`conv-net-${n}x${size}`, ({ input, param }) => {
    const x = input("x", [n, 3, size, size]);
    const w1 = param("w1", [4, 3, 3, 3], { init: "normal" });
    const b1 = param("b1", [4], { init: "normal" });
    const w2 = param("w2", [5, 4, 2, 2], { init: "normal" });
    const b2 = param("b2", [5], { init: "normal" });
    const h1 = nn.maxPool2d(nn.relu(nn.conv2d(x, w1, { padding: 1, bias: b1 })), 2);
    const h2 = nn.avgPool2d(nn.relu(nn.conv2d(h1, w2, { bias: b2 })), 2, { stride: 1 });
    return { loss: ops.sum(ops.mul(h2, h2)) };
  });

describe("NN kernels take fused operands", () => {
  it("no kernel of the conv net's training step only writes a ReLU or a relu mask", () => {
    const { program } = lowerGraph(differentiate(convNet(2, 9).build(), { wrt: "all" }).graph, new Map());
    expect(program.steps.filter((s) => s.kernel.name.startsWith("map_"))).toEqual([]);
  });
});

describe.runIf(hasGPU)("NN kernels with fused operands on WebGPU", () => {
  for (const [n, size] of [
    [1, 8],
    [2, 9],
    [3, 17],
  ]) {
    it(`conv net at [${n}, 3, ${size}, ${size}]`, async () => {
      const g = convNet(n, size).build();
      await compareBoth(g, feedsFor(g, 50 + size), TOL);
    });
  }
});

/** Per-pixel features exp((conv(x) + b)) laid out as [N, pixels, channels]: the conv stores through its epilogue. */
const convFeatures = (n: number, size: number, stride: number) =>
  model(`conv-features-${n}x${size}s${stride}`, ({ input, param }) => {
    const x = input("x", [n, 3, size, size]);
    const w = param("w", [4, 3, 3, 3], { init: "normal" });
    const b = param("b", [4], { init: "normal" });
    const h = nn.conv2d(x, w, { stride, padding: 1, bias: b });
    const side = Math.floor((size + 2 - 3) / stride) + 1;
    const F = ops.exp(ops.mul(ops.transpose(ops.reshape(h, [n, 4, side * side])), 0.2));
    return { F, loss: ops.sum(ops.mul(F, F)) };
  });

describe("a convolution stores through its epilogue", () => {
  it("exp(transpose(reshape(conv(x) + b))) is the conv kernel", () => {
    expect(kernels(convFeatures(2, 9, 2).build())).toEqual([expect.stringMatching(/^conv2d_/), "sum"]);
  });
});

describe.runIf(hasGPU)("convolution epilogues on WebGPU", () => {
  for (const [n, size, stride] of [
    [1, 8, 1],
    [2, 9, 2],
    [3, 17, 1],
  ]) {
    it(`features of a conv at [${n}, 3, ${size}, ${size}], stride ${stride}`, async () => {
      const g = convFeatures(n, size, stride).build();
      await compareBoth(g, feedsFor(g, 60 + size), TOL);
    });
  }
});

/** Second-order pooling of ReLU features: logm(cov(relu(F))) scored by W — the covariance is computed as the eigensolver loads it. */
const pooled = (b: number, n: number, d: number) =>
  model(`pooled-${b}x${n}x${d}`, ({ input }) => {
    const F = nn.relu(input("F", [b, n, d]));
    return { loss: ops.sum(ops.mul(linalg.logm(linalg.cov(F, { eps: 0.1 })), input("W", [d, d]))) };
  });

/** A normalized cut's projector of Z = D^-½·F, and a solve whose matrix is a broadcast covariance: operands fused into SVD and solve. */
const projectedCut = (b: number, n: number, k: number) =>
  model(`projected-cut-${b}x${n}x${k}`, ({ input }) => {
    const F = input("F", [b, n, k]);
    const deg = ops.sum(ops.matmul(F, ops.transpose(F)), { axis: -1, keepdims: true });
    const Z = ops.mul(ops.pow(ops.add(ops.mul(deg, deg), 1), -0.25), F);
    const diff = ops.sub(linalg.rangeProjector(Z), input("Y", [b, n, n]));
    const X = linalg.solve(linalg.cov(input("G", [n + 3, k]), { eps: 1 }), ops.transpose(Z));
    return { loss: ops.add(ops.mul(0.5, ops.sum(ops.mul(diff, diff))), ops.sum(ops.mul(X, X))) };
  });

describe("decompositions and solves take fused operands", () => {
  it("cov feeding logm is computed inside the eigensolver; D^-½·F inside the SVD and the solve", () => {
    const train = (g: Graph) => lowerGraph(differentiate(g, { wrt: "all" }).graph, new Map()).program.steps.map((s) => s.kernel.name);
    expect(kernels(pooled(2, 9, 8).build())).toEqual([expect.stringMatching(/^eigh_jacobi_2x8x8$/), "spectral_log", "sum"]);
    expect(train(pooled(2, 9, 8).build()).filter((k) => k.startsWith("cov"))).toEqual([]);
    const cut = kernels(projectedCut(2, 9, 3).build());
    expect(cut.filter((k) => k.startsWith("map_") || k.startsWith("broadcast") || k.startsWith("cov"))).toEqual([]);
    expect(train(projectedCut(2, 9, 3).build()).filter((k) => k.startsWith("broadcast") || k.startsWith("cov"))).toEqual([]);
  });
});

describe.runIf(hasGPU)("decompositions and solves with fused operands on WebGPU", () => {
  for (const [b, n, d] of [
    [1, 9, 8],
    [2, 17, 9],
    [1, 40, 17],
  ]) {
    it(`logm(cov(relu(F))) at F [${b}, ${n}, ${d}]`, async () => {
      const g = pooled(b, n, d).build();
      await compareBoth(g, feedsFor(g, 70 + d), TOL);
    });
  }
  for (const [b, n, k] of [
    [1, 8, 2],
    [2, 9, 3],
    [1, 17, 8],
  ]) {
    it(`projector of D^-½·F and a broadcast solve at F [${b}, ${n}, ${k}]`, async () => {
      const g = projectedCut(b, n, k).build();
      await compareBoth(g, feedsFor(g, 80 + n), TOL);
    });
  }
});
