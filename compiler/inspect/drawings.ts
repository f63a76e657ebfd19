/**
 * Everything the inspector draws for one graph: every node, each collapsed grouping that groups
 * something, and the gradient paths. Layout happens here, in Node, so the page needs no layout
 * engine: switching the grouping in the page switches between drawings made in advance.
 */
import type { Graph } from "../../ir/graph.js";
import { describeGraph, type GraphView } from "./describe.js";
import { collapseView, GROUPINGS, groupsOf, type Grouping } from "./groups.js";
import type { Kernels } from "./kernels.js";
import { layoutGraph, type GraphLayout } from "./layout.js";
import { gradientPaths, type GradientPath } from "./paths.js";
import type { SourceLinker } from "./source.js";

export interface Drawing {
  readonly view: GraphView;
  readonly layout: GraphLayout;
}

export interface GraphDrawings {
  /** Every node. */
  readonly all: Drawing;
  /** Collapsed drawings for the groupings that group two or more nodes somewhere. */
  readonly grouped: Partial<Record<Grouping, Drawing>>;
  readonly paths: readonly GradientPath[];
}

export function drawing(view: GraphView): Drawing {
  return { view, layout: layoutGraph(view) };
}

export function graphDrawings(g: Graph, kernels: Kernels, link?: SourceLinker): GraphDrawings {
  const view = describeGraph(g, kernels, link);
  const grouped: Partial<Record<Grouping, Drawing>> = {};
  for (const by of GROUPINGS) if (groupsOf(view, by).length) grouped[by] = drawing(collapseView(view, by));
  return { all: drawing(view), grouped, paths: gradientPaths(view) };
}
