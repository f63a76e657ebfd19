/**
 * Lowerings of the decompositions onto the kernels of kernels/linalg (one workgroup per matrix),
 * and of the ops built on them: logm/sqrtm/expm and the projectors are an eigendecomposition (or
 * SVD) followed by one fused U·diag(d)·Uᵀ product.
 */
import type { Value } from "../../ir/graph.js";
import { op, type Expr } from "../expr.js";
import { eighKernel, eighScratchLength } from "../kernels/linalg/eigh.js";
import { svdKernel, svdScratchLength } from "../kernels/linalg/svd.js";
import { choleskyKernel } from "../kernels/linalg/cholesky.js";
import { assumeKernel } from "../kernels/linalg/assume.js";
import type { Structure } from "../../ir/types.js";
import { solveLikeKernel, solveScratchLength } from "../kernels/linalg/solve.js";
import { mapKernel } from "../kernels/map.js";
import { matmulKernel } from "../kernels/matmul.js";
import { LoweringTable, type LowerContext } from "../lowering.js";
import { conjugateDiagonal, spectral } from "./matmul.js";

const lowerings = new LoweringTable();

const count = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const last = (s: readonly number[], k = 1) => s[s.length - k];
/**
 * The decompositions load their operand once (eigh twice per entry, to symmetrise), so it arrives as
 * a fused expression: a covariance, D^-½·F or a symmetric combination is computed as the matrix is
 * loaded, not in a kernel of its own (fuse.ts counts these consumers as reading each entry once).
 */
const fused = [true] as const;

/** Eigendecomposition of input `x` into the (w, U) buffers. */
export function eigh(ctx: LowerContext, x: Value, w: number, u: number): void {
  const s = ctx.shape(x);
  const n = last(s);
  const batch = count(s.slice(0, -2));
  const opts = { workgroupStorageBytes: ctx.workgroupStorageBytes, maxSweeps: ctx.maxSweeps, op: ctx.node.op };
  const scratch = eighScratchLength(batch, n, opts);
  ctx.emit(eighKernel(batch, n, { a: ctx.expr(x), w, u, ...(scratch ? { work: ctx.temp([scratch]) } : {}) }, opts));
}

lowerings.define("eigh", { exprInputs: fused, readsOnce: () => true, lower: (ctx) => eigh(ctx, ctx.node.inputs[0], ctx.out(0), ctx.out(1)) });

/** w and U of the node's input in temporaries, as expressions. */
export function eigenTemps(ctx: LowerContext): [Expr, Expr] {
  const x = ctx.node.inputs[0];
  const s = ctx.shape(x);
  const w = ctx.temp(s.slice(0, -1));
  const u = ctx.temp(s);
  eigh(ctx, x, w, u);
  return [{ kind: "load", value: w, shape: s.slice(0, -1) }, { kind: "load", value: u, shape: s }];
}

for (const [name, fn] of [["logm", "log"], ["sqrtm", "sqrt"], ["expm", "exp"]] as const) {
  lowerings.define(name, {
    exprInputs: fused,
    readsOnce: () => true,
    lower(ctx) {
      const [w, u] = eigenTemps(ctx);
      conjugateDiagonal(ctx, u, spectral(ctx, fn, w), ctx.out(), `spectral_${fn}`);
    },
  });
}

lowerings.define("topEigenProjector", {
  exprInputs: fused,
  readsOnce: () => true,
  lower(ctx) {
    const [w, u] = eigenTemps(ctx);
    conjugateDiagonal(ctx, u, op("topMask", [w], w.shape, { k: ctx.node.attrs.k as number }), ctx.out(), "top_projector");
  },
});

/** Thin SVD of `a` into the given buffers; with `rank` the kernel also reports a rank-deficient `a`. */
export function svd(ctx: LowerContext, a: Value, u: number, s: number, vh: number, rank = false): void {
  const shape = ctx.shape(a);
  const [m, n] = [last(shape, 2), last(shape)];
  const batch = count(shape.slice(0, -2));
  const opts = { workgroupStorageBytes: ctx.workgroupStorageBytes, maxSweeps: ctx.maxSweeps, op: ctx.node.op, rank };
  const scratch = svdScratchLength(batch, m, n, opts);
  ctx.emit(svdKernel(batch, m, n, { a: ctx.expr(a), u, s, vh, ...(scratch ? { work: ctx.temp([scratch]) } : {}) }, opts));
}

lowerings.define("svd", { exprInputs: fused, readsOnce: () => true, lower: (ctx) => svd(ctx, ctx.node.inputs[0], ctx.out(0), ctx.out(1), ctx.out(2)) });

lowerings.define("rangeProjector", {
  exprInputs: fused,
  readsOnce: () => true,
  lower(ctx) {
    const z = ctx.node.inputs[0];
    const shape = ctx.shape(z);
    const [n, k] = [last(shape, 2), last(shape)];
    const batch = shape.slice(0, -2);
    const u = ctx.temp([...batch, n, k]);
    svd(ctx, z, u, ctx.temp([...batch, k]), ctx.temp([...batch, k, k]), true);
    const U: Expr = { kind: "load", value: u, shape: [...batch, n, k] };
    ctx.emit(matmulKernel(ctx.name("range_projector"), U, op("transpose", [U], [...batch, k, n]), [...batch, n, n], ctx.out()));
  },
});

/** `assume(x, structure)`: a kernel that copies x and checks the structure on the device (kernels/linalg/assume.ts). */
lowerings.define("assume", {
  exprInputs: [false],
  lower(ctx) {
    const x = ctx.node.inputs[0];
    const s = ctx.shape(x);
    const structure = ctx.node.attrs.structure as Structure;
    if (structure === "general") {
      ctx.emit(mapKernel(ctx.name("assume_general"), ctx.expr(x), ctx.out()));
      return;
    }
    ctx.emitSource(assumeKernel(count(s.slice(0, -2)), last(s), structure, { workgroupStorageBytes: ctx.workgroupStorageBytes }), [x.id, ctx.out()]);
  },
});

lowerings.define("cholesky", {
  exprInputs: [false],
  lower(ctx) {
    const s = ctx.shape(ctx.node.inputs[0]);
    ctx.emitSource(choleskyKernel(count(s.slice(0, -2)), last(s), { workgroupStorageBytes: ctx.workgroupStorageBytes }), [ctx.node.inputs[0].id, ctx.out()]);
  },
});

/** The `work` scratch temporary a solve-like kernel binds last when its matrices live in global memory. */
function solveScratch(ctx: LowerContext, batch: number, n: number, k: number): { work?: number } {
  const length = solveScratchLength(batch, n, k, { workgroupStorageBytes: ctx.workgroupStorageBytes });
  return length ? { work: ctx.temp([length]) } : {};
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
/** `e` at `shape`: broadcast by index arithmetic where the batch dims differ (no copy). */
const broadcast = (e: Expr, shape: readonly number[]) => (sameShape(e.shape, shape) ? e : op("broadcastTo", [e], shape));

lowerings.define("inv", {
  exprInputs: fused,
  readsOnce: () => true,
  lower(ctx) {
    const s = ctx.shape(ctx.node.inputs[0]);
    const [batch, n] = [count(s.slice(0, -2)), last(s)];
    const opts = { workgroupStorageBytes: ctx.workgroupStorageBytes };
    ctx.emit(solveLikeKernel("inv", batch, n, n, { a: ctx.expr(ctx.node.inputs[0]), x: ctx.out(), ...solveScratch(ctx, batch, n, n) }, opts));
  },
});

lowerings.define("solve", {
  exprInputs: "all",
  readsOnce: () => true,
  lower(ctx) {
    const [a, b] = ctx.node.inputs.map((v) => ctx.expr(v));
    const out = ctx.shape(ctx.node.outputs[0]);
    const vec = b.shape.length === 1;
    const n = last(a.shape);
    const k = vec ? 1 : last(b.shape);
    const batch = vec ? out.slice(0, -1) : out.slice(0, -2);
    const B = vec ? op("reshape", [b], [n, 1]) : b;
    const io = { a: broadcast(a, [...batch, n, n]), b: broadcast(B, [...batch, n, k]), x: ctx.out(), ...solveScratch(ctx, count(batch), n, k) };
    ctx.emit(solveLikeKernel("solve", count(batch), n, k, io, { workgroupStorageBytes: ctx.workgroupStorageBytes }));
  },
});

/** The linalg lowerings, for lowerings/index.ts. */
export const LINALG_LOWERINGS = lowerings.entries;
