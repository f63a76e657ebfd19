/**
 * What an op is. Each op is defined once, in `ir/ops/<family>.ts`: its name, type rule, float64
 * CPU evaluation and its derivative; ir/registry.ts collects them.
 */
import type { Attrs } from "./attrs.js";
import type { Dim, TensorType } from "./types.js";
import type { Node, Value } from "./graph.js";
import type { Emitter } from "./emitter.js";
import type { NDArray } from "../numeric/ndarray.js";

export type OpFamily = "source" | "elementwise" | "reduce" | "movement" | "linalg" | "spectral" | "nn";

/** What the CPU evaluation of a node may ask of the run: the size a named dim is bound to. */
export interface EvalContext {
  dim(d: Dim): number;
}

export type TypeAttr = "dtype" | "shape" | "structure";

export interface OpDef {
  readonly name: string;
  readonly family: OpFamily;
  /** Number of inputs ("variadic": one or more, as concatenate's). */
  readonly arity: number | "variadic";
  /**
   * Attributes that the text IR shows as the result type instead of in `{...}` (an input's declared
   * dtype, shape and structure): the printer leaves them out and the parser takes them from the type.
   */
  readonly typeAttrs?: readonly TypeAttr[];
  /** One line for `matprop ops` and the README. */
  readonly doc: string;
  /** Output types from input types and attributes; throws a MatpropError (MP2xxx) on misuse. */
  infer(inputs: readonly TensorType[], attrs: Attrs): TensorType[];
  /** Float64 reference evaluation. */
  evalCPU(inputs: readonly NDArray[], attrs: Attrs, ctx: EvalContext): NDArray[];
  /**
   * Reverse-mode rule: given cotangents of the outputs (null = zero), emit the backward nodes and
   * return one cotangent per input (null where none). Absent for ops with no inputs and for the
   * backward-only ops listed in the adjoint pass's filter table.
   */
  readonly adjoint?: AdjointRule;
}

export interface AdjointArgs {
  /** The forward node being differentiated. */
  readonly node: Node;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: Attrs;
  /** One per output; null where the output does not reach the loss. */
  readonly cotangents: readonly (Value | null)[];
  /** Builds backward nodes tagged with the forward node and its source location. */
  readonly e: Emitter;
}

export type AdjointRule = (args: AdjointArgs) => (Value | null)[];

/** Why `count` inputs do not fit `def`'s arity, or undefined when they do. */
export function arityProblem(def: OpDef, count: number): string | undefined {
  if (def.arity === "variadic") return count >= 1 ? undefined : `${def.name} takes one or more inputs, got none`;
  return count === def.arity ? undefined : `${def.name} takes ${def.arity} input${def.arity === 1 ? "" : "s"}, got ${count}`;
}

/**
 * The ops one family file defines, in definition order. Each `ir/ops/<family>.ts` fills one table
 * and exports its `ops`; ir/registry.ts lists every family's table once (no module registers
 * anything by being imported).
 */
export class OpTable {
  readonly ops: OpDef[] = [];

  define(def: OpDef): OpDef {
    this.ops.push(def);
    return def;
  }
}
