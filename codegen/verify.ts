/**
 * The verifier at the end of every lowering: the finished Program is checked on its own by the
 * runtime's walk (codegen/verify-program.ts: which value each buffer holds at every step,
 * access modes against the WGSL, dispatch coverage, buffer sizes, outputs at the end), and against
 * the graph it came from: every bound value is a value of the graph (or a kernel temporary) bound
 * with its type's element count, every view is a reshape (or chain of reshapes) of the value it
 * views, the slots are the graph's sources and outputs, and no kernel binds
 * more storage buffers than every WebGPU device allows (MAX_KERNEL_BUFFERS). A refusal is
 * MP9002 naming the kernel and its IR nodes — a compiler bug stopped before it can return a wrong
 * number.
 */
import { MatpropError } from "../ir/diagnostics.js";
import type { Graph, Value } from "../ir/graph.js";
import { checkProgram, ProgramCheckError } from "./verify-program.js";
import type { Program } from "./program.js";
import { MAX_KERNEL_BUFFERS } from "./fuse.js";

export function verifyLowered(g: Graph, shape: (v: Value) => number[], p: Program): void {
  const nodeById = new Map(g.nodes.map((n) => [n.id, n]));
  const refuse = (message: string, step: number | null): never => {
    const first = step === null ? undefined : p.steps[step]?.nodes.map((n) => nodeById.get(n.id)).find((n) => n?.loc);
    throw new MatpropError("MP9002", `the lowered WebGPU program '${p.name}' failed verification (a compiler bug; please report it): ${message}`, first?.loc);
  };
  try {
    checkProgram(p);
  } catch (e) {
    if (e instanceof ProgramCheckError) refuse(e.message, e.step);
    throw e;
  }
  const values = new Map(g.nodes.flatMap((n) => n.outputs.map((v) => [v.id, v] as const)));
  const elements = (v: Value) => shape(v).reduce((a, d) => a * d, 1);
  p.steps.forEach((s, i) => {
    if (s.kernel.bindings.length > MAX_KERNEL_BUFFERS) refuse(`step ${i} ('${s.kernel.name}') binds ${s.kernel.bindings.length} storage buffers; a kernel may bind ${MAX_KERNEL_BUFFERS} on every WebGPU device`, i);
    for (const n of s.nodes) if (!nodeById.has(n.id)) refuse(`step ${i} ('${s.kernel.name}') names node ${n.id}, which is not in the graph`, i);
    s.values.forEach((id, j) => {
      if (id < 0) return;
      const v = values.get(id);
      const b = s.kernel.bindings[j];
      if (!v) refuse(`step ${i} ('${s.kernel.name}') binds %${id}, which is not a value of the graph`, i);
      else if (b.elements !== elements(v)) refuse(`step ${i} ('${s.kernel.name}') binds %${id} (${v.type.dtype}[${shape(v).join(", ")}]) to '${b.name}', generated for ${b.elements} elements`, i);
    });
  });
  for (const view of p.views ?? []) {
    let v = values.get(view.value);
    while (v && v.node.op === "reshape" && v.id !== view.of) v = v.node.inputs[0];
    if (!values.has(view.value) || v?.id !== view.of || view.offset !== 0 || view.value === view.of) refuse(`%${view.value} is declared a view of %${view.of} at offset ${view.offset}, but it is not a reshape of it`, null);
  }
  const sources = g.sources();
  if (p.inputs.length !== sources.length || p.inputs.some((s, i) => s.value !== sources[i].outputs[0].id)) refuse("its input slots are not the graph's inputs and params", null);
  if (p.outputs.length !== g.outputs.length || p.outputs.some((s, i) => s.value !== g.outputs[i].value.id || s.name !== g.outputs[i].name)) refuse("its output slots are not the graph's outputs", null);
}

