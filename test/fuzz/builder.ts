/**
 * The graph under construction for a random program, evaluated on the float64 CPU as it grows:
 * every node is computed the moment it is added, so a recipe can look at the actual numbers of its
 * operands (their smallest eigenvalue, their distance from a kink) and choose constants that make
 * the next op well defined there. A node whose evaluation fails is never added (`Reject`).
 */
import { Graph, getOp, MatpropError, type Attrs, type DType, type Dim, type SourceLoc, type Structure, type Value } from "../../ir/index.js";
import { NumericError } from "../../numeric/numeric-error.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { drawInput, type InputSpec } from "./inputs.js";

/** A recipe cannot be applied to the operands it was given (the builder tries fresh inputs, then skips it). */
export class Reject extends Error {}

export function reject(why: string): never {
  throw new Reject(why);
}

export interface SourceOptions {
  readonly param?: boolean;
  readonly structure?: Structure;
  readonly dtype?: DType;
}

export class ProgramBuilder {
  readonly graph: Graph;
  /** The CPU value of every value of the graph. */
  readonly values = new Map<Value, NDArray>();
  readonly inputs: Record<string, InputSpec> = {};
  /** Values later steps may use as operands, oldest first. */
  readonly pool: Value[] = [];
  /** When set, `pick` finds nothing: recipes build on fresh, well-conditioned inputs. */
  freshOnly = false;
  /**
   * Values downstream of a node that fails on purpose (recipes/failing.ts): added without being
   * evaluated, never in the pool, only summed into the loss so that the whole program must fail.
   */
  readonly poisoned = new Set<Value>();
  private count = 0;

  constructor(
    name: string,
    /** Sizes of the named dims (a named batch dim "B"). */
    readonly dims: ReadonlyMap<string, number>,
    private seed: number,
    /** Declare every second float source f64 (the WebGPU backend computes in f32 regardless). */
    private someF64 = false,
  ) {
    this.graph = new Graph(name);
  }

  size(d: Dim): number {
    return typeof d === "number" ? d : this.dims.get(d)!;
  }

  shapeOf(v: Value): number[] {
    return v.type.shape.map((d) => this.size(d));
  }

  x(v: Value): NDArray {
    return this.values.get(v)!;
  }

  /** A new input (or param) drawn from `dist`; its name is x<k> (p<k> for params). */
  source(shape: readonly Dim[], spec: Omit<InputSpec, "seed">, opts: SourceOptions = {}): Value {
    const k = this.count++;
    const name = `${opts.param ? "p" : "x"}${k}`;
    const full: InputSpec = { ...spec, seed: (this.seed + 7919 * (k + 1)) >>> 0 };
    const attrs: Attrs = { name, shape: [...shape], dtype: opts.dtype ?? (spec.dist === "labels" ? "i32" : this.someF64 && k % 2 ? "f64" : "f32"), structure: opts.structure ?? "general", ...(opts.param ? { init: "normal" } : {}) };
    const v = this.graph.apply(opts.param ? "param" : "input", [], attrs);
    this.inputs[name] = full;
    this.values.set(v, drawInput(full, this.shapeOf(v)));
    return v;
  }

  /** Applies an op: type rule, then float64 evaluation, and only if both succeed the node joins the graph. */
  op(name: string, inputs: readonly Value[], attrs: Attrs = {}): Value[] {
    if (inputs.some((v) => this.poisoned.has(v))) return this.failing(name, inputs, attrs);
    const def = getOp(name);
    try {
      def.infer(inputs.map((v) => v.type), attrs);
      const outs = def.evalCPU(inputs.map((v) => this.x(v)), attrs, { dim: (d) => this.size(d) });
      for (const o of outs) if (o.data.some((z) => !Number.isFinite(z))) reject(`${name} is not finite here`);
      const node = this.graph.add(name, inputs, attrs, this.loc());
      node.outputs.forEach((v, i) => this.values.set(v, outs[i]));
      return [...node.outputs];
    } catch (e) {
      if (e instanceof NumericError || e instanceof MatpropError) reject(`${name}: ${e.message}`);
      throw e;
    }
  }

  /** Adds a node that is meant to fail (or depends on one) without evaluating it. */
  failing(name: string, inputs: readonly Value[], attrs: Attrs = {}): Value[] {
    const node = this.graph.add(name, inputs, attrs, this.loc());
    for (const v of node.outputs) this.poisoned.add(v);
    return [...node.outputs];
  }

  /**
   * A source location per node (line = position in the graph), so that a failure's coded error
   * names a line on both backends and the two lines can be compared.
   */
  private loc(): SourceLoc {
    return { file: "fuzz", line: this.graph.nodes.length + 1, col: 1 };
  }

  /** What an op would compute here, without adding it to the graph (rejects the step where the op's type rule refuses it). */
  peek(name: string, inputs: readonly Value[], attrs: Attrs = {}): NDArray[] {
    const def = getOp(name);
    try {
      def.infer(inputs.map((v) => v.type), attrs);
    } catch (e) {
      if (e instanceof MatpropError) reject(`${name}: ${e.message}`);
      throw e;
    }
    return def.evalCPU(inputs.map((v) => this.x(v)), attrs, { dim: (d) => this.size(d) });
  }

  op1(name: string, inputs: readonly Value[], attrs: Attrs = {}): Value {
    return this.op(name, inputs, attrs)[0];
  }

  constant(value: number): Value {
    return this.op1("constant", [], { value: Math.fround(value), dtype: "f32" });
  }

  /** The `k`-th most recent pool value that satisfies `ok` (k wraps), or null. */
  pick(ok: (v: Value) => boolean, k: number): Value | null {
    if (this.freshOnly) return null;
    const found = this.pool.filter(ok);
    return found.length ? found[found.length - 1 - (k % found.length)] : null;
  }

  push(...vs: Value[]): void {
    for (const v of vs) if (!this.pool.includes(v)) this.pool.push(v);
  }
}
