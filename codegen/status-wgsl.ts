/**
 * The WGSL side of the status buffer (runtime/webgpu/status.ts): a kernel with checks declares the
 * binding at @group(1) @binding(0), outside the planned buffers, and reports a failure with
 * `mp_fail(word, payload)` on the failing path only — `atomicMax` of `~payload`, so a word is 0
 * until something fails and the smallest payload (the first failing element or matrix) wins.
 */

/** WGSL a kernel with checks includes: the binding and `mp_fail(word, payload)`. */
export const STATUS_WGSL = `@group(1) @binding(0) var<storage, read_write> mp_status: array<atomic<u32>>;
// Report failure at status word w, payload p (an element or matrix index); the smallest p is kept.
fn mp_fail(w: u32, p: u32) { atomicMax(&mp_status[w], ~p); }`;
