/**
 * The model-writing DSL: `model`, `ops`, `linalg`, `nn`.
 *
 * @packageDocumentation
 */
export { model, isModel, asModel, type Model, type ModelExport, type ModelContext, type Outputs, type InputOptions, type ParamOptions } from "./model.js";
export * as ops from "./ops.js";
export * as linalg from "./linalg.js";
export * as nn from "./nn.js";
export type { Tensor, Dim, Shape, Structure, DType, Symmetric, Spd } from "./types.js";
