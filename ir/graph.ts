/**
 * The IR: an SSA dataflow graph of matrix-valued nodes. A node applies one registered op to values
 * produced by earlier nodes and defines one or more values (eigh defines w and U). Graph inputs and
 * params are nodes too (ops `input`, `param`), so every value has exactly one defining node.
 * Every node carries the DSL source location it came from.
 */
import type { Attrs } from "./attrs.js";
import { fail, MatpropError, type SourceLoc } from "./diagnostics.js";
import { checkDeclaredSizes } from "./limits.js";
import { arityProblem } from "./op.js";
import { getOp, opInGroup } from "./registry.js";
import { refineStructure } from "./structure.js";
import type { TensorType } from "./types.js";

export interface Value {
  readonly id: number;
  readonly node: Node;
  /** Which output of its node this value is. */
  readonly index: number;
  readonly type: TensorType;
}

export interface Node {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Value[];
  readonly attrs: Attrs;
  readonly outputs: readonly Value[];
  readonly loc?: SourceLoc;
  /** For a node of a backward graph: the forward node it differentiates. */
  readonly gradOf?: Node;
}

export interface GraphOutput {
  readonly name: string;
  readonly value: Value;
}

/** Attach a source location to an error raised without one (type rules do not know where they run). */
export function atLoc(e: unknown, loc: SourceLoc | undefined): unknown {
  if (e instanceof MatpropError && !e.loc && loc) return new MatpropError(e.code, e.message, loc);
  return e;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly outputs: GraphOutput[] = [];
  private nextId = 0;

  constructor(public name: string) {}

  /** Append a node: runs the op's type rule, so a graph is well typed by construction. */
  add(op: string, inputs: readonly Value[], attrs: Attrs = {}, loc?: SourceLoc, gradOf?: Node): Node {
    let types: TensorType[];
    try {
      const def = getOp(op);
      const wrongArity = arityProblem(def, inputs.length);
      if (wrongArity) fail("MP3003", wrongArity);
      types = refineStructure(op, inputs, def.infer(inputs.map((v) => v.type), attrs));
      checkDeclaredSizes(op, attrs, types.map((t) => t.shape), loc);
    } catch (e) {
      throw atLoc(e, loc);
    }
    const outputs: Value[] = [];
    const node: Node = { id: this.nextId++, op, inputs: [...inputs], attrs: { ...attrs }, outputs, loc, ...(gradOf ? { gradOf } : {}) };
    types.forEach((type, index) => outputs.push({ id: this.nextId++, node, index, type }));
    this.nodes.push(node);
    return node;
  }

  /** Shorthand for single-output ops. */
  apply(op: string, inputs: readonly Value[], attrs: Attrs = {}, loc?: SourceLoc, gradOf?: Node): Value {
    const node = this.add(op, inputs, attrs, loc, gradOf);
    if (node.outputs.length !== 1) throw new Error(`${op} has ${node.outputs.length} outputs; use add()`);
    return node.outputs[0];
  }

  setOutput(name: string, value: Value): void {
    if (this.outputs.some((o) => o.name === name)) fail("MP2011", `output '${name}' is returned twice`);
    this.outputs.push({ name, value });
  }

  /** Input and param nodes, in declaration order. */
  sources(): Node[] {
    return this.nodes.filter((n) => opInGroup(n.op, "source"));
  }
}

/** Name of an input/param node. */
export function sourceName(node: Node): string {
  return node.attrs.name as string;
}
