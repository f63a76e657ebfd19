/**
 * Static rules of issue 12's linalg ops (the companion of static-rejections.ts, same conventions:
 * only type-checked, each `// @ts-expect-error -- <reason>` proves a rejection, `Expect<Equal<…>>`
 * pins result types): structure demands (eigvalsh symmetric, powm and the Newton–Schulz sqrtm SPD),
 * square matrices for det/slogdet, the norms' `ord`, and the shapes of qr, pinv, svd, norms and
 * determinants, with min(m, n) computed for literal sizes.
 */
import { model, ops, linalg } from "matprop";
import type { Equal, Expect, ShapeOf, StructureOf } from "./expect.js";


export const linalgFunctions = model("linalg-functions", ({ input }) => {
  const G = input("G", [4, 4]);
  const S = input("S", [4, 4], { structure: "symmetric" });
  const P = input("P", [4, 4], { structure: "spd" });
  const T = input("T", [5, 3]);
  // @ts-expect-error -- eigvalsh needs a symmetric-typed matrix: "general"
  linalg.eigvalsh(G);
  // @ts-expect-error -- powm needs an SPD-typed matrix: "symmetric"
  linalg.powm(S, 0.5);
  // @ts-expect-error -- sqrtm needs an SPD-typed matrix: "general"
  linalg.sqrtm(G, { method: "newton-schulz", iters: 5 });
  // @ts-expect-error -- det needs a square matrix: [5, 3]
  linalg.det(T);
  // @ts-expect-error -- slogdet needs a square matrix: [5, 3]
  linalg.slogdet(T);
  // @ts-expect-error -- Type '1' is not assignable to type '"fro" | "nuc" | 2 | undefined' (numpy's ord 1 is not offered)
  linalg.norm(G, { ord: 1 });
  // @ts-expect-error -- iters is required with method "newton-schulz"
  linalg.sqrtm(P, { method: "newton-schulz" });

  // Accepted, with shapes and structures pinned.
  const w = linalg.eigvalsh(S);
  type _w = Expect<Equal<ShapeOf<typeof w>, [4]>>;
  const d = linalg.det(input("Db", ["B", 4, 4]));
  type _d = Expect<Equal<ShapeOf<typeof d>, ["B"]>>;
  const [sign, logAbs] = linalg.slogdet(G);
  type _sl = Expect<Equal<ShapeOf<typeof sign> | ShapeOf<typeof logAbs>, []>>;
  const fro = linalg.norm(input("Nb", ["B", 3, 4]));
  type _fro = Expect<Equal<ShapeOf<typeof fro>, ["B"]>>;
  const rows = linalg.norm(T, { axis: -1 });
  type _rows = Expect<Equal<ShapeOf<typeof rows>, [5]>>;
  const [Q, R] = linalg.qr(T);
  type _q = Expect<Equal<ShapeOf<typeof Q>, [5, 3]>>;
  type _r = Expect<Equal<ShapeOf<typeof R>, [3, 3]>>;
  const Tp = linalg.pinv(T);
  type _tp = Expect<Equal<ShapeOf<typeof Tp>, [3, 5]>>;
  const O = linalg.polar(G);
  type _o = Expect<Equal<StructureOf<typeof O>, "orthogonal">>;
  const half = linalg.powm(linalg.cov(T, { eps: 1e-3 }), 0.5);
  type _h = Expect<Equal<StructureOf<typeof half>, "spd">>;
  const ns = linalg.sqrtm(P, { method: "newton-schulz", iters: 5 });
  type _ns = Expect<Equal<StructureOf<typeof ns>, "spd">>;
  type _nss = Expect<Equal<ShapeOf<typeof ns>, readonly [4, 4]>>;
  const [, Sv] = linalg.svd(input("Wide", [3, 7]));
  type _sv = Expect<Equal<ShapeOf<typeof Sv>, [3]>>;
  linalg.logm(linalg.powm(ns, -0.5));
  return { loss: ops.add(ops.add(ops.sum(w), ops.sum(d)), ops.sum(Tp)) };
});
