/**
 * matprop: write models with structured matrix layers in a typed DSL; compile, run, differentiate
 * and train them from code.
 *
 * `import { model, ops, linalg, nn, compile, optim, batches, gradcheck } from "matprop"`.
 *
 * @module matprop
 */

export * from "./compiler/dsl/index.js";
export * from "./compiler/api/index.js";
