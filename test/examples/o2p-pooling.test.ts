/**
 * The three-pooling comparison (examples/o2p-pooling) end to end in `--quick` mode on the CPU
 * executor: logm, powm(·, 0.5) and the Newton–Schulz sqrtm trained on the same batches, each loss
 * falls, every number is finite, step times are measured side by side, and the files are written.
 * (The WebGPU timing the README quotes is left to the full run: compiling the unrolled iteration's
 * kernels on SwiftShader costs more than the suite can spend.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runO2pPooling } from "../../examples/o2p-pooling/train.js";

/** A quick run takes about 30 s alone; several times that under a loaded 2-core machine. */
const QUICK_RUN_TIMEOUT = 300_000;

describe("o2p-pooling", () => {
  it("trains logm, powm and Newton–Schulz pooling (quick) on the same batches; losses fall", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "matprop-pooling-"));
    const r = await runO2pPooling({ quick: true, backend: "cpu", seed: 0, out, silent: true, timeBackends: ["cpu"], rounds: 3 });
    expect(r.results.map((m) => m.model)).toEqual(["o2p-logm", "o2p-powm", "o2p-ns-sqrtm"]);
    for (const m of r.results) {
      expect(m.backend).toBe("cpu");
      expect(m.steps).toBe(100);
      expect(m.finalLoss).toBeLessThan(m.firstLoss);
      expect(Number.isFinite(m.testAccuracy)).toBe(true);
    }
    expect(r.timing.map((t) => [t.model, t.backend, t.samples.length])).toEqual([
      ["o2p-logm", "cpu", 3],
      ["o2p-powm", "cpu", 3],
      ["o2p-ns-sqrtm", "cpu", 3],
    ]);
    for (const t of r.timing) expect(t.medianMs).toBeGreaterThan(0);
    for (const f of ["results.json", "training.svg"]) expect(fs.existsSync(path.join(out, f))).toBe(true);
  }, QUICK_RUN_TIMEOUT);
});
