/** The fused elementwise kernel: one invocation per output element evaluates an expression tree. */
import { unravel, type Expr } from "../expr.js";
import { type BuiltKernel, KernelScaffold, perElement } from "./scaffold.js";

export function mapKernel(name: string, expr: Expr, out: number): BuiltKernel {
  const total = expr.shape.reduce((p, d) => p * d, 1);
  const k = new KernelScaffold(name);
  const { lines, coords } = unravel("idx", expr.shape);
  const value = k.emitter.emit(expr, coords);
  const body = k.emitter.take();
  k.write("out0", out, total);
  const e = perElement(total);
  const main = [e.head, ...[...lines, ...body, `out0[idx] = ${value};`].map((l) => "  " + l)].join("\n");
  return k.finish({ main, workgroupSize: e.workgroupSize, dispatch: e.dispatch, covers: [{ binding: "out0", shape: [total], tile: e.tile }] });
}
