/** Where this copy of matprop is installed (the CLI runs from <root>/dist/compiler/cli). */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = path.resolve(here, "..", "..", path.basename(path.resolve(here, "..", "..")) === "dist" ? ".." : ".");
/** The built entry points a model may import. */
export const ENTRY_JS = path.join(PACKAGE_ROOT, "dist", "index.js");
export const ENTRY_DTS = path.join(PACKAGE_ROOT, "dist", "index.d.ts");
export const RUNTIME_JS = path.join(PACKAGE_ROOT, "dist", "runtime", "index.js");
export const RUNTIME_DTS = path.join(PACKAGE_ROOT, "dist", "runtime", "index.d.ts");

/** The installed package's version (`matprop --version`). */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
