/**
 * Graph → kernel program. Decides which values live in buffers (inputs, params, kernel outputs,
 * graph outputs, and fused expressions some kernel cannot take as an expression) and which are
 * fused into their consumers; lowers each kernel op through the registry; plans buffers by
 * liveness. With `fuse: false` every node gets its own kernel and buffer: the unfused baseline
 * that `matprop stats` compares against.
 */
import { fail, formatLoc } from "../../ir/diagnostics.js";
import type { Graph, Node, Value } from "../../ir/graph.js";
import type { Dim } from "../../ir/types.js";
import type { KernelSource } from "../../runtime/webgpu/kernel.js";
import type { Program, Step, TensorSlot } from "../../runtime/webgpu/program.js";
import { constant, EXPR_OPS, exprCost, load, op, type Expr } from "./expr.js";
import { mapKernel } from "./kernels/map.js";
import type { BuiltKernel } from "./kernels/builder.js";
import { getLowering, type LowerContext } from "./lowering.js";

/** Elementwise ops (by arity) that may ride on a matmul as its epilogue. */
const ELEMENTWISE_ARITY: Record<string, number> = { add: 2, sub: 2, mul: 2, div: 2, maximum: 2, neg: 1, exp: 1, log: 1, sqrt: 1, abs: 1, pow: 1, sign: 1 };
import { planBuffers, type Lifetime } from "./plan.js";
import "./lowerings/index.js";

export interface LowerOptions {
  /** Fuse elementwise ops into their consumers (default true). */
  readonly fuse?: boolean;
  readonly workgroupStorageBytes?: number;
}

export interface Lowered {
  readonly program: Program;
  /** Bytes with one buffer per value, for comparison with the plan. */
  readonly naiveBytes: number;
}

/** Expressions costing more than this per element are materialised once instead of recomputed per use. */
const MAX_FUSED_COST = 4096;
/** Matrix dims up to this fit one tile of the matmul kernel (kernels/matmul.ts TILE). */
const PRODUCT_TILE = 8;

const isConstant = (n: Node) => n.op === "constant" || n.op === "dimSize";
const isSource = (n: Node) => n.op === "input" || n.op === "param";

export function lowerGraph(g: Graph, dims: ReadonlyMap<string, number>, opts: LowerOptions = {}): Lowered {
  const fuse = opts.fuse ?? true;
  const storage = opts.workgroupStorageBytes ?? 16384;
  const dim = (d: Dim) => (typeof d === "number" ? d : (dims.get(d) ?? fail("MP4008", `dim ${d} is not bound by any input`)));
  const shape = (v: Value) => v.type.shape.map(dim);

  const consumers = new Map<Value, { node: Node; index: number }[]>();
  for (const n of g.nodes) n.inputs.forEach((v, index) => consumers.set(v, [...(consumers.get(v) ?? []), { node: n, index }]));
  const outputs = new Set(g.outputs.map((o) => o.value));

  // A product of small matrices (every dim within one matmul tile) may be computed inside its
  // consumer: a fused operand is re-evaluated once per tile that reads it, so only products that
  // fit a single tile stay cheap (larger ones would be recomputed many times: measured on
  // SwiftShader, fusing d = 32 products made the O2P step 18× slower than not fusing them).
  const fusibleProduct = (n: Node) =>
    fuse && n.op === "matmul" && n.inputs.every((v) => v.type.shape.length >= 2) && [...n.inputs.map(shape), shape(n.outputs[0])].every((s) => s[s.length - 1] <= PRODUCT_TILE && s[s.length - 2] <= PRODUCT_TILE);
  const takesExpr = (c: { node: Node; index: number }) => {
    if (EXPR_OPS.has(c.node.op)) return true;
    const l = getLowering(c.node.op);
    return l !== undefined && (l.exprInputs === "all" || l.exprInputs[c.index] === true);
  };

  // Expressions and materialisation, in definition order.
  const exprs = new Map<Value, Expr>();
  const fusedTree = new Map<Node, Expr>();
  const materialised = new Set<Value>();
  const exprOf = (v: Value): Expr => exprs.get(v)!;
  for (const n of g.nodes) {
    if (isSource(n)) {
      materialised.add(n.outputs[0]);
      exprs.set(n.outputs[0], load(n.outputs[0].id, shape(n.outputs[0])));
      continue;
    }
    if (isConstant(n)) {
      const value = n.op === "constant" ? (n.attrs.value as number) : dim(n.attrs.dim as Dim);
      exprs.set(n.outputs[0], constant(value));
      if (outputs.has(n.outputs[0])) materialised.add(n.outputs[0]);
      continue;
    }
    if (EXPR_OPS.has(n.op) || fusibleProduct(n)) {
      const v = n.outputs[0];
      const e = op(n.op, n.inputs.map(exprOf), shape(v), n.attrs);
      const needsBuffer = !fuse || outputs.has(v) || (consumers.get(v) ?? []).some((c) => !takesExpr(c)) || exprCost(e) > MAX_FUSED_COST;
      if (needsBuffer) {
        materialised.add(v);
        exprs.set(v, load(v.id, shape(v)));
        // A product that needs a buffer goes to the tiled matmul kernel, not a per-element loop.
        if (n.op !== "matmul") fusedTree.set(n, e);
      } else exprs.set(v, e);
      continue;
    }
    if (!getLowering(n.op)) fail("MP3002", `op '${n.op}' has no WebGPU lowering`, n.loc);
    for (const v of n.outputs) {
      materialised.add(v);
      exprs.set(v, load(v.id, shape(v)));
    }
  }

  // Epilogues: a chain of elementwise nodes after a matmul, at the matmul's own shape, ending in a
  // materialised node, is computed by the matmul kernel as it stores each entry: no buffer and no
  // dispatch for the product itself. Each link of the chain must have that one consumer, so the
  // product is read nowhere else.
  const epilogueOf = new Map<Node, { consumer: Node; expr: Expr }>();
  const fusedAway = new Set<Node>();
  const soleConsumer = (v: Value) => {
    const cs = consumers.get(v) ?? [];
    return cs.length === 1 ? cs[0].node : undefined;
  };
  for (const m of fuse ? [...materialised] : []) {
    if (m.node.op !== "matmul" || outputs.has(m) || m.node.inputs.some((v) => v.type.shape.length < 2)) continue;
    const target = shape(m).join();
    let c = soleConsumer(m);
    while (c && !fusedTree.has(c) && c.op in ELEMENTWISE_ARITY && !materialised.has(c.outputs[0])) c = soleConsumer(c.outputs[0]);
    if (!c || !fusedTree.has(c) || !(c.op in ELEMENTWISE_ARITY) || fusedAway.has(c) || shape(c.outputs[0]).join() !== target) continue;
    // Replace the product's load by the accumulator; give up if it appears at other coordinates.
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
    const expr = swap(fusedTree.get(c)!, true);
    if (misplaced) continue;
    epilogueOf.set(m.node, { consumer: c, expr });
    fusedAway.add(c);
    materialised.delete(m);
  }

  // Kernels.
  const steps: { kernel: KernelSource; values: number[]; nodes: Node[] }[] = [];
  const sizes = new Map<number, number>();
  for (const v of materialised) sizes.set(v.id, shape(v).reduce((p, d) => p * d, 1));
  let nextTemp = -1;
  const names = new Map<string, number>();
  const name = (base: string) => {
    const k = names.get(base) ?? 0;
    names.set(base, k + 1);
    return k ? `${base}_${k}` : base;
  };
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
  for (const n of g.nodes) {
    if (isSource(n)) continue;
    const v0 = n.outputs[0];
    if (fusedAway.has(n)) continue;
    if ((EXPR_OPS.has(n.op) || isConstant(n)) && materialised.has(v0)) {
      const e = isConstant(n) ? constant(n.op === "constant" ? (n.attrs.value as number) : dim(n.attrs.dim as Dim)) : fusedTree.get(n)!;
      const k = mapKernel(name(`map_${n.op}`), e.shape.length === shape(v0).length ? e : op("broadcastTo", [e], shape(v0)), v0.id);
      steps.push({ kernel: k.kernel, values: [...k.values], nodes: [n, ...fusedInto(n)] });
      continue;
    }
    if (EXPR_OPS.has(n.op) || isConstant(n) || (fusibleProduct(n) && !materialised.has(v0) && !epilogueOf.has(n))) continue;
    const lowering = getLowering(n.op)!;
    const epi = epilogueOf.get(n);
    const alsoRuns = epi ? [epi.consumer, ...fusedInto(epi.consumer)] : [];
    const ctx: LowerContext = {
      node: n,
      shape,
      expr: (v) => exprOf(v),
      epilogue: epi?.expr,
      out: (i = 0) => (epi ? epi.consumer.outputs[0].id : n.outputs[i].id),
      temp: (s) => {
        const id = nextTemp--;
        sizes.set(id, s.reduce((p, d) => p * d, 1));
        return id;
      },
      emit: (k: BuiltKernel) => steps.push({ kernel: k.kernel, values: [...k.values], nodes: [...new Set([n, ...fusedInto(n), ...alsoRuns])] }),
      emitSource: (k, values) => steps.push({ kernel: k, values: [...values], nodes: [n, ...fusedInto(n)] }),
      name,
      workgroupStorageBytes: storage,
    };
    lowering.lower(ctx);
  }

  // Lifetimes → buffer plan.
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  steps.forEach((s, i) => {
    for (const id of s.values) {
      if (!first.has(id)) first.set(id, i);
      last.set(id, i);
    }
  });
  const sourceIds = g.sources().map((n) => n.outputs[0].id);
  const outputIds = g.outputs.map((o) => o.value.id);
  const lifetimes: Lifetime[] = [...sizes].map(([id, n]) => ({
    id,
    bytes: Math.max(4, n * 4),
    first: sourceIds.includes(id) ? -1 : (first.get(id) ?? -1),
    last: outputIds.includes(id) ? Number.MAX_SAFE_INTEGER : (last.get(id) ?? -1),
  }));
  const plan = planBuffers(lifetimes);
  const slot = (name: string, v: Value): TensorSlot => ({ name, buffer: plan.bufferOf.get(v.id)!, shape: shape(v), dtype: v.type.dtype });
  const program: Program = {
    name: g.name,
    buffers: plan.buffers,
    inputs: g.sources().map((n) => slot(n.attrs.name as string, n.outputs[0])),
    outputs: g.outputs.map((o) => slot(o.name, o.value)),
    steps: steps.map(
      (s): Step => ({
        kernel: s.kernel,
        buffers: s.values.map((id) => plan.bufferOf.get(id)!),
        nodes: s.nodes.map((n) => ({ id: n.id, op: n.op, ...(n.loc ? { loc: formatLoc(n.loc) } : {}) })),
      }),
    ),
  };
  return { program, naiveBytes: plan.naiveBytes };
}
