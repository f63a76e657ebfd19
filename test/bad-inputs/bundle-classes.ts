/**
 * The bad-input classes of a kernel bundle, as data: files changed on disk (with the content hash
 * recomputed where the point is that only the values are wrong), and bad arguments to the loaded
 * bundle's calls. bundle.test.ts runs each case against a fresh copy of a real bundle: it must
 * throw a BundleError with the expected code, leave the bundle's files as they were, and finish
 * (nothing hangs). docs/bad-inputs.md's table counts these too.
 */
import { model, ops } from "../../index.js";
import type { LoadedBundle } from "../../runtime/bundle/open.js";

/** Columns of x: past one matmul tile, so the training step keeps an intermediate buffer of its own. */
const D = 33;

/** The bundle every case starts from: y = (x·W)·Wᵀ and loss = Σ y ∘ x, with x f64 [2, D] and a param W [D, D]. */
export const BUNDLE_MODEL = model("affine", ({ input, param }) => {
  const x = input("x", [2, D], { dtype: "f64" });
  const W = param("W", [D, D], { dtype: "f64" });
  const y = ops.matmul(ops.matmul(x, W), ops.transpose(W));
  return { y, loss: ops.sum(ops.mul(y, x)) };
});

/** A bundle folder's files, edited in place by a file case. */
export interface BundleFiles {
  manifest: Record<string, unknown>;
  /** Written instead of the manifest when set (text that is not JSON). */
  manifestText?: string;
  /** Kernel file → WGSL text. */
  readonly kernels: Map<string, string>;
  params: Uint8Array;
  /** Extra edits on the folder itself (remove or add a file). */
  readonly dir: string;
}

export interface FileCase {
  readonly name: string;
  readonly edit: (b: BundleFiles) => void;
  /** Recompute the content hash after the edit (so that the hash check is not what refuses it). */
  readonly rehash: boolean;
  readonly code: string;
}

export interface CallCase {
  readonly name: string;
  readonly call: (m: LoadedBundle) => unknown;
  readonly code: string;
}

export interface BundleClass<C> {
  readonly name: string;
  readonly cases: readonly C[];
}

const x = () => Float32Array.from({ length: 2 * D }, (_, i) => i / (2 * D));
/** A W with `bad` at entry 4. */
const w = (bad = 0.5): number[] => Array.from({ length: D * D }, (_, i) => (i === 4 ? bad : i / (D * D)));

function f32le(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setFloat32(4 * i, x, true));
  return b;
}

/** params.safetensors holding W with `bad` at entry 4. */
function paramsWith(bad: number): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ W: { dtype: "F32", shape: [D, D], data_offsets: [0, 4 * D * D] } }));
  const out = new Uint8Array(8 + header.length + 4 * D * D);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 8);
  out.set(f32le(w(bad)), 8 + header.length);
  return out;
}

type Obj = Record<string, unknown>;
type ProgramObj = Obj & { buffers: Obj[]; steps: Obj[]; inputs: Obj[]; outputs: Obj[] };
const programs = (b: BundleFiles) => b.manifest.programs as { forward: ProgramObj; train: ProgramObj };

export const BUNDLE_FILE_CLASSES: readonly BundleClass<FileCase>[] = [
  {
    name: "bundle files changed on disk",
    cases: [
      { name: "manifest.json is not JSON", edit: (b) => (b.manifestText = "{ not json"), rehash: false, code: "MP7001" },
      { name: "manifest.json is empty", edit: (b) => (b.manifestText = ""), rehash: false, code: "MP7001" },
      { name: "an unknown manifest field", edit: (b) => (b.manifest.extra = 1), rehash: true, code: "MP7001" },
      { name: "a newer format version", edit: (b) => (b.manifest.version = 99), rehash: true, code: "MP7002" },
      { name: "a kernel path outside the bundle (../x.wgsl)", edit: (b) => ((b.manifest.kernels as Obj[])[0].file = "../x.wgsl"), rehash: true, code: "MP7001" },
      { name: "an absolute params path", edit: (b) => (b.manifest.paramsFile = "/etc/passwd"), rehash: true, code: "MP7001" },
      { name: "one kernel byte changed (hash kept)", edit: (b) => b.kernels.set([...b.kernels.keys()][0], `${[...b.kernels.values()][0]}\n`), rehash: false, code: "MP7003" },
      { name: "params changed (hash kept)", edit: (b) => (b.params = paramsWith(0.25)), rehash: false, code: "MP7003" },
      { name: "a kernel file missing", edit: (b) => b.kernels.delete([...b.kernels.keys()][0]), rehash: false, code: "MP7004" },
      { name: "params holding NaN (hash recomputed)", edit: (b) => (b.params = paramsWith(NaN)), rehash: true, code: "MP7005" },
      { name: "params holding Infinity (hash recomputed)", edit: (b) => (b.params = paramsWith(Infinity)), rehash: true, code: "MP7005" },
      { name: "params truncated (hash recomputed)", edit: (b) => (b.params = b.params.subarray(0, b.params.length - 4)), rehash: true, code: "MP7005" },
      { name: "params header length beyond the file", edit: (b) => new DataView(b.params.buffer, b.params.byteOffset).setUint32(0, 1e9, true), rehash: true, code: "MP7005" },
      {
        name: "an intermediate buffer shrunk (hash recomputed)",
        edit: (b) => {
          const p = programs(b).train;
          const inner = p.buffers.find((buf) => ![...p.outputs, ...p.inputs].some((s) => s.buffer === buf.id));
          if (!inner) throw new Error("the training step has no intermediate buffer: the case would test nothing");
          inner.bytes = 4;
        },
        rehash: true,
        code: "MP7014",
      },
      { name: "a dispatch of zero workgroups (hash recomputed)", edit: (b) => (programs(b).forward.steps[0].dispatch = [0, 1, 1]), rehash: true, code: "MP7001" },
    ],
  },
];

export interface LoadCase {
  readonly name: string;
  /** The bundle folder's URL → a load with bad arguments. */
  readonly load: (open: (base: unknown, opts?: unknown) => Promise<unknown>, url: URL) => Promise<unknown>;
  readonly code: string;
}

export const BUNDLE_LOAD_CLASSES: readonly BundleClass<LoadCase>[] = [
  {
    name: "bundle loads",
    cases: [
      { name: "a location that is not a URL", load: (open) => open("not a url"), code: "MP7013" },
      { name: "a folder without a bundle", load: (open, url) => open(new URL("no-such-folder/", url)), code: "MP7004" },
      { name: "a device that is not a GPUDevice", load: (open, url) => open(url, { device: {} }), code: "MP7013" },
      { name: "a negative timeoutMs", load: (open, url) => open(url, { timeoutMs: -1 }), code: "MP7013" },
      { name: "a timeoutMs that is not a number", load: (open, url) => open(url, { timeoutMs: "60s" }), code: "MP7013" },
    ],
  },
];

export const BUNDLE_CALL_CLASSES: readonly BundleClass<CallCase>[] = [
  {
    name: "bundle calls",
    cases: [
      { name: "inputs not an object", call: (m) => m.forward(null as never), code: "MP7007" },
      { name: "a missing input", call: (m) => m.forward({}), code: "MP7007" },
      { name: "an unknown input", call: (m) => m.forward({ x: x(), z: x() }), code: "MP7007" },
      { name: "a plain array instead of a typed array", call: (m) => m.forward({ x: Array.from(x()) }), code: "MP7009" },
      { name: "an Int32Array for an f64 input", call: (m) => m.forward({ x: new Int32Array(2 * D) }), code: "MP7009" },
      { name: "too few values", call: (m) => m.forward({ x: new Float32Array(2 * D - 1) }), code: "MP7008" },
      { name: "{ data, shape } with the wrong shape", call: (m) => m.forward({ x: { data: x(), shape: [D, 2] } }), code: "MP7008" },
      { name: "NaN in an input", call: (m) => m.forward({ x: x().map((v, i) => (i === 1 ? NaN : v)) }), code: "MP7010" },
      { name: "Infinity in an input", call: (m) => m.forward({ x: Float64Array.from(x(), (v, i) => (i === 1 ? Infinity : v)) }), code: "MP7010" },
      { name: "an f64 input beyond the f32 range", call: (m) => m.forward({ x: Float64Array.from(x(), (v, i) => (i === 1 ? 1e39 : v)) }), code: "MP7010" },
      { name: "setParams with NaN", call: (m) => m.setParams({ W: Float32Array.from(w(NaN)) }), code: "MP7010" },
      { name: "setParams beyond the f32 range", call: (m) => m.setParams({ W: Float64Array.from(w(-1e40)) }), code: "MP7010" },
      { name: "setParams of an unknown param", call: (m) => m.setParams({ V: new Float32Array(D * D) }), code: "MP7007" },
      { name: "step with a negative learning rate", call: (m) => m.step({ x: x() }, { lr: -1 }), code: "MP7013" },
      { name: "step with a NaN learning rate", call: (m) => m.step({ x: x() }, { lr: NaN }), code: "MP7013" },
      { name: "step without options", call: (m) => m.step({ x: x() }, undefined as never), code: "MP7013" },
    ],
  },
];

export interface HangCase {
  readonly name: string;
  /** Makes a kernel of the forward pass spin forever. */
  readonly edit: (b: BundleFiles) => void;
  readonly timeoutMs: number;
  readonly code: string;
}

/**
 * The first kernel of the forward pass, made to spin forever: its loop writes as it spins (so it
 * cannot be compiled away) and exits only on a uniform condition that never holds (the length of
 * a bound array being 0), so the kernel's barriers stay in uniform control flow.
 */
function spin(b: BundleFiles): void {
  const steps = (b.manifest.programs as { forward: { steps: { kernel: number }[] } }).forward.steps;
  const file = (b.manifest.kernels as { file: string }[])[steps[0].kernel].file;
  const wgsl = b.kernels.get(file)!;
  const out = /var<storage,\s*read_write>\s+(\w+)/.exec(wgsl)![1];
  const spun = wgsl.replace(/^(.*\bfn main\(.*\{)\s*$/m, `$1\n  loop { if (arrayLength(&${out}) == 0u) { break; } ${out}[0] = ${out}[0] + 1.0; }`);
  if (spun === wgsl) throw new Error(`${file}: no entry point to insert the loop into`);
  b.kernels.set(file, spun);
}

export const BUNDLE_HANG_CLASSES: readonly BundleClass<HangCase>[] = [
  {
    name: "bundle runs that never finish",
    cases: [{ name: "a kernel that never terminates (hash recomputed): MP7015 after load({ timeoutMs }), the device released, the process exits", edit: spin, timeoutMs: 1500, code: "MP7015" }],
  },
];
