/**
 * The `matprop` command line. Every error a user can cause prints `file:line:col error MPxxxx:
 * message` and exits 1; a stack trace appears only with --debug.
 *
 * Each command's module is imported when that command runs, so `--help` loads only commander and
 * `run` never loads ts-morph (which only `check` needs): test/cli/startup.test.ts keeps it so.
 * CommonJS packages are `require`d: importing one from an ES module makes Node scan its source for
 * export names first, which for commander costs about as much as running it.
 */
import { createRequire } from "node:module";
import { MatpropError } from "../../ir/diagnostics.js";
import type { RunOptions } from "./commands/run.js";
import type { IrOptions } from "./commands/ir.js";
import type { BuildCliOptions } from "./commands/build.js";
import type { GradcheckCliOptions } from "./commands/gradcheck.js";
import { packageVersion } from "./package-root.js";
import type { BenchOptions } from "./commands/bench.js";
import { DEFAULT_MAX_ELEMENTS } from "../../ir/limit-defaults.js";
import type { LimitOptions } from "./limit-options.js";

const { Command } = createRequire(import.meta.url)("commander") as typeof import("commander");

const debug = process.argv.includes("--debug");

function report(e: unknown): never {
  if (e instanceof MatpropError) {
    process.stderr.write(e.format() + "\n");
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error MP9001: internal error: ${err.message}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
    if (debug) process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
}

function guardedSync(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    report(e);
  }
}

async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    report(e);
  }
}

const program = new Command()
  .name("matprop")
  .description("A typed dataflow-graph compiler for deep networks with structured matrix layers.")
  .version(packageVersion(), "-V, --version", "print the version of matprop")
  .option("--debug", "print stack traces of internal errors")
  .option("--max-elements <n>", `largest element count of one tensor (default ${DEFAULT_MAX_ELEMENTS}); a larger one is error MP2013`)
  .option("--gpu-timeout <seconds>", "time limit of one WebGPU submission (default 60); a run past it is error MP6004")
  .option("--model-timeout <seconds>", "time limit on loading and building a model file (default 60); past it, error MP1005")
  .hook("preAction", async (root) => {
    const opts = root.opts<LimitOptions>();
    if (opts.maxElements === undefined && opts.gpuTimeout === undefined && opts.modelTimeout === undefined) return;
    const { applyLimitOptions } = await import("./limit-options.js");
    guardedSync(() => applyLimitOptions(opts));
  })
  .showHelpAfterError()
  // Commander's own errors (unknown option, missing argument) get the same coded form as ours.
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "error MP4010: ")) })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 1));

program
  .command("check")
  .description("type-check a model file and verify its graph")
  .argument("<model>", "model file (.ts)")
  .action((file: string) =>
    guarded(async () => {
      const { check } = await import("./commands/check.js");
      const { errors, settings, note } = await check(file);
      for (const e of errors) process.stderr.write(e.format() + "\n");
      if (errors.length && note) process.stderr.write(note + "\n");
      if (errors.length) process.exit(1);
      process.stdout.write(`${file}: ok (${settings})\n`);
    }),
  );

program
  .command("ir")
  .description("print the model's graph in the text IR")
  .argument("<model>", "model file (.ts)")
  .option("--backward", "also derive and print the backward graph of `loss` (forward and backward nodes)")
  .option("--stats", "print node counts per op before and after simplification of the backward graph")
  .action((file: string, opts: IrOptions) =>
    guarded(async () => {
      const { irCommand } = await import("./commands/ir.js");
      process.stdout.write(await irCommand(file, opts));
    }),
  );

program
  .command("build")
  .description("write a standalone kernel bundle: manifest, WGSL kernels, safetensors params, typed index.js")
  .argument("<model>", "model file (.ts)")
  .requiredOption("-o, --out <dir>", "bundle folder")
  .option("--inputs <file>", "inputs JSON, to size named dims (params given there are used)")
  .option("--params <file>", "param values: JSON like --inputs, or .safetensors")
  .option("--seed <n>", "seed for initialising params not given", "0")
  .option("--wrt <names>", "what the training step differentiates: params (default), all, or comma-separated input and param names")
  .action((file: string, opts: BuildCliOptions) =>
    guarded(async () => {
      const { buildCommand } = await import("./commands/build.js");
      process.stdout.write(await buildCommand(file, opts));
    }),
  );

program
  .command("graph")
  .description("draw the graph (dagre layout) as a standalone SVG or a self-contained HTML inspector")
  .argument("<model>", "model file (.ts)")
  .requiredOption("-o, --out <file>", "output file: .svg or .html")
  .option("--backward", "draw (or open the page on) the forward + backward graph")
  .option("--inputs <file>", "inputs JSON, to size named dims for the kernel clusters")
  .action((file: string, opts: { out: string; backward?: boolean; inputs?: string }) =>
    guarded(async () => {
      const { graphCommand } = await import("./commands/graph.js");
      process.stdout.write(await graphCommand(file, opts));
    }),
  );

program
  .command("stats")
  .description("WebGPU lowering of the forward pass and training step: dispatches and planned bytes vs the unfused lowering")
  .argument("<model>", "model file (.ts)")
  .option("--inputs <file>", "inputs JSON, to size named dims")
  .option("--wrt <names>", "what the training step differentiates: params (default), all, or comma-separated input and param names")
  .action((file: string, opts: { inputs?: string; wrt?: string }) =>
    guarded(async () => {
      const { statsCommand } = await import("./commands/stats.js");
      process.stdout.write(await statsCommand(file, opts));
    }),
  );

program
  .command("bench")
  .description("time training steps (Adam) after a warm-up: ms per step, dispatches, bytes up and back, buffers created per step")
  .argument("<model>", "model file (.ts) with a scalar output `loss`")
  .option("--inputs <file>", "inputs JSON: the batch every step trains on (default: seeded random inputs, fixed shapes only)")
  .option("--backend <name>", "cpu (the float64 executor) or webgpu (the default)")
  .option("--steps <n>", "timed steps", "20")
  .option("--warmup <n>", "untimed steps first", "3")
  .option("--seed <n>", "seed for the params (and synthetic inputs)", "0")
  .option("--json", "print one JSON object: msPerStep {median, p90}, dispatchesPerStep, unfusedDispatchesPerStep, bytesUploadedPerStep, bytesReadPerStep, buffersCreatedPerStep")
  .option("--one-shot", "WebGPU as before resident programs, for comparison: a fresh program per step, every output read back, the optimizer on the host")
  .action((file: string, opts: BenchOptions) =>
    guarded(async () => {
      const { bench } = await import("./commands/bench.js");
      const { result, report } = await bench(file, opts);
      process.stdout.write(opts.json ? JSON.stringify(result) + "\n" : report);
    }),
  );

program
  .command("gradcheck")
  .description("compare the adjoint gradients with central finite differences in float64")
  .argument("<model>", "model file (.ts)")
  .option("--inputs <file>", "JSON object mapping input and param names to nested arrays")
  .option("--seed <n>", "seed for initialising params not given in the inputs", "0")
  .option("--tol <x>", "largest acceptable relative error", "1e-6")
  .action((file: string, opts: GradcheckCliOptions) =>
    guarded(async () => {
      const { gradcheckCommand } = await import("./commands/gradcheck.js");
      const { text, ok } = await gradcheckCommand(file, opts);
      process.stdout.write(text);
      if (!ok) process.exit(1);
    }),
  );

program
  .command("run")
  .description("run a model on the inputs of a JSON file and print its outputs")
  .argument("<model>", "model file (.ts)")
  .option("--inputs <file>", "JSON object mapping input and param names to nested arrays")
  .option("--out <file>", "write the outputs JSON here instead of printing it")
  .option("--seed <n>", "seed for initialising params not given in the inputs", "0")
  .option("--backend <name>", "cpu (the float64 reference executor) or webgpu (f32); default: webgpu when an adapter exists, else cpu")
  .option("--grad", "also print \"grads\": the gradient of the scalar output `loss` with respect to every input and param")
  .action((file: string, opts: RunOptions) =>
    guarded(async () => {
      const { run } = await import("./commands/run.js");
      process.stdout.write(await run(file, opts));
    }),
  );

await program.parseAsync(process.argv);
