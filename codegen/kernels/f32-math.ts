/**
 * f32 `exp` and `log1p` accurate to a few ulps over the whole range, for kernels whose results are
 * tiny numbers that must keep their relative accuracy: the probabilities and losses of confident
 * predictions (softmax, cross-entropy), log divided differences. WGSL promises `exp(x)` only to
 * 3 + 2|x| ulps (163 ulps at x = −80) and `log` only an absolute 2⁻²¹ on [0.5, 2], where
 * log(1 + x) for small x has no relative accuracy at all; there is no log1p builtin.
 */
export const F32_MATH = /* wgsl */ `
// exp(x) = 2^k · exp(r), r = x − k·ln2 ∈ [−ln2/2, ln2/2]: WGSL's exp is within 4 ulps there. ln2 is split
// in two (Cody–Waite): k·ln2_hi is exact for |k| ≤ 256, so r carries no cancellation error.
fn mp_exp(x: f32) -> f32 {
  if (x < -103.0) { return 0.0; }
  if (!(x <= 88.0)) { return exp(x); }
  let k = round(x * 1.4426950408889634);
  let r = (x - k * 0.693145751953125) - k * 1.428606765330187e-6;
  return ldexp(exp(r), i32(k));
}
// exp(a − b) for f32 a, b: a − b rounds to d with an error e that TwoSum recovers exactly, and
// exp(a − b) = exp(d)·(1 + e) to first order — otherwise the rounding of a − b alone (half an ulp of
// the margin: 2e-6 at 80) would be the relative error of every small probability.
fn mp_exp_diff(a: f32, b: f32) -> f32 {
  let d = a - b;
  let bb = d - a;
  let e = (a - (d - bb)) + (-b - bb);
  return mp_exp(d) * (1.0 + e);
}
// log(1 + x): on 1 + x ∈ [0.5, 2] as 2·atanh(t), t = x / (2 + x), |t| ≤ 1/3, by its series to t¹⁷
// (truncation below t¹⁸/19 ≈ 1e-10 relative); elsewhere log is accurate to 3 ulps.
fn mp_log1p(x: f32) -> f32 {
  if (x >= -0.5 && x <= 1.0) {
    let t = x / (2.0 + x);
    let u = t * t;
    return 2.0 * t * (1.0 + u * (1.0 / 3.0 + u * (1.0 / 5.0 + u * (1.0 / 7.0 + u * (1.0 / 9.0 + u * (1.0 / 11.0 + u * (1.0 / 13.0 + u * (1.0 / 15.0 + u / 17.0))))))));
  }
  return log(1.0 + x);
}
`;
