/** The Trainer: one differentiation, params from the seed, SGD steps that match the hand-computed ones. */
import { describe, expect, it } from "vitest";
import { model, ops } from "../../index.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray } from "../../numeric/ndarray.js";
import { initParams, SGD, Trainer } from "../../compiler/train/index.js";

// loss = ½ Σ (W − T)² + 0·Σ x: ∂loss/∂W = W − T; x is an input whose gradient no step needs.
const quadratic = model("quadratic", ({ input, param }) => {
  const T = input("T", [2, 2]);
  const x = input("x", [3]);
  const W = param("W", [2, 2], { init: "normal" });
  const V = param("V", [2], { init: "normal" });
  const d = ops.sub(W, T);
  const loss = ops.add(ops.add(ops.mul(0.5, ops.sum(ops.mul(d, d))), ops.mul(0, ops.sum(x))), ops.mul(0.5, ops.sum(ops.mul(V, V))));
  return { loss, residual: d };
});

const T = ndarray([2, 2], [1, 2, 3, 4]);
const feeds = new Map([["T", T], ["x", ndarray([3], [1, 1, 1])]]);

describe("Trainer", () => {
  it("initialises params exactly as executeCPU does with the same seed", () => {
    const g = quadratic.build();
    const fromCpu = executeCPU(g, feeds, { seed: 5 }).sources;
    const mine = initParams(g, 5);
    expect([...mine.get("W")!.data]).toEqual([...fromCpu.get("W")!.data]);
    expect([...mine.get("V")!.data]).toEqual([...fromCpu.get("V")!.data]);
  });

  it("takes SGD steps on the CPU: W ← W − lr (W − T); only trained params move", async () => {
    const t = await Trainer.create(quadratic, { optimizer: new SGD({ lr: 0.5 }), seed: 5, backend: "cpu", train: ["W"] });
    expect(t.backend).toBe("cpu");
    expect(t.stepGraph.outputs.map((o) => o.name).sort()).toEqual(["grad.W", "loss", "residual"]);
    const W0 = Float64Array.from(t.params.get("W")!.data);
    const V0 = Float64Array.from(t.params.get("V")!.data);
    const loss0 = await t.step(feeds);
    const expected0 = 0.5 * W0.reduce((s, w, i) => s + (w - T.data[i]) ** 2, 0) + 0.5 * V0.reduce((s, v) => s + v * v, 0);
    expect(loss0).toBeCloseTo(expected0, 12);
    const W1 = t.params.get("W")!.data;
    W0.forEach((w, i) => expect(W1[i]).toBeCloseTo(w - 0.5 * (w - T.data[i]), 12));
    expect([...t.params.get("V")!.data]).toEqual([...V0]);
    const out = await t.evaluate(feeds);
    W1.forEach((w, i) => expect(out.get("residual")!.data[i]).toBeCloseTo(w - T.data[i], 12));
    expect(t.steps).toBe(1);
  });

  it("rejects a trained param the model does not declare", async () => {
    await expect(Trainer.create(quadratic, { optimizer: new SGD({ lr: 1 }), train: ["nope"] })).rejects.toThrow(/no param 'nope'/);
  });
});
