// The Markdown that ships (README, docs/, the generated API reference in docs/api/) has no broken
// links, and the API reference names every value the package exports (regenerate it with
// `npm run docs`; `.ci/run` also checks that it is byte-for-byte current).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as matprop from "../../index.js";
import * as runtime from "../../runtime/index.js";
import { anchorsOf, brokenLinks, linkTargets, markdownFiles } from "./links.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const API = path.join(ROOT, "docs", "api");

describe("links", () => {
  it("README.md and docs/**/*.md have no broken relative links or anchors", () => {
    const files = [path.join(ROOT, "README.md"), ...markdownFiles(path.join(ROOT, "docs"))];
    expect(files.length).toBeGreaterThan(3);
    expect(brokenLinks(files, ROOT)).toEqual([]);
  });

  it("the README links the API reference and the design notes", () => {
    const targets = linkTargets(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).map((l) => l.target);
    expect(targets).toContain("docs/api/README.md");
    expect(targets).toContain("docs/design.md");
  });

  it("the checker finds what is broken (a missing file, a missing anchor, a link out of the tree)", () => {
    const tmp = fs.mkdtempSync(path.join(ROOT, "out-links-"));
    try {
      fs.writeFileSync(path.join(tmp, "a.md"), "# Title\n## Same\n## Same\n<a id=\"x\"></a>\n");
      const b = path.join(tmp, "b.md");
      fs.writeFileSync(b, ["[ok](a.md#title) [ok](a.md#same-1) [ok](a.md#x) `[code](nope.md)`", "[bad](nope.md) [bad](a.md#none)", "![img](../../outside.png)", "```", "[fenced](nope.md)", "```"].join("\n"));
      expect(brokenLinks([b], tmp).map((l) => [l.line, l.target, l.problem])).toEqual([
        [2, "nope.md", "no such file"],
        [2, "a.md#none", "no anchor #none"],
        [3, "../../outside.png", "points outside"],
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("docs/api", () => {
  const headings = (file: string) => anchorsOf(fs.readFileSync(path.join(API, file), "utf8"));
  it.each([
    ["matprop", "matprop/README.md", matprop],
    ["matprop/runtime", "matprop/runtime.md", runtime],
  ])("documents every value %s exports", (_, file, mod) => {
    const documented = new Set([...headings(file), ...markdownFiles(path.join(API, "matprop", "namespaces")).map((f) => path.basename(f, ".md"))]);
    const missing = Object.keys(mod).filter((name) => !documented.has(name.toLowerCase()));
    expect(missing, "run `npm run docs`").toEqual([]);
  });
});
