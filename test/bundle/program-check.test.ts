/**
 * The program check a bundle runs when it loads (runtime/bundle/verify.ts): a manifest edited after
 * the build — with its content hash recomputed, so the hash check passes — is refused with MP7014
 * before any device is touched, instead of running and returning wrong numbers. No GPU is needed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleFiles } from "../../compiler/bundle/build.js";
import { readInputs } from "../../compiler/cli/inputs.js";
import { loadModel } from "../../compiler/cli/load-model.js";
import { BundleError } from "../../runtime/bundle/errors.js";
import { bundleHash } from "../../runtime/bundle/hash.js";
import type { Manifest } from "../../runtime/bundle/manifest.js";
import { openBundle } from "../../runtime/bundle/open.js";
import { filesOf, verifyBundleFiles } from "../../runtime/bundle/verify.js";
import { ROOT } from "./models.js";

type Json = Record<string, any>;

// The segmentation network: convolutions, the normalized-cuts layer, dispatches of many workgroups.
const graph = (await loadModel(path.join(ROOT, "examples/ncuts-segmentation/model.ts"))).build();
const { manifest, files } = bundleFiles(graph, { inputs: readInputs(path.join(ROOT, "examples/ncuts-segmentation/inputs.json")) });
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-program-check-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bytesOf = (f: string | Uint8Array) => (typeof f === "string" ? new TextEncoder().encode(f) : f);

/** The manifest text after `edit`, with the hash recomputed over the edited content. */
function edited(edit: (m: Json) => void): string {
  const m = JSON.parse(JSON.stringify(manifest)) as Json;
  edit(m);
  m.hash = bundleHash(m, filesOf(m as Manifest).map((f) => bytesOf(files.get(f)!)));
  return JSON.stringify(m);
}

function verdict(text: string): string {
  try {
    verifyBundleFiles(text, (f) => (files.has(f) ? bytesOf(files.get(f)!) : undefined));
    return "accepted";
  } catch (e) {
    if (e instanceof BundleError) return `${e.code}: ${e.message}`;
    throw e;
  }
}

/** A buffer of the training step that only intermediate values use (no input or output slot). */
function intermediateBuffer(p: Json): number {
  const slots = new Set([...p.inputs, ...p.outputs].map((s: Json) => s.buffer));
  const b = p.buffers.find((x: Json) => !slots.has(x.id) && p.steps.some((s: Json) => s.buffers.includes(x.id)));
  if (!b) throw new Error("the training step has no intermediate buffer");
  return b.id;
}

describe("a bundle's programs are checked when it loads", () => {
  it("accepts the bundle as built", () => {
    expect(verdict(JSON.stringify(manifest))).toBe("accepted");
  });

  it("issue 14: an intermediate buffer shrunk in the manifest (hash recomputed) no longer loads and returns a wrong loss — it is refused (MP7014)", async () => {
    const text = edited((m) => {
      const b = m.programs.train.buffers[intermediateBuffer(m.programs.train)];
      b.bytes = 4;
    });
    expect(verdict(text)).toMatch(/^MP7014: the training step program fails its check: step \d+ \(kernel '[\w-]+'.*\) puts %-?\d+ \(\d+ elements, \d+ bytes\) in buffer \d+, which has only 4 bytes/);
    const dir = path.join(tmp, "shrunk");
    for (const [rel, contents] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), rel === "manifest.json" ? text : contents);
    }
    // A device that would fail if touched: the refusal comes first.
    const untouchable = { limits: {}, queue: {}, createBuffer: () => { throw new Error("touched the device"); } };
    const err = await openBundle(pathToFileURL(dir), { device: untouchable }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BundleError);
    expect((err as BundleError).code).toBe("MP7014");
  });

  it("refuses steps swapped, a buffer reused while live, an access mode flipped, a short dispatch, an output moved", () => {
    const train = (m: Json) => m.programs.train;
    expect(verdict(edited((m) => train(m).steps.reverse()))).toMatch(/^MP7014: .*reads %-?\d+ .*which (nothing has written yet|holds %-?\d+)/);
    expect(
      verdict(
        edited((m) => {
          // Step 0 writes into the buffer of an input that a later step still reads.
          const [first, ...later] = train(m).steps as Json[];
          const input = train(m).inputs.find((x: Json) => !first.buffers.includes(x.buffer) && later.some((s) => s.values.includes(x.value)));
          const out = first.buffers.findIndex((_: number, j: number) => m.kernels[first.kernel].bindings[j].access === "read_write");
          first.buffers[out] = input.buffer;
        }),
      ),
    ).toMatch(/^MP7014: .*reads %\d+ .* which (nothing has written yet|holds %-?\d+ \(written by step 0)/);
    expect(verdict(edited((m) => (m.kernels[0].bindings[0].access = "read_write")))).toMatch(/^MP7014: .*declared read in its WGSL but read_write/);
    const big = train(manifest as unknown as Json).steps.findIndex((s: Json) => s.dispatch[0] > 1);
    expect(big).toBeGreaterThanOrEqual(0);
    expect(verdict(edited((m) => (train(m).steps[big].dispatch = [1, 1, 1])))).toMatch(/^MP7014: .*dispatches 1 workgroups \(\[1, 1, 1\]\) but its output '\w+' \(%-?\d+\) needs \d+/);
    expect(verdict(edited((m) => (train(m).outputs[0].buffer = intermediateBuffer(train(m)))))).toMatch(/^MP7014: .*output '\w+' \(%\d+\) is read back from buffer \d+, which at the end holds %-?\d+/);
  });
});
