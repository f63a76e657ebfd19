/**
 * The issue-12 ops in one bundle-sized model: gathers by i32 indices, joins, softmax along a
 * non-last axis, logsumexp, comparisons and where, einsum, and i32 (argmax) and bool outputs.
 */
import { model, nn, ops } from "matprop";

export default model("indexing", ({ input, param }) => {
  const x = input("x", [4, 5]);
  const idx = input("idx", [3], { dtype: "i32" });
  const W = param("W", [5, 3], { init: "normal" });
  const h = ops.tanh(ops.matmul(x, W));
  const rows = ops.take(h, idx, { axis: 0 });
  const joined = ops.concatenate([h, rows]);
  const p = nn.softmax(joined, { axis: 0 });
  const signs = ops.where(ops.greater(joined, 0), 1, -1);
  const loss = ops.add(ops.mean(ops.logsumexp(joined, { axis: -1 })), ops.sum(ops.mul(p, signs)));
  return { loss, best: ops.argmax(joined, { axis: -1 }), positive: ops.greater(joined, 0), gram: ops.einsum("ij,kj->ik", h, rows) };
});
