/**
 * The float64 training step of a random program against finite differences, on the CPU alone: the
 * part of a program's correctness that comparing two backends cannot see (both run the same backward
 * graph, so a wrong adjoint rule or an unsound simplification is wrong on both). For a random
 * direction D over the inputs (symmetric for symmetric-typed inputs, whose gradient is defined
 * against symmetric directions only), the adjoint's ⟨∇L, D⟩ must match central differences of L
 * along D. One direction moves every input at once, and one more per input names the culprit.
 *
 * Tolerance: the difference quotient q(h) is taken at h, h/2 and h/4; its own error is estimated
 * from how much those disagree (round-off grows like 1/h, truncation like h²), so the check is
 * |⟨∇L, D⟩ − q(h/2)| ≤ 8·max(|q(h) − q(h/2)|, |q(h/2) − q(h/4)|) + 1e-7·Σ‖∇_x L‖₂‖D_x‖₂ + 1e-8·(1 + |L|).
 * The last term is relative to the size of the derivative's terms, not of their sum, so a
 * directional derivative that cancels to ~0 is not noise over noise. Where the estimate's own
 * error exceeds 1% of that size, the direction is uninformative (counted, not judged).
 */
import { differentiate } from "../../compiler/passes/differentiate.js";
import { isSymmetric, MatpropError, type Graph } from "../../ir/index.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { measureSpread } from "./tolerance.js";
import { borderline } from "./well-defined.js";

const STEP = 1e-5;

export type GradientOutcome =
  | { readonly kind: "agree"; readonly directions: number; readonly uninformative: number }
  | { readonly kind: "skipped"; readonly why: string }
  | { readonly kind: "disagree"; readonly why: string };

function direction(x: NDArray, symmetric: boolean, r: Random): NDArray {
  const d = Float64Array.from(x.data, () => r.normal());
  if (symmetric) {
    const n = x.shape[x.shape.length - 1];
    for (let o = 0; o < d.length; o += n * n) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) d[o + j * n + i] = d[o + i * n + j];
  }
  return { shape: x.shape, data: d };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const norm = (a: Float64Array) => Math.sqrt(dot(a, a));

export function checkGradients(forward: Graph, feeds: ReadonlyMap<string, NDArray>, seed: number): GradientOutcome {
  let base: number;
  try {
    const run = executeCPU(forward, feeds, { fuse: false });
    base = run.outputs.get("loss")!.data[0];
    // A kink or domain edge within rounding distance is within a finite-difference step too.
    const why = borderline(forward, run.values, measureSpread(forward, feeds, run.values, seed).runs);
    if (why) return { kind: "skipped", why };
  } catch (e) {
    if (e instanceof MatpropError) return { kind: "skipped", why: `the forward pass fails: ${e.code}` };
    throw e;
  }
  let step: Graph;
  try {
    step = differentiate(forward).graph;
  } catch (e) {
    if (e instanceof MatpropError) return { kind: "disagree", why: `the training step cannot be built: ${e.code} ${e.message}` };
    throw e;
  }
  let grads: Map<string, NDArray>;
  try {
    grads = new Map([...executeCPU(step, feeds).outputs].filter(([k]) => k.startsWith("grad.")).map(([k, v]) => [k.slice(5), v]));
  } catch (e) {
    if (e instanceof MatpropError) return { kind: "skipped", why: `the gradient is undefined here: ${e.code}` };
    throw e;
  }
  const sources = forward.sources().filter((n) => grads.has(n.attrs.name as string));
  const r = new Random(seed);
  const moves = new Map(sources.map((n) => [n.attrs.name as string, direction(feeds.get(n.attrs.name as string)!, isSymmetric(n.outputs[0].type.structure), r)]));
  const loss = (t: number, only?: string): number => {
    const moved = new Map(feeds);
    for (const [name, d] of moves) {
      if (only && name !== only) continue;
      const x = feeds.get(name)!;
      moved.set(name, { shape: x.shape, data: Float64Array.from(x.data, (v, i) => v + t * d.data[i]) });
    }
    return executeCPU(forward, moved).outputs.get("loss")!.data[0];
  };
  let directions = 0;
  let uninformative = 0;
  for (const only of [undefined, ...moves.keys()]) {
    const names = only ? [only] : [...moves.keys()];
    const adjoint = names.reduce((s, k) => s + dot(grads.get(k)!.data, moves.get(k)!.data), 0);
    const size = names.reduce((s, k) => s + norm(grads.get(k)!.data) * norm(moves.get(k)!.data), 0);
    // Round-off of the difference quotient itself: a loss computed to ~100 ulps, differenced at a
    // step of 1e-5, is uncertain by 100·2.2e-16·(1 + |L|)/1e-5 ≈ 2e-9·(1 + |L|) — a gradient that is
    // zero up to that is zero (the three steps' spread can miss it when they round alike).
    const roundoff = 1e-8 * (1 + Math.abs(base));
    let q: number[];
    try {
      q = [STEP, STEP / 2, STEP / 4].map((h) => (loss(h, only) - loss(-h, only)) / (2 * h));
    } catch (e) {
      if (e instanceof MatpropError) return { kind: "skipped", why: `a moved input leaves the domain: ${e.code}` };
      throw e;
    }
    const own = Math.max(Math.abs(q[0] - q[1]), Math.abs(q[1] - q[2]));
    directions++;
    if (own > 1e-2 * size + roundoff) {
      uninformative++;
      continue;
    }
    const error = Math.abs(adjoint - q[1]);
    if (!(error <= 8 * own + 1e-7 * size + roundoff)) {
      const along = only ? `input ${only}` : "all inputs";
      return { kind: "disagree", why: `along a random direction of ${along}: adjoint ${adjoint.toExponential(6)}, finite differences ${q[1].toExponential(6)} (±${own.toExponential(1)}), terms of size ${size.toExponential(2)}` };
    }
  }
  return { kind: "agree", directions, uninformative };
}
