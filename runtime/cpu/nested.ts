/** NDArrays from JSON data: nested arrays of numbers (a number for a scalar), rectangular. */
import { fail } from "../../ir/diagnostics.js";
import type { NDArray } from "./ndarray.js";

export function fromNested(name: string, value: unknown): NDArray {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    if (v.length === 0) fail("MP4009", `'${name}' has an empty dimension`);
    shape.push(v.length);
  }
  const data: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== "number") {
        const what = v === null ? "null (NaN and Infinity cannot be written in JSON)" : Array.isArray(v) ? "an array" : typeof v;
        fail(v === null ? "MP4006" : "MP4009", `'${name}'${path} is ${what}, not a number`);
      }
      data.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      fail("MP4009", `'${name}' is ragged: '${name}'${path} has ${Array.isArray(v) ? v.length : "no"} entries where ${shape[depth]} were expected`);
    }
    v.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, "");
  return { shape, data: Float64Array.from(data) };
}
