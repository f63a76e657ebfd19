// Real-GPU check of the WebGPU path (run on a machine with a GPU; not part of the test suite):
// correctness of the eigensolver and of the paper's layers against the f64 CPU executor, and the
// fused vs unfused lowering timed side by side on the same device. Needs `npm run build` first.
// Usage: node scripts/gpu-check.mjs
import { model, ops, linalg } from "../dist/index.js";
import { differentiate } from "../dist/compiler/passes/differentiate.js";
import { lowerGraph } from "../dist/codegen/lower.js";
import { runWebGPU } from "../dist/compiler/backend/webgpu.js";
import { executeCPU } from "../dist/runtime/cpu/execute.js";
import { bindInputs } from "../dist/runtime/cpu/bind.js";
import { Random } from "../dist/numeric/random.js";
import { acquireDevice } from "../dist/runtime/webgpu/device.js";
import { runProgram } from "../dist/runtime/webgpu/execute.js";

const acquired = await acquireDevice();
if (!acquired) {
  console.log("no WebGPU adapter");
  process.exit(1);
}
console.log(`adapter: ${acquired.adapterInfo} (software: ${acquired.software})`);
const rng = new Random(7);
const randn = (shape) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()) });

function spd(batch, n, clustered) {
  const out = new Float64Array(batch * n * n);
  for (let b = 0; b < batch; b++) {
    const g = randn([n, n]).data;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += g[i * n + k] * g[j * n + k];
        out[b * n * n + i * n + j] = clustered ? (i === j ? 1 : 0) + 1e-4 * s / n : s / n + (i === j ? 1 : 0);
      }
  }
  return { shape: [batch, n, n], data: out };
}

function residuals(X, w, U, batch, n) {
  let worstRes = 0;
  let worstOrth = 0;
  for (let b = 0; b < batch; b++) {
    let num = 0, den = 0, orth = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let au = 0, utu = 0;
        for (let k = 0; k < n; k++) {
          au += X.data[b * n * n + i * n + k] * U[b * n * n + k * n + j];
          utu += U[b * n * n + k * n + i] * U[b * n * n + k * n + j];
        }
        num += (au - U[b * n * n + i * n + j] * w[b * n + j]) ** 2;
        den += X.data[b * n * n + i * n + j] ** 2;
        orth += (utu - (i === j ? 1 : 0)) ** 2;
      }
    worstRes = Math.max(worstRes, Math.sqrt(num / den));
    worstOrth = Math.max(worstOrth, Math.sqrt(orth));
  }
  return [worstRes, worstOrth];
}

console.log("\neigensolver (batch 4): ‖AU − UΛ‖/‖A‖, ‖UᵀU − I‖, time per call");
for (const [n, clustered] of [[8, false], [32, false], [64, false], [64, true], [128, false]]) {
  const m = model(`eigh${n}`, ({ input }) => {
    const [w, U] = linalg.eigh(input("X", [4, n, n], { structure: "symmetric" }));
    return { w, U };
  });
  const g = m.build();
  const X = spd(4, n, clustered);
  const feeds = new Map([["X", X]]);
  const t0 = performance.now();
  const r = await runWebGPU(g, feeds);
  const t1 = performance.now();
  const [res, orth] = residuals(X, r.outputs.get("w").data, r.outputs.get("U").data, 4, n);
  console.log(`  n=${n}${clustered ? " clustered" : ""}: ${res.toExponential(2)}  ${orth.toExponential(2)}  ${(t1 - t0).toFixed(1)} ms ${res <= 1e-5 && orth <= 1e-5 ? "ok" : "FAIL"}`);
}

function relErr(a, b) {
  let e = 0, s = 0;
  for (let i = 0; i < a.length; i++) { e = Math.max(e, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(a[i])); }
  return e / Math.max(s, 1e-30);
}

const o2p = (B, n, d) => model("o2p", ({ input, param }) => {
  const F = input("F", [B, n, d]);
  const W = param("W", [d, d], { init: "normal" });
  return { loss: ops.sum(ops.mul(linalg.logm(linalg.cov(F, { eps: 1e-3 })), W)) };
});
console.log("\nsecond-order pooling training step, WebGPU vs f64 CPU (normwise relative error)");
for (const [B, n, d] of [[2, 16, 4], [4, 64, 16]]) {
  const g = differentiate(o2p(B, n, d).build()).graph;
  const feeds = new Map([["F", randn([B, n, d])]]);
  const cpu = executeCPU(g, feeds, { seed: 1 });
  const gpu = await runWebGPU(g, feeds, { seed: 1 });
  console.log(`  F [${B}, ${n}, ${d}]: ` + [...cpu.outputs].map(([k, v]) => `${k} ${relErr(v.data, gpu.outputs.get(k).data).toExponential(1)}`).join(", "));
}

console.log("\nfused vs unfused lowering of the O2P training step, same device, median of 20 runs (upload + dispatch + readback)");
for (const [B, n, d] of [[8, 64, 8], [16, 256, 32]]) {
  const g = differentiate(o2p(B, n, d).build()).graph;
  const feeds = new Map([["F", randn([B, n, d])]]);
  const { sources, dims } = bindInputs(g, feeds, 1);
  const f32 = new Map([...sources].map(([node, a]) => [node.attrs.name, Float32Array.from(a.data)]));
  const row = [];
  for (const fuse of [true, false]) {
    const { program } = lowerGraph(g, dims, { fuse, workgroupStorageBytes: acquired.device.limits.maxComputeWorkgroupStorageSize });
    await runProgram(acquired.device, program, f32);
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await runProgram(acquired.device, program, f32);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    row.push(`${fuse ? "fused" : "unfused"} ${program.steps.length} dispatches ${times[10].toFixed(2)} ms`);
  }
  console.log(`  F [${B}, ${n}, ${d}]: ${row.join(" | ")}`);
}
process.exit(0);
