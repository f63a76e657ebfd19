/**
 * The verifier over every program the test suite has: each op case of the known-value and the
 * gradient-check tables, every test model and every example (forward pass and training step), both
 * fused and unfused. Lowering runs the verifier itself (MP9002 on a refusal); the runtime's check is
 * then run once more on the finished program, as a bundle's loader would. No device is needed.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isModel, type Model } from "../../index.js";
import { lowerGraph } from "../../codegen/lower.js";
import { parseInputs, readInputs } from "../../compiler/cli/inputs.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import type { Graph } from "../../ir/graph.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { checkProgram } from "../../codegen/verify-program.js";
import { GRAD_CASES } from "../adjoint/cases/index.js";
import { allCases } from "../ops/cases/index.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

interface Program {
  readonly id: string;
  readonly model: Model;
  readonly feeds?: ReadonlyMap<string, NDArray>;
}

/** Named dims from the feeds where given; otherwise 9, one past a matmul tile. */
function dimsOf(g: Graph, feeds: ReadonlyMap<string, NDArray> | undefined): Map<string, number> {
  if (feeds) return new Map(bindInputs(g, new Map([...feeds].filter(([k]) => g.sources().some((n) => n.attrs.name === k)))).dims);
  const named = g.sources().flatMap((n) => n.outputs[0].type.shape.filter((d): d is string => typeof d === "string"));
  return new Map(named.map((d) => [d, 9]));
}

async function modelsIn(dir: string): Promise<{ id: string; model: Model }[]> {
  const files = fs.readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith(".ts"));
  const out: { id: string; model: Model }[] = [];
  for (const f of files) {
    const file = path.join(f.parentPath, f.name);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, m] of Object.entries(mod)) if (isModel(m)) out.push({ id: `${path.relative(ROOT, file)}${name === "default" ? "" : `#${name}`}`, model: m });
  }
  return out;
}

const programs: Program[] = [
  ...allCases().map((c) => ({ id: `op case: ${c.name}`, model: c.model, feeds: parseInputs(c.inputs) })),
  ...Object.entries(GRAD_CASES).flatMap(([op, cases]) => cases.map((c, i) => ({ id: `gradient case ${op}: ${c.name}`, model: c.model, feeds: new Map(Object.entries(c.inputs(new Random(1000 + i)))) }))),
  ...(await modelsIn("test/models")),
];
for (const d of fs.readdirSync(path.join(ROOT, "examples")).sort()) {
  const inputs = path.join(ROOT, "examples", d, "inputs.json");
  for (const f of ["model.ts", "first-order.ts"]) {
    const file = path.join(ROOT, "examples", d, f);
    if (!fs.existsSync(file)) continue;
    const m = (await import(pathToFileURL(file).href)).default as Model;
    programs.push({ id: `examples/${d}/${f}`, model: m, feeds: fs.existsSync(inputs) ? readInputs(inputs) : undefined });
  }
}

describe("every test program and example lowers to a program the verifier accepts", () => {
  it("finds the programs: op cases, gradient cases, test models, examples", () => {
    expect(programs.filter((p) => p.id.startsWith("examples/")).length).toBeGreaterThanOrEqual(6);
    expect(programs.length).toBeGreaterThan(150);
  });

  it.each(programs.map((p) => [p.id, p] as const))("%s", (_, p) => {
    const forward = p.model.build();
    const graphs = [forward, ...(forward.outputs.some((o) => o.name === "loss" && o.value.type.shape.length === 0) ? [differentiate(forward).graph] : [])];
    for (const g of graphs) {
      const dims = dimsOf(g, p.feeds);
      for (const fuse of [true, false]) {
        const { program } = lowerGraph(g, dims, { fuse });
        expect(() => checkProgram(program)).not.toThrow();
      }
    }
  });
});
