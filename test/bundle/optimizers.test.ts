/**
 * A bundle's `step()` with each optimizer it takes — `{ lr }` (plain SGD), SGD with momentum,
 * Nesterov with weight decay, Adam, AdamW — on a bundle built without an inputs file (named batch
 * dim B), stepped on batches of 5, 7 and 5: the loss and the params after every step follow the
 * float64 CPU Trainer with the same optimizer (the state stays on the device between steps and
 * starts afresh when the optimizer changes). Bad optimizer options are MP7013.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFiles } from "../../compiler/bundle/build.js";
import { Adam, AdamW, SGD, type Optimizer } from "../../compiler/train/optim.js";
import { Trainer } from "../../compiler/train/trainer.js";
import { model, nn, ops } from "../../index.js";
import type { OptimizerSpec } from "../../ir/optimizer.js";
import { BundleError } from "../../runtime/bundle/errors.js";
import { openBundle, type LoadedBundle } from "../../runtime/bundle/open.js";
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { hasGPU } from "../webgpu/gpu.js";
import { writeBundles } from "./models.js";

const net = model("bundle-optim", ({ input, param }) => {
  const X = input("X", ["B", 4]);
  const T = input("T", ["B", 3]);
  const W = param("W", [3, 4], { init: "normal" });
  const b = param("b", [3], { init: "normal" });
  const d = ops.sub(nn.relu(nn.linear(X, W, b)), T);
  return { loss: ops.mean(ops.mul(d, d)) };
});

const CASES: { name: string; spec: OptimizerSpec | { lr: number }; host: () => Optimizer }[] = [
  { name: "{ lr } (plain SGD)", spec: { lr: 0.1 }, host: () => new SGD({ lr: 0.1 }) },
  { name: "SGD + momentum", spec: { kind: "sgd", lr: 0.05, momentum: 0.9 }, host: () => new SGD({ lr: 0.05, momentum: 0.9 }) },
  { name: "SGD + Nesterov + weight decay", spec: { kind: "sgd", lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }, host: () => new SGD({ lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }) },
  { name: "Adam", spec: { kind: "adam", lr: 0.03 }, host: () => new Adam({ lr: 0.03 }) },
  { name: "AdamW", spec: { kind: "adamw", lr: 0.03, weightDecay: 0.1 }, host: () => new AdamW({ lr: 0.03, weightDecay: 0.1 }) },
];

const rng = new Random(5);
const batch = (B: number) =>
  new Map<string, NDArray>([
    ["X", ndarray([B, 4], Array.from({ length: B * 4 }, () => rng.normal()))],
    ["T", ndarray([B, 3], Array.from({ length: B * 3 }, () => rng.normal()))],
  ]);
const BATCHES = [5, 7, 5].map(batch);
const asCall = (b: Map<string, NDArray>) => Object.fromEntries([...b].map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.data) }]));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe.runIf(hasGPU)("a bundle's step() with each optimizer", () => {
  let bundle: LoadedBundle;
  let cleanup = () => {};

  beforeAll(async () => {
    const graph = net.build();
    const { manifest, files } = bundleFiles(graph, { seed: 3 });
    expect(manifest.inputs.map((i) => i.shape)).toEqual([["B", 4], ["B", 3]]);
    const written = writeBundles([{ id: "optim", file: "optim", graph, feeds: new Map(), manifest, files }]);
    cleanup = written.cleanup;
    bundle = await openBundle(pathToFileURL(path.join(written.dir, "optim")));
  });
  afterAll(() => {
    bundle?.dispose();
    cleanup();
  });

  for (const c of CASES) {
    it(`${c.name}: loss and params follow the CPU Trainer over batches of 5, 7, 5`, async () => {
      const cpu = await Trainer.create(net, { optimizer: c.host(), backend: "cpu", seed: 3 });
      const start = await cpu.readParams();
      bundle.setParams(Object.fromEntries([...start].map(([k, v]) => [k, Float32Array.from(v.data)])));
      for (const [k, b] of BATCHES.entries()) {
        const want = await cpu.step(b);
        const { loss } = await bundle.step(asCall(b), "kind" in c.spec ? { optimizer: c.spec } : c.spec);
        expect(Math.abs(loss - want), `loss at step ${k + 1}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
        const [pc, pb] = [await cpu.readParams(), await bundle.params()];
        for (const [name, v] of pc) expect(maxDiff(pb[name], v.data), `${name} after step ${k + 1}`).toBeLessThan(2e-6);
      }
    });
  }

  it("refuses unknown optimizers and bad options (MP7013)", async () => {
    const x = asCall(BATCHES[0]);
    for (const opts of [{ optimizer: { kind: "rmsprop", lr: 0.1 } }, { optimizer: { kind: "adam", lr: 0.1, beta1: 1 } }, { lr: -1 }, { optimizer: { kind: "sgd", lr: 0.1 }, lr: 0.1 }]) {
      const err = await bundle.step(x, opts as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(opts)).toBeInstanceOf(BundleError);
      expect((err as BundleError).code, JSON.stringify(opts)).toBe("MP7013");
    }
  });
});
