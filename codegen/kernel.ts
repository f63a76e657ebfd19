/**
 * A compute kernel as data (in the manner of TF.js's WebGPUProgram): WGSL source, workgroup size,
 * dispatch grid and its storage bindings in binding order (group 0). All tensors on the GPU are
 * f32, row-major, dense (class labels are stored as exact small integers in f32).
 */
export interface KernelBinding {
  /** The WGSL variable name (the `@group(0) @binding(i)` declaration must use it). */
  readonly name: string;
  /** "read": the kernel only reads the value bound here; "read_write": it writes a new value there. */
  readonly access: "read" | "read_write";
  /** Elements (f32) of the tensor the kernel was generated for at this binding. */
  readonly elements: number;
}

/**
 * What a kernel's dispatch must cover: binding `binding` (an output) viewed as an array of `shape`
 * (whose element count is the binding's), one workgroup per `tile`-sized block of it. The dispatch
 * needs at least Π ceil(shape[d] / tile[d]) workgroups.
 */
export interface Coverage {
  readonly binding: number;
  readonly shape: readonly number[];
  readonly tile: readonly number[];
}

/**
 * One word of a kernel's status slice (see status.ts): what it means when the kernel sets it. The
 * message may hold `{i}`, replaced by the word's payload (the failing element's flat index, or the
 * failing matrix of the batch, as the message says).
 */
export interface KernelCheck {
  readonly message: string;
  /** The IR node the check belongs to, when a kernel computes several (fused expressions); otherwise the node the kernel was lowered for. */
  readonly node?: number;
}

export interface KernelSource {
  /** A readable name, e.g. "eigh_jacobi_8x8". */
  readonly name: string;
  readonly wgsl: string;
  readonly workgroupSize: readonly [number, number, number];
  readonly dispatch: readonly [number, number, number];
  readonly bindings: readonly KernelBinding[];
  /** The outputs the dispatch covers (every written binding whose value is used later). */
  readonly covers: readonly Coverage[];
  /** Bytes of var<workgroup> memory the kernel declares (checked against the device limit). */
  readonly workgroupBytes?: number;
  /**
   * Failures the kernel reports on the device, one per word of its status slice (`checks[w]` is
   * word w). A kernel with checks declares the status binding at @group(1) @binding(0), outside the
   * planned buffers of group 0.
   */
  readonly checks?: readonly KernelCheck[];
}

/** Workgroups a coverage needs: one per tile. */
export function workgroupsNeeded(c: Coverage): number {
  return c.shape.reduce((p, d, i) => p * Math.ceil(d / (c.tile[i] ?? 1)), 1);
}

/** Workgroups needed to cover `n` invocations with `size` per workgroup. */
export function groups(n: number, size: number): number {
  return Math.max(1, Math.ceil(n / size));
}

/**
 * Split a 1-D grid into a 2-D dispatch that respects maxComputeWorkgroupsPerDimension (65535 by
 * default); kernels recover the linear workgroup index as `wid.x + wid.y * nwg.x`.
 */
export function grid(workgroups: number, maxPerDim = 65535): [number, number, number] {
  if (workgroups <= maxPerDim) return [workgroups, 1, 1];
  return [maxPerDim, Math.ceil(workgroups / maxPerDim), 1];
}
