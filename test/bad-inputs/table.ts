/**
 * docs/bad-inputs.md's table, rendered from the case lists (cli-classes.ts, bundle-classes.ts) so
 * that its counts are the counts the tests run (test/docs/bad-inputs.test.ts compares them).
 */
import { BUNDLE_CALL_CLASSES, BUNDLE_FILE_CLASSES, BUNDLE_HANG_CLASSES, BUNDLE_LOAD_CLASSES } from "./bundle-classes.js";
import { CLI_CLASSES } from "./cli-classes.js";

interface Row {
  readonly name: string;
  readonly cases: readonly { readonly code: string }[];
  readonly cli: boolean;
}

const codes = (r: Row) => [...new Set(r.cases.map((c) => c.code))].sort().join(", ");

function rows(): Row[] {
  return [
    ...CLI_CLASSES.map((c) => ({ name: `\`matprop\`: ${c.name}`, cases: c.cases, cli: true })),
    ...[...BUNDLE_FILE_CLASSES, ...BUNDLE_LOAD_CLASSES, ...BUNDLE_CALL_CLASSES, ...BUNDLE_HANG_CLASSES].map((c) => ({ name: c.name, cases: c.cases, cli: false })),
  ];
}

/** How many bad-input cases the tests run. */
export function badInputTotal(): number {
  return rows().reduce((n, r) => n + r.cases.length, 0);
}

export function badInputTable(): string {
  const lines = [
    "| class | cases | codes | coded error | exit 1, one line, no stack trace | no file written or removed | no hang |",
    "|---|---:|---|---|---|---|---|",
    ...rows().map((r) => `| ${r.name} | ${r.cases.length} | ${codes(r)} | yes | ${r.cli ? "yes" : "n/a (a library call: throws BundleError)"} | yes | yes |`),
    `| **total** | **${badInputTotal()}** | | | | | |`,
  ];
  return lines.join("\n") + "\n";
}
