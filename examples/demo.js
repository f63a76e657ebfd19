// `npm run demo`, the main job: the second-order-pooling network on real MNIST digits, trained end
// to end in quick mode next to its first-order counterpart, then its backward graph summary, the
// inspector page, and a standalone kernel bundle of the O2P layer. Prints where everything is.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "bin", "matprop.js");
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const out = "results/demo";

function step(title, args) {
  process.stdout.write(`\n== ${title}\n$ ${args.join(" ")}\n`);
  const [cmd, ...rest] = args;
  const argv = cmd === "matprop" ? [cli, ...rest] : cmd === "tsx" ? [tsx, ...rest] : [cmd, ...rest];
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`demo: '${title}' failed (exit ${r.status})\n`);
    process.exit(1);
  }
}

step("train O2P and average pooling on MNIST (quick mode)", ["tsx", "examples/o2p-mnist/train.ts", "--quick", "--out", `${out}/o2p-mnist`]);
step("backward graph of the O2P network: node counts before/after simplification", ["matprop", "ir", "examples/o2p-mnist/model.ts", "--stats"]);
step("inspector page of the O2P network (forward and backward; the inputs size the kernels it draws)", ["matprop", "graph", "examples/o2p-mnist/model.ts", "--backward", "--inputs", "examples/o2p-mnist/inputs.json", "-o", `${out}/inspector.html`]);
step("standalone kernel bundle of the second-order-pooling layer", ["matprop", "build", "examples/o2p-layer/model.ts", "-o", `${out}/o2p-layer-bundle`]);
step("gradient check of the O2P layer against finite differences", ["matprop", "gradcheck", "examples/o2p-layer/model.ts", "--inputs", "examples/o2p-layer/inputs.json", "--tol", "1e-7"]);

/** The full runs' test accuracies as the README's table gives them ("Training the paper's layers"). */
function fullRunRows() {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  return readme
    .split("\n")
    .map((line) => /^\| (second-order pooling|average pooling) \| [^|]+ \| \*\*([\d.]+%)\*\* \|/.exec(line))
    .filter(Boolean)
    .map((m) => `  ${m[1].padEnd(22)} test accuracy ${m[2]}`);
}

const rows = fullRunRows();
process.stdout.write(`
demo: done. Look at
  ${out}/o2p-mnist/results.json, training.svg    test accuracies, loss and accuracy curves of both models
  ${out}/inspector.html                          the backward-graph inspector (open in a browser)
  ${out}/o2p-layer-bundle/                       manifest.json, kernels/*.wgsl, index.js, params.safetensors
The quick run above trains on 640 digits for 100 steps. The full run (8,000 digits, 1,000 steps,
npx tsx examples/o2p-mnist/train.ts) is in README.md, "Training the paper's layers"${rows.length ? ":\n" + rows.join("\n") : "."}
The normalized-cuts example: npx tsx examples/ncuts-segmentation/train.ts --quick
`);
