/** `matprop run` / `check` on a good model, `--out`, the model outside the repo, and bad options. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectUserError, matprop, ROOT, tempDir } from "./helpers.js";

const EXAMPLE = "examples/logm-probe/model.ts"; // loss = sum(logm(X) ∘ W)

// X = diag(1, e, e², e³) so logm(X) = diag(0, 1, 2, 3), and loss = W₁₁ + 2·W₂₂ + 3·W₃₃.
const X = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? Math.exp(i) : 0)));
const W = [
  [0.5, -1.25, 2, 0.75],
  [1.5, -0.3, 0.25, -2],
  [0.1, 0.2, 1.7, 0.4],
  [-0.6, 0.9, -1.1, -0.45],
];
const EXPECTED_LOSS = 1 * -0.3 + 2 * 1.7 + 3 * -0.45;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir({ "in.json": JSON.stringify({ X, W }) });
  fs.mkdirSync(tmp.file("outside"));
  fs.copyFileSync(path.join(ROOT, EXAMPLE), tmp.file("outside/model.ts"));
});
afterAll(() => tmp.cleanup());

describe("a good model", () => {
  it("run prints the outputs: loss is the hand value", () => {
    const r = matprop(["run", EXAMPLE, "--inputs", tmp.file("in.json")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const { outputs } = JSON.parse(r.stdout) as { outputs: { loss: number } };
    expect(Object.keys(outputs)).toEqual(["loss"]);
    expect(Math.abs(outputs.loss - EXPECTED_LOSS)).toBeLessThan(1e-12);
  });

  it("check prints ok and exits 0", () => {
    const r = matprop(["check", EXAMPLE]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${EXAMPLE}: ok (tsconfig.json)\n`);
  });

  it("--out writes the file and prints nothing", () => {
    const out = tmp.file("out.json");
    const r = matprop(["run", EXAMPLE, "--inputs", tmp.file("in.json"), "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const { outputs } = JSON.parse(fs.readFileSync(out, "utf8")) as { outputs: { loss: number } };
    expect(Math.abs(outputs.loss - EXPECTED_LOSS)).toBeLessThan(1e-12);
  });

  it("works from a folder outside the repo: `import from \"matprop\"` resolves (check and run)", () => {
    const dir = tmp.file("outside");
    const check = matprop(["check", "model.ts"], { cwd: dir });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    expect(check.stdout).toBe("model.ts: ok (no tsconfig.json: strict defaults)\n");

    const run = matprop(["run", "model.ts", "--inputs", tmp.file("in.json")], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(Math.abs((JSON.parse(run.stdout) as { outputs: { loss: number } }).outputs.loss - EXPECTED_LOSS)).toBeLessThan(1e-12);
  });
});

describe("bad options: MP4010", () => {
  it("--seed abc", () => {
    expectUserError(matprop(["run", EXAMPLE, "--seed", "abc"]), "MP4010", "--seed", "'abc'");
  });

  it("--backend nope", () => {
    expectUserError(matprop(["run", EXAMPLE, "--backend", "nope"]), "MP4010", "unknown backend 'nope'", "cpu");
  });

  it("an unknown option (commander's own error gets the code too)", () => {
    const r = matprop(["run", EXAMPLE, "--no-such-option"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error MP4010: unknown option '--no-such-option'/);
    expect(r.stderr).not.toContain("    at ");
  });

  it("an --out file that cannot be written", () => {
    expectUserError(matprop(["run", EXAMPLE, "--inputs", tmp.file("in.json"), "--out", tmp.file("no-dir/out.json")]), "MP4010", "cannot write --out file");
  });
});
