/**
 * Optimizers over named float64 parameter arrays, updated in place. Written once here so every
 * example trains the same way. Conventions follow PyTorch (`torch.optim.SGD` with momentum,
 * `torch.optim.Adam`), so their first steps can be checked by hand.
 */

export type ParamArrays = ReadonlyMap<string, Float64Array>;

export interface Optimizer {
  /** Update every param that has a gradient, in place. Params without a gradient are left alone. */
  step(params: ParamArrays, grads: ParamArrays): void;
  /** Steps taken so far. */
  readonly steps: number;
}

function checkPair(name: string, p: Float64Array, g: Float64Array): void {
  if (p.length !== g.length) throw new RangeError(`optimizer: param '${name}' has ${p.length} values but its gradient ${g.length}`);
}

export interface SGDOptions {
  lr: number;
  /** Heavy-ball momentum μ: v ← μ v + g, p ← p − lr v (PyTorch's form). Default 0. */
  momentum?: number;
  /** L2 weight decay added to the gradient. Default 0. */
  weightDecay?: number;
}

export class SGD implements Optimizer {
  private readonly velocity = new Map<string, Float64Array>();
  steps = 0;
  constructor(readonly opts: SGDOptions) {}

  step(params: ParamArrays, grads: ParamArrays): void {
    const { lr, momentum = 0, weightDecay = 0 } = this.opts;
    for (const [name, g] of grads) {
      const p = params.get(name);
      if (!p) continue;
      checkPair(name, p, g);
      let v = this.velocity.get(name);
      if (!v) this.velocity.set(name, (v = new Float64Array(p.length)));
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] + weightDecay * p[i];
        v[i] = momentum * v[i] + gi;
        p[i] -= lr * v[i];
      }
    }
    this.steps++;
  }
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Adam (Kingma & Ba): bias-corrected first and second moments; p ← p − lr m̂ / (√v̂ + ε). */
export class Adam implements Optimizer {
  private readonly m = new Map<string, Float64Array>();
  private readonly v = new Map<string, Float64Array>();
  steps = 0;
  constructor(readonly opts: AdamOptions) {}

  step(params: ParamArrays, grads: ParamArrays): void {
    const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = this.opts;
    const t = ++this.steps;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (const [name, g] of grads) {
      const p = params.get(name);
      if (!p) continue;
      checkPair(name, p, g);
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m) this.m.set(name, (m = new Float64Array(p.length)));
      if (!v) this.v.set(name, (v = new Float64Array(p.length)));
      for (let i = 0; i < p.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
}
