/**
 * Scheduling, the second pass of the lowering: a topological order of the fused kernels over their
 * true dependencies — a kernel runs after every kernel that writes a value it reads, including the
 * values its epilogue and its inlined producers load. Among the kernels that are ready, the one
 * whose root comes first in the graph runs first, so the order stays close to the program text (and
 * a kernel with an epilogue simply waits for the products its epilogue reads).
 */
import { fail } from "../ir/diagnostics.js";
import { describeKernel, type FusedKernel } from "./fuse.js";

/**
 * `kernels` in an order in which every read value is written before (or is in `available`, the
 * inputs and params); a view (`views`: view id → the id whose buffer holds it) is written by
 * whatever writes the value it views. Throws MP9001 when a kernel reads a value nothing writes or the kernels
 * depend on each other in a cycle: both are fusion bugs, never a reason to run in a wrong order.
 */
export function scheduleKernels<K extends Pick<FusedKernel, "reads" | "writes" | "nodes">>(kernels: readonly K[], available: Iterable<number>, views: ReadonlyMap<number, number> = new Map()): K[] {
  const writer = new Map<number, number>();
  kernels.forEach((k, i) =>
    k.writes.forEach((v) => {
      if (writer.has(v)) fail("MP9001", `lowering: ${describeKernel(k.nodes)} and ${describeKernel(kernels[writer.get(v)!].nodes)} both write %${v}`);
      writer.set(v, i);
    }),
  );
  const sources = new Set(available);
  const waitingOn = kernels.map(() => 0);
  const dependents = kernels.map((): number[] => []);
  kernels.forEach((k, i) => {
    const before = new Set<number>();
    for (const read of k.reads) {
      const v = views.get(read) ?? read;
      if (sources.has(v)) continue;
      const w = writer.get(v);
      if (w === undefined) fail("MP9001", `lowering: ${describeKernel(k.nodes)} reads %${v}, which no kernel writes`);
      if (w === i) fail("MP9001", `lowering: ${describeKernel(k.nodes)} reads %${v}, which it writes itself`);
      before.add(w!);
    }
    waitingOn[i] = before.size;
    for (const w of before) dependents[w].push(i);
  });
  const ready = kernels.map((_, i) => i).filter((i) => waitingOn[i] === 0);
  const order: K[] = [];
  while (ready.length) {
    let pick = 0;
    for (let r = 1; r < ready.length; r++) if (ready[r] < ready[pick]) pick = r;
    const i = ready.splice(pick, 1)[0];
    order.push(kernels[i]);
    for (const d of dependents[i]) if (--waitingOn[d] === 0) ready.push(d);
  }
  if (order.length < kernels.length) {
    const stuck = kernels.filter((_, i) => waitingOn[i] > 0).map((k) => describeKernel(k.nodes));
    fail("MP9001", `lowering: the fused kernels depend on each other in a cycle: ${stuck.join("; ")}`);
  }
  return order;
}
