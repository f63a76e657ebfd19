/**
 * Where a disagreement comes from, for the report of a failing program: is the float64 reference
 * itself right (its gradients against central finite differences), and does WebGPU agree when
 * nothing is fused (one kernel and one buffer per node — then the fault is in fusion, scheduling
 * or buffer planning, not in a kernel)?
 */
import { gradcheck } from "../../compiler/gradcheck.js";
import { lowerGraph } from "../../codegen/lower.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import type { Graph } from "../../ir/index.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { acquireDevice } from "../../runtime/webgpu/device.js";
import { runProgram } from "../../runtime/webgpu/execute.js";
import type { Program } from "./program.js";

/** Largest max-norm error over the outputs of `g` with nothing fused, relative to each output's scale. */
async function unfusedError(g: Graph, feeds: Program["feeds"]): Promise<string> {
  const acquired = (await acquireDevice())!;
  const { sources, dims } = bindInputs(g, feeds, 0);
  const lowered = lowerGraph(g, dims, { fuse: false, workgroupStorageBytes: acquired.device.limits.maxComputeWorkgroupStorageSize });
  const f32 = new Map([...sources].map(([node, a]) => [node.attrs.name as string, Float32Array.from(a.data)]));
  const raw = await runProgram(acquired.device, lowered.program, f32);
  const cpu = executeCPU(g, feeds);
  const parts = [...cpu.outputs].map(([name, y]) => {
    const z = raw.get(name)!;
    let err = 0;
    let scale = 0;
    for (let i = 0; i < y.data.length; i++) {
      err = Math.max(err, Math.abs(z[i] - y.data[i]));
      scale = Math.max(scale, Math.abs(y.data[i]));
    }
    return `${name} ${(err / (scale || 1)).toExponential(1)}`;
  });
  return parts.join(", ");
}

export async function diagnose(p: Pick<Program, "graph" | "feeds">): Promise<string> {
  const lines: string[] = [];
  try {
    const fd = gradcheck(p.graph, p.feeds);
    lines.push(`# float64 adjoint vs finite differences: worst relative error ${fd.worst.toExponential(1)}`);
  } catch (e) {
    lines.push(`# finite-difference check failed: ${(e as Error).message.split("\n")[0]}`);
  }
  for (const [phase, g] of [["forward", () => p.graph], ["training step", () => differentiate(p.graph).graph]] as const) {
    try {
      lines.push(`# WebGPU unfused (one kernel per node), ${phase}, relative errors: ${await unfusedError(g(), p.feeds)}`);
    } catch (e) {
      lines.push(`# WebGPU unfused, ${phase}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return lines.join("\n");
}
