/** Clipping by global norm as a step-graph transform: grads scaled by c / max(c, ‖g‖ + 1e-6), on the CPU reference. */
import { describe, expect, it } from "vitest";
import { clipGradNorm } from "../../compiler/passes/clip-grad-norm.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { model, nn, ops } from "../../index.js";
import { executeCPU } from "../../runtime/cpu/execute.js";

const net = model("clip", ({ input, param }) => {
  const X = input("X", [4, 3]);
  const W = param("W", [3, 2], { init: "normal" });
  const b = param("b", [2], { init: "normal" });
  return { loss: ops.sum(ops.mul(nn.relu(ops.add(ops.matmul(X, W), b)), 3)) };
});
const X = { shape: [4, 3], data: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)) };

describe("clipGradNorm", () => {
  const step = differentiate(net.build()).graph;
  const plain = executeCPU(step, new Map([["X", X]]), { seed: 3 }).outputs;
  const norm = Math.hypot(...plain.get("grad.W")!.data, ...plain.get("grad.b")!.data);

  it("scales every trained param's gradient by one factor so the global norm is c", () => {
    expect(norm).toBeGreaterThan(1);
    const c = norm / 4;
    const out = executeCPU(clipGradNorm(step, ["W", "b"], c), new Map([["X", X]]), { seed: 3 }).outputs;
    const scale = c / (norm + 1e-6);
    for (const p of ["W", "b"]) {
      const got = out.get(`grad.${p}`)!.data;
      plain.get(`grad.${p}`)!.data.forEach((g, i) => expect(got[i]).toBeCloseTo(g * scale, 12));
    }
    expect(Math.hypot(...out.get("grad.W")!.data, ...out.get("grad.b")!.data)).toBeCloseTo(c, 5);
    expect(out.get("loss")!.data[0]).toBe(plain.get("loss")!.data[0]);
    // Only the named params' gradients are clipped (and count in the norm).
    const onlyW = executeCPU(clipGradNorm(step, ["W"], 1e-3), new Map([["X", X]]), { seed: 3 }).outputs;
    expect(onlyW.get("grad.b")!.data).toEqual(plain.get("grad.b")!.data);
    expect(Math.hypot(...onlyW.get("grad.W")!.data)).toBeCloseTo(1e-3, 8);
  });

  it("leaves gradients under the limit exactly as they were", () => {
    const out = executeCPU(clipGradNorm(step, ["W", "b"], 2 * norm), new Map([["X", X]]), { seed: 3 }).outputs;
    for (const p of ["W", "b"]) expect(out.get(`grad.${p}`)!.data).toEqual(plain.get(`grad.${p}`)!.data);
  });

  it("refuses a limit that is not a finite number > 0 (MP4012)", () => {
    for (const c of [0, -1, NaN, Infinity]) expect(() => clipGradNorm(step, ["W"], c)).toThrow(expect.objectContaining({ code: "MP4012" }));
  });
});
