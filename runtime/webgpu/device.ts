/**
 * Getting a WebGPU device: `navigator.gpu` in browsers; in Node the `webgpu` package (Dawn). On a
 * machine without a GPU, Dawn runs on SwiftShader's Vulkan driver, which Debian ships inside its
 * `chromium` package: the loader is pointed at it here, so users need not export anything.
 */
import { onRelease } from "./watchdog.js";

const SWIFTSHADER_ICDS = ["/usr/lib/chromium/vk_swiftshader_icd.json", "/usr/lib64/chromium/vk_swiftshader_icd.json"];

export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly adapterInfo: string;
  readonly software: boolean;
}

let cached: Promise<AcquiredDevice | null> | undefined;
/**
 * Dawn in Node lives only as long as the object `create()` returned is reachable (the `webgpu`
 * package's README, "Lifetime"): dropping it lets a garbage collection tear Dawn down under a live
 * device, and the next dispatch kills the process. Keep every instance that gave us an adapter.
 */
const keepAlive: GPU[] = [];

async function nodeGPU(): Promise<GPU | null> {
  try {
    const mod = (await import("webgpu")) as unknown as { create(flags: string[]): GPU; globals: Record<string, unknown> };
    // GPUBufferUsage and friends are globals in browsers; Dawn exports them.
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    return mod.create([]);
  } catch {
    return null;
  }
}

async function request(gpu: GPU): Promise<AcquiredDevice | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return null;
  keepAlive.push(gpu);
  const info = adapter.info;
  const adapterInfo = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(" ") || "unknown adapter";
  // Ask for the adapter's storage limits (the defaults are the portable target; more only if offered).
  const want = ["maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize", "maxStorageBuffersPerShaderStage"] as const;
  const requiredLimits: Record<string, number> = {};
  for (const k of want) requiredLimits[k] = adapter.limits[k];
  const device = await adapter.requestDevice({ requiredLimits });
  return { device, adapterInfo, software: /swiftshader/i.test(adapterInfo) };
}

/**
 * The shared device, or null when no adapter exists (then callers fall back to the CPU executor).
 * `fresh` asks for a device of its own (tests that destroy it).
 */
// A device the watchdog released is not handed out again: the next caller gets a fresh one.
let shared: GPUDevice | undefined;
onRelease((device) => {
  if (device === shared) {
    cached = undefined;
    shared = undefined;
  }
});

export function acquireDevice(opts: { fresh?: boolean } = {}): Promise<AcquiredDevice | null> {
  if (opts.fresh) return acquireDevice().then(async (shared) => (shared && keepAlive.length ? request(keepAlive[keepAlive.length - 1]) : null));
  cached ??= (async () => {
    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav?.gpu) return request(nav.gpu);
    if (typeof process === "undefined") return null;
    if (!process.env.VK_ICD_FILENAMES) {
      const fs = await import("node:fs");
      // The Vulkan loader insists on a runtime dir; give it one rather than an error line.
      process.env.XDG_RUNTIME_DIR ??= (await import("node:os")).tmpdir();
      // Prefer a real GPU's driver when the machine has a GPU device node; else go straight to
      // SwiftShader (probing the default drivers first only prints warnings about software ones).
      const hasGPU = ["/dev/dri", "/dev/nvidiactl", "/dev/dxg"].some((p) => fs.existsSync(p));
      if (hasGPU) {
        const gpu = await nodeGPU();
        const real = gpu && (await request(gpu));
        if (real) return real;
      }
      const icd = SWIFTSHADER_ICDS.find((p) => fs.existsSync(p));
      if (!icd) return null;
      process.env.VK_ICD_FILENAMES = icd;
    }
    const gpu = await nodeGPU();
    return gpu ? request(gpu) : null;
  })().then((d) => {
    shared = d?.device;
    return d;
  });
  return cached;
}
