/**
 * `matprop build -o DIR` never loses a user's file: it writes only into a missing or empty folder
 * or an earlier matprop bundle, removes only what that bundle wrote, and refuses anything else with
 * MP4011 before touching the disk (regression: a folder holding any manifest.json — every PWA and
 * browser extension has one — lost its runtime/ and kernels/ and had three files overwritten).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { model, ops } from "../../index.js";
import { writeBundle } from "../../compiler/bundle/build.js";
import { FILES_RECORD } from "../../compiler/bundle/out-dir.js";
import { MatpropError } from "../../ir/diagnostics.js";
import { BUNDLE_VERSION } from "../../runtime/bundle/manifest.js";
import type { Graph } from "../../ir/graph.js";

const small = model("small", ({ input, param }) => ({ loss: ops.sum(ops.mul(input("x", [2, 2]), param("W", [2, 2]))) }));
const other = model("other", ({ input }) => ({ y: ops.matmul(input("A", [3, 3]), ops.transpose(input("B", [3, 3]))) }));

let tmp: string;
let graphs: { small: Graph; other: Graph };
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-outdir-")));
  graphs = { small: small.build(), other: other.build() };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir` (relative path → contents), and every folder. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[`${r}/`] = "";
        walk(r);
      } else out[r] = fs.readFileSync(path.join(dir, r), "latin1");
    }
  };
  walk("");
  return out;
}

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function refused(dir: string, ...parts: string[]): void {
  const before = fs.statSync(dir).isDirectory() ? snapshot(dir) : undefined;
  let err: unknown;
  try {
    writeBundle(graphs.small, { out: dir });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MatpropError);
  expect((err as MatpropError).code).toBe("MP4011");
  for (const p of parts) expect((err as MatpropError).message).toContain(p);
  if (before) expect(snapshot(dir)).toEqual(before);
}

/** Folders that are not bundles: each refused, nothing in it changed. */
const FOREIGN: Record<string, Record<string, string>> = {
  "a PWA (web app manifest, index.js, kernels/, runtime/)": {
    "manifest.json": JSON.stringify({ name: "My App", start_url: "/", icons: [] }),
    "index.js": "console.log('app')",
    "package.json": "{}",
    "runtime/sw.js": "self.addEventListener('fetch', () => {})",
    "kernels/notes.txt": "mine",
  },
  "a browser extension (manifest_version 3)": { "manifest.json": JSON.stringify({ manifest_version: 3, name: "ext", version: "1.0" }), "background.js": "" },
  "a manifest.json that claims the bundle format but does not parse as one": { "manifest.json": JSON.stringify({ format: "matprop-bundle", version: BUNDLE_VERSION, name: "x" }), "index.js": "" },
  "a manifest.json of an older bundle format that lists no files": { "manifest.json": JSON.stringify({ format: "matprop-bundle", version: 1 }), "index.js": "" },
  "a manifest.json that is not JSON": { "manifest.json": "{ not json", "a.txt": "x" },
  "a project folder without manifest.json": { "package.json": "{}", "src/main.ts": "export {};" },
  "a single hidden file": { ".gitkeep": "" },
};

describe("build -o refuses folders that are neither empty nor a bundle (MP4011, nothing written or removed)", () => {
  it.each(Object.entries(FOREIGN))("%s", (name, files) => {
    refused(folder(name.replace(/\W+/g, "-"), files), "nothing was written or removed");
  });

  it("a path that is a file", () => {
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "mine");
    refused(file, "not a folder");
    expect(fs.readFileSync(file, "utf8")).toBe("mine");
  });
});

describe("build -o into a missing or empty folder, or over an earlier bundle", () => {
  it("creates a missing folder and records what it wrote", () => {
    const dir = path.join(tmp, "fresh", "nested");
    const b = writeBundle(graphs.small, { out: dir });
    const record = JSON.parse(fs.readFileSync(path.join(dir, FILES_RECORD), "utf8")) as { files: string[] };
    expect(record.files).toEqual([...b.files].sort());
    expect(Object.keys(snapshot(dir)).filter((f) => !f.endsWith("/")).sort()).toEqual([...b.files].sort());
  });

  it("rebuilds over an earlier bundle: the earlier bundle's stale files go, the user's files stay", () => {
    const dir = path.join(tmp, "rebuild");
    const first = writeBundle(graphs.other, { out: dir });
    fs.writeFileSync(path.join(dir, "index.html"), "<script type=module src=index.js></script>");
    fs.writeFileSync(path.join(dir, "kernels", "README.txt"), "my notes");
    const second = writeBundle(graphs.small, { out: dir });
    const files = Object.keys(snapshot(dir)).filter((f) => !f.endsWith("/"));
    expect(files.sort()).toEqual([...second.files, "index.html", "kernels/README.txt"].sort());
    // The first bundle had kernels the second does not: they were removed.
    expect(first.files.filter((f) => !second.files.includes(f)).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(dir, "kernels", "README.txt"), "utf8")).toBe("my notes");
  });

  it("a user's file where the new bundle writes one, not written by the earlier bundle, is refused", () => {
    const dir = path.join(tmp, "collide");
    const b = writeBundle(graphs.small, { out: dir });
    const record = path.join(dir, FILES_RECORD);
    const kernel = b.files.find((f) => f.startsWith("kernels/"))!;
    // The earlier bundle's record no longer lists the kernel: that file is the user's now.
    const listed = (JSON.parse(fs.readFileSync(record, "utf8")) as { format: string; files: string[] });
    fs.writeFileSync(record, JSON.stringify({ ...listed, files: listed.files.filter((f) => f !== kernel) }));
    refused(dir, `${kernel} there was not written by the earlier bundle`);
  });

  it("a tampered record never removes files outside the bundle layout", () => {
    const dir = path.join(tmp, "tampered");
    writeBundle(graphs.other, { out: dir });
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    fs.writeFileSync(path.join(tmp, "outside.txt"), "mine too");
    const record = path.join(dir, FILES_RECORD);
    const listed = JSON.parse(fs.readFileSync(record, "utf8")) as { format: string; files: string[] };
    fs.writeFileSync(record, JSON.stringify({ ...listed, files: [...listed.files, "notes.txt", "../outside.txt", "/etc/hostname"] }));
    writeBundle(graphs.small, { out: dir });
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(fs.readFileSync(path.join(tmp, "outside.txt"), "utf8")).toBe("mine too");
  });

  it("a bundle of an older format version (no record) is recognised and rebuilt; the user's files stay", () => {
    const dir = path.join(tmp, "older");
    writeBundle(graphs.other, { out: dir });
    fs.rmSync(path.join(dir, FILES_RECORD));
    const manifest = path.join(dir, "manifest.json");
    fs.writeFileSync(manifest, fs.readFileSync(manifest, "utf8").replace(`"version": ${BUNDLE_VERSION}`, '"version": 1'));
    fs.writeFileSync(path.join(dir, "notes.md"), "mine");
    const b = writeBundle(graphs.small, { out: dir });
    const files = Object.keys(snapshot(dir)).filter((f) => !f.endsWith("/"));
    expect(files.sort()).toEqual([...b.files, "notes.md"].sort());
  });

  it("a bundle written before records existed (manifest only) is rebuilt; the user's files stay", () => {
    const dir = path.join(tmp, "legacy");
    writeBundle(graphs.small, { out: dir });
    fs.rmSync(path.join(dir, FILES_RECORD));
    fs.writeFileSync(path.join(dir, "index.html"), "page");
    const b = writeBundle(graphs.other, { out: dir });
    const files = Object.keys(snapshot(dir)).filter((f) => !f.endsWith("/"));
    expect(files.sort()).toEqual([...b.files, "index.html"].sort());
  });
});
