/**
 * The bundle's content hash: SHA-256 over a length-prefixed sequence of parts — the canonical JSON
 * of the manifest without its `hash` field, then every file it names in the order verify.ts's
 * `filesOf` lists them (kernels, graphs, params). Canonical JSON sorts object keys (by UTF-16 code units) and has no whitespace, so a
 * manifest whose fields were reordered hashes the same and any other change does not.
 */
import { Sha256 } from "./sha256.js";

export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

const DOMAIN = new TextEncoder().encode("matprop-bundle/1\n");

function lengthPrefix(n: number): Uint8Array {
  const b = new Uint8Array(8);
  const view = new DataView(b.buffer);
  view.setUint32(0, n >>> 0, true);
  view.setUint32(4, Math.floor(n / 0x100000000), true);
  return b;
}

/** `sha256:<hex>` of the manifest (its `hash` field left out) and the files it names, in `filesOf` order. */
export function bundleHash(manifest: object, files: readonly Uint8Array[]): string {
  const rest = { ...(manifest as Record<string, unknown>) };
  delete rest.hash;
  const h = new Sha256().update(DOMAIN);
  for (const part of [new TextEncoder().encode(canonicalJSON(rest)), ...files]) h.update(lengthPrefix(part.length)).update(part);
  return `sha256:${h.hex()}`;
}
