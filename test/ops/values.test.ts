/**
 * Known values for every registered op: one table (./cases) keyed by op name, each case a small
 * DSL model, concrete inputs and expected outputs written out by hand (closed forms, derivations
 * in the case files). A registered op without a case fails the first test, so no op escapes.
 * Each case also checks that every value the executor computed has the shape the op's type rule
 * inferred (named dims bound), that the default (fused) run gives bitwise the reference outputs,
 * and a few cases run end to end through `matprop run`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allOps, hasOp, type Graph } from "../../ir/index.js";
import { executeCPU, type CpuRun } from "../../runtime/cpu/execute.js";
import { CASES, allCases, type Nested, type OpCase } from "./cases/index.js";

const TOL = 1e-10;
const ROOT = path.resolve(import.meta.dirname, "..", "..");

interface Arr {
  shape: readonly number[];
  data: Float64Array;
}

function toArray(v: Nested): Arr {
  const shape: number[] = [];
  for (let x: Nested = v; Array.isArray(x); x = (x as readonly Nested[])[0]) shape.push((x as readonly Nested[]).length);
  const data = Array.isArray(v) ? (v as readonly Nested[]).flat(Infinity as 1) : [v];
  return { shape, data: Float64Array.from(data as number[]) };
}

function feedsOf(c: OpCase): Map<string, Arr> {
  return new Map(Object.entries(c.inputs).map(([k, v]) => [k, toArray(v)]));
}

/** Flip the sign of `got`'s columns (or rows) to agree with `want` at want's largest entry of each. */
function alignSigns(got: Arr, want: Arr, along: "column" | "row"): Arr {
  const r = want.shape.length;
  const [m, n] = [want.shape[r - 2], want.shape[r - 1]];
  const out = Float64Array.from(got.data);
  for (let o = 0; o < want.data.length; o += m * n) {
    const lines = along === "column" ? n : m;
    const len = along === "column" ? m : n;
    const at = (line: number, k: number) => o + (along === "column" ? k * n + line : line * n + k);
    for (let line = 0; line < lines; line++) {
      let best = 0;
      for (let k = 1; k < len; k++) if (Math.abs(want.data[at(line, k)]) > Math.abs(want.data[at(line, best)])) best = k;
      if (Math.sign(out[at(line, best)]) !== Math.sign(want.data[at(line, best)])) for (let k = 0; k < len; k++) out[at(line, k)] = -out[at(line, k)];
    }
  }
  return { shape: got.shape, data: out };
}

/** max|got − want| / max|want| ≤ TOL, after the shapes match exactly. */
export function expectClose(label: string, got: Arr, want: Arr): void {
  expect([...got.shape], `${label}: shape`).toEqual([...want.shape]);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.data.length; i++) {
    err = Math.max(err, Math.abs(got.data[i] - want.data[i]));
    scale = Math.max(scale, Math.abs(want.data[i]));
  }
  const rel = err / Math.max(scale, 1e-300);
  if (!(rel <= TOL)) {
    throw new Error(`${label}: relative error ${rel} > ${TOL}\n  got  ${Array.from(got.data).join(", ")}\n  want ${Array.from(want.data).join(", ")}`);
  }
}

function checkOutputs(c: OpCase, outputs: ReadonlyMap<string, Arr>): void {
  for (const [name, wantNested] of Object.entries(c.expected)) {
    const want = toArray(wantNested);
    let got = outputs.get(name);
    expect(got, `output '${name}'`).toBeDefined();
    if (c.columnSign?.includes(name)) got = alignSigns(got!, want, "column");
    if (c.rowSign?.includes(name)) got = alignSigns(got!, want, "row");
    expectClose(`output '${name}'`, got!, want);
  }
  c.check?.(outputs);
}

/** Every computed value has the shape its type says, with named dims bound by the inputs. */
function checkInferredShapes(g: Graph, run: CpuRun): void {
  const dims = new Map<string, number>();
  for (const node of g.sources()) {
    const declared = node.outputs[0].type.shape;
    const actual = run.values.get(node.outputs[0])!.shape;
    declared.forEach((d, i) => typeof d === "string" && dims.set(d, actual[i]));
  }
  for (const node of g.nodes) {
    node.outputs.forEach((v, i) => {
      const want = v.type.shape.map((d) => (typeof d === "number" ? d : dims.get(d)));
      expect([...run.values.get(v)!.shape], `${node.op} (node ${node.id}) output ${i}: evaluated shape vs inferred type ${JSON.stringify(v.type.shape)}`).toEqual(want);
    });
  }
}

describe("the case table", () => {
  it("has a case for every registered op", () => {
    const missing = allOps()
      .map((op) => op.name)
      .filter((name) => !(CASES[name]?.length > 0));
    expect(missing, "ops registered without a known-value case in test/ops/cases").toEqual([]);
  });

  it("names only registered ops, or DSL composites as `dsl:<name>`", () => {
    const stray = Object.keys(CASES).filter((k) => !hasOp(k) && !k.startsWith("dsl:"));
    expect(stray).toEqual([]);
  });

  it.each(Object.keys(CASES).filter(hasOp))("each %s case's graph contains the op", (op) => {
    for (const c of CASES[op]) expect(c.model.build().nodes.map((n) => n.op), c.name).toContain(op);
  });
});

describe.each(Object.keys(CASES))("%s", (key) => {
  it.each(CASES[key].map((c) => [c.name, c] as const))("%s", (_, c) => {
    const g = c.model.build();
    const reference = executeCPU(g, feedsOf(c), { fuse: false });
    checkInferredShapes(g, reference);
    checkOutputs(c, reference.outputs);
    // The default run fuses elementwise chains: bitwise the same outputs.
    const fused = executeCPU(g, feedsOf(c)).outputs;
    for (const [name, want] of reference.outputs) expect([...fused.get(name)!.data], `fused output '${name}'`).toEqual([...want.data]);
  });
});

describe("matprop run gives the same numbers", () => {
  const cli = allCases().filter((c) => c.cli !== undefined);
  const bin = path.join(ROOT, "bin", "matprop.js");

  it("has CLI cases, and a built CLI (npm run build)", () => {
    expect(cli.length).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(path.join(ROOT, "dist", "compiler", "cli", "main.js")), "dist/ is missing: run `npm run build` first").toBe(true);
  });

  it.each(cli.map((c) => [c.cli!, c] as const))("%s", (file, c) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matprop-values-"));
    try {
      const inputs = path.join(dir, "inputs.json");
      fs.writeFileSync(inputs, JSON.stringify(c.inputs));
      const r = spawnSync(process.execPath, [bin, "run", file, "--inputs", inputs, "--backend", "cpu"], { cwd: ROOT, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const { outputs } = JSON.parse(r.stdout) as { outputs: Record<string, Nested> };
      checkOutputs(c, new Map(Object.entries(outputs).map(([k, v]) => [k, toArray(v)])));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
