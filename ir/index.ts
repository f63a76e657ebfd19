/** The matrix IR: types, graphs, the op registry, text format and verifier. */

export * from "./types.js";
export * from "./attrs.js";
export * from "./diagnostics.js";
export * from "./graph.js";
export * from "./op.js";
export { allOps, getOp, hasOp, registerOp } from "./registry.js";
export { print, printType, printNode } from "./print.js";
export { parse } from "./parse.js";
export { verify } from "./verify.js";
export { PARAM_INITS, type ParamInit } from "./ops/source.js";
