/**
 * A bundle ships no absolute path of the machine that built it: source locations are relative to
 * the model's project (regression: a model outside the working directory put its absolute path
 * into every node location of the manifest).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, relativeLoc, relocate } from "../../compiler/bundle/locations.js";
import { matprop, ROOT, tempDir } from "../cli/helpers.js";

const MODEL = [
  `import { model, ops } from "matprop";`,
  `export default model("outside", ({ input, param }) => {`,
  `  const W = param("W", [2, 2]);`,
  `  return { loss: ops.sum(ops.mul(ops.matmul(input("x", [2, 2]), W), W)) };`,
  `});`,
].join("\n");

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir({ "package.json": JSON.stringify({ name: "outside", type: "module" }) });
  fs.mkdirSync(tmp.file("models"));
  fs.writeFileSync(tmp.file("models/net.ts"), MODEL);
});
afterAll(() => tmp.cleanup());

/** Every text file of a folder, by relative path. */
function texts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.endsWith(".safetensors")) out.set(path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), "utf8"));
  }
  return out;
}

describe("bundle source locations", () => {
  it("a model outside the working directory: locations relative to its project, no absolute path in any file", () => {
    const out = tmp.file("bundle");
    const r = matprop(["build", tmp.file("models/net.ts"), "-o", out]); // cwd: the repository
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { programs: { forward: { steps: { nodes: { loc?: string }[] }[] } } };
    const locs = manifest.programs.forward.steps.flatMap((s) => s.nodes.map((n) => n.loc)).filter(Boolean);
    expect(locs.length).toBeGreaterThan(0);
    for (const loc of locs) expect(loc).toMatch(/^models\/net\.ts:\d+:\d+$/);
    for (const [file, text] of texts(out)) {
      expect(text.includes(tmp.dir), `${file} names the build folder`).toBe(false);
      expect(text.includes(ROOT), `${file} names the matprop checkout`).toBe(false);
    }
  });

  it("the project is the nearest folder with a package.json, else the model's folder", () => {
    expect(projectRoot(tmp.file("models/net.ts"))).toBe(tmp.dir);
    const bare = tempDir({ "m.ts": "" });
    try {
      // tmpdir has no package.json above it on any sane machine; the model's folder is the project.
      expect(projectRoot(bare.file("m.ts"))).toBe(fs.existsSync(path.join(path.dirname(bare.dir), "package.json")) ? path.dirname(bare.dir) : bare.dir);
    } finally {
      bare.cleanup();
    }
  });

  it("relocates every loc field, nested anywhere, and leaves other strings alone", () => {
    const root = path.join(path.sep, "p", "q");
    const m = relocate({ name: "/p/q/x.ts:1:1", steps: [{ nodes: [{ loc: path.join(root, "a", "m.ts") + ":3:4" }], checks: [{ loc: path.join(root, "b.ts") + ":5:6" }] }] }, root);
    expect(m).toEqual({ name: "/p/q/x.ts:1:1", steps: [{ nodes: [{ loc: "a/m.ts:3:4" }], checks: [{ loc: "b.ts:5:6" }] }] });
    expect(relativeLoc("not a location", root)).toBe("not a location");
  });
});
