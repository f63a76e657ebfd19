/**
 * Fused elementwise expressions. Elementwise ops, data movement (transpose, reshape, broadcast,
 * diag) and the elementwise-in-(i, j) matrices of the backward pass (Loewner matrix, eigengap
 * inverses) are not dispatched on their own: they become expression trees evaluated at an output
 * coordinate inside whichever kernel consumes them, with transposes and reshapes turned into index
 * arithmetic. `WgslEmitter` writes an expression as WGSL statements over u32 coordinates.
 */
import type { Attrs } from "../ir/attrs.js";
import { allOps, getOp, hasOp } from "../ir/registry.js";
import { normaliseAxes } from "../ir/shape.js";
import { sizeOf, stridesOf as strides } from "../numeric/ndarray.js";
import { F32_MATH } from "./kernels/f32-math.js";
import type { KernelCheck } from "./kernel.js";
import { type DomainCheck, elementwiseCheck, gapCheck, positiveTraceCheck, powLoewnerCheck, projectorGapCheck, roundOff, spectralCheck, takeCheck } from "./domain.js";
import { axisOf, permutationOf, sliceBounds } from "../ir/ops/indexing.js";
import { floatLiteral } from "./wgsl-literal.js";

export type Expr =
  | { readonly kind: "load"; readonly value: number; readonly shape: readonly number[] }
  | { readonly kind: "const"; readonly value: number; readonly shape: readonly number[] }
  | {
      readonly kind: "op";
      readonly op: string;
      readonly attrs: Attrs;
      readonly args: readonly Expr[];
      readonly shape: readonly number[];
      /** The IR node this op computes, when it has one: a domain check names its source line. */
      readonly node?: number;
    };

export const load = (value: number, shape: readonly number[]): Expr => ({ kind: "load", value, shape });
export const constant = (value: number): Expr => ({ kind: "const", value, shape: [] });
export const op = (name: string, args: readonly Expr[], shape: readonly number[], attrs: Attrs = {}, node?: number): Expr => ({ kind: "op", op: name, attrs, args, shape, ...(node === undefined ? {} : { node }) });

/**
 * Arithmetic per output element of an expression (a recomputation budget: costly trees get
 * materialised). A fused matmul costs its inner dimension times its operands' costs: nesting
 * small products is cheap, nesting large ones is not.
 */
export function exprCost(e: Expr): number {
  if (e.kind !== "op") return 0;
  const args = e.args.reduce((s, a) => s + exprCost(a), 0);
  if (e.op === "matmul") return e.args[0].shape[e.args[0].shape.length - 1] * (args + 1);
  if (e.op === "takeGrad") return sizeOf(e.args[1].shape) * (args + 1);
  if (e.op === "sum" || e.op === "mean") return reducedAxes(e).reduce((p, a) => p * e.args[0].shape[a], 1) * (args + 1);
  return 1 + args;
}

/** The axes a fused sum or mean reduces, normalised against its operand's rank. */
export function reducedAxes(e: Extract<Expr, { kind: "op" }>): number[] {
  return normaliseAxes(e.op, (e.attrs.axis as number[] | null) ?? null, e.args[0].shape.length);
}

export function loadsOf(e: Expr, out = new Set<number>()): Set<number> {
  if (e.kind === "load") out.add(e.value);
  if (e.kind === "op") for (const a of e.args) loadsOf(a, out);
  return out;
}

/** A WGSL float literal. */
export function f32(x: number): string {
  if (Number.isNaN(x)) return "(0.0 / 0.0)";
  if (!Number.isFinite(x) || Math.abs(x) > 3.4e38) return x > 0 ? "3.4e38" : "-3.4e38";
  return floatLiteral(x);
}


/** Coordinates of an operand broadcast (NumPy rules) to `coords` of a result of higher or equal rank. */
function broadcastCoords(coords: readonly string[], shape: readonly number[]): string[] {
  const off = coords.length - shape.length;
  return shape.map((d, i) => (d === 1 ? "0u" : coords[off + i]));
}

/**
 * WGSL helpers the expressions call (divided differences written for f32, without log1p/expm1
 * builtins), then the helpers of the elementwise ops' rows (ir/ops/elementwise.ts `wgslHelpers`).
 */
export const EXPR_PRELUDE = /* wgsl */ `${F32_MATH}
fn mp_expm1(x: f32) -> f32 {
  if (abs(x) < 1e-2) { return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x / 24.0))); }
  return exp(x) - 1.0;
}
fn mp_loewner_log(a: f32, b: f32) -> f32 { let lo = min(a, b); let d = abs(a - b); if (d == 0.0) { return 1.0 / a; } return mp_log1p(d / lo) / d; }
fn mp_loewner_exp(a: f32, b: f32) -> f32 { let lo = min(a, b); let d = abs(a - b); if (d == 0.0) { return exp(a); } if (d > 1.0) { return (exp(max(a, b)) - exp(lo)) / d; } return exp(lo) * mp_expm1(d) / d; }
fn mp_loewner_sqrt(a: f32, b: f32) -> f32 { return 1.0 / (sqrt(a) + sqrt(b)); }
fn mp_divdiff(wi: f32, wj: f32, gi: f32, gj: f32, di: f32, dj: f32) -> f32 {
  let d = wi - wj;
  if (abs(d) <= 1e-3 * max(max(abs(wi), abs(wj)), 1e-30)) { return 0.5 * (di + dj); }
  return (gi - gj) / d;
}
fn mp_loewner_pow(a: f32, b: f32, p: f32) -> f32 {
  let hi = max(a, b); let lo = min(a, b);
  if (hi == lo) { if (hi == 0.0) { return select(0.0, 1.0, p == 1.0); } return p * pow(hi, p - 1.0); }
  if (lo == 0.0) { return pow(hi, p - 1.0); }
  let r = (hi - lo) / lo;
  if (r > 1.0) { return (pow(hi, p) - pow(lo, p)) / (hi - lo); }
  return pow(lo, p - 1.0) * mp_expm1(p * mp_log1p(r)) / r;
}
${allOps()
  .flatMap((d) => (d.pointwise?.wgslHelpers ? [d.pointwise.wgslHelpers] : []))
  .join("")}`;

export class WgslEmitter {
  readonly lines: string[] = [];
  private readonly memo = new Map<string, string>();
  private readonly ids = new WeakMap<Expr, number>();
  private counter = 0;
  private names = 0;
  /** The WGSL name an `accumulator` leaf stands for (a matmul epilogue's accumulated entry). */
  accumulator = "acc";

  /**
   * `loadName(valueId, shape)` is the WGSL storage array holding a materialised value of that
   * shape; `report(check)` gives the status word for a failure the expression checks (domain.ts).
   */
  constructor(
    private readonly loadName: (value: number, shape: readonly number[]) => string,
    private readonly report: (check: KernelCheck) => number,
  ) {}

  private id(e: Expr): number {
    let i = this.ids.get(e);
    if (i === undefined) this.ids.set(e, (i = this.counter++));
    return i;
  }

  /** Start a new block: later expressions must not refer to names bound in earlier blocks. */
  take(): string[] {
    this.memo.clear();
    return this.lines.splice(0);
  }

  private bind(text: string): string {
    const name = `t${this.names++}`;
    this.lines.push(`let ${name} = ${text};`);
    return name;
  }

  /**
   * Σ_k A[…, i, k]·B[…, k, j] as a loop: the operands' statements go inside the loop body; names
   * bound before the loop stay visible in it, names bound inside do not leak out.
   */
  private product(a: Expr, b: Expr, c: readonly string[]): string {
    const r = c.length;
    const k = `mk${this.names++}`;
    const acc = `t${this.names++}`;
    const outer = this.lines.splice(0);
    const outerMemo = new Map(this.memo);
    const av = this.emit(a, [...broadcastCoords(c.slice(0, -2), a.shape.slice(0, -2)), c[r - 2], k]);
    const bv = this.emit(b, [...broadcastCoords(c.slice(0, -2), b.shape.slice(0, -2)), k, c[r - 1]]);
    const body = this.lines.splice(0);
    this.memo.clear();
    for (const [key, v] of outerMemo) this.memo.set(key, v);
    this.lines.push(...outer, `var ${acc} = 0.0;`, `for (var ${k} = 0u; ${k} < ${a.shape[a.shape.length - 1]}u; ${k} += 1u) {`, ...body.map((l) => "  " + l), `  ${acc} += ${av} * ${bv};`, `}`);
    return acc;
  }

  /**
   * takeGrad's x̄ at coordinates c: Σ_k g[…, k, …] over the indices k that point at c's axis
   * coordinate, as a loop over the indices in order (the CPU's order); names bound inside the loop
   * stay inside it.
   */
  private scatter(e: Extract<Expr, { kind: "op" }>, c: readonly string[]): string {
    const [g, idx] = e.args;
    const axis = e.attrs.axis as number;
    const n = e.shape[axis];
    const k = `sk${this.names++}`;
    const acc = `t${this.names++}`;
    const outer = this.lines.splice(0);
    const outerMemo = new Map(this.memo);
    const ks = unravel(k, idx.shape, `${k}_`);
    this.lines.push(...ks.lines);
    const index = this.emit(idx, ks.coords);
    const gv = this.emit(g, [...c.slice(0, axis), ...ks.coords, ...c.slice(axis + 1)]);
    const body = this.lines.splice(0);
    this.memo.clear();
    for (const [key, v] of outerMemo) this.memo.set(key, v);
    const hit = `select(i32(${index}), i32(${index}) + ${n}, ${index} < 0.0) == i32(${c[axis]})`;
    this.lines.push(...outer, `var ${acc} = 0.0;`, `for (var ${k} = 0u; ${k} < ${sizeOf(idx.shape)}u; ${k} += 1u) {`, ...body.map((l) => "  " + l), `  if (${hit}) { ${acc} += ${gv}; }`, `}`);
    return acc;
  }

  /**
   * `if (any) { mp_fail(word, payload); }` before the op's value: the compare is all a passing
   * element pays; the failing path picks the case and sets its status word.
   */
  private guard(e: Extract<Expr, { kind: "op" }>, c: readonly string[], check: DomainCheck | undefined): void {
    if (!check) return;
    const st = strides(e.shape);
    const dims = check.payload === "matrix" ? Math.max(0, c.length - 2) : c.length;
    const payload = c.slice(0, dims).map((x, k) => `${x} * ${check.payload === "matrix" ? st[k] / (e.shape[c.length - 1] * e.shape[c.length - 2]) : st[k]}u`).join(" + ") || "0u";
    const fail = (m: string) => `mp_fail(${this.report({ message: m, ...(e.node === undefined ? {} : { node: e.node }) })}u, ${payload});`;
    const cases = check.cases;
    let body = fail(cases[cases.length - 1].message);
    for (let k = cases.length - 2; k >= 0; k--) body = `if (${cases[k].when}) { ${fail(cases[k].message)} } else { ${body} }`;
    this.lines.push(`if (${check.any}) { ${body} }`);
  }

  /**
   * Σ_k term(v[…, k]) over the last axis of `v` (n terms) as a loop, scoped as in `product`: `term`
   * maps the WGSL value of one entry to the summand.
   */
  private sumOver(v: Expr, batch: readonly string[], term: (x: string) => string): string {
    const k = `mk${this.names++}`;
    const acc = `t${this.names++}`;
    const outer = this.lines.splice(0);
    const outerMemo = new Map(this.memo);
    const x = this.emit(v, [...batch, k]);
    const body = this.lines.splice(0);
    this.memo.clear();
    for (const [key, val] of outerMemo) this.memo.set(key, val);
    this.lines.push(...outer, `var ${acc} = 0.0;`, `for (var ${k} = 0u; ${k} < ${v.shape[v.shape.length - 1]}u; ${k} += 1u) {`, ...body.map((l) => "  " + l), `  ${acc} += ${term(x)};`, `}`);
    return acc;
  }

  /** max |v| of a monotone vector v [..., n] (eigenvalues, singular values) at batch coordinates: its first or last entry. */
  private scaleOf(v: Expr, batch: readonly string[]): string {
    const n = v.shape[v.shape.length - 1];
    return this.bind(`max(abs(${this.emit(v, [...batch, "0u"])}), abs(${this.emit(v, [...batch, `${n - 1}u`])}))`);
  }

  /**
   * Σ (or the mean) of the operand over the reduced axes at output coordinates `c`, as one loop over
   * the reduced entries: statements as in `product` (the operand's go inside the loop).
   */
  private reduction(e: Extract<Expr, { kind: "op" }>, c: readonly string[]): string {
    const x = e.args[0];
    const axes = reducedAxes(e);
    const keep = e.attrs.keepdims === true;
    const count = axes.reduce((p, a) => p * x.shape[a], 1);
    const r = `rk${this.names++}`;
    const acc = `t${this.names++}`;
    const outer = this.lines.splice(0);
    const outerMemo = new Map(this.memo);
    const inner = unravel(r, axes.map((a) => x.shape[a]), `${r}_`);
    let kept = 0;
    const coords = x.shape.map((_, i) => (axes.includes(i) ? inner.coords[axes.indexOf(i)] : c[keep ? i : kept++]));
    const v = this.emit(x, coords);
    const body = this.lines.splice(0);
    this.memo.clear();
    for (const [key, val] of outerMemo) this.memo.set(key, val);
    const scale = e.op === "mean" ? ` * ${f32(1 / count)}` : "";
    this.lines.push(...outer, `var ${acc} = 0.0;`, `for (var ${r} = 0u; ${r} < ${count}u; ${r} += 1u) {`, ...[...inner.lines, ...body].map((l) => "  " + l), `  ${acc} += ${v};`, `}`);
    return scale ? `(${acc}${scale})` : acc;
  }

  /** A WGSL f32 expression for `e` at the u32 coordinates `coords` (one per dim of e.shape). */
  emit(e: Expr, coords: readonly string[]): string {
    if (e.kind === "const") return f32(e.value);
    const key = `${this.id(e)}|${coords.join(",")}`;
    const known = this.memo.get(key);
    if (known) return known;
    const out = this.bind(this.compute(e, coords));
    this.memo.set(key, out);
    return out;
  }

  private compute(e: Exclude<Expr, { kind: "const" }>, c: readonly string[]): string {
    if (e.kind === "load") {
      const st = strides(e.shape);
      const offset = c.map((x, i) => (e.shape[i] === 1 ? "" : st[i] === 1 ? x : `${x} * ${st[i]}u`)).filter(Boolean).join(" + ") || "0u";
      return `${this.loadName(e.value, e.shape)}[${offset}]`;
    }
    const args = e.args;
    const at = (k: number, coords: readonly string[]) => this.emit(args[k], coords);
    const r = c.length;
    const [i, j] = [c[r - 2], c[r - 1]];
    const batch = c.slice(0, -2);
    switch (e.op) {
      case "transpose":
        return at(0, [...batch, j, i]);
      case "reshape": {
        const os = strides(e.shape);
        const inner = args[0].shape;
        const is = strides(inner);
        const flat = this.bind(c.map((x, k) => `${x} * ${os[k]}u`).join(" + ") || "0u");
        return at(0, inner.map((d, k) => `((${flat} / ${is[k]}u) % ${d}u)`));
      }
      case "broadcastTo":
        return at(0, broadcastCoords(c, args[0].shape));
      case "diag":
        return at(0, [...c.slice(0, -1), c[r - 1], c[r - 1]]);
      case "diagm":
        return `select(0.0, ${at(0, [...batch, i])}, ${i} == ${j})`;
      case "eye":
        return `select(0.0, 1.0, ${i} == ${j})`;
      case "lowerHalf": {
        const x = at(0, c);
        return `select(select(0.0, 0.5 * ${x}, ${i} == ${j}), ${x}, ${i} > ${j})`;
      }
      case "loewner":
        return `mp_loewner_${e.attrs.fn as string}(${at(0, [...batch, i])}, ${at(0, [...batch, j])})`;
      case "divdiff":
        return `mp_divdiff(${at(0, [...batch, i])}, ${at(0, [...batch, j])}, ${at(1, [...batch, i])}, ${at(1, [...batch, j])}, ${at(2, [...batch, i])}, ${at(2, [...batch, j])})`;
      case "eigGapInverse":
      case "svdGapInverse": {
        const vi = at(0, [...batch, i]);
        const vj = at(0, [...batch, j]);
        this.guard(e, c, gapCheck(e.op, i, j, vi, vj, this.scaleOf(args[0], batch), e.shape[r - 1]));
        const gap = e.op === "eigGapInverse" ? `(${vj} - ${vi})` : `((${vj} - ${vi}) * (${vj} + ${vi}))`;
        return `select(1.0 / ${gap}, 0.0, ${i} == ${j})`;
      }
      case "projectorGap": {
        const n = e.shape[r - 1];
        const k = e.attrs.k as number;
        const top = n - k;
        if (top > 0) this.guard(e, c, projectorGapCheck(k, at(0, [...batch, `${top - 1}u`]), at(0, [...batch, `${top}u`]), this.scaleOf(args[0], batch), n));
        // G_ij = G_ji = 1/(λ_kept − λ_dropped) across the two blocks, 0 within a block.
        const wi = at(0, [...batch, i]);
        const wj = at(0, [...batch, j]);
        return `select(0.0, select(1.0 / (${wj} - ${wi}), 1.0 / (${wi} - ${wj}), ${i} >= ${top}u), (${i} >= ${top}u) != (${j} >= ${top}u))`;
      }
      case "spectral": {
        // f(λ) of ascending eigenvalues w [..., n] with the CPU's domain tests (domain.ts).
        const fn = e.attrs.fn as string;
        const n = e.shape[r - 1];
        const x = at(0, c);
        const scale = this.scaleOf(args[0], c.slice(0, -1));
        this.guard(e, c, spectralCheck(fn === "pow" && (e.attrs.p as number) <= 0 ? "pow-nonpositive" : fn, e.attrs.of as string, x, scale, n));
        if (fn === "sqrt") return `select(sqrt(${x}), 0.0, ${x} <= ${roundOff(n, scale)})`;
        if (fn === "pow") return `select(pow(max(${x}, 0.0), ${f32(e.attrs.p as number)}), 0.0, ${x} <= ${roundOff(n, scale)})`;
        return `${fn}(${x})`;
      }
      case "powLoewner": {
        // λ's within f32 round-off of zero are zero (as the forward took them), then the stable
        // divided difference of λ^p; p < 1 has no derivative at a zero eigenvalue.
        const n = e.shape[r - 1];
        const p = e.attrs.p as number;
        const scale = this.scaleOf(args[0], batch);
        const tol = roundOff(n, scale);
        const wi = at(0, [...batch, i]);
        const wj = at(0, [...batch, j]);
        this.guard(e, c, powLoewnerCheck(p, wi, wj, tol));
        const clamp = (w: string) => `select(${w}, 0.0, ${w} <= ${tol})`;
        return `mp_loewner_pow(${clamp(wi)}, ${clamp(wj)}, ${f32(p)})`;
      }
      case "normWeights": {
        // Weights of the norm's smallest subgradient over descending singular values s [..., k]
        // (numeric/linalg/norm.ts): ties with σ₁ (ord 2) or the numerical rank (nuc), in f32.
        const k = e.shape[r - 1];
        const s0 = this.bind(at(0, [...c.slice(0, -1), "0u"]));
        const keep = this.bind(e.attrs.ord === "2" ? `${s0} - ${roundOff(k, s0)}` : roundOff(k, s0));
        const si = at(0, c);
        if (e.attrs.ord !== "2") return `select(0.0, 1.0, ${si} > ${keep} && ${s0} > 0.0)`;
        const ties = this.sumOver(args[0], c.slice(0, -1), (x) => `select(0.0, 1.0, ${x} >= ${keep})`);
        return `select(0.0, 1.0 / ${ties}, ${si} >= ${keep} && ${s0} > 0.0)`;
      }
      case "pinvInverse": {
        // σ⁺ of descending singular values: 1/σ above rtol·σ₁ (rtol = max(m, n)·eps_f32), else 0.
        const s0 = this.bind(at(0, [...c.slice(0, -1), "0u"]));
        const si = at(0, c);
        return `select(0.0, 1.0 / ${si}, ${si} > ${f32(e.attrs.rtol as number)} * ${s0})`;
      }
      case "lastAt":
        // Entry `at` of the last axis: [...] from [..., n].
        return at(0, [...c, `${e.attrs.at as number}u`]);
      case "positiveTrace": {
        // The Newton–Schulz square root's trace, which must be positive (as on the CPU).
        const x = at(0, c);
        this.guard(e, c, positiveTraceCheck(x));
        return x;
      }
      case "topMask": {
        // 1 for the k largest of ascending eigenvalues (the last k indices), else 0.
        const n = e.shape[r - 1];
        return `select(0.0, 1.0, ${c[r - 1]} >= ${n - (e.attrs.k as number)}u)`;
      }
      case "matmul":
        return this.product(args[0], args[1], c);
      case "concatenate": {
        // Every part is read at its own coordinate, clamped into range (u32 wraps below its offset),
        // and the part the coordinate falls in is selected.
        const axis = axisOf("concatenate", e.attrs, r);
        const ca = c[axis];
        let offset = 0;
        const parts = args.map((a) => {
          const n = a.shape[axis];
          const at = offset === 0 ? `min(${ca}, ${n - 1}u)` : `min(${ca} - ${offset}u, ${n - 1}u)`;
          const v = this.emit(a, c.map((x, k) => (k === axis ? at : x)));
          offset += n;
          return { v, end: offset };
        });
        return parts.slice(0, -1).reduceRight((rest, p) => `select(${rest}, ${p.v}, ${ca} < ${p.end}u)`, parts[parts.length - 1].v);
      }
      case "slice": {
        const axis = axisOf("slice", e.attrs, r);
        const [start] = sliceBounds(e.attrs, args[0].shape[axis]);
        return at(0, c.map((x, k) => (k === axis && start > 0 ? `(${x} + ${start}u)` : x)));
      }
      case "take": {
        const axis = axisOf("take", e.attrs, args[0].shape.length);
        const ir = args[1].shape.length;
        const n = args[0].shape[axis];
        const index = at(1, c.slice(axis, axis + ir));
        this.guard(e, c, takeCheck(index, n));
        // Negative indices count from the end; the clamp keeps a failed check's read in bounds.
        const p = this.bind(`min(u32(select(i32(${index}), i32(${index}) + ${n}, ${index} < 0.0)), ${n - 1}u)`);
        return at(0, [...c.slice(0, axis), p, ...c.slice(axis + ir)]);
      }
      case "takeGrad":
        return this.scatter(e, c);
      case "permute": {
        const axes = permutationOf("permute", e.attrs, r);
        const from = new Array<string>(axes.length);
        axes.forEach((a, d) => (from[a] = c[d]));
        return at(0, from);
      }
      case "sum":
      case "mean":
        return this.reduction(e, c);
      case "accumulator":
        return this.accumulator;
      case "oneHot":
        return `select(0.0, 1.0, ${at(0, c.slice(0, -1))} == f32(${c[r - 1]}))`;
    }
    const pointwise = hasOp(e.op) ? getOp(e.op).pointwise : undefined;
    if (pointwise) {
      // The op's row in ir/ops/elementwise.ts; its domain check (log, sqrt, pow, div) from domain.ts.
      const operands = args.map((_, k) => at(k, broadcastCoords(c, args[k].shape)));
      this.guard(e, c, elementwiseCheck(e.op, e.attrs, operands[0], operands[1]));
      return pointwise.wgsl(operands, e.attrs, f32);
    }
    throw new Error(`no WGSL expression for op '${e.op}'`);
  }
}

/** WGSL statements that unravel a linear index `idx` into u32 coordinates c0, c1, … of `shape`. */
export function unravel(idx: string, shape: readonly number[], prefix = "c"): { lines: string[]; coords: string[] } {
  const st = strides(shape);
  const coords = shape.map((_, k) => `${prefix}${k}`);
  const lines = shape.map((d, k) => `let ${prefix}${k} = (${idx} / ${st[k]}u) % ${d}u;`);
  return { lines, coords };
}
