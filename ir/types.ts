/**
 * Types of IR values: dtype, shape (numbers or named symbolic dims) and matrix structure.
 *
 * Structure is a small lattice: general ⊇ symmetric ⊇ spd, with diagonal and projector also
 * symmetric, and orthogonal a kind of general matrix. Ops demand structure of their inputs
 * (`logm` needs spd) and infer it for their outputs (`cov` gives spd).
 */
import type { Structure } from "../numeric/structure-check.js";

/** Element types: floats, i32 (labels, indices) and bool (comparison results; not declarable for inputs). */
export type DType = "f32" | "f64" | "i32" | "bool";
export type Dim = number | string;
export type Shape = readonly Dim[];
export type { Structure };

/** The dtypes an input, param or constant can be declared with. */
export const DTYPES: readonly DType[] = ["f32", "f64", "i32"];
/** Every dtype a value can have (the text IR's types). */
export const VALUE_DTYPES: readonly DType[] = [...DTYPES, "bool"];
export const STRUCTURES: readonly Structure[] = ["general", "symmetric", "spd", "diagonal", "orthogonal", "projector"];

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly structure: Structure;
}

const SYMMETRIC: ReadonlySet<Structure> = new Set(["symmetric", "spd", "diagonal", "projector"]);

export function isSymmetric(s: Structure): boolean {
  return SYMMETRIC.has(s);
}

/** Does a value of structure `have` satisfy a demand for `want`? */
export function satisfies(have: Structure, want: Structure): boolean {
  if (want === "general") return true;
  if (want === "symmetric") return isSymmetric(have);
  return have === want;
}

export function isFloat(d: DType): boolean {
  return d === "f32" || d === "f64";
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return a === b;
}

export function formatDim(d: Dim): string {
  return typeof d === "number" ? String(d) : d;
}

export function formatShape(s: Shape): string {
  return `[${s.map(formatDim).join(", ")}]`;
}

export function formatType(t: TensorType): string {
  const dims = t.shape.map(formatDim).join(",");
  return `${t.dtype}[${dims}]${t.structure === "general" ? "" : " " + t.structure}`;
}

export function tensorType(dtype: DType, shape: Shape, structure: Structure = "general"): TensorType {
  // Structure only means something for square matrices; anything else is general.
  const square = shape.length >= 2 && shape[shape.length - 1] === shape[shape.length - 2];
  return { dtype, shape: [...shape], structure: square ? structure : "general" };
}

/** The float dtype two operands promote to (f64 wins), i32 only when both are i32 (bool counts as i32: 0 and 1). */
export function promote(a: DType, b: DType): DType {
  if (a === "f64" || b === "f64") return "f64";
  if (a === "f32" || b === "f32") return "f32";
  return "i32";
}
