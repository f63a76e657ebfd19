/**
 * Optimizers over named float64 parameter arrays, updated in place: SGD (momentum, Nesterov, L2
 * weight decay), Adam and AdamW, in PyTorch's formulation (`torch.optim.SGD`, `Adam`, `AdamW`).
 * Each is also plain data (`rule`, ir/optimizer.ts): on WebGPU the Trainer runs the same update as
 * kernels on the device instead of calling `step` here. Both use the update formulas of
 * numeric/optim.ts (the WGSL twins are checked against them).
 */
import { MatpropError } from "../../ir/diagnostics.js";
import { optimizerRule, STEP_INPUT, stateInput, type OptimizerRule, type OptimizerSpec } from "../../ir/optimizer.js";
import { adamRule, momentumRule, sgdRule } from "../../ir/ops/optim.js";
import { adamUpdate, momentumUpdate, sgdUpdate } from "../../numeric/optim.js";

export type ParamArrays = ReadonlyMap<string, Float64Array>;

export interface Optimizer {
  /** Update every param that has a gradient, in place. Params without a gradient are left alone. */
  step(params: ParamArrays, grads: ParamArrays): void;
  /** Steps taken so far. */
  readonly steps: number;
  /** The learning rate of the next step (a schedule may change it between steps). */
  lr: number;
  /** The update as data, for running it on a device. */
  readonly rule: OptimizerRule;
  /** The state by the device's tensor names (`optim.<kind>.<param>`; `optim.step` for rules that count steps), flat. */
  stateTensors(): Map<string, Float64Array>;
  /** Restores what `stateTensors` gave (e.g. from a checkpoint); a name this optimizer does not keep is MP4012. */
  setStateTensors(values: ReadonlyMap<string, Float64Array>): void;
}

function checkPair(name: string, p: Float64Array, g: Float64Array): void {
  if (p.length !== g.length) throw new RangeError(`optimizer: param '${name}' has ${p.length} values but its gradient ${g.length}`);
}

function ruleOf(spec: OptimizerSpec): OptimizerRule {
  const rule = optimizerRule(spec);
  if (typeof rule === "string") throw new MatpropError("MP4010", rule);
  return rule;
}

/** Shared by the optimizers: the learning rate, the step count and per-param state arrays. */
abstract class HostOptimizer implements Optimizer {
  readonly rule: OptimizerRule;
  private rate: number;
  private readonly state = new Map<string, Float64Array>();
  steps = 0;

  constructor(spec: OptimizerSpec) {
    this.rule = ruleOf(spec);
    this.rate = this.rule.spec.lr;
  }

  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    this.rate = ruleOf({ ...this.rule.spec, lr: value }).spec.lr;
  }

  /** The state array of `name` with `length` entries, zeros at first. */
  protected stateOf(name: string, length: number): Float64Array {
    let s = this.state.get(name);
    if (!s) this.state.set(name, (s = new Float64Array(length)));
    return s;
  }

  protected abstract update(name: string, p: Float64Array, g: Float64Array, t: number): void;

  stateTensors(): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    const kind = this.rule.state[0];
    if (kind) for (const [p, s] of this.state) out.set(stateInput(kind, p), Float64Array.from(s));
    if (this.rule.counts) out.set(STEP_INPUT, Float64Array.of(this.steps));
    return out;
  }

  setStateTensors(values: ReadonlyMap<string, Float64Array>): void {
    const kind = this.rule.state[0];
    const prefix = kind ? stateInput(kind, "") : undefined;
    for (const name of values.keys()) {
      if (!(name === STEP_INPUT && this.rule.counts) && !(prefix && name.startsWith(prefix))) {
        throw new MatpropError("MP4012", `optimizer state '${name}' does not belong to ${this.rule.spec.kind}${kind ? ` (it keeps ${stateInput(kind, "<param>")})` : " (it keeps no state)"}`);
      }
    }
    this.state.clear();
    for (const [name, v] of values) {
      if (name === STEP_INPUT) this.steps = v[0];
      else this.state.set(name.slice(prefix!.length), Float64Array.from(v));
    }
  }

  step(params: ParamArrays, grads: ParamArrays): void {
    const t = ++this.steps;
    for (const [name, g] of grads) {
      const p = params.get(name);
      if (!p) continue;
      checkPair(name, p, g);
      this.update(name, p, g, t);
    }
  }
}

export interface SGDOptions {
  lr: number;
  /** Heavy-ball momentum μ: v ← μ v + g, p ← p − lr v (PyTorch's form). Default 0. */
  momentum?: number;
  /** Nesterov momentum: p ← p − lr (g + μ v). Needs momentum > 0. Default false. */
  nesterov?: boolean;
  /** L2 weight decay added to the gradient. Default 0. */
  weightDecay?: number;
}

export class SGD extends HostOptimizer {
  constructor(readonly opts: SGDOptions) {
    super({ kind: "sgd", ...opts });
  }

  protected update(name: string, p: Float64Array, g: Float64Array): void {
    if (this.rule.op === "sgdUpdate") sgdUpdate(p, g, this.lr, sgdRule(this.rule.attrs), p);
    else {
      const v = this.stateOf(name, p.length);
      momentumUpdate(p, g, v, this.lr, momentumRule(this.rule.attrs), p, v);
    }
  }
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Adam: L2 decay added to the gradient (default 0); AdamW: decoupled decay of the param (default 0.01). */
  weightDecay?: number;
}

/** Adam (Kingma & Ba): bias-corrected first and second moments; p ← p − lr m̂ / (√v̂ + ε). */
export class Adam extends HostOptimizer {
  constructor(readonly opts: AdamOptions, kind: "adam" | "adamw" = "adam") {
    super({ kind, ...opts });
  }

  protected update(name: string, p: Float64Array, g: Float64Array, t: number): void {
    const n = p.length;
    const mv = this.stateOf(name, 2 * n);
    const [m, v] = [mv.subarray(0, n), mv.subarray(n)];
    adamUpdate(p, g, m, v, t, this.lr, adamRule(this.rule.attrs), p, m, v);
  }
}

/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay p ← p (1 − lr wd) (default wd 0.01). */
export class AdamW extends Adam {
  constructor(opts: AdamOptions) {
    super(opts, "adamw");
  }
}
