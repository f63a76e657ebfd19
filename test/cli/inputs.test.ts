/**
 * `matprop run --inputs`: every class of bad input data gets its code (MP4xxx), a message naming
 * the input, exit status 1, nothing on stdout and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectUserError, FIXTURES, matprop, tempDir } from "./helpers.js";

const NAMED = `${FIXTURES}/named-dims.ts`; // A: [n, 2] declared at 5:13, B: [n, 2] at 6:13
const SPD = `${FIXTURES}/spd-input.ts`; // S: [2, 2] spd declared at 5:13

/** Inputs files, as raw text: some of them are not valid JSON on purpose. */
const FILES: Record<string, string> = {
  "ok.json": `{"A": [[1, 2]], "B": [[3, 4]]}`,
  "malformed.json": `{"A": [[1, 2]],\n  "B": [[3, 4]`,
  "array.json": `[[1, 2], [3, 4]]`,
  "missing.json": `{"A": [[1, 2]]}`,
  "unknown.json": `{"A": [[1, 2]], "B": [[3, 4]], "C": [[5, 6]]}`,
  "shape.json": `{"A": [[1, 2, 3]], "B": [[3, 4]]}`,
  "ragged.json": `{"A": [[1, 2], [3]], "B": [[3, 4], [5, 6]]}`,
  "string.json": `{"A": [[1, "2"]], "B": [[3, 4]]}`,
  "null.json": `{"A": [[1, 2]], "B": [[3, null]]}`,
  "overflow.json": `{"A": [[1, 1e999]], "B": [[3, 4]]}`,
  "two-sizes.json": `{"A": [[1, 2], [3, 4], [5, 6]], "B": [[1, 2], [3, 4], [5, 6], [7, 8]]}`,
  "not-symmetric.json": `{"S": [[2, 1], [0, 2]]}`,
  "not-pd.json": `{"S": [[1, 2], [2, 1]]}`,
};

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir(FILES);
});
afterAll(() => tmp.cleanup());

const runWith = (model: string, inputs: string, ...extra: string[]) => matprop(["run", model, "--inputs", tmp.file(inputs), ...extra]);

describe("inputs file", () => {
  it("good inputs run (the fixture itself is fine)", () => {
    const r = runWith(NAMED, "ok.json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ outputs: { s: 10 } });
  });

  it("MP4001: the inputs file does not exist", () => {
    expectUserError(runWith(NAMED, "no-such-file.json"), "MP4001", "inputs file not found", "no-such-file.json");
  });

  it("MP4002: malformed JSON, located at its line:col", () => {
    const { loc, message } = expectUserError(runWith(NAMED, "malformed.json"), "MP4002", "not valid JSON");
    // V8 stops at the end of the text: line 2, just after `"B": [[3, 4]`.
    expect(loc).toBe(`${tmp.file("malformed.json")}:2:15`);
    expect(message).toMatch(/position \d+/);
  });

  it("MP4009: JSON that is not an object", () => {
    expectUserError(runWith(NAMED, "array.json"), "MP4009", "must be a JSON object", "not an array");
  });
});

describe("binding inputs to the model", () => {
  it("MP4003: a missing input names it, its shape and its declaration", () => {
    expectUserError(runWith(NAMED, "missing.json"), "MP4003", "missing input 'B'", "[n, 2]", `${FIXTURES}/named-dims.ts:6:13`);
  });

  it("MP4003: no --inputs at all lists every input", () => {
    expectUserError(matprop(["run", NAMED]), "MP4003", "missing inputs 'A'", "'B'");
  });

  it("MP4004: an unknown input names it and the declared ones", () => {
    expectUserError(runWith(NAMED, "unknown.json"), "MP4004", "unknown input 'C'", "'A', 'B'");
  });

  it("MP4005: a wrong shape names both shapes", () => {
    expectUserError(runWith(NAMED, "shape.json"), "MP4005", "'A' has shape [1, 3]", "is [n, 2]", `${FIXTURES}/named-dims.ts:5:13`);
  });

  it("MP4009: a ragged array names the offending entry", () => {
    expectUserError(runWith(NAMED, "ragged.json"), "MP4009", "'A' is ragged", "'A'[1] has 1 entry where 2 were expected");
  });

  it("MP4009: a string in the data", () => {
    expectUserError(runWith(NAMED, "string.json"), "MP4009", `'A'[0][1] is the string "2", not a number`);
  });

  it("MP4006: null (how JSON writers spell NaN) in the data", () => {
    expectUserError(runWith(NAMED, "null.json"), "MP4006", "'B'[0][1] is null", "NaN");
  });

  it("MP4006: 1e999, which JSON.parse reads as Infinity", () => {
    expectUserError(runWith(NAMED, "overflow.json"), "MP4006", "'A'[0][1] is Infinity", "finite");
  });

  it("MP4008: a named dim bound to two sizes names both inputs and sizes", () => {
    expectUserError(runWith(NAMED, "two-sizes.json"), "MP4008", "dim n", "3 by 'A'", "4 by 'B'");
  });

  it("MP4007: an spd input that is not symmetric names its declaration", () => {
    expectUserError(runWith(SPD, "not-symmetric.json"), "MP4007", "'S'", "spd", `${FIXTURES}/spd-input.ts:5:13`, "not symmetric", "(0,1)");
  });

  it("MP4007: an spd input that is symmetric but not positive definite", () => {
    expectUserError(runWith(SPD, "not-pd.json"), "MP4007", "'S'", `${FIXTURES}/spd-input.ts:5:13`, "not positive definite");
  });
});
