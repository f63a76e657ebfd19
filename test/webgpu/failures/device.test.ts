/**
 * Every failure class a WebGPU kernel reports (cases.ts) through `runWebGPU`, the backend behind
 * `matprop run --backend webgpu`: MP5001 naming the failing op and its DSL source line — the
 * error the float64 CPU executor gives for the same graph (`cpu: "same"`), or, where only f32
 * fails, an error instead of the noise f32 would return (`cpu: "f32"`). Never a finite number.
 */
import { describe, expect, it } from "vitest";
import { runWebGPU } from "../../../compiler/backend/webgpu.js";
import { differentiate } from "../../../compiler/passes/differentiate.js";
import { formatLoc, MatpropError } from "../../../ir/diagnostics.js";
import { executeCPU } from "../../../runtime/cpu/execute.js";
import { hasGPU } from "../gpu.js";
import { failureInputs, FAILURES } from "./cases.js";

const caught = async (f: () => unknown): Promise<unknown> => {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  }
};

describe.runIf(hasGPU)("failures reported from the device", () => {
  it.each(FAILURES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const forward = c.model.build();
    const graph = c.graph === "train" ? differentiate(forward).graph : forward;
    const feeds = failureInputs(c);
    const gpu = await caught(() => runWebGPU(graph, feeds, c.maxSweeps ? { lower: { maxSweeps: c.maxSweeps } } : {}));
    expect(gpu, "WebGPU must stop with a coded error").toBeInstanceOf(MatpropError);
    const e = gpu as MatpropError;
    expect(e.code, e.message).toBe("MP5001");
    expect(e.message).toMatch(c.message);
    expect(e.message).toMatch(/\(on WebGPU, in f32\)$/);
    expect(e.loc, "the DSL source line").toBeDefined();
    expect(e.loc!.file).toMatch(/failures\/cases\.ts$/);
    const at = graph.nodes.filter((n) => n.loc && formatLoc(n.loc) === formatLoc(e.loc!));
    expect(at.map((n) => n.op), `a ${c.op} node at ${formatLoc(e.loc!)}`).toContain(c.op);

    const cpu = await caught(() => executeCPU(graph, feeds));
    if (c.cpu === "f32") {
      expect(cpu, "the float64 CPU executor computes this one").toBeUndefined();
      return;
    }
    expect(cpu).toBeInstanceOf(MatpropError);
    const ce = cpu as MatpropError;
    expect(ce.code).toBe("MP5001");
    expect(formatLoc(ce.loc!), "the same DSL line as the CPU executor").toBe(formatLoc(e.loc!));
    // Same op and failure kind: "log produced NaN", "cholesky failed: not-spd", …
    const head = (m: string) => m.match(/^\w+ (failed: [\w-]+|produced (NaN|-?Infinity))/)?.[0] ?? m;
    if (!/±Infinity/.test(e.message)) expect(head(e.message)).toBe(head(ce.message));
  });
});
