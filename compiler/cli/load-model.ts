/**
 * Loading a model file: it is bundled by esbuild into one ES module (transpile.ts: TypeScript
 * stripped, `matprop` imports resolved to this package, source maps kept), which is imported; the
 * default export must be a `model(...)`. What the model's own code throws — while the file is
 * imported (MP1004) or while its build function runs (MP1006) — is reported at the line that threw
 * it, with its message; only an exception raised inside matprop itself is an internal error.
 * load-graph.ts runs all of this under a time limit (watchdog.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { fail, MatpropError, type SourceLoc } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { findModel, type Model } from "../dsl/model.js";
import { displayPath, stackFrames, userLocation } from "../dsl/location.js";
import { bundleModel } from "./transpile.js";

export function resolveModelPath(file: string): string {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) fail("MP1001", `model file not found: ${file}`);
  return abs;
}

/** A thrown value in words: `TypeError: x is not a function`, `the string "bad config"`, `null`. */
function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name === "Error" ? "Error" : e.name}: ${e.message.split("\n")[0]}`;
  if (typeof e === "string") return `the string ${JSON.stringify(e.length > 200 ? `${e.slice(0, 200)}…` : e)}`;
  if (e === null || e === undefined || typeof e !== "object") return String(e);
  return `a value that is not an Error (${Object.prototype.toString.call(e).slice(8, -1)})`;
}

/** A value thrown by the model's code that is not an Error (no stack: its line is found separately). */
export class ThrownValue extends MatpropError {}

/**
 * The coded error for a value the model's code threw, at the line that threw it (`site` locates
 * a thrown non-Error, which has no stack); undefined when it was thrown inside matprop itself (the
 * innermost frame is matprop's own and the stack did not overflow) — an internal error.
 */
export function thrownByModel(e: unknown, code: "MP1004" | "MP1006", lead: string, site?: SourceLoc): MatpropError | undefined {
  if (e instanceof MatpropError) return e;
  if (e instanceof Error) {
    const overflow = e instanceof RangeError && /call stack/i.test(e.message);
    if (!overflow && stackFrames(e.stack ?? "")[0]?.own) return undefined;
    return new MatpropError(code, `${lead}${describeThrown(e)}`, userLocation(e.stack ?? ""));
  }
  return new ThrownValue(code, `${lead}${code === "MP1004" ? "its code threw " : ""}${describeThrown(e)}`, site);
}

/** Imports the bundled module of the model at `abs` and returns its model. */
export async function importModel(abs: string, url: string, site: () => SourceLoc | undefined = () => undefined): Promise<Model> {
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw thrownByModel(e, "MP1004", `${displayPath(abs)} failed to load: `, site()) ?? e;
  }
  // A model file Node loaded as CommonJS arrives as `{ default: model }`.
  const m = findModel(mod.default);
  if (!m) fail("MP1003", `${displayPath(abs)} must \`export default model(name, build)\``);
  return m;
}

/** Runs the model's build function: its exceptions are MP1006 at their line. */
export function buildModel(m: Model, site: () => SourceLoc | undefined = () => undefined): Graph {
  try {
    return m.build();
  } catch (e) {
    throw thrownByModel(e, "MP1006", `the model's code threw `, site()) ?? e;
  }
}

/** The model in this thread, without a time limit (tests and in-process tools; the CLI uses loadGraph). */
export async function loadModel(file: string): Promise<Model> {
  const abs = resolveModelPath(file);
  const bundled = await bundleModel(abs);
  try {
    return await importModel(abs, bundled.url);
  } finally {
    bundled.remove();
  }
}
