/**
 * Lowerings onto the fused matmul kernel: matmul itself (1-D operands become unit-dim matrices by
 * index arithmetic), cov (FᵀF/n + εI as one product with an epilogue), and every U·diag(d)·Uᵀ of
 * the spectral ops (the diagonal scaling is a prologue on U's tile loads).
 */
import { constant, f32, op, type Expr } from "../expr.js";
import { matmulKernel } from "../kernels/matmul.js";
import { LoweringTable, type LowerContext } from "../lowering.js";

const lowerings = new LoweringTable();

const last = (s: readonly number[], k = 1) => s[s.length - k];

function asMatrix(e: Expr, side: "left" | "right"): Expr {
  if (e.shape.length !== 1) return e;
  const k = e.shape[0];
  return op("reshape", [e], side === "left" ? [1, k] : [k, 1]);
}

lowerings.define("matmul", {
  exprInputs: "all",
  // Not for 1-D operands (the kernel's matrix view of a vector is not the node's shape).
  epilogue: (n) => (n.inputs.every((v) => v.type.shape.length >= 2) ? "views" : undefined),
  lower(ctx) {
    const [a, b] = ctx.node.inputs.map((v) => ctx.expr(v));
    const A = asMatrix(a, "left");
    const B = asMatrix(b, "right");
    const batch = ctx.shape(ctx.node.outputs[0]).slice(0, ctx.shape(ctx.node.outputs[0]).length - (a.shape.length === 1 ? 0 : 1) - (b.shape.length === 1 ? 0 : 1));
    ctx.emit(matmulKernel(ctx.name("matmul"), A, B, [...batch, last(A.shape, 2), last(B.shape)], ctx.out(), ctx.epilogue));
  },
});

lowerings.define("cov", {
  exprInputs: "all",
  // FᵀF/n + εI as an expression: an eigensolver computes each entry as it loads the matrix.
  asExpr(node, [f], shape) {
    const n = last(f.shape, 2);
    const ft = op("transpose", [f], [...f.shape.slice(0, -2), last(f.shape), n]);
    const scaled = op("mul", [op("matmul", [ft, f], shape), constant(1 / n)], shape);
    return op("add", [scaled, op("mul", [op("eye", [], shape.slice(-2)), constant(node.attrs.eps as number)], shape.slice(-2))], shape);
  },
  lower(ctx) {
    const f = ctx.expr(ctx.node.inputs[0]);
    const n = last(f.shape, 2);
    const eps = ctx.node.attrs.eps as number;
    const out = ctx.shape(ctx.node.outputs[0]);
    const ft = op("transpose", [f], [...f.shape.slice(0, -2), last(f.shape), n]);
    const epilogue = (acc: string, c: readonly string[]) => `${acc} * ${f32(1 / n)} + select(0.0, ${f32(eps)}, ${c[c.length - 2]} == ${c[c.length - 1]})`;
    ctx.emit(matmulKernel(ctx.name("cov"), ft, f, out, ctx.out(), epilogue));
  },
});

/** f(w) of the node's ascending eigenvalues w, with the domain checks of logm/sqrtm/expm (domain.ts). */
export function spectral(ctx: LowerContext, fn: string, w: Expr): Expr {
  return op("spectral", [w], w.shape, { fn, of: ctx.node.op }, ctx.node.id);
}

/** Y = U · diag(d) · Uᵀ with d an expression over w (shape [..., n]). */
export function conjugateDiagonal(ctx: LowerContext, u: Expr, d: Expr, out: number, name: string): void {
  const shape = u.shape;
  const scaled = op("mul", [u, op("reshape", [d], [...d.shape.slice(0, -1), 1, last(d.shape)])], shape);
  const ut = op("transpose", [u], shape);
  ctx.emit(matmulKernel(ctx.name(name), scaled, ut, shape, out));
}

lowerings.define("spectralFn", {
  exprInputs: "all",
  // X itself is never read: f(X) is built from its eigendecomposition alone.
  readsOnce: (index) => index === 0,
  lower(ctx) {
    const [, w, u] = ctx.node.inputs.map((v) => ctx.expr(v));
    conjugateDiagonal(ctx, u, spectral(ctx, ctx.node.attrs.fn as string, w), ctx.out(), `spectral_${ctx.node.attrs.fn as string}`);
  },
});

lowerings.define("spectralApply", {
  exprInputs: "all",
  readsOnce: (index) => index === 0,
  lower(ctx) {
    const [, , u, gw] = ctx.node.inputs.map((v) => ctx.expr(v));
    conjugateDiagonal(ctx, u, gw, ctx.out(), "spectral_apply");
  },
});

/** The matmul lowerings, for lowerings/index.ts. */
export const MATMUL_LOWERINGS = lowerings.entries;
