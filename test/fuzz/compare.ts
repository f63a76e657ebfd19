/**
 * One random program on WebGPU (f32) against the float64 CPU executor, forward pass and training
 * step (forward + backward of `loss`: the loss and every gradient) — and on the way, the CPU
 * executor's fused loops against its node-by-node reference (bitwise). Both backends must agree on
 * whether the program fails: a coded error on one side and numbers on the other is a
 * disagreement, and so is any uncoded exception. Where both compute, every output must be within
 * the tolerance measured for it (tolerance.ts); a program that is borderline at f32 precision
 * (well-defined.ts) is set aside, not compared.
 */
import { differentiate } from "../../compiler/passes/differentiate.js";
import { runWebGPU } from "../../compiler/backend/webgpu.js";
import { MatpropError, type Graph } from "../../ir/index.js";
import { executeCPU, type CpuRun } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { maxAbs } from "./conditioning.js";
import type { Program } from "./program.js";
import { allowedError, measureSpread, uninformative } from "./tolerance.js";
import { borderline } from "./well-defined.js";

export interface OutputCheck {
  readonly name: string;
  /** max|ŷ − y| */
  readonly error: number;
  readonly allowed: number;
  /** max|y| */
  readonly scale: number;
  /** False when f32 cannot compute this output (not compared). */
  readonly compared: boolean;
}

export type Outcome =
  | { readonly kind: "agree"; readonly outputs: readonly OutputCheck[] }
  | { readonly kind: "both-failed"; readonly code: string }
  | { readonly kind: "borderline"; readonly why: string }
  | { readonly kind: "disagree"; readonly why: string; readonly outputs?: readonly OutputCheck[] };

type Attempt<T> = { ok: true; value: T } | { ok: false; code: string; message: string; line?: number };

/** A coded error is a result; anything else thrown is an internal error the user would see as a crash. */
async function attempt<T>(f: () => T | Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    if (e instanceof MatpropError) return { ok: false, code: e.code, message: e.message, ...(e.loc ? { line: e.loc.line } : {}) };
    return { ok: false, code: "uncoded", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

function describeFailure(side: string, a: { code: string; message: string; line?: number }): string {
  const where = a.line === undefined ? "" : ` at line ${a.line}`;
  return `${side} ${a.code === "uncoded" ? "crashed" : `failed with ${a.code}${where}`}: ${a.message.split("\n")[0].slice(0, 300)}`;
}

/**
 * The CPU executor's fused loops against its node-by-node reference: bitwise the same outputs, or
 * the same error at the same line (runtime/cpu/execute.ts promises both). Null when they agree.
 */
function fusedCpuDiffers(fused: Attempt<CpuRun>, unfused: Attempt<CpuRun>): string | null {
  if (!fused.ok || !unfused.ok) {
    if (!fused.ok && !unfused.ok && fused.code === unfused.code && fused.line === unfused.line) return null;
    return `CPU fused vs unfused: ${fused.ok ? "fused computed" : describeFailure("fused", fused)}; ${unfused.ok ? "unfused computed" : describeFailure("unfused", unfused)}`;
  }
  for (const [name, y] of unfused.value.outputs) {
    const z = fused.value.outputs.get(name)!.data;
    const i = y.data.findIndex((v, k) => !Object.is(v, z[k]));
    if (i >= 0) return `CPU fused vs unfused: output ${name}[${i}] is ${z[i]} fused, ${y.data[i]} unfused`;
  }
  return null;
}

/** `g` on both backends; `seed` drives the perturbed runs. */
export async function compareGraph(g: Graph, feeds: ReadonlyMap<string, NDArray>, seed: number): Promise<Outcome> {
  // Unfused: the borderline check reads every value the reference computed.
  const cpu = await attempt(() => executeCPU(g, feeds, { fuse: false }));
  const cpuDiffers = fusedCpuDiffers(await attempt(() => executeCPU(g, feeds)), cpu);
  if (cpuDiffers) return { kind: "disagree", why: cpuDiffers };
  const gpu = await attempt(() => runWebGPU(g, feeds));
  if (!cpu.ok || !gpu.ok) {
    // Both fail alike: the same code, naming the same source line (every generated node has one).
    if (!cpu.ok && !gpu.ok && cpu.code === gpu.code && cpu.code !== "uncoded" && cpu.line === gpu.line) return { kind: "both-failed", code: cpu.code };
    const sides = [cpu.ok ? "CPU computed" : describeFailure("CPU", cpu), gpu.ok ? "WebGPU computed" : describeFailure("WebGPU", gpu)];
    return { kind: "disagree", why: sides.join("; ") };
  }
  const spread = await attempt(() => measureSpread(g, feeds, cpu.value.values, seed));
  if (!spread.ok) return { kind: "borderline", why: `a perturbed run fails: ${spread.message.slice(0, 200)}` };
  const why = borderline(g, cpu.value.values, spread.value.runs);
  if (why) return { kind: "borderline", why };
  const outputs = [...cpu.value.outputs].map(([name, y]): OutputCheck => {
    const z = gpu.value.outputs.get(name)!;
    let error = 0;
    for (let i = 0; i < y.data.length; i++) error = Math.max(error, Math.abs(z.data[i] - y.data[i]));
    if (z.data.length !== y.data.length) error = Infinity;
    const s = spread.value.outputs.get(name)!;
    return { name, error, allowed: allowedError(y.data, s), scale: maxAbs(y.data), compared: !uninformative(y.data, s) };
  });
  const bad = outputs.filter((o) => o.compared && !(o.error <= o.allowed));
  if (!bad.length) return { kind: "agree", outputs };
  const list = bad.map((o) => `${o.name}: error ${o.error.toExponential(2)} > allowed ${o.allowed.toExponential(2)} (max|y| ${o.scale.toExponential(2)})`);
  return { kind: "disagree", why: list.join("; "), outputs };
}

export interface ProgramOutcome {
  readonly forward: Outcome;
  readonly training: Outcome;
}

/** The forward program and its training step; `seed` drives the perturbed runs. */
export async function compareProgram(p: Pick<Program, "graph" | "feeds">, seed: number): Promise<ProgramOutcome> {
  const forward = await compareGraph(p.graph, p.feeds, seed);
  const step = await attempt(() => differentiate(p.graph).graph);
  if (!step.ok) return { forward, training: { kind: "disagree", why: describeFailure("differentiate", step) } };
  return { forward, training: await compareGraph(step.value, p.feeds, seed + 1) };
}

export const agrees = (o: Outcome) => o.kind !== "disagree";
