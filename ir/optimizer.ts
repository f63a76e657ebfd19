/**
 * Optimizers as graphs. An optimizer is plain data (`OptimizerSpec`: SGD with momentum and
 * Nesterov, Adam, AdamW — PyTorch's defaults and formulation); `withOptimizer` turns a training
 * step graph (forward + backward, with `grad.<param>` outputs) into one that also updates every
 * trained param: it reads the param, its optimizer state, the learning rate and the step count as
 * inputs and returns their next values as `next.<name>` outputs, with the gradients used only
 * inside (so the lowering fuses each gradient's last elementwise work into the update kernel).
 *
 * Whoever runs it carries each `next.<name>` output over to the input `<name>` for the next step:
 * on a device that is a buffer copy and nothing crosses to the host. The learning rate is an input,
 * so a schedule changes it without a new program; the step count is state like the moments.
 */
import type { Attrs } from "./attrs.js";
import { Graph, type Value } from "./graph.js";
import { keepOutputs } from "./prune.js";
import { momentsShape } from "./ops/optim.js";
import type { DType, Dim } from "./types.js";

export type OptimizerSpec =
  | { readonly kind: "sgd"; readonly lr: number; readonly momentum?: number; readonly nesterov?: boolean; readonly weightDecay?: number }
  | { readonly kind: "adam" | "adamw"; readonly lr: number; readonly beta1?: number; readonly beta2?: number; readonly eps?: number; readonly weightDecay?: number };

/** An optimizer as the update op that applies it. */
export interface OptimizerRule {
  readonly spec: OptimizerSpec;
  readonly op: "sgdUpdate" | "momentumUpdate" | "adamUpdate";
  readonly attrs: Attrs;
  /** State tensors per param (zeros at first), in the op's operand order: Adam's moments are [2, …param]. */
  readonly state: readonly string[];
  /** Whether the op reads the step count (Adam's bias corrections). */
  readonly counts: boolean;
}

/** The learning-rate input (f32 scalar) and the step-count state (f32 scalar, 0 before the first step). */
export const LR_INPUT = "optim.lr";
export const STEP_INPUT = "optim.step";
/** Prefix of the outputs that hold a carried tensor's next value. */
export const NEXT_PREFIX = "next.";

/** The input that holds optimizer state `kind` of `param`. */
export const stateInput = (kind: string, param: string) => `optim.${kind}.${param}`;

const KEYS: Record<OptimizerSpec["kind"], readonly string[]> = {
  sgd: ["kind", "lr", "momentum", "nesterov", "weightDecay"],
  adam: ["kind", "lr", "beta1", "beta2", "eps", "weightDecay"],
  adamw: ["kind", "lr", "beta1", "beta2", "eps", "weightDecay"],
};

/** The learning rate of a spec, or why it is not one (finite and ≥ 0). */
export function learningRate(lr: unknown): number | string {
  return typeof lr === "number" && Number.isFinite(lr) && lr >= 0 ? lr : `the learning rate must be a finite number ≥ 0, got ${String(lr)}`;
}

/**
 * The rule for a spec, with PyTorch's defaults (momentum 0; β = (0.9, 0.999), ε = 1e-8; weight
 * decay 0, or 0.01 for AdamW), or a sentence saying what is wrong with it.
 */
export function optimizerRule(spec: unknown): OptimizerRule | string {
  if (typeof spec !== "object" || spec === null) return `an optimizer is an object such as { kind: "adam", lr: 0.001 }, got ${String(spec)}`;
  const s = spec as Record<string, unknown>;
  const kind = s.kind;
  if (kind !== "sgd" && kind !== "adam" && kind !== "adamw") return `optimizer kind must be "sgd", "adam" or "adamw", got ${JSON.stringify(kind)}`;
  const unknown = Object.keys(s).filter((k) => !KEYS[kind].includes(k));
  if (unknown.length) return `${kind} takes ${KEYS[kind].slice(1).join(", ")}; unknown option ${unknown.map((k) => `'${k}'`).join(", ")}`;
  const lr = learningRate(s.lr);
  if (typeof lr === "string") return lr;
  const num = (key: string, fallback: number, ok: (x: number) => boolean, want: string): number | string => {
    const x = s[key] ?? fallback;
    return typeof x === "number" && Number.isFinite(x) && ok(x) ? x : `${kind}: ${key} must be ${want}, got ${String(x)}`;
  };
  const weightDecay = num("weightDecay", kind === "adamw" ? 0.01 : 0, (x) => x >= 0, "a number ≥ 0");
  if (typeof weightDecay === "string") return weightDecay;
  if (kind === "sgd") {
    const momentum = num("momentum", 0, (x) => x >= 0, "a number ≥ 0");
    if (typeof momentum === "string") return momentum;
    const nesterov = s.nesterov ?? false;
    if (typeof nesterov !== "boolean") return `sgd: nesterov must be true or false, got ${String(nesterov)}`;
    if (nesterov && momentum === 0) return "sgd: Nesterov momentum needs a momentum > 0";
    const norm = { kind, lr, momentum, nesterov, weightDecay } as const;
    if (momentum === 0) return { spec: norm, op: "sgdUpdate", attrs: { weightDecay }, state: [], counts: false };
    return { spec: norm, op: "momentumUpdate", attrs: { momentum, nesterov, weightDecay }, state: ["velocity"], counts: false };
  }
  const beta1 = num("beta1", 0.9, (x) => x >= 0 && x < 1, "in [0, 1)");
  const beta2 = num("beta2", 0.999, (x) => x >= 0 && x < 1, "in [0, 1)");
  const eps = num("eps", 1e-8, (x) => x >= 0, "a number ≥ 0");
  for (const x of [beta1, beta2, eps]) if (typeof x === "string") return x;
  const norm: OptimizerSpec = { kind, lr, beta1: beta1 as number, beta2: beta2 as number, eps: eps as number, weightDecay };
  return { spec: norm, op: "adamUpdate", attrs: { beta1, beta2, eps, weightDecay, decoupled: kind === "adamw" }, state: ["moments"], counts: true };
}

/** A tensor carried from one step to the next: read from input `input`, its next value written to output `output`. */
export interface Carry {
  readonly input: string;
  readonly output: string;
}

/** A tensor the optimizer adds as an input: its shape, dtype, and zeros as its first value. */
export interface StateSpec {
  readonly name: string;
  readonly shape: readonly Dim[];
  readonly dtype: DType;
}

export interface TrainingGraph {
  readonly graph: Graph;
  /** Trained params and every optimizer state, carried to the next step. */
  readonly carries: readonly Carry[];
  /** The optimizer's state inputs (zeros before the first step), the step count included. */
  readonly state: readonly StateSpec[];
}

/**
 * `step` (with a `grad.<p>` output for every trained param p) plus the update of each trained
 * param. The result returns `next.<name>` for every carried tensor and those of `step`'s outputs
 * `keep` names (gradients are used inside and not returned unless kept).
 */
export function withOptimizer(step: Graph, rule: OptimizerRule, trained: readonly string[], keep: (output: string) => boolean): TrainingGraph {
  const g = keepOutputs(step);
  const params = new Map(g.sources().filter((n) => n.op === "param").map((n) => [n.attrs.name as string, n.outputs[0]]));
  const grads = new Map(g.outputs.map((o) => [o.name, o.value]));
  const input = (name: string, shape: readonly Dim[], dtype: DType): Value => g.apply("input", [], { name, dtype, shape: [...shape], structure: "general" });
  const lr = input(LR_INPUT, [], "f32");
  const state: StateSpec[] = [];
  const carries: Carry[] = [];
  const carry = (name: string, next: Value) => {
    g.setOutput(NEXT_PREFIX + name, next);
    carries.push({ input: name, output: NEXT_PREFIX + name });
  };
  let count: Value | undefined;
  if (rule.counts) {
    state.push({ name: STEP_INPUT, shape: [], dtype: "f32" });
    count = g.apply("add", [input(STEP_INPUT, [], "f32"), g.apply("constant", [], { value: 1, dtype: "f32" })]);
    carry(STEP_INPUT, count);
  }
  for (const name of trained) {
    const p = params.get(name);
    const grad = grads.get(`grad.${name}`);
    if (!p || !grad) throw new Error(`withOptimizer: ${p ? `no gradient output 'grad.${name}'` : `no param '${name}'`}`);
    const { shape, dtype } = p.type;
    const states = rule.state.map((kind) => {
      const spec = { name: stateInput(kind, name), shape: kind === "moments" ? momentsShape(shape) : shape, dtype };
      state.push(spec);
      return input(spec.name, spec.shape, dtype);
    });
    const node = g.add(rule.op, [p, grad, ...states, ...(count ? [count] : []), lr], rule.attrs);
    carry(name, node.outputs[0]);
    states.forEach((s, i) => carry(s.node.attrs.name as string, node.outputs[i + 1]));
  }
  return { graph: keepOutputs(g, (o) => o.startsWith(NEXT_PREFIX) || keep(o)), carries, state };
}
