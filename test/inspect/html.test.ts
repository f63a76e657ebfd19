/**
 * The HTML inspector in headless Chromium: it loads from file:// without network or console
 * errors, clicking a node fills the details panel, the toggle shows the backward graph, pan and
 * zoom move the view; the standalone SVGs parse with the browser's XML parser too.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLoc } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { graphCommand } from "../../compiler/cli/commands/graph.js";
import { loadModel } from "../../compiler/cli/load-model.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { CHROMIUM, NO_BROWSER, openPage } from "./browser.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const O2P = path.join(ROOT, "examples", "o2p-layer", "model.ts");

describe.skipIf(NO_BROWSER)(`graph -o out.html in headless Chromium (needs ${CHROMIUM})`, () => {
  let tmp: string;
  let browser: Browser;
  let page: Page;
  let forward: Graph;
  let full: Graph;
  let problems: string[];

  beforeAll(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-html-")));
    await graphCommand(O2P, { out: path.join(tmp, "o2p.html") });
    forward = (await loadModel(O2P)).build();
    full = differentiate(forward).graph;
    ({ browser, page, problems } = await openPage(path.join(tmp, "o2p.html")));
  });

  afterAll(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const visibleNodes = () => page.locator(".view:not([hidden]) g.node");
  const node = (id: number) => page.locator(`.view:not([hidden]) g.node[data-node="${id}"]`);
  const viewBox = () => page.locator(".view:not([hidden]) svg").getAttribute("viewBox");

  it("opens on the forward graph and clicking a node shows its details", async () => {
    expect(await visibleNodes().count()).toBe(forward.nodes.length);
    const cov = forward.nodes.find((n) => n.op === "cov")!;
    await node(cov.id).click({ position: { x: 12, y: 5 } });
    const panel = page.locator("#details");
    await expect.poll(() => panel.textContent()).toContain(formatLoc(cov.loc!));
    const text = (await panel.textContent())!;
    expect(text).toContain("cov");
    expect(text).toContain("f32[4,4] spd");
    expect(text).toContain("eps");
    expect(await panel.locator("a").first().getAttribute("href")).toBe(`${path.relative(tmp, O2P).split(path.sep).join("/")}#L${cov.loc!.line}`);
    expect(await node(cov.id).getAttribute("class")).toContain("selected");
  });

  it("pans on drag and zooms on the wheel", async () => {
    const canvas = await page.locator("#canvas").boundingBox();
    const before = await viewBox();
    await page.mouse.move(canvas!.x + 40, canvas!.y + canvas!.height - 40);
    await page.mouse.down();
    await page.mouse.move(canvas!.x + 140, canvas!.y + canvas!.height - 100, { steps: 5 });
    await page.mouse.up();
    const panned = await viewBox();
    expect(panned).not.toBe(before);
    await page.mouse.wheel(0, -300);
    await expect.poll(viewBox).not.toBe(panned);
    const [, , w1] = panned!.split(" ").map(Number);
    const [, , w2] = (await viewBox())!.split(" ").map(Number);
    expect(w2).toBeLessThan(w1);
    // Fit shows the whole drawing again.
    await page.click("#fit");
    const [, , w3, h3] = (await viewBox())!.split(" ").map(Number);
    const svg = page.locator(".view:not([hidden]) svg .background");
    expect(w3).toBeGreaterThanOrEqual(Number(await svg.getAttribute("width")));
    expect(h3).toBeGreaterThanOrEqual(Number(await svg.getAttribute("height")));
  });

  it("toggles to the forward + backward graph; a backward node names the node it differentiates", async () => {
    await page.click('.toggle button[data-view="full"]');
    expect(await visibleNodes().count()).toBe(full.nodes.length);
    expect(full.nodes.length).toBeGreaterThan(forward.nodes.length);
    expect(await page.locator(".view:not([hidden]) g.node.backward").count()).toBe(full.nodes.filter((n) => n.gradOf).length);
    expect(await page.locator(".view:not([hidden]) g.cluster").count()).toBeGreaterThan(0);

    const loewner = full.nodes.find((n) => n.op === "loewner" && n.gradOf)!;
    await page.click("#fit");
    await node(loewner.id).click({ position: { x: 12, y: 5 } });
    const panel = page.locator("#details");
    await expect.poll(() => panel.textContent()).toContain("Differentiates");
    const text = (await panel.textContent())!;
    expect(text).toContain("loewner");
    expect(text).toContain(`spectralFn`);
    expect(text).toContain(formatLoc(loewner.loc!));
    expect(text).toMatch(/Kernel\s*matmul/);
    expect(await page.locator(".view:not([hidden]) .grad-link.related").count()).toBe(1);

    await page.click('.toggle button[data-view="forward"]');
    expect(await visibleNodes().count()).toBe(forward.nodes.length);
  });

  it("logged no console errors and made no network requests", () => {
    expect(problems).toEqual([]);
  });

  it("the standalone SVGs parse as image/svg+xml in the browser", async () => {
    for (const backward of [false, true]) {
      const out = path.join(tmp, backward ? "b.svg" : "f.svg");
      await graphCommand(O2P, { out, backward });
      const svg = fs.readFileSync(out, "utf8");
      const r = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, "image/svg+xml");
        return { errors: doc.getElementsByTagName("parsererror").length, nodes: doc.querySelectorAll("g.node").length };
      }, svg);
      expect(r).toEqual({ errors: 0, nodes: (backward ? full : forward).nodes.length });
    }
  });
});
