/**
 * Every bad-input case of the command line (./cli-classes.ts), each in a folder of its own: a
 * coded error (at the expected file:line:col where one is given), exit status 1, nothing on
 * stdout, no stack trace, no file written or removed in the folder, and no hang (each case must
 * end well within 30 s; the model-timeout cases stop at 1 s).
 *
 * The cases run in one Node process (./cli-batch.mjs runs the built CLI's entry module once per
 * case, as bin/matprop.js does): a process per case would cost the suite about 40 s of CPU. The
 * cases marked `spawned` also run as real `matprop` processes, which must print and exit exactly
 * as the batch recorded — the batch stands for the process.
 */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, expectUserError } from "../cli/helpers.js";
import { CLI_CLASSES, type CliCase, type CliClass } from "./cli-classes.js";

/** Wall-clock limit of one case: nothing here may take longer. */
const NO_HANG_MS = 30_000;
const BATCH = path.join(path.dirname(new URL(import.meta.url).pathname), "cli-batch.mjs");
const ENV = { ...process.env, NODE_OPTIONS: "" };

interface Outcome {
  readonly status: number | string;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

interface Planned {
  readonly cls: CliClass;
  readonly c: CliCase;
  readonly dir: string;
  readonly args: readonly string[];
  before?: Record<string, string>;
}

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

function folderFor(cls: CliClass, c: CliCase, name: string): string {
  const dir = path.join(root, `${CLI_CLASSES.indexOf(cls)}-${name}`);
  for (const [rel, text] of Object.entries({ ...cls.files, ...c.files })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const plan: Planned[] = CLI_CLASSES.flatMap((cls) => [
  ...(cls.control ? [{ cls, c: { name: "control", args: cls.control, code: "" }, dir: folderFor(cls, { name: "control", args: [], code: "" }, "control"), args: cls.control }] : []),
  ...cls.cases.map((c, i) => ({ cls, c, dir: folderFor(cls, c, String(i)), args: c.args })),
]);
const outcomes = new Map<Planned, Outcome>();
let batchEnd = "";

beforeAll(async () => {
  for (const p of plan) p.before = snapshot(p.dir);
  const casesFile = path.join(root, "cases.json");
  fs.writeFileSync(casesFile, JSON.stringify(plan.map((p) => ({ dir: p.dir, args: p.args }))));
  const { stdout, error } = await new Promise<{ stdout: string; error: Error | null }>((resolve) =>
    execFile(process.execPath, [BATCH, casesFile], { env: ENV, maxBuffer: 64 << 20, timeout: 300_000 }, (err, out) => resolve({ stdout: out, error: err })),
  );
  for (const line of stdout.split("\n").filter(Boolean)) {
    const r = JSON.parse(line) as Outcome & { i: number };
    outcomes.set(plan[r.i], r);
  }
  batchEnd = error ? `the batch process ended early: ${error.message.split("\n")[0]}` : "";
}, 320_000);

function outcome(p: Planned): Outcome {
  const r = outcomes.get(p);
  expect(r, `no result for this case (${batchEnd || "missing"}); it may have hung`).toBeDefined();
  expect(r!.ms, "no hang").toBeLessThan(NO_HANG_MS);
  return r!;
}

describe.each(CLI_CLASSES.map((cls) => [cls.name, cls] as const))("%s", (_, cls) => {
  const mine = plan.filter((p) => p.cls === cls);
  const control = mine.find((p) => p.c.code === "");
  if (control) {
    it("control: the class's own files are valid", () => {
      const r = outcome(control);
      expect(r.status, r.stderr).toBe(0);
    });
  }

  it.each(mine.filter((p) => p !== control).map((p) => [p.c.name, p] as const))("%s", (__, p) => {
    const r = outcome(p);
    const { loc } = expectUserError({ status: r.status as number, stdout: r.stdout, stderr: r.stderr }, p.c.code, ...(p.c.parts ?? []));
    if (p.c.loc !== undefined) expect(loc).toBe(p.c.loc);
    expect(snapshot(p.dir), "no file written or removed").toEqual(p.before);
    if (p.c.spawned) {
      // The same command line as a process of its own prints and exits exactly as the batch recorded.
      const s = spawnSync(process.execPath, [BIN, ...p.args], { cwd: p.dir, encoding: "utf8", timeout: NO_HANG_MS, env: ENV });
      expect(s.error, "no hang").toBeUndefined();
      expect({ status: s.status, stdout: s.stdout, stderr: s.stderr }).toEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr });
      expect(snapshot(p.dir), "no file written or removed").toEqual(p.before);
    }
  });
});
