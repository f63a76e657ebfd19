/**
 * Lowerings of issue 12's linalg ops, composed from the existing kernels: eigvalsh, powm,
 * polar, pinv and the matrix norms on the eigh/SVD kernels with fused products and reductions; det
 * and slogdet on an LU kernel, qr on a Householder kernel; the Newton–Schulz square root as a chain
 * of matmul kernels with the ½(3I − ZY) step fused into their operands.
 */
import { F32_EPS } from "../domain.js";
import { constant, load, op, type Expr } from "../expr.js";
import { detKernel, detScratchLength } from "../kernels/linalg/det.js";
import { qrKernel, qrScratchLength } from "../kernels/linalg/qr.js";
import { mapKernel } from "../kernels/map.js";
import { matmulKernel } from "../kernels/matmul.js";
import { reduceKernel } from "../kernels/reduce.js";
import { LoweringTable, type LowerContext } from "../lowering.js";
import { eigenTemps, eigh, svd } from "./linalg.js";
import { conjugateDiagonal } from "./matmul.js";

const lowerings = new LoweringTable();

const count = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const last = (s: readonly number[], k = 1) => s[s.length - k];
const none = [false] as const;
const opts = (ctx: LowerContext) => ({ workgroupStorageBytes: ctx.workgroupStorageBytes });

lowerings.define("eigvalsh", {
  exprInputs: none,
  lower(ctx) {
    const x = ctx.node.inputs[0];
    eigh(ctx, x, ctx.out(0), ctx.temp(ctx.shape(x)));
  },
});

lowerings.define("powm", {
  exprInputs: none,
  lower(ctx) {
    const [w, u] = eigenTemps(ctx);
    const d = op("spectral", [w], w.shape, { fn: "pow", p: ctx.node.attrs.p as number, of: ctx.node.op }, ctx.node.id);
    conjugateDiagonal(ctx, u, d, ctx.out(), "spectral_pow");
  },
});

/** Thin SVD of the node's input into temporaries, as expressions [U, S, Vh]. */
function svdTemps(ctx: LowerContext, rank = false): [Expr, Expr, Expr] {
  const a = ctx.node.inputs[0];
  const s = ctx.shape(a);
  const [m, n] = [last(s, 2), last(s)];
  const k = Math.min(m, n);
  const batch = s.slice(0, -2);
  const shapes = [[...batch, m, k], [...batch, k], [...batch, k, n]];
  const [u, sv, vh] = shapes.map((sh) => ctx.temp(sh));
  svd(ctx, a, u, sv, vh, rank);
  return [load(u, shapes[0]), load(sv, shapes[1]), load(vh, shapes[2])];
}

lowerings.define("polar", {
  // Fused operand, as svd's (the SVD kernel reads it through the scaffold).
  exprInputs: [true],
  lower(ctx) {
    const [u, , vh] = svdTemps(ctx, true);
    ctx.emit(matmulKernel(ctx.name("polar"), u, vh, ctx.shape(ctx.node.outputs[0]), ctx.out()));
  },
});

lowerings.define("pinv", {
  // Fused operand, as svd's (the SVD kernel reads it through the scaffold).
  exprInputs: [true],
  lower(ctx) {
    const [u, s, vh] = svdTemps(ctx);
    const [m, n] = [last(u.shape, 2), last(vh.shape)];
    const k = last(s.shape);
    const batch = s.shape.slice(0, -1);
    const inv = op("pinvInverse", [s], s.shape, { rtol: Math.max(m, n) * F32_EPS });
    // V diag(σ⁺) Uᵀ: V's columns scaled as its tiles load.
    const vScaled = op("mul", [op("transpose", [vh], [...batch, n, k]), op("reshape", [inv], [...batch, 1, k])], [...batch, n, k]);
    ctx.emit(matmulKernel(ctx.name("pinv"), vScaled, op("transpose", [u], [...batch, k, m]), [...batch, n, m], ctx.out()));
  },
});

lowerings.define("norm", {
  // Fused operand, as svd's: a buffer operand that is a reshape view would be bound under the view's id.
  exprInputs: [true],
  lower(ctx) {
    const x = ctx.node.inputs[0];
    const out = ctx.shape(ctx.node.outputs[0]);
    const ord = ctx.node.attrs.ord as string;
    if (ord === "fro" || ctx.node.attrs.vector) {
      const e = ctx.expr(x);
      const axes = ctx.node.attrs.vector ? [e.shape.length - 1] : [e.shape.length - 2, e.shape.length - 1];
      const squares = ctx.temp(out);
      ctx.emit(reduceKernel(ctx.name("norm_squares"), op("mul", [e, e], e.shape), axes, 1, squares));
      ctx.emit(mapKernel(ctx.name("norm_sqrt"), op("sqrt", [load(squares, out)], out), ctx.out()));
      return;
    }
    // nuc / 2: the singular values.
    const [, s] = svdTemps(ctx);
    if (ord === "nuc") ctx.emit(reduceKernel(ctx.name("norm_nuc"), s, [s.shape.length - 1], 1, ctx.out()));
    else ctx.emit(mapKernel(ctx.name("norm_spectral"), op("lastAt", [s], out, { at: 0 }), ctx.out()));
  },
});

for (const kind of ["det", "slogdet"] as const) {
  lowerings.define(kind, {
    exprInputs: none,
    lower(ctx) {
      const s = ctx.shape(ctx.node.inputs[0]);
      const [batch, n] = [count(s.slice(0, -2)), last(s)];
      const scratch = detScratchLength(batch, n, opts(ctx));
      const outs = kind === "det" ? [ctx.out(0)] : [ctx.out(0), ctx.out(1)];
      ctx.emitSource(detKernel(kind, batch, n, opts(ctx)), [ctx.node.inputs[0].id, ...outs, ...(scratch ? [ctx.temp([scratch])] : [])]);
    },
  });
}

lowerings.define("qr", {
  exprInputs: none,
  lower(ctx) {
    const s = ctx.shape(ctx.node.inputs[0]);
    const [batch, m, n] = [count(s.slice(0, -2)), last(s, 2), last(s)];
    const scratch = qrScratchLength(batch, m, n, opts(ctx));
    ctx.emitSource(qrKernel(batch, m, n, opts(ctx)), [ctx.node.inputs[0].id, ctx.out(0), ctx.out(1), ...(scratch ? [ctx.temp([scratch])] : [])]);
  },
});

/**
 * √(tr X)·sym(Y_N) by the coupled iteration (numeric/linalg/newton-schulz.ts): the trace in one
 * reduction, then per step P = Z·Y, Y ← Y·T, Z ← T·Z with T = ½(3I − P) computed as the operands
 * load (step 1 from A = X/τ and Z₀ = I directly), and the compensation in one elementwise kernel.
 */
lowerings.define("sqrtmNewtonSchulz", {
  exprInputs: "all",
  lower(ctx) {
    const xe = ctx.expr(ctx.node.inputs[0]);
    const shape = xe.shape;
    const batch = shape.slice(0, -2);
    const iters = ctx.node.attrs.iters as number;
    const tau = ctx.temp(batch);
    ctx.emit(reduceKernel(ctx.name("ns_trace"), op("diag", [xe], shape.slice(0, -1)), [shape.length - 2], 1, tau));
    const tauCol = op("reshape", [op("positiveTrace", [load(tau, batch)], batch, {}, ctx.node.id)], [...batch, 1, 1]);
    const eye = op("eye", [], shape.slice(-2));
    const tOf = (p: Expr) => op("sub", [op("mul", [eye, constant(1.5)], eye.shape), op("mul", [p, constant(0.5)], shape)], shape);
    const a = op("div", [xe, tauCol], shape);
    const mm = (name: string, l: Expr, r: Expr): Expr => {
      const t = ctx.temp(shape);
      ctx.emit(matmulKernel(ctx.name(name), l, r, shape, t));
      return load(t, shape);
    };
    let y = mm("ns_y", a, tOf(a));
    let z: Expr = tOf(a);
    for (let k = 2; k <= iters; k++) {
      const t = tOf(mm("ns_zy", z, y));
      const yNext = mm("ns_y", y, t);
      if (k < iters) z = mm("ns_z", t, z);
      y = yNext;
    }
    const yt = op("transpose", [y], shape);
    const comp = op("mul", [op("sqrt", [tauCol], tauCol.shape), constant(0.5)], tauCol.shape);
    ctx.emit(mapKernel(ctx.name("ns_compensate"), op("mul", [op("add", [y, yt], shape), comp], shape), ctx.out()));
  },
});

export const LINALG_FUNCTION_LOWERINGS = lowerings.entries;
