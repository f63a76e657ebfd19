/**
 * Every bad-input case of the command line (./cli-classes.ts), run through the built CLI in a
 * folder of its own: a coded error (at the expected file:line:col where one is given), exit status
 * 1, nothing on stdout, no stack trace, no file written or removed in the folder, and no hang (each
 * run is killed at 60 s and must end well before).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, expectUserError } from "../cli/helpers.js";
import { CLI_CLASSES, type CliCase, type CliClass } from "./cli-classes.js";

/** Wall-clock limit of one run: nothing here may take longer (the model-timeout cases stop at 2 s). */
const NO_HANG_MS = 30_000;

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-bad-")));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every file and folder under `dir` with its contents (folders as ""). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name));
    out[rel] = e.isDirectory() ? "" : fs.readFileSync(path.join(dir, rel), "latin1");
  }
  return out;
}

function folderFor(cls: CliClass, c: CliCase, index: number): string {
  const dir = path.join(root, `${CLI_CLASSES.indexOf(cls)}-${index}`);
  for (const [rel, text] of Object.entries({ ...cls.files, ...c.files })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

describe.each(CLI_CLASSES.map((cls) => [cls.name, cls] as const))("%s", (_, cls) => {
  if (cls.control) {
    it("control: the class's own files are valid", () => {
      const dir = folderFor(cls, { name: "control", args: [], code: "" }, -1);
      const r = spawnSync(process.execPath, [BIN, ...cls.control!], { cwd: dir, encoding: "utf8", timeout: NO_HANG_MS });
      expect(r.status, r.stderr).toBe(0);
    });
  }

  it.each(cls.cases.map((c, i) => [c.name, c, i] as const))("%s", (__, c, i) => {
    const dir = folderFor(cls, c, i);
    const before = snapshot(dir);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [BIN, ...c.args], { cwd: dir, encoding: "utf8", timeout: NO_HANG_MS, env: { ...process.env, NODE_OPTIONS: "" } });
    const ms = Date.now() - t0;
    expect(r.error, `no hang: the run was killed after ${ms} ms`).toBeUndefined();
    const { loc } = expectUserError({ status: r.status, stdout: r.stdout, stderr: r.stderr }, c.code, ...(c.parts ?? []));
    if (c.loc !== undefined) expect(loc).toBe(c.loc);
    expect(snapshot(dir), "no file written or removed").toEqual(before);
  });
});
