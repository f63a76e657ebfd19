/**
 * A broken-link finder for the project's Markdown (README, docs/, the generated API reference):
 * every relative link and image must name a file that exists, and a `#fragment` into a Markdown
 * file must name one of its headings (GitHub's slugs) or explicit `<a id>` anchors. Links inside
 * code are not links; web links are not followed (no network in tests).
 */
import fs from "node:fs";
import path from "node:path";

export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

/** Markdown without fenced code blocks and inline code (kept line for line). */
function withoutCode(text: string): string {
  let fenced = false;
  return text
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return "";
      }
      return fenced ? "" : line.replace(/`+[^`]*`+/g, "");
    })
    .join("\n");
}

/** Link targets with their line numbers: `[text](target)`, `![alt](target)`, `<a href>`, `<img src>`. */
export function linkTargets(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  withoutCode(markdown)
    .split("\n")
    .forEach((text, i) => {
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1], line: i + 1 });
      for (const m of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) out.push({ target: m[1], line: i + 1 });
    });
  return out;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown file defines: heading slugs (repeats get -1, -2, …) and `<a id|name>`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const line of withoutCode(markdown).split("\n")) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1].replace(/\\/g, ""));
      const n = counts.get(base) ?? 0;
      counts.set(base, n + 1);
      anchors.add(n ? `${base}-${n}` : base);
    }
  }
  for (const m of markdown.matchAll(/<a\s[^>]*?(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

/**
 * Broken links in the Markdown `files`; targets must also lie inside `root` (a link out of the
 * package or repository does not resolve for a reader who has only that).
 */
export function brokenLinks(files: readonly string[], root: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(fs.readFileSync(file, "utf8")));
    return anchorCache.get(file)!;
  };
  for (const file of files) {
    const rel = path.relative(root, file);
    for (const { target, line } of linkTargets(fs.readFileSync(file, "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [pathPart, fragment] = target.split("#", 2);
      const dest = pathPart ? path.resolve(path.dirname(file), decodeURIComponent(pathPart)) : file;
      const report = (problem: string) => broken.push({ file: rel, line, target, problem });
      if (path.relative(root, dest).startsWith("..")) report("points outside");
      else if (!fs.existsSync(dest)) report("no such file");
      else if (fragment && dest.endsWith(".md") && !anchors(dest).has(fragment)) report(`no anchor #${fragment}`);
    }
  }
  return broken;
}

/** Every .md file under `dir`. */
export function markdownFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".md"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
