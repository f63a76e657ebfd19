/**
 * A model reached through CommonJS interop: an ES module that imports a model file Node treated as
 * CommonJS ("type": "commonjs", what `npm init -y` writes) gets `{ default: model }`. `asModel` and
 * the Trainer take that as the model; anything else that is not a model is MP1003, not a TypeError.
 */
import { describe, expect, it } from "vitest";
import { asModel, model, ops } from "../../index.js";
import { ndarray } from "../../numeric/ndarray.js";
import { SGD, Trainer } from "../../compiler/train/index.js";

const quadratic = model("quadratic", ({ input, param }) => {
  const T = input("T", [2]);
  const W = param("W", [2], { init: "zeros" });
  const d = ops.sub(W, T);
  return { loss: ops.mul(0.5, ops.sum(ops.mul(d, d))) };
});
const cjsExports = { default: quadratic };

describe("asModel", () => {
  it("returns a model, and the model inside a CommonJS exports object", () => {
    expect(asModel(quadratic)).toBe(quadratic);
    expect(asModel(cjsExports)).toBe(quadratic);
  });

  it.each([
    [{}, "an empty object"],
    [{ model: quadratic }, "an object with keys model"],
    [null, "null"],
    [undefined, "undefined"],
    [{ default: { default: 1 } }, "an object with keys default"],
  ])("rejects %j with MP1003 saying what it got (%s) and what to pass", (x, got) => {
    expect(() => asModel(x)).toThrow(expect.objectContaining({ code: "MP1003", message: expect.stringContaining(`got ${got}; pass the default export of a model file`) }));
  });
});

describe("Trainer.create", () => {
  it("trains a model given as { default: model } exactly as the model itself", async () => {
    const feeds = new Map([["T", ndarray([2], [1, -2])]]);
    const losses = [];
    for (const m of [quadratic, cjsExports]) {
      const t = await Trainer.create(m, { optimizer: new SGD({ lr: 0.5 }), backend: "cpu" });
      losses.push([await t.step(feeds), await t.step(feeds)]);
    }
    expect(losses[1]).toEqual(losses[0]);
    expect(losses[0]).toEqual([2.5, 0.625]);
  });

  it("rejects what is neither a model nor a graph with MP1003 (it used to be `g.sources is not a function`)", async () => {
    await expect(Trainer.create({ name: "x" } as never, { optimizer: new SGD({ lr: 1 }) })).rejects.toMatchObject({ code: "MP1003" });
  });
});
