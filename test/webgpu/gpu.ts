/**
 * The WebGPU device for tests. Without an adapter the WebGPU tests skip — except in CI
 * (CI=true), where a missing adapter fails the run: CI installs the software adapter.
 */
import { acquireDevice, type AcquiredDevice } from "../../runtime/webgpu/device.js";

export const device: AcquiredDevice | null = await acquireDevice();
export const _keep = device;

if (!device && process.env.CI === "true") {
  throw new Error("CI=true but no WebGPU adapter was found: install Debian's chromium and libvulkan1 (see README)");
}

/** `describe`/`it` variant to use: skips only when no adapter exists outside CI. */
export const hasGPU = device !== null;
