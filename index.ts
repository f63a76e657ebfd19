/**
 * matprop: write models with structured matrix layers in a typed DSL; compile and run them.
 *
 * `import { model, ops, linalg, nn } from "matprop"`.
 *
 * @module matprop
 */

export * from "./compiler/dsl/index.js";
