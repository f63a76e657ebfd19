/**
 * Reductions over a set of axes of a fused input expression: sum (scaled, for mean), max, min, and
 * argmax/argmin (the row-major position within the reduced axes of the first extreme entry, written
 * as an f32 integer like every i32 value on the device). Short reductions loop in one invocation
 * per output; long ones use one workgroup per output with a tree reduction in workgroup memory. An
 * epilogue (an elementwise consumer fused in: an expression at the output's shape whose
 * `accumulator` leaves stand for the reduced entry) maps each result as it is stored.
 */
import { grid, groups } from "../kernel.js";
import { f32, unravel, type Expr } from "../expr.js";
import { type BuiltKernel, KernelScaffold } from "./scaffold.js";

const WG = 64;

export type Reduction = "sum" | "max" | "min" | "argmax" | "argmin";

/** ∓FLT_MAX (exactly, in the shortest decimal Tint accepts): every finite f32 is ≥ (≤) it. */
const LOWEST = "-3.4028234663852886e38";
const HIGHEST = "3.4028234663852886e38";

interface Combine {
  init: string;
  /** Statement folding value `t` at position `r` into accumulator `acc` (and `at`). */
  fold(t: string, r: string): string;
  /** Statement folding partial slot `b` into slot `a` (workgroup tree). */
  merge(a: string, b: string): string;
  /** The output value from accumulator `acc` (and position `at`). */
  result(acc: string, at: string, scale: number): string;
}

function combineOf(kind: Reduction): Combine {
  switch (kind) {
    case "sum":
      return { init: "0.0", fold: (t) => `acc += ${t};`, merge: (a, b) => `partial[${a}] += partial[${b}];`, result: (acc, _, s) => `${acc} * ${f32(s)}` };
    case "max":
    case "min":
      return { init: kind === "max" ? LOWEST : HIGHEST, fold: (t) => `acc = ${kind}(acc, ${t});`, merge: (a, b) => `partial[${a}] = ${kind}(partial[${a}], partial[${b}]);`, result: (acc) => acc };
    case "argmax":
    case "argmin": {
      const better = kind === "argmax" ? ">" : "<";
      return {
        init: kind === "argmax" ? LOWEST : HIGHEST,
        // Strictly better only: the first extreme entry wins, as on the CPU.
        fold: (t, r) => `{ let v = ${t}; if (v ${better} acc) { acc = v; at = ${r}; } }`,
        merge: (a, b) =>
          `if (partial[${b}] ${better} partial[${a}] || (partial[${b}] == partial[${a}] && position[${b}] < position[${a}])) { partial[${a}] = partial[${b}]; position[${a}] = position[${b}]; }`,
        result: (_, at) => `f32(${at})`,
      };
    }
  }
}

export function reduceKernel(name: string, input: Expr, axes: readonly number[], scale: number, out: number, kind: Reduction = "sum", epilogue?: Expr): BuiltKernel {
  const shape = input.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => shape[i]);
  const redShape = axes.map((i) => shape[i]);
  const outCount = outShape.reduce((p, d) => p * d, 1);
  const redCount = redShape.reduce((p, d) => p * d, 1);
  const c = combineOf(kind);
  const positional = kind === "argmax" || kind === "argmin";
  const b = new KernelScaffold(name);
  const o = unravel("o", outShape, "k");
  const r = unravel("r", redShape, "q");
  const coords = shape.map((_, i) => (axes.includes(i) ? r.coords[axes.indexOf(i)] : o.coords[kept.indexOf(i)]));
  const term = b.emitter.emit(input, coords);
  const inner = [...r.lines, ...b.emitter.take()].map((l) => "      " + l);
  const wide = redCount > WG;
  // The stored value: the reduced entry, through the epilogue at the output's coordinates.
  const result = wide ? c.result("partial[0]", "position[0]", scale) : c.result("acc", "at", scale);
  let stored = result;
  let storeLines: string[] = [];
  if (epilogue) {
    const e = unravel("o", epilogue.shape, "e");
    b.emitter.accumulator = "reduced";
    stored = b.emitter.emit(epilogue, e.coords);
    storeLines = [`let reduced = ${result};`, ...e.lines, ...b.emitter.take()];
  }
  b.write("out0", out, outCount);
  if (wide) {
    b.declare(`var<workgroup> partial: array<f32, ${WG}>;`);
    if (positional) b.declare(`var<workgroup> position: array<u32, ${WG}>;`);
  }
  const main = wide
    ? [
        `  let o = group;`,
        `  let live = o < ${outCount}u;`,
        ...o.lines.map((l) => "  " + l),
        `  var acc = ${c.init};`,
        // Each invocation starts at its own first position (lid < redCount since redCount > WG).
        ...(positional ? [`  var at = lid;`] : []),
        `  if (live) {`,
        `    for (var r = lid; r < ${redCount}u; r += ${WG}u) {`,
        ...inner,
        `      ${c.fold(term, "r")}`,
        `    }`,
        `  }`,
        `  partial[lid] = acc;`,
        ...(positional ? [`  position[lid] = at;`] : []),
        `  workgroupBarrier();`,
        `  for (var s = ${WG / 2}u; s > 0u; s /= 2u) {`,
        `    if (lid < s) { ${c.merge("lid", "lid + s")} }`,
        `    workgroupBarrier();`,
        `  }`,
        `  if (live && lid == 0u) {`,
        ...storeLines.map((l) => "    " + l),
        `    out0[o] = ${stored};`,
        `  }`,
      ]
    : [
        `  let o = group * ${WG}u + lid;`,
        `  if (o >= ${outCount}u) { return; }`,
        ...o.lines.map((l) => "  " + l),
        `  var acc = ${c.init};`,
        ...(positional ? [`  var at = 0u;`] : []),
        `  for (var r = 0u; r < ${redCount}u; r += 1u) {`,
        ...inner,
        `      ${c.fold(term, "r")}`,
        `  }`,
        ...storeLines.map((l) => "  " + l),
        `  out0[o] = ${stored};`,
      ];
  const dispatch = wide ? grid(outCount) : grid(groups(outCount, WG));
  const shared = wide ? WG * 4 * (positional ? 2 : 1) : 0;
  return b.finish({ main: main.join("\n"), workgroupSize: [WG, 1, 1], dispatch, covers: [{ binding: "out0", shape: [outCount], tile: [wide ? 1 : WG] }], workgroupBytes: shared });
}
