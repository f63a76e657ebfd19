/**
 * Finite-difference check of the adjoint pass, in float64 on the CPU executor: central differences
 * for every element of every float input and param, in the directions the input may move in (see
 * ./gradcheck-directions.ts: symmetric pairs E_ij + E_ji for inputs typed or asserted symmetric
 * downstream, diagonal entries for diagonal ones).
 *
 * Errors are relative to the scale of the gradients: an input's largest error is divided by the
 * largest of (a) its own gradient entries, (b) a hundredth of the largest gradient entry of any
 * input, and (c) the round-off floor of the differences themselves (64 ulps of the loss over 2h).
 * So an exactly zero gradient passes when finite differences see round-off only, and a
 * gradient 10⁻² of the others is still checked to full relative precision.
 */
import type { Graph } from "../ir/graph.js";
import { isFloat } from "../ir/types.js";
import { executeCPU } from "../runtime/cpu/execute.js";
import type { NDArray } from "../numeric/ndarray.js";
import { differentiate } from "./passes/differentiate.js";
import { gradOutputs } from "./passes/adjoint.js";
import { directions, directionsFor, type Directions } from "./gradcheck-directions.js";

/** (b): an input's errors are measured against at least this fraction of the largest gradient entry. */
const SCALE_FLOOR = 1e-2;
/** (c): round-off of one float64 loss evaluation, in ulps of |loss|. */
const NOISE_ULPS = 64;

export interface InputCheck {
  readonly name: string;
  /** maxAbsError / max(its gradient scale, SCALE_FLOOR · largest gradient entry, round-off floor). */
  readonly relError: number;
  readonly maxAbsError: number;
  /** How many directions were checked (entries, or symmetric pairs). */
  readonly checked: number;
  /** The directions the input was perturbed in. */
  readonly directions: Directions;
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

interface Measured {
  readonly name: string;
  readonly directions: Directions;
  readonly checked: number;
  readonly maxAbs: number;
  readonly scale: number;
  readonly noise: number;
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

  const measured: Measured[] = [];
  for (const src of forward.sources()) {
    const name = src.attrs.name as string;
    if (!isFloat(src.outputs[0].type.dtype)) continue;
    const x = all.get(name)!;
    const g = grads.get(name)!;
    const kind = directionsFor(forward, src);
    let maxAbs = 0;
    let scale = 0;
    let noise = 0;
    const dirs = directions(x, kind);
    for (const indices of dirs) {
      const h = step * Math.max(1, ...indices.map((i) => Math.abs(x.data[i])));
      const plus = Float64Array.from(x.data);
      const minus = Float64Array.from(x.data);
      for (const i of indices) {
        plus[i] += h;
        minus[i] -= h;
      }
      const up = lossAt(name, { shape: x.shape, data: plus });
      const down = lossAt(name, { shape: x.shape, data: minus });
      const fd = (up - down) / (2 * h);
      const adj = indices.reduce((s, i) => s + g.data[i], 0);
      maxAbs = Math.max(maxAbs, Math.abs(fd - adj));
      scale = Math.max(scale, Math.abs(fd), Math.abs(adj));
      noise = Math.max(noise, (NOISE_ULPS * Number.EPSILON * Math.max(Math.abs(up), Math.abs(down))) / (2 * h));
    }
    measured.push({ name, directions: kind, checked: dirs.length, maxAbs, scale, noise });
  }
  const largest = Math.max(0, ...measured.map((m) => m.scale));
  const inputs = measured.map((m): InputCheck => {
    const floor = Math.max(m.scale, SCALE_FLOOR * largest, m.noise, Number.MIN_VALUE);
    return { name: m.name, relError: m.maxAbs / floor, maxAbsError: m.maxAbs, checked: m.checked, directions: m.directions };
  });
  return { worst: Math.max(0, ...inputs.map((c) => c.relError)), inputs, grads };
}
