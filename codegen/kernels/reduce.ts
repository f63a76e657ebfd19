/**
 * Sum (or mean) over a set of axes of a fused input expression. Short reductions loop in one
 * invocation per output; long ones use one workgroup per output with a tree reduction in
 * workgroup memory.
 */
import { grid, groups } from "../kernel.js";
import { f32, unravel, type Expr } from "../expr.js";
import { KernelBuilder, MAIN_SIGNATURE, type BuiltKernel } from "./builder.js";

const WG = 64;

export function reduceKernel(name: string, input: Expr, axes: readonly number[], scale: number, out: number): BuiltKernel {
    const shape = input.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => shape[i]);
  const redShape = axes.map((i) => shape[i]);
  const outCount = outShape.reduce((p, d) => p * d, 1);
  const redCount = redShape.reduce((p, d) => p * d, 1);
  const b = new KernelBuilder([{ value: out, shape: outShape }]);
  const o = unravel("o", outShape, "k");
  const r = unravel("r", redShape, "q");
  const coords = shape.map((_, i) => (axes.includes(i) ? r.coords[axes.indexOf(i)] : o.coords[kept.indexOf(i)]));
  const term = b.emitter.emit(input, coords);
  const inner = [...r.lines, ...b.take()].map((l) => "      " + l);
  const wide = redCount > WG;
  const body = wide
    ? [
        `const WG = ${WG}u;`,
        `var<workgroup> partial: array<f32, ${WG}>;`,
        `@compute @workgroup_size(${WG}) ${MAIN_SIGNATURE} {`,
        `  let o = wid.x + wid.y * nwg.x;`,
        `  let live = o < ${outCount}u;`,
        ...o.lines.map((l) => "  " + l),
        `  var acc = 0.0;`,
        `  if (live) {`,
        `    for (var r = lid.x; r < ${redCount}u; r += WG) {`,
        ...inner,
        `      acc += ${term};`,
        `    }`,
        `  }`,
        `  partial[lid.x] = acc;`,
        `  workgroupBarrier();`,
        `  for (var s = WG / 2u; s > 0u; s /= 2u) {`,
        `    if (lid.x < s) { partial[lid.x] += partial[lid.x + s]; }`,
        `    workgroupBarrier();`,
        `  }`,
        `  if (live && lid.x == 0u) { out0[o] = partial[0] * ${f32(scale)}; }`,
        `}`,
      ]
    : [
        `const WG = ${WG}u;`,
        `@compute @workgroup_size(${WG}) ${MAIN_SIGNATURE} {`,
        `  let o = gid.x + gid.y * nwg.x * WG;`,
        `  if (o >= ${outCount}u) { return; }`,
        ...o.lines.map((l) => "  " + l),
        `  var acc = 0.0;`,
        `  for (var r = 0u; r < ${redCount}u; r += 1u) {`,
        ...inner,
        `      acc += ${term};`,
        `  }`,
        `  out0[o] = acc * ${f32(scale)};`,
        `}`,
      ];
  const dispatch = wide ? grid(outCount) : grid(groups(outCount, WG));
  return b.finish(name, body.join("\n"), [WG, 1, 1], dispatch, [{ shape: [outCount], tile: [wide ? 1 : WG] }], wide ? WG * 4 : 0);
}
