/**
 * Is a program well defined *at f32 precision* at its inputs? Recipes build programs so that it
 * is (conditioning.ts), and this is the check over the graph that actually runs — the forward pass
 * or the training step, whose backward nodes no recipe saw. A program is borderline when an op's
 * branch or domain depends on a quantity that f32 rounding can push across the boundary: the
 * difference at a relu/max/abs/sign kink or of a comparison (an exact tie no run moves is allowed),
 * a max-pool window's top two entries, the argument of log/sqrt/a fractional power, a divisor. "Can push" uses the same measured spread as the
 * tolerance (tolerance.ts): a margin smaller than SAFETY times the spread, or than FLOOR of the
 * operand's scale, is borderline. Borderline programs are not compared (they are counted).
 */
import { getOp, type Graph, type Node, type Value } from "../../ir/index.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { maxAbs, slicesDecided, windowsDecided } from "./conditioning.js";
import { FLOOR, SAFETY, type Values } from "./tolerance.js";

const PAIRWISE = new Set(["maximum", "minimum", "greater", "less", "equal"]);

/** The quantity whose sign decides the branch (maximum, minimum, the comparisons: a − b), in the clean run and each perturbed run. */
function branchArgument(node: Node, values: Values): NDArray {
  const [a, b] = node.inputs.map((v) => values.get(v)!);
  return PAIRWISE.has(node.op) ? getOp("sub").evalCPU([a, b], {}, { dim: () => 0 })[0] : a;
}

interface Margin {
  /** Entry i must satisfy this against its margin; `zero`: an exact 0 in every run is allowed. */
  readonly side: "positive" | "nonzero";
  readonly zeroAllowed: boolean;
}

function domainOf(node: Node): Margin | null {
  switch (node.op) {
    case "maximum":
    case "minimum":
    case "greater":
    case "less":
    case "equal":
    case "abs":
    case "sign":
      return { side: "nonzero", zeroAllowed: true };
    case "log":
    case "sqrt":
      return { side: "positive", zeroAllowed: false };
    case "pow": {
      const p = node.attrs.p as number;
      if (!Number.isInteger(p)) return { side: "positive", zeroAllowed: false };
      return p < 0 ? { side: "nonzero", zeroAllowed: false } : null;
    }
    default:
      return null;
  }
}

function checkEntries(what: string, clean: NDArray, runs: NDArray[], m: Margin): string | null {
  const scale = maxAbs(clean.data);
  for (let i = 0; i < clean.data.length; i++) {
    const x = clean.data[i];
    let dev = 0;
    for (const r of runs) dev = Math.max(dev, Math.abs(r.data[i] - x));
    if (x === 0 && dev === 0 && m.zeroAllowed) continue;
    const margin = SAFETY * dev + FLOOR * scale;
    const ok = m.side === "positive" ? x > margin : Math.abs(x) > margin;
    if (!ok) return `${what}: entry ${i} is ${x.toExponential(2)}, within ${margin.toExponential(1)} of its boundary`;
  }
  return null;
}

/** Every window's maximum wins by more than f32 can move it (exact ties that no run moves are allowed). */
function checkWindows(node: Node, x: Value, clean: Values, runs: Values[]): string | null {
  const cx = clean.get(x)!;
  const scale = maxAbs(cx.data);
  const dev = (cells: number[]) => Math.max(0, ...runs.flatMap((r) => cells.map((i) => Math.abs(r.get(x)!.data[i] - cx.data[i]))));
  const [kernel, stride, padding] = (["kernel", "stride", "padding"] as const).map((k) => node.attrs[k] as [number, number]);
  if (windowsDecided(cx, kernel, stride, padding, (cells) => SAFETY * dev(cells) + FLOOR * scale, (cells) => dev(cells) === 0)) return null;
  return `${node.op} (node ${node.id}): a window's top two entries are closer than f32 can tell apart`;
}

/** argmax/argmin: every slice's winner leads by more than f32 can move the entries (else f32 may pick another index). */
function checkSlices(node: Node, clean: Values, runs: Values[]): string | null {
  const x = node.inputs[0];
  const cx = clean.get(x)!;
  const r = cx.shape.length;
  const axis = node.attrs.axis as number[] | null;
  const axes = axis === null ? [...Array(r).keys()] : axis.map((a) => (a + r) % r);
  const dev = (cells: number[]) => Math.max(0, ...runs.flatMap((run) => cells.map((i) => Math.abs(run.get(x)!.data[i] - cx.data[i]))));
  if (slicesDecided(cx, axes, (cells) => SAFETY * dev(cells) + FLOOR * maxAbs(cx.data))) return null;
  return `${node.op} (node ${node.id}): a slice's top two entries are closer than f32 can tell apart`;
}

/** Why `g` is borderline at f32 precision at these values, or null when it is well defined. */
export function borderline(g: Graph, clean: Values, runs: Values[]): string | null {
  for (const node of g.nodes) {
    if (node.op === "maxPool2d" || node.op === "maxPool2dBackward") {
      const why = checkWindows(node, node.inputs[0], clean, runs);
      if (why) return why;
      continue;
    }
    if (node.op === "argmax" || node.op === "argmin") {
      const why = checkSlices(node, clean, runs);
      if (why) return why;
      continue;
    }
    if (node.op === "div") {
      const [, d] = node.inputs;
      const why = checkEntries(`div (node ${node.id}) divisor`, clean.get(d)!, runs.map((r) => r.get(d)!), { side: "nonzero", zeroAllowed: false });
      if (why) return why;
      continue;
    }
    const m = domainOf(node);
    if (!m) continue;
    const why = checkEntries(`${node.op} (node ${node.id})`, branchArgument(node, clean), runs.map((r) => branchArgument(node, r)), m);
    if (why) return why;
  }
  return null;
}
