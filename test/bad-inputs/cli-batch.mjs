/**
 * Runs many `matprop` command lines in this one Node process, one after another, as
 * `bin/matprop.js` would run each in a process of its own: a spawned CLI costs about 0.4 s of CPU
 * (Node's start, esbuild's service, matprop's modules), which a hundred bad-input cases cannot
 * afford in `npm test`. For each case the CLI's entry module (dist/compiler/cli/main.js) is
 * evaluated afresh with the case's argv and working folder; `process.exit` ends the case (what a
 * process would print after it is dropped), stdout and stderr are captured, and the limits the
 * root options set are put back to their defaults. An unhandled rejection, which would end a real
 * process with a stack trace, is recorded against the case.
 *
 * Usage: node cli-batch.mjs <cases.json> — cases: [{ "dir": absolute folder, "args": [...] }];
 * prints one JSON line per case: { i, status, stdout, stderr, ms }.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = (rel) => pathToFileURL(path.join(ROOT, "dist", rel)).href;
const BIN = path.join(ROOT, "bin", "matprop.js");

const { setMaxElements, DEFAULT_MAX_ELEMENTS } = await import(dist("ir/limits.js"));
const { setModelTimeout, DEFAULT_MODEL_TIMEOUT_MS } = await import(dist("compiler/cli/load-graph.js"));
const { setGpuTimeout, DEFAULT_GPU_TIMEOUT_MS } = await import(dist("runtime/webgpu/watchdog.js"));

class Exit {
  constructor(code) {
    this.code = code;
  }
}

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const real = { exit: process.exit, out: process.stdout.write, err: process.stderr.write, argv: process.argv, cwd: process.cwd() };
let current;
process.on("unhandledRejection", (e) => {
  if (current && current.exited === undefined) current.stderr += `unhandled rejection (a process would have crashed): ${e?.stack ?? e}\n`, (current.exited = "unhandled");
});

for (const [i, c] of cases.entries()) {
  setMaxElements(DEFAULT_MAX_ELEMENTS);
  setModelTimeout(DEFAULT_MODEL_TIMEOUT_MS);
  setGpuTimeout(DEFAULT_GPU_TIMEOUT_MS);
  const run = (current = { stdout: "", stderr: "", exited: undefined });
  process.chdir(c.dir);
  process.argv = [process.execPath, BIN, ...c.args];
  process.stdout.write = (chunk) => (run.exited === undefined && (run.stdout += String(chunk)), true);
  process.stderr.write = (chunk) => (run.exited === undefined && (run.stderr += String(chunk)), true);
  process.exit = (code) => {
    if (run.exited === undefined) run.exited = code ?? process.exitCode ?? 0;
    throw new Exit(run.exited);
  };
  const t0 = performance.now();
  try {
    await import(`${dist("compiler/cli/main.js")}?case=${i}`);
  } catch (e) {
    if (!(e instanceof Exit) && run.exited === undefined) run.stderr += `uncaught (a process would have crashed): ${e?.stack ?? e}\n`, (run.exited = "uncaught");
  }
  const ms = Math.round(performance.now() - t0);
  Object.assign(process, { exit: real.exit, argv: real.argv, exitCode: undefined });
  process.stdout.write = real.out;
  process.stderr.write = real.err;
  process.chdir(real.cwd);
  current = undefined;
  fs.writeSync(1, JSON.stringify({ i, status: run.exited ?? 0, stdout: run.stdout, stderr: run.stderr, ms }) + "\n");
}
real.exit(0);
