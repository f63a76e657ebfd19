/**
 * Binding a run's inputs to a graph's input and param nodes, with every check a user's data can
 * fail: missing or unknown names, wrong shapes, named dims bound to two sizes, NaN/Infinity,
 * non-integer labels, and matrices that lack their declared structure (an `spd` input that is not
 * symmetric positive definite). Params not given are initialised by their declared init.
 */
import { fail, formatLoc, MatpropError } from "../../ir/diagnostics.js";
import type { Graph, Node } from "../../ir/graph.js";
import { checkBoundSizes } from "../../ir/limits.js";
import { DimBinder, initParams } from "../../ir/bind-dims.js";
import type { Dim, Structure } from "../../ir/types.js";
import { firstNonFinite } from "../../numeric/finite.js";
import type { InitName } from "../../numeric/init.js";
import { NumericError } from "../../numeric/numeric-error.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { checkStructure } from "../../numeric/structure-check.js";

export interface Bound {
  /** The array bound to each input/param node. */
  readonly sources: Map<Node, NDArray>;
  /** Sizes of named dims. */
  readonly dims: Map<string, number>;
}

function declared(node: Node): string {
  return `${node.op} '${node.attrs.name as string}'${node.loc ? ` (declared at ${formatLoc(node.loc)})` : ""}`;
}

function shapeText(shape: readonly Dim[]): string {
  return `[${shape.join(", ")}]`;
}

export function bindInputs(g: Graph, feeds: ReadonlyMap<string, NDArray>, seed = 0): Bound {
  const sources = g.sources();
  const known = new Set(sources.map((n) => n.attrs.name as string));
  const unknown = [...feeds.keys()].filter((k) => !known.has(k));
  if (unknown.length) {
    fail("MP4004", `unknown input${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")}; the model declares ${[...known].map((k) => `'${k}'`).join(", ")}`);
  }
  const missing = sources.filter((n) => n.op === "input" && !feeds.has(n.attrs.name as string));
  if (missing.length) {
    const list = missing.map((n) => `'${n.attrs.name as string}' (${shapeText(n.outputs[0].type.shape)}${n.loc ? `, declared at ${formatLoc(n.loc)}` : ""})`);
    fail("MP4003", `missing input${missing.length > 1 ? "s" : ""} ${list.join(", ")}; the inputs JSON must give every input`);
  }
  const nodeOf = (name: string) => sources.find((s) => s.attrs.name === name)!;
  const binder: DimBinder = new DimBinder({
    wrongShape: (b) => fail("MP4005", `'${b.name}' has shape ${shapeText(b.shape)} but ${declared(nodeOf(b.name))} is ${shapeText(b.declared)}`),
    twoSizes: (d, first, second) =>
      fail("MP4008", `dim ${d} is bound to two sizes: ${first.shape[first.declared.indexOf(d)]} by '${first.name}' (shape ${shapeText(first.shape)}, declared ${shapeText(first.declared)}) and ${second.shape[second.declared.indexOf(d)]} by '${second.name}' (shape ${shapeText(second.shape)}, declared ${shapeText(second.declared)})`),
  });
  const dims = binder.dims;
  const bound = new Map<Node, NDArray>();

  for (const node of sources) {
    const name = node.attrs.name as string;
    const value = feeds.get(name);
    if (value === undefined) {
      continue; // a param not given (inputs were checked above)
    }
    binder.bind({ name, shape: value.shape, declared: node.outputs[0].type.shape });
    const bad1 = firstNonFinite(value.data);
    if (bad1 >= 0) fail("MP4006", `'${name}' holds ${value.data[bad1]} at flat index ${bad1}`);
    const type = node.outputs[0].type;
    if (type.dtype === "i32" && value.data.some((x) => !Number.isInteger(x))) fail("MP4009", `'${name}' is i32 but holds a non-integer`);
    checkDeclaredStructure(name, value, type.structure, node);
    bound.set(node, value);
  }

  // Every value's size with the named dims bound, before any param or result is allocated.
  checkBoundSizes(g, dims);
  // Params not given: initialise once every named dim is known.
  const notGiven = sources.filter((node) => !bound.has(node));
  const shapeOf = (node: Node) => {
    const name = node.attrs.name as string;
    return node.outputs[0].type.shape.map((d) => {
      if (typeof d === "number") return d;
      const n = dims.get(d);
      if (n === undefined) fail("MP4008", `cannot initialise param '${name}': dim ${d} is not bound by any input; give '${name}' in the inputs`);
      return n;
    });
  };
  const inits = initParams(notGiven.map((node) => ({ name: node.attrs.name as string, init: node.attrs.init as InitName, shape: shapeOf(node) })), seed);
  for (const node of notGiven) bound.set(node, inits.get(node.attrs.name as string)!);
  return { sources: bound, dims };
}

function checkDeclaredStructure(name: string, value: NDArray, structure: Structure, node: Node): void {
  try {
    checkStructure(value, structure);
  } catch (e) {
    if (e instanceof NumericError) {
      // NumericError messages start with their kind ("not-spd: ..."); the detail after it reads better here.
      const detail = e.message.slice(e.kind.length + 2);
      const at = node.loc ? ` at ${formatLoc(node.loc)}` : "";
      throw new MatpropError("MP4007", `${node.op} '${name}' (declared ${structure}${at}) is ${detail}`);
    }
    throw e;
  }
}
