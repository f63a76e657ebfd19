/**
 * Batched matrix product C = A·B with fused operands: A and B are expressions (so a transpose is
 * index arithmetic, and an elementwise prologue — the Hadamard step of U (L ∘ M) Uᵀ — is computed
 * while loading the tile), and an optional epilogue maps each accumulated entry. Tiled: each
 * workgroup computes a TILE×TILE block of C, staging TILE×TILE tiles of A and B in workgroup memory.
 * Batch dims broadcast (NumPy).
 */
import { grid } from "../kernel.js";
import { unravel, type Expr } from "../expr.js";
import { storeEntry } from "./epilogue.js";
import { type BuiltKernel, KernelScaffold } from "./scaffold.js";

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
  const kb = new KernelScaffold(name);
  const bc = unravel("bi", batch, "b");
  const aBatch = batchCoords(bc.coords, a.shape.slice(0, -2));
  const bBatch = batchCoords(bc.coords, b.shape.slice(0, -2));
  // Tile loads: thread (ty, tx) loads A[row, t·TILE + tx] and B[t·TILE + ty, col].
  const aVal = kb.emitter.emit(a, [...aBatch, "ar", "ak"]);
  const aLines = kb.emitter.take();
  const bVal = kb.emitter.emit(b, [...bBatch, "bk", "bc"]);
  const bLines = kb.emitter.take();
  const outCoords = [...bc.coords, "row", "col"];
  // An epilogue that transposes or reshapes stores each entry where its consumer has it.
  const store =
    typeof epilogue === "function"
      ? { lines: [], index: `bi * ${m * n}u + row * ${n}u + col`, value: epilogue("acc", outCoords) }
      : storeEntry(kb.emitter, epilogue, "acc", outCoords, outShape);
  const epiLines = store.lines;
  kb.write("out0", out, batchCount * m * n);
  kb.declare(`var<workgroup> tileA: array<f32, ${TILE * TILE}>;`, `var<workgroup> tileB: array<f32, ${TILE * TILE}>;`);
  const ind = (ls: string[], d: string) => ls.map((l) => d + l);
  const body = [
    `  let flat = group;`,
    `  let bi = flat / ${tilesM * tilesN}u;`,
    `  let tileIdx = flat % ${tilesM * tilesN}u;`,
    `  let live = bi < ${batchCount}u;`,
    ...ind(bc.lines, "  "),
    `  let row = (tileIdx / ${tilesN}u) * ${TILE}u + lid3.y;`,
    `  let col = (tileIdx % ${tilesN}u) * ${TILE}u + lid3.x;`,
    `  var acc = 0.0;`,
    `  for (var t = 0u; t < ${Math.ceil(k / TILE)}u; t += 1u) {`,
    `    let ar = row; let ak = t * ${TILE}u + lid3.x;`,
    `    var av = 0.0;`,
    `    if (live && ar < ${m}u && ak < ${k}u) {`,
    ...ind(aLines, "      "),
    `      av = ${aVal};`,
    `    }`,
    `    tileA[lid3.y * ${TILE}u + lid3.x] = av;`,
    `    let bk = t * ${TILE}u + lid3.y; let bc = col;`,
    `    var bv = 0.0;`,
    `    if (live && bk < ${k}u && bc < ${n}u) {`,
    ...ind(bLines, "      "),
    `      bv = ${bVal};`,
    `    }`,
    `    tileB[lid3.y * ${TILE}u + lid3.x] = bv;`,
    `    workgroupBarrier();`,
    `    for (var q = 0u; q < ${TILE}u; q += 1u) { acc += tileA[lid3.y * ${TILE}u + q] * tileB[q * ${TILE}u + lid3.x]; }`,
    `    workgroupBarrier();`,
    `  }`,
    `  if (live && row < ${m}u && col < ${n}u) {`,
    ...ind(epiLines, "    "),
    `    out0[${store.index}] = ${store.value};`,
    `  }`,
  ];
  return kb.finish({ main: body.join("\n"), workgroupSize: [TILE, TILE, 1], dispatch: grid(batchCount * tilesM * tilesN), covers: [{ binding: "out0", shape: [batchCount, m, n], tile: [1, TILE, TILE] }], workgroupBytes: 2 * TILE * TILE * 4 });
}
