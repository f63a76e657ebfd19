/**
 * What a bundle refuses instead of running wrongly or forever (regressions of #14): NaN or
 * infinite params in params.safetensors (hash recomputed, so only the values are wrong), f64 inputs
 * and params beyond the f32 range the GPU computes in, and a kernel that never terminates — the
 * run fails with MP7015 after `load({ timeoutMs })`, the device is released (the next call fails at
 * once) and the process can still exit.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { model, ops } from "../../index.js";
import { writeBundle } from "../../compiler/bundle/build.js";
import { BundleError } from "../../runtime/bundle/errors.js";
import { bundleHash } from "../../runtime/bundle/hash.js";
import { parseManifest } from "../../runtime/bundle/manifest.js";
import { openBundle, readBundle } from "../../runtime/bundle/open.js";
import { encodeSafetensors } from "../../runtime/bundle/safetensors.js";
import { hasGPU } from "../webgpu/gpu.js";
import { ROOT } from "./models.js";

const affine = model("affine", ({ input, param }) => {
  const x = input("x", [2, 3], { dtype: "f64" });
  const W = param("W", [3, 3], { dtype: "f64" });
  return { y: ops.matmul(x, W), loss: ops.sum(ops.mul(ops.matmul(x, W), x)) };
});

let tmp: string;
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-refusals-")));
  fs.mkdirSync(path.join(tmp, "node_modules"));
  fs.symlinkSync(path.join(ROOT, "node_modules", "webgpu"), path.join(tmp, "node_modules", "webgpu"), "dir");
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fresh bundle of `affine` in `name`, with `edit` applied to its files and the content hash recomputed. */
function tampered(name: string, edit: (files: { kernels: Map<string, string>; params: Uint8Array }) => Uint8Array | void): string {
  const dir = path.join(tmp, name);
  writeBundle(affine.build(), { out: dir });
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = parseManifest(fs.readFileSync(manifestFile, "utf8"));
  const kernels = new Map(manifest.kernels.map((k) => [k.file, fs.readFileSync(path.join(dir, k.file), "utf8")]));
  let params: Uint8Array = new Uint8Array(fs.readFileSync(path.join(dir, manifest.paramsFile)));
  params = edit({ kernels, params }) ?? params;
  for (const [file, text] of kernels) fs.writeFileSync(path.join(dir, file), text);
  fs.writeFileSync(path.join(dir, manifest.paramsFile), params);
  const hash = bundleHash(manifest, manifest.kernels.map((k) => new TextEncoder().encode(kernels.get(k.file)!)), params);
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, hash }, null, 2));
  return dir;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BundleError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "no error";
}

describe("bundle params must be finite", () => {
  it.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
  ])("params.safetensors holding %s (hash recomputed) is refused at load: MP7005", async (_, bad) => {
    const dir = tampered(`params-${String(bad)}`, () => {
      const W = Float32Array.from({ length: 9 }, (_, i) => (i === 4 ? bad : 0.1 * i));
      return encodeSafetensors([{ name: "W", shape: [3, 3], data: W }], { producer: "test" });
    });
    const got = await code(readBundle(pathToFileURL(`${dir}/`)));
    expect(got).toMatch(/^MP7005: /);
    expect(got).toContain(`holds ${bad} at flat index 4`);
  });
});

describe.runIf(hasGPU)("bundle inputs and params must fit f32", () => {
  let m: Awaited<ReturnType<typeof openBundle>>;
  beforeAll(async () => {
    m = await openBundle(pathToFileURL(`${tampered("f32-range", () => undefined)}/`));
  });

  it.each([
    ["1e39", 1e39],
    ["-3.5e38", -3.5e38],
  ])("an f64 input holding %s (beyond ±3.4e38) is refused: MP7010", async (_, big) => {
    const x = Float64Array.from({ length: 6 }, (_, i) => (i === 2 ? big : 1));
    const got = await code(m.forward({ x }));
    expect(got).toMatch(/^MP7010: /);
    expect(got).toContain("beyond the f32 range");
  });

  it("setParams with an f64 value beyond the f32 range is refused: MP7010", async () => {
    expect(await code(Promise.resolve().then(() => m.setParams({ W: Float64Array.from({ length: 9 }, (_, i) => (i ? 0 : 1e40)) })))).toMatch(/^MP7010: .*beyond the f32 range/);
  });

  it("the largest f32 value and f64 subnormals are accepted; an output that then overflows f32 is MP7012, never Infinity", async () => {
    const x = Float64Array.of(3.4e38, 0, 5e-324, 0, 0, 0);
    expect(await code(m.forward({ x: Float64Array.of(1, 0, 5e-324, 0, 0, 0) }))).toBe("no error");
    // loss = Σ (x·W) ∘ x is about 1e76 here: finite in f64, beyond f32's range on the GPU.
    expect(await code(m.forward({ x }))).toMatch(/^MP7012: output 'loss' holds Infinity .*no kernel reported a failure: an f32 overflow/);
  });

  it("load({ timeoutMs }) must be a positive number: MP7013", async () => {
    expect(await code(openBundle(pathToFileURL(`${path.join(tmp, "f32-range")}/`), { timeoutMs: -1 }))).toMatch(/^MP7013: /);
  });
});

/** Runs in a child process: the watchdog must end the run, and the process must still exit. */
const CHILD = `
const { load } = await import(process.argv[2]);
const m = await load({ timeoutMs: Number(process.argv[3]) });
const x = Float32Array.from({ length: 6 }, () => 1);
const out = {};
for (const which of ["first", "second"]) {
  const t0 = Date.now();
  try { await m.forward({ x }); out[which] = { ok: true }; } catch (e) { out[which] = { code: e.code, message: e.message, ms: Date.now() - t0 }; }
}
console.log(JSON.stringify(out));
process.exit(0);
`;

describe.runIf(hasGPU)("a kernel that never terminates", () => {
  it("fails the run with MP7015 after timeoutMs, releases the device, and the process exits", () => {
    const dir = tampered("spin", ({ kernels }) => {
      // A kernel without barriers (the loop's exit depends on data, so it is non-uniform), spinning on a value it never sees.
      const [file, wgsl] = [...kernels].find(([, text]) => !text.includes("Barrier"))!;
      // It writes as it spins (a loop without effects may be compiled away).
      const out = /var<storage,\s*read_write>\s+(\w+)/.exec(wgsl)![1];
      const spun = wgsl.replace(/^(.*\bfn main\(.*\{)\s*$/m, `$1\n  loop { ${out}[0] = ${out}[0] + 1.0; if (${out}[0] == -12345.0) { break; } }`);
      expect(spun).not.toBe(wgsl);
      kernels.set(file, spun);
    });
    fs.writeFileSync(path.join(tmp, "child.mjs"), CHILD);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["child.mjs", pathToFileURL(path.join(dir, "index.js")).href, "1500"], { cwd: tmp, encoding: "utf8", timeout: 60_000 });
    const wall = Date.now() - t0;
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, { code?: string; message?: string; ms?: number }>;
    expect(out.first.code).toBe("MP7015");
    expect(out.first.message).toContain("did not finish within 1.5 s");
    expect(out.first.message).toContain("the device was released");
    expect(out.first.ms).toBeGreaterThanOrEqual(1400);
    expect(out.second.code).toBe("MP7015"); // the released device is not used again
    expect(out.second.ms).toBeLessThan(1000);
    expect(wall).toBeLessThan(30_000);
  });
});
