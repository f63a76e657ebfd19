/**
 * The graph of a model file, built under a time limit: a model that has not finished loading and
 * building by then (a loop that never ends, at the top level or in its build function) is stopped
 * with MP1005 naming the file (watchdog.ts). The default limit is 60 s; `--model-timeout <seconds>`
 * changes it. A value thrown by the model's code that is not an Error has no stack to say where it
 * came from: the model is run once more with V8 pausing at exceptions (throw-site.ts) to find the
 * line, which costs nothing when nothing is thrown.
 */
import { fail, MatpropError, type SourceLoc } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { displayPath } from "../dsl/location.js";
import { buildModel, importModel, resolveModelPath, ThrownValue } from "./load-model.js";
import { bundleModel } from "./transpile.js";
import { TimeLimit, withinTimeLimit } from "./watchdog.js";

export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
let modelTimeoutMs = DEFAULT_MODEL_TIMEOUT_MS;

export function setModelTimeout(ms: number): void {
  modelTimeoutMs = ms;
}

/** Loads the model file and builds its graph (see the file comment). */
export async function loadGraph(file: string): Promise<Graph> {
  const abs = resolveModelPath(file);
  let bundled: Awaited<ReturnType<typeof bundleModel>> | undefined;
  let runs = 0;
  const once = async (site: () => SourceLoc | undefined) => buildModel(await importModel(abs, `${bundled!.url}${runs++ ? `?run=${runs}` : ""}`, site), site);
  try {
    // The limit covers bundling too (the watchdog thread starts while esbuild works).
    return await withinTimeLimit(modelTimeoutMs, async () => {
      bundled = await bundleModel(abs);
      try {
        return await once(() => undefined);
      } catch (e) {
        if (!(e instanceof ThrownValue) || e.loc) throw e;
        // A thrown non-Error: run again to find where (a model that throws now and not then keeps the first report).
        const throws = (await import("./throw-site.js")).watchThrows();
        try {
          await once(throws.last);
        } catch (again) {
          if (again instanceof MatpropError && again.loc) throw again;
        } finally {
          throws.stop();
        }
        throw e;
      }
    });
  } catch (e) {
    if (e instanceof TimeLimit) fail("MP1005", `${displayPath(abs)} did not finish loading and building within ${e.ms / 1000} s (a loop that never ends?); raise the limit with --model-timeout <seconds>`);
    throw e;
  } finally {
    bundled?.remove();
  }
}
