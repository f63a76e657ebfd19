/** matprop: write models with structured matrix layers in a typed DSL; compile and run them. */
import "./ir/ops/index.js";

export * from "./compiler/dsl/index.js";
