/** Spawning the built CLI (`bin/matprop.js`, dist/ built by `npm test`) and checking its diagnostics. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = path.join(ROOT, "bin", "matprop.js");
/** Fixture paths as the CLI prints them (relative to the repo root, the spawn's cwd). */
export const FIXTURES = "test/fixtures/cli";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function matprop(args: readonly string[], opts: { cwd?: string } = {}): CliResult {
  // These tests compare float64 results: `run` goes to the CPU executor unless a test picks a backend.
  const pinned = args[0] === "run" && !args.includes("--backend") ? [...args, "--backend", "cpu"] : args;
  const r = spawnSync(process.execPath, [BIN, ...pinned], { cwd: opts.cwd ?? ROOT, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temp folder holding the given files (name → contents); removed by `cleanup()`. */
export function tempDir(files: Record<string, string> = {}): { dir: string; file: (name: string) => string; cleanup: () => void } {
  // realpath: where the temp folder is behind a symlink (macOS), stack frames and esbuild name the real path.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-cli-")));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A user error: exit 1, nothing on stdout, no stack trace, and exactly one diagnostic line
 * `[loc ]error CODE: message` whose message contains every `parts` entry (strings or patterns).
 * Returns the parsed line.
 */
export function expectUserError(r: CliResult, code: string, ...parts: (string | RegExp)[]): { loc: string | undefined; message: string } {
  const context = `stderr was:\n${r.stderr}`;
  expect(r.status, context).toBe(1);
  expect(r.stdout, context).toBe("");
  expect(r.stderr, context).not.toContain("    at ");
  const lines = r.stderr.trimEnd().split("\n");
  const m = /^(?:(\S.*?) )?error (MP\d{4}): (.*)$/.exec(lines[0]);
  expect(m, context).not.toBeNull();
  const [, loc, got, message] = m!;
  expect(got, context).toBe(code);
  for (const p of parts) {
    if (typeof p === "string") expect(message, context).toContain(p);
    else expect(message, context).toMatch(p);
  }
  return { loc, message };
}
