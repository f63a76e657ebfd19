/**
 * Every bad-input case of a kernel bundle (./bundle-classes.ts) against a fresh copy of a real
 * bundle: a BundleError with the expected code, the bundle's files as they were, and no hang (each
 * case must settle within 30 s). File and load cases need no GPU; call cases run on WebGPU.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeBundle } from "../../compiler/bundle/build.js";
import { BundleError } from "../../runtime/bundle/errors.js";
import { bundleHash } from "../../runtime/bundle/hash.js";
import type { Manifest } from "../../runtime/bundle/manifest.js";
import { openBundle, readBundle, type LoadedBundle } from "../../runtime/bundle/open.js";
import { filesOf } from "../../runtime/bundle/verify.js";
import { hasGPU } from "../webgpu/gpu.js";
import { BUNDLE_CALL_CLASSES, BUNDLE_FILE_CLASSES, BUNDLE_HANG_CLASSES, BUNDLE_LOAD_CLASSES, BUNDLE_MODEL, type BundleFiles } from "./bundle-classes.js";
import { ROOT } from "../bundle/models.js";

const NO_HANG_MS = 30_000;

let root: string;
let pristine: string;
beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-bad-bundle-")));
  pristine = path.join(root, "pristine");
  writeBundle(BUNDLE_MODEL.build(), { out: pristine });
  // The one dependency a bundle has in Node.
  fs.mkdirSync(path.join(root, "node_modules"));
  fs.symlinkSync(path.join(ROOT, "node_modules", "webgpu"), path.join(root, "node_modules", "webgpu"), "dir");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = fs.readFileSync(path.join(e.parentPath, e.name), "latin1");
  }
  return out;
}

/** The code of the BundleError `work` settles with, within NO_HANG_MS. */
async function codeOf(work: () => unknown): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([Promise.resolve().then(work), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${NO_HANG_MS} ms`)), NO_HANG_MS)))]);
  } catch (e) {
    if (e instanceof BundleError) return e.code;
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return "no error";
}

/** A copy of the pristine bundle with `edit` applied (and the hash recomputed when asked). */
function edited(name: string, edit: (b: BundleFiles) => void, rehash: boolean): string {
  const dir = path.join(root, name.replace(/\W+/g, "-"));
  fs.cpSync(pristine, dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
  const files = (manifest.kernels as { file: string }[]).map((k) => k.file);
  const paramsFile = path.join(dir, manifest.paramsFile as string);
  const b: BundleFiles = { manifest, kernels: new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")])), params: new Uint8Array(fs.readFileSync(paramsFile)), dir };
  edit(b);
  for (const f of files) if (!b.kernels.has(f)) fs.rmSync(path.join(dir, f));
  for (const [f, text] of b.kernels) fs.writeFileSync(path.join(dir, f), text);
  fs.writeFileSync(paramsFile, b.params);
  if (rehash) {
    // Every file the manifest names, in its order (kernels, graphs, params), as the loader hashes
    // them; a file a case names but does not write (a path outside the bundle) hashes as empty.
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? new Uint8Array(fs.readFileSync(path.join(dir, f))) : new Uint8Array());
    const bytes = (f: string) => (f === b.manifest.paramsFile ? b.params : b.kernels.has(f) ? new TextEncoder().encode(b.kernels.get(f)!) : read(f));
    b.manifest.hash = bundleHash(b.manifest, filesOf(b.manifest as unknown as Manifest).map(bytes));
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), b.manifestText ?? JSON.stringify(b.manifest, null, 2));
  return dir;
}

describe.each(BUNDLE_FILE_CLASSES.map((c) => [c.name, c] as const))("%s", (_, cls) => {
  it.each(cls.cases.map((c) => [c.name, c] as const))("%s", async (__, c) => {
    const dir = edited(c.name, c.edit, c.rehash);
    const before = snapshot(dir);
    expect(await codeOf(() => readBundle(pathToFileURL(`${dir}/`)))).toBe(c.code);
    expect(snapshot(dir), "no file written or removed").toEqual(before);
  });
});

describe.each(BUNDLE_LOAD_CLASSES.map((c) => [c.name, c] as const))("%s", (_, cls) => {
  it.each(cls.cases.map((c) => [c.name, c] as const))("%s", async (__, c) => {
    const before = snapshot(pristine);
    expect(await codeOf(() => c.load((base, opts) => openBundle(base as URL, opts as { device?: unknown }), pathToFileURL(`${pristine}/`)))).toBe(c.code);
    expect(snapshot(pristine), "no file written or removed").toEqual(before);
  });
});

describe.runIf(hasGPU).each(BUNDLE_CALL_CLASSES.map((c) => [c.name, c] as const))("%s", (_, cls) => {
  let m: LoadedBundle;
  beforeAll(async () => {
    m = await openBundle(pathToFileURL(`${pristine}/`));
  });
  it("control: good calls run, f64 subnormals included; the largest f32 input is accepted and an output it overflows is MP7012, never Infinity", async () => {
    const at = (big: number) => Float64Array.from({ length: 66 }, (_, i) => (i === 0 ? big : i === 1 ? 5e-324 : 0));
    expect((await m.forward({ x: at(1) })).y).toBeInstanceOf(Float32Array);
    // loss = Σ y ∘ x is about 1e76 with x₀ = 3.4e38: finite in f64, beyond f32's range on the GPU.
    expect(await codeOf(() => m.forward({ x: at(3.4e38) }))).toBe("MP7012");
  });
  it.each(cls.cases.map((c) => [c.name, c] as const))("%s", async (__, c) => {
    const before = snapshot(pristine);
    const params = await m.params();
    expect(await codeOf(() => c.call(m))).toBe(c.code);
    expect(await m.params(), "a refused call leaves the params alone").toEqual(params);
    expect(snapshot(pristine), "no file written or removed").toEqual(before);
  });
});

/** Runs in a child process: the watchdog must end the run, and the process must still exit. */
const CHILD = `
const { load } = await import(process.argv[2]);
const m = await load({ timeoutMs: Number(process.argv[3]) });
const x = new Float32Array(66);
const out = {};
for (const which of ["first", "second"]) {
  const t0 = Date.now();
  try { await m.forward({ x }); out[which] = { ok: true }; } catch (e) { out[which] = { code: e.code, message: e.message, ms: Date.now() - t0 }; }
}
console.log(JSON.stringify(out));
process.exit(0);
`;

describe.runIf(hasGPU).each(BUNDLE_HANG_CLASSES.map((c) => [c.name, c] as const))("%s", (_, cls) => {
  it.each(cls.cases.map((c) => [c.name, c] as const))("%s", (__, c) => {
    const dir = edited(c.name, c.edit, true);
    const before = snapshot(dir);
    fs.writeFileSync(path.join(root, "child.mjs"), CHILD);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["child.mjs", pathToFileURL(path.join(dir, "index.js")).href, String(c.timeoutMs)], { cwd: root, encoding: "utf8", timeout: NO_HANG_MS * 2 });
    expect(r.error, "the process exits").toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, { code?: string; message?: string; ms?: number }>;
    expect(out.first.code).toBe(c.code);
    expect(out.first.message).toContain(`did not finish within ${c.timeoutMs / 1000} s`);
    expect(out.first.message).toContain("the device was released");
    expect(out.first.ms).toBeGreaterThanOrEqual(c.timeoutMs - 100);
    expect(out.second.code, "the released device is not used again").toBe(c.code);
    expect(out.second.ms).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(NO_HANG_MS);
    expect(snapshot(dir), "no file written or removed").toEqual(before);
  });
});
