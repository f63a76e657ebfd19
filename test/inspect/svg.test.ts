/**
 * `matprop graph -o out.svg`: a well-formed standalone SVG with one `g.node` per graph node, text
 * escaped, source links relative to the output file, kernel clusters from the lowering, and
 * backward nodes drawn with a dashed link to the forward node they differentiate.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "../../ir/index.js";
import { graphCommand } from "../../compiler/cli/commands/graph.js";
import { loadModel } from "../../compiler/cli/load-model.js";
import { describeGraph } from "../../compiler/inspect/describe.js";
import { kernelGroups } from "../../compiler/inspect/kernels.js";
import { layoutGraph } from "../../compiler/inspect/layout.js";
import { sourceLinker } from "../../compiler/inspect/source.js";
import { renderSvg } from "../../compiler/inspect/svg.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { parseXml, unescapeXml, type XmlElement } from "./xml.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const O2P = path.join(ROOT, "examples", "o2p-layer", "model.ts");
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-graph-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hasClass = (e: XmlElement, c: string) => (e.attrs.class ?? "").split(" ").includes(c);
const nodesOf = (els: XmlElement[]) => els.filter((e) => e.name === "g" && hasClass(e, "node"));

describe("graph -o out.svg for examples/o2p-layer", () => {
  it.each([false, true])("backward=%s: well-formed, one g.node per graph node", async (backward) => {
    const out = path.join(tmp, "svg", backward ? "o2p-backward.svg" : "o2p.svg");
    const line = await graphCommand(O2P, { out, backward });
    expect(line).toMatch(/^wrote .*o2p.*\.svg \(\d+ nodes/);
    const forward = (await loadModel(O2P)).build();
    const graph = backward ? differentiate(forward).graph : forward;

    const svg = fs.readFileSync(out, "utf8");
    const els = parseXml(svg);
    expect(els[0].name).toBe("svg");
    expect(els[0].attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    const nodes = nodesOf(els);
    expect(nodes.length).toBe(graph.nodes.length);
    expect(nodes.map((n) => Number(n.attrs["data-node"])).sort((a, b) => a - b)).toEqual(graph.nodes.map((n) => n.id).sort((a, b) => a - b));
    expect(els.filter((e) => e.name === "path" && hasClass(e, "edge")).length).toBe(graph.nodes.reduce((s, n) => s + n.inputs.length, 0));

    // Every box links to its DSL line, relative to the output file.
    const links = els.filter((e) => e.name === "a").map((a) => a.attrs.href);
    expect(links.length).toBe(graph.nodes.filter((n) => n.loc).length);
    const cov = graph.nodes.find((n) => n.op === "cov")!;
    expect(links).toContain(`${path.relative(path.dirname(out), O2P).split(path.sep).join("/")}#L${cov.loc!.line}`);

    const backwardBoxes = nodes.filter((n) => hasClass(n, "backward"));
    const gradLinks = els.filter((e) => e.name === "path" && hasClass(e, "grad-link"));
    expect(backwardBoxes.length).toBe(graph.nodes.filter((n) => n.gradOf).length);
    expect(gradLinks.length).toBe(backwardBoxes.length);
    if (backward) expect(backwardBoxes.length).toBeGreaterThan(0);
    // The fused loss reduction (mul → sum) is one kernel: a cluster.
    expect(els.some((e) => e.name === "g" && hasClass(e, "cluster"))).toBe(true);
  });
});

describe("drawing pieces", () => {
  const IR = `graph "a<b & 'c'" {
  %0 = input {name="x<&>"} : f32[n,4] @"weird <&> dir/m.ts":3:5
  %1 = transpose %0 : f32[4,n] @"weird <&> dir/m.ts":4:7
  %2 = matmul %1, %0 : f32[4,4] symmetric @"weird <&> dir/m.ts":4:7
  return y=%2
}
`;

  it("escapes text and attributes and still gives one g.node per node", () => {
    const g = parse(IR);
    const kernels = kernelGroups(g, undefined);
    expect(kernels).toEqual({ reason: expect.stringContaining("n not bound") });
    const view = describeGraph(g, kernels, sourceLinker(path.join(tmp, "x.svg"), tmp));
    expect(view.clusters).toEqual([]);
    const svg = renderSvg(view, layoutGraph(view), { standalone: true });
    const els = parseXml(svg);
    expect(nodesOf(els).length).toBe(3);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]));
    expect(texts).toContain("input x<&>");
    expect(texts).toContain("f32[4,4] symmetric");
    expect(texts).toContain("m.ts:4");
    expect(els.find((e) => e.name === "a")!.attrs.href).toBe("weird%20%3C%26%3E%20dir/m.ts#L3");
  });

  it("draws kernel clusters once named dims are bound, each node in one cluster at most", () => {
    const g = parse(IR);
    const kernels = kernelGroups(g, new Map([["n", 3]]));
    expect("groups" in kernels).toBe(true);
    const view = describeGraph(g, kernels);
    // The transpose is fused into the matmul's kernel.
    expect(view.clusters.length).toBe(1);
    expect(view.clusters[0].nodes).toEqual(expect.arrayContaining([g.nodes[1].id, g.nodes[2].id]));
    expect(view.nodes[2].kernels.length).toBe(1);
    const layout = layoutGraph(view);
    const c = layout.clusters[0];
    for (const id of view.clusters[0].nodes) {
      const b = layout.nodes.find((n) => n.id === id)!;
      expect(b.x).toBeGreaterThanOrEqual(c.x);
      expect(b.x + b.width).toBeLessThanOrEqual(c.x + c.width);
    }
  });

  it("lays boxes out top to bottom without overlaps", () => {
    const g = parse(IR);
    const layout = layoutGraph(describeGraph(g, { reason: "test" }));
    const [a, b, c] = g.nodes.map((n) => layout.nodes.find((p) => p.id === n.id)!);
    expect(a.y + a.height).toBeLessThan(b.y);
    expect(b.y + b.height).toBeLessThan(c.y);
    expect(layout.width).toBeGreaterThanOrEqual(Math.max(a.x + a.width, b.x + b.width, c.x + c.width));
  });

  it("rejects an output that is neither .svg nor .html", async () => {
    await expect(graphCommand(O2P, { out: path.join(tmp, "g.png") })).rejects.toThrow(/\.svg or \.html/);
  });
});
