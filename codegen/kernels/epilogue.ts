/**
 * Storing a kernel's result through an epilogue: an elementwise consumer chain fused into the
 * kernel that produces its operand (fuse.ts findEpilogues), as an expression at the consumer's
 * shape whose `accumulator` leaf stands for the kernel's entry. The chain may rearrange entries
 * (transposes and reshapes between the accumulator and the consumer): the entry is then stored
 * where the consumer has it.
 */
import { stridesOf } from "../../numeric/ndarray.js";
import { unravel, type Expr, type WgslEmitter } from "../expr.js";

type OpExpr = Extract<Expr, { kind: "op" }>;

/** The view ops (transpose, reshape) between an epilogue's root and its accumulator leaf, root first. */
function viewPath(e: Expr): OpExpr[] | undefined {
  if (e.kind !== "op") return undefined;
  if (e.op === "accumulator") return [];
  for (const a of e.args) {
    const below = viewPath(a);
    if (below) return e.op === "transpose" || e.op === "reshape" ? [e, ...below] : below;
  }
  return undefined;
}

const ravel = (coords: readonly string[], shape: readonly number[]) => {
  const st = stridesOf(shape);
  return coords.map((x, i) => (shape[i] === 1 ? "" : st[i] === 1 ? x : `${x} * ${st[i]}u`)).filter(Boolean).join(" + ") || "0u";
};

/**
 * WGSL storing the kernel's entry at u32 coordinates `coords` of its result (shape `shape`, value
 * `acc`): without an epilogue the entry at its own row-major index; with one, the consumer's value
 * at the consumer's index (the entry's coordinates moved through each view op from the accumulator
 * up). Returns the statements to run first, the index and the value to store.
 */
export function storeEntry(emitter: WgslEmitter, epilogue: Expr | undefined, acc: string, coords: readonly string[], shape: readonly number[]): { lines: string[]; index: string; value: string } {
  if (!epilogue) return { lines: [], index: ravel(coords, shape), value: acc };
  const pending = emitter.take();
  let c = [...coords];
  let s = [...shape];
  (viewPath(epilogue) ?? []).reverse().forEach((v, k) => {
    if (v.op === "transpose") {
      const r = c.length;
      c = [...c.slice(0, r - 2), c[r - 1], c[r - 2]];
    } else {
      const flat = `sf${k}`;
      emitter.lines.push(`let ${flat} = ${ravel(c, s)};`);
      const u = unravel(flat, v.shape, `sc${k}_`);
      emitter.lines.push(...u.lines);
      c = u.coords;
    }
    s = [...v.shape];
  });
  emitter.accumulator = acc;
  const value = emitter.emit(epilogue, c);
  const lines = emitter.take();
  emitter.lines.push(...pending);
  return { lines, index: ravel(c, s), value };
}
