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
import { constant, EXPR_OPS, exprCost, load, loadsOf, op, type Expr } from "./expr.js";
import { mustCheckEveryElement } from "./domain.js";
import { getLowering } from "./lowering.js";
import "./lowerings/index.js";

/** Expressions costing more than this per element are materialised once instead of recomputed per use. */
const MAX_FUSED_COST = 4096;
/** Matrix dims up to this fit one tile of the matmul kernel (kernels/matmul.ts TILE). */
const PRODUCT_TILE = 8;
/** Elementwise ops (by arity) that may ride on a matmul as its epilogue. */
const ELEMENTWISE_ARITY: Record<string, number> = { add: 2, sub: 2, mul: 2, div: 2, maximum: 2, minimum: 2, neg: 1, exp: 1, log: 1, sqrt: 1, abs: 1, pow: 1, sign: 1, tanh: 1, sigmoid: 1 };

export const isConstant = (n: Node) => n.op === "constant" || n.op === "dimSize";
export const isSource = (n: Node) => n.op === "input" || n.op === "param";

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
  /** Values held in buffers (sources, kernel outputs, outputs), by id. */
  readonly materialised: ReadonlySet<number>;
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
    if (EXPR_OPS.has(node.op)) return true;
    const l = getLowering(node.op);
    return l !== undefined && (l.exprInputs === "all" || l.exprInputs[index] === true);
  };
  const someConsumerNeedsBuffer = (v: Value) => (consumers.get(v) ?? []).some((c) => !takesExpr(c.node, c.index));

  // A product of small matrices (every dim within one matmul tile) may be computed inside its
  // consumer: a fused operand is re-evaluated once per tile that reads it, so only products that
  // fit a single tile stay cheap (larger ones would be recomputed many times: measured on
  // SwiftShader, fusing d = 32 products made the O2P step 18× slower than not fusing them).
  const fusibleProduct = (n: Node) =>
    fuse && n.op === "matmul" && n.inputs.every((v) => v.type.shape.length >= 2) && [...n.inputs.map(shape), shape(n.outputs[0])].every((s) => s[s.length - 1] <= PRODUCT_TILE && s[s.length - 2] <= PRODUCT_TILE);

  // Expressions and materialisation, in definition order.
  const exprs = new Map<Value, Expr>();
  /** Materialised expression nodes that need a map kernel, with the tree it evaluates. */
  const mapTree = new Map<Node, Expr>();
  const materialised = new Set<Value>();
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
    } else if (EXPR_OPS.has(n.op) || fusibleProduct(n)) {
      const e = op(n.op, n.inputs.map(exprOf), shape(v), n.attrs, n.id);
      if (!fuse || materialise.has(n) || outputs.has(v) || someConsumerNeedsBuffer(v) || exprCost(e) > MAX_FUSED_COST || (consumers.get(v) ?? []).some((c) => mustCheckEveryElement(e, c.node.op))) {
        materialised.add(v);
        exprs.set(v, load(v.id, shape(v)));
        // A product that needs a buffer goes to the tiled matmul kernel, not a per-element loop.
        if (n.op !== "matmul") mapTree.set(n, e);
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
    if (isSource(n) || fusedAway.has(n)) continue;
    const expr = mapTree.get(n);
    if (expr) {
      kernels.push({ kind: "map", root: n, expr, nodes: [n, ...fusedInto(n)], reads: loadsOf(expr), writes: [n.outputs[0].id] });
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
    kernels.push({ kind: "lowering", root: n, epilogue, nodes: [...new Set(nodes)], reads, writes: epilogue ? [epilogue.consumer.outputs[0].id] : n.outputs.map((v) => v.id) });
  }
  return { kernels, exprOf, shape, materialised: new Set([...materialised].map((v) => v.id)) };
}

/**
 * Epilogues: a chain of elementwise nodes after a matmul, at the matmul's own shape, ending in a
 * materialised node, is computed by the matmul kernel as it stores each entry: no buffer and no
 * dispatch for the product itself. Each link of the chain must have that one consumer, so the
 * product is read nowhere else; the product's loads in the chain's tree become the accumulator,
 * and where it is read at other coordinates there is no epilogue.
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
  for (const n of g.nodes) {
    const m = n.outputs[0];
    if (n.op !== "matmul" || !materialised.has(m) || outputs.has(m) || n.inputs.some((v) => v.type.shape.length < 2)) continue;
    const target = shape(m).join();
    let c = soleConsumer(m);
    while (c && !mapTree.has(c) && c.op in ELEMENTWISE_ARITY && !materialised.has(c.outputs[0])) c = soleConsumer(c.outputs[0]);
    if (!c || !mapTree.has(c) || !(c.op in ELEMENTWISE_ARITY) || taken.has(c) || shape(c.outputs[0]).join() !== target) continue;
    const acc = op("accumulator", [], shape(m));
    let misplaced = false;
    const swap = (e: Expr, aligned: boolean): Expr => {
      if (e.kind === "load" && e.value === m.id) {
        if (!aligned) misplaced = true;
        return acc;
      }
      if (e.kind !== "op") return e;
      const keeps = aligned && e.op in ELEMENTWISE_ARITY && e.shape.join() === target;
      return { ...e, args: e.args.map((a) => swap(a, keeps && a.shape.join() === target)) };
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
