/** The command line every training example takes: --quick, --backend, --seed, --out and budget overrides. */
import { parseArgs } from "node:util";
import type { BackendChoice } from "./trainer.js";

export interface ExampleOptions {
  quick: boolean;
  backend: BackendChoice;
  seed: number;
  out: string;
  trainSize?: number;
  testSize?: number;
  steps?: number;
  batch?: number;
  lr?: number;
  evals?: number;
  silent?: boolean;
}

export function parseExampleArgs(argv: readonly string[], defaultOut: string): ExampleOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      backend: { type: "string", default: "auto" },
      seed: { type: "string", default: "0" },
      out: { type: "string", default: defaultOut },
      steps: { type: "string" },
      batch: { type: "string" },
      lr: { type: "string" },
      "train-size": { type: "string" },
      "test-size": { type: "string" },
    },
  });
  if (!["cpu", "webgpu", "auto"].includes(values.backend)) throw new Error(`--backend must be cpu, webgpu or auto (got ${values.backend})`);
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  return {
    quick: values.quick,
    backend: values.backend as BackendChoice,
    seed: Number(values.seed),
    out: values.out,
    steps: num(values.steps),
    batch: num(values.batch),
    lr: num(values.lr),
    trainSize: num(values["train-size"]),
    testSize: num(values["test-size"]),
  };
}
