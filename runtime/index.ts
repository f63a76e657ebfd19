/** The matprop runtime: executes graphs and (later) kernel bundles; it never imports the compiler. */
import "../ir/ops/index.js";

export { executeCPU, type CpuOptions, type CpuRun } from "./cpu/execute.js";
export { ndarray, scalar, toNested, type NDArray } from "./cpu/ndarray.js";
export { fromNested } from "./cpu/nested.js";
