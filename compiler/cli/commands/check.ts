/** `matprop check <model.ts>`: TypeScript type check, then build and verify the graph. */
import { MatpropError } from "../../../ir/diagnostics.js";
import { loadModel, resolveModelPath } from "../load-model.js";
import { typecheckModel } from "../typecheck.js";

export async function check(file: string): Promise<MatpropError[]> {
  const typeErrors = typecheckModel(resolveModelPath(file));
  if (typeErrors.length) return typeErrors;
  const m = await loadModel(file);
  try {
    m.build();
  } catch (e) {
    if (e instanceof MatpropError) return [e];
    throw e;
  }
  return [];
}
