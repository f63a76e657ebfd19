/**
 * Optimizer updates in float64, one element at a time, in PyTorch's formulation (torch.optim.SGD
 * with momentum/Nesterov and L2 weight decay, torch.optim.Adam, torch.optim.AdamW). The update ops
 * of the IR (ir/ops/optim.ts) evaluate with these, and so do the host optimizers of the training
 * library; the WGSL twins are in codegen/kernels/optim.ts. Outputs may alias inputs (an in-place
 * update): every element is read before it is written.
 */

export interface SgdRule {
  /** L2 penalty added to the gradient: g ← g + wd·p. */
  readonly weightDecay: number;
}

export interface MomentumRule extends SgdRule {
  /** μ in v ← μ·v + g (PyTorch's form, no dampening). */
  readonly momentum: number;
  /** Nesterov: step along g + μ·v instead of v. */
  readonly nesterov: boolean;
}

export interface AdamRule {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW: the decay shrinks the param (p ← p·(1 − lr·wd)) instead of joining the gradient. */
  readonly decoupled: boolean;
}

type Arr = Float64Array;

/** p ← p − lr·(g + wd·p). */
export function sgdUpdate(p: Arr, g: Arr, lr: number, rule: SgdRule, pOut: Arr): void {
  const wd = rule.weightDecay;
  for (let i = 0; i < p.length; i++) pOut[i] = p[i] - lr * (g[i] + wd * p[i]);
}

/** g ← g + wd·p; v ← μ·v + g; p ← p − lr·(Nesterov ? g + μ·v : v). */
export function momentumUpdate(p: Arr, g: Arr, v: Arr, lr: number, rule: MomentumRule, pOut: Arr, vOut: Arr): void {
  const { weightDecay: wd, momentum: mu, nesterov } = rule;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + wd * p[i];
    const vi = mu * v[i] + gi;
    vOut[i] = vi;
    pOut[i] = p[i] - lr * (nesterov ? gi + mu * vi : vi);
  }
}

/**
 * Adam at step t (1 for the first update): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * p ← p − lr·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε); with L2 decay g ← g + wd·p first, or for
 * AdamW p ← p·(1 − lr·wd) first.
 */
export function adamUpdate(p: Arr, g: Arr, m: Arr, v: Arr, t: number, lr: number, rule: AdamRule, pOut: Arr, mOut: Arr, vOut: Arr): void {
  const { beta1, beta2, eps, weightDecay: wd, decoupled } = rule;
  const c1 = 1 - beta1 ** t;
  const c2 = 1 - beta2 ** t;
  for (let i = 0; i < p.length; i++) {
    const pi = decoupled ? p[i] * (1 - lr * wd) : p[i];
    const gi = decoupled ? g[i] : g[i] + wd * p[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = pi - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}
