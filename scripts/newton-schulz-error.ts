/**
 * The accuracy the Newton–Schulz square root promises (docs/matrix-functions.md): for each n, κ and
 * iteration count N, the worst relative eigenvalue error 1 − u_N(1/√(1 + (n − 1)κ)) over all n×n SPD
 * matrices of condition κ, next to the error measured on random matrices with that worst spectrum
 * (one eigenvalue 1/κ, the rest 1) and with a geometric spectrum from 1/κ to 1, against the
 * eigendecomposition's sqrtm (max over eigenvalues of the relative error, in float64).
 *
 *   npx tsx scripts/newton-schulz-error.ts [--n 32] [--kappa 10,100,1000,10000] [--iters 3,5,7,9,11,13,15,20]
 */
import { newtonSchulzScale, newtonSchulzSqrtm } from "../numeric/linalg/newton-schulz.js";
import { matmul } from "../numeric/linalg/matmul.js";
import { ndarray, type NDArray } from "../numeric/ndarray.js";
import { Random } from "../numeric/random.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 ? process.argv[i + 1] : dflt).split(",").map(Number);
};
const [n] = arg("n", "32");
const kappas = arg("kappa", "10,100,1000,10000");
const itersList = arg("iters", "3,5,7,9,11,13,15,20");

/** A random orthogonal n×n Q (Gram–Schmidt twice on a Gaussian matrix). */
function orthogonal(r: Random, n: number): Float64Array {
  const q = Float64Array.from({ length: n * n }, () => r.normal());
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < n; c++) {
      for (let p = 0; p < c; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * n + p] * q[i * n + c];
        for (let i = 0; i < n; i++) q[i * n + c] -= d * q[i * n + p];
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += q[i * n + c] ** 2;
      for (let i = 0; i < n; i++) q[i * n + c] /= Math.sqrt(s);
    }
  }
  return q;
}

function withSpectrum(q: Float64Array, lam: readonly number[]): NDArray {
  const x = ndarray([n, n]);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += q[i * n + c] * lam[c] * q[j * n + c];
    x.data[i * n + j] = x.data[j * n + i] = s;
  }
  return x;
}

/** max over eigenvectors qᵢ of |qᵢᵀ Y qᵢ − √λᵢ| / √λᵢ (the relative eigenvalue error). */
function eigenvalueError(y: NDArray, q: Float64Array, lam: readonly number[]): number {
  const yq = matmul(y, ndarray([n, n], q)).data;
  let worst = 0;
  for (let c = 0; c < n; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += q[i * n + c] * yq[i * n + c];
    worst = Math.max(worst, Math.abs(s - Math.sqrt(lam[c])) / Math.sqrt(lam[c]));
  }
  return worst;
}

const fmt = (e: number) => (e < 1e-15 ? "<1e-15" : e.toExponential(1)).padStart(8);
const r = new Random(1);
console.log(`n = ${n}: worst relative eigenvalue error of sqrtm(X, {method: "newton-schulz", iters: N})`);
console.log(`${"".padEnd(22)}${itersList.map((N) => `N=${N}`.padStart(8)).join("")}`);
for (const kappa of kappas) {
  const q = orthogonal(r, n);
  const worst = Array.from({ length: n }, (_, i) => (i === 0 ? 1 / kappa : 1));
  const geometric = Array.from({ length: n }, (_, i) => kappa ** (i / (n - 1) - 1));
  const bound = itersList.map((N) => 1 - newtonSchulzScale(1 / (1 + (n - 1) * kappa), N));
  const measured = (lam: number[]) => itersList.map((N) => eigenvalueError(newtonSchulzSqrtm(withSpectrum(q, lam), N), q, lam));
  console.log(`κ = ${String(kappa).padEnd(6)} bound      ${bound.map(fmt).join("")}`);
  console.log(`${"".padEnd(11)}worst spec ${measured(worst).map(fmt).join("")}`);
  console.log(`${"".padEnd(11)}geometric  ${measured(geometric).map(fmt).join("")}`);
}
