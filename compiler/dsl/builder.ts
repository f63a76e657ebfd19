/**
 * The graph under construction and the Tensor handles the DSL returns. A model's build function
 * runs inside `withBuilder`, so ops with no tensor operand (eye) know which graph to add to. The
 * current builder lives on globalThis so that two copies of the package (one the CLI's, one a
 * model's node_modules) still share it.
 */
import type { Attrs } from "../../ir/attrs.js";
import { fail, type SourceLoc } from "../../ir/diagnostics.js";
import { Graph, type Value } from "../../ir/graph.js";
import { isFloat, type DType, type Structure } from "../../ir/types.js";
import { callerLocation } from "./location.js";
import type { Operand, Shape, Tensor } from "./types.js";
import { opInGroup } from "../../ir/registry.js";

const CURRENT = Symbol.for("matprop.dsl.currentBuilder");
type Global = { [CURRENT]?: Builder };

export class Builder {
  readonly names = new Set<string>();
  /**
   * Nodes by (op, operands, attrs): the DSL is pure, so writing the same expression twice gives the
   * same value, and structure inference that compares values (AᵀA is symmetric) sees it as one.
   */
  private readonly memo = new Map<string, Value[]>();
  constructor(readonly graph: Graph) {}

  add(op: string, inputs: readonly Value[], attrs: Attrs, loc: SourceLoc | undefined): Value[] {
    const sources = opInGroup(op, "source");
    const key = `${op}(${inputs.map((v) => v.id).join(",")})${JSON.stringify(attrs)}`;
    const known = sources ? undefined : this.memo.get(key);
    if (known) return known;
    const outputs = [...this.graph.add(op, inputs, attrs, loc).outputs];
    if (!sources) this.memo.set(key, outputs);
    return outputs;
  }
}

export function withBuilder<T>(b: Builder, fn: () => T): T {
  const g = globalThis as Global;
  const outer = g[CURRENT];
  g[CURRENT] = b;
  try {
    return fn();
  } finally {
    g[CURRENT] = outer;
  }
}

function currentBuilder(loc?: SourceLoc): Builder {
  return (globalThis as Global)[CURRENT] ?? fail("MP2011", "matprop ops can only be called while a model is built (inside model(name, build))", loc ?? callerLocation());
}

const HANDLE = Symbol.for("matprop.dsl.tensor");

/** The runtime object behind the static `Tensor` type: an IR value of the builder's graph. */
export class TensorHandle {
  readonly [HANDLE] = true;
  constructor(
    readonly value: Value,
    readonly builder: Builder,
  ) {}
  get shape(): Shape {
    return this.value.type.shape;
  }
  get structure(): Structure {
    return this.value.type.structure;
  }
  get dtype(): DType {
    return this.value.type.dtype;
  }
  toString(): string {
    return `Tensor(${this.dtype}[${this.shape.join(",")}] ${this.structure})`;
  }
}

export function isTensor(x: unknown): x is TensorHandle {
  return typeof x === "object" && x !== null && (x as { [HANDLE]?: boolean })[HANDLE] === true;
}

function handle(x: unknown, op: string, loc: SourceLoc | undefined): TensorHandle {
  if (isTensor(x)) return x;
  return fail("MP2011", `${op}: expected a tensor, got ${x === null ? "null" : typeof x}`, loc);
}

/**
 * Add one node for a DSL call: operands that are plain numbers become scalar constants of the
 * other operands' dtype; the node records the caller's source location.
 */
export function emit(op: string, operands: readonly (Operand | unknown)[], attrs: Attrs = {}, loc = callerLocation()): TensorHandle[] {
  const tensors = operands.filter(isTensor);
  const b = tensors.length ? tensors[0].builder : currentBuilder(loc);
  if (tensors.some((t) => t.builder !== b)) fail("MP2011", `${op}: operands come from different models`, loc);
  const dtype: DType = tensors.find((t) => isFloat(t.dtype))?.dtype ?? "f32";
  const values = operands.map((x) => {
    if (typeof x === "number") {
      if (!Number.isFinite(x)) fail("MP2004", `${op}: constant ${x} is not finite`, loc);
      return b.add("constant", [], { value: x, dtype }, loc)[0];
    }
    return handle(x, op, loc).value;
  });
  return b.add(op, values, attrs, loc).map((v) => new TensorHandle(v, b));
}

/** Single-output `emit`, cast to the static type the caller computed. */
export function emit1<T extends Tensor>(op: string, operands: readonly (Operand | unknown)[], attrs: Attrs = {}, loc = callerLocation()): T {
  return emit(op, operands, attrs, loc)[0] as unknown as T;
}
