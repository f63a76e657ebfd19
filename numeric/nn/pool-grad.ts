/**
 * Adjoints of avgPool2d and maxPool2d (numeric/nn/pool.ts): each window's cotangent goes
 * back to the input positions the forward window read — spread evenly (average, padded zeros
 * counted, so each real position gets g/(kh·kw)), or all to the element the forward max picked
 * (the same `windowArgmax`).
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { forEachWindow, poolGeometry, windowArgmax } from "./pool.js";

function poolBackward(x: NDArray, g: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number], mode: "avg" | "max"): NDArray {
  const op = `${mode}Pool2dBackward`;
  const geo = poolGeometry(op, x, kernel, stride, padding);
  const want = [geo.N, geo.C, geo.Ho, geo.Wo];
  if (g.shape.length !== 4 || g.shape.some((d, i) => d !== want[i])) {
    throw new RangeError(`${op}: cotangent has shape [${g.shape.join(", ")}], expected [${want.join(", ")}]`);
  }
  const out = ndarray(x.shape);
  const area = kernel[0] * kernel[1];
  forEachWindow(geo, (o, cells, n) => {
    const gv = g.data[o];
    if (mode === "max") out.data[windowArgmax(x.data, cells, n)] += gv;
    else for (let k = 0; k < n; k++) out.data[cells[k]] += gv / area;
  });
  return out;
}

/** x [N, C, H, W] (for its shape), g [N, C, H', W'] → x̄, the adjoint of avgPool2d (count_include_pad). */
export function avgPool2dBackward(x: NDArray, g: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): NDArray {
  return poolBackward(x, g, kernel, stride, padding, "avg");
}

/** x [N, C, H, W], g [N, C, H', W'] → x̄: each window's cotangent added at its (first) maximum. */
export function maxPool2dBackward(x: NDArray, g: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): NDArray {
  return poolBackward(x, g, kernel, stride, padding, "max");
}
