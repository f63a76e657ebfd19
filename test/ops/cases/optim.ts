/**
 * Known values for the optimizer update ops (ir/ops/optim.ts), worked out by hand from PyTorch's
 * formulas: p = [1, −2], g = [0.5, 0.5], lr = 0.1.
 */
import { graphModel, type CaseTable } from "./types.js";

const update = (op: string, attrs: Record<string, number | boolean>, state: [string, number[]][], counts: boolean) =>
  graphModel(op, (b) => {
    const p = b.input("p", [2]);
    const g = b.input("g", [2]);
    const s = state.map(([name, shape]) => b.input(name, shape));
    const t = counts ? [b.input("t", [])] : [];
    const out = b.ops(op, [p, g, ...s, ...t, b.input("lr", [])], attrs);
    return Object.fromEntries(out.map((v, i) => [i === 0 ? "next" : "state", v]));
  });

export const OPTIM_CASES: CaseTable = {
  sgdUpdate: [
    {
      name: "p − lr (g + wd p), wd = 0.5: [1 − 0.1·1, −2 − 0.1·(−0.5)]",
      model: update("sgdUpdate", { weightDecay: 0.5 }, [], false),
      inputs: { p: [1, -2], g: [0.5, 0.5], lr: 0.1 },
      expected: { next: [0.9, -1.95] },
    },
  ],
  momentumUpdate: [
    {
      name: "v′ = 0.9 v + g, Nesterov: p′ = p − lr (g + 0.9 v′) with v = [1, 0]",
      model: update("momentumUpdate", { momentum: 0.9, nesterov: true, weightDecay: 0 }, [["v", [2]]], false),
      inputs: { p: [1, -2], g: [0.5, 0.5], v: [1, 0], lr: 0.1 },
      // v′ = [1.4, 0.5]; g + 0.9 v′ = [1.76, 0.95]
      expected: { next: [1 - 0.176, -2 - 0.095], state: [1.4, 0.5] },
    },
    {
      name: "heavy ball: p′ = p − lr v′",
      model: update("momentumUpdate", { momentum: 0.5, nesterov: false, weightDecay: 0 }, [["v", [2]]], false),
      inputs: { p: [1, -2], g: [0.5, 0.5], v: [1, 0], lr: 0.1 },
      expected: { next: [0.9, -2.05], state: [1, 0.5] },
    },
  ],
  adamUpdate: [
    {
      name: "first step from zero moments: p′ = p − lr·g/(|g| + ε/√(1−β₂))·… = p − lr·sign(g) (ε = 0)",
      model: update("adamUpdate", { beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0, decoupled: false }, [["moments", [2, 2]]], true),
      inputs: { p: [1, -2], g: [0.5, -0.25], moments: [[0, 0], [0, 0]], t: 1, lr: 0.1 },
      // m = 0.1 g, v = 0.001 g²; m̂ = g, v̂ = g²
      expected: { next: [0.9, -1.9], state: [[0.05, -0.025], [0.00025, 0.0000625]] },
    },
    {
      name: "AdamW, step 2: p ← p (1 − lr wd) first, then the bias-corrected step",
      model: update("adamUpdate", { beta1: 0.5, beta2: 0.75, eps: 0, weightDecay: 1, decoupled: true }, [["moments", [2, 2]]], true),
      // m = 0.5·1 + 0.5·1 = 1, v = 0.75·1 + 0.25·1 = 1; m̂ = 1/(1 − 0.25) = 4/3, v̂ = 1/(1 − 0.5625) = 16/7
      inputs: { p: [1, -2], g: [1, 1], moments: [[1, 1], [1, 1]], t: 2, lr: 0.1 },
      expected: { next: [0.9 - 0.1 * (4 / 3) / Math.sqrt(16 / 7), -1.8 - 0.1 * (4 / 3) / Math.sqrt(16 / 7)], state: [[1, 1], [1, 1]] },
    },
  ],
};
