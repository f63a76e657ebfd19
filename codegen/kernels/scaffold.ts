/**
 * The one WGSL kernel scaffold every kernel is assembled with: storage bindings (access, element
 * count, and the IR value bound there), operands given as fused expressions, module-scope
 * declarations, the WGSL prelude the expressions call, the entry point with its builtins, and the
 * outputs the dispatch covers. A kernel writes only its own arithmetic; the scaffold returns it as
 * a KernelSource with the value ids bound, in binding order, for the planner.
 *
 * Operands are fused expressions: `operand("ldx", e)` declares `fn ldx(i) -> f32`, element i of `e`
 * in row-major order — a plain read of a buffer when `e` is one, otherwise the expression (a ReLU,
 * a bias, a transposed view) evaluated at i's coordinates, with a binding for each buffer it loads.
 * So a hand-written kernel (a convolution, an eigensolver) takes fused inputs by calling `ldx(i)`
 * where it would index `x[i]`.
 *
 * Failures a kernel reports on the device (runtime/webgpu/status.ts) are its `checks`: `check(c)`
 * gives the status word of a failure (one per distinct node and message, shared by the fused
 * expressions' domain checks and the kernel's own), and a kernel with checks gets the status
 * binding at @group(1) and `mp_fail(word, payload)`.
 */
import { type Coverage, grid, groups, type KernelBinding, type KernelCheck, type KernelSource } from "../kernel.js";
import { STATUS_WGSL } from "../status-wgsl.js";
import { EXPR_PRELUDE, unravel, WgslEmitter, type Expr } from "../expr.js";
import { floatLiteral } from "../wgsl-literal.js";

export interface BuiltKernel {
  readonly kernel: KernelSource;
  /** Value ids in binding order (the planner maps them onto buffers). */
  readonly values: readonly number[];
}

/** What a kernel's dispatch covers (kernel.ts Coverage), with the binding by name. */
export type Covers = Omit<Coverage, "binding"> & { readonly binding: string };

export interface Finish {
  /** Statements of `main` (the builtins `gid`, `lid3`, `lid`, `wid`, `nwg` and `group`, the linear workgroup index, are in scope). */
  readonly main: string;
  readonly workgroupSize: readonly [number, number, number];
  readonly dispatch: readonly [number, number, number];
  readonly covers: readonly Covers[];
  /** Bytes of var<workgroup> memory the module declares. */
  readonly workgroupBytes?: number;
}

const count = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * The entry point's signature: every builtin a kernel may use, under fixed names — `lid` is the
 * local invocation index, `lid3` its 3-D form.
 */
export const ENTRY_BUILTINS =
  "@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>";

/** Prelude functions the expressions call: included only when a kernel calls one. */
const PRELUDE_CALL = /\bmp_(?!fail\b|status\b)\w+\s*\(/;

export class KernelScaffold {
  private readonly bindings: (KernelBinding & { readonly value: number })[] = [];
  private readonly module: string[] = [];
  private readonly checks: KernelCheck[] = [];
  private reads = 0;
  readonly emitter: WgslEmitter;

  constructor(readonly name: string) {
    this.emitter = new WgslEmitter(
      (v, shape) => this.load(v, count(shape)),
      (c) => this.check(c),
    );
  }

  /** The status word of a failure the kernel reports (the same word for the same node and message). */
  check(c: KernelCheck): number {
    const k = this.checks.findIndex((x) => x.node === c.node && x.message === c.message);
    return k >= 0 ? k : this.checks.push(c) - 1;
  }

  private bind(name: string, access: KernelBinding["access"], value: number, elements: number): string {
    if (!Number.isInteger(elements) || elements < 1) throw new RangeError(`${this.name}: binding '${name}' of ${elements} elements`);
    if (this.bindings.some((b) => b.name === name)) throw new Error(`${this.name}: two bindings named '${name}'`);
    this.bindings.push({ name, access, elements, value });
    return name;
  }

  /** The read binding of value `value` (one per value: a second load of it shares the first). */
  load(value: number, elements: number): string {
    const known = this.bindings.find((b) => b.value === value && b.access === "read");
    if (known) {
      if (known.elements !== elements) throw new Error(`${this.name}: value %${value} loaded with two sizes (${known.elements} and ${elements} elements)`);
      return known.name;
    }
    return this.bind(`in${this.reads++}`, "read", value, elements);
  }

  /** A binding the kernel writes: an output, or a temporary (negative value id) it needs in global memory. */
  write(name: string, value: number, elements: number): string {
    return this.bind(name, "read_write", value, elements);
  }

  /**
   * Operand `e` as `fn <fn>(i) -> f32`, element i of `e` in row-major order; `index` is the WGSL
   * type of i (the NN kernels index with i32, whose arithmetic may go negative at the padding).
   */
  operand(fn: string, e: Expr, index: "u32" | "i32" = "u32"): void {
    if (e.kind === "load") {
      this.module.push(`fn ${fn}(i: ${index}) -> f32 { return ${this.load(e.value, count(e.shape))}[i]; }`);
      return;
    }
    const pending = this.emitter.take();
    const at = unravel("f", e.shape, "f_");
    const value = this.emitter.emit(e, at.coords);
    const lines = [index === "u32" ? "let f = i;" : "let f = u32(i);", ...at.lines, ...this.emitter.take(), `return ${value};`];
    this.module.push(`fn ${fn}(i: ${index}) -> f32 {\n${lines.map((l) => `  ${l}`).join("\n")}\n}`);
    this.emitter.lines.push(...pending);
  }

  /** Module-scope WGSL: constants, helper functions, var<workgroup> arrays. */
  declare(...text: string[]): void {
    this.module.push(...text);
  }

  finish(f: Finish): BuiltKernel {
    const decls = this.bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: array<f32>;`);
    const entry = `@compute @workgroup_size(${f.workgroupSize.join(", ")})
fn main(${ENTRY_BUILTINS}) {
  let group = wid.x + wid.y * nwg.x;
${f.main}
}`;
    const code = [...this.module, entry].join("\n");
    const wgsl = [...decls, ...(this.checks.length ? [STATUS_WGSL] : []), ...(PRELUDE_CALL.test(code) ? [EXPR_PRELUDE] : []), code].join("\n") + "\n";
    const covers: Coverage[] = f.covers.map((c) => {
      const binding = this.bindings.findIndex((b) => b.name === c.binding);
      if (binding < 0) throw new Error(`${this.name}: covers '${c.binding}', which it does not bind`);
      return { binding, shape: [...c.shape], tile: [...c.tile] };
    });
    const kernel: KernelSource = {
      name: this.name,
      wgsl,
      workgroupSize: [...f.workgroupSize] as [number, number, number],
      dispatch: [...f.dispatch] as [number, number, number],
      bindings: this.bindings.map(({ name, access, elements }) => ({ name, access, elements })),
      covers,
      workgroupBytes: f.workgroupBytes ?? 0,
      ...(this.checks.length ? { checks: [...this.checks] } : {}),
    };
    return { kernel, values: this.bindings.map((b) => b.value) };
  }
}

/** Invocations per workgroup of the one-invocation-per-element kernels. */
export const ELEMENT_WG = 64;

/**
 * A kernel with one invocation per element of an output of `total` elements over a 1-D grid folded
 * into 2-D past 65535 workgroups: its workgroup size, dispatch, and the statements that start
 * `main` — `idx` (of type `index`) is the element, and invocations past the end return.
 */
export function perElement(total: number, index: "u32" | "i32" = "u32"): { head: string; workgroupSize: [number, number, number]; dispatch: [number, number, number]; tile: number[] } {
  if (!(total >= 1) || total > 0x7fffffff) throw new RangeError(`${total} output elements do not fit one i32-indexed dispatch`);
  const head = `  let linear = group * ${ELEMENT_WG}u + lid;
  if (linear >= ${total}u) { return; }
  let idx = ${index === "u32" ? "linear" : "i32(linear)"};`;
  return { head, workgroupSize: [ELEMENT_WG, 1, 1], dispatch: grid(groups(total, ELEMENT_WG)), tile: [ELEMENT_WG] };
}

/**
 * A kernel with one invocation per element of its output (`total` elements, binding `out.name`
 * holding value `out.value`): operands by function name, i32 constants (window arithmetic goes
 * negative at the padding), module-scope `extra`, and `body` run with `idx: i32`.
 */
export function elementKernel(
  name: string,
  operands: Readonly<Record<string, Expr>>,
  out: { readonly name: string; readonly value: number },
  consts: Readonly<Record<string, number>>,
  total: number,
  body: string,
  extra: readonly string[] = [],
): BuiltKernel {
  const k = new KernelScaffold(name);
  for (const [fn, e] of Object.entries(operands)) k.operand(fn, e, "i32");
  k.write(out.name, out.value, total);
  k.declare(constants({ ...consts, TOTAL: total }, "i32"), ...extra);
  const e = perElement(total, "i32");
  return k.finish({ main: `${e.head}\n${body}`, workgroupSize: e.workgroupSize, dispatch: e.dispatch, covers: [{ binding: out.name, shape: [total], tile: e.tile }] });
}

/** `const NAME: <type> = value;` per entry: i32 for window arithmetic that may go negative, else u32. */
export function constants(values: Readonly<Record<string, number>>, type: "i32" | "u32" = "u32"): string {
  return Object.entries(values)
    .map(([k, v]) => {
      const ok = Number.isInteger(v) && (type === "i32" ? Math.abs(v) <= 0x7fffffff : v >= 0 && v <= 0xffffffff);
      if (!ok) throw new RangeError(`kernel constant ${k} = ${v} is not a${type === "i32" ? "n" : ""} ${type}`);
      return `const ${k}: ${type} = ${v}${type === "u32" ? "u" : ""};`;
    })
    .join("\n");
}

/** A WGSL f32 literal (finite numbers only). */
export const lit = floatLiteral;

/** The smallest power of two ≥ n, clamped to [lo, hi] (tree reductions need a power of two). */
export function pow2Clamp(n: number, lo: number, hi: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return Math.min(hi, Math.max(lo, p));
}
