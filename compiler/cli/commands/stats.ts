/**
 * `matprop stats <model.ts> [--wrt params|all|names]`: what the WebGPU lowering makes of the
 * training step (forward + backward of `loss` with respect to the params, or what --wrt names) and
 * of the forward pass — kernels, dispatches, planned buffer bytes — next
 * to the unfused one-kernel-per-node lowering and one buffer per value. No device is needed.
 */
import { fail } from "../../../ir/diagnostics.js";
import type { Graph } from "../../../ir/graph.js";
import { bindInputs } from "../../../runtime/cpu/bind.js";
import { plannedBytes } from "../../../codegen/program.js";
import { lowerGraph } from "../../../codegen/lower.js";
import { gradSources } from "../../passes/adjoint.js";
import { differentiate } from "../../passes/differentiate.js";
import { readInputs } from "../inputs.js";
import { loadGraph } from "../load-graph.js";
import { parseWrt } from "../options.js";

export interface StatsRow {
  readonly what: string;
  readonly dispatches: number;
  readonly kernels: number;
  readonly unfusedDispatches: number;
  readonly plannedBytes: number;
  readonly naiveBytes: number;
}

/** Sizes of named dims: from the inputs when given, else every declared dim must be a number. */
function dimsOf(g: Graph, inputsFile: string | undefined): Map<string, number> {
  const named = g.sources().flatMap((n) => n.outputs[0].type.shape.filter((d): d is string => typeof d === "string"));
  if (!inputsFile) {
    if (named.length) fail("MP4010", `the model has named dims (${[...new Set(named)].join(", ")}); give --inputs so their sizes are known`);
    return new Map();
  }
  return bindInputs(g, readInputs(inputsFile)).dims;
}

export function statsOf(what: string, g: Graph, dims: ReadonlyMap<string, number>): StatsRow {
  const fused = lowerGraph(g, dims);
  const unfused = lowerGraph(g, dims, { fuse: false });
  return {
    what,
    dispatches: fused.program.steps.length,
    kernels: new Set(fused.program.steps.map((s) => s.kernel.wgsl)).size,
    unfusedDispatches: unfused.program.steps.length,
    plannedBytes: plannedBytes(fused.program),
    naiveBytes: unfused.naiveBytes,
  };
}

function formatStats(rows: readonly StatsRow[]): string {
  const head = `${"".padEnd(15)} ${"dispatches".padStart(10)} ${"unfused".padStart(8)} ${"kernels".padStart(8)} ${"planned B".padStart(10)} ${"naive B".padStart(10)}`;
  const lines = rows.map((r) => `${r.what.padEnd(15)} ${String(r.dispatches).padStart(10)} ${String(r.unfusedDispatches).padStart(8)} ${String(r.kernels).padStart(8)} ${String(r.plannedBytes).padStart(10)} ${String(r.naiveBytes).padStart(10)}`);
  return [head, ...lines].join("\n") + "\n";
}

export async function statsCommand(file: string, opts: { inputs?: string; wrt?: string }): Promise<string> {
  const wrt = parseWrt(opts.wrt);
  const forward = await loadGraph(file);
  const dims = dimsOf(forward, opts.inputs);
  const rows = [statsOf("forward", forward, dims)];
  if (!forward.outputs.some((o) => o.name === "loss")) return formatStats(rows);
  // A model without params has no training step unless inputs are named to differentiate.
  if (!gradSources(forward, wrt).length) return formatStats(rows) + "# no params to train: no training step (--wrt all or --wrt <names> differentiates inputs)\n";
  rows.push(statsOf("training step", differentiate(forward, { wrt }).graph, dims));
  return formatStats(rows);
}
