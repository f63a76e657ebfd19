/** Ops that start the graph: declared inputs and params, scalar constants, identity matrices. */
import { dimListAttr, numberAttr, stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { DTYPES, STRUCTURES, tensorType, type Dim } from "../types.js";
import { eye as eyeCPU } from "../../numeric/movement.js";
import { scalar } from "../../numeric/ndarray.js";

const table = new OpTable();

/** How params are initialised when a run does not give their values. */
export const PARAM_INITS = ["normal", "glorot", "he", "zeros", "ones", "identity"] as const;
export type ParamInit = (typeof PARAM_INITS)[number];

function declaredType(op: string, attrs: Parameters<typeof dimListAttr>[1]) {
  const shape = dimListAttr(op, attrs, "shape");
  if (shape.some((d) => typeof d === "number" && d < 1)) fail("MP2012", `${op}: dims must be ≥ 1, got [${shape.join(", ")}]`);
  const dtype = stringAttr(op, attrs, "dtype", DTYPES);
  const structure = stringAttr(op, attrs, "structure", STRUCTURES);
  if (structure !== "general" && (shape.length < 2 || shape[shape.length - 1] !== shape[shape.length - 2])) {
    fail("MP2002", `${op} '${String(attrs.name)}': structure '${structure}' needs a square matrix, got [${shape.join(", ")}]`);
  }
  return tensorType(dtype, shape, structure);
}

function fedByRun(op: string): never {
  throw new Error(`${op} nodes are bound by the executor, not evaluated`);
}

for (const [name, doc] of [
  ["input", "a named model input (data), given with every run"],
  ["param", "a named trainable parameter, initialised by its declared init when a run does not give it"],
] as const) {
  table.define({
    name,
    family: "source",
    groups: ["source"],
    arity: 0,
    typeAttrs: ["dtype", "shape", "structure"],
    doc,
    infer: (_, attrs) => {
      stringAttr(name, attrs, "name");
      if (name === "param") stringAttr(name, attrs, "init", PARAM_INITS);
      return [declaredType(name, attrs)];
    },
    evalCPU: () => fedByRun(name),
    noAdjoint: "a source: gradients are taken with respect to it",
  });
}

table.define({
  name: "constant",
  family: "source",
  arity: 0,
  typeAttrs: ["dtype"],
  doc: "a scalar constant (plain numbers in the DSL)",
  infer: (_, attrs) => {
    numberAttr("constant", attrs, "value");
    return [tensorType(stringAttr("constant", attrs, "dtype", DTYPES), [])];
  },
  evalCPU: (_, attrs) => [scalar(attrs.value as number)],
  noAdjoint: "no inputs",
});

table.define({
  name: "eye",
  family: "source",
  groups: ["expression", "finite-preserving"],
  arity: 0,
  typeAttrs: ["dtype", "shape"],
  doc: "the n×n identity matrix",
  infer: (_, attrs) => {
    const shape = dimListAttr("eye", attrs, "shape");
    const [n, m] = shape;
    if (shape.length !== 2 || n !== m || (typeof n === "number" && n < 1)) fail("MP2004", `eye: shape must be [n, n] with n ≥ 1, got [${shape.join(", ")}]`);
    return [tensorType(stringAttr("eye", attrs, "dtype", DTYPES), [n, n], "spd")];
  },
  evalCPU: (_, attrs, ctx) => [eyeCPU(ctx.dim((attrs.shape as Dim[])[0]))],
  noAdjoint: "no inputs",
});

table.define({
  name: "dimSize",
  family: "source",
  arity: 0,
  typeAttrs: ["dtype"],
  doc: "a scalar holding the size of a dim (the count a mean divides by, when the dim is named)",
  infer: (_, attrs) => {
    const d = attrs.dim;
    const ok = (typeof d === "number" && Number.isInteger(d) && d >= 0) || (typeof d === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d));
    if (!ok) fail("MP2004", `dimSize: attribute 'dim' must be a size or a named dim, got ${JSON.stringify(d)}`);
    return [tensorType(stringAttr("dimSize", attrs, "dtype", DTYPES), [])];
  },
  evalCPU: (_, attrs, ctx) => [scalar(ctx.dim(attrs.dim as Dim))],
  noAdjoint: "no inputs",
});

/** The source ops, for ir/registry.ts. */
export const SOURCE_OPS = table.ops;
