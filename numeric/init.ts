/** Param initialisers (the `init` of a param declaration), deterministic for a given seed. */
import { sizeOf, type NDArray } from "./ndarray.js";
import type { Random } from "./random.js";

export type InitName = "normal" | "glorot" | "he" | "zeros" | "ones" | "identity";

/** Fan-in and fan-out as PyTorch computes them ([out, in, ...kernel] for conv weights, last two dims for matrices). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) return [shape[0] ?? 1, shape[0] ?? 1];
  if (shape.length === 4) {
    const receptive = shape[2] * shape[3];
    return [shape[1] * receptive, shape[0] * receptive];
  }
  return [shape[shape.length - 1], shape[shape.length - 2]];
}

export function initParam(init: InitName, shape: readonly number[], rng: Random): NDArray {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  const [fanIn, fanOut] = fans(shape);
  switch (init) {
    case "zeros":
      break;
    case "ones":
      data.fill(1);
      break;
    case "normal":
      for (let i = 0; i < n; i++) data[i] = rng.normal();
      break;
    case "glorot": {
      const std = Math.sqrt(2 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) data[i] = std * rng.normal();
      break;
    }
    case "he": {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < n; i++) data[i] = std * rng.normal();
      break;
    }
    case "identity": {
      const r = shape[shape.length - 2];
      const c = shape[shape.length - 1];
      for (let i = 0; i < n; i++) data[i] = Math.floor(i / c) % r === i % c ? 1 : 0;
      break;
    }
  }
  return { shape: [...shape], data };
}
