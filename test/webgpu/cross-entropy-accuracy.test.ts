/**
 * Softmax cross-entropy in f32 on WebGPU at logit margins 0–80, predictions right and wrong, against
 * an independent float64 reference: the loss and every entry of its gradient to a relative error of
 * CE_REL_TOL (elementwise, also for losses and probabilities of 1e-35), and each gradient row summing
 * to zero. Regression: the loss was
 * formed as log(1 + tiny) and the label's gradient as p − 1, so at a margin of 12 both were 0.9 %
 * off, at 16 a gradient row no longer summed to zero, beyond that 100 %. The float64 CPU executor is
 * held to the same reference at 1e-13.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { model, nn } from "../../index.js";
import { runWebGPU } from "../../compiler/backend/webgpu.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { hasGPU } from "./gpu.js";

/**
 * The accuracy the README states for f32 cross-entropy: the loss and each gradient entry, relative.
 * By WGSL's own error bounds (exp within 4 ulps on [−ln2/2, ln2/2], division 2.5 ulps) the kernels
 * stay within about 10 ulps (6e-7); SwiftShader measures 3.2e-7 at worst.
 */
export const CE_REL_TOL = 2e-6;
const CPU_REL_TOL = 1e-13;
const MARGINS = [0, 1, 2, 4, 8, 12, 16, 20, 24, 30, 40, 50, 60, 70, 80];
const C = 10;
const LABEL = 3;

const ce = model("ce-margins", ({ input }) => ({ loss: nn.softmaxCrossEntropy(input("z", [1, C]), input("y", [1], { dtype: "i32" })) }));

/**
 * One row of f32 logits in [−1, 0] with the label's raised to `margin` (a confident, right
 * prediction: loss ≈ 9e^{−margin}) or another class raised to `margin` (confidently wrong: loss ≈ margin).
 */
function logits(margin: number, right: boolean): number[] {
  const r = new Random(1000 + margin);
  const z = Array.from({ length: C }, () => Math.fround(-r.uniform()));
  z[right ? LABEL : 8] = Math.fround(margin);
  return z;
}

/** float64, written independently of the executor: log1p of the sum without the max, p_y − 1 as −Σ_{c≠y} p_c. */
function reference(z: number[], y: number): { loss: number; grad: number[] } {
  const k = z.indexOf(Math.max(...z));
  const e = z.map((v) => Math.exp(v - z[k]));
  const rest = e.reduce((s, v, c) => (c === k ? s : s + v), 0);
  const s = 1 + rest;
  const others = e.reduce((acc, v, c) => (c === y ? acc : acc + v), 0);
  return { loss: Math.log1p(rest) + (z[k] - z[y]), grad: e.map((v, c) => (c === y ? -others / s : v / s)) };
}

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

async function run(backend: "cpu" | "webgpu", margin: number, right: boolean) {
  const z = logits(margin, right);
  const feeds = new Map([["z", ndarray([1, C], z)], ["y", ndarray([1], [LABEL])]]);
  const g = differentiate(ce.build()).graph;
  const out = backend === "cpu" ? executeCPU(g, feeds, { seed: 0 }).outputs : (await runWebGPU(g, feeds, { seed: 0 })).outputs;
  const want = reference(z, LABEL);
  const grad = Array.from(out.get("grad.z")!.data);
  return {
    loss: rel(out.get("loss")!.data[0], want.loss),
    grad: Math.max(...grad.map((v, i) => rel(v, want.grad[i]))),
    rowSum: Math.abs(grad.reduce((a, v) => a + v, 0)) / Math.max(...grad.map(Math.abs)),
  };
}

const CASES = MARGINS.flatMap((m) => [[m, true] as const, [m, false] as const]);
const title = "margin %i, prediction right: %s";

describe("softmax cross-entropy: float64 CPU executor at margins 0–80", () => {
  it.each(CASES)(title, async (m, right) => {
    const r = await run("cpu", m, right);
    expect(r.loss, "loss").toBeLessThanOrEqual(CPU_REL_TOL);
    expect(r.grad, "gradient (elementwise relative)").toBeLessThanOrEqual(CPU_REL_TOL);
  });
});

describe.runIf(hasGPU)("softmax cross-entropy: f32 on WebGPU at margins 0–80", () => {
  it.each(CASES)(title, async (m, right) => {
    const r = await run("webgpu", m, right);
    expect(r.loss, "loss").toBeLessThanOrEqual(CE_REL_TOL);
    expect(r.grad, "gradient (elementwise relative)").toBeLessThanOrEqual(CE_REL_TOL);
    expect(r.rowSum, "|row sum| / max |entry|").toBeLessThanOrEqual(CE_REL_TOL);
  });
});
