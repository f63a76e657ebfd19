/**
 * What the device-side checks cost: each kernel as the compiler emits it (with its domain checks
 * and status binding) against the same WGSL with the checks removed, dispatched `REPS` times per
 * submission, interleaved over `ROUNDS` rounds; medians of the per-dispatch wall time and their
 * ratio, and of this process's CPU time (on SwiftShader the GPU is this process's threads: CPU time
 * is less disturbed by other processes than wall time).
 *
 *   npx tsx scripts/bench-checks.ts [--rounds 15] [--reps 20]
 */
import { lowerGraph } from "../codegen/lower.js";
import { linalg, model, ops } from "../index.js";
import { acquireDevice } from "../runtime/webgpu/device.js";
import type { KernelSource } from "../codegen/kernel.js";
import { pipelineFor } from "../runtime/webgpu/pipelines.js";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROUNDS = arg("rounds", 15);
const REPS = arg("reps", 20);

/** The kernels to time: a fused elementwise chain, a matmul with a checked epilogue and operand, logm's spectral product. */
const N = 512;
const CASES = [
  {
    what: `fused map, ${N}×${N}: log(a)·sqrt(b) + pow(c, 1.5)/d (4 checked ops, 6 status words)`,
    model: model("bench-map", ({ input }) => {
      const s = [N, N] as const;
      return { y: ops.add(ops.mul(ops.log(input("a", s)), ops.sqrt(input("b", s))), ops.div(ops.pow(input("c", s), 1.5), input("d", s))) };
    }),
  },
  {
    what: "matmul 256×256 with a sqrt operand and a log epilogue (2 checks)",
    model: model("bench-matmul", ({ input }) => ({ y: ops.log(ops.matmul(ops.sqrt(input("A", [256, 256])), input("B", [256, 256]))) })),
  },
  {
    what: "logm 32×32, batch 64: eigh, then U·diag(log λ)·Uᵀ with the spectral check",
    model: model("bench-logm", ({ input }) => ({ y: linalg.logm(input("X", [64, 32, 32], { structure: "spd" })) })),
  },
];

function withoutChecks(k: KernelSource): KernelSource {
  const wgsl = k.wgsl
    .split("\n")
    .filter((l) => !/mp_fail|mp_status/.test(l))
    .join("\n");
  return { ...k, wgsl, checks: undefined, name: `${k.name}_unchecked` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const acquired = await acquireDevice();
  if (!acquired) throw new Error("no WebGPU adapter");
  const { device } = acquired;
  console.log(`device: ${acquired.adapterInfo}; ${ROUNDS} rounds × ${REPS} dispatches per submission, interleaved`);
  for (const c of CASES) {
    const g = c.model.build();
    const p = lowerGraph(g, new Map(), { workgroupStorageBytes: device.limits.maxComputeWorkgroupStorageSize }).program;
    const step = p.steps.find((s) => s.checks?.length && !s.kernel.name.startsWith("eigh"))!;
    const checked = step.kernel;
    const plain = withoutChecks(checked);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const buffers = step.buffers.map((b) => {
      const buf = device.createBuffer({ size: p.buffers[b].bytes, usage });
      // Inputs in every op's domain: positive values.
      device.queue.writeBuffer(buf, 0, new Float32Array(p.buffers[b].bytes / 4).fill(1.5));
      return buf;
    });
    const status = device.createBuffer({ size: Math.max(4, 4 * (checked.checks?.length ?? 1)), usage });
    const time = async (k: KernelSource) => {
      const pipeline = await pipelineFor(device, k);
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
      if (k.checks?.length) pass.setBindGroup(1, device.createBindGroup({ layout: pipeline.getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: status } }] }));
      for (let r = 0; r < REPS; r++) pass.dispatchWorkgroups(...k.dispatch);
      pass.end();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      const cpu = process.cpuUsage(c0);
      return { wall: (performance.now() - t0) / REPS, cpu: (cpu.user + cpu.system) / 1000 / REPS };
    };
    await time(checked);
    await time(plain);
    const a: { wall: number; cpu: number }[] = [];
    const b: { wall: number; cpu: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      a.push(await time(checked));
      b.push(await time(plain));
    }
    const line = (what: "wall" | "cpu") => {
      const [ma, mb] = [median(a.map((x) => x[what])), median(b.map((x) => x[what]))];
      return `${what} ${ma.toFixed(2)} vs ${mb.toFixed(2)} ms (×${(ma / mb).toFixed(2)})`;
    };
    console.log(`${c.what}\n  kernel ${checked.name}, with vs without checks per dispatch: ${line("wall")}; ${line("cpu")}`);
    for (const buf of [...buffers, status]) buf.destroy();
  }
}

await main();
