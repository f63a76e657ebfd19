/**
 * What the issue-12 ops refuse when the graph is built, with the code and words a user sees (tsc
 * rejects the literal cases first: test/types/static-rejections-ops.ts).
 */
import { describe, expect, it } from "vitest";
import { model, ops, type Tensor } from "../../index.js";
import { MatpropError } from "../../ir/diagnostics.js";

function refusal(build: (input: (name: string, shape: (number | string)[], opts?: { dtype?: "i32" }) => Tensor) => Record<string, Tensor>): string {
  try {
    model("refused", ({ input }) => build((n, s, o) => input(n, s, o) as Tensor)).build();
  } catch (e) {
    if (e instanceof MatpropError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "accepted";
}

describe("einsum, checked when the graph is built", () => {
  const spec = (s: string) => s; // a string tsc cannot count
  it.each([
    ["ii->i", [[3, 3]], /^MP2004: einsum 'ii->i': subscript 'i' repeats within operand 0/],
    ["...ij->ij", [[2, 3]], /^MP2004: einsum '\.\.\.ij->ij': ellipses/],
    ["ij,jk->ik", [[2, 3]], /^MP2004: einsum 'ij,jk->ik': 2 operand subscripts but 1 operand/],
    ["ijk->k", [[2, 3]], /^MP2004: einsum 'ijk->k': operand 0 has rank 2 but subscripts 'ijk'/],
    ["ij->iz", [[2, 3]], /^MP2004: einsum 'ij->iz': output subscript 'z' is in no operand/],
    ["ij,jk->ik", [[2, 3], [4, 5]], /^MP2001: einsum 'ij,jk->ik': subscript 'j' is 3 in one operand and 4 in operand 1/],
  ] as const)("%s on shapes %j", (s, shapes, want) => {
    expect(refusal((input) => ({ y: ops.einsum(spec(s), ...shapes.map((sh, k) => input(`x${k}`, [...sh]))) }))).toMatch(want);
  });
});

describe("indexing and comparisons, checked when the graph is built", () => {
  it("concatenate: other dims must agree, and a named joined dim has no size", () => {
    expect(refusal((input) => ({ y: ops.concatenate([input("a", [2, 3]), input("b", [3, 3])] as never, { axis: 1 }) }))).toMatch(/^MP2001: concatenate: input 1 has shape \[3, 3\], input 0 \[2, 3\]: every dim but axis 1 must agree/);
    expect(refusal((input) => ({ y: ops.concatenate([input("a", ["B", 3]), input("b", [2, 3])] as never) }))).toMatch(/^MP2012: concatenate: input 0 has the named dim 'B' along axis 0/);
  });
  it("slice: an empty selection, an axis out of range", () => {
    expect(refusal((input) => ({ y: ops.slice(input("a", [4]), { axis: 0, start: 3, stop: 1 }) }))).toMatch(/^MP2012: slice: start 3 and stop 1 select nothing/);
    expect(refusal((input) => ({ y: ops.slice(input("a", [4]), { axis: 1, start: 0 }) }))).toMatch(/^MP2004: slice: axis 1 is out of range for rank 1/);
  });
  it("take: indices must be i32", () => {
    expect(refusal((input) => ({ y: ops.take(input("a", [4]), input("i", [2]), { axis: 0 }) }))).toMatch(/^MP2006: take: indices must be i32, got f32/);
  });
  it("arithmetic refuses bool, where needs a bool cond", () => {
    expect(refusal((input) => ({ y: ops.add(ops.greater(input("a", [2]), 0) as never, 1) }))).toMatch(/^MP2006: add: operands must be numbers, got bool/);
    expect(refusal((input) => ({ y: ops.where(input("c", [2]), 1, 0) }))).toMatch(/^MP2006: where: cond must be bool/);
  });
  it("argmax takes one axis", () => {
    expect(refusal((input) => ({ y: ops.argmax(input("a", [2, 3]), { axis: [0, 1] } as never) }))).toMatch(/^MP2004: argmax: axis must be one axis or null/);
  });
});
