/**
 * The one rewrite engine (in the manner of tinygrad's PatternMatcher): a pass is a table of rules
 * (its phase is the table: differentiate.ts runs canonicalize + spectral, then the adjoint pass, then
 * simplify); `rewrite` rebuilds the graph in order, hash-conses identical nodes
 * (CSE), offers each new node to the rules, and repeats until nothing fires; dead nodes are
 * dropped at the end. Simplification, the spectral rewrite and (later) fusion are tables for it.
 */
import { MatpropError } from "../../ir/diagnostics.js";
import { Emitter } from "../../ir/emitter.js";
import { keepOutputs } from "../../ir/prune.js";
import { Graph, type Node, type Value } from "../../ir/graph.js";
import { formatType, satisfies } from "../../ir/types.js";
import { opInGroup } from "../../ir/registry.js";

export interface RewriteRule {
  readonly name: string;
  /**
   * Replacement values for `node`'s outputs, built with `e` (which tags new nodes with the
   * matched node's location), or undefined when the rule does not apply.
   */
  match(node: Node, e: Emitter): readonly Value[] | undefined;
}

export interface RewriteStats {
  /** How often each rule fired. */
  readonly fired: Map<string, number>;
}

const MAX_ROUNDS = 20;

function cseKey(node: Node, inputs: readonly Value[]): string | undefined {
  if (opInGroup(node.op, "source")) return undefined;
  return `${node.op}(${inputs.map((v) => v.id).join(",")})${JSON.stringify(node.attrs)}`;
}

/** Does `have` stand for `want`: same dtype and shape, and at least its structure? */
function standsFor(have: Value | undefined, want: Value): boolean {
  const a = have?.type;
  const b = want.type;
  return !!a && a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, k) => d === b.shape[k]) && satisfies(a.structure, b.structure);
}

/**
 * Every rewrite keeps values and what is known about them: a node of the graph being rewritten was
 * well typed, so its copy (over rewritten operands) or a rule's replacement that is ill-typed, or
 * knows less (a weaker structure a later `eigh` or `logm` would refuse), is a bug in matprop, never
 * the user's. It is reported as an internal error naming the rule (or the rules fired so far) and
 * the node's source line; a type error raised while rebuilding would otherwise read as a user's
 * MP2xxx.
 */
function internal(what: string, node: Node, detail: string): MatpropError {
  return new MatpropError("MP9001", `${what} ${node.op}: ${detail}`, node.loc);
}

/** A rule's replacement for `node`, checked (see `internal`). */
function applyRule(rule: RewriteRule, node: Node, e: Emitter): readonly Value[] | undefined {
  let replaced: readonly Value[] | undefined;
  try {
    replaced = rule.match(node, e);
  } catch (err) {
    throw internal(`rewrite rule '${rule.name}' built an ill-typed node for`, node, err instanceof Error ? err.message : String(err));
  }
  if (!replaced) return undefined;
  node.outputs.forEach((want, i) => {
    const have = replaced[i];
    if (!standsFor(have, want)) throw internal(`rewrite rule '${rule.name}' replaced`, node, `${formatType(want.type)} by ${have ? formatType(have.type) : "nothing"}`);
  });
  return replaced;
}

/** `node` copied into `out` over its rewritten operands, checked (see `internal`). */
function copyNode(out: Graph, node: Node, inputs: readonly Value[], gradOf: Node | undefined, stats: RewriteStats): Node {
  const after = `after rewrites (${[...stats.fired.keys()].join(", ")})`;
  let copy: Node;
  try {
    copy = out.add(node.op, inputs, node.attrs, node.loc, gradOf);
  } catch (err) {
    throw internal(`${after}, an ill-typed`, node, err instanceof Error ? err.message : String(err));
  }
  node.outputs.forEach((want, i) => {
    if (!standsFor(copy.outputs[i], want)) throw internal(`${after}, a weaker type for`, node, `${formatType(want.type)} became ${formatType(copy.outputs[i].type)}`);
  });
  return copy;
}

/** One rebuild: copy with CSE, then try the rules on each copied node. Returns whether any fired. */
function rebuild(g: Graph, rules: readonly RewriteRule[], stats: RewriteStats): { graph: Graph; changed: boolean } {
  const out = new Graph(g.name);
  const values = new Map<Value, Value>();
  const nodes = new Map<Node, Node>();
  const seen = new Map<string, Node>();
  let changed = false;
  for (const node of g.nodes) {
    const inputs = node.inputs.map((v) => values.get(v)!);
    const key = cseKey(node, inputs);
    let copy = key === undefined ? undefined : seen.get(key);
    if (copy) changed = true;
    else {
      copy = copyNode(out, node, inputs, node.gradOf && nodes.get(node.gradOf), stats);
      if (key !== undefined) seen.set(key, copy);
    }
    nodes.set(node, copy);
    let replaced: readonly Value[] | undefined;
    for (const rule of rules) {
      replaced = applyRule(rule, copy, new Emitter(out, copy.loc, copy.gradOf));
      if (replaced) {
        stats.fired.set(rule.name, (stats.fired.get(rule.name) ?? 0) + 1);
        changed = true;
        break;
      }
    }
    node.outputs.forEach((v, i) => values.set(v, replaced ? replaced[i] : copy!.outputs[i]));
  }
  for (const o of g.outputs) out.setOutput(o.name, values.get(o.value)!);
  return { graph: out, changed };
}

/** Drop nodes that no output depends on (inputs and params stay: they are the graph's interface). */
export function deadCodeElimination(g: Graph): Graph {
  return keepOutputs(g);
}

export function rewrite(g: Graph, rules: readonly RewriteRule[], stats: RewriteStats = { fired: new Map() }): Graph {
  let current = g;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { graph, changed } = rebuild(current, rules, stats);
    current = deadCodeElimination(graph);
    if (!changed) return current;
  }
  throw new MatpropError("MP9001", `rewrite did not settle after ${MAX_ROUNDS} rounds (rules: ${[...stats.fired.keys()].join(", ")})`);
}
