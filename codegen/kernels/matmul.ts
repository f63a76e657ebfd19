/**
 * Batched matrix product C = A·B with fused operands: A and B are expressions (so a transpose is
 * index arithmetic, and an elementwise prologue — the Hadamard step of U (L ∘ M) Uᵀ — is computed
 * while loading the tile), and an optional epilogue maps each accumulated entry. Tiled: each
 * workgroup computes a TILE×TILE block of C, staging TILE×TILE tiles of A and B in workgroup memory.
 * Batch dims broadcast (NumPy).
 */
import { grid } from "../kernel.js";
import { unravel, type Expr } from "../expr.js";
import { KernelBuilder, MAIN_SIGNATURE, type BuiltKernel } from "./builder.js";

const TILE = 8;

/** Epilogue: WGSL for the stored value from the accumulator `acc` and the (batch…, i, j) coords. */
export type Epilogue = (acc: string, coords: readonly string[]) => string;

function batchCoords(out: readonly string[], shape: readonly number[]): string[] {
  const off = out.length - shape.length;
  return shape.map((d, i) => (d === 1 ? "0u" : out[off + i]));
}

/**
 * `epilogue` is a function of the accumulator, or an expression over the output coordinates whose
 * `accumulator` leaves stand for the accumulated entry (an elementwise consumer fused in).
 */
export function matmulKernel(name: string, a: Expr, b: Expr, outShape: readonly number[], out: number, epilogue?: Epilogue | Expr): BuiltKernel {
    const r = outShape.length;
  const [m, n] = [outShape[r - 2], outShape[r - 1]];
  const k = a.shape[a.shape.length - 1];
  const batch = outShape.slice(0, -2);
  const batchCount = batch.reduce((p, d) => p * d, 1);
  const tilesM = Math.ceil(m / TILE);
  const tilesN = Math.ceil(n / TILE);
  const kb = new KernelBuilder([{ value: out, shape: outShape }]);
  const bc = unravel("bi", batch, "b");
  const aBatch = batchCoords(bc.coords, a.shape.slice(0, -2));
  const bBatch = batchCoords(bc.coords, b.shape.slice(0, -2));
  // Tile loads: thread (ty, tx) loads A[row, t·TILE + tx] and B[t·TILE + ty, col].
  const aVal = kb.emitter.emit(a, [...aBatch, "ar", "ak"]);
  const aLines = kb.take();
  const bVal = kb.emitter.emit(b, [...bBatch, "bk", "bc"]);
  const bLines = kb.take();
  const outCoords = [...bc.coords, "row", "col"];
  const stored = !epilogue ? "acc" : typeof epilogue === "function" ? epilogue("acc", outCoords) : kb.emitter.emit(epilogue, outCoords);
  const epiLines = kb.take();
  const ind = (ls: string[], d: string) => ls.map((l) => d + l);
  const body = [
    `const WG = ${TILE * TILE}u;`,
    `var<workgroup> tileA: array<f32, ${TILE * TILE}>;`,
    `var<workgroup> tileB: array<f32, ${TILE * TILE}>;`,
    `@compute @workgroup_size(${TILE}, ${TILE}) ${MAIN_SIGNATURE} {`,
    `  let flat = wid.x + wid.y * nwg.x;`,
    `  let bi = flat / ${tilesM * tilesN}u;`,
    `  let tileIdx = flat % ${tilesM * tilesN}u;`,
    `  let live = bi < ${batchCount}u;`,
    ...ind(bc.lines, "  "),
    `  let row = (tileIdx / ${tilesN}u) * ${TILE}u + lid.y;`,
    `  let col = (tileIdx % ${tilesN}u) * ${TILE}u + lid.x;`,
    `  var acc = 0.0;`,
    `  for (var t = 0u; t < ${Math.ceil(k / TILE)}u; t += 1u) {`,
    `    let ar = row; let ak = t * ${TILE}u + lid.x;`,
    `    var av = 0.0;`,
    `    if (live && ar < ${m}u && ak < ${k}u) {`,
    ...ind(aLines, "      "),
    `      av = ${aVal};`,
    `    }`,
    `    tileA[lid.y * ${TILE}u + lid.x] = av;`,
    `    let bk = t * ${TILE}u + lid.y; let bc = col;`,
    `    var bv = 0.0;`,
    `    if (live && bk < ${k}u && bc < ${n}u) {`,
    ...ind(bLines, "      "),
    `      bv = ${bVal};`,
    `    }`,
    `    tileB[lid.y * ${TILE}u + lid.x] = bv;`,
    `    workgroupBarrier();`,
    `    for (var q = 0u; q < ${TILE}u; q += 1u) { acc += tileA[lid.y * ${TILE}u + q] * tileB[q * ${TILE}u + lid.x]; }`,
    `    workgroupBarrier();`,
    `  }`,
    `  if (live && row < ${m}u && col < ${n}u) {`,
    ...ind(epiLines, "    "),
    `    out0[bi * ${m * n}u + row * ${n}u + col] = ${stored};`,
    `  }`,
    `}`,
  ];
  return kb.finish(name, body.join("\n"), [TILE, TILE, 1], grid(batchCount * tilesM * tilesN), [{ shape: [batchCount, m, n], tile: [1, TILE, TILE] }], 2 * TILE * TILE * 4);
}
