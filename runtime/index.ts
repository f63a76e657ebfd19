/**
 * The matprop runtime: executes graphs on the float64 CPU reference executor and loads kernel
 * bundles; it never imports the compiler, and importing it runs nothing (no module is loaded for
 * its side effects). `import { executeCPU, fromNested, openBundle } from "matprop/runtime"`.
 *
 * @module matprop/runtime
 */

export { executeCPU, type CpuOptions, type CpuRun } from "./cpu/execute.js";
export { ndarray, scalar, toNested, type NDArray } from "../numeric/ndarray.js";
export { fromNested } from "./cpu/nested.js";
export { openBundle, type GradResult, type LoadedBundle, type Tensors } from "./bundle/open.js";
export { BundleError, type BundleErrorCode } from "./bundle/errors.js";
