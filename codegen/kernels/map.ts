/** The fused elementwise kernel: one invocation per output element evaluates an expression tree. */
import { grid, groups } from "../kernel.js";
import { unravel, type Expr } from "../expr.js";
import { KernelBuilder, MAIN_SIGNATURE, type BuiltKernel } from "./builder.js";

const WG = 64;

export function mapKernel(name: string, expr: Expr, out: number): BuiltKernel {
  const total = expr.shape.reduce((p, d) => p * d, 1);
  const b = new KernelBuilder([{ value: out, shape: expr.shape }]);
  const { lines, coords } = unravel("idx", expr.shape);
  const value = b.emitter.emit(expr, coords);
  const body = [`const WG = ${WG}u;`, `@compute @workgroup_size(${WG}) ${MAIN_SIGNATURE} {`, `  let idx = gid.x + gid.y * nwg.x * WG;`, `  if (idx >= ${total}u) { return; }`, ...lines.map((l) => "  " + l), ...b.take().map((l) => "  " + l), `  out0[idx] = ${value};`, `}`];
  return b.finish(name, body.join("\n"), [WG, 1, 1], grid(groups(total, WG)), [{ shape: [total], tile: [WG] }]);
}
