/**
 * A campaign of random programs, WebGPU (f32) against the float64 CPU executor, forward pass and
 * training step, and the float64 gradients against finite differences (test/fuzz/). Prints the
 * seed, progress, the tally, and every failure shrunk by fast-check as text IR (with dims, input
 * descriptors and the spec to replay it); exits 1 when any program disagrees.
 *
 *   npm run fuzz -- --runs 2000 --seed 7 [--max-steps 6] [--max-size 33] [--no-shrink] [--max-failures 20] [--cpu-only]
 *   npm run fuzz -- --replay '<spec JSON printed by a failure>' [--case 'what it was']
 *
 * With --case, the replayed program is printed as an entry for test/fuzz/regressions.ts.
 */
import { parseArgs } from "node:util";
import fc from "fast-check";
import "../index.js";
import { acquireDevice } from "../runtime/webgpu/device.js";
import { checkSpec, failureClass, regressionEntry, report, shrink, Tally } from "../test/fuzz/campaign.js";
import { diagnose } from "../test/fuzz/diagnose.js";
import { programArb, type ProgramSpec } from "../test/fuzz/program.js";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    seed: { type: "string" },
    "max-steps": { type: "string", default: "6" },
    "max-size": { type: "string" },
    "no-shrink": { type: "boolean", default: false },
    "max-failures": { type: "string", default: "50" },
    replay: { type: "string" },
    "cpu-only": { type: "boolean", default: false },
    case: { type: "string" },
  },
});

const int = (name: string, text: string): number => {
  if (!/^\d+$/.test(text)) {
    console.error(`--${name} must be a non-negative integer, got '${text}'`);
    process.exit(2);
  }
  return Number(text);
};

const gpu = !args["cpu-only"];
const device = gpu ? await acquireDevice() : null;
if (gpu && !device) {
  console.error("no WebGPU adapter: install Debian's chromium and libvulkan1 (see README, Running WebGPU without a GPU)");
  process.exit(2);
}

const maxSteps = int("max-steps", args["max-steps"]!);
if (args.replay) {
  const c = await checkSpec(JSON.parse(args.replay) as ProgramSpec, gpu);
  console.log(`${report(c)}\n${gpu ? await diagnose(c.program) : ""}`);
  if (args.case) console.log(regressionEntry(args.case, c.program));
  process.exit(failureClass(c) ? 1 : 0);
}

const runs = int("runs", args.runs!);
const seed = args.seed === undefined ? Date.now() % 2 ** 31 : int("seed", args.seed);
const maxFailures = int("max-failures", args["max-failures"]!);
console.log(`matprop fuzz: ${runs} programs, seed ${seed}, up to ${maxSteps} steps, ${device ? `adapter ${device.adapterInfo}` : "CPU only (gradients against finite differences)"}`);

const tally = new Tally();
const failures: string[] = [];
const seen = new Set<string>();
const start = Date.now();
const maxSize = args["max-size"] === undefined ? undefined : int("max-size", args["max-size"]);
for (const [i, spec] of fc.sample(programArb(maxSteps, maxSize), { numRuns: runs, seed }).entries()) {
  const c = await checkSpec(spec, gpu);
  tally.add(c);
  const cls = failureClass(c);
  if (cls) {
    const s = args["no-shrink"] ? { ...c, shrinks: 0 } : await shrink(spec, cls, maxSteps, 400, gpu);
    const text = `${report(s)}\n# shrunk ${s.shrinks} times from program ${i}${/forward|training/.test(cls) ? `\n${await diagnose(s.program)}` : ""}`;
    const ir = text.split("\n# spec")[0];
    if (!seen.has(ir)) {
      seen.add(ir);
      failures.push(text);
      console.log(`\n--- failure ${failures.length} (program ${i}) ---\n${text}\n`);
    }
    if (failures.length >= maxFailures) {
      console.log(`stopping after ${maxFailures} distinct failures`);
      break;
    }
  }
  if ((i + 1) % 10 === 0 || i + 1 === runs) {
    const s = (Date.now() - start) / 1000;
    console.log(`[${i + 1}/${runs}] ${(s / (i + 1)).toFixed(2)} s/program, ${tally}`);
  }
}
console.log(`\nseed ${seed}: ${tally}`);
if (tally.closestAt) console.log(`closest to its tolerance: ${tally.closestAt}`);
console.log(`${failures.length} distinct failing program${failures.length === 1 ? "" : "s"} (shrunk)`);
process.exit(failures.length ? 1 : 0);
