/**
 * `model(name, build)`: declares a model. `build` receives `input` and `param` declarers and
 * returns its named outputs; the graph is built when a tool asks for it, with every node's
 * source location recorded.
 */
import { fail, type SourceLoc } from "../../ir/diagnostics.js";
import { Graph } from "../../ir/graph.js";
import type { ParamInit } from "../../ir/ops/source.js";
import type { DType } from "../../ir/types.js";
import { verify } from "../../ir/verify.js";
import { GRAD_PREFIX, tensorNameProblem } from "../../runtime/bundle/manifest.js";
import { Builder, emit1, isTensor, withBuilder } from "./builder.js";
import { callerLocation } from "./location.js";
import type { Shape, Structure, Tensor } from "./types.js";

export interface InputOptions<St extends Structure> {
  structure?: St;
  dtype?: DType;
}
export interface ParamOptions<St extends Structure> extends InputOptions<St> {
  init?: ParamInit;
}

export interface ModelContext {
  /** A model input (data given with every run). Dims are numbers or named symbols ("B"). */
  input<const N extends string, const S extends Shape, const St extends Structure = "general">(name: N, shape: S, opts?: InputOptions<St>): Tensor<S, St, N>;
  /** A trainable parameter, initialised by `init` (default "glorot") when a run does not give it. */
  param<const N extends string, const S extends Shape, const St extends Structure = "general">(name: N, shape: S, opts?: ParamOptions<St>): Tensor<S, St, N>;
}

export type Outputs = Record<string, Tensor>;

export interface Model {
  readonly kind: "matprop.model";
  readonly name: string;
  /** Where `model(...)` was called. */
  readonly loc?: SourceLoc;
  /** Build (and verify) the graph. */
  build(): Graph;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function model(name: string, build: (ctx: ModelContext) => Outputs): Model {
  const loc = callerLocation();
  return {
    kind: "matprop.model",
    name,
    loc,
    build() {
      const b = new Builder(new Graph(name));
      const declare = (op: "input" | "param") => (n: string, shape: Shape, opts: ParamOptions<Structure> = {}) => {
        const at = callerLocation();
        if (typeof n !== "string" || !NAME.test(n)) fail("MP2004", `${op} name ${JSON.stringify(n)} is not an identifier`, at);
        const problem = tensorNameProblem(n);
        if (problem) fail("MP2004", `${op} name ${JSON.stringify(n)} ${problem}`, at);
        if (b.names.has(n)) fail("MP2010", `'${n}' is declared twice (inputs and params share one namespace)`, at);
        if (!Array.isArray(shape)) fail("MP2012", `${op} '${n}': shape must be an array of dims`, at);
        b.names.add(n);
        const attrs = { name: n, ...(op === "param" ? { init: opts.init ?? "glorot" } : {}), shape: [...shape], dtype: opts.dtype ?? "f32", structure: opts.structure ?? "general" };
        return withBuilder(b, () => emit1(op, [], attrs, at));
      };
      const outputs = withBuilder(b, () => build({ input: declare("input"), param: declare("param") } as ModelContext));
      if (typeof outputs !== "object" || outputs === null) fail("MP2011", "the build function must return an object of named tensors, e.g. { loss }", loc);
      for (const [key, t] of Object.entries(outputs)) {
        const problem = tensorNameProblem(key);
        if (problem) fail("MP2011", `output name ${JSON.stringify(key.slice(0, 60))} ${problem}`, loc);
        if (key.startsWith(GRAD_PREFIX)) fail("MP2011", `output name '${key.slice(0, 60)}': names starting with '${GRAD_PREFIX}' are reserved for gradients (run --grad, build, gradcheck)`, loc);
        if (!isTensor(t)) fail("MP2011", `output '${key}' is not a tensor`, loc);
        if (t.builder !== b) fail("MP2011", `output '${key}' belongs to another model`, loc);
        b.graph.setOutput(key, t.value);
      }
      verify(b.graph);
      return b.graph;
    },
  };
}

export function isModel(x: unknown): x is Model {
  return typeof x === "object" && x !== null && (x as Model).kind === "matprop.model" && typeof (x as Model).build === "function";
}
