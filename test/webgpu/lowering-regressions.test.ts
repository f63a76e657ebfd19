/**
 * Lowering bugs that returned silently wrong numbers on WebGPU (issue 9), each named for what it
 * was and checked forward and as a training step against the float64 CPU executor, and from a
 * kernel bundle. Then a sweep over the shapes where they hid: tile boundaries (1, 3, 8, 9, 12, 17,
 * 33), batch dims, values used many times, self-products, and spectral layers whose eigensolver
 * temporaries feed several products.
 */
import { describe, it } from "vitest";
import { linalg, model, nn, ops, type Tensor } from "../../index.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { randn, uniform, withSingularValues } from "../adjoint/cases/types.js";
import { compareBoth, compareBundle } from "./compare.js";
import { hasGPU } from "./gpu.js";
import { manyInputs, ncutsLayer, procrustes, selfProduct, twoProducts } from "../models/lowering.js";

const TOL = 2e-4;
type Feeds = Map<string, NDArray>;

async function both(g: ReturnType<ReturnType<typeof model>["build"]>, feeds: Feeds, tol = TOL): Promise<void> {
  await compareBoth(g, feeds, tol);
  await compareBundle(g, feeds, tol);
}

/** Three-segment features (positive, so the degrees are) and the segments' projector. */
function segmentation(r: Random, n: number): Feeds {
  const seg = Array.from({ length: n }, (_, i) => i % 3);
  const F = uniform(r, [n, 3], 0.05, 0.3);
  seg.forEach((s, i) => (F.data[i * 3 + s] += 1));
  const size = [0, 1, 2].map((s) => seg.filter((x) => x === s).length);
  const PiY: NDArray = { shape: [n, n], data: Float64Array.from({ length: n * n }, (_, k) => (seg[Math.floor(k / n)] === seg[k % n] ? 1 / size[seg[k % n]] : 0)) };
  return new Map([["F", F], ["PiY", PiY]]);
}

describe.runIf(hasGPU)("issue 9 lowering regressions, WebGPU and bundle against the CPU", () => {
  it("epilogue dispatched before the product it reads: y = X·W + A·B at 16×16", async () => {
    const r = new Random(901);
    await both(twoProducts(16).build(), new Map(["X", "W", "A", "B", "T"].map((k) => [k, randn(r, [16, 16])])));
  });

  for (const n of [9, 12, 16, 17, 33]) {
    it(`epilogue read a product computed after it: grad of Σ (F·Fᵀ) ∘ P, F [${n}, 3]`, async () => {
      const r = new Random(910 + n);
      await both(selfProduct(n).build(), new Map([["F", randn(r, [n, 3])], ["P", randn(r, [n, n])]]));
    });
  }

  for (const [m, n] of [[8, 8], [9, 4], [10, 6]]) {
    it(`epilogue read a stale value from a reused buffer: SVD Procrustes U·Vh, A ${m}×${n}`, async () => {
      const r = new Random(930 + m + n);
      const k = Math.min(m, n);
      // Well-separated singular values: U·Vh's gradient divides by their gaps.
      const A = withSingularValues(r, [], m, n, Array.from({ length: k }, (_, i) => 1 + i));
      await both(procrustes(m, n).build(), new Map([["A", A], ["T", randn(r, [m, n])]]), 1e-3);
    });
  }

  it("a fused elementwise kernel bound more storage buffers than the device allows (MP6002): Σ over 13 inputs", async () => {
    const r = new Random(960);
    await both(manyInputs(13).build(), new Map(Array.from({ length: 13 }, (_, i) => [`x${i}`, randn(r, [3, 3])] as const)));
  });

  it("inv and solve whose matrices take the global-memory kernels (n = 47, 51) were refused: their scratch binding had no buffer", async () => {
    const r = new Random(965);
    // Diagonally dominant: well conditioned, so f32 agrees with f64 to about 1e-5.
    const A = (n: number): NDArray => ({ shape: [n, n], data: randn(r, [n, n], 0.4 / Math.sqrt(n)).data.map((x, i) => x + (i % (n + 1) === 0 ? 2.5 : 0)) });
    const g = model("global-solves", ({ input }) => {
      const X = input("X", [47, 47]);
      const M = input("M", [51, 51]);
      const B = input("B", [51, 3]);
      return { loss: ops.add(ops.sum(linalg.inv(X)), ops.sum(ops.mul(linalg.solve(M, B), B))) };
    }).build();
    // A bundle is lowered for the portable 16 KiB of workgroup memory, so it takes the global-memory
    // kernels at these sizes whatever the device (a run lowers for the device's own limit).
    await compareBundle(g, new Map([["X", A(47)], ["M", A(51)], ["B", randn(r, [51, 3])]]), 1e-3);
  });

  it("the conv/pool network whose gradients were off by 1e-2..8e-2: a 1×1 conv read as a matrix batch into sqrtm and a Cholesky solve (the stale-buffer class, not a conv bug)", async () => {
    const g = model("conv-matrices", ({ input, param }) => {
      const y = ops.mul(nn.conv2d(input("x0", [1, 1, 5, 5]), param("p1", [1, 1, 1, 1]), { bias: param("p2", [1]) }), 0.209);
      const S = ops.assume(ops.add(ops.mul(ops.add(y, ops.transpose(y)), 0.5), ops.mul(ops.eye(5), 1.1675)) as Tensor, "spd");
      const x = linalg.solve(linalg.cholesky(linalg.cov(y, { eps: 0.1 })), input("x3", [1, 1, 5, 3]));
      return { loss: ops.add(ops.sum(ops.mul(ops.mul(x, 0.208), input("x4", [1, 1, 5, 3]))), ops.mean(linalg.sqrtm(S))) };
    }).build();
    const r = new Random(3);
    const feeds = new Map([["x0", randn(r, [1, 1, 5, 5], 0.5)], ["p1", randn(r, [1, 1, 1, 1], 0.5)], ["p2", randn(r, [1], 0.5)], ["x3", randn(r, [1, 1, 5, 3])], ["x4", randn(r, [1, 1, 5, 3])]]);
    await both(g, feeds);
  });

  for (const n of [12, 20]) {
    it(`normalized-cuts layer on ${n} pixels (W = F·Fᵀ beyond one tile)`, async () => {
      await both(ncutsLayer(n).build(), segmentation(new Random(950 + n), n), 1e-3);
    });
  }
});

/** Programs that stress the dependencies fusion creates, at one size. */
const sweep = (n: number, batch: number[]) =>
  model(`sweep-${n}-${batch.length}`, ({ input }) => {
    const F = input("F", [...batch, n, 3]);
    const X = input("X", [...batch, n, n]);
    const P = input("P", [...batch, n, n]);
    const gram = ops.matmul(ops.transpose(F), F); // Fᵀ F [3, 3]: fused product
    const outer = ops.matmul(F, ops.transpose(F)); // F Fᵀ [n, n]: a kernel beyond one tile
    const xx = ops.matmul(X, X); // a self-product whose epilogue reads its own operand
    const y = ops.add(ops.mul(xx, 0.5), X);
    const z = ops.add(ops.matmul(y, outer), ops.matmul(P, y)); // y used many times, two products into one +
    const w = ops.matmul(F, gram);
    return { loss: ops.add(ops.sum(ops.mul(z, P)), ops.sum(ops.mul(w, F))) };
  });

describe.runIf(hasGPU)("fused dependencies across tile boundaries and batch dims, WebGPU against the CPU", () => {
  for (const n of [1, 3, 8, 9, 12, 17, 33]) {
    for (const batch of n === 1 || n === 9 || n === 17 ? [[], [2]] : [[]]) {
      it(`n = ${n}${batch.length ? `, batch [${batch.join(", ")}]` : ""}`, async () => {
        const r = new Random(970 + n + 100 * batch.length);
        const feeds = new Map([["F", randn(r, [...batch, n, 3], 0.5)], ["X", randn(r, [...batch, n, n], 1 / Math.sqrt(n))], ["P", randn(r, [...batch, n, n])]]);
        await compareBoth(sweep(n, batch).build(), feeds, TOL);
      });
    }
  }
});

/** logm and sqrtm of one covariance, their product, and a loss: eigensolver temporaries read by two products. */
const spectral = (d: number, batch: number[]) =>
  model(`spectral-${d}-${batch.length}`, ({ input }) => {
    const F = input("F", [...batch, 40, d]);
    const W = input("W", [d, d]);
    const C = linalg.cov(F, { eps: 0.1 });
    const L = linalg.logm(C);
    return { loss: ops.add(ops.sum(ops.mul(L, W)), ops.sum(ops.mul(ops.matmul(linalg.sqrtm(C), L), W))) };
  });

describe.runIf(hasGPU)("spectral layers across tile boundaries, WebGPU against the CPU", () => {
  for (const [d, batch] of [[9, [2]], [17, []], [33, []]] as const) {
    it(`cov → logm, sqrtm, d = ${d}${batch.length ? `, batch [${batch.join(", ")}]` : ""}`, async () => {
      const r = new Random(990 + d);
      await compareBoth(spectral(d, [...batch]).build(), new Map([["F", randn(r, [...batch, 40, d])], ["W", randn(r, [d, d])]]), TOL);
    });
  }
});
