// Batched f32 eigh (or SVD) on WebGPU (SwiftShader here): kernel shapes side by side, interleaved
// rounds, medians. Each variant runs the same batch of matrices; the table gives ms per batch, the
// ratio to the first variant, and the worst orthogonality ‖UᵀU − I‖_max and residual over the
// batch (eigh: ‖XU − UΛ‖_max/‖X‖_max; svd: ‖U·diag(s)·Vh − X‖_max/‖X‖_max, X of 2n×n).
//   npx tsx scripts/bench-eigh-webgpu.ts [--solver eigh|svd] [--sizes 8,16,32,64] [--batch 64] [--rounds 9] [--variants before,after]
import { eighKernels, eighScratchLength } from "../codegen/kernels/linalg/eigh.js";
import { svdKernels, svdScratchLength } from "../codegen/kernels/linalg/svd.js";
import { workgroupSizeFor } from "../codegen/kernels/linalg/common.js";
import type { KernelSource } from "../codegen/kernel.js";
import { acquireDevice } from "../runtime/webgpu/device.js";
import { pipelineFor } from "../runtime/webgpu/pipelines.js";
import { Random } from "../numeric/random.js";

const args = Object.fromEntries(process.argv.slice(2).reduce<[string, string][]>((acc, a, i, all) => (i % 2 ? acc : [...acc, [a.replace(/^--/, ""), all[i + 1]]]), []));
const sizes = (args.sizes ?? "8,16,32,64").split(",").map(Number);
const batch = Number(args.batch ?? 64);
const rounds = Number(args.rounds ?? 9);
const solver = args.solver ?? "eigh";
if (solver !== "eigh" && solver !== "svd") throw new Error(`--solver eigh or svd, not ${solver}`);

const acquired = await acquireDevice();
if (!acquired) throw new Error("no WebGPU adapter");
const { device } = acquired;
const storage = device.limits.maxComputeWorkgroupStorageSize;

/** Kernel options per variant name: "before" is the kernel as it was (one invocation per rotation block, up to 256; the portable 16 KiB). */
function variant(name: string, n: number): { workgroupSize?: number; matricesPerWorkgroup?: number; workgroupStorageBytes: number } {
  const nb = Math.ceil(n / 2);
  const before = solver === "eigh" ? Math.max(nb * nb, n * nb) : 2 * n * nb; // svd of 2n×n: max(M, K)·nb
  if (name === "before") return { workgroupSize: workgroupSizeFor(before), matricesPerWorkgroup: 1, workgroupStorageBytes: 16384 };
  if (name === "after") return { workgroupStorageBytes: storage };
  const shape = /^(?:g(\d+))?wg(\d+)$/.exec(name);
  if (shape) return { matricesPerWorkgroup: Number(shape[1] ?? 1), workgroupSize: Number(shape[2]), workgroupStorageBytes: storage };
  throw new Error(`unknown variant ${name}`);
}
const variants = (args.variants ?? "before,after").split(",");

function symmetricBatch(n: number, seed: number): Float32Array {
  const r = new Random(seed);
  const a = new Float32Array(batch * n * n);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = r.normal();
        a[b * n * n + i * n + j] = v;
        a[b * n * n + j * n + i] = v;
      }
  return a;
}

function svdErrors(a: Float32Array, u: Float32Array, sv: Float32Array, vh: Float32Array, n: number): [number, number] {
  const m = 2 * n;
  let orth = 0;
  let res = 0;
  for (let b = 0; b < batch; b++) {
    const U = (i: number, j: number) => u[b * m * n + i * n + j];
    let scale = 0;
    for (let i = 0; i < m * n; i++) scale = Math.max(scale, Math.abs(a[b * m * n + i]));
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let x = 0;
        for (let k = 0; k < n; k++) x += U(i, k) * sv[b * n + k] * vh[b * n * n + k * n + j];
        res = Math.max(res, Math.abs(x - a[b * m * n + i * n + j]) / scale);
      }
    for (let i = 0; i < n; i++)
      for (let c = 0; c < n; c++) {
        let o = 0;
        for (let k = 0; k < m; k++) o += U(k, i) * U(k, c);
        orth = Math.max(orth, Math.abs(o - (i === c ? 1 : 0)));
      }
  }
  return [orth, res];
}

function errors(a: Float32Array, w: Float32Array, u: Float32Array, n: number): [number, number] {
  let orth = 0;
  let res = 0;
  for (let b = 0; b < batch; b++) {
    const A = (i: number, j: number) => a[b * n * n + i * n + j];
    const U = (i: number, j: number) => u[b * n * n + i * n + j];
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[b * n * n + i]));
    for (let i = 0; i < n; i++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        let o = 0;
        for (let k = 0; k < n; k++) {
          s += A(i, k) * U(k, c);
          o += U(k, i) * U(k, c);
        }
        res = Math.max(res, Math.abs(s - w[b * n + c] * U(i, c)) / scale);
        orth = Math.max(orth, Math.abs(o - (i === c ? 1 : 0)));
      }
  }
  return [orth, res];
}

interface Prepared {
  readonly kernel: KernelSource;
  readonly run: () => Promise<number>;
  readonly read: () => Promise<Float32Array[]>;
}

/** `outputs`: the output bindings' lengths, after the one input `a`. */
async function prepare(kernel: KernelSource, a: Float32Array, outputs: readonly number[], scratch: number): Promise<Prepared> {
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const sizes = [a.length, ...outputs, ...(scratch ? [scratch] : [])];
  const buffers = sizes.map((len) => device.createBuffer({ size: 4 * len, usage }));
  device.queue.writeBuffer(buffers[0], 0, a as Float32Array<ArrayBuffer>);
  const status = device.createBuffer({ size: 4 * Math.max(1, kernel.checks?.length ?? 0), usage });
  const pipeline = await pipelineFor(device, kernel);
  const group0 = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const group1 = kernel.checks?.length ? device.createBindGroup({ layout: pipeline.getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: status } }] }) : undefined;
  const run = async () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group0);
    if (group1) pass.setBindGroup(1, group1);
    pass.dispatchWorkgroups(...kernel.dispatch);
    pass.end();
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  const read = async (): Promise<Float32Array[]> =>
    Promise.all(outputs.map(async (_, o) => {
      const i = o + 1;
      const rb = device.createBuffer({ size: 4 * sizes[i], usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(buffers[i], 0, rb, 0, 4 * sizes[i]);
      device.queue.submit([enc.finish()]);
      await rb.mapAsync(GPUMapMode.READ);
      const data = new Float32Array(rb.getMappedRange().slice(0));
      rb.unmap();
      return data;
    }));
  return { kernel, run, read };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`${solver}${solver === "svd" ? " of 2n×n" : ""} on ${acquired.adapterInfo}; batch ${batch}, ${rounds} interleaved rounds, maxComputeWorkgroupStorageSize ${storage}`);
console.log(`| n | ${variants.map((v) => `${v} ms (wg)`).join(" | ")} | ${variants.slice(1).map((v) => `${variants[0]}/${v}`).join(" | ")} | ${variants.map((v) => `orth ${v}`).join(" | ")} |`);
console.log(`|---|${variants.map(() => "---").join("|")}|${variants.slice(1).map(() => "---").join("|")}|${variants.map(() => "---").join("|")}|`);
for (const n of sizes) {
  const a = solver === "eigh" ? symmetricBatch(n, 100 + n) : Float32Array.from({ length: batch * 2 * n * n }, (() => { const r = new Random(200 + n); return () => r.normal(); })());
  const prepared: Prepared[] = [];
  for (const v of variants) {
    const opts = variant(v, n);
    const [kernel] = solver === "eigh" ? eighKernels(batch, n, opts) : svdKernels(batch, 2 * n, n, opts);
    const outputs = solver === "eigh" ? [batch * n, batch * n * n] : [batch * 2 * n * n, batch * n, batch * n * n];
    prepared.push(await prepare(kernel, a, outputs, solver === "eigh" ? eighScratchLength(batch, n, opts) : svdScratchLength(batch, 2 * n, n, opts)));
  }
  for (const p of prepared) await p.run(); // warm-up: pipelines compiled, first dispatch done
  const times = prepared.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [i, p] of prepared.entries()) times[i].push(await p.run());
  const orth = await Promise.all(
    prepared.map(async (p) => {
      const out = await p.read();
      return solver === "eigh" ? errors(a, out[0], out[1], n) : svdErrors(a, out[0], out[1], out[2], n);
    }),
  );
  const med = times.map(median);
  const cells = [
    ...med.map((m, i) => `${m.toFixed(2)} (${prepared[i].kernel.workgroupSize[0]}×${prepared[i].kernel.dispatch[0] * prepared[i].kernel.dispatch[1]}${prepared[i].kernel.name.endsWith("_global") ? ", global" : ""})`),
    ...med.slice(1).map((m) => `${(med[0] / m).toFixed(2)}×`),
    ...orth.map(([o, r]) => `${o.toExponential(1)} (res ${r.toExponential(1)})`),
  ];
  console.log(`| ${n} | ${cells.join(" | ")} |`);
}
process.exit(0);
