/**
 * The reverse-mode adjoint pass. It appends to a copy of the forward graph the backward nodes that
 * compute the gradient of a scalar output (`loss`) with respect to every float input and param,
 * using each op's adjoint rule (ir/ops). Every backward node records the forward node it
 * differentiates and that node's source location. The result has the forward outputs plus one
 * output `grad.<name>` per input and param.
 *
 * Gradients of symmetric-typed inputs follow PyTorch's `eigh` convention: the returned G is the
 * symmetric matrix with d loss = ⟨G, dX⟩ for every symmetric dX, i.e. sym(∂loss/∂X).
 */
import { fail, MatpropError } from "../../ir/diagnostics.js";
import { Emitter } from "../../ir/emitter.js";
import { Graph, sourceName, type Node, type Value } from "../../ir/graph.js";
import { getOp } from "../../ir/op.js";
import { formatShape, isFloat, isSymmetric } from "../../ir/types.js";

export const GRAD_PREFIX = "grad.";

export interface AdjointOptions {
  /** The scalar output to differentiate (default "loss"). */
  readonly loss?: string;
}

function copyGraph(g: Graph): { graph: Graph; values: Map<Value, Value> } {
  const graph = new Graph(g.name);
  const values = new Map<Value, Value>();
  for (const node of g.nodes) {
    const copy = graph.add(node.op, node.inputs.map((v) => values.get(v)!), node.attrs, node.loc);
    node.outputs.forEach((v, i) => values.set(v, copy.outputs[i]));
  }
  for (const o of g.outputs) graph.setOutput(o.name, values.get(o.value)!);
  return { graph, values };
}

export function addBackward(forward: Graph, opts: AdjointOptions = {}): Graph {
  const lossName = opts.loss ?? "loss";
  const { graph } = copyGraph(forward);
  const lossOut = graph.outputs.find((o) => o.name === lossName);
  if (!lossOut) fail("MP2011", `the model has no output '${lossName}' to differentiate (outputs: ${graph.outputs.map((o) => o.name).join(", ")})`);
  const loss = lossOut.value;
  if (loss.type.shape.length !== 0) fail("MP2011", `'${lossName}' must be a scalar to differentiate, but it has shape ${formatShape(loss.type.shape)}`, loss.node.loc);

  const cotangent = new Map<Value, Value>();
  const root = new Emitter(graph, loss.node.loc, loss.node);
  cotangent.set(loss, root.constant(1, loss.type.dtype));

  const forwardNodes = [...graph.nodes];
  for (let i = forwardNodes.length - 1; i >= 0; i--) {
    const node = forwardNodes[i];
    const cts = node.outputs.map((v) => cotangent.get(v) ?? null);
    if (cts.every((c) => c === null) || node.inputs.length === 0) continue;
    const def = getOp(node.op);
    const differentiable = node.inputs.some((v) => isFloat(v.type.dtype));
    if (!differentiable) continue;
    if (!def.adjoint) throw new MatpropError("MP9001", `op '${node.op}' has no adjoint rule`, node.loc);
    const e = new Emitter(graph, node.loc, node);
    const grads = def.adjoint({ node, inputs: node.inputs, outputs: node.outputs, attrs: node.attrs, cotangents: cts, e });
    if (grads.length !== node.inputs.length) {
      throw new MatpropError("MP9001", `adjoint of ${node.op} returned ${grads.length} cotangents for ${node.inputs.length} inputs`, node.loc);
    }
    grads.forEach((g, k) => {
      if (g === null) return;
      const input = node.inputs[k];
      if (!isFloat(input.type.dtype)) return;
      if (formatShape(g.type.shape) !== formatShape(input.type.shape)) {
        throw new MatpropError("MP9001", `adjoint of ${node.op}: cotangent ${k} has shape ${formatShape(g.type.shape)}, input has ${formatShape(input.type.shape)}`, node.loc);
      }
      const prev = cotangent.get(input);
      cotangent.set(input, prev ? e.add(prev, g) : g);
    });
  }

  for (const src of graph.sources()) {
    const x = src.outputs[0];
    if (!isFloat(x.type.dtype)) continue;
    const e = new Emitter(graph, src.loc, src);
    let g = cotangent.get(x) ?? e.zerosLike(x);
    if (isSymmetric(x.type.structure)) g = e.sym(g);
    graph.setOutput(GRAD_PREFIX + sourceName(src), g);
  }
  return graph;
}

/** Names of the gradient outputs of a backward graph, keyed by input/param name. */
export function gradOutputs(g: Graph): Map<string, Value> {
  return new Map(g.outputs.filter((o) => o.name.startsWith(GRAD_PREFIX)).map((o) => [o.name.slice(GRAD_PREFIX.length), o.value]));
}

export function isBackwardNode(n: Node): boolean {
  return n.gradOf !== undefined;
}
