/**
 * compile(...) on the CPU backend: run, grad (params; inputs on request), trainers with every
 * optimizer, schedules and clipping, and checkpoints that restore params exactly and let training
 * continue as if it had never stopped. Each is compared with the Trainer and executor it fronts.
 */
import { describe, expect, it } from "vitest";
import { compile, gradcheck, model, ops, optim, batches } from "../../index.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { Adam, SGD, Trainer } from "../../compiler/train/index.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { readSafetensors, paramsOf } from "../../runtime/bundle/safetensors.js";
import { blobs, mlp } from "./model.js";

const data = blobs(24);
const feeds = { X: data.X, y: data.y };
const asMap = (f: { X: number[][]; y: number[] }) =>
  new Map([
    ["X", { shape: [f.X.length, 4], data: Float64Array.from(f.X.flat()) }],
    ["y", { shape: [f.y.length], data: Float64Array.from(f.y) }],
  ]);

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe("compile on the CPU", () => {
  it("run gives the executor's outputs (params from the seed), typed by output name", async () => {
    const prog = await compile(mlp, { backend: "cpu", seed: 4 });
    const out = await prog.run(feeds);
    const ref = executeCPU(mlp.build(), asMap(data), { seed: 4 }).outputs;
    expect(out.loss.data).toEqual(ref.get("loss")!.data);
    expect(out.logits).toEqual({ shape: [24, 3], data: ref.get("logits")!.data });
    // @ts-expect-error: the model has no output 'accuracy'
    expect(out.accuracy).toBeUndefined();
    // { shape, data } feeds with typed arrays give the same.
    const typed = await prog.run({ X: { shape: [24, 4], data: Float32Array.from(data.X.flat(), Math.fround) }, y: { shape: [24], data: Int32Array.from(data.y) } });
    expect(typed.logits.shape).toEqual([24, 3]);
    prog.dispose();
  });

  it("grad gives every param's gradient, and inputs' on request; wrong names and no loss are coded errors", async () => {
    const prog = await compile(mlp, { backend: "cpu", seed: 4 });
    const { outputs, grads } = await prog.grad(feeds);
    const ref = executeCPU(differentiate(mlp.build()).graph, asMap(data), { seed: 4 }).outputs;
    expect(Object.keys(grads).sort()).toEqual(["W1", "W2", "b1"]);
    for (const p of ["W1", "W2", "b1"]) expect(grads[p].data).toEqual(ref.get(`grad.${p}`)!.data);
    expect(outputs.loss.data).toEqual(ref.get("loss")!.data);
    const withX = await prog.grad(feeds, { inputs: ["X"] });
    expect(withX.grads.X.data).toEqual(ref.get("grad.X")!.data);
    expect(await codeOf(prog.grad(feeds, { inputs: ["Z"] }))).toBe("MP4012");
    expect(await codeOf(prog.grad(feeds, { inputs: ["y"] }))).toBe("MP4012");
    const noLoss = await compile(model("fwd", ({ input }) => ({ y: ops.mul(input("x", [2]), 2) })), { backend: "cpu" });
    expect(await codeOf(noLoss.grad({ x: [1, 2] }))).toBe("MP2011");
    expect(await codeOf(() => noLoss.trainer(optim.sgd({ lr: 0.1 })))).toBe("MP2011");
    expect(await codeOf(prog.run({ X: data.X }))).toBe("MP4003");
  });

  it("a trainer takes exactly the Trainer's steps (Adam), and the loss falls over 50 steps", async () => {
    const prog = await compile(mlp, { backend: "cpu", seed: 1 });
    const step = prog.trainer(optim.adam({ lr: 0.02 }));
    const ref = await Trainer.create(mlp, { optimizer: new Adam({ lr: 0.02 }), seed: 1, backend: "cpu" });
    const losses: number[] = [];
    for (const batch of batches(feeds, { batchSize: 8, seed: 3 }).epoch(0)) {
      const loss = await step(batch);
      expect(loss).toBe(await ref.step(new Map(Object.entries(batch))));
    }
    for (let i = 0; i < 47; i++) losses.push(await step(feeds));
    expect(step.steps).toBe(50);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]);
  });

  it("schedules set each step's rate; clipping bounds the update; a new trainer takes over the params", async () => {
    const prog = await compile(mlp, { backend: "cpu", seed: 2 });
    const sched = optim.stepDecay({ lr: 0.5, every: 2, gamma: 0.1 });
    const step = prog.trainer(optim.sgd({ lr: sched, momentum: 0.9, nesterov: true }));
    const ref = await Trainer.create(mlp, { optimizer: new SGD({ lr: 0.5, momentum: 0.9, nesterov: true }), seed: 2, backend: "cpu" });
    for (let t = 0; t < 5; t++) {
      expect(step.lr).toBe(sched(t));
      (ref.opts.optimizer as SGD).lr = sched(t);
      expect(await step(feeds)).toBe(await ref.step(asMap(data)));
    }
    // Clipped plain SGD with lr 1: the params move by exactly the clip norm (gradients are larger).
    const before = await prog.saveParams();
    const g = (await prog.grad(feeds)).grads;
    const norm = Math.hypot(...Object.values(g).flatMap((v) => [...v.data]));
    expect(norm).toBeGreaterThan(1e-2);
    const clipped = prog.trainer(optim.sgd({ lr: 1 }), { clipGradNorm: 1e-3 });
    await expect(step(feeds)).rejects.toMatchObject({ code: "MP4012" });
    await clipped(feeds);
    const p0 = paramsOf(readSafetensors(before));
    const p1 = paramsOf(readSafetensors(await prog.saveParams()));
    const moved = Math.hypot(...[...p0].flatMap(([k, v]) => [...v.data].map((x, i) => x - p1.get(k)!.data[i])));
    expect(moved).toBeCloseTo((1e-3 * norm) / (norm + 1e-6), 12);
  });

  it("a checkpoint restores params exactly (F64) and the optimizer's state: training continues identically", async () => {
    const prog = await compile(mlp, { backend: "cpu", seed: 5 });
    const step = prog.trainer(optim.adamw({ lr: optim.warmup(3, optim.cosine({ lr: 0.05, steps: 20 })) }));
    for (let i = 0; i < 4; i++) await step(feeds);
    const bytes = await prog.saveParams();
    const file = readSafetensors(bytes);
    expect(file.metadata.format).toBe("matprop.checkpoint");
    expect([...paramsOf(file).keys()]).toEqual(["W1", "b1", "W2"]);
    expect([...file.tensors.keys()].filter((k) => k.startsWith("optim.")).sort()).toEqual(["optim.moments.W1", "optim.moments.W2", "optim.moments.b1", "optim.step"]);
    expect(file.tensors.get("optim.moments.W1")!.shape).toEqual([2, 4, 8]);

    const fresh = await compile(mlp, { backend: "cpu", seed: 99 });
    await fresh.loadParams(bytes);
    expect(await fresh.run(feeds)).toEqual(await prog.run(feeds));
    const resumed = fresh.trainer(optim.adamw({ lr: optim.warmup(3, optim.cosine({ lr: 0.05, steps: 20 })) }));
    expect(resumed.steps).toBe(0);
    for (let i = 0; i < 3; i++) expect(await resumed(feeds)).toBe(await step(feeds));
    expect(resumed.steps).toBe(7);
  });

  it("loadParams refuses missing, unknown and reshaped params (MP4012, MP4005)", async () => {
    const prog = await compile(mlp, { backend: "cpu" });
    const other = await compile(model("other", ({ param }) => ({ loss: ops.sum(param("W1", [4, 4])) })), { backend: "cpu" });
    expect(await codeOf(prog.loadParams(await other.saveParams()))).toBe("MP4012");
    const reshaped = await compile(model("mlp", ({ param }) => ({ loss: ops.add(ops.add(ops.sum(param("W1", [8, 4])), ops.sum(param("b1", [8]))), ops.sum(param("W2", [8, 3]))) })), { backend: "cpu" });
    expect(await codeOf(prog.loadParams(await reshaped.saveParams()))).toBe("MP4005");
    prog.dispose();
    expect(await codeOf(prog.run(feeds))).toBe("MP4012");
  });

  it("refuses bad options where they are given (MP4012)", async () => {
    const prog = await compile(mlp, { backend: "cpu" });
    expect(await codeOf(() => optim.adam({ lr: -1 }))).toBe("MP4012");
    expect(await codeOf(() => optim.sgd({ lr: 0.1, nesterov: true }))).toBe("MP4012");
    expect(await codeOf(() => optim.adamw({ lr: 0.1, beta1: 1 }))).toBe("MP4012");
    expect(await codeOf(() => prog.trainer(optim.sgd({ lr: 0.1 }), { clipGradNorm: 0 }))).toBe("MP4012");
    expect(await codeOf(() => prog.trainer(optim.sgd({ lr: 0.1 }), { train: ["W9"] }))).toBe("MP4012");
    expect(await codeOf(() => prog.trainer({ kind: "adam" } as never))).toBe("MP4012");
    expect(await codeOf(compile(mlp, { backend: "gpu" as never }))).toBe("MP4012");
    const wide = model("wide", ({ input, param }) => ({ loss: ops.sum(ops.matmul(input("X", ["B", "D"]), param("W", ["D", 2]))) }));
    expect(await codeOf(compile(wide, { backend: "cpu" }))).toBe("MP4012");
    expect((await (await compile(wide, { backend: "cpu", dims: { D: 3 } })).grad({ X: [[1, 2, 3]] })).grads.W.shape).toEqual([3, 2]);
    // A schedule that goes wrong stops the step that would use it.
    const step = prog.trainer(optim.sgd({ lr: (t) => (t < 1 ? 0.1 : NaN) }));
    await step(feeds);
    expect(await codeOf(step(feeds))).toBe("MP4012");
  });

  it("dims fix named dims at compile time; gradcheck runs from code", async () => {
    const prog = await compile(mlp, { backend: "cpu", dims: { B: 24 } });
    expect((await prog.run(feeds)).logits.shape).toEqual([24, 3]);
    expect(await codeOf(prog.run({ X: data.X.slice(0, 6), y: data.y.slice(0, 6) }))).toBe("MP4005");
    expect(await codeOf(compile(mlp, { dims: { N: 3 } }))).toBe("MP4012");
    const r = await gradcheck(mlp, { X: data.X.slice(0, 6), y: data.y.slice(0, 6) }, { seed: 3 });
    expect(r.ok).toBe(true);
    expect(Object.keys(r.grads).sort()).toEqual(["W1", "W2", "X", "b1"]);
  });
});
