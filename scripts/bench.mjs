#!/usr/bin/env node
/**
 * `npm run bench`: `matprop bench` over the example models, the CPU executor and WebGPU side by
 * side, and WebGPU's path before programs were resident (`--one-shot`: a fresh program per step,
 * the optimizer on the host) — for each model the three run back to back, rotating which goes
 * first — written to results/bench/bench.json and results/bench/bench.md. Options: --steps N
 * (default 20), --models a,b (default every example with inputs.json).
 *
 *   npm run build && npm run bench
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const steps = arg("--steps", "20");
const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((d) => fs.existsSync(path.join(ROOT, "examples", d, "inputs.json")));
const models = (arg("--models", "") || examples.join(",")).split(",");

const RUNS = { cpu: ["--backend", "cpu"], webgpu: ["--backend", "webgpu"], oneShot: ["--backend", "webgpu", "--one-shot"] };

function bench(model, run) {
  const dir = path.join("examples", model);
  const args = [path.join(ROOT, "bin", "matprop.js"), "bench", path.join(dir, "model.ts"), "--inputs", path.join(dir, "inputs.json"), ...RUNS[run], "--steps", steps, "--json"];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) return { error: (r.stderr || String(r.signal)).trim().split("\n")[0] };
  return JSON.parse(r.stdout);
}

const rows = [];
models.forEach((model, i) => {
  const names = Object.keys(RUNS);
  const order = names.map((_, k) => names[(i + k) % names.length]);
  const results = Object.fromEntries(order.map((b) => [b, bench(model, b)]));
  rows.push({ model, ...results });
  process.stderr.write(`${model}: ${order.map((b) => `${b} ${results[b].error ?? `${results[b].msPerStep.median.toFixed(2)} ms`}`).join(", ")}\n`);
});

const out = path.join(ROOT, "results", "bench");
fs.mkdirSync(out, { recursive: true });
const meta = { command: "npm run bench", steps: Number(steps), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg()[0], date: new Date().toISOString() };
fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify({ meta, rows }, null, 2) + "\n");
const ms = (r) => (r.error ? `error: ${r.error}` : `${r.msPerStep.median.toFixed(2)} (p90 ${r.msPerStep.p90.toFixed(2)})`);
const md = [
  `Training steps (Adam, lr 1e-3), ${steps} timed steps after 3 warm-up steps, on each example's inputs.json; ${meta.cpus} CPUs, load ${meta.loadavg.toFixed(1)}, node ${meta.node}.`,
  "",
  "Per-step traffic: resident WebGPU / one-shot WebGPU (a fresh program per step, params up and every gradient back, the optimizer on the host).",
  "",
  "| model | CPU executor ms/step | WebGPU ms/step | one-shot WebGPU ms/step | dispatches/step (unfused) | bytes up/step | bytes read/step | buffers created/step |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const g = r.webgpu;
    const o = r.oneShot;
    const pair = (k) => `${g.error ? "–" : g[k]} / ${o.error ? "–" : o[k]}`;
    const device = g.error ? ["", ""] : [`${g.dispatchesPerStep} (${g.unfusedDispatchesPerStep})`];
    return `| ${r.model} | ${ms(r.cpu)} | ${ms(g)} | ${ms(o)} | ${[...device.slice(0, 1), pair("bytesUploadedPerStep"), pair("bytesReadPerStep"), pair("buffersCreatedPerStep")].join(" | ")} |`;
  }),
  "",
].join("\n");
fs.writeFileSync(path.join(out, "bench.md"), md);
process.stdout.write(md);
