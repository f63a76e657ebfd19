/**
 * Failures reported from the device, from a built bundle in a fresh Node process: every failure
 * class of test/webgpu/failures/cases.ts is built into a bundle and run with its failing inputs
 * (forward, or `grad` for a failure in a gradient op). Each must stop with MP7012 naming the op and
 * its DSL source line — the line the CPU executor stops at — never return a number. A training step
 * (on the device, differentiating only the params) that fails must leave the params untouched; one
 * whose params' gradients do not reach the failing op (∂/∂x of an input) may succeed, with finite
 * params.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { bundleFiles } from "../../compiler/bundle/build.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { formatLoc, MatpropError } from "../../ir/diagnostics.js";
import { linalg, model, ops } from "../../index.js";
import { BundleError } from "../../runtime/bundle/errors.js";
import { openBundle } from "../../runtime/bundle/open.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray } from "../../numeric/ndarray.js";
import { hasGPU } from "../webgpu/gpu.js";
import { failureInputs, FAILURES, type FailureCase } from "../webgpu/failures/cases.js";
import { writeBundles, type BuiltModel } from "./models.js";

/** Runs in the child: for each bundle, the call that must fail, and what it threw. */
const CHILD = `
import fs from "node:fs";
const jobs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = {};
for (const [id, { call, inputs }] of Object.entries(jobs)) {
  const { load } = await import("./" + id + "/index.js");
  const m = await load();
  const x = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.i32 ? Int32Array.from(v.data) : Float32Array.from(v.data)]));
  const params = async () => JSON.stringify(Object.entries(await m.params()).map(([k, v]) => [k, Array.from(v)]));
  const before = await params();
  try {
    const r = call === "grad" ? await m.grad(x) : await m.forward(x);
    out[id] = { returned: JSON.stringify(r) };
  } catch (e) {
    out[id] = { code: e.code, message: e.message, name: e.name };
  }
  if (call === "grad") {
    try {
      await m.step(x, { lr: 0.5 });
      const after = await m.params();
      out[id].step = Object.values(after).every((v) => v.every(Number.isFinite)) ? "finite params" : "non-finite params";
    } catch (e) {
      out[id].step = e.code + (before === (await params()) ? ", params kept" : ", params changed");
    }
  }
}
fs.writeFileSync(process.argv[3], JSON.stringify(out));
`;

/** Names of the model's i32 inputs (bundles take those as Int32Array). */
function i32Inputs(m: BuiltModel): Set<string> {
  return new Set(m.graph.sources().filter((s) => s.outputs[0].type.dtype === "i32").map((s) => s.attrs.name as string));
}

interface ChildResult {
  code?: string;
  message?: string;
  name?: string;
  /** What `step` did: "MP7012, params kept" or "finite params". */
  step?: string;
  returned?: string;
}

const idOf = (c: FailureCase) => `failure-${FAILURES.indexOf(c)}`;

function built(c: FailureCase): BuiltModel {
  const graph = c.model.build();
  const feeds = failureInputs(c);
  // A failure in a gradient op may sit on an input's gradient path: the step differentiates everything.
  const { manifest, files } = bundleFiles(graph, { inputs: feeds, seed: 0, wrt: "all", ...(c.maxSweeps ? { lower: { maxSweeps: c.maxSweeps } } : {}) });
  return { id: idOf(c), file: c.name, graph, feeds, manifest, files };
}

describe.runIf(hasGPU)("failures reported from the device, from a bundle", () => {
  let results: Record<string, ChildResult> = {};
  let cleanup = () => {};

  beforeAll(() => {
    const models = FAILURES.map(built);
    const written = writeBundles(models);
    cleanup = written.cleanup;
    const jobs = Object.fromEntries(FAILURES.map((c, i) => [models[i].id, { call: c.graph === "train" ? "grad" : "forward", inputs: Object.fromEntries([...models[i].feeds].map(([k, v]) => [k, { data: [...v.data], i32: i32Inputs(models[i]).has(k) }])) }]));
    fs.writeFileSync(path.join(written.dir, "jobs.json"), JSON.stringify(jobs));
    fs.writeFileSync(path.join(written.dir, "child.mjs"), CHILD);
    const r = spawnSync(process.execPath, ["child.mjs", "jobs.json", "results.json"], { cwd: written.dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, NODE_OPTIONS: "" } });
    if (r.status !== 0) throw new Error(`child node failed (${r.status ?? r.signal}): ${r.stderr}`);
    results = JSON.parse(fs.readFileSync(path.join(written.dir, "results.json"), "utf8")) as Record<string, ChildResult>;
  }, 240_000);
  afterAll(() => cleanup());

  it.each(FAILURES.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const r = results[idOf(c)];
    expect(r.returned, "the bundle returned a result instead of an error").toBeUndefined();
    expect(r.name).toBe("BundleError");
    expect(r.code, r.message).toBe("MP7012");
    const m = r.message!.match(/^(\w+) at (.+):(\d+):(\d+): (.*)$/s);
    expect(m, r.message).not.toBeNull();
    const [, op, file, line, col, what] = m!;
    expect(op).toBe(c.op);
    expect(file).toMatch(/failures\/cases\.ts$/);
    expect(what).toMatch(c.message);
    if (c.graph === "train") expect(["MP7012, params kept", "finite params"], "a failed step leaves the params as they were; a step that succeeds leaves finite ones").toContain(r.step);
    const forward = c.model.build();
    const graph = c.graph === "train" ? differentiate(forward).graph : forward;
    const at = graph.nodes.filter((n) => n.op === c.op && n.loc && `${n.loc.line}:${n.loc.col}` === `${line}:${col}`);
    expect(at.length, `a ${c.op} node at line ${line}:${col}`).toBeGreaterThan(0);
    if (c.cpu === "same") {
      let cpu: unknown;
      try {
        executeCPU(graph, failureInputs(c));
      } catch (e) {
        cpu = e;
      }
      expect(cpu).toBeInstanceOf(MatpropError);
      expect(formatLoc((cpu as MatpropError).loc!).endsWith(`:${line}:${col}`), "the line the CPU executor stops at").toBe(true);
    }
  });
});

describe.runIf(hasGPU)("declared structure of what a caller hands a bundle (MP7016)", () => {
  const declared = model("declared", ({ input, param }) => {
    const X = input("X", [3, 3], { structure: "symmetric" });
    const P = param("P", [3, 3], { structure: "spd", init: "identity" });
    return { loss: ops.sum(ops.mul(linalg.expm(X), P)) };
  });

  it("refuses a non-symmetric input and an indefinite param the model declares, as `matprop run` does (MP4007), and runs the valid ones", async () => {
    const g = declared.build();
    const X = ndarray([3, 3], [1, 2, 0, 2, 1, 0, 0, 0, 3]);
    const { manifest, files } = bundleFiles(g, { inputs: new Map([["X", X]]), seed: 0 });
    expect(manifest.inputs[0]).toMatchObject({ name: "X", structure: "symmetric" });
    expect(manifest.params[0]).toMatchObject({ name: "P", structure: "spd" });
    const written = writeBundles([{ id: "declared", file: "declared", graph: g, feeds: new Map([["X", X]]), manifest, files }]);
    try {
      const b = await openBundle(pathToFileURL(path.join(written.dir, "declared")));
      const fail = async (f: () => unknown) => {
        try {
          await f();
        } catch (e) {
          return e instanceof BundleError ? `${e.code}: ${e.message}` : Promise.reject(e);
        }
        return "no error";
      };
      expect(await fail(() => b.forward({ X: Float32Array.from(X.data) }))).toBe("no error");
      expect(await fail(() => b.forward({ X: Float32Array.of(1, 2, 0, 2.5, 1, 0, 0, 0, 3) }))).toMatch(/^MP7016: input 'X' \(declared symmetric\) is not symmetric: entry \(0,1\)/);
      expect(await fail(() => b.setParams({ P: Float32Array.of(1, 2, 0, 2, 1, 0, 0, 0, 1) }))).toMatch(/^MP7016: param 'P' \(declared spd\) is symmetric but not positive definite/);
      expect(Array.from((await b.params()).P)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    } finally {
      written.cleanup();
    }
  });
});
