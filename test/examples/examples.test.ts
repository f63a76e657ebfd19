/**
 * Both training examples end to end in `--quick` mode (their real quick budgets), on the CPU
 * backend, in-process: the loss falls, every reported number is finite, and the files are written.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runO2pMnist } from "../../examples/o2p-mnist/train.js";
import { runNcuts } from "../../examples/ncuts-segmentation/train.js";
import { loadMnist } from "../../examples/o2p-mnist/data.js";
import { generateScenes, segmentationProjector } from "../../examples/ncuts-segmentation/data.js";

/** A quick run takes about 25 s alone; on a 2-core machine running the rest of the suite, several times that. */
const QUICK_RUN_TIMEOUT = 240_000;

function allFinite(x: unknown): boolean {
  if (typeof x === "number") return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x && typeof x === "object") return Object.values(x).every(allFinite);
  return true;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "matprop-example-"));

describe("o2p-mnist", () => {
  it("the split is fixed and balanced", () => {
    const a = loadMnist({ maxTrain: 20, maxTest: 10 });
    const b = loadMnist({ maxTrain: 20, maxTest: 10 });
    expect([...a.train.labels]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...a.train.pixels]).toEqual([...b.train.pixels]);
    const full = loadMnist();
    expect(full.train.count + full.test.count).toBe(10000);
    expect(full.train.count).toBe(8000);
  });

  it("trains both models (quick) and the loss falls", async () => {
    const out = tmp();
    const r = await runO2pMnist({ quick: true, backend: "cpu", seed: 0, out, silent: true });
    expect(r.results.map((m) => m.model)).toEqual(["o2p-mnist", "avg-mnist"]);
    for (const m of r.results) {
      expect(m.backend).toBe("cpu");
      expect(m.steps).toBe(100);
      expect(m.finalLoss).toBeLessThan(m.firstLoss);
      expect(m.testAccuracy).toBeGreaterThanOrEqual(0);
    }
    expect(allFinite(r)).toBe(true);
    for (const f of ["results.json", "training.svg"]) expect(fs.existsSync(path.join(out, f))).toBe(true);
    // Accuracy from step 0 (before training) to the last step.
    for (const m of r.results) expect(m.testCurve.map(([s]) => s)).toEqual([0, 25, 50, 75, 100]);
    expect(JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8")).results).toHaveLength(2);
  }, QUICK_RUN_TIMEOUT);
});

describe("ncuts-segmentation", () => {
  it("scenes are seeded and Π_Y is a projector", () => {
    const [s] = generateScenes(7, 1, { size: 6, segments: 2 });
    const [t] = generateScenes(7, 1, { size: 6, segments: 2 });
    expect([...s.image]).toEqual([...t.image]);
    const n = 36;
    const P = segmentationProjector(s.labels);
    // P² = P and trace P = number of segments.
    let tr = 0;
    for (let i = 0; i < n; i++) {
      tr += P[i * n + i];
      for (let j = 0; j < n; j++) {
        let s2 = 0;
        for (let k = 0; k < n; k++) s2 += P[i * n + k] * P[k * n + j];
        expect(s2).toBeCloseTo(P[i * n + j], 12);
      }
    }
    expect(tr).toBeCloseTo(2, 12);
  });

  it("trains the normalized-cuts layer (quick): loss falls, scores finite", async () => {
    const out = tmp();
    const r = await runNcuts({ quick: true, backend: "cpu", seed: 0, out, silent: true });
    expect(r.backend).toBe("cpu");
    expect(r.finalLoss).toBeLessThan(r.firstLoss);
    expect(r.after.testLoss).toBeLessThan(r.before.testLoss);
    expect(allFinite(r)).toBe(true);
    for (const k of ["before", "after"] as const) {
      expect(r[k].ari).toBeGreaterThanOrEqual(-1);
      expect(r[k].ari).toBeLessThanOrEqual(1);
      expect(r[k].effectiveRank).toBeGreaterThanOrEqual(1);
    }
    for (const f of ["results.json", "curves.svg", "segments.svg"]) expect(fs.existsSync(path.join(out, f))).toBe(true);
  }, QUICK_RUN_TIMEOUT);
});
