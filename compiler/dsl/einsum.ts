/**
 * `einsum(spec, ...operands)`: Einstein summation (numpy.einsum without ellipses), checked when the
 * graph is built and lowered to what the compiler already differentiates and fuses: sums over
 * subscripts no later operand or the output needs, then pairwise contractions left to right, each a
 * permute + reshape to [batch…, free, contracted] and one batched matmul.
 */
import { fail, type SourceLoc } from "../../ir/diagnostics.js";
import { dimEquals, formatDim, type Dim } from "../../ir/types.js";
import type { TensorHandle } from "./builder.js";
import { callerLocation } from "./location.js";
import { matmul, permute, reshape, sum } from "./ops.js";
import type { Dim as DimT, EinsumCheck, Tensor } from "./types.js";

interface Term {
  readonly t: Tensor;
  readonly labels: readonly string[];
}

/** The subscripts of each operand and of the output (NumPy's implicit output when `->` is absent). */
export function parseEinsum(spec: string, ranks: readonly number[], loc?: SourceLoc): { inputs: string[][]; output: string[] } {
  const bad = (msg: string): never => fail("MP2004", `einsum '${spec}': ${msg}`, loc);
  const text = spec.replace(/\s+/g, "");
  if (text.includes(".")) bad("ellipses ('...') are not supported: name every dim");
  const [lhs, rhs, ...more] = text.split("->");
  if (more.length > 0) bad("more than one '->'");
  const inputs = lhs.split(",").map((s) => [...s]);
  if (inputs.length !== ranks.length) bad(`${inputs.length} operand subscript${inputs.length === 1 ? "" : "s"} but ${ranks.length} operand${ranks.length === 1 ? "" : "s"}`);
  for (const [k, subs] of inputs.entries()) {
    if (subs.some((c) => !/[A-Za-z]/.test(c))) bad(`operand ${k}'s subscripts '${subs.join("")}' must be letters`);
    if (subs.length !== ranks[k]) bad(`operand ${k} has rank ${ranks[k]} but subscripts '${subs.join("")}'`);
    const twice = subs.find((c, i) => subs.indexOf(c) !== i);
    if (twice) bad(`subscript '${twice}' repeats within operand ${k} (take its diagonal with ops.diag first)`);
  }
  const all = inputs.flat();
  const output = rhs === undefined ? [...new Set(all)].filter((c) => all.indexOf(c) === all.lastIndexOf(c)).sort() : [...rhs];
  if (output.some((c) => !/[A-Za-z]/.test(c))) bad(`output subscripts '${output.join("")}' must be letters`);
  const twice = output.find((c, i) => output.indexOf(c) !== i);
  if (twice) bad(`subscript '${twice}' repeats in the output`);
  const unknown = output.find((c) => !all.includes(c));
  if (unknown) bad(`output subscript '${unknown}' is in no operand`);
  return { inputs, output };
}

/** Einstein summation over `operands` (see the module comment); `spec` as numpy.einsum's, e.g. "bij,bjk->bik". */
export function einsumOf(spec: string, operands: readonly Tensor[], loc = callerLocation()): Tensor {
  const shapes = operands.map((x) => (x as unknown as TensorHandle).shape);
  const { inputs, output } = parseEinsum(spec, shapes.map((s) => s.length), loc);
  const size = new Map<string, Dim>();
  inputs.forEach((subs, k) =>
    subs.forEach((c, i) => {
      const d = shapes[k][i];
      const seen = size.get(c);
      if (seen !== undefined && !dimEquals(seen, d)) fail("MP2001", `einsum '${spec}': subscript '${c}' is ${formatDim(seen)} in one operand and ${formatDim(d)} in operand ${k}`, loc);
      size.set(c, d);
    }),
  );
  const dimsOf = (labels: readonly string[]) => labels.map((c) => size.get(c)!);
  /** One dim for a group of subscripts (1 when empty); named dims cannot be merged with others. */
  const merged = (labels: readonly string[]): Dim => {
    if (labels.length === 1) return size.get(labels[0])!;
    const ds = dimsOf(labels);
    if (ds.some((d) => typeof d !== "number")) fail("MP2012", `einsum '${spec}': subscripts '${labels.join("")}' would merge a named dim with others into one matmul dim`, loc);
    return (ds as number[]).reduce((p, d) => p * d, 1);
  };
  const arrange = (term: Term, order: readonly string[]): Tensor => {
    const axes = order.map((c) => term.labels.indexOf(c));
    return axes.every((a, i) => a === i) ? term.t : permute(term.t, axes);
  };
  const reshaped = (t: Tensor, shape: readonly Dim[]): Tensor => {
    const now = (t as unknown as TensorHandle).shape;
    return now.length === shape.length && now.every((d, i) => d === shape[i]) ? t : reshape(t, shape);
  };
  const sumOut = (term: Term, keep: ReadonlySet<string>): Term => {
    const axes = term.labels.flatMap((c, i) => (keep.has(c) ? [] : [i]));
    return axes.length === 0 ? term : { t: sum(term.t, { axis: axes }) as Tensor, labels: term.labels.filter((c) => keep.has(c)) };
  };
  const contract = (a: Term, b: Term, needed: ReadonlySet<string>): Term => {
    const shared = a.labels.filter((c) => b.labels.includes(c));
    // A named dim summed together with others cannot be merged into the matmul's inner dim: it
    // stays a batch dim of the product and is summed after it.
    const late = shared.filter((c) => !needed.has(c) && typeof size.get(c) !== "number" && shared.filter((x) => !needed.has(x)).length > 1);
    const batch = shared.filter((c) => needed.has(c) || late.includes(c));
    const summed = shared.filter((c) => !batch.includes(c));
    const freeA = a.labels.filter((c) => !b.labels.includes(c));
    const freeB = b.labels.filter((c) => !a.labels.includes(c));
    const A = reshaped(arrange(a, [...batch, ...freeA, ...summed]), [...dimsOf(batch), merged(freeA), merged(summed)]);
    const B = reshaped(arrange(b, [...batch, ...summed, ...freeB]), [...dimsOf(batch), merged(summed), merged(freeB)]);
    const labels = [...batch, ...freeA, ...freeB];
    const product = { t: reshaped(matmul(A, B as never) as Tensor, dimsOf(labels)), labels };
    return sumOut(product, new Set(labels.filter((c) => !late.includes(c))));
  };
  const later = (k: number) => new Set([...output, ...inputs.slice(k + 1).flat()]);
  let acc = sumOut({ t: operands[0], labels: inputs[0] }, later(0));
  for (let k = 1; k < operands.length; k++) {
    const b = sumOut({ t: operands[k], labels: inputs[k] }, new Set([...later(k), ...acc.labels]));
    acc = contract(acc, b, later(k));
  }
  return arrange(sumOut(acc, new Set(output)), output);
}

/**
 * Einstein summation (numpy.einsum, without ellipses): `einsum("bij,bjk->bik", A, B)` is a batched
 * matmul, `"i,i->"` a dot product, `"ij->ji"` a transpose; without `->` the output is the subscripts
 * that appear once, sorted (NumPy's implicit mode). tsc checks the operand count; the graph builder
 * checks ranks, repeated subscripts (take a diagonal with `ops.diag` first) and that each subscript
 * names one size. Lowered to sums, permutes, reshapes and batched matmuls, left to right.
 */
export function einsum<const Spec extends string, const T extends readonly Tensor[]>(spec: Spec & EinsumCheck<Spec, T>, ...operands: T): Tensor<DimT[]> {
  return einsumOf(spec, operands) as Tensor<DimT[]>;
}
