/**
 * Table-driven gradient check (in the manner of JAX's LAX_GRAD_OPS and PyTorch's OpInfo): every
 * case of ./cases runs `gradcheck` — central differences in f64 on the CPU executor against the
 * adjoint pass — and must agree to its tolerance (1e-7 normwise relative by default). The first
 * test fails for any registered op that has neither a case nor a `noAdjoint` reason on its definition.
 *
 * Each case also differentiates the forward graph as written, without the canonical forms and the
 * spectral rewrite (`addBackward` alone): the ops' own rules (logm's, the eigh rule chained through
 * a hand-written U·diag(g(w))·Uᵀ) must give the same gradients wherever the eigenvalues are
 * distinct, which is what makes those rewrites sound.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { allOps, hasOp } from "../../ir/registry.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { addBackward } from "../../compiler/passes/adjoint.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { Random } from "../../numeric/random.js";
import { GRAD_CASES } from "./cases/index.js";
import { DEFAULT_TOL } from "./cases/types.js";

/** How closely the unrewritten graph's gradients must match the rewritten ones (both are adjoints, no FD). */
const REWRITE_TOL = 1e-9;

describe("gradient-check coverage", () => {
  it("has a case or a noAdjoint reason for every registered op", () => {
    const missing = allOps()
      .filter((op) => !GRAD_CASES[op.name]?.length && op.noAdjoint === undefined)
      .map((op) => op.name);
    expect(missing, "ops with neither a gradient-check case nor a noAdjoint reason").toEqual([]);
  });

  it("gives every op exactly one of an adjoint rule and a noAdjoint reason, and every reason words", () => {
    for (const op of allOps()) {
      expect((op.adjoint === undefined) !== (op.noAdjoint === undefined), `'${op.name}' needs exactly one of adjoint and noAdjoint`).toBe(true);
      if (op.noAdjoint !== undefined) expect(op.noAdjoint.trim().length, `'${op.name}' has an empty noAdjoint reason`).toBeGreaterThan(0);
    }
    expect(allOps().filter((op) => op.noAdjoint !== undefined).length).toBeGreaterThan(10);
  });

  it("keys every case by a registered op with an adjoint rule (or a dsl: composite)", () => {
    for (const key of Object.keys(GRAD_CASES)) {
      if (key.startsWith("dsl:")) continue;
      expect(hasOp(key), `case key '${key}' is not a registered op`).toBe(true);
      expect(allOps().find((o) => o.name === key)!.adjoint, `'${key}' has cases but no adjoint rule`).toBeDefined();
    }
  });
});

const rows = Object.entries(GRAD_CASES).flatMap(([op, cases]) => cases.map((c, i) => ({ op, c, seed: 1000 + i })));

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  }
  return scale > 0 ? err / scale : err;
}

describe.each([...new Set(rows.map((r) => r.op))])("%s", (op) => {
  it.each(rows.filter((r) => r.op === op).map((r) => [r.c.name, r] as const))("%s", (_, { c, seed }) => {
    const forward = c.model.build();
    const declared = new Set(forward.sources().map((s) => s.attrs.name as string));
    const feeds = new Map(Object.entries(c.inputs(new Random(seed))).filter(([k]) => declared.has(k)));
    const unsampled = forward.sources().filter((s) => s.op === "input" && !feeds.has(s.attrs.name as string));
    expect(unsampled.map((s) => s.attrs.name), "inputs the case does not sample").toEqual([]);

    // The case must exercise the op it is filed under: in the model, or in the graph that runs.
    if (!op.startsWith("dsl:")) {
      const ops = new Set([...forward.nodes, ...differentiate(forward).graph.nodes].map((n) => n.op));
      expect([...ops], `'${c.name}' never runs ${op}`).toContain(op);
    }

    const result = gradcheck(forward, feeds, { seed });
    const tol = c.tol ?? DEFAULT_TOL;
    const report = result.inputs.map((i) => `${i.name}: ${i.relError.toExponential(2)} (abs ${i.maxAbsError.toExponential(2)})`).join(", ");
    expect(result.inputs.length).toBeGreaterThan(0);
    for (const i of result.inputs) {
      expect(Number.isFinite(i.relError), `${i.name}: error is ${i.relError}`).toBe(true);
      expect(i.relError, `${i.name}: relative error ${i.relError} > ${tol} (${report})`).toBeLessThanOrEqual(tol);
    }

    // The ops' own rules, without canonical forms or rewrites, give the same gradients.
    const sources = executeCPU(forward, feeds, { seed }).sources;
    const raw = executeCPU(addBackward(forward), sources, { seed }).outputs;
    for (const [name, g] of result.grads) {
      const d = maxRelDiff(raw.get(`grad.${name}`)!.data, g.data);
      expect(d, `grad.${name}: unrewritten vs rewritten graph`).toBeLessThanOrEqual(REWRITE_TOL);
    }
  });
});
