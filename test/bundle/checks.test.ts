/**
 * The pieces of the bundle format and loader on their own: SHA-256, safetensors, device limits,
 * input checks, the generated types, the build command's errors, and load-time refusals.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { Project, ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { buildCommand } from "../../compiler/cli/commands/build.js";
import { DIAGNOSTICS, MatpropError } from "../../ir/diagnostics.js";
import { BUNDLE_ERRORS, BundleError } from "../../runtime/bundle/errors.js";
import { tensorValues } from "../../runtime/bundle/inputs.js";
import { checkBundleLimits, type DeviceLimits } from "../../runtime/bundle/limits.js";
import { BUNDLE_VERSION, parseManifest } from "../../runtime/bundle/manifest.js";
import { openBundle } from "../../runtime/bundle/open.js";
import { decodeSafetensors, encodeSafetensors } from "../../runtime/bundle/safetensors.js";
import { sha256Hex } from "../../runtime/bundle/sha256.js";
import { ROOT } from "./models.js";

const code = (f: () => unknown): string => {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof BundleError || e instanceof MatpropError) return e.code;
    throw e;
  }
};
const asyncCode = (p: Promise<unknown>): Promise<string> => p.then(() => "ok", (e: unknown) => (e instanceof BundleError || e instanceof MatpropError ? e.code : Promise.reject(e)));

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-bundle-checks-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("format pieces", () => {
  it("SHA-256 agrees with node:crypto", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => sha256Hex(b) === createHash("sha256").update(b).digest("hex")), { numRuns: 200 });
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 255);
    expect(sha256Hex(big)).toBe(createHash("sha256").update(big).digest("hex"));
  });

  it("safetensors round-trips, and the header is the documented layout", () => {
    const t = [
      { name: "W", shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
      { name: "b", shape: [], data: Float32Array.of(-0.5) },
    ];
    const bytes = encodeSafetensors(t, { producer: "test" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.W).toEqual({ dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
    expect(header.__metadata__).toEqual({ producer: "test" });
    const back = decodeSafetensors(bytes);
    expect([...back.get("W")!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back.get("b")!.shape).toEqual([]);
  });

  it("refuses malformed safetensors with MP7005", () => {
    const good = encodeSafetensors([{ name: "W", shape: [2], data: Float32Array.of(1, 2) }]);
    const withHeader = (h: unknown, data = 8) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + json.length + data);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 8);
      return out;
    };
    expect(code(() => decodeSafetensors(good.subarray(0, 5)))).toBe("MP7005");
    expect(code(() => decodeSafetensors(good.subarray(0, good.length - 1)))).toBe("MP7005");
    expect(code(() => decodeSafetensors(withHeader({ W: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, 4)))).toBe("MP7005");
    expect(code(() => decodeSafetensors(withHeader({ A: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, B: { dtype: "F32", shape: [1], data_offsets: [4, 8] } })))).toBe("MP7005");
    expect(code(() => decodeSafetensors(withHeader({ A: { dtype: "F32", shape: [1], data_offsets: [4, 8] } })))).toBe("MP7005");
    const huge = Uint8Array.from(good);
    new DataView(huge.buffer).setUint32(4, 0xffff, true);
    expect(code(() => decodeSafetensors(huge))).toBe("MP7005");
  });

  it("names inputs of the wrong dtype, shape or presence, and NaN", () => {
    const specs = [
      { name: "X", shape: [2, 2], dtype: "f32" as const },
      { name: "y", shape: [2], dtype: "i32" as const },
    ];
    const ok = { X: new Float32Array(4), y: new Int32Array(2) };
    expect(code(() => tensorValues(specs, ok, "input"))).toBe("ok");
    expect(code(() => tensorValues(specs, { ...ok, X: { data: new Float32Array(4), shape: [2, 2] } }, "input"))).toBe("ok");
    expect(code(() => tensorValues(specs, { ...ok, X: { data: new Float32Array(4), shape: [4, 1] } }, "input"))).toBe("MP7008");
    expect(code(() => tensorValues(specs, { ...ok, X: new Float32Array(3) }, "input"))).toBe("MP7008");
    expect(code(() => tensorValues(specs, { ...ok, X: new Float64Array(4) }, "input"))).toBe("MP7009");
    expect(code(() => tensorValues(specs, { ...ok, X: [1, 2, 3, 4] }, "input"))).toBe("MP7009");
    expect(code(() => tensorValues(specs, { ...ok, y: new Float32Array(2) }, "input"))).toBe("MP7009");
    expect(code(() => tensorValues(specs, { X: ok.X }, "input"))).toBe("MP7007");
    expect(code(() => tensorValues(specs, { ...ok, Z: ok.X }, "input"))).toBe("MP7007");
    expect(code(() => tensorValues(specs, null, "input"))).toBe("MP7007");
    expect(code(() => tensorValues(specs, { ...ok, X: Float32Array.of(1, NaN, 0, 0) }, "input"))).toBe("MP7010");
  });

  it("refuses a tensor without its declared structure, as the CPU executor refuses an input (MP7016 here, MP4007 there)", () => {
    const spec = (structure: "symmetric" | "spd" | "diagonal" | "orthogonal" | "projector") => [{ name: "X", shape: [2, 2, 2], dtype: "f32" as const, structure }];
    const two = (a: number[], b: number[]) => ({ X: Float32Array.from([...a, ...b]) });
    const spd = [2, 1, 1, 2];
    const table: [Parameters<typeof spec>[0], ReturnType<typeof two>, string, RegExp?][] = [
      ["spd", two(spd, spd), "ok"],
      ["spd", two(spd, [1, 2, 2, 1]), "MP7016", /input 'X' \(declared spd\) is symmetric but not positive definite/],
      ["symmetric", two(spd, [1, 2, 3, 1]), "MP7016", /input 'X' \(declared symmetric\) is not symmetric \(matrix 1 of the batch\)/],
      ["symmetric", two([1, -2, -2, 1], spd), "ok"],
      ["diagonal", two([1, 0, 0, 2], [1, 0.5, 0.5, 1]), "MP7016", /not diagonal/],
      ["orthogonal", two([0, 1, 1, 0], [Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2]), "ok"],
      ["orthogonal", two([0, 1, 1, 0], spd), "MP7016", /not orthogonal/],
      ["projector", two([1, 0, 0, 0], [0.5, 0.5, 0.5, 0.5]), "ok"],
      ["projector", two([1, 0, 0, 0], spd), "MP7016", /not projector/],
    ];
    for (const [structure, values, want, message] of table) {
      let got = "ok";
      try {
        tensorValues(spec(structure), values, "input");
      } catch (e) {
        if (!(e instanceof BundleError)) throw e;
        got = e.code;
        if (message) expect(e.message).toMatch(message);
      }
      expect(got, `${structure} ${[...values.X]}`).toBe(want);
    }
    // Symmetric only to f32 round-off (a few ulps): accepted, as WebGPU's assume accepts it.
    const nearly = Float32Array.of(2, 1, Math.fround(1 * (1 + 2 ** -22)), 2);
    expect(code(() => tensorValues(spec("spd"), { X: Float32Array.from([...nearly, ...nearly]) }, "input"))).toBe("ok");
  });
});

describe("build and load", async () => {
  const out = path.join(tmp, "classifier");
  await buildCommand(path.join(ROOT, "test/models/classifier.ts"), { out });
  const manifest = parseManifest(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  const limits: DeviceLimits = {
    maxStorageBufferBindingSize: 134217728,
    maxBufferSize: 268435456,
    maxComputeWorkgroupStorageSize: 16384,
    maxStorageBuffersPerShaderStage: 8,
    maxComputeWorkgroupsPerDimension: 65535,
    maxComputeInvocationsPerWorkgroup: 256,
    maxComputeWorkgroupSizeX: 256,
    maxComputeWorkgroupSizeY: 256,
    maxComputeWorkgroupSizeZ: 64,
  };

  it("a declared structure in the manifest must be a known one, on a batch of square matrices", () => {
    const text = fs.readFileSync(path.join(out, "manifest.json"), "utf8");
    const edited = (structure: unknown) => {
      const m = JSON.parse(text);
      m.inputs[0].structure = structure;
      return JSON.stringify(m);
    };
    expect(manifest.inputs[0].shape.at(-1)).not.toBe(manifest.inputs[0].shape.at(-2));
    expect(() => parseManifest(edited("symmetric"))).toThrow(/inputs\[0\]\.structure: .* is not a batch of square matrices/);
    expect(() => parseManifest(edited("banana"))).toThrow(/inputs\[0\]\.structure: expected one of symmetric, spd, diagonal, orthogonal, projector/);
    expect(code(() => parseManifest(edited("general")))).toBe("MP7001");
  });

  it("checks a bundle against the device's limits, naming what does not fit", () => {
    expect(code(() => checkBundleLimits(limits, manifest))).toBe("ok");
    expect(() => checkBundleLimits({ ...limits, maxStorageBufferBindingSize: 8 }, manifest)).toThrow(/needs \d+ bytes, more than this device's storage binding limit of 8 bytes/);
    expect(() => checkBundleLimits({ ...limits, maxComputeInvocationsPerWorkgroup: 1 }, manifest)).toThrow(/kernel '\w+' has workgroup size/);
    expect(() => checkBundleLimits({ ...limits, maxStorageBuffersPerShaderStage: 1 }, manifest)).toThrow(/binds \d+ storage buffers/);
    expect(code(() => checkBundleLimits({ ...limits, maxComputeWorkgroupsPerDimension: 0 }, manifest))).toBe("MP7006");
  });

  it("refuses at load time, before touching the device: limits, version, tampering, a missing file", async () => {
    const tiny = { limits: { ...limits, maxStorageBufferBindingSize: 8 }, queue: {}, createBuffer: () => {} };
    expect(await asyncCode(openBundle(pathToFileURL(out), { device: tiny }))).toBe("MP7006");
    expect(await asyncCode(openBundle(pathToFileURL(out), { device: {} }))).toBe("MP7013");
    const copy = (name: string, edit: (dir: string) => void) => {
      const dir = path.join(tmp, name);
      fs.cpSync(out, dir, { recursive: true });
      edit(dir);
      return pathToFileURL(dir);
    };
    const newer = copy("newer", (d) => fs.writeFileSync(path.join(d, "manifest.json"), fs.readFileSync(path.join(d, "manifest.json"), "utf8").replace(`"version": ${BUNDLE_VERSION}`, `"version": ${BUNDLE_VERSION + 1}`)));
    expect(await asyncCode(openBundle(newer, { device: tiny }))).toBe("MP7002");
    const evil = copy("evil", (d) => fs.appendFileSync(path.join(d, manifest.kernels[0].file), "\n"));
    expect(await asyncCode(openBundle(evil, { device: tiny }))).toBe("MP7003");
    const gone = copy("gone", (d) => fs.rmSync(path.join(d, manifest.paramsFile)));
    expect(await asyncCode(openBundle(gone, { device: tiny }))).toBe("MP7004");
  });

  it("types the generated API: names, dtypes and shapes of inputs, outputs and gradients", () => {
    const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], strict: true, noEmit: true } });
    project.createSourceFile("/b/index.d.ts", fs.readFileSync(path.join(out, "index.d.ts"), "utf8"));
    const check = (body: string) => {
      const f = project.createSourceFile("/use.ts", `import { load, shapes } from "./b/index.js";\nexport async function f() {\n  const m = await load();\n${body}\n}\n`, { overwrite: true });
      return f.getPreEmitDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n"));
    };
    const x = "new Float32Array(6)";
    const labels = "new Int32Array(2)";
    expect(check(`  const o = await m.forward({ x: ${x}, labels: ${labels} });\n  const l: number = o.loss; const z: Float32Array = o.logits;\n  const g = await m.grad({ x: { data: ${x}, shape: [2, 3] }, labels: ${labels} });\n  const gw: Float32Array = g.grads.W;\n  await m.step({ x: ${x}, labels: ${labels} }, { lr: 0.1 });\n  const s: readonly [2, 3] = shapes.inputs.x;\n  void [l, z, gw, s];`)).toEqual([]);
    expect(check(`  await m.forward({ x: ${x} });`).join("\n")).toMatch(/labels/);
    expect(check(`  await m.forward({ x: ${x}, labels: ${labels}, y: ${x} });`).join("\n")).toMatch(/'y' does not exist/);
    expect(check(`  await m.forward({ x: ${x}, labels: new Float32Array(2) });`).length).toBeGreaterThan(0);
    expect(check(`  await m.forward({ x: { data: ${x}, shape: [3, 2] }, labels: ${labels} });`).length).toBeGreaterThan(0);
    expect(check(`  (await m.grad({ x: ${x}, labels: ${labels} })).grads.labels;`).join("\n")).toMatch(/labels/);
  });

  it("builds: refuses a foreign folder, rebuilds in place, takes params back from safetensors", async () => {
    const foreign = path.join(tmp, "foreign");
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, "notes.txt"), "mine");
    expect(await asyncCode(buildCommand(path.join(ROOT, "test/models/classifier.ts"), { out: foreign }))).toBe("MP4011");
    expect(fs.readFileSync(path.join(foreign, "notes.txt"), "utf8")).toBe("mine");
    expect(await asyncCode(buildCommand(path.join(ROOT, "test/models/classifier.ts"), { out: "" }))).toBe("MP4010");
    const again = await buildCommand(path.join(ROOT, "test/models/classifier.ts"), { out, params: path.join(out, "params.safetensors") });
    expect(again).toContain(manifest.hash);
    const other = await buildCommand(path.join(ROOT, "test/models/classifier.ts"), { out, seed: "7" });
    expect(other).not.toContain(manifest.hash);
    const bad = path.join(tmp, "bad-params.json");
    fs.writeFileSync(bad, JSON.stringify({ x: [[1, 2, 3], [4, 5, 6]] }));
    expect(await asyncCode(buildCommand(path.join(ROOT, "test/models/classifier.ts"), { out, params: bad }))).toBe("MP4004");
    // Named dims of inputs stay named (bound at each call); a param's dims need sizes.
    expect(await buildCommand(path.join(ROOT, "test/fixtures/cli/named-dims.ts"), { out: path.join(tmp, "nd") })).toMatch(/no precompiled kernels \(named dims n are bound at each call/);
    expect(await asyncCode(buildCommand(path.join(ROOT, "test/fixtures/cli/named-param.ts"), { out: path.join(tmp, "np") }))).toBe("MP4008");
  });
});

const mirrored = Object.keys(DIAGNOSTICS).some((k) => k.startsWith("MP7"));
describe("diagnostics table", () => {
  it.skipIf(!mirrored)("ir/diagnostics.ts carries the bundle codes exactly (skipped until the MP7xxx rows are added there)", () => {
    const there = Object.fromEntries(Object.entries(DIAGNOSTICS).filter(([k]) => k.startsWith("MP7")));
    expect(there).toEqual(BUNDLE_ERRORS);
  });
});
