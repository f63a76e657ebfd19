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

/** Options of `input(name, shape, opts)`. */
export interface InputOptions<St extends Structure> {
  /** The structure the value is known to have (checked when it runs). Default "general". */
  structure?: St;
  /** Default "f32"; "i32" for class labels. */
  dtype?: DType;
}
/** Options of `param(name, shape, opts)`. */
export interface ParamOptions<St extends Structure> extends InputOptions<St> {
  /** How the param is initialised when a run does not give it. Default "glorot". */
  init?: ParamInit;
}

/** What a model's build function receives: declarers of its inputs and params. */
export interface ModelContext {
  /** A model input (data given with every run). Dims are numbers or named symbols ("B"). */
  input<const N extends string, const S extends Shape, const St extends Structure = "general">(name: N, shape: S, opts?: InputOptions<St>): Tensor<S, St, N>;
  /** A trainable parameter, initialised by `init` (default "glorot") when a run does not give it. */
  param<const N extends string, const S extends Shape, const St extends Structure = "general">(name: N, shape: S, opts?: ParamOptions<St>): Tensor<S, St, N>;
}

/** A model's named outputs; `loss` (a scalar) is the one gradients and training use. */
export type Outputs = Record<string, Tensor>;

/**
 * A declared model: `export default model(name, build)` in a model file. `O` is the type of what
 * `build` returns, so `compile(model)` knows the output names.
 */
export interface Model<O extends Outputs = Outputs> {
  /** Marks a model (a plain object, so models from two copies of matprop are recognised). */
  readonly kind: "matprop.model";
  /** The graph's name. */
  readonly name: string;
  /** Where `model(...)` was called. */
  readonly loc?: SourceLoc;
  /** Build (and verify) the graph. */
  build(): Graph;
  /** Type-level only (never set): the outputs' tensor types, which carry the output names to `compile`. */
  readonly outputTypes?: O;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Declares a model. `build` declares inputs and params, applies `ops`, `linalg` and `nn`, and
 * returns the named outputs; it runs each time a tool builds the graph, which records the source
 * line of every call.
 *
 * @example
 * ```ts
 * export default model("logm-probe", ({ input, param }) => {
 *   const X = input("X", [4, 4], { structure: "spd" });
 *   const W = param("W", [4, 4], { init: "normal" });
 *   return { loss: ops.sum(ops.mul(linalg.logm(X), W)) };
 * });
 * ```
 */
export function model<O extends Outputs>(name: string, build: (ctx: ModelContext) => O): Model<O> {
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

/** Whether `x` is a model declared with `model(...)` (by any copy of matprop). */
export function isModel(x: unknown): x is Model {
  return typeof x === "object" && x !== null && (x as Model).kind === "matprop.model" && typeof (x as Model).build === "function";
}

/**
 * A model file's default export as some importer sees it: the model itself, or, when an ES module
 * imports a model file that TypeScript or Node treated as CommonJS (a package.json with
 * `"type": "commonjs"`, which `npm init -y` writes), the CommonJS exports object `{ default: model }`.
 */
export type ModelExport<O extends Outputs = Outputs> =
  | Model<O>
  | {
      /** The model, as `export default` put it on the CommonJS exports object. */
      readonly default: Model<O>;
    };

function describe(x: unknown): string {
  if (x === null || typeof x !== "object") return x === null ? "null" : typeof x;
  const keys = Object.keys(x);
  return keys.length ? `an object with keys ${keys.slice(0, 5).join(", ")}` : "an empty object";
}

/** The model in `x` (a `ModelExport`), if there is one. */
export function findModel(x: unknown): Model | undefined {
  if (isModel(x)) return x;
  const inner = typeof x === "object" && x !== null ? (x as { default?: unknown }).default : undefined;
  return isModel(inner) ? inner : undefined;
}

/** The model in `x` (a `ModelExport`); anything else is MP1003 naming what was passed and what to do. */
export function asModel(x: unknown): Model {
  return findModel(x) ?? fail("MP1003", `expected a matprop model, got ${describe(x)}; pass the default export of a model file (\`export default model(name, build)\`)`);
}
