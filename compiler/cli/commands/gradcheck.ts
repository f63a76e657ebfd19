/** `matprop gradcheck <model.ts> [--inputs f.json]`: adjoint vs central finite differences in float64. */
import { gradcheck as check } from "../../gradcheck.js";
import { readInputs } from "../inputs.js";
import { loadGraph } from "../load-graph.js";
import { parsePositive, parseSeed } from "../options.js";

export interface GradcheckCliOptions {
  inputs?: string;
  seed?: string;
  tol?: string;
}

export async function gradcheckCommand(file: string, opts: GradcheckCliOptions): Promise<{ text: string; ok: boolean }> {
  const tol = parsePositive("--tol", opts.tol, 1e-6);
  const seed = parseSeed(opts.seed);
  const graph = await loadGraph(file);
  const feeds = readInputs(opts.inputs);
  const result = check(graph, feeds, { seed });
  const what = { entries: "entries", symmetric: "symmetric directions", diagonal: "diagonal entries", none: "" } as const;
  const lines = result.inputs.map((c) =>
    c.directions === "none"
      ? `  ${c.name.padEnd(12)} not perturbed (orthogonal or projector: no straight-line direction keeps its structure)`
      : `  ${c.name.padEnd(12)} rel ${c.relError.toExponential(2)}  abs ${c.maxAbsError.toExponential(2)}  (${c.checked} ${what[c.directions]})`,
  );
  const ok = result.worst <= tol;
  lines.push(`worst relative error ${result.worst.toExponential(2)} (tolerance ${tol.toExponential(0)}): ${ok ? "ok" : "FAILED"}`);
  return { text: lines.join("\n") + "\n", ok };
}
