/**
 * The coverage lint of the random programs: every registered op must be run on WebGPU and compared
 * by some program of the campaign — forward ops as written in the forward pass, backward-only ops
 * through the training step — or be listed below with the reason it is not generated.
 */
import { allOps, type Graph } from "../../ir/index.js";

/** Ops the generator never produces, with the reason. */
export const NOT_GENERATED: Readonly<Record<string, string>> = {
  sgdUpdate: "an optimizer update: built only by ir/optimizer.ts around a training step, never by a model or differentiate",
  momentumUpdate: "an optimizer update: built only by ir/optimizer.ts around a training step, never by a model or differentiate",
  adamUpdate: "an optimizer update: built only by ir/optimizer.ts around a training step, never by a model or differentiate",
};

export function opsOf(g: Graph): string[] {
  return g.nodes.map((n) => n.op);
}

/** Registered ops neither in `seen` nor in the filter table. */
export function missingOps(seen: ReadonlySet<string>): string[] {
  return allOps()
    .map((o) => o.name)
    .filter((name) => !seen.has(name) && !(name in NOT_GENERATED));
}
