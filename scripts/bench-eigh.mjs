// The CPU eigensolver (numeric/linalg/symmetric-eigen.ts) against ml-matrix's implementation
// of the same algorithm (tred2 + tql2), interleaved, medians: time per matrix, the worst residual
// ‖XU − UΛ‖/‖X‖ and orthogonality ‖UᵀU − I‖ over the batch. Needs `npm run build` first.
//   node scripts/bench-eigh.mjs [--sizes 8,16,32,64] [--rounds 9]
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { eighMatrix } from "../dist/numeric/linalg/eigh.js";
import { Random } from "../dist/numeric/random.js";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (i % 2 ? acc : [...acc, [a.replace(/^--/, ""), all[i + 1]]]), []));
const sizes = (args.sizes ?? "8,16,32,64").split(",").map(Number);
const rounds = Number(args.rounds ?? 9);
const rng = new Random(11);

function spd(n) {
  const g = Float64Array.from({ length: n * (n + 17) }, () => rng.normal());
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n + 17; k++) s += g[i * (n + 17) + k] * g[j * (n + 17) + k];
    x[i * n + j] = s / (n + 17);
  }
  return x;
}

function viaMlMatrix(x, n) {
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const v = evd.eigenvectorMatrix;
  const u = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) u[r * n + c] = v.get(r, c);
  return { w: Float64Array.from(evd.realEigenvalues), u };
}

function errors(x, n, { w, u }) {
  let res = 0, orth = 0, scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(x[i]));
  for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) {
    let s = 0, o = 0;
    for (let k = 0; k < n; k++) { s += x[i * n + k] * u[k * n + c]; o += u[k * n + i] * u[k * n + c]; }
    res = Math.max(res, Math.abs(s - w[c] * u[i * n + c]) / scale);
    orth = Math.max(orth, Math.abs(o - (i === c ? 1 : 0)));
  }
  return [res, orth];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log("| n | matprop µs/matrix | ml-matrix µs/matrix | speed-up | residual (matprop, ml-matrix) | orthogonality (matprop, ml-matrix) |");
console.log("|---|---|---|---|---|---|");
for (const n of sizes) {
  const batch = Array.from({ length: Math.max(4, Math.round(4096 / n)) }, () => spd(n));
  const impls = { ours: (x) => eighMatrix(x, n), ml: (x) => viaMlMatrix(x, n) };
  const worst = { ours: [0, 0], ml: [0, 0] };
  for (const [k, f] of Object.entries(impls)) for (const x of batch) errors(x, n, f(x)).forEach((e, i) => (worst[k][i] = Math.max(worst[k][i], e)));
  const times = { ours: [], ml: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [k, f] of Object.entries(impls)) {
      const t0 = performance.now();
      for (const x of batch) f(x);
      times[k].push(((performance.now() - t0) * 1000) / batch.length);
    }
  }
  const [a, b] = [median(times.ours), median(times.ml)];
  const e = (x) => x.toExponential(1);
  console.log(`| ${n} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}× | ${e(worst.ours[0])}, ${e(worst.ml[0])} | ${e(worst.ours[1])}, ${e(worst.ml[1])} |`);
}
