/**
 * The inspector on a graph too large to read at "fit": the O2P network's backward graph
 * (examples/o2p-mnist, over 70 nodes, kernels sized by its inputs) in headless Chromium. It opens at a
 * readable scale with an overview; search finds nodes by op, value and source line; "show only"
 * filters by family; collapsing by forward node or kernel draws one box per group, whose members
 * open the ungrouped drawing; a gradient's path back to `loss` is highlighted, node for node as
 * the graph says. Writes out/inspector.png (the README's picture, copied to docs/inspector.png).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Graph, Node } from "../../ir/graph.js";
import { graphCommand } from "../../compiler/cli/commands/graph.js";
import { loadModel } from "../../compiler/cli/load-model.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { CHROMIUM, NO_BROWSER, openPage } from "./browser.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const MODEL = path.join(ROOT, "examples", "o2p-mnist", "model.ts");
const INPUTS = path.join(ROOT, "examples", "o2p-mnist", "inputs.json");

/** Ids reachable from `start` (itself included) along `next`. */
function reach(start: Node, next: (n: Node) => Node[]): Set<number> {
  const seen = new Set<number>([start.id]);
  const todo = [start];
  while (todo.length) for (const m of next(todo.pop()!)) if (!seen.has(m.id)) (seen.add(m.id), todo.push(m));
  return seen;
}

/** The path of grad.<name> computed from the graph itself, independently of the inspector. */
function expectedPath(g: Graph, name: string): Set<number> {
  const producer = (output: string) => g.outputs.find((o) => o.name === output)!.value.node;
  const users = (n: Node) => g.nodes.filter((m) => !m.gradOf && m.inputs.some((v) => v.node === n));
  const source = g.nodes.find((n) => (n.op === "param" || n.op === "input") && n.attrs.name === name)!;
  const upstreamOfLoss = reach(producer("loss"), (n) => n.inputs.map((v) => v.node).filter((m) => !m.gradOf));
  const forward = [...reach(source, users)].filter((id) => upstreamOfLoss.has(id));
  const gradNode = producer(`grad.${name}`);
  const backward = [...reach(gradNode, (n) => n.inputs.map((v) => v.node))].filter((id) => g.nodes.find((n) => n.id === id)!.gradOf);
  return new Set([...forward, ...backward, gradNode.id, producer("loss").id]);
}

describe.skipIf(NO_BROWSER)(`the inspector on the O2P network's backward graph (needs ${CHROMIUM})`, () => {
  let tmp: string;
  let browser: Browser;
  let page: Page;
  let graph: Graph;
  let problems: string[];

  beforeAll(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-scale-")));
    await graphCommand(MODEL, { out: path.join(tmp, "o2p.html"), backward: true, inputs: INPUTS });
    graph = differentiate((await loadModel(MODEL)).build()).graph;
    ({ browser, page, problems } = await openPage(path.join(tmp, "o2p.html")));
  });

  afterAll(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const shown = ".view:not([hidden])";
  const count = (selector: string) => page.locator(`${shown} ${selector}`).count();
  const choose = async (select: string, value: string) => {
    await page.selectOption(select, value);
    await expect.poll(() => page.inputValue(select)).toBe(value);
  };

  it("opens on the backward graph at a readable scale, with an overview of the whole", async () => {
    expect(graph.nodes.length).toBeGreaterThanOrEqual(50);
    expect(await count("g.node")).toBe(graph.nodes.length);
    // Node titles are 13 px in the drawing; on screen they must stay readable (≥ 10 px).
    const fontPx = await page.evaluate(() => {
      const t = document.querySelector(".view:not([hidden]) g.node text.title")!;
      return t.getBoundingClientRect().height;
    });
    expect(fontPx).toBeGreaterThanOrEqual(10);
    expect(await page.locator("#overview").isVisible()).toBe(true);
    expect(await page.locator("#overview .viewport").count()).toBe(1);
  });

  it("searches by op, by value and by source line; Enter goes to a match and shows it", async () => {
    // A term matches a node by its op or by the kernel that computes it: conv kernels take fused
    // epilogues and operands, so the nodes fused into a conv kernel match "conv2d" too.
    const kernelsOf = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("graph-data")!.textContent!);
      const nodes = data.views.full.drawings.none.nodes as { id: number; kernels: string[] }[];
      return Object.fromEntries(nodes.map((n) => [n.id, n.kernels]));
    });
    const byOp = graph.nodes.filter((n) => n.op.toLowerCase().includes("conv2d"));
    const byKernel = graph.nodes.filter((n) => !byOp.includes(n) && (kernelsOf[n.id] ?? []).some((k) => k.toLowerCase().includes("conv2d")));
    const matches = byOp.length + byKernel.length;
    expect(byOp.length).toBeGreaterThanOrEqual(3);
    await page.fill("#search", "conv2d");
    await expect.poll(() => page.textContent("#search-count")).toBe(`${matches} matches`);
    expect(await count("g.node.in-focus")).toBe(matches);
    expect(await page.locator(`${shown} svg.has-focus`).count()).toBe(1);
    await page.press("#search", "Enter");
    expect(await page.textContent("#search-count")).toBe(`1 of ${matches}`);
    // An op's own name matches only its own nodes when no kernel is named after it.
    const loewners = graph.nodes.filter((n) => n.op === "loewner");
    expect(loewners.length).toBeGreaterThan(0);
    await page.fill("#search", "loewner");
    await expect.poll(() => count("g.node.in-focus")).toBe(loewners.length + graph.nodes.filter((n) => n.op !== "loewner" && (kernelsOf[n.id] ?? []).some((k) => k.toLowerCase().includes("loewner"))).length);

    await page.fill("#search", "%19");
    await expect.poll(() => count("g.node.in-focus")).toBe(1);
    const spectral = graph.nodes.find((n) => n.op === "spectralFn")!;
    expect(await page.locator(`${shown} g.node.in-focus`).getAttribute("data-node")).toBe(String(spectral.id));

    const line = spectral.loc!.line;
    const onLine = graph.nodes.filter((n) => n.loc?.file.endsWith("model.ts") && n.loc.line === line);
    await page.fill("#search", `model.ts:${line}`);
    await expect.poll(() => count("g.node.in-focus")).toBe(onLine.length);
    expect(onLine.length).toBeGreaterThan(5); // logm's forward and backward nodes share its line

    await page.fill("#search", "");
    await expect.poll(() => page.locator(`${shown} svg.has-focus`).count()).toBe(0);
  });

  it("shows only one op family", async () => {
    await choose("#filter", "family:linalg");
    const linalg = graph.nodes.filter((n) => ["matmul", "cov", "eigh"].includes(n.op));
    expect(await count("g.node.in-focus")).toBe(linalg.length);
    await choose("#filter", "");
    expect(await count("g.node.in-focus")).toBe(0);
  });

  it("collapses by forward node: one box per differentiated node; a member opens the full drawing", async () => {
    await choose("#group", "forward");
    const groups = new Map<number, number>();
    for (const n of graph.nodes) if (n.gradOf) groups.set(n.gradOf.id, (groups.get(n.gradOf.id) ?? 0) + 1);
    const multi = [...groups.values()].filter((k) => k > 1);
    expect(await count("g.node.group")).toBe(multi.length);
    expect(await count("g.node")).toBe(graph.nodes.length - multi.reduce((s, k) => s + k - 1, 0));

    const spectral = graph.nodes.find((n) => n.op === "spectralFn")!;
    const box = page.locator(`${shown} g.node.group`, { hasText: "∂ spectralFn log" });
    await page.evaluate(() => (document.getElementById("fit") as HTMLButtonElement).click());
    await box.click({ position: { x: 12, y: 5 } });
    await expect.poll(() => page.textContent("#details h2")).toBe("∂ spectralFn log");
    const members = graph.nodes.filter((n) => n.gradOf === spectral);
    expect(await page.locator("#details button.ref").count()).toBeGreaterThanOrEqual(members.length);
    const loewner = members.find((n) => n.op === "loewner")!;
    await page.click(`#details button.ref[data-ref="${loewner.id}"]`);
    await expect.poll(() => page.inputValue("#group")).toBe("none");
    expect(await page.locator(`${shown} g.node.selected`).getAttribute("data-node")).toBe(String(loewner.id));
    await expect.poll(() => page.textContent("#details h2")).toBe("loewner log");
  });

  it("collapses by kernel: one box per fused kernel of two or more nodes", async () => {
    await choose("#group", "kernel");
    const clusters = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("graph-data")!.textContent!);
      return data.views.full.drawings.none.clusters.length as number;
    });
    expect(clusters).toBeGreaterThan(3);
    expect(await count("g.node.group")).toBe(clusters);
    await choose("#group", "none");
  });

  it("highlights a gradient's path back to loss, node for node and edge for edge", async () => {
    await page.keyboard.press("Escape");
    await choose("#path", "grad.w2");
    const want = expectedPath(graph, "w2");
    const got = await page.locator(`${shown} g.node.on-path`).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-node"))));
    expect(new Set(got)).toEqual(want);
    const edges = graph.nodes.flatMap((n) => n.inputs.filter((v) => want.has(v.node.id) && want.has(n.id)).map((v) => `${v.node.id}>${n.id}`));
    const gotEdges = await page.locator(`${shown} .edge.on-path`).evaluateAll((els) => els.map((e) => `${e.getAttribute("data-from")}>${e.getAttribute("data-to")}`));
    expect(new Set(gotEdges)).toEqual(new Set(edges));
    expect(await page.textContent("#details h2")).toBe("grad.w2 ← loss");
    const chain = await page.locator("#details ol.path > li").count();
    expect(chain).toBeGreaterThan(10);
    // The first step of the chain is the loss.
    const loss = graph.outputs.find((o) => o.name === "loss")!.value.node;
    expect(await page.locator("#details ol.path > li").first().locator("button.ref").first().getAttribute("data-ref")).toBe(String(loss.id));
  });

  it("keeps the path highlighted when collapsed by forward node (a group is on it when a member is); the README picture", async () => {
    await choose("#group", "forward");
    const want = expectedPath(graph, "w2");
    const onPath = await page.locator(`${shown} g.node.on-path`).count();
    expect(onPath).toBeGreaterThan(10);
    expect(onPath).toBeLessThan(want.size);
    // The picture: centred on logm (a chain entry centres on its node), the path's panel showing.
    await page.click(`#details button.ref[data-ref="${graph.nodes.find((n) => n.op === "spectralFn")!.id}"]`);
    await choose("#path", "");
    await choose("#path", "grad.w2");
    expect(await page.textContent("#details h2")).toBe("grad.w2 ← loss");
    fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "out", "inspector.png") });
  });

  it("logged no console errors and made no network requests", () => {
    expect(problems).toEqual([]);
  });
});
