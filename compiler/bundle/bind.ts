/**
 * What a build needs to know before lowering: the sizes of named dims (from `--inputs`, whose input
 * values are otherwise unused; without them the bundle still runs at any size, lowering on first
 * use) and the params' values — from `--params` or `--inputs` where given
 * (as `matprop run --inputs` takes them; `--params` wins), else initialised by
 * their declared `init` with the seed by the one binder (ir/bind-dims.ts `initParams`, as
 * runtime/cpu/bind.ts does), so a bundle built with `--seed N` holds the params `matprop run --seed N` uses.
 */
import { fail, formatLoc } from "../../ir/diagnostics.js";
import type { Graph, Node } from "../../ir/graph.js";
import type { Dim } from "../../ir/types.js";
import type { InitName } from "../../numeric/init.js";
import { DimBinder, initParams } from "../../ir/bind-dims.js";
import type { NDArray } from "../../numeric/ndarray.js";

export interface BuildBinding {
  readonly dims: Map<string, number>;
  /** Concrete shape of every param, by name. */
  readonly shapes: Map<string, number[]>;
  /** Whether `dims` sizes every named dim of the inputs (then the build shape's programs are precompiled). */
  readonly concrete: boolean;
  /** Param values by name, in the graph's source order. */
  readonly params: Map<string, NDArray>;
}

const nameOf = (n: Node) => n.attrs.name as string;
const shapeText = (s: readonly Dim[]) => `[${s.join(", ")}]`;
const where = (n: Node) => (n.loc ? ` (declared at ${formatLoc(n.loc)})` : "");

export function bindForBuild(g: Graph, inputs: ReadonlyMap<string, NDArray>, params: ReadonlyMap<string, NDArray>, seed: number): BuildBinding {
  const sources = g.sources();
  const byName = new Map(sources.map((n) => [nameOf(n), n]));
  for (const k of inputs.keys()) if (!byName.has(k)) fail("MP4004", `--inputs names '${k}', which the model does not declare (it declares ${[...byName.keys()].map((n) => `'${n}'`).join(", ")})`);
  for (const k of params.keys()) {
    const n = byName.get(k);
    if (!n || n.op !== "param") fail("MP4004", `--params names '${k}', which is not a param of the model (params: ${sources.filter((s) => s.op === "param").map((s) => `'${nameOf(s)}'`).join(", ") || "none"})`);
  }
  let flag = "--inputs";
  const binder: DimBinder = new DimBinder({
    wrongShape: (b) => {
      const node = byName.get(b.name)!;
      return fail("MP4005", `${flag} gives '${b.name}' shape ${shapeText(b.shape)} but ${node.op} '${b.name}'${where(node)} is ${shapeText(b.declared)}`);
    },
    twoSizes: (d, first, second) => fail("MP4008", `dim ${d} is bound to two sizes: ${first.shape[first.declared.indexOf(d)]} by '${first.name}' and ${second.shape[second.declared.indexOf(d)]} by '${second.name}'`),
  });
  const dims = binder.dims;
  const bindDims = (name: string, value: NDArray, from: string) => {
    flag = from;
    binder.bind({ name, shape: value.shape, declared: byName.get(name)!.outputs[0].type.shape });
  };
  for (const [k, v] of inputs) bindDims(k, v, "--inputs");
  // Params given in --inputs are used too (as `matprop run --inputs` does); --params wins.
  const given = new Map([...inputs].filter(([k]) => byName.get(k)!.op === "param"));
  for (const [k, v] of params) given.set(k, v);
  for (const [k, v] of given) {
    if (params.has(k)) bindDims(k, v, "--params");
    const bad = v.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) fail("MP4006", `param '${k}' in ${params.has(k) ? "--params" : "--inputs"} holds ${v.data[bad]} at flat index ${bad}`);
  }
  // Inputs may keep named dims (bound when the bundle is called); params are held, so they need sizes.
  const shapes = new Map<string, number[]>();
  let concrete = true;
  for (const n of sources) {
    const unbound = n.outputs[0].type.shape.filter((d): d is string => typeof d === "string" && !dims.has(d));
    if (n.op === "input") {
      concrete &&= unbound.length === 0;
      continue;
    }
    if (unbound.length) fail("MP4008", `dim ${unbound[0]} of param '${nameOf(n)}'${where(n)} is not bound: a bundle holds its params, so give --inputs with a value for an input of that shape`);
    shapes.set(nameOf(n), n.outputs[0].type.shape.map((d) => (typeof d === "number" ? d : dims.get(d)!)));
  }
  const values = initParams(
    sources.filter((n) => n.op === "param").map((n) => ({ name: nameOf(n), init: n.attrs.init as InitName, shape: shapes.get(nameOf(n))! })),
    seed,
    given,
  );
  return { dims, shapes, concrete, params: values };
}
