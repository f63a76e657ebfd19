/**
 * Scaffolding the NN kernels share: storage declarations in binding order, shape constants baked
 * in as i32 (window arithmetic goes negative at the padding), and the entry point of a kernel with
 * one invocation per output element over a 1-D grid folded into 2-D past 65535 workgroups.
 */
import { type KernelBinding, type KernelSource, grid, groups } from "../../kernel.js";

/** Invocations per workgroup for the one-invocation-per-element kernels. */
export const ELEMENT_WG = 64;

/** `@group(0) @binding(i) var<storage, …> name: array<f32>;`, one line per binding, in order. */
export function declareBindings(bindings: readonly KernelBinding[]): string {
  return bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: array<f32>;`).join("\n");
}

/** `const NAME: i32 = value;` for each entry (values must be integers that fit an i32). */
export function constants(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (!Number.isInteger(v) || Math.abs(v) > 0x7fffffff) throw new RangeError(`kernel constant ${k} = ${v} is not an i32`);
      return `const ${k}: i32 = ${v};`;
    })
    .join("\n");
}

/**
 * A kernel with one invocation per output element: `body` runs with `idx: i32` in [0, total) and
 * the constants declared; invocations past the end return first. The output is the last binding.
 */
export function perElementKernel(name: string, bindings: readonly KernelBinding[], consts: Readonly<Record<string, number>>, total: number, body: string): KernelSource {
  if (!(total >= 1) || total > 0x7fffffff) throw new RangeError(`${name}: ${total} output elements do not fit one i32-indexed dispatch`);
  const wgsl = `${declareBindings(bindings)}
${constants({ ...consts, TOTAL: total })}

@compute @workgroup_size(${ELEMENT_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let linear = (wid.x + wid.y * nwg.x) * ${ELEMENT_WG}u + lid;
  if (linear >= u32(TOTAL)) { return; }
  let idx = i32(linear);
${body}
}
`;
  const out = bindings.length - 1;
  if (bindings[out]?.access !== "read_write" || bindings[out].elements !== total) throw new RangeError(`${name}: the last binding must be the ${total}-element output`);
  return { name, wgsl, workgroupSize: [ELEMENT_WG, 1, 1], dispatch: grid(groups(total, ELEMENT_WG)), bindings, covers: [{ binding: out, shape: [total], tile: [ELEMENT_WG] }] };
}

/** The smallest power of two ≥ n, clamped to [lo, hi] (tree reductions need a power of two). */
export function pow2Clamp(n: number, lo: number, hi: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return Math.min(hi, Math.max(lo, p));
}
