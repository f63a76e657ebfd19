// The README is part of the interface: its diagnostics table lists every code, and the commands
// it promises exist.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DIAGNOSTICS } from "../../ir/diagnostics.js";
import pkg from "../../package.json" with { type: "json" };

const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("lists every diagnostic code with its meaning", () => {
    for (const [code, title] of Object.entries(DIAGNOSTICS)) expect(readme).toContain(`| ${code} | ${title} |`);
  });
  it("gives the two newcomer commands, and they are npm scripts", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm test");
    expect(pkg.scripts.demo).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
  });
  it("CI runs the README's test command", () => {
    expect(fs.readFileSync(new URL("../../.ci/run", import.meta.url), "utf8")).toMatch(/^npm test$/m);
  });
});

describe("README outputs are what the tool prints now", () => {
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, ["bin/matprop.js", ...args], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trimEnd();
  };
  it.each([
    [["ir", "examples/logm-probe/model.ts"]],
    [["run", "examples/logm-probe/model.ts", "--inputs", "examples/logm-probe/inputs.json", "--backend", "cpu"]],
    [["ir", "examples/o2p-layer/model.ts", "--backward"]],
    [["ir", "examples/o2p-layer/model.ts", "--stats"]],
    [["stats", "examples/o2p-layer/model.ts", "--wrt", "all"]],
    [["stats", "examples/ncuts-layer/model.ts", "--wrt", "all"]],
  ])("matprop %s", (args) => {
    expect(readme).toContain(`$ npx matprop ${args.join(" ")}\n${cli(args)}\n`);
  });
});
