/**
 * The recipe table: every way a random program grows, with its weight. Together the recipes reach
 * every forward op of the registry (the coverage lint in test/fuzz/coverage.ts checks it on the
 * programs actually generated; backward-only ops are reached through the training step).
 */
import type { Ctx, Step } from "../operands.js";
import { binary, epilogue, relu, select, unary } from "./elementwise.js";
import { failing } from "./failing.js";
import { cholesky, cov, eigh, inv, solve, spd, svd } from "./linalg.js";
import { det, eigvalsh, newtonSchulz, norm, pinv, polar, powm, qr } from "./linalg-functions.js";
import { argExtreme, concatenate, extreme, permute, slice, take } from "./indexing.js";
import { diagonal, reduce, reshape, shiftByIdentity, transpose } from "./movement.js";
import { conv2d, crossEntropy, features, pool, softmax } from "./nn.js";
import { linear, matVec, product, productChain, productSum, selfProduct } from "./products.js";
import { expm, handSpectral, logm, ncuts, rangeProjector, sqrtm, topEigenProjector } from "./spectral.js";

export type Recipe = (c: Ctx, s: Step) => void;

/** Name → [recipe, weight]. The first entry is what fast-check shrinks a step's recipe toward. */
export const RECIPES: Readonly<Record<string, readonly [Recipe, number]>> = {
  product: [product, 8],
  selfProduct: [selfProduct, 5],
  productSum: [productSum, 5],
  productChain: [productChain, 3],
  matVec: [matVec, 2],
  linear: [linear, 2],
  unary: [unary, 6],
  binary: [binary, 6],
  relu: [relu, 3],
  select: [select, 3],
  epilogue: [epilogue, 6],
  reduce: [reduce, 4],
  transpose: [transpose, 2],
  reshape: [reshape, 2],
  diagonal: [diagonal, 3],
  extreme: [extreme, 2],
  argExtreme: [argExtreme, 2],
  take: [take, 2],
  slice: [slice, 2],
  concatenate: [concatenate, 2],
  permute: [permute, 2],
  shiftByIdentity: [shiftByIdentity, 1],
  cov: [cov, 3],
  spd: [spd, 2],
  cholesky: [cholesky, 3],
  inv: [inv, 2],
  solve: [solve, 2],
  eigh: [eigh, 3],
  svd: [svd, 3],
  eigvalsh: [eigvalsh, 2],
  det: [det, 3],
  norm: [norm, 3],
  qr: [qr, 2],
  pinv: [pinv, 2],
  polar: [polar, 2],
  powm: [powm, 3],
  newtonSchulz: [newtonSchulz, 2],
  logm: [logm, 3],
  sqrtm: [sqrtm, 3],
  expm: [expm, 3],
  handSpectral: [handSpectral, 3],
  topEigenProjector: [topEigenProjector, 3],
  rangeProjector: [rangeProjector, 2],
  ncuts: [ncuts, 2],
  conv2d: [conv2d, 3],
  pool: [pool, 4],
  features: [features, 2],
  softmax: [softmax, 1],
  crossEntropy: [crossEntropy, 2],
  failing: [failing, 1],
};
