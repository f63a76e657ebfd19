/**
 * What the inspector computes before drawing (no browser): collapsed views (groups by forward
 * node, kernel, op family) keep every node, output and dependency exactly once; gradient paths of
 * the second-order-pooling layer's backward graph (the README's IR, read by hand) are what the
 * matrix calculus says they are.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "../../ir/index.js";
import type { Graph } from "../../ir/graph.js";
import { loadModel } from "../../compiler/cli/load-model.js";
import { describeGraph, type GraphView } from "../../compiler/inspect/describe.js";
import { collapseView, GROUPINGS, groupsOf } from "../../compiler/inspect/groups.js";
import { kernelGroups } from "../../compiler/inspect/kernels.js";
import { layoutGraph } from "../../compiler/inspect/layout.js";
import { gradientPaths } from "../../compiler/inspect/paths.js";
import { differentiate } from "../../compiler/passes/differentiate.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** The backward graph of examples/o2p-layer as the README prints it (locations left out). */
const O2P_LAYER = `graph "o2p-layer" {
  %0 = input {name="F"} : f32[8,4]
  %1 = param {name="W", init="normal"} : f32[4,4]
  %2 = cov %0 {eps=0.001} : f32[4,4] spd
  %3, %4 = eigh %2 : f32[4], f32[4,4] orthogonal
  %5 = spectralFn %2, %3, %4 {fn="log"} : f32[4,4] symmetric
  %6 = mul %5, %1 : f32[4,4]
  %7 = sum %6 {axis=null, keepdims=false} : f32[]
  %8 = loewner %3 {fn="log"} : f32[4,4] symmetric grad %5
  %9 = transpose %4 : f32[4,4] orthogonal grad %5
  %10 = transpose %1 : f32[4,4] grad %5
  %11 = add %1, %10 : f32[4,4] symmetric grad %5
  %12 = constant {value=0.5} : f32[] grad %5
  %13 = mul %11, %12 : f32[4,4] symmetric grad %5
  %14 = matmul %9, %13 : f32[4,4] grad %5
  %15 = matmul %14, %4 : f32[4,4] symmetric grad %5
  %16 = mul %8, %15 : f32[4,4] symmetric grad %5
  %17 = matmul %4, %16 : f32[4,4] grad %5
  %18 = matmul %17, %9 : f32[4,4] symmetric grad %5
  %19 = matmul %0, %18 : f32[8,4] grad %2
  %20 = constant {value=0.25} : f32[] grad %2
  %21 = mul %19, %20 : f32[8,4] grad %2
  return loss=%7, "grad.F"=%21, "grad.W"=%5
}
`;

/** Node ids by the `%k` names of the values they define. */
function ids(view: GraphView, ...values: string[]): number[] {
  return values.map((v) => view.nodes.find((n) => n.values.some((x) => x.name === v))!.id);
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `%${a + i}`);

describe("gradient paths of the O2P layer", () => {
  const view = describeGraph(parse(O2P_LAYER), { reason: "test" });
  const paths = gradientPaths(view);

  it("one per grad.* output", () => {
    expect(paths.map((p) => p.output)).toEqual(["grad.F", "grad.W"]);
  });

  it("grad.F: F → cov → eigh → log → mul → sum forward; all of the backward pass; chain loss first", () => {
    const p = paths[0];
    expect(p.node).toBe(ids(view, "%21")[0]);
    expect(p.source).toBe(ids(view, "%0")[0]);
    expect(p.loss).toBe(ids(view, "%7")[0]);
    expect(p.nodes).toEqual(ids(view, "%0", "%2", "%3", "%5", "%6", "%7", ...range(8, 21)));
    expect(p.steps.map((s) => s.forward)).toEqual(ids(view, "%7", "%6", "%5", "%3", "%2", "%0"));
    // The Daleckii–Krein backward of logm differentiates %5; (2/n)·F·C̄ differentiates cov.
    expect(p.steps.map((s) => s.grads)).toEqual([[], [], ids(view, ...range(8, 18)), [], ids(view, "%19", "%20", "%21"), []]);
  });

  it("grad.W is logm(C) itself: the path is W → mul → sum and the forward node computing it", () => {
    const p = paths[1];
    expect(p.node).toBe(ids(view, "%5")[0]);
    expect(p.nodes).toEqual(ids(view, "%1", "%5", "%6", "%7"));
    expect(p.steps.map((s) => s.forward)).toEqual(ids(view, "%7", "%6", "%1"));
    expect(p.steps.every((s) => s.grads.length === 0)).toBe(true);
  });

  it("a drawing without `loss` has no paths", () => {
    expect(gradientPaths(describeGraph(parse(`graph "g" {\n  %0 = input {name="x"} : f32[2]\n  return y=%0\n}\n`), { reason: "test" }))).toEqual([]);
  });
});

describe("collapsed views of the O2P network's backward graph", () => {
  let graph: Graph;
  let view: GraphView;
  beforeAll(async () => {
    graph = differentiate((await loadModel(path.join(ROOT, "examples", "o2p-mnist", "model.ts"))).build()).graph;
    view = describeGraph(graph, kernelGroups(graph, new Map([["B", 2]])));
    expect(view.clusters.length).toBeGreaterThan(3);
  });

  it("forward: one group per forward node with two or more backward nodes differentiating it", () => {
    const groups = groupsOf(view, "forward");
    const expected = new Map<number, number[]>();
    for (const n of graph.nodes) if (n.gradOf) expected.set(n.gradOf.id, [...(expected.get(n.gradOf.id) ?? []), n.id]);
    expect(groups.map((g) => [g.gradOf, g.members])).toEqual([...expected].filter(([, m]) => m.length > 1));
    const byId = new Map(view.nodes.map((n) => [n.id, n]));
    expect(groups.map((g) => g.title)).toContain(`∂ ${byId.get(graph.nodes.find((n) => n.op === "spectralFn")!.id)!.title}`);
  });

  it("kernel: the fused kernels' clusters", () => {
    expect(groupsOf(view, "kernel").map((g) => g.members)).toEqual(view.clusters.map((c) => [...c.nodes].sort((a, b) => a - b)));
  });

  it("family: connected runs of one family on one side of the pass", () => {
    const byId = new Map(view.nodes.map((n) => [n.id, n]));
    const groups = groupsOf(view, "family");
    expect(groups.length).toBeGreaterThan(3);
    for (const g of groups) {
      const members = g.members.map((m) => byId.get(m)!);
      expect(new Set(members.map((m) => `${m.family}/${m.backward}`)).size).toBe(1);
      expect(members.every((m) => m.kind === "op")).toBe(true);
      // Connected: every member but one is linked by an edge to another member.
      const inGroup = new Set(g.members);
      const linked = new Set(view.edges.filter((e) => inGroup.has(e.from) && inGroup.has(e.to)).flatMap((e) => [e.from, e.to]));
      expect(linked).toEqual(inGroup);
    }
  });

  it.each(GROUPINGS)("by %s: every node drawn once, outputs kept, each dependency between boxes drawn once", (by) => {
    const groups = groupsOf(view, by);
    const c = collapseView(view, by);
    const drawnAs = new Map(view.nodes.map((n) => [n.id, n.id]));
    for (const n of c.nodes) for (const m of n.members ?? []) drawnAs.set(m, n.id);
    expect(c.nodes.length).toBe(view.nodes.length - groups.reduce((s, g) => s + g.members.length - 1, 0));
    expect(c.nodes.flatMap((n) => n.members ?? [n.id]).sort((a, b) => a - b)).toEqual(view.nodes.map((n) => n.id).sort((a, b) => a - b));
    expect(c.nodes.flatMap((n) => n.outputs).sort()).toEqual(graph.outputs.map((o) => o.name).sort());
    const want = new Set(view.edges.map((e) => `${drawnAs.get(e.from)}>${drawnAs.get(e.to)}`).filter((k) => k.split(">")[0] !== k.split(">")[1]));
    expect(c.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([...want].sort());
    // And it lays out: one box per drawn node.
    expect(layoutGraph(c).nodes.length).toBe(c.nodes.length);
  });

  it("a group box says what it holds", () => {
    const c = collapseView(view, "forward");
    const spectral = c.nodes.find((n) => n.kind === "group" && n.title.startsWith("∂ spectralFn"))!;
    expect(spectral.summary).toMatch(/^\d+ nodes: matmul ×4, /);
    expect(spectral.backward).toBe(true);
    expect(spectral.gradOf).toBe(graph.nodes.find((n) => n.op === "spectralFn")!.id);
  });
});
