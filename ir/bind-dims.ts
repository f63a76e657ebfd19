/**
 * The one input binder: named dims from the shapes a call gives, and the params a call does not
 * give. Each declared source shape (numbers and named dims such as "B") is matched against the
 * concrete shape of the value given for it: a fixed dim must match, a named dim takes the size it
 * has the first time and must keep it. Errors are coded (MP4005 wrong shape, MP4008 a dim bound to
 * two sizes or not bound at all) and name the tensors involved; callers word them for their users
 * (the CLI names declarations, `build` its flags) and callers with codes of their own (bundles) map
 * them. Used by the CPU executor (runtime/cpu/bind.ts), WebGPU resident programs, the bundle build
 * (compiler/bundle/bind.ts) and the trainer.
 */
import { fail } from "./diagnostics.js";
import type { Dim } from "./types.js";
import { initParam, type InitName } from "../numeric/init.js";
import type { NDArray } from "../numeric/ndarray.js";
import { Random } from "../numeric/random.js";

/** One value bound to a declared shape. */
export interface Binding {
  readonly name: string;
  readonly shape: readonly number[];
  readonly declared: readonly Dim[];
}

/** How a binder words its two failures (each throws). */
export interface BindErrors {
  wrongShape(b: Binding): never;
  twoSizes(dim: string, first: Binding, second: Binding): never;
}

const text = (s: readonly (Dim | number)[]) => `[${s.join(", ")}]`;

const PLAIN: BindErrors = {
  wrongShape: (b) => fail("MP4005", `'${b.name}' has shape ${text(b.shape)} but is declared ${text(b.declared)}`),
  twoSizes: (d, first, second) =>
    fail("MP4008", `dim ${d} is bound to two sizes: ${first.shape[first.declared.indexOf(d)]} by '${first.name}' and ${second.shape[second.declared.indexOf(d)]} by '${second.name}' (shape ${text(second.shape)}, declared ${text(second.declared)})`),
};

/** Binds named dims one value at a time. */
export class DimBinder {
  readonly dims = new Map<string, number>();
  private readonly by = new Map<string, Binding>();

  /** `positive`: a named dim must be bound to an integer ≥ 1 (a call's shapes; a CPU run or a build takes what the arrays have). */
  constructor(
    private readonly errors: BindErrors = PLAIN,
    private readonly positive = false,
  ) {}

  bind(b: Binding): void {
    if (b.shape.length !== b.declared.length) this.errors.wrongShape(b);
    b.declared.forEach((want, i) => {
      const got = b.shape[i];
      if (typeof want === "number") {
        if (want !== got) this.errors.wrongShape(b);
      } else if (this.dims.has(want)) {
        if (this.dims.get(want) !== got) this.errors.twoSizes(want, this.by.get(want)!, b);
      } else {
        if (this.positive && !(Number.isInteger(got) && got >= 1)) this.errors.wrongShape(b);
        this.dims.set(want, got);
        this.by.set(want, b);
      }
    });
  }
}

export interface DeclaredShape {
  readonly name: string;
  readonly shape: readonly Dim[];
}

/** Sizes of the named dims that `given` (concrete shapes by name) binds; names not in `given` are skipped. */
export function bindDims(declared: readonly DeclaredShape[], given: ReadonlyMap<string, readonly number[]>): Map<string, number> {
  const binder = new DimBinder(PLAIN, true);
  for (const d of declared) {
    const shape = given.get(d.name);
    if (shape) binder.bind({ name: d.name, shape, declared: d.shape });
  }
  return binder.dims;
}

/** `shape` with every named dim replaced by its size in `dims` (MP4008 when one is not bound). */
export function concreteShape(name: string, shape: readonly Dim[], dims: ReadonlyMap<string, number>): number[] {
  return shape.map((d) => (typeof d === "number" ? d : (dims.get(d) ?? fail("MP4008", `dim ${d} of '${name}' ${text(shape)} is not bound by any input`))));
}

/** A param to initialise: its declared init and its concrete shape. */
export interface ParamInit {
  readonly name: string;
  readonly init: InitName;
  readonly shape: readonly number[];
}

/**
 * Values of the params not in `given`, initialised by their declared init in graph order from one
 * generator seeded `seed` (given params draw nothing): the same values wherever a model runs — the
 * CPU executor, a bundle built with `--seed`, the trainer.
 */
export function initParams(params: readonly ParamInit[], seed: number, given: ReadonlyMap<string, NDArray> = new Map()): Map<string, NDArray> {
  const rng = new Random(seed);
  const out = new Map<string, NDArray>();
  for (const p of params) out.set(p.name, given.get(p.name) ?? initParam(p.init, p.shape, rng));
  return out;
}
