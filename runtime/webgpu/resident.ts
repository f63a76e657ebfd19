/**
 * A resident program: a kernel program that keeps everything it needs on the device between
 * calls. Creating one checks the device's limits, compiles the pipelines, creates the planned
 * buffers, the bind groups, the status buffer and one staging buffer per output; a call then only
 * writes the inputs it is given into the existing buffers, records the dispatches in one command
 * buffer and copies back the outputs the caller asks for (mapAsync on the staging buffers). After
 * warm-up a call creates no buffer and no bind group. `dispose()` frees it all.
 *
 * Some inputs may live in buffers the caller owns (`bound`: params and optimizer state kept on the
 * device for many programs); the program must give each of them a buffer of its own (the lowering's
 * `pinned`), which is checked here. A `carry` copies an output into such a buffer once a call has
 * reported no failure (a device-side copy, submitted right after): that is how a training step's
 * next params and optimizer state replace the current ones without crossing to the host, and why a
 * failed step leaves them as they were.
 *
 * Failures are the executor's (execute.ts): a kernel's status word is an error naming its node and
 * source line (status.ts), a non-finite value in an output read back is an error, a lost device is
 * an error, and a submission that does not finish within the time limit releases the device
 * (watchdog.ts). A call reads back only the outputs it asks for, not the status words: one more
 * dispatch at the end folds every word into the first output read back (its first element becomes
 * a NaN when any word is set), and only a call that sees a non-finite value reads the words, in a
 * second submission, to tell a reported failure from an unexplained one. (A call that reads no
 * output reads the words.)
 */
import { checkLimits, describeNodes, WebGPURunError } from "./errors.js";
import { KernelCompileError, pipelineFor } from "./pipelines.js";
import type { Program, TensorSlot } from "../../codegen/program.js";
import { failureMessage, firstFailure, firstNonFinite, statusLayout, type StatusLayout } from "./status.js";
import { gpuTimeout, isReleased, releaseDevice, TIMED_OUT, withDeadline } from "./watchdog.js";

/** A carried tensor: after every call, output `output` is copied into the buffer bound to input `input`. */
export interface Carry {
  readonly input: string;
  readonly output: string;
}

export interface ResidentOptions {
  /** Inputs whose buffer the caller owns, by name: not written unless a call gives them. */
  readonly bound?: ReadonlyMap<string, GPUBuffer>;
  readonly carries?: readonly Carry[];
  /** The watchdog's limit for one call (default: watchdog.ts). */
  readonly timeoutMs?: number;
}

export interface CallOptions {
  /** Outputs to read back (default: all of them). */
  readonly read?: readonly string[];
}

/**
 * Storage buffers: written by kernels and queue writes, copied to staging buffers and into each
 * other. (A function: in Node the GPUBufferUsage global exists only once Dawn is loaded.)
 */
export const storageUsage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

const elements = (s: TensorSlot) => s.shape.reduce((a, d) => a * d, 1);
const slotBytes = (s: TensorSlot) => Math.max(4, elements(s) * 4);
/** Where a slot's tensor starts in its buffer, in elements (an output that is a view of another value). */
const offsetOf = (s: TensorSlot) => s.offset ?? 0;

/** Refuses a bound input whose planned buffer another value shares (it would overwrite the caller's data). */
function checkExclusive(p: Program, slot: TensorSlot): void {
  p.steps.forEach((s, i) => {
    s.buffers.forEach((b, j) => {
      if (b === slot.buffer && s.values[j] !== slot.value) {
        throw new Error(`program '${p.name}': input '${slot.name}' lives in a caller's buffer, but step ${i} ('${s.kernel.name}') puts %${s.values[j]} in its planned buffer ${b} (lower it with '${slot.name}' pinned)`);
      }
    });
  });
  const other = p.outputs.find((o) => o.buffer === slot.buffer);
  if (other) throw new Error(`program '${p.name}': input '${slot.name}' lives in a caller's buffer, but output '${other.name}' is read back from its planned buffer`);
}

interface StatusBuffers {
  readonly buffer: GPUBuffer;
  readonly staging: GPUBuffer;
  /** Where each step's words sit on the device (aligned slices) and in the staging buffer (packed). */
  readonly device: StatusLayout;
  readonly host: StatusLayout;
  readonly words: readonly number[];
  /** The folding dispatch's pipeline per element offset it marks (an output that is a view starts past 0), and its bind group per output (made on first use). */
  readonly fold: ReadonlyMap<number, GPUComputePipeline>;
  readonly folds: Map<string, GPUBindGroup>;
}

/**
 * WGSL of the folding dispatch: if any status word is set, the first element of the output bound at
 * binding 1 (element `at` of its buffer) becomes a quiet NaN. One invocation: a program has a few
 * slices of 64 words at most.
 */
const foldWgsl = (at: number) => `@group(0) @binding(0) var<storage, read> mp_words: array<u32>;
@group(0) @binding(1) var<storage, read_write> mp_marked: array<u32>;
@compute @workgroup_size(1) fn main() {
  var flags = 0u;
  for (var i = 0u; i < arrayLength(&mp_words); i++) { flags = flags | mp_words[i]; }
  if (flags != 0u) { mp_marked[${at}u] = 0x7fc00000u; }
}
`;

export class ResidentProgram {
  private pending: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private lost: string | undefined;
  private readonly lostPromise: Promise<void>;

  private constructor(
    private readonly device: GPUDevice,
    readonly program: Program,
    private readonly pipelines: readonly GPUComputePipeline[],
    /** The GPU buffer for each planned buffer id (owned, or the caller's). */
    private readonly buffers: readonly GPUBuffer[],
    /** What dispose() destroys. */
    private readonly owned: readonly GPUBuffer[],
    private readonly groups: readonly { readonly main: GPUBindGroup; readonly status?: GPUBindGroup }[],
    private readonly staging: ReadonlyMap<string, GPUBuffer>,
    private readonly status: StatusBuffers | undefined,
    private readonly bound: ReadonlySet<string>,
    private readonly carries: readonly { readonly from: GPUBuffer; readonly fromOffset: number; readonly to: GPUBuffer; readonly bytes: number }[],
    private readonly timeoutMs: number | undefined,
  ) {
    this.lostPromise = device.lost.then((info) => {
      this.lost = info.message || info.reason || "device lost";
    });
  }

  static async create(device: GPUDevice, p: Program, opts: ResidentOptions = {}): Promise<ResidentProgram> {
    if (isReleased(device)) throw new WebGPURunError("timeout", "the WebGPU device was released after a submission that did not finish; run again on a fresh device");
    checkLimits(device, p);
    const bound = opts.bound ?? new Map<string, GPUBuffer>();
    const inputs = new Map(p.inputs.map((s) => [s.name, s]));
    const outputs = new Map(p.outputs.map((s) => [s.name, s]));
    const boundBuffers = new Map<number, GPUBuffer>();
    for (const [name, buffer] of bound) {
      const slot = inputs.get(name) ?? fail(`program '${p.name}' has no input '${name}' to bind`);
      if (buffer.size < slotBytes(slot)) fail(`the buffer bound to '${name}' has ${buffer.size} bytes; [${slot.shape.join(", ")}] needs ${slotBytes(slot)}`);
      checkExclusive(p, slot);
      boundBuffers.set(slot.buffer, buffer);
    }
    const pipelines = await Promise.all(
      p.steps.map((s) =>
        pipelineFor(device, s.kernel).catch((e: unknown) => {
          if (e instanceof KernelCompileError) throw new WebGPURunError("compile", `${e.message} (from ${describeNodes(s)})`);
          throw e;
        }),
      ),
    );
    const owned: GPUBuffer[] = [];
    const own = (b: GPUBuffer) => (owned.push(b), b);
    const buffers = p.buffers.map((b) => boundBuffers.get(b.id) ?? own(device.createBuffer({ size: Math.ceil(b.bytes / 4) * 4, usage: storageUsage(), label: `${p.name}: buffer ${b.id}` })));
    const words = p.steps.map((s) => s.checks?.length ?? 0);
    const deviceLayout = statusLayout(words, device.limits.minStorageBufferOffsetAlignment);
    let status: StatusBuffers | undefined;
    if (deviceLayout.bytes) {
      const host = statusLayout(words, 4);
      const buffer = own(device.createBuffer({ size: deviceLayout.bytes, usage: storageUsage(), label: `${p.name}: status` }));
      const staging = own(device.createBuffer({ size: host.bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `${p.name}: status readback` }));
      const offsets = [...new Set(p.outputs.map(offsetOf))];
      const fold = new Map(await Promise.all(offsets.map(async (at) => [at, await pipelineFor(device, { name: "status_fold", wgsl: foldWgsl(at) })] as const)));
      status = { buffer, staging, device: deviceLayout, host, words, fold, folds: new Map() };
    }
    const groups = p.steps.map((s, i) => {
      const main = device.createBindGroup({ layout: pipelines[i].getBindGroupLayout(0), entries: s.buffers.map((b, binding) => ({ binding, resource: { buffer: buffers[b] } })) });
      const at = deviceLayout.offsets[i];
      if (!status || at === undefined) return { main };
      return { main, status: device.createBindGroup({ layout: pipelines[i].getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: status.buffer, offset: at, size: 4 * words[i] } }] }) };
    });
    const staging = new Map(p.outputs.map((s) => [s.name, own(device.createBuffer({ size: slotBytes(s), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `${p.name}: readback of '${s.name}'` }))]));
    const carries = (opts.carries ?? []).map((c) => {
      const from = outputs.get(c.output) ?? fail(`program '${p.name}' has no output '${c.output}' to carry`);
      const to = inputs.get(c.input);
      if (!to || !bound.has(c.input)) fail(`program '${p.name}' carries '${c.output}' into '${c.input}', which is not a bound input`);
      if (elements(from) !== elements(to)) fail(`program '${p.name}' carries '${c.output}' [${from.shape.join(", ")}] into '${c.input}' [${to.shape.join(", ")}]`);
      return { from: buffers[from.buffer], fromOffset: 4 * offsetOf(from), to: bound.get(c.input)!, bytes: slotBytes(to) };
    });
    return new ResidentProgram(device, p, pipelines, buffers, owned, groups, staging, status, new Set(bound.keys()), carries, opts.timeoutMs);
  }

  /** One call: writes the given inputs, runs every step, reads back `read` (default all outputs). Calls run one at a time. */
  run(feeds: ReadonlyMap<string, Float32Array>, opts: CallOptions = {}): Promise<Map<string, Float32Array>> {
    const next = this.pending.then(() => this.call(feeds, opts));
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Frees the program's buffers once the call in flight (if any) has finished. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.pending.then(() => {
      for (const b of this.owned) b.destroy();
    });
  }

  private async call(feeds: ReadonlyMap<string, Float32Array>, opts: CallOptions): Promise<Map<string, Float32Array>> {
    const { device, program: p } = this;
    if (this.disposed) throw new Error(`program '${p.name}' was disposed`);
    if (isReleased(device)) throw new WebGPURunError("timeout", "the WebGPU device was released after a submission that did not finish; run again on a fresh device");
    for (const slot of p.inputs) {
      const data = feeds.get(slot.name);
      if (!data) {
        if (this.bound.has(slot.name)) continue;
        throw new WebGPURunError("input", `no data for input '${slot.name}'`);
      }
      if (data.length !== elements(slot)) throw new WebGPURunError("input", `input '${slot.name}' has ${data.length} values; [${slot.shape.join(", ")}] needs ${elements(slot)}`);
      device.queue.writeBuffer(this.buffers[slot.buffer], 0, data as Float32Array<ArrayBuffer>);
    }
    const reads = (opts.read ?? p.outputs.map((s) => s.name)).map((name) => p.outputs.find((s) => s.name === name) ?? fail(`program '${p.name}' has no output '${name}'`));
    const st = this.status;
    const marked = st && reads.length ? this.foldInto(st, reads[0]) : undefined;
    device.pushErrorScope("validation");
    const enc = device.createCommandEncoder();
    if (st) enc.clearBuffer(st.buffer);
    const pass = enc.beginComputePass();
    p.steps.forEach((s, i) => {
      pass.setPipeline(this.pipelines[i]);
      pass.setBindGroup(0, this.groups[i].main);
      const status = this.groups[i].status;
      if (status) pass.setBindGroup(1, status);
      pass.dispatchWorkgroups(...s.kernel.dispatch);
    });
    if (st && marked) {
      pass.setPipeline(st.fold.get(offsetOf(reads[0]))!);
      pass.setBindGroup(0, marked);
      pass.dispatchWorkgroups(1);
    }
    pass.end();
    for (const slot of reads) enc.copyBufferToBuffer(this.buffers[slot.buffer], 4 * offsetOf(slot), this.staging.get(slot.name)!, 0, slotBytes(slot));
    if (st && !marked) this.copyStatus(enc, st);
    device.queue.submit([enc.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new WebGPURunError("validation", `WebGPU rejected the program: ${error.message}`);

    const done = Promise.all([Promise.all(reads.map(async (slot) => [slot, new Float32Array(await mapped(this.staging.get(slot.name)!, elements(slot) * 4 || 4))] as const)), st && !marked ? mapped(st.staging, st.host.bytes) : undefined]);
    const result = await this.finish(done);
    const [outs] = result;
    let statusWords = result[1];
    const bad = firstNonFinite(outs);
    // The words come back only when something is not finite (a set word marks the first output).
    if (st && marked && bad) {
      const enc2 = device.createCommandEncoder();
      this.copyStatus(enc2, st);
      device.queue.submit([enc2.finish()]);
      statusWords = await this.finish(mapped(st.staging, st.host.bytes));
    }
    const failure = st && statusWords && firstFailure(new Uint32Array(statusWords), p.steps, st.host);
    if (failure) {
      const { site } = failure;
      throw new WebGPURunError("check", `${site.op}${site.loc ? ` at ${site.loc}` : ""}: ${failureMessage(failure)}`, failure);
    }
    if (bad) throw new WebGPURunError("non-finite", `output '${bad.output}' holds ${bad.value} (flat index ${bad.index}) and no kernel reported a failure: an f32 overflow or an unchecked domain error upstream`, undefined, bad);
    // Only a call that reported no failure moves its carried outputs in (a failed training step
    // leaves the params and optimizer state as they were): a copy on the device, in call order.
    if (this.carries.length) {
      const commit = device.createCommandEncoder();
      for (const c of this.carries) commit.copyBufferToBuffer(c.from, c.fromOffset, c.to, 0, c.bytes);
      device.queue.submit([commit.finish()]);
    }
    return new Map(outs.map(([slot, data]) => [slot.name, slot.shape.length === 0 ? data.subarray(0, 1) : data]));
  }

  /** The folding dispatch's bind group that marks output `slot` (one per output, kept). */
  private foldInto(st: StatusBuffers, slot: TensorSlot): GPUBindGroup {
    let group = st.folds.get(slot.name);
    if (!group) {
      const entries = [st.buffer, this.buffers[slot.buffer]].map((buffer, binding) => ({ binding, resource: { buffer } }));
      group = this.device.createBindGroup({ layout: st.fold.get(offsetOf(slot))!.getBindGroupLayout(0), entries });
      st.folds.set(slot.name, group);
    }
    return group;
  }

  private copyStatus(enc: GPUCommandEncoder, st: StatusBuffers): void {
    st.words.forEach((w, i) => w && enc.copyBufferToBuffer(st.buffer, st.device.offsets[i]!, st.staging, st.host.offsets[i]!, 4 * w));
  }

  /** `done`, unless the device is lost or the watchdog's limit passes first. */
  private async finish<T>(done: Promise<T>): Promise<T> {
    const timeoutMs = gpuTimeout(this.timeoutMs);
    const result = await withDeadline(Promise.race([done, this.lostPromise.then(() => LOST)]), timeoutMs);
    if (result === TIMED_OUT) {
      releaseDevice(this.device);
      throw new WebGPURunError("timeout", `'${this.program.name}' did not finish within ${timeoutMs / 1000} s (a kernel that never terminates, or a hung device); the device was released`);
    }
    if (result === LOST) throw new WebGPURunError("device-lost", `the WebGPU device was lost: ${this.lost}`);
    return result as T;
  }
}

const LOST = Symbol("lost");

async function mapped(rb: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  await rb.mapAsync(GPUMapMode.READ, 0, bytes);
  const data = rb.getMappedRange(0, bytes).slice(0);
  rb.unmap();
  return data;
}

function fail(message: string): never {
  throw new Error(message);
}
