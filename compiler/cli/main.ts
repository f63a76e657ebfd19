/**
 * The `matprop` command line. Every error a user can cause prints `file:line:col error MPxxxx:
 * message` and exits 1; a stack trace appears only with --debug.
 */
import { Command } from "commander";
import { MatpropError } from "../../ir/diagnostics.js";
import { print } from "../../ir/print.js";
import { check } from "./commands/check.js";
import { run, type RunOptions } from "./commands/run.js";
import { loadModel } from "./load-model.js";

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
  .option("--debug", "print stack traces of internal errors")
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 1));

program
  .command("check")
  .description("type-check a model file and verify its graph")
  .argument("<model>", "model file (.ts)")
  .action((file: string) =>
    guarded(async () => {
      const errors = await check(file);
      for (const e of errors) process.stderr.write(e.format() + "\n");
      if (errors.length) process.exit(1);
      process.stdout.write(`${file}: ok\n`);
    }),
  );

program
  .command("ir")
  .description("print the model's graph in the text IR")
  .argument("<model>", "model file (.ts)")
  .action((file: string) =>
    guarded(async () => {
      process.stdout.write(print((await loadModel(file)).build()));
    }),
  );

program
  .command("run")
  .description("run a model on the inputs of a JSON file and print its outputs")
  .argument("<model>", "model file (.ts)")
  .option("--inputs <file>", "JSON object mapping input and param names to nested arrays")
  .option("--out <file>", "write the outputs JSON here instead of printing it")
  .option("--seed <n>", "seed for initialising params not given in the inputs", "0")
  .option("--backend <name>", "cpu (the float64 reference executor)", "cpu")
  .action((file: string, opts: RunOptions) =>
    guarded(async () => {
      process.stdout.write(await run(file, opts));
    }),
  );

await program.parseAsync(process.argv);
