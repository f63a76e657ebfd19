/**
 * Resident programs, measured through a counting device: after creation a call creates no buffer
 * and no bind group, uploads only the inputs it is given and reads back only the outputs it asks
 * for; inputs bound to caller-owned buffers persist between calls and carries update them in the
 * same submission; an input whose planned buffer another value shares cannot be bound; a disposed
 * program refuses to run. A program whose kernels check for failures reads back no status words
 * unless something is not finite, and still reports a failure at its op. And the counting device
 * counts what it claims to.
 */
import { describe, expect, it } from "vitest";
import { model, ops } from "../../index.js";
import { lowerGraph } from "../../codegen/lower.js";
import type { Program } from "../../codegen/program.js";
import { countingDevice } from "../../runtime/webgpu/counting.js";
import { ResidentProgram } from "../../runtime/webgpu/resident.js";
import { TensorStore } from "../../runtime/webgpu/store.js";
import { device, hasGPU } from "./gpu.js";

// y = 2x + b, z = Σ y: two outputs; b is a param the tests keep resident.
const affine = model("affine", ({ input, param }) => {
  const x = input("x", [4]);
  const b = param("b", [4], { init: "zeros" });
  const y = ops.add(ops.mul(x, 2), b);
  return { y, z: ops.sum(y) };
});

const lowered = (pinned?: Set<string>): Program => lowerGraph(affine.build(), new Map(), { pinned }).program;

describe.runIf(hasGPU)("resident programs", () => {
  it("after creation, a call creates nothing, uploads what it is given and reads back what it asks for", async () => {
    const { device: d, counters } = countingDevice(device!.device);
    const p = await ResidentProgram.create(d, lowered());
    const created = counters.buffersCreated;
    expect(created).toBeGreaterThanOrEqual(p.program.buffers.length + p.program.outputs.length);
    const before = { ...counters };
    for (let i = 0; i < 3; i++) {
      const out = await p.run(new Map([["x", Float32Array.of(1, 2, 3, i)], ["b", Float32Array.of(1, 1, 1, 1)]]), { read: ["z"] });
      expect([...out.keys()]).toEqual(["z"]);
      expect(out.get("z")![0]).toBe(2 * (6 + i) + 4);
    }
    expect(counters.buffersCreated - before.buffersCreated).toBe(0);
    expect(counters.bindGroupsCreated - before.bindGroupsCreated).toBe(0);
    expect(counters.bytesUploaded - before.bytesUploaded).toBe(3 * 32);
    expect(counters.bytesRead - before.bytesRead).toBe(3 * 4);
    expect(counters.dispatches - before.dispatches).toBe(3 * p.program.steps.length);
    expect(counters.submits - before.submits).toBe(3);
    const all = await p.run(new Map([["x", Float32Array.of(1, 1, 1, 1)], ["b", new Float32Array(4)]]));
    expect([...all.get("y")!]).toEqual([2, 2, 2, 2]);
    p.dispose();
    await expect(p.run(new Map())).rejects.toThrow(/disposed/);
  });

  it("a bound input persists between calls; a carry replaces it with an output in the same submission", async () => {
    const store = new TensorStore(device!.device);
    store.write("b", Float32Array.of(1, 2, 3, 4));
    const p = await ResidentProgram.create(device!.device, lowered(new Set(["b"])), { bound: new Map([["b", store.buffer("b", 4)]]), carries: [{ output: "y", input: "b" }] });
    const x = Float32Array.of(1, 1, 1, 1);
    // b ← 2x + b each call: 3, 4, 5, 6 → 5, 6, 7, 8 → …
    for (let k = 1; k <= 3; k++) {
      const out = await p.run(new Map([["x", x]]), { read: ["y"] });
      expect([...out.get("y")!]).toEqual([1, 2, 3, 4].map((v) => v + 2 * k));
    }
    expect([...(await store.read(["b"])).get("b")!]).toEqual([7, 8, 9, 10]);
    p.dispose();
    store.dispose();
  });

  it("with failure checks, a call reads back only its outputs, and a failure is still reported at its op", async () => {
    // log checks its domain on the device; z = Σ log(x + b).
    const g = model("logs", ({ input, param }) => {
      const x = input("x", [4]);
      const b = param("b", [4], { init: "zeros" });
      return { z: ops.sum(ops.log(ops.add(x, b))), y: ops.add(x, b) };
    }).build();
    const program = lowerGraph(g, new Map()).program;
    expect(program.steps.some((s) => s.checks?.length), "the lowering checks log's domain").toBe(true);
    const { device: d, counters } = countingDevice(device!.device);
    const p = await ResidentProgram.create(d, program);
    const b = new Float32Array(4);
    await p.run(new Map([["x", Float32Array.of(1, 2, 3, 4)], ["b", b]]), { read: ["z"] });
    const before = { ...counters };
    const z = (await p.run(new Map([["x", Float32Array.of(1, 1, 1, 1)], ["b", b]]), { read: ["z"] })).get("z")!;
    expect(z[0]).toBe(0);
    expect(counters.bytesRead - before.bytesRead, "the loss, no status words").toBe(4);
    expect(counters.bindGroupsCreated - before.bindGroupsCreated).toBe(0);
    // A negative entry: log's check fires, whichever output is read (or none).
    for (const read of [["z"], ["y"], ["y", "z"], []]) {
      const err = await p.run(new Map([["x", Float32Array.of(1, -2, 3, 4)], ["b", b]]), { read }).catch((e: unknown) => e);
      expect(err, `read ${read.join(", ") || "nothing"}`).toMatchObject({ kind: "check" });
      expect((err as Error).message).toMatch(/^log/);
    }
    // A non-finite value no check explains is still an error of its own.
    const inf = await p.run(new Map([["x", Float32Array.of(1, 2, 3, 3e38)], ["b", Float32Array.of(0, 0, 0, 3e38)]]), { read: ["y"] }).catch((e: unknown) => e);
    expect(inf).toMatchObject({ kind: "non-finite" });
    p.dispose();
  });

  it("refuses to bind an input whose planned buffer holds other values too", async () => {
    const g = model("chain", ({ input }) => {
      const x = input("x", [64]);
      const e = ops.exp(ops.sum(x, { axis: 0, keepdims: true }));
      return { s: ops.sum(ops.mul(ops.sum(ops.mul(e, x)), e)) };
    }).build();
    const shared = lowerGraph(g, new Map()).program;
    const slot = shared.inputs[0];
    const reused = shared.steps.some((s) => s.buffers.some((b, j) => b === slot.buffer && s.values[j] !== slot.value));
    const store = new TensorStore(device!.device);
    const bind = () => ResidentProgram.create(device!.device, shared, { bound: new Map([["x", store.buffer("x", 64)]]) });
    expect(reused, "the planner reuses x's buffer once x is dead").toBe(true);
    await expect(bind()).rejects.toThrow(/lives in a caller's buffer.*pinned/);
    // Pinned, the input keeps its buffer to itself and binds.
    const pinned = lowerGraph(g, new Map(), { pinned: new Set(["x"]) }).program;
    const p = await ResidentProgram.create(device!.device, pinned, { bound: new Map([["x", store.buffer("x", 64)]]) });
    p.dispose();
    store.dispose();
  });
});
