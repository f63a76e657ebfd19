/**
 * A GPUDevice that counts what goes through it: buffers and bind groups created, bytes written by
 * `queue.writeBuffer`, bytes copied into mappable (MAP_READ) buffers — what comes back to the host
 * — and compute dispatches recorded. `matprop bench` runs on it, so its per-step numbers are
 * measured where the work happens, not assumed from the program.
 *
 * Every call is forwarded to the real object with the real object as `this` (Dawn checks it); the
 * objects handed out (buffers, pipelines, command buffers) are the real ones, so they can be
 * passed to the real device too.
 */

export interface DeviceCounters {
  buffersCreated: number;
  bindGroupsCreated: number;
  bytesUploaded: number;
  bytesRead: number;
  dispatches: number;
  submits: number;
}

export function zeroCounters(): DeviceCounters {
  return { buffersCreated: 0, bindGroupsCreated: 0, bytesUploaded: 0, bytesRead: 0, dispatches: 0, submits: 0 };
}

type Fn = (...args: unknown[]) => unknown;

/** A proxy of `target` whose properties in `overrides` are replaced; everything else forwards to `target`. */
function forward<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === "string" && Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop];
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === "function" ? (v as Fn).bind(t) : v;
    },
  });
}

function byteLength(data: BufferSource | SharedArrayBuffer, dataOffset = 0, size?: number): number {
  if (ArrayBuffer.isView(data)) {
    const element = (data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    return size !== undefined ? size * element : data.byteLength - dataOffset * element;
  }
  return size !== undefined ? size : data.byteLength - dataOffset;
}

/** `device` wrapped so that `counters` tallies its traffic (reset it by assigning zeros). */
export function countingDevice(device: GPUDevice): { device: GPUDevice; counters: DeviceCounters } {
  const counters = zeroCounters();
  const queue = forward(device.queue, {
    writeBuffer: (buffer: unknown, offset: unknown, data: unknown, dataOffset: unknown, size: unknown) => {
      counters.bytesUploaded += byteLength(data as BufferSource, dataOffset as number | undefined, size as number | undefined);
      return device.queue.writeBuffer(buffer as GPUBuffer, offset as number, data as BufferSource, dataOffset as number | undefined, size as number | undefined);
    },
    submit: (buffers: unknown) => {
      counters.submits++;
      return device.queue.submit(buffers as GPUCommandBuffer[]);
    },
  });
  const encoder = (real: GPUCommandEncoder): GPUCommandEncoder =>
    forward(real, {
      beginComputePass: (desc: GPUComputePassDescriptor | undefined) => {
        const pass = real.beginComputePass(desc);
        return forward(pass, {
          dispatchWorkgroups: (x: number, y?: number, z?: number) => {
            counters.dispatches++;
            return pass.dispatchWorkgroups(x, y, z);
          },
        });
      },
      copyBufferToBuffer: (src: unknown, srcOffset: unknown, dst: unknown, dstOffset: unknown, size: unknown) => {
        if (((dst as GPUBuffer).usage & GPUBufferUsage.MAP_READ) !== 0) counters.bytesRead += size as number;
        return real.copyBufferToBuffer(src as GPUBuffer, srcOffset as number, dst as GPUBuffer, dstOffset as number, size as number);
      },
    });
  const counted = forward(device, {
    queue,
    createBuffer: (desc: unknown) => {
      counters.buffersCreated++;
      return device.createBuffer(desc as GPUBufferDescriptor);
    },
    createBindGroup: (desc: unknown) => {
      counters.bindGroupsCreated++;
      return device.createBindGroup(desc as GPUBindGroupDescriptor);
    },
    createCommandEncoder: (desc: unknown) => encoder(device.createCommandEncoder(desc as GPUCommandEncoderDescriptor | undefined)),
  });
  return { device: counted, counters };
}
