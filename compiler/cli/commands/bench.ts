/**
 * `matprop bench <model.ts> [--inputs f.json] [--backend cpu|webgpu] [--steps N] [--json]`: N
 * training steps (Adam, lr 1e-3, every param) after a warm-up, on one batch, as the Trainer runs
 * them. Per step: the median and p90 wall time, and on WebGPU what crossed the device boundary,
 * counted by a wrapper around the device (runtime/webgpu/counting.ts) rather than assumed: compute
 * dispatches, bytes uploaded, bytes read back, buffers created. The unfused dispatch count is the
 * same training step lowered one kernel per node (`matprop stats`' baseline). `--one-shot` measures
 * the path the Trainer took before programs were resident, for comparison: every step a fresh
 * program (buffers created, params uploaded, every output and gradient read back) and the
 * optimizer on the host.
 */
import { fail } from "../../../ir/diagnostics.js";
import type { Graph, Node } from "../../../ir/graph.js";
import { LR_INPUT, withOptimizer } from "../../../ir/optimizer.js";
import { bindInputs } from "../../../runtime/cpu/bind.js";
import { ndarray, type NDArray } from "../../../numeric/ndarray.js";
import { Random } from "../../../numeric/random.js";
import { Adam } from "../../train/optim.js";
import { Trainer } from "../../train/trainer.js";
import { readInputs } from "../inputs.js";
import { loadGraph } from "../load-graph.js";

export interface BenchOptions {
  inputs?: string;
  backend?: string;
  steps?: string;
  warmup?: string;
  seed?: string;
  json?: boolean;
  oneShot?: boolean;
}

/** What `--json` prints: exactly these keys (dispatch counts are null on the CPU executor). */
export interface BenchResult {
  readonly msPerStep: { readonly median: number; readonly p90: number };
  readonly dispatchesPerStep: number | null;
  readonly unfusedDispatchesPerStep: number | null;
  readonly bytesUploadedPerStep: number;
  readonly bytesReadPerStep: number;
  readonly buffersCreatedPerStep: number;
}

const BACKENDS = ["cpu", "webgpu"] as const;
const LR = 1e-3;

function count(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min)) fail("MP4010", `${name} must be an integer ≥ ${min}, got '${text}'`);
  return n;
}

/** Seeded inputs for a model whose inputs all have fixed shapes: N(0, 1), SPD/symmetric where declared, label 0. */
function syntheticBatch(g: Graph, seed: number): Map<string, NDArray> {
  const rng = new Random(seed);
  const batch = new Map<string, NDArray>();
  for (const n of g.sources().filter((s: Node) => s.op === "input")) {
    const { shape, dtype, structure } = n.outputs[0].type;
    const named = shape.filter((d) => typeof d === "string");
    if (named.length) fail("MP4010", `input '${n.attrs.name as string}' has named dims (${named.join(", ")}); give --inputs so their sizes are known`);
    const dims = shape as number[];
    const a = ndarray(dims, dtype === "i32" ? undefined : Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => rng.normal()));
    if (structure !== "general") {
      // Symmetric: (A + Aᵀ)/2; SPD: A Aᵀ/n + I (per matrix of the batch).
      const m = dims[dims.length - 1];
      const out = ndarray(dims);
      for (let o = 0; o < a.data.length; o += m * m) {
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < m; j++) {
            let v = 0;
            if (structure === "spd") for (let k = 0; k < m; k++) v += a.data[o + i * m + k] * a.data[o + j * m + k];
            out.data[o + i * m + j] = structure === "spd" ? v / m + (i === j ? 1 : 0) : (a.data[o + i * m + j] + a.data[o + j * m + i]) / 2;
          }
        }
      }
      batch.set(n.attrs.name as string, out);
    } else batch.set(n.attrs.name as string, a);
  }
  return batch;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

export async function bench(file: string, opts: BenchOptions): Promise<{ result: BenchResult; report: string }> {
  const backend = opts.backend ?? "webgpu";
  if (!(BACKENDS as readonly string[]).includes(backend)) fail("MP4010", `unknown backend '${backend}' for --backend (available: ${BACKENDS.join(", ")})`);
  const steps = count("--steps", opts.steps, 20, 1);
  const warmup = count("--warmup", opts.warmup, 3, 1);
  const seed = count("--seed", opts.seed, 0, 0);
  const graph = await loadGraph(file);
  if (!graph.outputs.some((o) => o.name === "loss" && o.value.type.shape.length === 0)) fail("MP2011", `'${file}' has no scalar output 'loss' to train`);
  const inputNames = new Set(graph.sources().filter((n) => n.op === "input").map((n) => n.attrs.name as string));
  const batch = opts.inputs ? new Map([...readInputs(opts.inputs)].filter(([k]) => inputNames.has(k))) : syntheticBatch(graph, seed);
  const { dims } = bindInputs(graph, batch, seed);
  const batchBytes = [...batch.values()].reduce((s, a) => s + 4 * a.data.length, 0);

  let device: GPUDevice | undefined;
  let counters: import("../../../runtime/webgpu/counting.js").DeviceCounters | undefined;
  let adapter = "the float64 CPU executor";
  if (backend === "webgpu") {
    const { acquireDevice } = await import("../../../runtime/webgpu/device.js");
    const { countingDevice } = await import("../../../runtime/webgpu/counting.js");
    const acquired = await acquireDevice();
    if (!acquired) fail("MP6001", "no WebGPU adapter (install Debian's chromium and libvulkan1 for the software adapter, or use --backend cpu)");
    ({ device, counters } = countingDevice(acquired.device));
    adapter = acquired.adapterInfo;
  }
  const optimizer = new Adam({ lr: LR });
  if (opts.oneShot && backend !== "webgpu") fail("MP4010", "--one-shot compares WebGPU paths; use it with --backend webgpu");
  const trainer = await Trainer.create(graph, { optimizer, backend: opts.oneShot ? "cpu" : (backend as "cpu" | "webgpu"), seed, device });
  const step = opts.oneShot ? await oneShotStep(trainer, optimizer, device!, dims) : (b: ReadonlyMap<string, NDArray>) => trainer.step(b);
  try {
    for (let i = 0; i < warmup; i++) await step(batch);
    const times: number[] = [];
    const before = counters && { ...counters };
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await step(batch);
      times.push(performance.now() - t0);
    }
    const per = (k: keyof NonNullable<typeof counters>) => (counters && before ? (counters[k] - before[k]) / steps : 0);
    let unfused: number | null = null;
    if (backend === "webgpu") {
      const { lowerGraph } = await import("../../../codegen/lower.js");
      const training = withOptimizer(trainer.stepGraph, optimizer.rule, trainer.trained, (o) => !o.startsWith("grad."));
      unfused = lowerGraph(training.graph, dims, { fuse: false }).program.steps.length;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const result: BenchResult = {
      msPerStep: { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) },
      dispatchesPerStep: backend === "webgpu" ? per("dispatches") : null,
      unfusedDispatchesPerStep: unfused,
      bytesUploadedPerStep: per("bytesUploaded"),
      bytesReadPerStep: per("bytesRead"),
      buffersCreatedPerStep: per("buffersCreated"),
    };
    const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
    const lines = [
      `${graph.name}: ${steps} training steps (Adam, lr ${LR}, every param) on ${backend}${opts.oneShot ? " one program per step, optimizer on the host (--one-shot)" : ""} (${adapter}) after ${warmup} warm-up step${warmup > 1 ? "s" : ""}`,
      `  ms per step            median ${fmt(result.msPerStep.median)}, p90 ${fmt(result.msPerStep.p90)}`,
    ];
    if (backend === "webgpu") {
      lines.push(
        `  dispatches per step    ${result.dispatchesPerStep} (unfused: ${unfused}; counted at the device, with the failure flags' fold)`,
        `  bytes uploaded/step    ${result.bytesUploadedPerStep} (the batch's inputs: ${batchBytes}; learning rate '${LR_INPUT}' only when it changes)`,
        `  bytes read back/step   ${result.bytesReadPerStep} (the loss: 4; the kernels' failure flags are folded into it on the device)`,
        `  buffers created/step   ${result.buffersCreatedPerStep}`,
      );
    }
    return { result, report: lines.join("\n") + "\n" };
  } finally {
    trainer.dispose();
  }
}

/**
 * The step the Trainer ran before programs were resident (`--one-shot`): the training step lowered
 * once, but each step a program made for it — every buffer created, params and inputs uploaded,
 * the loss, outputs and gradients read back, buffers destroyed — and Adam on the host in float64.
 */
async function oneShotStep(trainer: Trainer, optimizer: Adam, device: GPUDevice, dims: ReadonlyMap<string, number>) {
  const { lowerGraph } = await import("../../../codegen/lower.js");
  const { runProgram } = await import("../../../runtime/webgpu/execute.js");
  const program = lowerGraph(trainer.stepGraph, dims, { workgroupStorageBytes: device.limits.maxComputeWorkgroupStorageSize }).program;
  const params = await trainer.readParams();
  return async (batch: ReadonlyMap<string, NDArray>): Promise<number> => {
    const feeds = new Map([...batch, ...params].map(([k, v]) => [k, Float32Array.from(v.data)]));
    const out = await runProgram(device, program, feeds);
    const grads = new Map(trainer.trained.map((t) => [t, Float64Array.from(out.get(`grad.${t}`)!)]));
    optimizer.step(new Map([...params].map(([k, v]) => [k, v.data])), grads);
    return out.get(trainer.lossName)![0];
  };
}
