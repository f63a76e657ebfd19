/** `matprop check <model.ts>`: TypeScript type check, then build and verify the graph. */
import { MatpropError } from "../../../ir/diagnostics.js";
import { displayPath } from "../../dsl/location.js";
import { loadGraph } from "../load-graph.js";
import { resolveModelPath } from "../load-model.js";
import { typecheckModel } from "../typecheck.js";

export interface CheckResult {
  readonly errors: MatpropError[];
  /** Which compiler settings the model was checked under, for the `ok` line and notes. */
  readonly settings: string;
  /** A note to print after errors: there was no tsconfig.json, so no ambient types were loaded. */
  readonly note?: string;
}

export async function check(file: string): Promise<CheckResult> {
  const abs = resolveModelPath(file);
  const { errors, tsconfig } = typecheckModel(abs);
  const settings = tsconfig ? displayPath(tsconfig) : "no tsconfig.json: strict defaults";
  const note = tsconfig
    ? undefined
    : `note: no tsconfig.json in ${displayPath(abs).replace(/[^/]*$/, "") || "./"} or above: checked with strict NodeNext defaults and no ambient types; add a tsconfig.json (with "types": ["node"] for \`process\`) to check under your settings`;
  if (errors.length) return { errors, settings, ...(note ? { note } : {}) };
  try {
    await loadGraph(file);
  } catch (e) {
    if (e instanceof MatpropError) return { errors: [e], settings };
    throw e;
  }
  return { errors: [], settings };
}
