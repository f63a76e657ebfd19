/**
 * What an op is. Each op is defined once, in `ir/ops/<family>.ts`: its name, type rule, float64
 * CPU evaluation and its derivative; ir/registry.ts collects them.
 */
import type { Attrs } from "./attrs.js";
import type { Dim, TensorType } from "./types.js";
import type { Node, Value } from "./graph.js";
import type { Emitter } from "./emitter.js";
import type { NDArray } from "../numeric/ndarray.js";

export type OpFamily = "source" | "elementwise" | "reduce" | "movement" | "linalg" | "spectral" | "nn" | "optim";

/**
 * Groups an op belongs to, declared on the op and read by the passes, the executor and the lowering
 * instead of lists of op names:
 * - `source`: fed by the run (input, param): no evaluation, gradients are taken with respect to it;
 * - `elementwise`: a per-element function of broadcast operands, with `pointwise` forms;
 * - `expression`: the lowering can fuse it into a WGSL expression (codegen/expr.ts) instead of
 *   giving it a kernel of its own (every elementwise op is one; so are data movement and the
 *   entrywise matrices of the backward rules);
 * - `finite-preserving`: finite inputs give finite outputs (entries of the inputs, their negations
 *   or absolute values, constants, bounded functions), so the CPU executor skips its NaN/∞ scan;
 * - `backward-only`: appears only in graphs the adjoint pass builds.
 */
export type OpGroup = "source" | "elementwise" | "expression" | "finite-preserving" | "backward-only";

/**
 * An elementwise op's per-element formula in the forms the backends need, side by side (as
 * TypeGPU's dualImpl): the float64 reference is the op's `evalCPU`; these must agree with it.
 */
export interface Pointwise {
  /**
   * JavaScript source for the CPU executor's fused loops (runtime/cpu/fusion/): wherever the
   * arguments and `evalCPU`'s result are finite it gives that result bit for bit (elsewhere the
   * fused loop flags the non-finite value and re-runs `evalCPU`). Attribute values reach the code
   * only as `param(value)`, never as source text.
   */
  readonly js: (args: readonly string[], attrs: Attrs, param: (value: number) => string) => string;
  /** A WGSL f32 expression (codegen/expr.ts); `literal(x)` writes a float constant. */
  readonly wgsl: (args: readonly string[], attrs: Attrs, literal: (x: number) => string) => string;
  /** WGSL helper functions `wgsl` calls (added once to every fused kernel's prelude). */
  readonly wgslHelpers?: string;
}

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
  /** The groups it belongs to (OpGroup). */
  readonly groups?: readonly OpGroup[];
  /** An elementwise op's JavaScript and WGSL forms. */
  readonly pointwise?: Pointwise;
  /**
   * Reverse-mode rule: given cotangents of the outputs (null = zero), emit the backward nodes and
   * return one cotangent per input (null where none). Every op has either this or `noAdjoint`.
   */
  readonly adjoint?: AdjointRule;
  /** Why the op has no adjoint rule (a source, no inputs, backward-only, integer output). */
  readonly noAdjoint?: string;
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
