/** The float64 reference kernels of the CPU executor. */
export { NumericError, type NumericErrorKind } from "./numeric-error.js";
export { matmul } from "./matmul.js";
export { eigh } from "./eigh.js";
export { svd } from "./svd.js";
export { cholesky } from "./cholesky.js";
export { inv, solve } from "./solve.js";
export { type SpectralFn, expm, logm, scalarFn, spectralFunction, sqrtm } from "./spectral.js";
export { rangeProjector, topEigenProjector } from "./projectors.js";
export { cov } from "./cov.js";
export { avgPool2d, conv2d, maxPool2d, softmaxCrossEntropy } from "./nn.js";
