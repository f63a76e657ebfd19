/**
 * The watchdog on WebGPU submissions: a program whose results have not come back within the time
 * limit (a kernel that never terminates, a driver that hangs) ends the run with an error instead of
 * a hang, and its device is released — nothing of ours uses it again (the shared device is
 * forgotten, so the next run gets a fresh one). In a browser the device is also destroyed; in Node,
 * Dawn's `destroy()` waits for the stuck queue to drain, i.e. forever, so the device is abandoned
 * instead (its work ends with the process). The default is 60 s per submission; the CLI's
 * `--gpu-timeout <seconds>` and a bundle's `load({ timeoutMs })` change it.
 */
export const DEFAULT_GPU_TIMEOUT_MS = 60_000;

let defaultTimeoutMs = DEFAULT_GPU_TIMEOUT_MS;

/** Sets the limit used where a run does not give one. */
export function setGpuTimeout(ms: number): void {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`the WebGPU time limit must be a positive number of milliseconds, got ${ms}`);
  defaultTimeoutMs = ms;
}

export function gpuTimeout(ms?: number): number {
  return ms ?? defaultTimeoutMs;
}

export const TIMED_OUT: unique symbol = Symbol("timed out");

/** `work`, or TIMED_OUT once `ms` have passed without it settling. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const released = new WeakSet<GPUDevice>();
const listeners: ((device: GPUDevice) => void)[] = [];

/** Called with every device the watchdog releases (device.ts forgets its shared device). */
export function onRelease(listener: (device: GPUDevice) => void): void {
  listeners.push(listener);
}

/** Releases a device whose submission timed out: never used by us again, destroyed where that cannot hang. */
export function releaseDevice(device: GPUDevice): void {
  released.add(device);
  for (const l of listeners) l(device);
  const inBrowser = typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== "undefined" && typeof process === "undefined";
  if (inBrowser) device.destroy();
}

/** Whether the watchdog released `device` (a run on it fails at once). */
export function isReleased(device: GPUDevice): boolean {
  return released.has(device);
}
