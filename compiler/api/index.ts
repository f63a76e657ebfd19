/**
 * The programmatic API: `compile`, `optim`, `batches`, `gradcheck` (see README "Training from code").
 *
 * @module
 */
export { compile, Program, type CompileOptions, type GradOptions, type GradResult, type TrainOptions, type TrainStep } from "./compile.js";
export * as optim from "./optim.js";
export { batches, type BatchOptions, type Batches } from "./data.js";
export { gradcheck, type GradcheckOptions, type GradcheckReport } from "./gradcheck.js";
export type { Feeds, FeedValue, Nested, Result, TensorData } from "./tensors.js";
