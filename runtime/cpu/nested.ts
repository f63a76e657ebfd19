/** NDArrays from JSON data: nested arrays of numbers (a number for a scalar), rectangular. */
import { fail } from "../../ir/diagnostics.js";
import type { NDArray } from "./ndarray.js";

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v === "boolean" ? "the boolean " : ""}${String(v)}`;
}

/**
 * The shape is read from the first entry at each depth (`x`, `x[0]`, `x[0][0]`, ...); every other
 * entry must match it. Errors name the entry by its index path, e.g. `'X'[1][0]`.
 */
export function fromNested(name: string, value: unknown): NDArray {
  const shape: number[] = [];
  for (let v = value, path = ""; Array.isArray(v); v = v[0], path += "[0]") {
    if (v.length === 0) fail("MP4009", `'${name}'${path} is an empty array; every dimension needs at least one entry`);
    shape.push(v.length);
  }
  const data: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    const at = `'${name}'${path}`;
    if (depth === shape.length) {
      if (typeof v === "number") {
        // JSON.parse turns a literal too large for float64 (1e999) into ±Infinity.
        if (!Number.isFinite(v)) fail("MP4006", `${at} is ${v} (a number too large for float64); inputs must be finite`);
        data.push(v);
        return;
      }
      if (v === null) fail("MP4006", `${at} is null, not a number (JSON has no NaN or Infinity; inputs must be finite numbers)`);
      if (Array.isArray(v)) fail("MP4009", `'${name}' is ragged: ${at} is ${describe(v)} where a number was expected (its shape from the first entries is [${shape.join(", ")}])`);
      fail("MP4009", `${at} is ${describe(v)}, not a number`);
    }
    if (!Array.isArray(v)) {
      fail("MP4009", `'${name}' is ragged: ${at} is ${describe(v)} where an array of ${shape[depth]} was expected (its shape from the first entries is [${shape.join(", ")}])`);
    }
    if (v.length !== shape[depth]) {
      fail("MP4009", `'${name}' is ragged: ${at} has ${v.length} entr${v.length === 1 ? "y" : "ies"} where ${shape[depth]} were expected (its shape from the first entries is [${shape.join(", ")}])`);
    }
    v.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, "");
  return { shape, data: Float64Array.from(data) };
}
