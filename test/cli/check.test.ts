/**
 * `matprop check`: a call the DSL's types reject is reported with the code, message and location
 * that `run` gives for the same call (the IR rule's own words), not TypeScript's intersection
 * type; the model is checked under the nearest tsconfig.json (and says which, or that there is
 * none); projects whose package.json says "type": "commonjs" work.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectUserError, matprop, ROOT, tempDir } from "./helpers.js";

/** [A's shape, B's shape, a call the DSL's types reject, the diagnostic check and run both give]. */
const REJECTED: [string, string, string, string][] = [
  ["[8, 4]", "[3, 5]", "ops.matmul(A, B)", "MP2001 matmul: inner dims differ: [8, 4] @ [3, 5] (4 vs 3)"],
  [`["n", "d"]`, `["m", "d"]`, "ops.matmul(A, B)", "MP2001 matmul: inner dims differ: [n, d] @ [m, d] (d vs m)"],
  ["[2, 4, 4]", "[3, 4, 4]", "ops.matmul(A, B)", "MP2003 matmul: shapes [2] and [3] do not broadcast (dim 2 vs 3)"],
  ["[2, 3]", "[4, 3]", "ops.add(A, B)", "MP2003 add: shapes [2, 3] and [4, 3] do not broadcast (dim 2 vs 4)"],
  ["[3, 3]", "[3, 3]", "linalg.logm(A)", `MP2002 logm: input must be spd, but it is typed general; build it with linalg.cov, or assert it with ops.assume(x, "spd")`],
  ["[3, 3]", "[3, 3]", "linalg.eigh(ops.add(A, B))[0]", `MP2002 eigh: input must be symmetric, but it is typed general; assert it with ops.assume(x, "symmetric")`],
  ["[5, 3]", "[3, 3]", "linalg.cov(A, { eps: -1 })", "MP2004 cov: eps must be ≥ 0, got -1"],
];

/**
 * A model holding the given cases, three lines each (`A`, `B`, then the call, named per case so
 * they can share a model): a case's call is on line 6 + 3·(its index in `cases`).
 */
function modelOf(cases: readonly (readonly [string, string, string, string])[]): string {
  const lines = cases.flatMap(([a, b, call], k) => [`  const A${k} = input("A${k}", ${a});`, `  const B${k} = input("B${k}", ${b});`, `  const C${k} = ${call.replace(/\bA\b/g, `A${k}`).replace(/\bB\b/g, `B${k}`)};`]);
  return [`import { model, ops, linalg } from "matprop";`, ``, `export default model("bad", ({ input }) => {`, ...lines, `  return { s: ops.sum(ops.add(${cases.map((_, k) => `A${k}`)[0]}, 0)) };`, `});`].join("\n");
}

/** Diagnostic lines as `col CODE message` keyed by line number. */
function byLine(stderr: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of stderr.matchAll(/^\S+?:(\d+):(\d+) error (MP\d{4}): (.*)$/gm)) out.set(Number(m[1]), `${m[2]} ${m[3]} ${m[4]}`);
  return out;
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  // The case's index padded so each single-case file keeps the combined file's columns.
  const all = modelOf(REJECTED).replace("  return", `  const notANumber: number = "s";\n  return`);
  tmp = tempDir({ "all.ts": all, ...Object.fromEntries(REJECTED.map((c, k) => [`case${k}.ts`, modelOf([c]).replace(/([ABC])0\b/g, `$1${k}`)])) });
});
afterAll(() => tmp.cleanup());

describe("check words a statically rejected call as run does", () => {
  let check: Map<number, string>;
  let stderr: string;
  beforeAll(() => {
    const r = matprop(["check", "all.ts"], { cwd: tmp.dir });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("    at ");
    check = byLine(r.stderr);
    stderr = r.stderr;
  });

  it("reports each rejected call once, and TypeScript's other errors as MP1002 TSxxxx", () => {
    const plain = 4 + 3 * REJECTED.length; // the line after the last case
    expect([...check.keys()]).toEqual([...REJECTED.map((_, k) => 6 + 3 * k), plain]);
    expect(stderr.match(/ error MP\d{4}: /g)).toHaveLength(check.size);
    expect(check.get(plain)).toBe("9 MP1002 TS2322: Type 'string' is not assignable to type 'number'.");
  });

  it.each(REJECTED.map((c, k) => [k, ...c] as const))("case %i: %s %s %s", (k, _a, _b, _call, expected) => {
    const run = matprop(["run", `case${k}.ts`, "--backend", "cpu"], { cwd: tmp.dir });
    expect(run.status, run.stderr).toBe(1);
    const fromRun = byLine(run.stderr).get(6);
    const fromCheck = check.get(6 + 3 * k);
    expect(fromCheck).toBe(fromRun);
    expect(fromCheck?.replace(/^\d+ /, "")).toBe(expected);
  });
});

describe("check on calls that are not spelled as the op", () => {
  it("resolves renamed functions; a check with no IR op of its own (nn.linear) keeps its own plain words", () => {
    const dir = tempDir({
      "renamed.ts": [
        `import { model, ops, nn } from "matprop";`,
        `const { matmul: mm } = ops;`,
        `export default model("renamed", ({ input }) => {`,
        `  const C = mm(input("A", [8, 4]), input("B", [3, 5]));`,
        `  const y = nn.linear(input("x", [2, 3]), input("W", [5, 4]));`,
        `  return { C, y };`,
        `});`,
      ].join("\n"),
    });
    try {
      const r = matprop(["check", "renamed.ts"], { cwd: dir.dir });
      expect(r.status).toBe(1);
      expect(r.stderr.trimEnd().split("\n").filter((l) => !l.startsWith("note:"))).toEqual([
        "renamed.ts:4:13 error MP2001: matmul: inner dims differ: [8, 4] @ [3, 5] (4 vs 3)",
        "renamed.ts:5:16 error MP1002: linear: in-features (x's last dim, W's second) differ (got [3, 4])",
      ]);
    } finally {
      dir.cleanup();
    }
  });
});

const USES_PROCESS = [
  `import { model, ops } from "matprop";`,
  ``,
  `const scale = Number(process.env.SCALE ?? "2");`,
  `export default model("env", ({ input }) => ({ loss: ops.sum(ops.mul(input("A", [2, 2]), scale)) }));`,
].join("\n");

describe("check uses the nearest tsconfig.json", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    fs.mkdirSync(path.join(dir.dir, "project", "src", "models"), { recursive: true });
    fs.mkdirSync(path.join(dir.dir, "bare"));
    fs.writeFileSync(path.join(dir.dir, "project", "src", "models", "env.ts"), USES_PROCESS);
    fs.writeFileSync(path.join(dir.dir, "bare", "env.ts"), USES_PROCESS);
    // A project's config: node's types (found through typeRoots, as the temp folder has no
    // node_modules), and build settings (composite, rootDir, include) that do not cover the model.
    const tsconfig = {
      compilerOptions: { strict: true, module: "nodenext", types: ["node"], typeRoots: [path.join(ROOT, "node_modules", "@types")], composite: true, rootDir: "lib", outDir: "build" },
      include: ["lib"],
    };
    fs.writeFileSync(path.join(dir.dir, "project", "tsconfig.json"), JSON.stringify(tsconfig));
  });
  afterAll(() => dir.cleanup());

  it("so its types apply (`process` is known) and the ok line names it", () => {
    const r = matprop(["check", "src/models/env.ts"], { cwd: path.join(dir.dir, "project") });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("src/models/env.ts: ok (tsconfig.json)\n");
  });

  it("without one it says so, next to the error that follows from it", () => {
    const r = matprop(["check", "env.ts"], { cwd: path.join(dir.dir, "bare") });
    expectUserError(r, "MP1002", "TS2591", "Cannot find name 'process'");
    expect(r.stderr).toMatch(/^note: no tsconfig\.json in \.\/ or above: checked with strict NodeNext defaults and no ambient types;.*"types": \["node"\]/m);
  });

  it("a tsconfig it cannot use is an error naming it", () => {
    const bad = tempDir({ "tsconfig.json": `{ "compilerOptions": { "noSuchOption": true } }`, "env.ts": USES_PROCESS });
    try {
      expectUserError(matprop(["check", "env.ts"], { cwd: bad.dir }), "MP1002", "tsconfig.json: TS5023: Unknown compiler option 'noSuchOption'");
    } finally {
      bad.cleanup();
    }
  });
});

describe("a CommonJS project (npm init -y writes \"type\": \"commonjs\")", () => {
  it("check and run work", () => {
    const dir = tempDir({
      "package.json": JSON.stringify({ name: "cjs", version: "1.0.0", type: "commonjs" }),
      "model.ts": fs.readFileSync(path.join(ROOT, "examples", "logm-probe", "model.ts"), "utf8"),
      "in.json": JSON.stringify({ X: [[2, 0, 0, 0], [0, 3, 0, 0], [0, 0, 4, 0], [0, 0, 0, 5]] }),
    });
    try {
      const check = matprop(["check", "model.ts"], { cwd: dir.dir });
      expect(check.stderr).toBe("");
      expect(check.stdout).toBe("model.ts: ok (no tsconfig.json: strict defaults)\n");
      const run = matprop(["run", "model.ts", "--inputs", "in.json", "--backend", "cpu"], { cwd: dir.dir });
      expect(run.stderr).toBe("");
      expect(Object.keys((JSON.parse(run.stdout) as { outputs: object }).outputs)).toEqual(["loss"]);
    } finally {
      dir.cleanup();
    }
  });
});
