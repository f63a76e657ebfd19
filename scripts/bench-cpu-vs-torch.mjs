// The O2P training step (forward + backward) on matprop's float64 CPU executor and on PyTorch
// float64 (one thread), side by side in one run: for each round and each configuration, a timed
// batch of steps on each side, alternating; the medians over rounds and their ratio. Time is the
// process's CPU time (user + system) per step, which a busy shared machine disturbs far less than
// wall time; the wall-time ratio is printed too. Before timing, the loss and every gradient are
// compared (relative to each array's largest entry).
//
//   npm run build && node scripts/bench-cpu-vs-torch.mjs [--configs 32x8,32x16,64x32] [--kinds layer,net]
//       [--rounds 15] [--round-ms 150] [--only node] [--json out.json] [--python /usr/bin/python3]
//
// Needs python3 with torch (Debian: apt-get install -y python3-torch) unless --only node (for
// profiling: node --cpu-prof scripts/bench-cpu-vs-torch.mjs --only node ...).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { differentiate } from "../dist/compiler/passes/differentiate.js";
import { initParams } from "../dist/compiler/train/trainer.js";
import { keepOutputs } from "../dist/ir/prune.js";
import { executeCPU } from "../dist/runtime/cpu/execute.js";
import { Random } from "../dist/numeric/random.js";
import { o2pModel, POSITIONS, CLASSES } from "./bench/o2p-models.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  // Debian's python3-torch installs for the system interpreter, which a pyenv shim may hide.
  const python = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const opts = { configs: "32x8,32x16,64x32", kinds: "layer,net", rounds: 15, roundMs: 150, only: null, json: null, python };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "").replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (!(key in opts)) throw new Error(`unknown option ${argv[i]}`);
    opts[key] = argv[++i];
  }
  return {
    configs: opts.configs.split(",").map((s) => s.split("x").map(Number)),
    kinds: opts.kinds.split(","),
    rounds: Number(opts.rounds),
    roundMs: Number(opts.roundMs),
    only: opts.only,
    json: opts.json,
    python: opts.python,
  };
}

/** The step graph: forward + backward, keeping the loss and the gradients the twin computes. */
function stepGraph(kind, C) {
  const forward = o2pModel(kind, C).build();
  const full = differentiate(forward, { loss: "loss" }).graph;
  const skip = new Set(["grad.x", "grad.y"]);
  return { forward, step: keepOutputs(full, (name) => !skip.has(name)) };
}

function feedsFor(kind, B, C, forward) {
  const rng = new Random(1234 + B * 100 + C);
  const feeds = new Map();
  const fill = (shape, f) => ({ shape, data: Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, f) });
  for (const [name, p] of initParams(forward, 7)) {
    // Small positive biases: no exact ReLU ties, where the frameworks' subgradients differ.
    feeds.set(name, name.startsWith("b") ? fill(p.shape, () => 0.1 * rng.uniform()) : p);
  }
  if (kind === "layer") feeds.set("F", fill([B, POSITIONS, C], () => rng.normal()));
  // Zero-mean images: with [0, 1) pixels some channels die (ReLU zero at all 49 positions), the
  // covariance then has repeated eigenvalues (eps) and PyTorch's eigh gradient is NaN.
  else feeds.set("x", fill([B, 1, 28, 28], () => rng.normal()));
  feeds.set("y", fill([B], () => Math.floor(rng.uniform() * CLASSES)));
  return feeds;
}

class TorchTwin {
  constructor(python) {
    this.proc = spawn(python, [path.join(here, "bench", "torch_twin.py")], { stdio: ["pipe", "pipe", "inherit"] });
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async request(req) {
    this.proc.stdin.write(JSON.stringify(req) + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error("the PyTorch twin exited (is python3-torch installed?)");
    const reply = JSON.parse(value);
    if (reply.error) throw new Error(reply.error);
    return reply;
  }
  close() {
    this.proc.stdin.end();
  }
}

function worstRelative(ours, theirs) {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < theirs.length; i++) {
    scale = Math.max(scale, Math.abs(theirs[i]));
    diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
  }
  return diff / Math.max(scale, 1e-300);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const torch = opts.only === "node" ? null : new TorchTwin(opts.python);
  const cases = [];
  for (const kind of opts.kinds) {
    for (const [B, C] of opts.configs) {
      const { forward, step } = stepGraph(kind, C);
      const feeds = feedsFor(kind, B, C, forward);
      const run = () => executeCPU(step, feeds).outputs;
      const out = run();
      const c = { id: cases.length, kind, B, C, run, nodeMs: [], torchMs: [], nodeWall: [], torchWall: [], agreement: null };
      if (torch) {
        const arrays = Object.fromEntries([...feeds].map(([k, v]) => [k, { shape: v.shape, data: [...v.data] }]));
        const twin = await torch.request({ cmd: "setup", id: cases.length, kind, B, C, arrays });
        let worst = Math.abs(out.get("loss").data[0] - twin.loss) / Math.abs(twin.loss);
        for (const [name, g] of Object.entries(twin.grads)) worst = Math.max(worst, worstRelative(out.get(`grad.${name}`).data, g));
        c.agreement = worst;
        c.torchVersion = twin.torch;
        c.blas = twin.blas;
        if (!(worst < 1e-8)) throw new Error(`${kind} (${B}, ${C}): matprop and PyTorch disagree (worst relative difference ${worst})`);
      }
      // Steps per timed batch: enough for about roundMs.
      const t0 = performance.now();
      run();
      c.steps = Math.max(1, Math.round(opts.roundMs / Math.max(performance.now() - t0, 0.01)));
      cases.push(c);
    }
  }
  for (let r = 0; r < opts.rounds; r++) {
    for (const c of cases) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let s = 0; s < c.steps; s++) c.run();
      const cpu = process.cpuUsage(c0);
      c.nodeMs.push((cpu.user + cpu.system) / 1000 / c.steps);
      c.nodeWall.push((performance.now() - t0) / c.steps);
      if (torch) {
        const t = await torch.request({ cmd: "time", id: c.id, steps: c.steps });
        c.torchMs.push((t.cpu * 1000) / c.steps);
        c.torchWall.push((t.seconds * 1000) / c.steps);
      }
    }
  }
  torch?.close();
  const rows = cases.map((c) => ({
    kind: c.kind,
    B: c.B,
    C: c.C,
    matpropMs: median(c.nodeMs),
    torchMs: torch ? median(c.torchMs) : null,
    ratio: torch ? median(c.nodeMs) / median(c.torchMs) : null,
    wallRatio: torch ? median(c.nodeWall) / median(c.torchWall) : null,
    agreement: c.agreement,
  }));
  console.log(`node ${process.version}${torch ? `, torch ${cases[0]?.torchVersion} (1 thread; ${cases[0]?.blas.map((p) => path.basename(p)).join(", ")})` : ""}; ${opts.rounds} rounds, medians of CPU ms per step`);
  console.log("| step | (B, C) | matprop CPU executor ms | PyTorch ms | ratio | wall-time ratio | max rel. diff |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const f = (x, d = 2) => (x === null ? "—" : x.toFixed(d));
    console.log(`| ${r.kind} | (${r.B}, ${r.C}) | ${f(r.matpropMs)} | ${f(r.torchMs)} | ${f(r.ratio)} | ${f(r.wallRatio)} | ${r.agreement === null ? "—" : r.agreement.toExponential(1)} |`);
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(rows, null, 2) + "\n");
}

await main();
