// docs/bad-inputs.md's table is the case lists' table: its classes and counts are what the tests run.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { badInputTable, badInputTotal } from "../bad-inputs/table.js";
import { DEFAULT_MAX_ELEMENTS } from "../../ir/limits.js";
import { DEFAULT_MODEL_TIMEOUT_MS } from "../../compiler/cli/load-graph.js";
import { DEFAULT_GPU_TIMEOUT_MS } from "../../runtime/webgpu/watchdog.js";

const FILE = new URL("../../docs/bad-inputs.md", import.meta.url);
const BEGIN = /<!-- table:[^\n]*-->\n/;
const END = "<!-- end table -->";

describe("docs/bad-inputs.md", () => {
  it("holds the table rendered from the case lists", () => {
    const text = fs.readFileSync(FILE, "utf8");
    const begin = BEGIN.exec(text);
    expect(begin, "table start marker").not.toBeNull();
    const start = begin!.index + begin![0].length;
    const end = text.indexOf(END, start);
    const want = badInputTable();
    if (process.env.MATPROP_WRITE_DOCS === "1") fs.writeFileSync(FILE, text.slice(0, start) + want + text.slice(end));
    else expect(text.slice(start, end), "run MATPROP_WRITE_DOCS=1 npx vitest run test/docs/bad-inputs.test.ts").toBe(want);
  });

  it("states the limits' defaults as the code has them", () => {
    const text = fs.readFileSync(FILE, "utf8");
    expect(DEFAULT_MAX_ELEMENTS).toBe(2 ** 28);
    expect(text).toContain("| 2²⁸ = 268,435,456 | `--max-elements N`");
    expect(text).toContain(`| loading and building a model file | ${DEFAULT_MODEL_TIMEOUT_MS / 1000} s |`);
    expect(text).toContain(`| one WebGPU submission (CLI) | ${DEFAULT_GPU_TIMEOUT_MS / 1000} s |`);
    expect(text).toContain(`| one bundle run | ${DEFAULT_GPU_TIMEOUT_MS / 1000} s |`);
  });

  it("is linked from the README, which gives the same total", () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain("(docs/bad-inputs.md)");
    expect(readme).toContain(`${badInputTotal()} cases from the command line and against bundles`);
  });
});
