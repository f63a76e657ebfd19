/** Reading `--inputs` JSON: an object mapping input and param names to nested arrays (numbers for scalars). */
import fs from "node:fs";
import { fail, type SourceLoc } from "../../ir/diagnostics.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { fromNested } from "../../runtime/cpu/nested.js";
import { displayPath } from "../dsl/location.js";

export function readInputs(file: string | undefined): Map<string, NDArray> {
  if (file === undefined) return new Map();
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail("MP4001", `inputs file not found: ${file}`);
  const text = fs.readFileSync(file, "utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const loc = jsonErrorLoc(message, text, file);
    fail("MP4002", `${loc ? "inputs file" : file} is not valid JSON: ${message}`, loc);
  }
  return parseInputs(data, file);
}

/** Where JSON.parse stopped: V8 says "at position N" (0-based UTF-16 offset). */
function jsonErrorLoc(message: string, text: string, file: string): SourceLoc | undefined {
  const m = /at position (\d+)/.exec(message);
  if (!m) return undefined;
  const before = text.slice(0, Number(m[1]));
  const lineStart = before.lastIndexOf("\n") + 1;
  return { file: displayPath(file), line: before.split("\n").length, col: before.length - lineStart + 1 };
}

export function parseInputs(data: unknown, what = "inputs"): Map<string, NDArray> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const got = data === null ? "null" : Array.isArray(data) ? "an array" : typeof data;
    fail("MP4009", `${what} must be a JSON object mapping input names to arrays, e.g. {"X": [[1, 0], [0, 1]]}, not ${got}`);
  }
  return new Map(Object.entries(data).map(([name, v]) => [name, fromNested(name, v)]));
}
