/**
 * The bad-input classes of the command line, as data: each case is a set of files written into a
 * fresh folder (the working directory of the run), the `matprop` arguments, and the coded error it
 * must end with. cli.test.ts runs every case and checks what holds for all of them — a coded error
 * naming the source line where one is expected, exit status 1, nothing on stdout, no stack trace,
 * no file written or removed, no hang — and docs/bad-inputs.md's table is rendered from this list
 * (test/docs/bad-inputs.test.ts keeps the counts true).
 */

export interface CliCase {
  readonly name: string;
  /** Arguments; file names are relative to the case's folder. */
  readonly args: readonly string[];
  /** Extra files of this case (the class's files are there too). */
  readonly files?: Readonly<Record<string, string>>;
  readonly code: string;
  /** Strings (or patterns) the message must contain. */
  readonly parts?: readonly (string | RegExp)[];
  /** The `file:line:col` the diagnostic must name (relative to the case's folder). */
  readonly loc?: string;
  /** Also run as a process of its own (cli.test.ts runs the cases in one process). */
  readonly spawned?: true;
}

export interface CliClass {
  readonly name: string;
  /** Files every case of the class sees. */
  readonly files?: Readonly<Record<string, string>>;
  /** A run on the class's files that must succeed: the cases fail for their own reason. */
  readonly control?: readonly string[];
  readonly cases: readonly CliCase[];
}

const m = (...lines: string[]) => [`import { model, ops, linalg, nn } from "matprop";`, ...lines].join("\n");

/** A small valid model: `A [n, 2]`, `B [n, 2]` → s; and one with a param and a loss. */
const GOOD = {
  "named.ts": m(`export default model("named", ({ input }) => {`, `  const A = input("A", ["n", 2]);`, `  const B = input("B", ["n", 2]);`, `  return { s: ops.sum(ops.add(A, B)) };`, `});`),
  "ok.json": `{"A": [[1, 2]], "B": [[3, 4]]}`,
  "spd.ts": m(`export default model("spd", ({ input }) => {`, `  const S = input("S", [2, 2], { structure: "spd" });`, `  return { t: ops.trace(linalg.logm(S)) };`, `});`),
  "loss.ts": m(`export default model("loss", ({ input, param }) => {`, `  const x = input("x", [2, 3]);`, `  const W = param("W", [3, 2]);`, `  return { loss: ops.sum(ops.matmul(x, W)) };`, `});`),
  "x.json": `{"x": [[1, 2, 3], [4, 5, 6]]}`,
};

const deep = (depth: number) => `{"A": ${"[".repeat(depth)}1${"]".repeat(depth)}, "B": [[3, 4]]}`;

export const CLI_CLASSES: readonly CliClass[] = [
  {
    name: "command-line options",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "unknown option", args: ["run", "named.ts", "--frobnicate"], code: "MP4010", parts: ["unknown option"], spawned: true },
      { name: "unknown command", args: ["frobnicate"], code: "MP4010", parts: ["unknown command"] },
      { name: "missing model argument", args: ["run"], code: "MP4010", parts: ["missing required argument"] },
      { name: "--seed not a number", args: ["run", "named.ts", "--inputs", "ok.json", "--seed", "abc"], code: "MP4010", parts: ["--seed", "'abc'"] },
      { name: "--seed beyond 32 bits", args: ["run", "named.ts", "--inputs", "ok.json", "--seed", "4294967296"], code: "MP4010", parts: ["--seed"] },
      { name: "--backend unknown", args: ["run", "named.ts", "--inputs", "ok.json", "--backend", "tpu"], code: "MP4010", parts: ["unknown backend 'tpu'"] },
      { name: "--tol zero", args: ["gradcheck", "loss.ts", "--inputs", "x.json", "--tol", "0"], code: "MP4010", parts: ["--tol"] },
      { name: "build without -o", args: ["build", "named.ts"], code: "MP4010", parts: ["--out"] },
      { name: "--max-elements not an integer", args: ["run", "named.ts", "--inputs", "ok.json", "--max-elements", "1.5"], code: "MP4010", parts: ["--max-elements"] },
      { name: "--max-elements beyond 2³² − 1", args: ["run", "named.ts", "--inputs", "ok.json", "--max-elements", "99999999999"], code: "MP4010", parts: ["4294967295"] },
      { name: "--gpu-timeout not a number", args: ["run", "named.ts", "--inputs", "ok.json", "--gpu-timeout", "soon"], code: "MP4010", parts: ["--gpu-timeout"] },
      { name: "--model-timeout zero", args: ["run", "named.ts", "--inputs", "ok.json", "--model-timeout", "0"], code: "MP4010", parts: ["--model-timeout"] },
    ],
  },
  {
    name: "model files",
    cases: [
      { name: "no such file", args: ["run", "nope.ts"], code: "MP1001", parts: ["model file not found", "nope.ts"] },
      { name: "a folder, not a file", args: ["run", "dir.ts"], files: { "dir.ts/x": "" }, code: "MP1001" },
      { name: "syntax error", args: ["run", "syntax.ts"], files: { "syntax.ts": m(`export default model("s", ({ input }) => ({ s: ops.sum(input("A", [2]))) }));`) }, code: "MP1002", loc: "syntax.ts:2:72" },
      { name: "syntax error in an imported helper", args: ["run", "uses.ts"], files: { "helper.ts": "export const k = (;\n", "uses.ts": m(`import { k } from "./helper.ts";`, `export default model("u", ({ input }) => ({ s: ops.mul(ops.sum(input("A", [2])), k) }));`) }, code: "MP1002", loc: "helper.ts:1:19" },
      { name: "import of a missing module", args: ["run", "missing-import.ts"], files: { "missing-import.ts": m(`import { k } from "./nowhere.ts";`, `export default model("u", () => ({ k }) as never);`) }, code: "MP1004" },
      { name: "TypeScript type error (check)", args: ["check", "types.ts"], files: { "types.ts": m(`const n: number = "three";`, `export default model("t", ({ input }) => ({ s: ops.mul(ops.sum(input("A", [2])), n) }));`) }, code: "MP1002", parts: ["TS2322"], loc: "types.ts:2:7" },
      { name: "a matmul shape error (check): the IR rule's message", args: ["check", "mm-check.ts"], files: { "mm-check.ts": m(`export default model("t", ({ input }) => ({ C: ops.matmul(input("A", [4, 3]), input("B", [4, 3])) }));`) }, code: "MP2001", parts: ["[4, 3] @ [4, 3]"] },
      { name: "no default export", args: ["run", "none.ts"], files: { "none.ts": m(`export const x = 1;`) }, code: "MP1003" },
      { name: "default export is not a model", args: ["run", "object.ts"], files: { "object.ts": `export default { name: "x", build: 42 };\n` }, code: "MP1003" },
      { name: "default export is a function", args: ["run", "fn.ts"], files: { "fn.ts": `export default () => 1;\n` }, code: "MP1003" },
      { name: "an empty file", args: ["run", "empty.ts"], files: { "empty.ts": "" }, code: "MP1003" },
      { name: "not TypeScript at all (binary bytes)", args: ["run", "binary.ts"], files: { "binary.ts": "\u0000\u0001\u0002PK\u0003\u0004" }, code: "MP1002" },
    ],
  },
  {
    name: "exceptions and hangs in model code",
    cases: [
      { name: "top-level TypeError", args: ["run", "top.ts"], files: { "top.ts": m(`const x: any = undefined;`, `x.foo();`, `export default model("t", () => ({}));`) }, code: "MP1004", parts: ["TypeError", "foo"], loc: "top.ts:3:3" },
      { name: "top-level throw of a string", args: ["run", "top-string.ts"], files: { "top-string.ts": m(`if (Date.now() > 0) throw "no data here";`, `export default model("t", () => ({}));`) }, code: "MP1004", parts: ["no data here"], loc: "top-string.ts:2:21", spawned: true },
      { name: "Error thrown by the build function", args: ["run", "build-error.ts"], files: { "build-error.ts": m(`export default model("b", ({ input }) => {`, `  const A = input("A", [2]);`, `  if (A) throw new Error("deliberate failure inside build");`, `  return { s: ops.sum(A) };`, `});`) }, code: "MP1006", parts: ["Error: deliberate failure inside build"], loc: "build-error.ts:4:16" },
      { name: "string thrown by the build function", args: ["run", "build-string.ts"], files: { "build-string.ts": m(`export default model("b", ({ input }) => {`, `  const A = input("A", [2]);`, `  if (A) throw "bad config";`, `  return { s: ops.sum(A) };`, `});`) }, code: "MP1006", parts: ["bad config"], loc: "build-string.ts:4:10" },
      { name: "null thrown by the build function", args: ["run", "build-null.ts"], files: { "build-null.ts": m(`export default model("b", ({ input }) => {`, `  const A = input("A", [2]);`, `  if (A) throw null;`, `  return { s: ops.sum(A) };`, `});`) }, code: "MP1006", parts: ["null"], loc: "build-null.ts:4:10" },
      { name: "infinite recursion in the build function", args: ["run", "recursion.ts"], files: { "recursion.ts": m(`const depth = (n: number): number => depth(n + 1) + 1;`, `export default model("r", ({ input }) => ({ s: ops.mul(ops.sum(input("A", [2])), depth(0)) }));`) }, code: "MP1006", parts: ["Maximum call stack size exceeded"], loc: "recursion.ts:2:49" },
      { name: "an Error thrown in a helper module", args: ["run", "uses-helper.ts"], files: { "helper.ts": `export function check(n: number): number {\n  if (n > 1) throw new RangeError("n too large");\n  return n;\n}\n`, "uses-helper.ts": m(`import { check } from "./helper.ts";`, `export default model("h", ({ input }) => ({ s: ops.mul(ops.sum(input("A", [2])), check(5)) }));`) }, code: "MP1006", parts: ["RangeError: n too large"], loc: "helper.ts:2:20" },
      { name: "a model file that never finishes loading", args: ["run", "spin-top.ts", "--model-timeout", "1"], files: { "spin-top.ts": m(`while (Date.now() > 0) {}`, `export default model("t", () => ({}));`) }, code: "MP1005", parts: ["spin-top.ts", "1 s", "--model-timeout"], spawned: true },
      { name: "a model file that awaits forever at the top level", args: ["run", "await.ts", "--model-timeout", "1"], files: { "await.ts": m(`await new Promise(() => {});`, `export default model("t", () => ({}));`) }, code: "MP1005", parts: ["await.ts"] },
      { name: "a build function that never returns", args: ["check", "spin-build.ts", "--model-timeout", "1"], files: { "spin-build.ts": m(`export default model("t", () => {`, `  for (;;) {}`, `});`) }, code: "MP1005", parts: ["spin-build.ts", "1 s"] },
      { name: "a build function that awaits forever (a returned promise)", args: ["run", "promise.ts"], files: { "promise.ts": m(`export default model("p", (() => new Promise(() => {})) as never);`) }, code: "MP2011" },
    ],
  },
  {
    name: "graph building: shapes, structures, names",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "matmul of widened dims", args: ["run", "mm.ts"], files: { "mm.ts": m(`const r = 4 as number;`, `export default model("mm", ({ input }) => ({ C: ops.matmul(input("A", [r, 3]), input("B", [r, 3])) }));`) }, code: "MP2001", parts: ["[4, 3] @ [4, 3]"], loc: "mm.ts:3:53" },
      { name: "operands that do not broadcast", args: ["run", "bc.ts"], files: { "bc.ts": m(`export default model("bc", ({ input }) => ({ C: ops.add(input("A", [3] as number[]), input("B", [4] as number[])) as never }));`) }, code: "MP2003" },
      { name: "reshape to another element count", args: ["run", "rs.ts"], files: { "rs.ts": m(`export default model("rs", ({ input }) => ({ r: ops.reshape(input("A", [2, 3]), [4, 2]) }));`) }, code: "MP2005", parts: ["[2, 3]", "[4, 2]"] },
      { name: "logm of a matrix only known symmetric", args: ["run", "logm.ts"], files: { "logm.ts": m(`export default model("l", ({ input }) => {`, `  // @ts-ignore`, `  return { t: ops.trace(linalg.logm(linalg.cov(input("F", [2, 3]), { eps: 0 }))) };`, `});`) }, code: "MP2002", parts: ["logm", "spd"] },
      { name: "a reduction axis out of range", args: ["run", "axis.ts"], files: { "axis.ts": m(`export default model("a", ({ input }) => ({ s: ops.sum(input("A", [2, 3]), { axis: 5 }) }));`) }, code: "MP2004", parts: ["axis 5"] },
      { name: "an input declared twice", args: ["run", "twice.ts"], files: { "twice.ts": m(`export default model("t", ({ input }) => ({ s: ops.add(ops.sum(input("A", [2])), ops.sum(input("A", [2]))) }));`) }, code: "MP2010", parts: ["'A'"] },
      { name: "an input name that is not an identifier", args: ["run", "badname.ts"], files: { "badname.ts": m(`export default model("b", ({ input }) => ({ s: ops.sum(input("a b", [2])) }));`) }, code: "MP2004" },
      { name: "an input named __proto__", args: ["run", "proto-in.ts"], files: { "proto-in.ts": m(`export default model("p", ({ input }) => ({ s: ops.sum(input("__proto__", [2])) }));`) }, code: "MP2004", parts: ["reserved"] },
      { name: "an output named __proto__ (run)", args: ["run", "proto-out.ts"], files: { "proto-out.ts": m(`export default model("p", ({ input }) => ({ ["__proto__"]: ops.sum(input("A", [2])) }) as never);`) }, code: "MP2011", parts: ["reserved"] },
      { name: "an output named __proto__ (build)", args: ["build", "proto-out.ts", "-o", "out"], files: { "proto-out.ts": m(`export default model("p", ({ input }) => ({ ["__proto__"]: ops.sum(input("A", [2])) }) as never);`) }, code: "MP2011", parts: ["reserved"] },
      { name: "an empty output name", args: ["run", "empty-out.ts"], files: { "empty-out.ts": m(`export default model("p", ({ input }) => ({ "": ops.sum(input("A", [2])) }) as never);`) }, code: "MP2011", parts: ["empty"] },
      { name: "an output name with a control character", args: ["run", "ctl-out.ts"], files: { "ctl-out.ts": m(`export default model("p", ({ input }) => ({ "a\\u0007b": ops.sum(input("A", [2])) }) as never);`) }, code: "MP2011", parts: ["control character"] },
      { name: "an output named like a gradient", args: ["run", "grad-out.ts"], files: { "grad-out.ts": m(`export default model("p", ({ input }) => ({ "grad.A": ops.sum(input("A", [2])) }) as never);`) }, code: "MP2011", parts: ["reserved for gradients"] },
      { name: "an output that is not a tensor", args: ["run", "num-out.ts"], files: { "num-out.ts": m(`export default model("p", () => ({ y: 3 }) as never);`) }, code: "MP2011", parts: ["'y' is not a tensor"] },
      { name: "no outputs", args: ["run", "no-out.ts"], files: { "no-out.ts": m(`export default model("p", () => ({}));`) }, code: "MP2011", parts: ["no outputs"] },
      { name: "a build function that returns nothing", args: ["run", "void.ts"], files: { "void.ts": m(`export default model("p", (() => undefined) as never);`) }, code: "MP2011" },
      { name: "a tensor of another model as output", args: ["run", "foreign.ts"], files: { "foreign.ts": m(`let leaked: unknown;`, `model("a", ({ input }) => { leaked = input("A", [2]); return { s: ops.sum(input("B", [2])) }; }).build();`, `export default model("b", () => ({ y: leaked }) as never);`) }, code: "MP2011", parts: ["another model"] },
    ],
  },
  {
    name: "size limits",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "param [100000, 100000]", args: ["run", "big.ts"], files: { "big.ts": m(`export default model("big", ({ param }) => ({ s: ops.sum(param("W", [100000, 100000])) }));`) }, code: "MP2013", parts: ["param 'W'", "10,000,000,000 elements", "--max-elements"], loc: "big.ts:2:58" },
      { name: "trace(eye(1000000))", args: ["run", "eye.ts"], files: { "eye.ts": m(`export default model("eye", () => ({ t: ops.trace(ops.eye(1000000)) }));`) }, code: "MP2013", parts: ["eye result", "[1000000, 1000000]"], loc: "eye.ts:2:55" },
      { name: "an outer product too large once n is bound", args: ["run", "outer.ts", "--inputs", "wide.json", "--max-elements", "1000"], files: { "outer.ts": m(`export default model("o", ({ input }) => {`, `  const x = input("x", ["n", 1]);`, `  return { s: ops.sum(ops.matmul(x, ops.transpose(x))) };`, `});`), "wide.json": JSON.stringify({ x: Array.from({ length: 40 }, () => [1]) }) }, code: "MP2013", parts: ["[n, n] = [40, 40]", "1,600 elements"], loc: "outer.ts:4:27" },
      { name: "a declared tensor over a lowered --max-elements", args: ["run", "named.ts", "--inputs", "ok.json", "--max-elements", "1"], code: "MP2013", parts: ["input 'A'"] },
      { name: "rank 65", args: ["run", "rank.ts"], files: { "rank.ts": m(`export default model("r", ({ input }) => ({ s: ops.sum(input("A", new Array(65).fill(1))) }));`) }, code: "MP2013", parts: ["rank 65"] },
      { name: "an inputs array larger than the limit", args: ["run", "outer.ts", "--inputs", "wide.json", "--max-elements", "10"], files: { "outer.ts": m(`export default model("o", ({ input }) => ({ s: ops.sum(input("x", ["n", 1])) }));`), "wide.json": JSON.stringify({ x: Array.from({ length: 40 }, () => [1]) }) }, code: "MP4009", parts: ["40 elements", "the limit is 10"] },
    ],
  },
  {
    name: "inputs JSON",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "file not found", args: ["run", "named.ts", "--inputs", "nope.json"], code: "MP4001", parts: ["nope.json"] },
      { name: "malformed JSON, at its line:col", args: ["run", "named.ts", "--inputs", "bad.json"], files: { "bad.json": `{"A": [[1, 2]],\n  "B": [[3, 4]` }, code: "MP4002", parts: ["not valid JSON", /position \d+/], loc: "bad.json:2:15" },
      { name: "an empty file", args: ["run", "named.ts", "--inputs", "empty.json"], files: { "empty.json": "" }, code: "MP4002" },
      { name: "not an object (an array)", args: ["run", "named.ts", "--inputs", "array.json"], files: { "array.json": "[[1, 2]]" }, code: "MP4009", parts: ["not an array"] },
      { name: "not an object (null)", args: ["run", "named.ts", "--inputs", "null.json"], files: { "null.json": "null" }, code: "MP4009", parts: ["not null"] },
      { name: "nested 100,000 arrays deep", args: ["run", "named.ts", "--inputs", "deep.json"], files: { "deep.json": deep(100_000) }, code: "MP4009", parts: ["nested more than 64 arrays deep"], spawned: true },
      { name: "nested 100,000 objects deep", args: ["run", "named.ts", "--inputs", "deep-obj.json"], files: { "deep-obj.json": `{"A": ${'{"a": '.repeat(100_000)}1${"}".repeat(100_000)}, "B": [[3, 4]]}` }, code: "MP4009", parts: ["is an object"] },
      { name: "a ragged array", args: ["run", "named.ts", "--inputs", "ragged.json"], files: { "ragged.json": `{"A": [[1, 2], [3]], "B": [[3, 4], [5, 6]]}` }, code: "MP4009", parts: ["'A'[1] has 1 entry where 2 were expected"] },
      { name: "an empty array", args: ["run", "named.ts", "--inputs", "hollow.json"], files: { "hollow.json": `{"A": [], "B": [[3, 4]]}` }, code: "MP4009", parts: ["empty array"] },
      { name: "a string entry", args: ["run", "named.ts", "--inputs", "string.json"], files: { "string.json": `{"A": [[1, "2"]], "B": [[3, 4]]}` }, code: "MP4009", parts: [`'A'[0][1] is the string "2"`] },
      { name: "a boolean entry", args: ["run", "named.ts", "--inputs", "bool.json"], files: { "bool.json": `{"A": [[1, true]], "B": [[3, 4]]}` }, code: "MP4009", parts: ["boolean"] },
      { name: "an object entry", args: ["run", "named.ts", "--inputs", "obj.json"], files: { "obj.json": `{"A": [[1, {}]], "B": [[3, 4]]}` }, code: "MP4009", parts: ["an object"] },
      { name: "null (how JSON writers spell NaN)", args: ["run", "named.ts", "--inputs", "nan.json"], files: { "nan.json": `{"A": [[1, 2]], "B": [[3, null]]}` }, code: "MP4006", parts: ["'B'[0][1] is null"] },
      { name: "1e999 (read as Infinity)", args: ["run", "named.ts", "--inputs", "inf.json"], files: { "inf.json": `{"A": [[1, 1e999]], "B": [[3, 4]]}` }, code: "MP4006", parts: ["Infinity"] },
      { name: "a key named __proto__", args: ["run", "named.ts", "--inputs", "proto.json"], files: { "proto.json": `{"A": [[1, 2]], "B": [[3, 4]], "__proto__": [[1, 2]]}` }, code: "MP4004", parts: ["'__proto__'"] },
    ],
  },
  {
    name: "input values against the model",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "a missing input", args: ["run", "named.ts", "--inputs", "missing.json"], files: { "missing.json": `{"A": [[1, 2]]}` }, code: "MP4003", parts: ["missing input 'B'", "[n, 2]", "declared at named.ts:4:13"] },
      { name: "no --inputs at all", args: ["run", "named.ts"], code: "MP4003", parts: ["missing inputs 'A'", "'B'"] },
      { name: "an unknown input", args: ["run", "named.ts", "--inputs", "unknown.json"], files: { "unknown.json": `{"A": [[1, 2]], "B": [[3, 4]], "C": [[5, 6]]}` }, code: "MP4004", parts: ["unknown input 'C'"] },
      { name: "a wrong shape", args: ["run", "named.ts", "--inputs", "shape.json"], files: { "shape.json": `{"A": [[1, 2, 3]], "B": [[3, 4]]}` }, code: "MP4005", parts: ["'A' has shape [1, 3]", "is [n, 2]", "named.ts:3:13"] },
      { name: "a scalar where a matrix is declared", args: ["run", "named.ts", "--inputs", "scalar.json"], files: { "scalar.json": `{"A": 1, "B": [[3, 4]]}` }, code: "MP4005" },
      { name: "a named dim bound to two sizes", args: ["run", "named.ts", "--inputs", "two.json"], files: { "two.json": `{"A": [[1, 2], [3, 4], [5, 6]], "B": [[1, 2], [3, 4], [5, 6], [7, 8]]}` }, code: "MP4008", parts: ["dim n", "3 by 'A'", "4 by 'B'"] },
      { name: "an spd input that is not symmetric", args: ["run", "spd.ts", "--inputs", "ns.json"], files: { "ns.json": `{"S": [[2, 1], [0, 2]]}` }, code: "MP4007", parts: ["'S'", "spd.ts:3:13", "not symmetric", "(0,1)"] },
      { name: "an spd input that is not positive definite", args: ["run", "spd.ts", "--inputs", "npd.json"], files: { "npd.json": `{"S": [[1, 2], [2, 1]]}` }, code: "MP4007", parts: ["'S'", "spd.ts:3:13", "not positive definite"] },
      { name: "i32 labels that are not integers", args: ["run", "labels.ts", "--inputs", "labels.json"], files: { "labels.ts": m(`export default model("c", ({ input }) => ({ loss: nn.softmaxCrossEntropy(input("z", [2, 3]), input("y", [2], { dtype: "i32" })) }));`), "labels.json": `{"z": [[1, 2, 3], [4, 5, 6]], "y": [0, 1.5]}` }, code: "MP4009", parts: ["non-integer"] },
      { name: "a param given with the wrong shape", args: ["run", "loss.ts", "--inputs", "pshape.json"], files: { "pshape.json": `{"x": [[1, 2, 3], [4, 5, 6]], "W": [[1, 2, 3]]}` }, code: "MP4005", parts: ["'W'"] },
      { name: "an f64 input beyond the f32 range on WebGPU", args: ["run", "loss.ts", "--inputs", "huge.json", "--backend", "webgpu"], files: { "huge.json": `{"x": [[1, 2, 3], [4, 5, 1e39]]}` }, code: "MP4006", parts: ["beyond the f32 range"] },
    ],
  },
  {
    // On the CPU executor; the same failures on WebGPU are issue #14's device-side domain checks.
    name: "numeric failures while running (float64 CPU)",
    cases: [
      { name: "a singular solve", args: ["run", "solve.ts", "--inputs", "s.json", "--backend", "cpu"], files: { "solve.ts": m(`export default model("s", ({ input }) => ({ x: linalg.solve(input("A", [2, 2]), input("b", [2, 1])) }));`), "s.json": `{"A": [[1, 2], [2, 4]], "b": [[1], [2]]}` }, code: "MP5001", parts: ["singular"], loc: "solve.ts:2:55" },
      { name: "a false spd assumption", args: ["run", "assume.ts", "--inputs", "f.json", "--backend", "cpu"], files: { "assume.ts": m(`export default model("a", ({ input }) => ({ t: ops.trace(linalg.logm(ops.assume(linalg.cov(input("F", [2, 3])), "spd"))) }));`), "f.json": `{"F": [[1, 2, 3], [2, 4, 6]]}` }, code: "MP5001", parts: ["positive definite"] },
      { name: "log of a negative number", args: ["run", "log.ts", "--inputs", "neg.json", "--backend", "cpu"], files: { "log.ts": m(`export default model("l", ({ input }) => ({ s: ops.sum(ops.log(input("x", [2]))) }));`), "neg.json": `{"x": [1, -1]}` }, code: "MP5001", parts: ["log"] },
      { name: "a cross-entropy label out of range", args: ["run", "ce.ts", "--inputs", "ce.json", "--backend", "cpu"], files: { "ce.ts": m(`export default model("c", ({ input }) => ({ loss: nn.softmaxCrossEntropy(input("z", [2, 3]), input("y", [2], { dtype: "i32" })) }));`), "ce.json": `{"z": [[1, 2, 3], [4, 5, 6]], "y": [0, 3]}` }, code: "MP5001", parts: ["label 3"] },
      { name: "gradients at an eigenvalue tie", args: ["run", "tie.ts", "--inputs", "tie.json", "--grad", "--backend", "cpu"], files: { "tie.ts": m(`export default model("t", ({ input }) => {`, `  const [, U] = linalg.eigh(input("X", [2, 2], { structure: "symmetric" }));`, `  return { loss: ops.sum(ops.mul(U, input("W", [2, 2]))) };`, `});`), "tie.json": `{"X": [[1, 0], [0, 1]], "W": [[1, 2], [3, 4]]}` }, code: "MP5001", parts: ["eigh"] },
    ],
  },
  {
    name: "output paths",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "--out into a missing folder", args: ["run", "named.ts", "--inputs", "ok.json", "--out", "no-dir/out.json"], code: "MP4010", parts: ["cannot write --out file"] },
      { name: "build -o into a PWA folder (web app manifest.json)", args: ["build", "named.ts", "--inputs", "ok.json", "-o", "app"], files: { "app/manifest.json": `{"name": "My App", "start_url": "/"}`, "app/index.js": "app();", "app/runtime/sw.js": "", "app/kernels/notes.txt": "mine" }, code: "MP4011", parts: ["not a matprop bundle", "nothing was written or removed"], spawned: true },
      { name: "build -o into a browser extension", args: ["build", "named.ts", "--inputs", "ok.json", "-o", "ext"], files: { "ext/manifest.json": `{"manifest_version": 3, "name": "x", "version": "1"}`, "ext/background.js": "" }, code: "MP4011" },
      { name: "build -o into a project folder", args: ["build", "named.ts", "--inputs", "ok.json", "-o", "proj"], files: { "proj/package.json": "{}", "proj/src/main.ts": "" }, code: "MP4011", parts: ["no manifest.json"] },
      { name: "build -o onto a file", args: ["build", "named.ts", "--inputs", "ok.json", "-o", "ok.json"], code: "MP4011", parts: ["not a folder"] },
      { name: "build -o where a manifest.json claims the bundle format but is broken", args: ["build", "named.ts", "--inputs", "ok.json", "-o", "fake"], files: { "fake/manifest.json": `{"format": "matprop-bundle", "version": 2}`, "fake/a.txt": "" }, code: "MP4011" },
      { name: "graph -o with an unsupported extension", args: ["graph", "named.ts", "-o", "g.png"], code: "MP4010" },
    ],
  },
  {
    name: "gradient requests",
    files: GOOD,
    control: ["run", "named.ts", "--inputs", "ok.json", "--backend", "cpu"],
    cases: [
      { name: "run --grad without a loss output", args: ["run", "named.ts", "--inputs", "ok.json", "--grad"], code: "MP2011", parts: ["loss"] },
      { name: "gradcheck without a loss output", args: ["gradcheck", "named.ts", "--inputs", "ok.json"], code: "MP2011", parts: ["loss"] },
      { name: "ir --backward with a non-scalar loss", args: ["ir", "vec-loss.ts", "--backward"], files: { "vec-loss.ts": m(`export default model("v", ({ input }) => ({ loss: ops.mul(input("A", [2]), 2) }));`) }, code: "MP2011", parts: ["scalar"] },
    ],
  },
];
