/**
 * A random program: its spec (what fast-check generates and shrinks: plain numbers, so every shrunk
 * spec still builds) and the graph, input descriptors and feeds it builds to. Steps apply recipes
 * (test/fuzz/recipes) to a pool of values; a step that cannot be applied to the pool's values is
 * retried on fresh inputs, and dropped when even that fails. The loss sums terms over the last
 * value and a few others (⟨v, W⟩ with a fresh W, mean, ‖v‖², trace, softmax cross-entropy), and a
 * few intermediate values are returned as outputs too.
 */
import fc from "fast-check";
import { MatpropError, parse, print, verify, type Dim, type Graph, type Value } from "../../ir/index.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { ProgramBuilder, Reject } from "./builder.js";
import { drawInput, type InputSpec } from "./inputs.js";
import { fresh, isFloat, isSquare, largestSize, moderate, rank, sizesUpTo, type Ctx, type Step } from "./operands.js";
import { RECIPES } from "./recipes/index.js";

export interface ProgramSpec {
  readonly seed: number;
  /** Index into BATCHES. */
  readonly batch: number;
  readonly steps: readonly Step[];
  /** Extra loss terms: picks from the pool. */
  readonly sinks: readonly number[];
  /** Extra outputs of the forward program: picks from the pool. */
  readonly outputs: readonly number[];
  /** Variant of the loss terms. */
  readonly loss: number;
  /** 3: every second float input is declared f64. */
  readonly dtypes: number;
  /** The largest matrix size steps may draw (absent: every size). */
  readonly maxSize?: number;
}

/** Leading batch dims of a program's matrices; "B" is a named dim bound to 2 at run time. */
const BATCHES: readonly (readonly Dim[])[] = [[], [], [2], [], ["B"], [3], [2, 2], [2]];
const NAMED_DIMS = new Map([["B", 2]]);

const stepArb: fc.Arbitrary<Step> = fc.record({
  recipe: fc.oneof(...Object.entries(RECIPES).map(([name, [, weight]]) => ({ arbitrary: fc.constant(name), weight }))),
  a: fc.nat(7),
  b: fc.nat(7),
  m: fc.nat(31),
  n: fc.nat(31),
  v: fc.nat(31),
});

export const programArb = (maxSteps = 6, maxSize?: number): fc.Arbitrary<ProgramSpec> =>
  fc.record({
    ...(maxSize === undefined ? {} : { maxSize: fc.constant(maxSize) }),
    seed: fc.nat(),
    batch: fc.nat(BATCHES.length - 1),
    steps: fc.array(stepArb, { minLength: 1, maxLength: maxSteps }),
    sinks: fc.array(fc.nat(7), { maxLength: 2 }),
    outputs: fc.array(fc.nat(7), { maxLength: 2 }),
    loss: fc.nat(15),
    dtypes: fc.nat(3),
  });

export interface Program {
  readonly spec: ProgramSpec;
  /** The forward graph (outputs: loss, y0, y1, ...). */
  readonly graph: Graph;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly dims: ReadonlyMap<string, number>;
  readonly feeds: ReadonlyMap<string, NDArray>;
  /** Steps that could not be applied, with the reason. */
  readonly dropped: readonly string[];
}

function applyStep(c: Ctx, step: Step): string | null {
  const { b } = c;
  const mark = { nodes: b.graph.nodes.length, pool: b.pool.length, terms: c.terms.length, inputs: Object.keys(b.inputs) };
  const rollback = () => {
    b.graph.nodes.length = mark.nodes;
    b.pool.length = mark.pool;
    c.terms.length = mark.terms;
    for (const k of Object.keys(b.inputs)) if (!mark.inputs.includes(k)) delete b.inputs[k];
  };
  for (const freshOnly of [false, true]) {
    b.freshOnly = freshOnly;
    try {
      RECIPES[step.recipe][0](c, step);
      b.freshOnly = false;
      return null;
    } catch (e) {
      rollback();
      if (!(e instanceof Reject)) throw e;
      if (freshOnly) {
        b.freshOnly = false;
        return `${step.recipe}: ${e.message}`;
      }
    }
  }
  return null;
}

/** One scalar term of the loss from `v`, by variant. */
function term(c: Ctx, v: Value, variant: number): Value {
  const { b } = c;
  if (rank(v) === 0) return variant % 2 ? b.op1("mul", [v, b.constant(1.5)]) : v;
  const all = { axis: null, keepdims: false };
  switch (variant % 4) {
    case 1:
      return b.op1("mean", [v], all);
    case 2:
      return b.op1("mul", [b.op1("sum", [b.op1("mul", [v, v])], all), b.constant(0.5)]);
    case 3:
      if (isSquare(v)) return b.op1("sum", [b.op1("trace", [v])], all);
    // falls through: ⟨v, W⟩
    default:
      return b.op1("sum", [b.op1("mul", [v, fresh(c, v.type.shape)])], all);
  }
}

export function buildProgram(spec: ProgramSpec): Program {
  const b = new ProgramBuilder("fuzz", NAMED_DIMS, spec.seed, spec.dtypes === 3);
  const c: Ctx = { b, batch: BATCHES[spec.batch % BATCHES.length], terms: [], size: sizesUpTo(spec.maxSize ?? Infinity), maxDim: largestSize(spec.maxSize ?? Infinity) };
  const dropped = spec.steps.map((s) => applyStep(c, s)).filter((d): d is string => d !== null);

  const floats = b.pool.filter(isFloat);
  const pickFrom = (k: number) => floats[floats.length - 1 - (k % floats.length)];
  const sinks = floats.length ? [...new Set([floats[floats.length - 1], ...spec.sinks.map(pickFrom)])] : [];
  const terms = [...c.terms, ...sinks.map((v, i) => term(c, moderate(c, v), spec.loss + 5 * i))];
  if (!terms.length) terms.push(term(c, fresh(c, [3, 3]), 0));
  const loss = terms.reduce((acc, t) => b.op1("add", [acc, t]));
  b.graph.setOutput("loss", loss);
  // Extra outputs: pool values, now and then an input returned as it is; one value may be returned twice.
  const sources = b.graph.sources().map((n) => n.outputs[0]).filter(isFloat);
  const extra = spec.outputs.filter(() => floats.length).map((k) => (k === 7 && sources.length ? sources[0] : pickFrom(k)));
  extra.forEach((v, i) => b.graph.setOutput(`y${i}`, v));
  verify(b.graph);

  const feeds = new Map(b.graph.sources().map((n) => [n.attrs.name as string, b.x(n.outputs[0])]));
  return { spec, graph: b.graph, inputs: { ...b.inputs }, dims: NAMED_DIMS, feeds, dropped };
}

/** A program given as text (a regression case): its graph and the feeds its input descriptors draw. */
export function programFromText(ir: string, inputs: Readonly<Record<string, InputSpec>>, dims: ReadonlyMap<string, number> = NAMED_DIMS): Pick<Program, "graph" | "feeds" | "inputs" | "dims"> {
  const graph = parseRetyped(ir);
  const feeds = new Map(
    graph.sources().map((n) => {
      const name = n.attrs.name as string;
      const shape = n.outputs[0].type.shape.map((d) => (typeof d === "number" ? d : dims.get(d)!));
      return [name, drawInput(inputs[name], shape)] as const;
    }),
  );
  return { graph, feeds, inputs, dims };
}

/**
 * Parses a stored program, taking each value's type from the op's type rule where the text
 * disagrees: a regression case is its ops, attributes and inputs, and a later refinement of
 * structure inference (an SPD product now typed SPD) must not break it. Anything else the parser
 * refuses stays an error.
 */
function parseRetyped(ir: string): Graph {
  let text = ir;
  for (;;) {
    try {
      return parse(text);
    } catch (e) {
      const m = e instanceof MatpropError && e.code === "MP3003" && e.loc ? / is written as (.+) but \S+ gives (.+)$/.exec(e.message) : null;
      if (!m) throw e;
      const lines = text.split("\n");
      const at = (e as MatpropError).loc!.line - 1;
      const fixed = lines[at].replace(`: ${m[1]}`, `: ${m[2]}`).replace(`, ${m[1]}`, `, ${m[2]}`);
      if (fixed === lines[at]) throw e;
      lines[at] = fixed;
      text = lines.join("\n");
    }
  }
}

/** The program as text: its IR, the named dims and each input's distribution and seed. */
export function describeProgram(p: Pick<Program, "graph" | "inputs" | "dims">): string {
  return [print(p.graph).trimEnd(), `# dims: ${JSON.stringify(Object.fromEntries(p.dims))}`, `# inputs: ${JSON.stringify(p.inputs)}`].join("\n");
}
