// `npm run demo`: the second-order-pooling and normalized-cuts layers end to end through the CLI —
// type check, forward IR, backward graph, a run with gradients, and a finite-difference check.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "bin", "matprop.js");

function step(title, args) {
  process.stdout.write(`\n$ matprop ${args.join(" ")}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`demo: '${title}' failed (exit ${r.status})\n`);
    process.exit(1);
  }
}

for (const name of ["o2p-layer", "ncuts-layer"]) {
  const model = `examples/${name}/model.ts`;
  const inputs = `examples/${name}/inputs.json`;
  step("type check", ["check", model]);
  step("backward graph", ["ir", model, "--backward", "--stats"]);
  step("run with gradients", ["run", model, "--inputs", inputs, "--grad"]);
  step("gradient check", ["gradcheck", model, "--inputs", inputs, "--tol", "1e-7"]);
}
process.stdout.write("\ndemo: ok — both layers type-check, run, and their gradients match finite differences\n");
