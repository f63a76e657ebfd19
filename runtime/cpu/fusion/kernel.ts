/**
 * Source generation for a fused elementwise group: one loop over a contiguous run of output
 * elements that loads each input once, evaluates the members' templates into locals and stores the
 * root. It also folds every computed value v into `chk += v * 0`, which stays ±0 while all values are
 * finite and becomes NaN as soon as one is not: the executor then re-runs the group node by node to
 * name the node that failed, exactly as the unfused executor would.
 *
 * Compiled functions are cached by their source, so groups of the same shape share one function
 * (and V8's optimised code for it). Where `new Function` is not allowed (a strict
 * Content-Security-Policy), `compile` returns null and the executor evaluates node by node.
 */
import type { Value } from "../../../ir/graph.js";
import type { Group } from "./groups.js";
import { TEMPLATES } from "./templates.js";

/** (out, outOffset, length, inputArrays, inputOffsets, params) → the finiteness accumulator. */
export type RowKernel = (out: Float64Array, o: number, len: number, x: readonly Float64Array[], at: readonly number[], p: readonly number[]) => number;

export interface CompiledGroup {
  readonly group: Group;
  /** Attribute values the templates read (pow's exponent). */
  readonly params: readonly number[];
  /** The kernel for a given inner stride (0 = broadcast along the row, 1 = contiguous) per input; null if code generation is unavailable. */
  kernel(innerStrides: readonly number[]): RowKernel | null;
}

const cache = new Map<string, RowKernel | null>();

function compile(source: string): RowKernel | null {
  if (!cache.has(source)) {
    let fn: RowKernel | null = null;
    try {
      fn = new Function(source)() as RowKernel;
    } catch {
      fn = null;
    }
    cache.set(source, fn);
  }
  return cache.get(source)!;
}

/** The loop body's statements for a group, given how each input is named. */
function body(group: Group, params: number[], inputName: (v: Value) => string): { lines: string[]; root: string } {
  const local = new Map<Value, string>();
  const lines: string[] = [];
  const param = (value: number) => {
    params.push(value);
    return `p${params.length - 1}`;
  };
  group.nodes.forEach((node, m) => {
    const args = node.inputs.map((v) => local.get(v) ?? inputName(v));
    const name = `t${m}`;
    lines.push(`const ${name} = ${TEMPLATES[node.op](args, node.attrs, param)};`);
    lines.push(`chk += ${name} * 0;`);
    local.set(node.outputs[0], name);
  });
  return { lines, root: local.get(group.root.outputs[0])! };
}

export function compileGroup(group: Group): CompiledGroup {
  const params: number[] = [];
  const { lines, root } = body(group, params, (v) => `a${group.inputs.indexOf(v)}`);
  const kernels = new Map<string, RowKernel | null>();
  return {
    group,
    params,
    kernel(innerStrides) {
      const key = innerStrides.join("");
      if (!kernels.has(key)) {
        const head: string[] = [];
        const loads: string[] = [];
        innerStrides.forEach((s, j) => {
          if (s === 0) head.push(`const a${j} = x[${j}][at[${j}]];`);
          else {
            head.push(`const x${j} = x[${j}], i${j} = at[${j}];`);
            loads.push(`const a${j} = x${j}[i${j} + k];`);
          }
        });
        params.forEach((_, j) => head.push(`const p${j} = p[${j}];`));
        const source = [
          '"use strict";',
          "return function fusedRow(out, o, len, x, at, p) {",
          ...head,
          "let chk = 0;",
          "for (let k = 0; k < len; k++) {",
          ...loads,
          ...lines,
          `out[o + k] = ${root};`,
          "}",
          "return chk;",
          "};",
        ].join("\n");
        kernels.set(key, compile(source));
      }
      return kernels.get(key)!;
    },
  };
}
