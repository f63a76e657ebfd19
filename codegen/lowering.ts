/**
 * The lowering registry: how each op that needs a kernel of its own becomes one or more dispatches
 * (by op name, one table per family under lowerings/, listed in lowerings/index.ts). Elementwise and data-movement ops
 * have no entry: they become fused expressions (expr.ts).
 */
import type { Node, Value } from "../ir/graph.js";
import type { KernelSource } from "./kernel.js";
import type { Expr } from "./expr.js";
import type { BuiltKernel } from "./kernels/scaffold.js";

export interface LowerContext {
  /** Concrete shape of a value. */
  shape(v: Value): number[];
  /** An operand as an expression: a load of its buffer, or its fused producer tree. */
  expr(v: Value): Expr;
  /**
   * An elementwise consumer fused in as an epilogue: the expression to store (its `accumulator`
   * leaves stand for this node's result). `out()` is then the consumer's value.
   */
  readonly epilogue?: Expr;
  /** The value id a kernel writes for output `i` of the node being lowered. */
  out(i?: number): number;
  /**
   * Nodes the kernel computes as well (Lowering.absorbs accepted them), each writing its own
   * outputs (their value ids are `n.outputs[i].id`).
   */
  readonly absorbed: readonly Node[];
  /** A temporary buffer of `shape` for this node's kernels; returns its value id. */
  temp(shape: readonly number[]): number;
  /** Add a generated kernel (its bindings are value ids). */
  emit(k: BuiltKernel): void;
  /** Add a hand-written kernel bound to these value ids (inputs then outputs, in binding order). */
  emitSource(k: KernelSource, values: readonly number[]): void;
  /** A fresh kernel name from a base. */
  name(base: string): string;
  /** The device's workgroup storage limit in bytes. */
  readonly workgroupStorageBytes: number;
  /** The Jacobi solvers' sweep cap, when not the default (LowerOptions.maxSweeps). */
  readonly maxSweeps?: number;
  readonly node: Node;
}

export interface Lowering {
  /** Which inputs may arrive as fused expressions (the rest are materialised into buffers first). */
  readonly exprInputs: readonly boolean[] | "all";
  /**
   * Whether this kernel also computes `other`, a node that reads the same operand (a sibling: the
   * softmax beside a cross-entropy of the same logits) or this node's outputs. Fusion offers only
   * nodes with a kernel of their own, no epilogue, and operands available before this node.
   */
  absorbs?(node: Node, other: Node): boolean;
  /**
   * Whether the kernel stores its output through an elementwise consumer chain (LowerContext
   * `epilogue`): "elementwise" for chains at the output's shape, "views" when it may also store
   * through transposes and reshapes (kernels/epilogue.ts); undefined for no epilogue.
   */
  epilogue?(node: Node): "elementwise" | "views" | undefined;
  /**
   * Whether the kernel reads each entry of operand `index` about once or not at all (a
   * decomposition loads its matrix once; spectralFn never reads the matrix it was computed from):
   * fusion then computes a costly producer — a covariance, a product with a short inner dim —
   * inside it rather than in a kernel of its own (fuse.ts `readOnce`).
   */
  readsOnce?(index: number): boolean;
  /**
   * The op as a fused expression of its operands, for a consumer that reads each entry once (a
   * covariance computed as an eigensolver loads its matrix); undefined where it has none.
   */
  asExpr?(node: Node, args: readonly Expr[], shape: readonly number[]): Expr | undefined;
  lower(ctx: LowerContext): void;
}

/** The lowerings one family file defines (codegen/lowerings/index.ts lists every family's table once). */
export class LoweringTable {
  readonly entries: [string, Lowering][] = [];

  define(op: string, l: Lowering): void {
    this.entries.push([op, l]);
  }
}
