/**
 * `matprop graph <model.ts> [--backward] -o out.svg|out.html`: draw a model's graph. An .svg is one
 * drawing (forward, or forward + backward with --backward); an .html page holds both, with pan,
 * zoom, node details and a toggle between them (--backward picks the view it opens on).
 */
import fs from "node:fs";
import path from "node:path";
import { fail } from "../../../ir/diagnostics.js";
import type { Graph } from "../../../ir/graph.js";
import { bindInputs } from "../../../runtime/cpu/bind.js";
import { describeGraph } from "../../inspect/describe.js";
import { drawing, graphDrawings, type Drawing, type GraphDrawings } from "../../inspect/drawings.js";
import { renderHtml } from "../../inspect/html.js";
import { kernelGroups } from "../../inspect/kernels.js";
import { sourceLinker, type SourceLinker } from "../../inspect/source.js";
import { renderSvg } from "../../inspect/svg.js";
import { differentiate } from "../../passes/differentiate.js";
import { readInputs } from "../inputs.js";
import { loadGraph } from "../load-graph.js";

export interface GraphOptions {
  backward?: boolean;
  out: string;
  inputs?: string;
}

const FORMATS = [".svg", ".html", ".htm"];

function draw(g: Graph, dims: ReadonlyMap<string, number> | undefined, link: SourceLinker): Drawing {
  return drawing(describeGraph(g, kernelGroups(g, dims), link));
}

/** All drawings of `g` for the HTML page (every node, the collapsed groupings, gradient paths). */
function drawAll(g: Graph, dims: ReadonlyMap<string, number> | undefined, link: SourceLinker): GraphDrawings {
  return graphDrawings(g, kernelGroups(g, dims), link);
}

function summary(d: Drawing): string {
  const clusters = d.view.clusters.length;
  const note = d.view.kernelNote ? `; no kernel clusters: ${d.view.kernelNote}` : `, ${clusters} fused kernel${clusters === 1 ? "" : "s"}`;
  return `${d.view.nodes.length} nodes${note}`;
}

export async function graphCommand(file: string, opts: GraphOptions): Promise<string> {
  const ext = path.extname(opts.out).toLowerCase();
  if (!FORMATS.includes(ext)) fail("MP4010", `-o must name an .svg or .html file, got '${opts.out}'`);
  const forward = await loadGraph(file);
  const dims = opts.inputs === undefined ? undefined : bindInputs(forward, readInputs(opts.inputs)).dims;
  const link = sourceLinker(opts.out);

  let text: string;
  let line: string;
  if (ext === ".svg") {
    const d = draw(opts.backward ? differentiate(forward).graph : forward, dims, link);
    text = renderSvg(d.view, d.layout, { standalone: true });
    line = summary(d);
  } else {
    const fwd = drawAll(forward, dims, link);
    let full: GraphDrawings | undefined;
    let fullNote: string | undefined;
    try {
      full = drawAll(differentiate(forward).graph, dims, link);
    } catch (e) {
      // A model without a differentiable `loss` still gets its forward page; --backward insists.
      if (opts.backward) throw e;
      fullNote = e instanceof Error ? e.message : String(e);
    }
    text = renderHtml({ forward: fwd, full, fullNote, initial: opts.backward && full ? "full" : "forward" });
    line = `forward ${summary(fwd.all)}${full ? `; forward + backward ${summary(full.all)}` : ""}`;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    fs.writeFileSync(opts.out, text);
  } catch (e) {
    fail("MP4010", `cannot write ${opts.out}: ${(e as Error).message}`);
  }
  return `wrote ${opts.out} (${line})\n`;
}
