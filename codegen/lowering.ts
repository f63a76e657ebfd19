/**
 * The lowering registry: how each op that needs a kernel of its own becomes one or more dispatches
 * (registered by op name, one file per family under lowerings/). Elementwise and data-movement ops
 * have no entry: they become fused expressions (expr.ts).
 */
import type { Node, Value } from "../ir/graph.js";
import type { KernelSource } from "./kernel.js";
import type { Expr } from "./expr.js";
import type { BuiltKernel } from "./kernels/builder.js";

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
  lower(ctx: LowerContext): void;
}

const LOWERINGS = new Map<string, Lowering>();

export function defineLowering(op: string, l: Lowering): void {
  if (LOWERINGS.has(op)) throw new Error(`two lowerings for '${op}'`);
  LOWERINGS.set(op, l);
}

export function getLowering(op: string): Lowering | undefined {
  return LOWERINGS.get(op);
}

export function loweredOps(): string[] {
  return [...LOWERINGS.keys()];
}
