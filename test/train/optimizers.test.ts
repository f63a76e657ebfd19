/**
 * Every optimizer, table-driven, three ways against one float64 reference written here from
 * PyTorch's documented algorithms (torch.optim.SGD, Adam, AdamW):
 *
 * - the host optimizers (the CPU Trainer's) match it to rounding on random params and gradients;
 * - the optimizer graph (ir/optimizer.ts: forward + backward + update ops) evaluated by the float64
 *   CPU executor gives, step after step, exactly the params and state the host optimizers give;
 * - on WebGPU the Trainer's device-resident steps (params and state never leaving the device,
 *   batch sizes changing between steps) follow the CPU Trainer's trajectory to f32 accuracy.
 */
import { describe, expect, it } from "vitest";
import { model, nn, ops } from "../../index.js";
import { Adam, AdamW, SGD, Trainer, type Optimizer } from "../../compiler/train/index.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { LR_INPUT, NEXT_PREFIX, withOptimizer } from "../../ir/optimizer.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray, scalar, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { hasGPU } from "../webgpu/gpu.js";

interface Case {
  readonly name: string;
  readonly make: () => Optimizer;
  /** PyTorch's algorithm for one param at step t (from 1), in place on p and the state arrays. */
  readonly reference: (p: Float64Array, g: Float64Array, state: Float64Array[], t: number) => void;
  readonly states: number;
}

function sgdReference(lr: number, momentum: number, nesterov: boolean, wd: number) {
  return (p: Float64Array, g: Float64Array, [buf]: Float64Array[], t: number) => {
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + wd * p[i];
      if (momentum !== 0) {
        buf[i] = t === 1 ? d : momentum * buf[i] + d;
        d = nesterov ? d + momentum * buf[i] : buf[i];
      }
      p[i] -= lr * d;
    }
  };
}

function adamReference(lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean) {
  return (p: Float64Array, g: Float64Array, [m, v]: Float64Array[], t: number) => {
    for (let i = 0; i < p.length; i++) {
      if (decoupled) p[i] *= 1 - lr * wd;
      const gi = decoupled ? g[i] : g[i] + wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = v[i] / (1 - b2 ** t);
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

const CASES: readonly Case[] = [
  { name: "SGD", make: () => new SGD({ lr: 0.1 }), reference: sgdReference(0.1, 0, false, 0), states: 0 },
  { name: "SGD + weight decay", make: () => new SGD({ lr: 0.1, weightDecay: 0.05 }), reference: sgdReference(0.1, 0, false, 0.05), states: 0 },
  { name: "SGD + momentum", make: () => new SGD({ lr: 0.05, momentum: 0.9 }), reference: sgdReference(0.05, 0.9, false, 0), states: 1 },
  { name: "SGD + Nesterov + weight decay", make: () => new SGD({ lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }), reference: sgdReference(0.05, 0.8, true, 0.01), states: 1 },
  { name: "Adam", make: () => new Adam({ lr: 0.03 }), reference: adamReference(0.03, 0.9, 0.999, 1e-8, 0, false), states: 2 },
  { name: "Adam + L2 weight decay, β = (0.8, 0.99)", make: () => new Adam({ lr: 0.03, beta1: 0.8, beta2: 0.99, weightDecay: 0.02 }), reference: adamReference(0.03, 0.8, 0.99, 1e-8, 0.02, false), states: 2 },
  { name: "AdamW", make: () => new AdamW({ lr: 0.03 }), reference: adamReference(0.03, 0.9, 0.999, 1e-8, 0.01, true), states: 2 },
  { name: "AdamW, β₁ = 0, ε = 1e-3", make: () => new AdamW({ lr: 0.03, beta1: 0, eps: 1e-3, weightDecay: 0.1 }), reference: adamReference(0.03, 0, 0.999, 1e-3, 0.1, true), states: 2 },
];

/** A small regression net with named batch dim B: a transposed weight gradient and a reshaped bias gradient. */
const net = model("optim-net", ({ input, param }) => {
  const X = input("X", ["B", 4]);
  const T = input("T", ["B", 3]);
  const W = param("W", [3, 4], { init: "normal" });
  const b = param("b", [3], { init: "normal" });
  const d = ops.sub(nn.relu(nn.linear(X, W, b)), T);
  return { loss: ops.mean(ops.mul(d, d)), h: d };
});

const rng = new Random(11);
const batch = (B: number) =>
  new Map<string, NDArray>([
    ["X", ndarray([B, 4], Array.from({ length: B * 4 }, () => rng.normal()))],
    ["T", ndarray([B, 3], Array.from({ length: B * 3 }, () => rng.normal()))],
  ]);
/** Batch sizes change between steps: each new B is a new shape of the same resident model. */
const BATCHES = [5, 7, 5, 6, 7].map(batch);

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe.each(CASES)("$name", (c) => {
  it("host optimizer = PyTorch's algorithm (float64, 6 steps on random params and gradients)", () => {
    const r = new Random(2);
    const n = 17;
    const p = Float64Array.from({ length: n }, () => r.normal());
    const want = Float64Array.from(p);
    const state = Array.from({ length: c.states }, () => new Float64Array(n));
    const opt = c.make();
    for (let t = 1; t <= 6; t++) {
      const g = Float64Array.from({ length: n }, () => r.normal());
      opt.step(new Map([["p", p]]), new Map([["p", g]]));
      c.reference(want, g, state, t);
      expect(maxDiff(p, want), `step ${t}`).toBeLessThan(1e-14);
    }
  });

  it("the optimizer graph on the float64 CPU executor = the host optimizer, step by step", () => {
    const forward = net.build();
    const step = differentiate(forward).graph;
    const opt = c.make();
    const host = c.make();
    const tg = withOptimizer(step, opt.rule, ["W", "b"], (o) => o === "loss");
    const carried = new Map<string, NDArray>();
    const params = new Map<string, NDArray>([
      ["W", ndarray([3, 4], Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)))],
      ["b", ndarray([3], [0.1, -0.2, 0.3])],
    ]);
    for (const [k, v] of params) carried.set(k, { shape: v.shape, data: Float64Array.from(v.data) });
    for (const s of tg.state) carried.set(s.name, ndarray(s.shape as number[]));
    for (const b of BATCHES) {
      const out = executeCPU(tg.graph, new Map([...b, ...carried, [LR_INPUT, scalar(opt.lr)]])).outputs;
      const grads = executeCPU(step, new Map([...b, ...params])).outputs;
      host.step(new Map([...params].map(([k, v]) => [k, v.data])), new Map([...params.keys()].map((k) => [k, grads.get(`grad.${k}`)!.data])));
      for (const carry of tg.carries) carried.set(carry.input, out.get(carry.output)!);
      for (const [k, v] of params) expect(maxDiff(carried.get(k)!.data, v.data), k).toBeLessThan(1e-14);
    }
    expect(tg.carries.map((x) => x.output).every((o) => o.startsWith(NEXT_PREFIX))).toBe(true);
    expect(tg.graph.outputs.some((o) => o.name.startsWith("grad."))).toBe(false);
  });

  it.runIf(hasGPU)("WebGPU: device-resident steps follow the CPU Trainer's trajectory (batch sizes 5, 7, 5, 6, 7)", async () => {
    const cpu = await Trainer.create(net, { optimizer: c.make(), backend: "cpu", seed: 3 });
    const gpu = await Trainer.create(net, { optimizer: c.make(), backend: "webgpu", seed: 3 });
    try {
      for (const [k, b] of BATCHES.entries()) {
        const [lc, lg] = [await cpu.step(b), await gpu.step(b, { read: ["h"] })];
        expect(Math.abs(lg - lc), `loss at step ${k + 1}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(lc)));
        expect(maxDiff(gpu.lastOutputs.get("h")!.data, cpu.lastOutputs.get("h")!.data), `h at step ${k + 1}`).toBeLessThan(1e-5);
        const [pc, pg] = [await cpu.readParams(), await gpu.readParams()];
        for (const [name, v] of pc) expect(maxDiff(pg.get(name)!.data, v.data), `${name} after step ${k + 1}`).toBeLessThan(2e-6);
      }
      // The forward pass on the device reads the params the steps left there.
      const probe = batch(9);
      const [ec, eg] = [await cpu.evaluate(probe), await gpu.evaluate(probe)];
      expect(maxDiff(eg.get("h")!.data, ec.get("h")!.data)).toBeLessThan(1e-5);
    } finally {
      gpu.dispose();
    }
  });
});

describe.runIf(hasGPU)("a training step that fails on the device", () => {
  it("reports the failing op's code and line and leaves the params and the optimizer state as they were", async () => {
    const net = model("fails", ({ input, param }) => {
      const x = input("x", [3]);
      const W = param("W", [3], { init: "ones" });
      return { loss: ops.sum(ops.log(ops.add(W, x))) };
    });
    const t = await Trainer.create(net, { optimizer: new Adam({ lr: 0.1 }), backend: "webgpu", seed: 0 });
    try {
      await t.step(new Map([["x", ndarray([3], [1, 2, 3])]]));
      const before = await t.readParams();
      const err = await t.step(new Map([["x", ndarray([3], [1, -5, 3])]])).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe("MP5001");
      expect((err as Error).message).toMatch(/log/);
      expect([...(await t.readParams()).get("W")!.data]).toEqual([...before.get("W")!.data]);
      // The next good step continues from the same state as a CPU Trainer that never saw the bad batch.
      const cpu = await Trainer.create(net, { optimizer: new Adam({ lr: 0.1 }), backend: "cpu", seed: 0 });
      for (const x of [[1, 2, 3], [0.5, 1, 2]]) await cpu.step(new Map([["x", ndarray([3], x)]]));
      await t.step(new Map([["x", ndarray([3], [0.5, 1, 2])]]));
      expect(maxDiff((await t.readParams()).get("W")!.data, (await cpu.readParams()).get("W")!.data)).toBeLessThan(1e-6);
    } finally {
      t.dispose();
    }
  });
});
