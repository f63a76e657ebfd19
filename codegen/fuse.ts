/**
 * Fusion, the first pass of the lowering: which nodes form one kernel, and which values each kernel
 * reads and writes. A value is *materialised* (kept in a buffer) when it is an input, param or
 * output, the output of an op that needs a kernel of its own, or an expression some consumer cannot
 * take as an expression (or too costly to recompute per use, or a domain-checked expression that
 * a consumer would read only in part: domain.ts); every other elementwise,
 * data-movement or small-product node becomes an expression tree evaluated inside each kernel that
 * consumes it (expr.ts). A matmul whose only consumer chain is elementwise at its own shape computes
 * that chain as its epilogue. The reads of a kernel are every buffer its operand expressions and its
 * epilogue load — including values loaded by fused producers and inlined products — so the
 * scheduler sees every true dependency.
 *
 * With `fuse: false` every node gets its own kernel and buffer: the unfused baseline that
 * `matprop stats` compares against.
 */
import { fail, formatLoc } from "../ir/diagnostics.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import type { Dim } from "../ir/types.js";
import { constant, exprCost, load, loadsOf, op, type Expr } from "./expr.js";
import { mustCheckEveryElement } from "./domain.js";
import { getLowering } from "./lowerings/index.js";
import { opInGroup } from "../ir/registry.js";

/** Expressions costing more than this per element are materialised once instead of recomputed per use. */
const MAX_FUSED_COST = 4096;
/** Matrix dims up to this fit one tile of the matmul kernel (kernels/matmul.ts TILE). */
const PRODUCT_TILE = 8;
/** Elementwise ops (the op group) may ride on a matmul as its epilogue. */
const isElementwise = (op: string) => opInGroup(op, "elementwise");

export const isConstant = (n: Node) => n.op === "constant" || n.op === "dimSize";
export const isSource = (n: Node) => opInGroup(n.op, "source");

/** One kernel of the fused program (it may lower to several dispatches, e.g. an eigensolver and a product). */
export interface FusedKernel {
  /**
   * "lowering": `root`'s op lowering runs (lowering.ts); "map": `expr` is evaluated per element of
   * `root`'s output (a materialised expression or constant).
   */
  readonly kind: "lowering" | "map";
  readonly root: Node;
  /** For "map": the expression tree written to root's output, at that output's shape. */
  readonly expr?: Expr;
  /** An elementwise consumer chain computed as the root's epilogue: the kernel writes `consumer`'s output. */
  readonly epilogue?: { readonly consumer: Node; readonly expr: Expr };
  /** Nodes with kernels of their own that the root's kernel computes too (Lowering.absorbs). */
  readonly absorbed: readonly Node[];
  /** Every IR node the kernel computes: root first, then fused producers and the epilogue chain. */
  readonly nodes: readonly Node[];
  /** Materialised value ids the kernel reads. */
  readonly reads: ReadonlySet<number>;
  /** Value ids it writes. */
  readonly writes: readonly number[];
}

export interface Fusion {
  /** In the graph order of their roots (not yet scheduled). */
  readonly kernels: readonly FusedKernel[];
  /** A value as an operand expression: a load of its buffer, or its fused producer tree. */
  exprOf(v: Value): Expr;
  /** Concrete shape of a value. */
  shape(v: Value): number[];
  /** Values held in buffers (sources, kernel outputs, outputs, views), by id. */
  readonly materialised: ReadonlySet<number>;
  /**
   * Views: a reshape of a value held in a buffer is that buffer (the same elements in the same
   * order) — no kernel writes it. View value id → the value id whose buffer holds it.
   */
  readonly views: ReadonlyMap<number, number>;
}

export interface FuseOptions {
  /** Fuse elementwise ops into their consumers (default true). */
  readonly fuse?: boolean;
}

/**
 * Storage buffers one fused kernel may bind: WebGPU guarantees maxStorageBuffersPerShaderStage ≥ 8
 * on every device, and one is kept for a kernel's status buffer. Bundles run anywhere, so the
 * portable limit applies whatever the device at hand allows.
 */
export const MAX_KERNEL_BUFFERS = 7;

/**
 * Fuses as much as the binding limit allows: a kernel whose fused expressions read more buffers
 * than MAX_KERNEL_BUFFERS leaves (with its outputs) gets one of its fused subtrees materialised —
 * the largest that fits a kernel of its own — and fusion runs again, until every kernel fits.
 */
export function fuseGraph(g: Graph, dims: ReadonlyMap<string, number>, opts: FuseOptions = {}): Fusion {
  const materialise = new Set<Node>();
  for (;;) {
    const f = fuseWith(g, dims, opts.fuse ?? true, materialise);
    const over = f.kernels.find((k) => k.reads.size + k.writes.length > MAX_KERNEL_BUFFERS);
    if (!over) return f;
    const loads = (n: Node) => loadsOf(f.exprOf(n.outputs[0])).size;
    const candidates = over.nodes.filter((n) => n !== over.root && n !== over.epilogue?.consumer && !f.materialised.has(n.outputs[0].id) && loads(n) >= 2 && loads(n) < MAX_KERNEL_BUFFERS);
    if (!candidates.length) fail("MP9001", `lowering: ${describeKernel(over.nodes)} binds ${over.reads.size + over.writes.length} storage buffers, more than the ${MAX_KERNEL_BUFFERS} a kernel may, and has no fused subtree to split off`);
    materialise.add(candidates.reduce((best, n) => (loads(n) > loads(best) ? n : best)));
  }
}

function fuseWith(g: Graph, dims: ReadonlyMap<string, number>, fuse: boolean, materialise: ReadonlySet<Node>): Fusion {
  const dim = (d: Dim) => (typeof d === "number" ? d : (dims.get(d) ?? fail("MP4008", `dim ${d} is not bound by any input`)));
  const shape = (v: Value) => v.type.shape.map(dim);
  const constantValue = (n: Node) => (n.op === "constant" ? (n.attrs.value as number) : dim(n.attrs.dim as Dim));

  const consumers = new Map<Value, { node: Node; index: number }[]>();
  for (const n of g.nodes) n.inputs.forEach((v, index) => consumers.set(v, [...(consumers.get(v) ?? []), { node: n, index }]));
  const outputs = new Set(g.outputs.map((o) => o.value));
  const takesExpr = (node: Node, index: number) => {
    if (opInGroup(node.op, "expression")) return true;
    const l = getLowering(node.op);
    return l !== undefined && (l.exprInputs === "all" || l.exprInputs[index] === true);
  };
  const someConsumerNeedsBuffer = (v: Value) => (consumers.get(v) ?? []).some((c) => !takesExpr(c.node, c.index));

  // Values each of whose entries is read about once wherever they are used: by a reduction (which
  // visits every entry once), or by elementwise ops at the same shape whose results are themselves
  // read once or kept in a buffer (a map kernel computes each entry once).
  const readOnce = new Set<Value>();
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const v = g.nodes[i].outputs[0];
    const cs = consumers.get(v) ?? [];
    const once = (c: Node, index: number) =>
      c.op === "sum" || c.op === "mean" || getLowering(c.op)?.readsOnce?.(index) === true || (isElementwise(c.op) && shape(c.outputs[0]).join() === shape(v).join() && (outputs.has(c.outputs[0]) || someConsumerNeedsBuffer(c.outputs[0]) || readOnce.has(c.outputs[0])));
    if (v && cs.length && !outputs.has(v) && cs.every((c) => once(c.node, c.index))) readOnce.add(v);
  }

  // A product may be computed inside its consumer when every dim fits one matmul tile, or when its
  // inner dim does and its consumers read each entry once (a row sum of F·Fᵀ with F [n, 3]): a
  // fused operand is re-evaluated wherever it is read, and a matmul consumer reads a tile's
  // operands once per tile (measured on SwiftShader: fusing d = 32 products into the O2P step's
  // products made it 18× slower than not fusing them); an entry read once costs its inner dim,
  // about what the tiled kernel spends on it, without the dispatch and the round trip.
  const operandShapes = (n: Node) => [...n.inputs.map(shape), shape(n.outputs[0])];
  const smallProduct = (n: Node) => operandShapes(n).every((s) => s[s.length - 1] <= PRODUCT_TILE && s[s.length - 2] <= PRODUCT_TILE);
  const shortProduct = (n: Node) => shape(n.inputs[0])[shape(n.inputs[0]).length - 1] <= PRODUCT_TILE && readOnce.has(n.outputs[0]);
  const fusibleProduct = (n: Node) => fuse && n.op === "matmul" && n.inputs.every((v) => v.type.shape.length >= 2) && (smallProduct(n) || shortProduct(n));
  // A sum or mean whose only consumers are reductions folds into them (one reduction over both
  // sets of axes: lowerings/reduce.ts).
  const isReduction = (n: Node) => n.op === "sum" || n.op === "mean";
  const fusibleReduction = (n: Node) => fuse && isReduction(n) && !outputs.has(n.outputs[0]) && (consumers.get(n.outputs[0]) ?? []).every((c) => isReduction(c.node) && c.node.inputs.length === 1);
  // An op with an expression form (a covariance) read once is computed inside its consumer.
  const inlined = (n: Node) => (fuse && readOnce.has(n.outputs[0]) ? getLowering(n.op)?.asExpr?.(n, n.inputs.map(exprOf), shape(n.outputs[0])) : undefined);

  // Expressions and materialisation, in definition order.
  const exprs = new Map<Value, Expr>();
  /** Materialised expression nodes that need a map kernel, with the tree it evaluates. */
  const mapTree = new Map<Node, Expr>();
  const materialised = new Set<Value>();
  /** View → the value whose buffer holds it (never itself a view). */
  const views = new Map<Value, Value>();
  const exprOf = (v: Value): Expr => exprs.get(v)!;
  for (const n of g.nodes) {
    const v = n.outputs[0];
    if (isSource(n)) {
      materialised.add(v);
      exprs.set(v, load(v.id, shape(v)));
    } else if (isConstant(n)) {
      // Consumers take the literal (constants are scalars, and every kernel takes scalars as
      // expressions); a constant needs a buffer only as an output.
      const c = constant(constantValue(n));
      exprs.set(v, c);
      if (outputs.has(v)) {
        materialised.add(v);
        mapTree.set(n, v.type.shape.length ? op("broadcastTo", [c], shape(v)) : c);
      }
    } else if (opInGroup(n.op, "expression") || fusibleProduct(n) || fusibleReduction(n) || inlined(n)) {
      const e = inlined(n) ?? op(n.op, n.inputs.map(exprOf), shape(v), n.attrs, n.id);
      if (fuse && n.op === "reshape" && materialised.has(n.inputs[0]) && (outputs.has(v) || someConsumerNeedsBuffer(v))) {
        // A reshape of a buffer is that buffer: consumers that need a buffer bind it, expression
        // consumers read the original (e loads it), and no kernel copies it.
        materialised.add(v);
        views.set(v, views.get(n.inputs[0]) ?? n.inputs[0]);
        exprs.set(v, e);
      } else if (!fuse || materialise.has(n) || outputs.has(v) || someConsumerNeedsBuffer(v) || (exprCost(e) > MAX_FUSED_COST && !fusibleReduction(n)) || (consumers.get(v) ?? []).some((c) => mustCheckEveryElement(e, c.node.op))) {
        materialised.add(v);
        exprs.set(v, load(v.id, shape(v)));
        // A product or reduction that needs a buffer goes to its own kernel, not a per-element loop.
        if (!getLowering(n.op)) mapTree.set(n, e);
      } else exprs.set(v, e);
    } else {
      if (!getLowering(n.op)) fail("MP3002", `op '${n.op}' has no WebGPU lowering`, n.loc);
      for (const o of n.outputs) {
        materialised.add(o);
        exprs.set(o, load(o.id, shape(o)));
      }
    }
  }

  const epilogueOf = fuse ? findEpilogues(g, materialised, mapTree, consumers, outputs, shape) : new Map<Node, { consumer: Node; expr: Expr }>();
  const fusedAway = new Set([...epilogueOf.values()].map((e) => e.consumer));
  for (const m of epilogueOf.keys()) materialised.delete(m.outputs[0]);
  for (const [view, of] of views) if (!materialised.has(of)) fail("MP9001", `lowering: %${view.id} is a view of %${of.id}, which fusion left without a buffer`, view.node.loc);

  // Absorption: a kernel that also computes a sibling or consumer (lowering.ts `absorbs`). Only
  // nodes whose operands are defined before the absorbing node (or are its outputs) qualify, so
  // the merged kernel never waits on itself.
  const absorbedBy = new Map<Node, Node[]>();
  const absorbed = new Set<Node>();
  if (fuse) {
    const order = new Map(g.nodes.map((n, i) => [n, i]));
    const hasKernel = (n: Node) => !isSource(n) && !mapTree.has(n) && !fusedAway.has(n) && !epilogueOf.has(n) && !views.has(n.outputs[0]) && n.outputs.some((v) => materialised.has(v));
    for (const n of g.nodes) {
      const l = getLowering(n.op);
      if (!l?.absorbs || !hasKernel(n) || absorbed.has(n)) continue;
      const near = new Set([...n.inputs, ...n.outputs].flatMap((v) => (consumers.get(v) ?? []).map((c) => c.node)));
      const taken = [...near].filter((m) => m !== n && !absorbed.has(m) && !absorbedBy.has(m) && hasKernel(m) && m.inputs.every((v) => v.node === n || order.get(v.node)! < order.get(n)!) && l.absorbs!(n, m));
      if (!taken.length) continue;
      absorbedBy.set(n, taken);
      for (const m of taken) absorbed.add(m);
    }
  }

  /** The expression nodes computed inside a kernel for `n`: producers reached through values kept out of buffers. */
  const fusedInto = (n: Node): Node[] => {
    const seen = new Set<Node>();
    const walk = (m: Node) => {
      for (const v of m.inputs) {
        if (materialised.has(v) || seen.has(v.node) || isSource(v.node)) continue;
        seen.add(v.node);
        walk(v.node);
      }
    };
    walk(n);
    return [...seen].filter((m) => !isConstant(m));
  };
  /** The buffers node `n`'s kernel reads for its operands. */
  const operandReads = (n: Node, into: Set<number>) =>
    n.inputs.forEach((v, i) => {
      if (takesExpr(n, i)) loadsOf(exprOf(v), into);
      else if (materialised.has(v)) into.add(v.id);
      else fail("MP9001", `%${v.id}, operand ${i} of ${n.op} %${n.outputs[0].id}, has no buffer`, n.loc);
    });

  const kernels: FusedKernel[] = [];
  for (const n of g.nodes) {
    if (isSource(n) || fusedAway.has(n) || absorbed.has(n) || views.has(n.outputs[0])) continue;
    const expr = mapTree.get(n);
    if (expr) {
      kernels.push({ kind: "map", root: n, expr, nodes: [n, ...fusedInto(n)], reads: loadsOf(expr), writes: [n.outputs[0].id], absorbed: [] });
      continue;
    }
    if (!n.outputs.some((v) => materialised.has(v)) && !epilogueOf.has(n)) continue;
    const epilogue = epilogueOf.get(n);
    const reads = new Set<number>();
    operandReads(n, reads);
    const nodes = [n, ...fusedInto(n)];
    if (epilogue) {
      loadsOf(epilogue.expr, reads);
      nodes.push(epilogue.consumer, ...fusedInto(epilogue.consumer));
    }
    const also = absorbedBy.get(n) ?? [];
    for (const m of also) {
      operandReads(m, reads);
      nodes.push(m, ...fusedInto(m));
    }
    for (const v of n.outputs) reads.delete(v.id);
    const writes = [...(epilogue ? [epilogue.consumer.outputs[0].id] : n.outputs.map((v) => v.id)), ...also.flatMap((m) => m.outputs.map((v) => v.id))];
    kernels.push({ kind: "lowering", root: n, epilogue, nodes: [...new Set(nodes)], reads, writes, absorbed: also });
  }
  return { kernels, exprOf, shape, materialised: new Set([...materialised].map((v) => v.id)), views: new Map([...views].map(([v, of]) => [v.id, of.id])) };
}

/** Ops that only rearrange a value's entries: a matmul epilogue may store through them (kernels/matmul.ts). */
const VIEW_OPS = new Set(["transpose", "reshape"]);

/**
 * Epilogues: a chain of elementwise nodes after a kernel that takes one (Lowering.epilogue: a
 * matmul, a reduction, a convolution), ending in a materialised node, is computed by that kernel
 * as it stores each entry: no buffer and no dispatch for the product or sum itself. Where the
 * lowering allows ("views") the chain may rearrange the entries (transposes and reshapes: the
 * kernel stores each entry where the consumer has it). Each link of the chain must have that one consumer, so the
 * product is read nowhere else; the product's load in the chain's tree becomes the accumulator,
 * and where it is read at other coordinates (broadcast into a larger shape) there is no epilogue.
 */
function findEpilogues(
  g: Graph,
  materialised: ReadonlySet<Value>,
  mapTree: ReadonlyMap<Node, Expr>,
  consumers: ReadonlyMap<Value, { node: Node }[]>,
  outputs: ReadonlySet<Value>,
  shape: (v: Value) => number[],
): Map<Node, { consumer: Node; expr: Expr }> {
  const epilogueOf = new Map<Node, { consumer: Node; expr: Expr }>();
  const taken = new Set<Node>();
  const soleConsumer = (v: Value) => {
    const cs = consumers.get(v) ?? [];
    return cs.length === 1 ? cs[0].node : undefined;
  };
  const count = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  for (const n of g.nodes) {
    const m = n.outputs[0];
    const kind = getLowering(n.op)?.epilogue?.(n);
    if (!kind || !materialised.has(m) || outputs.has(m)) continue;
    const canRide = (op: string) => isElementwise(op) || (kind === "views" && VIEW_OPS.has(op));
    let c = soleConsumer(m);
    while (c && !mapTree.has(c) && canRide(c.op) && !materialised.has(c.outputs[0])) c = soleConsumer(c.outputs[0]);
    if (!c || !mapTree.has(c) || !canRide(c.op) || taken.has(c) || count(shape(c.outputs[0])) !== count(shape(m))) continue;
    const acc = op("accumulator", [], shape(m));
    let misplaced = false;
    const swap = (e: Expr, aligned: boolean): Expr => {
      if (e.kind === "load" && e.value === m.id) {
        if (!aligned) misplaced = true;
        return acc;
      }
      if (e.kind !== "op") return e;
      // An entry keeps its place through elementwise ops at one shape; a view op moves it (the
      // kernel stores through the same moves).
      const child = (a: Expr) => aligned && (VIEW_OPS.has(e.op) || (isElementwise(e.op) && a.shape.join() === e.shape.join()));
      return { ...e, args: e.args.map((a) => swap(a, child(a))) };
    };
    const expr = swap(mapTree.get(c)!, true);
    if (misplaced) continue;
    epilogueOf.set(n, { consumer: c, expr });
    taken.add(c);
  }
  return epilogueOf;
}

/** "kernel of <op> %<id> at <loc> (+ fused <op> %<id>, …)" for internal-error messages. */
export function describeKernel(nodes: readonly Node[]): string {
  const name = (n: Node) => `${n.op} %${n.outputs[0]?.id ?? n.id}${n.loc ? ` at ${formatLoc(n.loc)}` : ""}`;
  const [root, ...rest] = nodes;
  return `the kernel of ${root ? name(root) : "no node"}${rest.length ? ` (with ${rest.map(name).join(", ")})` : ""}`;
}
