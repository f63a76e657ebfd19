/**
 * Seeded random small programs for the CPU gradient sweep (random-programs.test.ts): chains of
 * elementwise maps, broadcasting binaries (with scalars, unit dims and lower ranks), reductions over
 * random axes with and without keepdims, reshapes that add and drop unit dims, broadcastTo,
 * transposes, matmuls (1-D operands, broadcast batches), trace/diag/diagm, and symmetric/SPD
 * matrices through eigh, logm, sqrtm, expm, inv and a hand-written U·diag(g(w))·Uᵀ, with values
 * reused by several consumers. These are the shapes the simplifier and the adjoint rules rewrite;
 * every value stays in the smooth interior of its ops (no kinks, no domain edges) so that central
 * differences are a fair reference.
 */
import { Graph, verify, type Value } from "../../ir/index.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { randn, spd, symmetric } from "./cases/types.js";

export interface RandomProgram {
  readonly seed: number;
  readonly graph: Graph;
  readonly feeds: Map<string, NDArray>;
  /** The ops the program's steps used, in order (the failure report). */
  readonly steps: string[];
}

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

class Gen {
  readonly g: Graph;
  readonly feeds = new Map<string, NDArray>();
  readonly steps: string[] = [];
  /** Values a later step may consume; each is consumed at least once by the loss. */
  readonly pool: Value[] = [];
  private inputs = 0;

  constructor(
    readonly r: Random,
    seed: number,
  ) {
    this.g = new Graph(`random-${seed}`);
  }

  int(n: number): number {
    return Math.floor(this.r.uniform() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.r.uniform() < p;
  }
  shapeOf(v: Value): number[] {
    return v.type.shape as number[];
  }
  op(name: string, inputs: readonly Value[], attrs: Record<string, unknown> = {}): Value {
    return this.g.apply(name, inputs, attrs as never);
  }
  /** f64 or f32 (the CPU computes in float64 either way; the types must still promote right). */
  dtype(): "f32" | "f64" {
    return this.chance(0.3) ? "f32" : "f64";
  }
  constant(x: number): Value {
    return this.op("constant", [], { value: x, dtype: this.dtype() });
  }

  input(shape: readonly number[], kind: "general" | "symmetric" | "spd" = "general"): Value {
    const name = `x${this.inputs++}`;
    const n = shape[shape.length - 1];
    const data =
      kind === "general" ? randn(this.r, shape) : kind === "spd" ? spd(this.r, n, shape.slice(0, -2)) : symmetric(this.r, n, shape.slice(0, -2));
    this.feeds.set(name, data);
    return this.op("input", [], { name, shape: [...shape], dtype: this.dtype(), structure: kind });
  }

  /** Class labels for rows × classes logits: an i32 input. */
  labels(rows: number, classes: number): Value {
    const name = `y${this.inputs++}`;
    this.feeds.set(name, { shape: [rows], data: Float64Array.from({ length: rows }, () => this.int(classes)) });
    return this.op("input", [], { name, shape: [rows], dtype: "i32", structure: "general" });
  }

  randomShape(maxRank = 3): number[] {
    const rank = this.int(maxRank + 1);
    return Array.from({ length: rank }, () => 1 + this.int(3));
  }

  /** A shape that broadcasts against `s`: some leading dims dropped, some dims set to 1. */
  broadcastPartner(s: readonly number[]): number[] {
    const drop = this.int(s.length + 1);
    return s.slice(drop).map((d) => (this.chance(0.3) ? 1 : d));
  }

  /** A reshape target for `s`: its size factored into random dims, with unit dims sprinkled in. */
  reshapeTarget(s: readonly number[]): number[] {
    let n = size(s);
    const out: number[] = [];
    while (n > 1) {
      const divisors = [...Array(n).keys()].map((k) => k + 1).filter((d) => d > 1 && n % d === 0);
      const d = this.pick(divisors);
      out.push(d);
      n /= d;
    }
    for (let k = this.int(3); k > 0; k--) out.splice(this.int(out.length + 1), 0, 1);
    if (out.length && this.chance(0.3)) out[this.int(out.length)] = -1;
    return out.length > 4 ? [size(s)] : out;
  }

  /** x ↦ x² + 1 > 0: the argument of log, sqrt and division that keeps them smooth. */
  positive(x: Value): Value {
    return this.op("add", [this.op("mul", [x, x]), this.constant(1)]);
  }

  /** x ↦ x / (x² + 1) ∈ [−½, ½]: keeps exp and expm of chained values from overflowing. */
  squash(x: Value): Value {
    return this.op("div", [x, this.positive(x)]);
  }

  /** A symmetric matrix built from `x` when it is one (square): x + xᵀ, asserted or inferred. */
  symmetrise(x: Value): Value {
    const s = this.op("add", [x, this.op("transpose", [x])]);
    return this.chance(0.5) ? s : this.op("assume", [s], { structure: "symmetric" });
  }

  /** An SPD matrix from a square x: cov(x) = xᵀx/n + I, or xxᵀ/n + I asserted SPD. */
  spdOf(x: Value): Value {
    if (this.chance(0.5)) return this.op("cov", [x], { eps: 1 });
    const n = this.shapeOf(x).at(-1)!;
    const xxT = this.op("matmul", [x, this.op("transpose", [x])]);
    const s = this.op("add", [this.op("mul", [xxT, this.constant(1 / n)]), this.op("eye", [], { shape: [n, n], dtype: "f64" })]);
    return this.op("assume", [s], { structure: "spd" });
  }

  step(): void {
    const x = this.pick(this.pool);
    const s = this.shapeOf(x);
    const square = s.length >= 2 && s.at(-1) === s.at(-2);
    const choices: [string, () => Value | undefined][] = [
      ["neg", () => this.op("neg", [x])],
      ["exp", () => this.op("exp", [this.squash(x)])],
      ["log", () => this.op("log", [this.positive(x)])],
      ["sqrt", () => this.op("sqrt", [this.positive(x)])],
      ["pow", () => this.op("pow", [x], { p: this.pick([2, 3]) })],
      ["div", () => (this.chance(0.5) ? this.op("div", [x, this.positive(this.partner(x))]) : this.op("div", [this.partner(x), this.positive(x)]))],
      ...(["add", "sub", "mul"] as const).map((op): [string, () => Value] => [op, () => (this.chance(0.5) ? this.op(op, [x, this.partner(x)]) : this.op(op, [this.partner(x), x]))]),
      ["sum", () => this.reduce("sum", x)],
      ["mean", () => this.reduce("mean", x)],
      ["reshape", () => this.op("reshape", [x], { shape: this.reshapeTarget(s) })],
      ["broadcastTo", () => this.op("broadcastTo", [x], { shape: [...(this.chance(0.5) ? [2] : []), ...s.map((d) => (d === 1 ? 1 + this.int(3) : d))] })],
      ["matmul", () => this.matmul(x)],
      ...(s.length >= 2 ? [["transpose", () => this.op("transpose", [x])] as [string, () => Value]] : []),
      ...(s.length >= 1 && s.length <= 2 ? [["diagm", () => this.op("diagm", [x])] as [string, () => Value]] : []),
      ...(s.length === 2 ? [["crossEntropy", () => this.op("softmaxCrossEntropy", [x, this.labels(s[0], s[1])])] as [string, () => Value]] : []),
      ...(square
        ? ([
            ["trace", () => this.op("trace", [x])],
            ["diag", () => this.op("diag", [x])],
            ["symmetric", () => this.symmetrise(x)],
            ["logm", () => this.op("logm", [this.spdOf(x)])],
            ["sqrtm", () => this.op("sqrtm", [this.spdOf(x)])],
            ["expm", () => this.op("expm", [this.op("mul", [this.symmetrise(this.squash(x)), this.constant(0.5)])])],
            ["inv", () => this.op("inv", [this.spdOf(x)])],
            ["eigh-spectral", () => this.spectral(x)],
          ] as [string, () => Value][])
        : []),
    ];
    const [name, make] = this.pick(choices);
    const y = make();
    if (!y) return;
    this.steps.push(`${name} ${JSON.stringify(s)} → ${JSON.stringify(this.shapeOf(y))}`);
    this.pool.push(y);
    // A consumed value leaves the pool sometimes, so later steps both chain and reuse.
    if (this.chance(0.5)) this.pool.splice(this.pool.indexOf(x), 1);
  }

  /** The other operand of a binary op: a pool value that broadcasts, a new input, or a scalar. */
  partner(x: Value): Value {
    const s = this.shapeOf(x);
    const roll = this.r.uniform();
    if (roll < 0.25) return this.constant(this.pick([0.5, 2, -1.5]));
    if (roll < 0.5) {
      const fits = this.pool.filter((v) => v !== x && broadcasts(this.shapeOf(v), s) && size(this.shapeOf(v)) <= 24);
      if (fits.length) return this.pick(fits);
    }
    return this.input(this.broadcastPartner(s));
  }

  reduce(op: "sum" | "mean", x: Value): Value {
    const rank = x.type.shape.length;
    const axes = [...Array(rank).keys()].filter(() => this.chance(0.5)).map((a) => (this.chance(0.3) ? a - rank : a));
    const all = axes.length === 0 && this.chance(0.5);
    return this.op(op, [x], { axis: all ? null : axes, keepdims: this.chance(0.5) });
  }

  matmul(x: Value): Value {
    const s = this.shapeOf(x);
    const k = 1 + this.int(3);
    if (s.length === 0) return this.op("mul", [x, this.input([k])]);
    if (this.chance(0.5)) {
      // x @ B: B [n, k] (or [n] for a vector product), with a batch of its own sometimes.
      const n = s.at(-1)!;
      const b = this.chance(0.25) ? [n] : [...(this.chance(0.3) ? [1 + this.int(2)] : []), n, k];
      return this.op("matmul", [x, this.input(s.length > 2 && b.length === 3 ? [b[1], b[2]] : b)]);
    }
    const m = s.length === 1 ? s[0] : s.at(-2)!;
    const a = this.chance(0.25) ? [m] : [k, m];
    return this.op("matmul", [this.input(a), x]);
  }

  /** [w, U] = eigh(S), then U·diag(g(w))·Uᵀ: the spectral rewrite's pattern (or w itself). */
  spectral(x: Value): Value {
    const S = this.chance(0.5) ? this.spdOf(x) : this.symmetrise(x);
    const [w, U] = this.g.add("eigh", [S]).outputs;
    if (this.chance(0.3)) return w;
    const gw = this.op("exp", [this.squash(w)]);
    return this.op("matmul", [this.op("matmul", [U, this.op("diagm", [gw])]), this.op("transpose", [U])]);
  }
}

function broadcasts(a: readonly number[], b: readonly number[]): boolean {
  // `a` broadcasts into `b` without growing it.
  if (a.length > b.length) return false;
  return a.every((d, i) => d === 1 || d === b[b.length - a.length + i]);
}

/** Program `seed`: 1–2 inputs, 2–8 steps, loss = Σ ⟨v, W_v⟩ over the values left in the pool. */
export function randomProgram(seed: number): RandomProgram {
  const gen = new Gen(new Random(seed), seed);
  const sources = 1 + gen.int(2);
  for (let i = 0; i < sources; i++) {
    const roll = gen.r.uniform();
    const n = 2 + gen.int(2);
    const batch = gen.chance(0.3) ? [2] : [];
    gen.pool.push(roll < 0.6 ? gen.input(gen.randomShape()) : gen.input([...batch, n, n], roll < 0.8 ? "symmetric" : "spd"));
  }
  const steps = 2 + gen.int(7);
  for (let i = 0; i < steps; i++) {
    gen.step();
    // Keep programs small: finite differences cost two runs per entry.
    for (const v of [...gen.pool]) if (size(gen.shapeOf(v)) > 36 && gen.pool.length > 1) gen.pool.splice(gen.pool.indexOf(v), 1);
  }
  let loss: Value | undefined;
  for (const v of gen.pool) {
    const w = gen.input(gen.shapeOf(v));
    const term = gen.op("sum", [gen.op("mul", [v, w])], { axis: null, keepdims: false });
    loss = loss ? gen.op("add", [loss, term]) : term;
  }
  gen.g.setOutput("loss", loss!);
  verify(gen.g);
  return { seed, graph: gen.g, feeds: gen.feeds, steps: gen.steps };
}

