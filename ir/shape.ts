/** Shape rules shared by several ops' type rules (broadcasting, matrix dims, reductions). */
import { fail } from "./diagnostics.js";
import { formatShape, type Dim, type Shape, type TensorType } from "./types.js";

/** NumPy broadcasting of two shapes; named dims only broadcast with themselves or 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = new Array(n);
  for (let i = 1; i <= n; i++) {
    const x = i <= a.length ? a[a.length - i] : 1;
    const y = i <= b.length ? b[b.length - i] : 1;
    if (x === y || y === 1) out[n - i] = x;
    else if (x === 1) out[n - i] = y;
    else fail("MP2003", `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dim ${x} vs ${y})`);
  }
  return out;
}

/** Demand a (batched) matrix of rank ≥ 2; returns [batch, rows, cols]. */
export function matrixDims(op: string, t: TensorType, what = "input"): [Dim[], Dim, Dim] {
  if (t.shape.length < 2) fail("MP2007", `${op}: ${what} must be a matrix (rank ≥ 2), got shape ${formatShape(t.shape)}`);
  const s = t.shape;
  return [s.slice(0, -2), s[s.length - 2], s[s.length - 1]];
}

/** Demand a (batched) square matrix; returns [batch, n]. */
export function squareDims(op: string, t: TensorType, what = "input"): [Dim[], Dim] {
  const [batch, r, c] = matrixDims(op, t, what);
  if (r !== c) fail("MP2001", `${op}: ${what} must be square, got shape ${formatShape(t.shape)}`);
  return [batch, r];
}

/** Normalise reduction axes against a rank (negative axes count from the end). */
export function normaliseAxes(op: string, axes: readonly number[] | null, rank: number): number[] {
  if (axes === null) return [...Array(rank).keys()];
  const out = axes.map((a) => {
    if (a < -rank || a >= rank) fail("MP2004", `${op}: axis ${a} is out of range for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) fail("MP2004", `${op}: axes ${JSON.stringify(axes)} repeat an axis`);
  return out.sort((x, y) => x - y);
}

export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/**
 * Resolve a reshape target against the input shape. Named dims must appear on both sides (they are
 * unknown sizes); at most one -1 is inferred from the numeric sizes.
 */
export function resolveReshape(op: string, from: Shape, to: readonly Dim[]): Dim[] {
  const numeric = (s: readonly Dim[]) => s.reduce<number>((p, d) => (typeof d === "number" && d !== -1 ? p * d : p), 1);
  const named = (s: readonly Dim[]) => s.filter((d): d is string => typeof d === "string").sort();
  const holes = to.filter((d) => d === -1).length;
  if (holes > 1) fail("MP2005", `${op}: at most one -1 in the target shape ${formatShape(to)}`);
  if (to.some((d) => typeof d === "number" && (d < -1 || !Number.isInteger(d)))) fail("MP2012", `${op}: invalid target shape ${formatShape(to)}`);
  const namesFrom = named(from);
  const namesTo = named(to);
  if (namesFrom.join("\u0000") !== namesTo.join("\u0000")) {
    fail("MP2005", `${op}: cannot reshape ${formatShape(from)} to ${formatShape(to)}: named dims must be kept`);
  }
  const pFrom = numeric(from);
  const pTo = numeric(to);
  if (holes === 1) {
    if (pTo === 0 || pFrom % pTo !== 0) fail("MP2005", `${op}: cannot reshape ${formatShape(from)} to ${formatShape(to)}`);
    return to.map((d) => (d === -1 ? pFrom / pTo : d));
  }
  if (pFrom !== pTo) fail("MP2005", `${op}: cannot reshape ${formatShape(from)} (${pFrom} elements) to ${formatShape(to)} (${pTo})`);
  return [...to];
}
