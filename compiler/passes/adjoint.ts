/**
 * The reverse-mode adjoint pass. It appends to a copy of the forward graph the backward nodes that
 * compute the gradient of a scalar output (`loss`) with respect to every float input and param,
 * using each op's adjoint rule (ir/ops). Every backward node records the forward node it
 * differentiates and that node's source location. The result has the forward outputs plus one
 * output `grad.<name>` per differentiated input and param (`wrt`: every float input and param unless
 * fewer are asked for — a training step asks for its params only). Nodes whose inputs reach no
 * differentiated source get no adjoint at all: a training step never builds the backward of a
 * path that ends in an input nobody trains (the image of a conv net, a label, a constant operand).
 *
 * Gradients of symmetric-typed inputs follow PyTorch's `eigh` convention: the returned G is the
 * symmetric matrix with d loss = ⟨G, dX⟩ for every symmetric dX, i.e. sym(∂loss/∂X).
 */
import { fail, MatpropError } from "../../ir/diagnostics.js";
import { Emitter } from "../../ir/emitter.js";
import { Graph, type Node, sourceName, type Value } from "../../ir/graph.js";
import { getOp } from "../../ir/registry.js";
import { formatShape, isFloat, isSymmetric } from "../../ir/types.js";

export const GRAD_PREFIX = "grad.";

export interface AdjointOptions {
  /** The scalar output to differentiate (default "loss"). */
  readonly loss?: string;
  /**
   * The sources to differentiate: "all" (default: every float input and param), "params" (every
   * float param: what training updates) or a list of input and param names.
   */
  readonly wrt?: GradTargets;
}

/** Which inputs and params get a gradient. */
export type GradTargets = "all" | "params" | readonly string[];

/** The float sources `wrt` names, in graph order; MP2011 for a name that is not a float input or param. */
export function gradSources(g: Graph, wrt: GradTargets = "all"): Node[] {
  const float = g.sources().filter((n) => isFloat(n.outputs[0].type.dtype));
  if (wrt === "all") return float;
  if (wrt === "params") return float.filter((n) => n.op === "param");
  const byName = new Map(g.sources().map((n) => [sourceName(n), n]));
  for (const name of wrt) {
    const n = byName.get(name);
    if (!n) fail("MP2011", `cannot differentiate with respect to '${name}': the model has no input or param of that name (it has ${[...byName.keys()].join(", ") || "none"})`);
    if (!isFloat(n.outputs[0].type.dtype)) fail("MP2011", `cannot differentiate with respect to '${name}': it is ${n.outputs[0].type.dtype}, not a float`, n.loc);
  }
  const asked = new Set(wrt);
  return float.filter((n) => asked.has(sourceName(n)));
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

  const targets = gradSources(graph, opts.wrt);
  // Values that depend on a differentiated source: only their cotangents are ever needed.
  const reaches = new Set<Value>(targets.map((n) => n.outputs[0]));
  for (const n of graph.nodes) if (n.inputs.some((v) => reaches.has(v))) for (const v of n.outputs) reaches.add(v);

  const cotangent = new Map<Value, Value>();
  const root = new Emitter(graph, loss.node.loc, loss.node);
  cotangent.set(loss, root.constant(1, loss.type.dtype));

  const forwardNodes = [...graph.nodes];
  for (let i = forwardNodes.length - 1; i >= 0; i--) {
    const node = forwardNodes[i];
    const cts = node.outputs.map((v) => cotangent.get(v) ?? null);
    if (cts.every((c) => c === null) || !node.inputs.some((v) => reaches.has(v))) continue;
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
      if (!isFloat(input.type.dtype) || !reaches.has(input)) return;
      if (formatShape(g.type.shape) !== formatShape(input.type.shape)) {
        throw new MatpropError("MP9001", `adjoint of ${node.op}: cotangent ${k} has shape ${formatShape(g.type.shape)}, input has ${formatShape(input.type.shape)}`, node.loc);
      }
      const prev = cotangent.get(input);
      cotangent.set(input, prev ? e.add(prev, g) : g);
    });
  }

  for (const src of targets) {
    const x = src.outputs[0];
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

