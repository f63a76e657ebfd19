/**
 * The IR verifier: SSA order (every operand defined by an earlier node of this graph), each node's
 * recorded types equal to what its op's type rule infers now, unique input/param names, and
 * outputs that are values of the graph. Run after every pass in tests; a pass that breaks types
 * fails loudly with the node and its source location.
 */
import { fail } from "./diagnostics.js";
import { atLoc, type Graph, type Value } from "./graph.js";
import { arityProblem } from "./op.js";
import { getOp, opInGroup } from "./registry.js";
import { printType } from "./print.js";
import { refineStructure } from "./structure.js";

export function verify(g: Graph): void {
  const defined = new Set<Value>();
  const names = new Set<string>();
  for (const node of g.nodes) {
    const where = `node ${node.id} (${node.op})`;
    try {
      for (const v of node.inputs) if (!defined.has(v)) fail("MP3003", `${where} uses a value that is not defined before it`);
      const def = getOp(node.op);
      const wrongArity = arityProblem(def, node.inputs.length);
      if (wrongArity) fail("MP3003", `${where}: ${wrongArity}`);
      const types = refineStructure(node.op, node.inputs, def.infer(node.inputs.map((v) => v.type), node.attrs));
      if (types.length !== node.outputs.length) fail("MP3003", `${where} has ${node.outputs.length} outputs, the op gives ${types.length}`);
      node.outputs.forEach((v, i) => {
        if (v.node !== node || v.index !== i) fail("MP3003", `${where}: output ${i} is not linked to its node`);
        if (printType(v.type) !== printType(types[i])) fail("MP3003", `${where}: output ${i} is typed ${printType(v.type)} but the op gives ${printType(types[i])}`);
        defined.add(v);
      });
      if (opInGroup(node.op, "source")) {
        const name = node.attrs.name as string;
        if (names.has(name)) fail("MP2010", `'${name}' is declared twice (inputs and params share one namespace)`);
        names.add(name);
      }
    } catch (e) {
      throw atLoc(e, node.loc);
    }
  }
  for (const o of g.outputs) if (!defined.has(o.value)) fail("MP3003", `output '${o.name}' is not a value of the graph`);
  if (g.outputs.length === 0) fail("MP2011", "the graph has no outputs");
}
