// Every registered rewrite rule (compiler/passes: canonicalize, spectral rewrite, simplify) has a
// before/after case — the rule fires, and the rewritten graph computes what the original did — and a
// case where the rule's op appears but the rule must not fire. The lint at the end fails when a rule
// is added without both.
import { describe, expect, it } from "vitest";
import { parse } from "../../ir/parse.js";
import { print } from "../../ir/print.js";
import { verify } from "../../ir/verify.js";
import { ndarray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { CANONICALIZE_RULES } from "../../compiler/passes/canonicalize.js";
import { rewrite, type RewriteRule } from "../../compiler/passes/rewrite.js";
import { SIMPLIFY_RULES } from "../../compiler/passes/simplify.js";
import { SPECTRAL_REWRITE } from "../../compiler/passes/spectral-rewrite.js";

const RULES: readonly RewriteRule[] = [...CANONICALIZE_RULES, SPECTRAL_REWRITE, ...SIMPLIFY_RULES];

/** Text IR numbers its values: `%name` → `%0`, `%1`, … in order of first appearance. */
function numbered(text: string): string {
  const ids = new Map<string, number>();
  return text.replace(/%([A-Za-z]\w*)/g, (_, name: string) => `%${ids.get(name) ?? ids.set(name, ids.size).get(name)!}`);
}

/** Inputs x, y [2, 2], s [2, 2] symmetric, v [4], r [1, 2], a [] and the nodes given, returning `out`. */
const graph = (body: string) => numbered(`graph "rule" {
  %x = input {name="x"} : f32[2,2]
  %y = input {name="y"} : f32[2,2]
  %s = input {name="s"} : f32[2,2] symmetric
  %v = input {name="v"} : f32[4]
  %r = input {name="r"} : f32[1,2]
  %a = input {name="a"} : f32[]
${body
  .trim()
  .split("\n")
  .map((l) => `  ${l.trim()}`)
  .join("\n")}
  return out=%out
}
`);

const c = (id: string, value: number) => `%${id} = constant {value=${value}} : f32[]`;
const SPD = "%spd = cov %x {eps=0.5} : f32[2,2] spd";

interface RuleCase {
  readonly fires: string;
  readonly quiet: string;
}

const CASES: Readonly<Record<string, RuleCase>> = {
  "spectral-via-eigh": { fires: `${SPD}\n%out = logm %spd : f32[2,2] symmetric`, quiet: `${SPD}\n%out = add %spd, %spd : f32[2,2] spd` },
  "spectral-function": {
    fires: `${SPD}\n%w, %u = eigh %spd : f32[2], f32[2,2] orthogonal\n%g = log %w : f32[2]\n%d = diagm %g : f32[2,2] diagonal\n%m = matmul %u, %d : f32[2,2]\n%ut = transpose %u : f32[2,2] orthogonal\n%out = matmul %m, %ut : f32[2,2] symmetric`,
    quiet: `${SPD}\n%w, %u = eigh %spd : f32[2], f32[2,2] orthogonal\n%g = log %w : f32[2]\n%d = diagm %g : f32[2,2] diagonal\n%out = matmul %u, %d : f32[2,2]`,
  },
  "add-zero": { fires: `${c("z", 0)}\n%out = add %x, %z : f32[2,2]`, quiet: `${c("z", 2)}\n%out = add %x, %z : f32[2,2]` },
  "add-self": { fires: "%out = add %x, %x : f32[2,2]", quiet: "%out = add %x, %y : f32[2,2]" },
  "sub-zero": { fires: `${c("z", 0)}\n%out = sub %z, %x : f32[2,2]`, quiet: `${c("z", 2)}\n%out = sub %x, %z : f32[2,2]` },
  "mul-one": { fires: `${c("o", 1)}\n%out = mul %x, %o : f32[2,2]`, quiet: `${c("o", 2)}\n%out = mul %x, %o : f32[2,2]` },
  "mul-constants": {
    fires: `${c("p", 2)}\n${c("q", 3)}\n%m = mul %x, %p : f32[2,2]\n%out = mul %m, %q : f32[2,2]`,
    quiet: `${c("q", 3)}\n%m = mul %x, %y : f32[2,2]\n%out = mul %m, %q : f32[2,2]`,
  },
  "mul-neg-one": { fires: `${c("m", -1)}\n%out = mul %x, %m : f32[2,2]`, quiet: `${c("m", -2)}\n%out = mul %x, %m : f32[2,2]` },
  "div-of-scaled": {
    fires: `${c("p", 2)}\n${c("q", 4)}\n%m = mul %x, %p : f32[2,2]\n%out = div %m, %q : f32[2,2]`,
    quiet: `${c("q", 4)}\n%out = div %x, %q : f32[2,2]`,
  },
  "div-one": { fires: `${c("o", 1)}\n%out = div %x, %o : f32[2,2]`, quiet: `${c("o", 2)}\n%out = div %x, %o : f32[2,2]` },
  "neg-neg": { fires: "%n = neg %x : f32[2,2]\n%out = neg %n : f32[2,2]", quiet: "%out = neg %x : f32[2,2]" },
  "transpose-transpose": { fires: "%t = transpose %x : f32[2,2]\n%out = transpose %t : f32[2,2]", quiet: "%out = transpose %x : f32[2,2]" },
  "transpose-symmetric": { fires: "%out = transpose %s : f32[2,2] symmetric", quiet: "%out = transpose %x : f32[2,2]" },
  "reshape-same": { fires: "%out = reshape %x {shape=[2,2]} : f32[2,2]", quiet: "%out = reshape %x {shape=[4]} : f32[4]" },
  "reshape-reshape": { fires: "%f = reshape %x {shape=[4]} : f32[4]\n%out = reshape %f {shape=[1,4]} : f32[1,4]", quiet: "%out = reshape %v {shape=[2,2]} : f32[2,2]" },
  "broadcast-same": { fires: "%out = broadcastTo %x {shape=[2,2]} : f32[2,2]", quiet: "%out = broadcastTo %r {shape=[2,2]} : f32[2,2]" },
  "broadcast-scalar-reshape": {
    fires: "%k = reshape %a {shape=[1,1]} : f32[1,1]\n%out = broadcastTo %k {shape=[2,2]} : f32[2,2]",
    quiet: "%k = reshape %v {shape=[1,4]} : f32[1,4]\n%out = broadcastTo %k {shape=[2,4]} : f32[2,4]",
  },
  "mul-broadcast-scalar": {
    fires: `${c("k", 3)}\n%b = broadcastTo %k {shape=[2,2]} : f32[2,2]\n%out = mul %x, %b : f32[2,2]`,
    quiet: "%b = broadcastTo %r {shape=[2,2]} : f32[2,2]\n%out = mul %x, %b : f32[2,2]",
  },
  "fold-scalar-constants": { fires: `${c("p", 2)}\n${c("q", 3)}\n%out = add %p, %q : f32[]`, quiet: `${c("p", 2)}\n%out = add %p, %a : f32[]` },
};

function feeds(): Map<string, ReturnType<typeof ndarray>> {
  const rng = new Random(7);
  const arr = (shape: number[]) => ndarray(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
  const s = arr([2, 2]);
  s.data[2] = s.data[1];
  return new Map([
    ["x", arr([2, 2])],
    ["y", arr([2, 2])],
    ["s", s],
    ["v", arr([4])],
    ["r", arr([1, 2])],
    ["a", arr([])],
  ]);
}

function applied(rule: RewriteRule, text: string) {
  const before = parse(graph(text));
  const stats = { fired: new Map<string, number>() };
  const after = rewrite(before, [rule], stats);
  verify(after);
  return { before, after, fired: stats.fired.get(rule.name) ?? 0 };
}

describe("rewrite rules: before/after and does-not-fire", () => {
  it.each(RULES.map((r) => [r.name, r] as const))("%s", (name, rule) => {
    const k = CASES[name];
    const yes = applied(rule, k.fires);
    expect(yes.fired, `${name} should fire on:\n${print(yes.before)}`).toBeGreaterThan(0);
    expect(print(yes.after)).not.toBe(print(yes.before));
    const f = feeds();
    const want = executeCPU(yes.before, f).outputs.get("out")!;
    const got = executeCPU(yes.after, f).outputs.get("out")!;
    expect(got.shape).toEqual(want.shape);
    got.data.forEach((v, i) => expect(v).toBeCloseTo(want.data[i], 10));
    const no = applied(rule, k.quiet);
    expect(no.fired, `${name} must not fire on:\n${print(no.before)}`).toBe(0);
  });

  it("every registered rule has both cases, and every case names a registered rule", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.name).sort());
  });
});
