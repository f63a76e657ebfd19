/**
 * Shrunk counterexamples of the random-program campaigns, each named for what it was: the program
 * as text IR, its input descriptors (distribution + seed, inputs.ts), and the verdicts it must
 * reach now (default: both phases agree). Run by regressions.test.ts.
 */
import type { InputSpec } from "./inputs.js";

export interface Regression {
  readonly name: string;
  readonly ir: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  /** Expected WebGPU outcome kinds of [forward, training step] when not both "agree" (e.g. "both-failed"). */
  readonly webgpu?: readonly [string, string];
  /** Expected finite-difference outcome when not "agree" (e.g. "skipped" for a program that must fail). */
  readonly gradients?: string;
}

export const REGRESSIONS: readonly Regression[] = [
  {
    name: "lowering: X@W + A@B (3×9) — a product's fused epilogue read the other product before it was written (forward and training step off by O(1))",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,3]
  %1 = input {name="x1"} : f32[3,9]
  %2 = matmul %0, %1 : f32[3,9]
  %3 = param {name="p2", init="normal"} : f32[3,3]
  %4 = param {name="p3", init="normal"} : f32[3,9]
  %5 = matmul %3, %4 : f32[3,9]
  %6 = add %2, %5 : f32[3,9]
  %7 = constant {value=0.12153257429599762} : f32[]
  %8 = mul %6, %7 : f32[3,9]
  %9 = sum %8 {axis=null, keepdims=false} : f32[]
  return loss=%9, y0=%8
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838},"p2":{"dist":"normal","seed":23757},"p3":{"dist":"normal","seed":31676}},
  },
  {
    name: "lowering: S@S + S@S (9×9, two equal product nodes) — training step read an unwritten or stale buffer (grad off by O(1))",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[9,9]
  %1 = add %0, %0 : f32[9,9]
  %2 = constant {value=0.23866070806980133} : f32[]
  %3 = mul %1, %2 : f32[9,9]
  %4 = matmul %3, %3 : f32[9,9]
  %5 = matmul %3, %3 : f32[9,9]
  %6 = add %4, %5 : f32[9,9]
  %7 = neg %6 : f32[9,9]
  %8 = input {name="x1"} : f32[9,9]
  %9 = mul %7, %8 : f32[9,9]
  %10 = sum %9 {axis=null, keepdims=false} : f32[]
  return loss=%10
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: diag(expm(c·F Fᵀ)), F 3×9 — training step read an unwritten or stale buffer (grad off by 50%)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,9]
  %1 = transpose %0 : f32[9,3]
  %2 = matmul %0, %1 : f32[3,3] symmetric
  %3 = constant {value=0.07359971851110458} : f32[]
  %4 = mul %2, %3 : f32[3,3] symmetric
  %5 = expm %4 : f32[3,3] spd
  %6 = diag %5 : f32[3]
  %7 = input {name="x1"} : f32[3]
  %8 = mul %6, %7 : f32[3]
  %9 = sum %8 {axis=null, keepdims=false} : f32[]
  return loss=%9
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: hand-written U·diag(exp(w/2))·Uᵀ of c·F Fᵀ (spectralApply) — training step read an unwritten or stale buffer",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,9]
  %1 = transpose %0 : f32[9,3]
  %2 = matmul %0, %1 : f32[3,3] symmetric
  %3 = constant {value=0.07359971851110458} : f32[]
  %4 = mul %2, %3 : f32[3,3] symmetric
  %5, %6 = eigh %4 : f32[3], f32[3,3] orthogonal
  %7 = constant {value=0.5} : f32[]
  %8 = mul %5, %7 : f32[3]
  %9 = exp %8 : f32[3]
  %10 = transpose %6 : f32[3,3] orthogonal
  %11 = diagm %9 : f32[3,3] diagonal
  %12 = matmul %6, %11 : f32[3,3]
  %13 = matmul %12, %10 : f32[3,3] symmetric
  %14 = input {name="x1"} : f32[3,3]
  %15 = mul %13, %14 : f32[3,3]
  %16 = sum %15 {axis=null, keepdims=false} : f32[]
  return loss=%16
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: polar factor U·Vh of a tall 9×3 SVD (issue 9 repro 3) — training step read a stale buffer (grad off by 2.6×)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[9,3]
  %1, %2, %3 = svd %0 : f32[9,3], f32[3], f32[3,3]
  %4 = matmul %1, %3 : f32[9,3]
  %5 = input {name="x1"} : f32[9,3]
  %6 = mul %4, %5 : f32[9,3]
  %7 = sum %6 {axis=null, keepdims=false} : f32[]
  return loss=%7
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: (U·Vh)ᵀ(U·Vh) of a wide 3×9 SVD — training step read a stale buffer (grad off by O(1))",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,9]
  %1, %2, %3 = svd %0 : f32[3,3], f32[3], f32[3,9]
  %4 = matmul %1, %3 : f32[3,9]
  %5 = transpose %4 : f32[9,3]
  %6 = matmul %5, %4 : f32[9,9] symmetric
  %7 = input {name="x1"} : f32[9,9]
  %8 = mul %6, %7 : f32[9,9]
  %9 = sum %8 {axis=null, keepdims=false} : f32[]
  return loss=%9
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: cov of the eigenvectors of c·F Fᵀ plus mean of the eigenvalues — training step read an unwritten or stale buffer",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,9]
  %1 = transpose %0 : f32[9,3]
  %2 = matmul %0, %1 : f32[3,3] symmetric
  %3 = constant {value=0.07359971851110458} : f32[]
  %4 = mul %2, %3 : f32[3,3] symmetric
  %5, %6 = eigh %4 : f32[3], f32[3,3] orthogonal
  %7 = cov %6 {eps=0.1} : f32[3,3] spd
  %8 = input {name="x1"} : f32[3,3]
  %9 = mul %7, %8 : f32[3,3]
  %10 = sum %9 {axis=null, keepdims=false} : f32[]
  %11 = mean %5 {axis=null, keepdims=false} : f32[]
  %12 = add %10, %11 : f32[]
  return loss=%12
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: 1×1 conv of a 5×5 image read as a matrix batch, sqrtm and a Cholesky solve — training step gradients off by 1e-2..7e-2",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[1,1,5,5]
  %1 = param {name="p1", init="normal"} : f32[1,1,1,1]
  %2 = conv2d %0, %1 {stride=[1, 1], padding=[0, 0]} : f32[1,1,5,5]
  %3 = param {name="p2", init="normal"} : f32[1]
  %4 = reshape %3 {shape=[-1, 1, 1]} : f32[1,1,1]
  %5 = add %2, %4 : f32[1,1,5,5]
  %6 = constant {value=0.20901167392730713} : f32[]
  %7 = mul %5, %6 : f32[1,1,5,5]
  %8 = transpose %7 : f32[1,1,5,5]
  %9 = add %7, %8 : f32[1,1,5,5] symmetric
  %10 = constant {value=0.5} : f32[]
  %11 = mul %9, %10 : f32[1,1,5,5] symmetric
  %12 = eye : f32[5,5] spd
  %13 = constant {value=1.1675136089324951} : f32[]
  %14 = mul %12, %13 : f32[5,5] symmetric
  %15 = add %11, %14 : f32[1,1,5,5] symmetric
  %16 = assume %15 {structure="spd"} : f32[1,1,5,5] spd
  %17 = sqrtm %16 : f32[1,1,5,5] spd
  %18 = cov %7 {eps=0.1} : f32[1,1,5,5] spd
  %19 = cholesky %18 : f32[1,1,5,5]
  %20 = input {name="x3"} : f32[1,1,5,3]
  %21 = solve %19, %20 : f32[1,1,5,3]
  %22 = constant {value=0.2080967128276825} : f32[]
  %23 = mul %21, %22 : f32[1,1,5,3]
  %24 = input {name="x4"} : f32[1,1,5,3]
  %25 = mul %23, %24 : f32[1,1,5,3]
  %26 = sum %25 {axis=null, keepdims=false} : f32[]
  %27 = mean %17 {axis=null, keepdims=false} : f32[]
  %28 = add %26, %27 : f32[]
  return loss=%28
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"p1":{"dist":"normal","scale":1,"seed":15838},"p2":{"dist":"normal","seed":23757},"x3":{"dist":"normal","seed":31676},"x4":{"dist":"normal","seed":39595}},
  },
  {
    name: "simplifier: eigvals of sqrtm(S)ᵀ·sqrtm(S) — rewriting Xᵀ to X for a symmetric X lost XᵀX's symmetry, so the training step could not be built (MP2002)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,3]
  %1 = transpose %0 : f32[3,3]
  %2 = add %0, %1 : f32[3,3] symmetric
  %3 = constant {value=0.5} : f32[]
  %4 = mul %2, %3 : f32[3,3] symmetric
  %5 = eye : f32[3,3] spd
  %6 = constant {value=1.2364153861999512} : f32[]
  %7 = mul %5, %6 : f32[3,3] symmetric
  %8 = add %4, %7 : f32[3,3] symmetric
  %9 = assume %8 {structure="spd"} : f32[3,3] spd
  %10 = sqrtm %9 : f32[3,3] spd
  %11 = transpose %10 : f32[3,3] spd
  %12 = matmul %11, %10 : f32[3,3] symmetric
  %13, %14 = eigh %12 : f32[3], f32[3,3] orthogonal
  %15 = input {name="x1"} : f32[3]
  %16 = mul %13, %15 : f32[3]
  %17 = sum %16 {axis=null, keepdims=false} : f32[]
  return loss=%17
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "failure report: assume(S − c·I, \"spd\") of an indefinite S feeding logm — WebGPU returned a finite loss; must fail with MP5001 at the assume",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[9,3]
  %1 = transpose %0 : f32[3,9] @"fuzz":2:1
  %2 = matmul %0, %1 : f32[9,9] symmetric @"fuzz":3:1
  %3 = constant {value=0.19285190105438232} : f32[] @"fuzz":4:1
  %4 = mul %2, %3 : f32[9,9] symmetric @"fuzz":5:1
  %5 = eye : f32[9,9] spd @"fuzz":6:1
  %6 = constant {value=0.9774578213691711} : f32[] @"fuzz":7:1
  %7 = mul %5, %6 : f32[9,9] symmetric @"fuzz":8:1
  %8 = sub %4, %7 : f32[9,9] symmetric @"fuzz":9:1
  %9 = assume %8 {structure="spd"} : f32[9,9] spd @"fuzz":10:1
  %10 = logm %9 : f32[9,9] symmetric @"fuzz":11:1
  %11 = sum %10 {axis=null, keepdims=false} : f32[] @"fuzz":12:1
  return loss=%11
}
`,
    inputs: {"x0":{"dist":"normal","seed":7922}},
    webgpu: ["both-failed", "both-failed"],
    gradients: "skipped",
  },
  {
    name: "failure report: assume(A, \"symmetric\") of a non-symmetric A feeding eigh — WebGPU returned numbers; must fail at the assume",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[9,9]
  %1 = assume %0 {structure="symmetric"} : f32[9,9] symmetric @"fuzz":2:1
  %2, %3 = eigh %1 : f32[9], f32[9,9] orthogonal @"fuzz":3:1
  %4 = sum %2 {axis=null, keepdims=false} : f32[] @"fuzz":4:1
  return loss=%4
}
`,
    inputs: {"x0":{"dist":"normal","seed":7922}},
    webgpu: ["both-failed", "both-failed"],
    gradients: "skipped",
  },
  {
    name: "failure report: log of negative entries fused into the loss's sum — WebGPU returned −87.3 per entry; must fail at the log",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[9,3]
  %1 = constant {value=3.348738670349121} : f32[] @"fuzz":2:1
  %2 = sub %0, %1 : f32[9,3] @"fuzz":3:1
  %3 = log %2 : f32[9,3] @"fuzz":4:1
  %4 = sum %3 {axis=null, keepdims=false} : f32[] @"fuzz":5:1
  return loss=%4
}
`,
    inputs: {"x0":{"dist":"normal","seed":7922}},
    webgpu: ["both-failed", "both-failed"],
    gradients: "skipped",
  },
  {
    name: "failure report: sqrt of a matrix with one negative entry, then relu — WebGPU hid the NaN; must fail at the sqrt",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[9,3]
  %1 = constant {value=3.348738670349121} : f32[] @"fuzz":2:1
  %2 = sub %0, %1 : f32[9,3] @"fuzz":3:1
  %3 = sqrt %2 : f32[9,3] @"fuzz":4:1
  %4 = constant {value=0} : f32[] @"fuzz":5:1
  %5 = maximum %3, %4 : f32[9,3] @"fuzz":6:1
  %6 = sum %5 {axis=null, keepdims=false} : f32[] @"fuzz":7:1
  return loss=%6
}
`,
    inputs: {"x0":{"dist":"normal","seed":7922}},
    webgpu: ["both-failed", "both-failed"],
    gradients: "skipped",
  },
  {
    name: "lowering: training step of ncuts + a hand-written spectral fn + svd — a fused elementwise kernel bound 13 storage buffers, past the device's 12 (MP6002 where the CPU computes)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,3]
  %1 = input {name="x1"} : f32[3,1]
  %2 = matmul %0, %1 : f32[3,1] @"fuzz":3:1
  %3 = input {name="x2"} : f32[3,1]
  %4 = sub %2, %3 : f32[3,1] @"fuzz":5:1
  %5 = constant {value=2} : f32[] @"fuzz":6:1
  %6 = maximum %4, %5 : f32[3,1] @"fuzz":7:1
  %7 = sum %6 {axis=null, keepdims=false} : f32[] @"fuzz":8:1
  %8 = constant {value=0.1666666716337204} : f32[] @"fuzz":9:1
  %9 = mul %7, %8 : f32[] @"fuzz":10:1
  %10 = transpose %6 : f32[1,3] @"fuzz":11:1
  %11 = matmul %6, %10 : f32[3,3] symmetric @"fuzz":12:1
  %12, %13 = eigh %11 : f32[3], f32[3,3] orthogonal @"fuzz":13:1
  %14 = constant {value=0.5} : f32[] @"fuzz":14:1
  %15 = mul %12, %14 : f32[3] @"fuzz":15:1
  %16 = exp %15 : f32[3] @"fuzz":16:1
  %17 = transpose %13 : f32[3,3] orthogonal @"fuzz":17:1
  %18 = diagm %16 : f32[3,3] diagonal @"fuzz":18:1
  %19 = matmul %13, %18 : f32[3,3] @"fuzz":19:1
  %20 = matmul %19, %17 : f32[3,3] symmetric @"fuzz":20:1
  %21 = constant {value=0.007399572990834713} : f32[] @"fuzz":21:1
  %22 = mul %20, %21 : f32[3,3] symmetric @"fuzz":22:1
  %23 = input {name="x3"} : f32[3,3]
  %24, %25, %26 = svd %23 : f32[3,3], f32[3], f32[3,3] @"fuzz":24:1
  %27 = exp %6 : f32[3,1] @"fuzz":25:1
  %28 = transpose %27 : f32[1,3] @"fuzz":26:1
  %29 = matmul %27, %28 : f32[3,3] symmetric @"fuzz":27:1
  %30 = sum %29 {axis=[-1], keepdims=true} : f32[3,1] @"fuzz":28:1
  %31 = sqrt %30 : f32[3,1] @"fuzz":29:1
  %32 = div %27, %31 : f32[3,1] @"fuzz":30:1
  %33 = rangeProjector %32 : f32[3,3] projector @"fuzz":31:1
  %34 = mean %33 {axis=null, keepdims=false} : f32[] @"fuzz":32:1
  %35 = mul %22, %22 : f32[3,3] symmetric @"fuzz":33:1
  %36 = sum %35 {axis=null, keepdims=false} : f32[] @"fuzz":34:1
  %37 = constant {value=0.5} : f32[] @"fuzz":35:1
  %38 = mul %36, %37 : f32[] @"fuzz":36:1
  %39 = input {name="x4"} : f32[3,1]
  %40 = mul %6, %39 : f32[3,1] @"fuzz":38:1
  %41 = sum %40 {axis=null, keepdims=false} : f32[] @"fuzz":39:1
  %42 = add %34, %38 : f32[] @"fuzz":40:1
  %43 = add %42, %41 : f32[] @"fuzz":41:1
  return loss=%43
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838},"x2":{"dist":"normal","seed":23757},"x3":{"dist":"normal","seed":31676},"x4":{"dist":"normal","seed":39595}},
  },
  {
    name: "simplifier: f32 cross-entropy plus an f64 term — folding (x·c₁)/c₂ gave the backward's f64 division an f32 type (MP9001 once rewrites were checked)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,4]
  %1 = input {name="x1"} : i32[3]
  %2 = softmaxCrossEntropy %0, %1 : f32[] @"fuzz":3:1
  %3 = input {name="x2"} : f32[3,3]
  %4 = input {name="x3"} : f64[3,3]
  %5 = matmul %3, %4 : f64[3,3] @"fuzz":6:1
  %6 = input {name="x4"} : f32[3,3]
  %7 = matmul %5, %6 : f64[3,3] @"fuzz":8:1
  %8 = constant {value=0.17642763257026672} : f32[] @"fuzz":9:1
  %9 = mul %7, %8 : f64[3,3] @"fuzz":10:1
  %10 = input {name="x5"} : f64[3,3]
  %11 = mul %9, %10 : f64[3,3] @"fuzz":12:1
  %12 = sum %11 {axis=null, keepdims=false} : f64[] @"fuzz":13:1
  %13 = add %2, %12 : f64[] @"fuzz":14:1
  return loss=%13
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"labels","classes":4,"seed":15838},"x2":{"dist":"normal","seed":23757},"x3":{"dist":"normal","seed":31676},"x4":{"dist":"normal","seed":39595},"x5":{"dist":"normal","seed":47514}},
  },
  {
    name: "lowering: pinv of a reshape (a view since reshapes became views) — the SVD kernel bound the view's id where fusion listed the viewed buffer (MP9001 where the CPU computes; polar alike)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,3]
  %1 = reshape %0 {shape=[3, 3, 1]} : f32[3,3,1] @"fuzz":2:1
  %2 = pinv %1 : f32[3,1,3] @"fuzz":3:1
  %3 = input {name="x1"} : f32[3,1,3]
  %4 = mul %2, %3 : f32[3,1,3] @"fuzz":5:1
  %5 = sum %4 {axis=null, keepdims=false} : f32[] @"fuzz":6:1
  return loss=%5
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: Frobenius norm of a reshape (a view) — the squares kernel bound the view's id where fusion listed the viewed buffer (MP9001 where the CPU computes; nuclear and 2-norm alike)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,3]
  %1 = reshape %0 {shape=[3, 3, 1]} : f32[3,3,1] @"fuzz":2:1
  %2 = norm %1 {ord="fro", vector=false} : f32[3] @"fuzz":3:1
  %3 = input {name="x1"} : f32[3]
  %4 = mul %2, %3 : f32[3] @"fuzz":5:1
  %5 = sum %4 {axis=null, keepdims=false} : f32[] @"fuzz":6:1
  return loss=%5
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919},"x1":{"dist":"normal","seed":15838}},
  },
  {
    name: "lowering: a float constant of 1.03e16 written as the WGSL literal 10293942465593344, which WGSL reads as an integer that does not fit i32 (the training step's kernel failed to compile, MP6003, where the CPU computes)",
    ir: `graph "fuzz" {
  %0 = input {name="x0"} : f32[3,3]
  %1 = transpose %0 : f32[3,3] @"fuzz":2:1
  %2 = add %0, %1 : f32[3,3] symmetric @"fuzz":3:1
  %3 = constant {value=0.5} : f32[] @"fuzz":4:1
  %4 = mul %2, %3 : f32[3,3] symmetric @"fuzz":5:1
  %5, %6 = eigh %4 : f32[3], f32[3,3] orthogonal @"fuzz":6:1
  %7, %8 = slogdet %6 : f32[], f32[] @"fuzz":7:1
  %9 = constant {value=10293942465593344} : f32[] @"fuzz":8:1
  %10 = mul %8, %9 : f32[] @"fuzz":9:1
  return loss=%10
}
`,
    inputs: {"x0":{"dist":"normal","seed":7919}},
  },
];
