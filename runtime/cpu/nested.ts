/** NDArrays from JSON data: nested arrays of numbers (a number for a scalar), rectangular. */
import { fail } from "../../ir/diagnostics.js";
import { getMaxElements, MAX_RANK } from "../../ir/limits.js";
import type { NDArray } from "../../numeric/ndarray.js";

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v === "boolean" ? "the boolean " : ""}${String(v)}`;
}

/**
 * The shape is read from the first entry at each depth (`x`, `x[0]`, `x[0][0]`, ...); every other
 * entry must match it. Errors name the entry by its index path, e.g. `'X'[1][0]`. The walk is a
 * loop with its own stack, and nesting deeper than a tensor's rank can be (MAX_RANK) is an error
 * before any walk: an inputs file nested 100,000 deep is a coded error, never a stack overflow.
 */
export function fromNested(name: string, value: unknown): NDArray {
  const shape: number[] = [];
  for (let v = value, path = ""; Array.isArray(v); v = v[0], path += "[0]") {
    if (v.length === 0) fail("MP4009", `'${name}'${path} is an empty array; every dimension needs at least one entry`);
    if (shape.length === MAX_RANK) fail("MP4009", `'${name}' is nested more than ${MAX_RANK} arrays deep; a tensor has at most ${MAX_RANK} dims`);
    shape.push(v.length);
  }
  const count = shape.reduce((p, d) => p * d, 1);
  if (count > getMaxElements()) fail("MP4009", `'${name}' has shape [${shape.join(", ")}] = ${count.toLocaleString("en-US")} elements; the limit is ${getMaxElements().toLocaleString("en-US")} per tensor (raise it with --max-elements)`);
  const data = new Float64Array(count);
  let filled = 0;
  // Depth-first, in row-major order; a frame links to its parent so the index path of an entry is
  // only spelled out for an error message.
  interface Frame {
    readonly v: unknown;
    readonly depth: number;
    readonly index: number;
    readonly parent?: Frame;
  }
  const pathOf = (f: Frame): string => (f.parent ? `${pathOf(f.parent)}[${f.index}]` : "");
  const stack: Frame[] = [{ v: value, depth: 0, index: 0 }];
  while (stack.length) {
    const frame = stack.pop()!;
    const { v, depth } = frame;
    const at = () => `'${name}'${pathOf(frame)}`;
    if (depth === shape.length) {
      if (typeof v === "number") {
        // JSON.parse turns a literal too large for float64 (1e999) into ±Infinity.
        if (!Number.isFinite(v)) fail("MP4006", `${at()} is ${v} (a number too large for float64); inputs must be finite`);
        data[filled++] = v;
        continue;
      }
      if (v === null) fail("MP4006", `${at()} is null, not a number (JSON has no NaN or Infinity; inputs must be finite numbers)`);
      if (Array.isArray(v)) fail("MP4009", `'${name}' is ragged: ${at()} is ${describe(v)} where a number was expected (its shape from the first entries is [${shape.join(", ")}])`);
      fail("MP4009", `${at()} is ${describe(v)}, not a number`);
    }
    if (!Array.isArray(v)) {
      fail("MP4009", `'${name}' is ragged: ${at()} is ${describe(v)} where an array of ${shape[depth]} was expected (its shape from the first entries is [${shape.join(", ")}])`);
    }
    if (v.length !== shape[depth]) {
      fail("MP4009", `'${name}' is ragged: ${at()} has ${v.length} entr${v.length === 1 ? "y" : "ies"} where ${shape[depth]} were expected (its shape from the first entries is [${shape.join(", ")}])`);
    }
    for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, index: i, parent: frame });
  }
  return { shape, data };
}
