/** Type-level assertions for the static-typing tests (only type-checked, never executed). */
import type { Tensor } from "matprop";

export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
export type Expect<T extends true> = T;
export type ShapeOf<T> = T extends Tensor<infer S> ? S : never;
export type StructureOf<T> = T extends Tensor<infer _S, infer St> ? St : never;
