/**
 * Errors in model files and while building or running their graphs: each gets its code, the DSL
 * file:line:col where there is one, exit status 1, nothing on stdout and no stack trace.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectUserError, FIXTURES, matprop, tempDir } from "./helpers.js";

/**
 * Models that TypeScript rejects live in a temp folder, not in test/fixtures: the test type-check
 * (test/types/tsconfig.json) compiles every .ts file under test/.
 */
const SYNTAX_ERROR = [
  `import { model, ops } from "matprop";`,
  ``,
  `export default model("syntax-error", ({ input }) => {`,
  `  const A = input("A", [2, 2]);`,
  `  return { s: ops.sum(A)) };`, // line 5: the second ')' is col 25
  `});`,
].join("\n");

/** A non-ASCII string before the error: esbuild counts bytes, tsc (and we) count characters. */
const SYNTAX_ERROR_UTF8 = [
  `import { model } from "matprop";`,
  `const label = "ééé"; let x = 08;`, // line 2: '08' is col 30
  `export default model("utf8", () => ({}));`,
].join("\n");

const HELPER_SYNTAX_ERROR = `export const k = 3;\nexport const bad = (;\n`; // line 2 col 21
const IMPORTS_BROKEN_HELPER = [
  `import { model, ops } from "matprop";`,
  `import { k } from "./helper.ts";`,
  ``,
  `export default model("imports-helper", ({ input }) => ({ s: ops.mul(ops.sum(input("A", [2, 2])), k) }));`,
].join("\n");

const MATMUL_TYPE_ERROR = [
  `import { model, ops } from "matprop";`,
  ``,
  `export default model("matmul-type-error", ({ input }) => {`,
  `  const A = input("A", [4, 3]);`,
  `  const B = input("B", [4, 3]);`,
  `  const C = ops.matmul(A, B);`, // line 6, the call spans cols 13..28
  `  return { C };`,
  `});`,
].join("\n");

/** cov with eps 0 is only PSD; `run` does not type-check, so the builder's structure rule catches it. */
const LOGM_OF_PSD = [
  `import { model, linalg, ops } from "matprop";`,
  ``,
  `export default model("logm-of-psd", ({ input }) => {`,
  `  const F = input("F", [2, 3]);`,
  `  // @ts-ignore the type rule rejects this too; the test is about the builder's rule`,
  `  const L = linalg.logm(linalg.cov(F, { eps: 0 }));`, // line 6, logm at col 20
  `  return { t: ops.trace(L) };`,
  `});`,
].join("\n");

const TOP_LEVEL_THROW = [`import { model } from "matprop";`, `const x: any = undefined;`, `x.foo();`, `export default model("t", () => ({}));`].join("\n");

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir({
    "syntax-error.ts": SYNTAX_ERROR,
    "syntax-error-utf8.ts": SYNTAX_ERROR_UTF8,
    "helper.ts": HELPER_SYNTAX_ERROR,
    "imports-helper.ts": IMPORTS_BROKEN_HELPER,
    "matmul-type-error.ts": MATMUL_TYPE_ERROR,
    "logm-of-psd.ts": LOGM_OF_PSD,
    "top-level-throw.ts": TOP_LEVEL_THROW,
    "numeric.json": JSON.stringify({ A: [[1, 2], [2, 4]], b: [[1], [2]], F: [[1, 2, 3], [2, 4, 6]] }),
    "numeric-solvable.json": JSON.stringify({ A: [[2, 1], [1, 3]], b: [[1], [2]], F: [[1, 2, 3], [2, 4, 6]] }),
    "overflow.json": JSON.stringify({ x: [1, 1000] }),
  });
});
afterAll(() => tmp.cleanup());

/** Debian's SwiftShader driver is what gives this machine (and CI) a WebGPU adapter. */
const hasAdapter = fs.existsSync("/usr/lib/chromium/vk_swiftshader_icd.json") || process.env.CI === "true";

describe("model files", () => {
  it("MP1001: the model file does not exist (check and run)", () => {
    expectUserError(matprop(["check", "no/such/model.ts"]), "MP1001", "model file not found", "no/such/model.ts");
    expectUserError(matprop(["run", "no/such/model.ts"]), "MP1001", "model file not found");
  });

  it("MP1003: the default export is not a model", () => {
    expectUserError(matprop(["run", `${FIXTURES}/not-a-model.ts`]), "MP1003", `${FIXTURES}/not-a-model.ts`, "export default model(");
  });

  it("MP1002: a syntax error, at its file:line:col, from check, run and ir", () => {
    const file = tmp.file("syntax-error.ts");
    for (const cmd of ["check", "run", "ir"]) {
      const { loc, message } = expectUserError(matprop([cmd, file]), "MP1002");
      expect(loc, cmd).toBe(`${file}:5:25`);
      // check reports tsc's diagnostic, run and ir esbuild's.
      if (cmd !== "check") expect(message).toBe(`syntax error: Expected "}" but found ")"`);
    }
  });

  it("MP1002: a syntax error after non-ASCII text has the character column, not the byte column", () => {
    const file = tmp.file("syntax-error-utf8.ts");
    for (const cmd of ["check", "run"]) expect(expectUserError(matprop([cmd, file]), "MP1002").loc, cmd).toBe(`${file}:2:30`);
  });

  it("MP1002: a syntax error in an imported file names that file", () => {
    const { loc } = expectUserError(matprop(["run", tmp.file("imports-helper.ts")]), "MP1002", "syntax error");
    expect(loc).toBe(`${tmp.file("helper.ts")}:2:21`);
  });

  it("MP2001: check finds a matmul shape error by the types and words it as the graph builder does", () => {
    const r = matprop(["check", tmp.file("matmul-type-error.ts")]);
    const { loc } = expectUserError(r, "MP2001", "matmul: inner dims differ: [4, 3] @ [4, 3] (3 vs 4)");
    expect(loc).toBe(`${tmp.file("matmul-type-error.ts")}:6:17`); // `matmul` in `ops.matmul(A, B)`
  });

  it("MP1004: a model that throws while it is imported names the throwing line", () => {
    const file = tmp.file("top-level-throw.ts");
    const { loc } = expectUserError(matprop(["run", file]), "MP1004", "failed to load", "TypeError", "foo");
    expect(loc).toBe(`${file}:3:3`);
  });
});

describe("building the graph", () => {
  it("MP2001: a matmul of widened `number` dims fails when the graph is built, at the call (check and run)", () => {
    for (const cmd of ["check", "run"]) {
      const { loc } = expectUserError(matprop([cmd, `${FIXTURES}/widened-matmul.ts`]), "MP2001", "matmul", "[4, 3] @ [4, 3]");
      expect(loc, cmd).toBe(`${FIXTURES}/widened-matmul.ts:8:19`);
    }
  });

  it("MP2005: a reshape to a different number of elements", () => {
    const { loc } = expectUserError(matprop(["run", `${FIXTURES}/bad-reshape.ts`]), "MP2005", "[2, 3]", "[4, 2]");
    expect(loc).toBe(`${FIXTURES}/bad-reshape.ts:6:19`);
  });

  it("MP2002: logm of a matrix the builder infers only symmetric", () => {
    const file = tmp.file("logm-of-psd.ts");
    const { loc } = expectUserError(matprop(["run", file]), "MP2002", "logm", "spd", "symmetric");
    expect(loc).toBe(`${file}:6:20`);
  });
});

describe("running the graph", () => {
  it("MP5001: a singular solve names the solve line", () => {
    const { loc } = expectUserError(matprop(["run", `${FIXTURES}/numeric.ts`, "--inputs", tmp.file("numeric.json")]), "MP5001", "solve", "singular");
    expect(loc).toBe(`${FIXTURES}/numeric.ts:8:20`);
  });

  it.runIf(hasAdapter)("MP5001 on WebGPU: the solve kernel reports the singular matrix through the status buffer, at the solve line", () => {
    const { loc, message } = expectUserError(matprop(["run", `${FIXTURES}/numeric.ts`, "--inputs", tmp.file("numeric.json"), "--backend", "webgpu"]), "MP5001", "solve failed: singular", "(on WebGPU, in f32)");
    expect(loc).toBe(`${FIXTURES}/numeric.ts:8:20`);
    expect(message).not.toContain("CPU");
  });

  it.runIf(hasAdapter)("MP5001 on WebGPU: a non-finite output no kernel reports (exp overflow) is traced by a CPU re-run to the exp line", () => {
    const { loc, message } = expectUserError(matprop(["run", `${FIXTURES}/overflow.ts`, "--inputs", tmp.file("overflow.json"), "--backend", "webgpu"]), "MP5001", "on WebGPU", "exp produced Infinity");
    expect(loc).toBe(`${FIXTURES}/overflow.ts:6:27`);
    expect(message).toContain("the float64 CPU executor stops here");
  });

  it("MP5001: a false spd assumption on a rank-deficient covariance names the assume line", () => {
    const { loc } = expectUserError(matprop(["run", `${FIXTURES}/numeric.ts`, "--inputs", tmp.file("numeric-solvable.json")]), "MP5001", "assume", "positive definite");
    expect(loc).toBe(`${FIXTURES}/numeric.ts:9:17`);
  });
});

describe("exceptions in the model's own code", () => {
  it("MP1006: an Error thrown by the build function is the model's, at its line, in one line without a stack (was MP9001)", () => {
    const plain = matprop(["run", `${FIXTURES}/throws.ts`]);
    const { loc } = expectUserError(plain, "MP1006", "the model's code threw Error: deliberate failure inside build");
    expect(loc).toBe(`${FIXTURES}/throws.ts:5:9`);
    expect(plain.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
