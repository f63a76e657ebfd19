/**
 * `gradcheck(model, feeds)` from code: the CLI's finite-difference check of every gradient
 * (compiler/gradcheck.ts, float64 on the CPU reference) with its verdict against a tolerance.
 */
import { fail } from "../../ir/diagnostics.js";
import type { ModelExport } from "../dsl/model.js";
import { asModel } from "../dsl/model.js";
import type { InputCheck } from "../gradcheck.js";
import { withDims } from "./dims.js";
import { toFeedMap, toRecord, type Feeds, type Result } from "./tensors.js";

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Seed of the params' declared inits (params not in the feeds). Default 0. */
  seed?: number;
  /** Named dims fixed as in `compile`. */
  dims?: Readonly<Record<string, number>>;
  /** The scalar output differentiated. Default "loss". */
  loss?: string;
  /** Largest relative error that passes. Default 1e-6 (as `matprop gradcheck --tol`). */
  tol?: number;
  /** Relative finite-difference step. Default 1e-5. */
  step?: number;
}

/** What {@link gradcheck} found. */
export interface GradcheckReport {
  /** Whether every input's and param's relative error is within `tol`. */
  readonly ok: boolean;
  /** The largest relative error. */
  readonly worst: number;
  /** Per input and param: relative and absolute error, directions checked. */
  readonly inputs: readonly InputCheck[];
  /** The adjoint's gradients by input/param name. */
  readonly grads: Record<string, Result>;
}

/** Checks every gradient of `loss` against central finite differences in float64. */
export async function gradcheck(model: ModelExport, feeds: Feeds, opts: GradcheckOptions = {}): Promise<GradcheckReport> {
  // Loaded when called: every model file imports "matprop".
  const { gradcheck: check } = await import("../gradcheck.js");
  const tol = opts.tol ?? 1e-6;
  if (typeof tol !== "number" || !(tol > 0)) fail("MP4012", `gradcheck: tol must be a number > 0, got ${String(tol)}`);
  const graph = withDims(asModel(model).build(), opts.dims);
  const r = check(graph, toFeedMap(feeds), { seed: opts.seed, loss: opts.loss, step: opts.step });
  return { ok: r.worst <= tol, worst: r.worst, inputs: r.inputs, grads: toRecord(r.grads) };
}
