/**
 * Building nodes from adjoint rules and rewrites: every node the emitter adds carries the source
 * location of the node it was derived from (and, for backward nodes, which forward node it
 * differentiates), so diagnostics and the inspector can point at the user's line. The helpers
 * are the vocabulary the matrix calculus rules are written in.
 */
import type { Attrs } from "./attrs.js";
import type { SourceLoc } from "./diagnostics.js";
import type { Graph, Node, Value } from "./graph.js";
import type { Dim, DType, Shape } from "./types.js";

export class Emitter {
  constructor(
    readonly graph: Graph,
    readonly loc?: SourceLoc,
    readonly gradOf?: Node,
  ) {}

  /** The same graph, tagged for another forward node. */
  at(node: Node): Emitter {
    return new Emitter(this.graph, node.loc, this.gradOf ? node : undefined);
  }

  op(op: string, inputs: readonly Value[], attrs: Attrs = {}): Value {
    return this.graph.apply(op, inputs, attrs, this.loc, this.gradOf);
  }

  ops(op: string, inputs: readonly Value[], attrs: Attrs = {}): Value[] {
    return [...this.graph.add(op, inputs, attrs, this.loc, this.gradOf).outputs];
  }

  constant(value: number, dtype: DType = "f32"): Value {
    return this.op("constant", [], { value, dtype: dtype === "i32" || dtype === "bool" ? "f32" : dtype });
  }

  private lift(x: Value | number, like: Value): Value {
    return typeof x === "number" ? this.constant(x, like.type.dtype) : x;
  }

  add(a: Value, b: Value | number): Value {
    return this.op("add", [a, this.lift(b, a)]);
  }
  sub(a: Value | number, b: Value): Value {
    return this.op("sub", [this.lift(a, b), b]);
  }
  mul(a: Value, b: Value | number): Value {
    return this.op("mul", [a, this.lift(b, a)]);
  }
  div(a: Value | number, b: Value | number): Value {
    const like = typeof a === "number" ? (b as Value) : a;
    return this.op("div", [this.lift(a, like), this.lift(b, like)]);
  }
  neg(a: Value): Value {
    return this.op("neg", [a]);
  }
  matmul(a: Value, b: Value): Value {
    return this.op("matmul", [a, b]);
  }
  transpose(a: Value): Value {
    return this.op("transpose", [a]);
  }
  /** (A + Aᵀ)/2. */
  sym(a: Value): Value {
    return this.mul(this.add(a, this.transpose(a)), 0.5);
  }
  /** U · M · Uᵀ. */
  conjugate(u: Value, m: Value): Value {
    return this.matmul(this.matmul(u, m), this.transpose(u));
  }
  reshape(a: Value, shape: readonly Dim[]): Value {
    if (sameShape(a.type.shape, shape)) return a;
    return this.op("reshape", [a], { shape: [...shape] });
  }
  broadcastTo(a: Value, shape: Shape): Value {
    if (sameShape(a.type.shape, shape)) return a;
    return this.op("broadcastTo", [a], { shape: [...shape] });
  }

  /**
   * Sum a cotangent of a broadcast result back to an operand's shape: over the leading dims the
   * operand lacks, and (keeping them) over the dims where the operand has size 1.
   */
  sumTo(g: Value, shape: Shape): Value {
    const gs = g.type.shape;
    if (sameShape(gs, shape)) return g;
    const lead = gs.length - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < gs.length; i++) if (i < lead || (shape[i - lead] === 1 && gs[i] !== 1)) axes.push(i);
    const summed = axes.length ? this.op("sum", [g], { axis: axes, keepdims: true }) : g;
    return this.reshape(summed, shape);
  }

  /** The number of elements along some dims, as a scalar (named dims are sized at run time). */
  count(dims: readonly Dim[], dtype: DType): Value {
    const numeric = dims.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
    const named = dims.filter((d): d is string => typeof d === "string");
    let c = this.constant(numeric, dtype);
    for (const d of named) c = this.mul(c, this.op("dimSize", [], { dim: d, dtype }));
    return c;
  }

  zerosLike(v: Value): Value {
    return this.broadcastTo(this.constant(0, v.type.dtype), v.type.shape);
  }
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
