/** Data movement: transpose of the last two dims, reshape, diagonal extraction and construction. */
import { dimListAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { broadcastShapes, matrixDims, resolveReshape, squareDims } from "../shape.js";
import { type Dim, formatShape, tensorType } from "../types.js";
import { diag, diagm, transpose } from "../../numeric/movement.js";
import { broadcastTo } from "../../numeric/broadcast.js";
import { sameShape } from "./demand.js";

const table = new OpTable();

table.define({
  name: "transpose",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "swaps the last two dims (matrix transpose, batched)",
  infer: ([x]) => {
    const [batch, r, c] = matrixDims("transpose", x);
    return [tensorType(x.dtype, [...batch, c, r], x.structure)];
  },
  evalCPU: ([x]) => [transpose(x)],
  adjoint: ({ cotangents: [g], e }) => [e.transpose(g!)],
});

table.define({
  name: "reshape",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "same elements (row-major), new shape; one -1 is inferred",
  infer: ([x], attrs) => [tensorType(x.dtype, resolveReshape("reshape", x.shape, dimListAttr("reshape", attrs, "shape")))],
  evalCPU: ([x], attrs, ctx) => {
    const target = (attrs.shape as (number | string)[]).map((d) => (d === -1 ? -1 : ctx.dim(d)));
    const known = target.reduce<number>((p, d) => (d === -1 ? p : p * d), 1);
    const shape = target.map((d) => (d === -1 ? x.data.length / known : d));
    return [{ shape, data: x.data }];
  },
  adjoint: ({ inputs: [x], cotangents: [g], e }) => [e.reshape(g!, x.type.shape)],
});

table.define({
  name: "diag",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "the main diagonal of a square matrix: [..., n, n] → [..., n]",
  infer: ([x]) => {
    const [batch, n] = squareDims("diag", x);
    return [tensorType(x.dtype, [...batch, n])];
  },
  evalCPU: ([x]) => [diag(x)],
  adjoint: ({ cotangents: [g], e }) => [e.op("diagm", [g!])],
});

table.define({
  name: "diagm",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "the diagonal matrix of a vector: [..., n] → [..., n, n]",
  infer: ([v]) => {
    if (v.shape.length < 1) fail("MP2007", `diagm: input must be a vector (rank ≥ 1), got ${formatShape(v.shape)}`);
    const n = v.shape[v.shape.length - 1];
    return [tensorType(v.dtype, [...v.shape, n], "diagonal")];
  },
  evalCPU: ([v]) => [diagm(v)],
  adjoint: ({ cotangents: [g], e }) => [e.op("diag", [g!])],
});

table.define({
  name: "broadcastTo",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "NumPy broadcast_to: x repeated along new leading dims and dims of size 1 to `shape`",
  infer: ([x], attrs) => {
    const target = dimListAttr("broadcastTo", attrs, "shape");
    if (target.some((d) => typeof d === "number" && d < 0)) fail("MP2012", `broadcastTo: invalid target shape ${formatShape(target)}`);
    const out = x.shape.length <= target.length ? broadcastShapes("broadcastTo", x.shape, target) : null;
    if (!out || !sameShape(out, target)) fail("MP2003", `broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(target)}`);
    return [tensorType(x.dtype, target)];
  },
  evalCPU: ([x], attrs, ctx) => [broadcastTo(x, (attrs.shape as Dim[]).map((d) => ctx.dim(d)))],
  adjoint: ({ inputs: [x], cotangents: [g], e }) => [e.sumTo(g!, x.type.shape)],
});

/** The movement ops, for ir/registry.ts. */
export const MOVEMENT_OPS = table.ops;
