/**
 * Finite-difference check of the adjoint pass, in float64 on the CPU executor: central differences
 * for every element of every float input and param, with symmetric perturbations (E_ij + E_ji)
 * for symmetric-typed inputs, whose gradient is defined against symmetric directions only.
 */
import type { Graph } from "../ir/graph.js";
import { isFloat, isSymmetric } from "../ir/types.js";
import { executeCPU } from "../runtime/cpu/execute.js";
import { matrixBatch, type NDArray } from "../runtime/cpu/ndarray.js";
import { differentiate } from "./passes/differentiate.js";
import { gradOutputs } from "./passes/adjoint.js";

const GRAD_FLOOR = 1e-8;

export interface InputCheck {
  readonly name: string;
  /** ‖fd − adjoint‖∞ / max(‖adjoint‖∞, ‖fd‖∞, 1e-8): normwise relative error. */
  readonly relError: number;
  readonly maxAbsError: number;
  readonly checked: number;
}

export interface GradcheckResult {
  readonly worst: number;
  readonly inputs: InputCheck[];
  /** The adjoint's gradients, by input/param name. */
  readonly grads: Map<string, NDArray>;
}

export interface GradcheckOptions {
  readonly seed?: number;
  /** Relative step (scaled by max(1, |x|)); 1e-5 balances truncation (h²) against round-off (ε/h). */
  readonly step?: number;
  readonly loss?: string;
}

function perturbations(x: NDArray, symmetric: boolean): { indices: number[]; weight: number }[] {
  if (!symmetric) return Array.from(x.data, (_, i) => ({ indices: [i], weight: 1 }));
  const { rows: n, count } = matrixBatch(x);
  const out: { indices: number[]; weight: number }[] = [];
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const o = b * n * n;
        out.push(i === j ? { indices: [o + i * n + i], weight: 1 } : { indices: [o + i * n + j, o + j * n + i], weight: 1 });
      }
    }
  }
  return out;
}

export function gradcheck(forward: Graph, feeds: ReadonlyMap<string, NDArray>, opts: GradcheckOptions = {}): GradcheckResult {
  const loss = opts.loss ?? "loss";
  const seed = opts.seed ?? 0;
  const step = opts.step ?? 1e-5;
  // Bind once so params initialised from the seed are the same in every evaluation.
  const base = executeCPU(forward, feeds, { seed });
  const all = new Map(base.sources);
  const { graph } = differentiate(forward, { loss });
  const run = executeCPU(graph, all, { seed });
  const gradValues = gradOutputs(graph);
  const grads = new Map([...gradValues.keys()].map((name) => [name, run.outputs.get(`grad.${name}`)!]));
  const lossAt = (name: string, x: NDArray) => executeCPU(forward, new Map(all).set(name, x), { seed }).outputs.get(loss)!.data[0];

  const inputs: InputCheck[] = [];
  for (const src of forward.sources()) {
    const name = src.attrs.name as string;
    const type = src.outputs[0].type;
    if (!isFloat(type.dtype)) continue;
    const x = all.get(name)!;
    const g = grads.get(name)!;
    let maxAbs = 0;
    let scale = 0;
    for (const { indices } of perturbations(x, isSymmetric(type.structure))) {
      const h = step * Math.max(1, ...indices.map((i) => Math.abs(x.data[i])));
      const plus = Float64Array.from(x.data);
      const minus = Float64Array.from(x.data);
      for (const i of indices) {
        plus[i] += h;
        minus[i] -= h;
      }
      const fd = (lossAt(name, { shape: x.shape, data: plus }) - lossAt(name, { shape: x.shape, data: minus })) / (2 * h);
      const adj = indices.reduce((s, i) => s + g.data[i], 0);
      maxAbs = Math.max(maxAbs, Math.abs(fd - adj));
      scale = Math.max(scale, Math.abs(fd), Math.abs(adj));
    }
    // Where the gradient is (numerically) zero, both sides are round-off: measure against a floor
    // of 1e-8 instead of dividing noise by noise.
    inputs.push({ name, relError: maxAbs / Math.max(scale, GRAD_FLOOR), maxAbsError: maxAbs, checked: x.data.length });
  }
  return { worst: Math.max(0, ...inputs.map((c) => c.relError)), inputs, grads };
}
