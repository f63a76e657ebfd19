/**
 * The spectral rewrite: `U · diag(g(w)) · Uᵀ` built by hand from `[w, U] = linalg.eigh(X)` and an
 * elementwise g becomes `spectralApply(X, w, U, g(w), g'(w))`, whose adjoint is the Daleckii–Krein
 * rule — finite at repeated eigenvalues, where chaining the eigh rule divides by zero. The two
 * give the same derivative wherever the eigenvalues are distinct (docs/architecture.md, rule 2), so the
 * rewrite changes no number there. Recognised spellings of the product:
 *   (U · diagm(v)) · Uᵀ,   U · (diagm(v) · Uᵀ),   (U ∘ v) · Uᵀ  (v broadcast as a row),
 * with v = g(w) a chain of elementwise ops whose only non-constant leaf is w. It does not fire
 * when the two factors are different matrices (U diag(v) Vᵀ) or g involves anything but w.
 */
import type { Emitter } from "../../ir/emitter.js";
import type { Node, Value } from "../../ir/graph.js";
import { getOp } from "../../ir/registry.js";
import type { RewriteRule } from "./rewrite.js";

function transposeOf(v: Value): Value | undefined {
  return v.node.op === "transpose" ? v.node.inputs[0] : undefined;
}

/** `diagm(v)` → v. */
function diagonalOf(v: Value): Value | undefined {
  return v.node.op === "diagm" ? v.node.inputs[0] : undefined;
}

/** A row vector broadcast over columns: v itself ([..., n]) or reshape(v, [..., 1, n]). */
function rowVectorOf(v: Value, n: Value): Value | undefined {
  const s = v.type.shape;
  const len = n.type.shape[n.type.shape.length - 1];
  if (s.length === 1 && s[0] === len) return v;
  if (v.node.op === "reshape" && s.length >= 2 && s[s.length - 2] === 1) return v.node.inputs[0];
  return undefined;
}

/** Match the product `U · diag(v) · Uᵀ`; returns [U, v]. */
function matchConjugation(node: Node): [Value, Value] | undefined {
  if (node.op !== "matmul") return undefined;
  const [left, right] = node.inputs;
  const ut = transposeOf(right);
  if (ut && left.node.op === "matmul" && left.node.inputs[0] === ut) {
    const v = diagonalOf(left.node.inputs[1]);
    if (v) return [ut, v];
  }
  if (ut && left.node.op === "mul") {
    const [a, b] = left.node.inputs;
    if (a === ut) {
      const v = rowVectorOf(b, ut);
      if (v) return [ut, v];
    }
    if (b === ut) {
      const v = rowVectorOf(a, ut);
      if (v) return [ut, v];
    }
  }
  if (right.node.op === "matmul" && transposeOf(right.node.inputs[1]) === left) {
    const v = diagonalOf(right.node.inputs[0]);
    if (v) return [left, v];
  }
  return undefined;
}

/** The nodes of g in v = g(w), in definition order, if g is elementwise in w alone. */
function elementwiseChain(v: Value, w: Value): Node[] | undefined {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const visit = (x: Value): boolean => {
    if (x === w || x.node.op === "constant") return true;
    if (seen.has(x.node)) return true;
    if (getOp(x.node.op).family !== "elementwise" || x.type.shape.length !== w.type.shape.length) return false;
    seen.add(x.node);
    if (!x.node.inputs.every(visit)) return false;
    order.push(x.node);
    return true;
  };
  return visit(v) ? order : undefined;
}

/** g'(w) by reverse mode through the chain, seeded with ones (g is elementwise: its Jacobian is diagonal). */
function derivative(e: Emitter, chain: readonly Node[], v: Value, w: Value): Value {
  if (v === w) return e.broadcastTo(e.constant(1, w.type.dtype), w.type.shape);
  const ct = new Map<Value, Value>([[v, e.broadcastTo(e.constant(1, w.type.dtype), w.type.shape)]]);
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i];
    const g = ct.get(node.outputs[0]);
    if (!g) continue;
    const grads = getOp(node.op).adjoint!({ node, inputs: node.inputs, outputs: node.outputs, attrs: node.attrs, cotangents: [g], e });
    grads.forEach((gi, k) => {
      const x = node.inputs[k];
      if (!gi || x.node.op === "constant") return;
      const prev = ct.get(x);
      ct.set(x, prev ? e.add(prev, gi) : gi);
    });
  }
  return ct.get(w) ?? e.broadcastTo(e.constant(0, w.type.dtype), w.type.shape);
}

export const SPECTRAL_REWRITE: RewriteRule = {
  name: "spectral-function",
  match(node, e) {
    const m = matchConjugation(node);
    if (!m) return undefined;
    const [u, v] = m;
    const eig = u.node;
    if (eig.op !== "eigh" || u !== eig.outputs[1]) return undefined;
    const [x] = eig.inputs;
    const w = eig.outputs[0];
    const chain = elementwiseChain(v, w);
    if (!chain) return undefined;
    return [e.op("spectralApply", [x, w, u, v, derivative(e, chain, v, w)])];
  },
};
