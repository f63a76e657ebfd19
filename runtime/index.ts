/**
 * The matprop runtime: executes graphs on the float64 CPU reference executor; it never imports
 * the compiler. `import { executeCPU, fromNested } from "matprop/runtime"`.
 *
 * @module matprop/runtime
 */
import "../ir/ops/index.js";

export { executeCPU, type CpuOptions, type CpuRun } from "./cpu/execute.js";
export { ndarray, scalar, toNested, type NDArray } from "./cpu/ndarray.js";
export { fromNested } from "./cpu/nested.js";
