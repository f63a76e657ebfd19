/** Reading `--inputs` JSON: an object mapping input and param names to nested arrays (numbers for scalars). */
import fs from "node:fs";
import { fail } from "../../ir/diagnostics.js";
import type { NDArray } from "../../runtime/cpu/ndarray.js";
import { fromNested } from "../../runtime/cpu/nested.js";

export function readInputs(file: string | undefined): Map<string, NDArray> {
  if (file === undefined) return new Map();
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail("MP4001", `inputs file not found: ${file}`);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail("MP4002", `${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseInputs(data, file);
}

export function parseInputs(data: unknown, what = "inputs"): Map<string, NDArray> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    fail("MP4009", `${what} must be a JSON object mapping input names to arrays, e.g. {"X": [[1, 0], [0, 1]]}`);
  }
  return new Map(Object.entries(data).map(([name, v]) => [name, fromNested(name, v)]));
}
