/** Training support shared by the examples: optimizers, a trainer, progress, charts, metrics. */
export { Adam, AdamW, SGD, type AdamOptions, type Optimizer, type ParamArrays, type SGDOptions } from "./optim.js";
export { initParams, Trainer, type Backend, type BackendChoice, type ModelLike, type TrainerOptions } from "./trainer.js";
export { progress, type Progress, type ProgressOptions } from "./progress.js";
export { chartsSvg, ema, emaBeta, escapeXml, lineChartSvg, type ChartOptions, type FigureOptions, type Panel, type ReferenceLine, type Series } from "./chart.js";
export { accuracy, adjustedRandIndex, effectiveRank, kMeans, singularValues, topEigenvectors, type EffectiveRank } from "./metrics.js";
