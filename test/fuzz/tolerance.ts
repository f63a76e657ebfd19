/**
 * The f32 tolerance of a program's outputs, measured rather than guessed: the graph is re-run on the
 * float64 CPU with every op's result perturbed the way an f32 kernel perturbs it (Monte Carlo
 * arithmetic, Parker 1997), and the spread of the outputs over a few such runs is how much f32
 * rounding can move each output *at these inputs*. That spread is the program's conditioning:
 * it grows with eigenvalue gaps closing, condition numbers, cancellation and input magnitudes, and
 * is tiny for well-conditioned programs.
 *
 * The rule (checked in compare.ts), per output o with float64 value y and WebGPU value ŷ:
 *
 *   max|ŷ − y| ≤ SAFETY · spread_o + FLOOR · max|y|
 *
 * where spread_o is the largest max-norm deviation of o over RUNS perturbed runs. SAFETY covers an
 * f32 kernel being worse than the model by a constant (other summation orders, WGSL's exp/log being
 * a few ulp off); FLOOR (≈ 170 ulp) covers outputs the model perturbs by almost nothing. An output
 * whose spread exceeds UNINFORMATIVE of its size is not compared (f32 cannot compute it; counted).
 *
 * The error model, with u = 2⁻²⁴:
 * - exact in f32 (no perturbation): data movement, constants, sign/abs/neg/max, `assume`,
 *   comparisons and `where` (a pick);
 * - elementwise arithmetic (+ − × ÷ √): each entry times (1 + δ), |δ| ≤ 2u; exp/log/pow |δ| ≤ 8u;
 * - reductions, products, convolutions and the other kernels that sum: every entry plus δ·c·u·max|out|
 *   with c = 4√K, K the largest input dim (the usual √K growth of a sum's rounding error);
 * - decompositions, solves and matrix functions: backward stable, so the *input* is perturbed
 *   (symmetrically where the op reads a symmetric matrix) by δ·2n·u·max|A| before the float64
 *   evaluation, and the result rounded as above.
 */
import { MatpropError, getOp, type Graph, type Node, type Value } from "../../ir/index.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { maxAbs } from "./conditioning.js";

export const U32 = 2 ** -24;
export const SAFETY = 16;
export const FLOOR = 1e-5;
export const UNINFORMATIVE = 0.05;
export const RUNS = 3;

const EXACT = new Set(["input", "param", "constant", "dimSize", "eye", "transpose", "reshape", "diag", "diagm", "broadcastTo", "assume", "neg", "abs", "sign", "maximum", "minimum", "lowerHalf", "oneHot", "max", "min", "argmax", "argmin", "slice", "concatenate", "take", "permute", "greater", "less", "equal", "where"]);
const ROUNDED = new Set(["add", "sub", "mul", "div", "sqrt"]);
const TRANSCENDENTAL = new Set(["exp", "log", "pow", "tanh", "sigmoid"]);
/** Ops whose algorithm is backward stable on its (first) matrix input; true where that input is symmetric. */
const BACKWARD_STABLE: Readonly<Record<string, boolean>> = {
  eigh: true,
  cholesky: true,
  logm: true,
  sqrtm: true,
  expm: true,
  topEigenProjector: true,
  svd: false,
  inv: false,
  solve: false,
  rangeProjector: false,
  eigvalsh: true,
  powm: true,
  sqrtmNewtonSchulz: true,
  det: false,
  slogdet: false,
  norm: false,
  qr: false,
  pinv: false,
  polar: false,
};

export type Values = Map<Value, NDArray>;

function perturbEntries(x: NDArray, rng: Random, size: (i: number) => number): NDArray {
  const data = Float64Array.from(x.data, (v, i) => v + (2 * rng.uniform() - 1) * size(i));
  return { shape: x.shape, data };
}

/** Symmetric (for `symmetric`) normwise noise δ·c·u·max|A| on each matrix of a batch. */
function perturbMatrix(a: NDArray, c: number, symmetric: boolean, rng: Random): NDArray {
  const scale = c * U32 * maxAbs(a.data);
  const noisy = perturbEntries(a, rng, () => scale);
  return symmetric ? mirror(noisy) : noisy;
}

function largestDim(node: Node, values: Values): number {
  return Math.max(1, ...node.inputs.flatMap((v) => values.get(v)!.shape));
}

/** Every matrix of the batch exactly symmetric (A + Aᵀ, F Fᵀ: f32 kernels keep those exact too). */
function exactlySymmetric(x: NDArray): boolean {
  const r = x.shape.length;
  if (r < 2 || x.shape[r - 1] !== x.shape[r - 2]) return false;
  const n = x.shape[r - 1];
  for (let o = 0; o < x.data.length; o += n * n) {
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (x.data[o + i * n + j] !== x.data[o + j * n + i]) return false;
  }
  return true;
}

/** Copies each matrix's lower triangle onto its upper one. */
function mirror(x: NDArray): NDArray {
  const n = x.shape[x.shape.length - 1];
  for (let o = 0; o < x.data.length; o += n * n) {
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x.data[o + j * n + i] = x.data[o + i * n + j];
  }
  return x;
}

function roundOutput(node: Node, out: NDArray, values: Values, rng: Random): NDArray {
  if (EXACT.has(node.op)) return out;
  let noisy: NDArray;
  if (ROUNDED.has(node.op) || TRANSCENDENTAL.has(node.op)) {
    const rel = (ROUNDED.has(node.op) ? 2 : 8) * U32;
    noisy = perturbEntries(out, rng, (i) => rel * Math.abs(out.data[i]));
  } else {
    const abs = 4 * Math.sqrt(largestDim(node, values)) * U32 * maxAbs(out.data);
    noisy = perturbEntries(out, rng, () => abs);
  }
  return exactlySymmetric(out) ? mirror(noisy) : noisy;
}

/** One run of `g` with f32-like rounding injected; throws the MatpropError a node raises. */
export function perturbedRun(g: Graph, feeds: ReadonlyMap<string, NDArray>, rng: Random): Values {
  const { sources, dims } = bindInputs(g, feeds, 0);
  const ctx = { dim: (d: string | number) => (typeof d === "number" ? d : dims.get(d)!) };
  const values: Values = new Map();
  for (const node of g.nodes) {
    const src = sources.get(node);
    if (src) {
      values.set(node.outputs[0], src);
      continue;
    }
    let inputs = node.inputs.map((v) => values.get(v)!);
    const symmetric = BACKWARD_STABLE[node.op];
    if (symmetric !== undefined) {
      const n = inputs[0].shape[inputs[0].shape.length - 1];
      inputs = [perturbMatrix(inputs[0], 2 * n, symmetric, rng), ...inputs.slice(1)];
    }
    let outs: NDArray[];
    try {
      outs = getOp(node.op).evalCPU(inputs, node.attrs, ctx);
    } catch (e) {
      throw e instanceof MatpropError ? e : new MatpropError("MP5001", `${node.op} (node ${node.id}) failed under f32-sized perturbation: ${(e as Error).message}`);
    }
    outs.forEach((out, i) => {
      if (out.data.some((z) => !Number.isFinite(z))) throw new MatpropError("MP5001", `${node.op} (node ${node.id}) is not finite under f32-sized perturbation`);
      values.set(node.outputs[i], roundOutput(node, out, values, rng));
    });
  }
  return values;
}

export interface Spread {
  /** Per output name: the largest max-norm deviation from the float64 run. */
  readonly outputs: Map<string, number>;
  /** The perturbed runs' values (for the borderline check of kinks). */
  readonly runs: Values[];
}

/** RUNS perturbed runs of `g` against the clean float64 values `clean`; throws when a run fails. */
export function measureSpread(g: Graph, feeds: ReadonlyMap<string, NDArray>, clean: Values, seed: number): Spread {
  const runs = Array.from({ length: RUNS }, (_, r) => perturbedRun(g, feeds, new Random(seed + 104729 * (r + 1))));
  const outputs = new Map<string, number>();
  for (const o of g.outputs) {
    const y = clean.get(o.value)!.data;
    let dev = 0;
    for (const run of runs) {
      const z = run.get(o.value)!.data;
      for (let i = 0; i < y.length; i++) dev = Math.max(dev, Math.abs(z[i] - y[i]));
    }
    outputs.set(o.name, dev);
  }
  return { outputs, runs };
}

/** The allowed max-norm error of an output with float64 value `y` and spread `spread`. */
export function allowedError(y: ArrayLike<number>, spread: number): number {
  return SAFETY * spread + FLOOR * maxAbs(y);
}

/** True when f32 cannot be expected to compute the output at all (its spread is a sizable part of it). */
export function uninformative(y: ArrayLike<number>, spread: number): boolean {
  return spread > UNINFORMATIVE * maxAbs(y);
}
