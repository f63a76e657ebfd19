/**
 * The gradient pipeline: canonical forms and the spectral rewrite of the forward graph, the adjoint pass, then
 * simplification (with CSE and dead-code elimination) so that the backward graph a user reads
 * has no redundant node. Every stage's result is verified.
 */
import type { Graph } from "../../ir/graph.js";
import { verify } from "../../ir/verify.js";
import { addBackward, type AdjointOptions } from "./adjoint.js";
import { rewrite, type RewriteStats } from "./rewrite.js";
import { SIMPLIFY_RULES } from "./simplify.js";
import { SPECTRAL_REWRITE } from "./spectral-rewrite.js";
import { CANONICALIZE_RULES } from "./canonicalize.js";

export interface Differentiated {
  /** Forward + backward, simplified: what runs and what users read. */
  readonly graph: Graph;
  /** The same before simplification (for `--stats`). */
  readonly unsimplified: Graph;
  readonly stats: RewriteStats;
}

export function differentiate(forward: Graph, opts: AdjointOptions = {}): Differentiated {
  const stats: RewriteStats = { fired: new Map() };
  const rewritten = rewrite(forward, [...CANONICALIZE_RULES, SPECTRAL_REWRITE], stats);
  verify(rewritten);
  const unsimplified = addBackward(rewritten, opts);
  verify(unsimplified);
  const graph = rewrite(unsimplified, SIMPLIFY_RULES, stats);
  verify(graph);
  return { graph, unsimplified, stats };
}
