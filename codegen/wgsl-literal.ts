/**
 * WGSL float literals, written once. A literal must read as a float whatever its magnitude: JavaScript
 * prints integers below 1e21 without a point or exponent ("10293942465593344"), which WGSL reads as an
 * integer literal that does not fit i32 — a kernel that fails to compile (the random-program campaign
 * found it through a constant 1.03e16 in a training step). So a point is added whenever there is
 * neither a point nor an exponent; negative literals are parenthesised for use inside expressions.
 */

/** A WGSL float literal for a finite number. */
export function floatLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`no WGSL float literal for ${x}`);
  const s = String(x);
  const f = /[.eE]/.test(s) ? s : `${s}.0`;
  return x < 0 ? `(${f})` : f;
}
