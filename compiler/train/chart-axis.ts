/**
 * Axes for the training charts: a linear axis extended to round tick values at both ends (so
 * there is always a tick at the bottom and at the top), or a log axis between 1-2-5 values with
 * ticks at each of them (only decades when the range spans many).
 */

export type AxisScale = "linear" | "log";

export interface Axis {
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  /** Unlabelled grid lines between ticks (a log axis's 3, 4, 6, …). */
  readonly minor: readonly number[];
  /** Position of `v` as a fraction of the axis length, 0 at `lo`. */
  readonly at: (v: number) => number;
}

/** A round step (1, 2 or 5 × 10^k) giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
}

/** `[lo, hi]` widened to multiples of a round step, with a tick at each multiple. */
export function linearAxis(lo: number, hi: number, count = 5): Axis {
  if (!(hi > lo)) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) * 0.5, hi + Math.abs(hi) * 0.5];
  const step = niceStep(hi - lo, count);
  const a = Math.floor(lo / step + 1e-9) * step;
  const b = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; a + i * step <= b + step * 1e-9; i++) ticks.push(Number((a + i * step).toPrecision(12)));
  const [first, last] = [ticks[0], ticks[ticks.length - 1]];
  return { lo: first, hi: last, ticks, minor: [], at: (v) => (v - first) / (last - first) };
}

const MANTISSAS = [1, 2, 5];

/** The 1-2-5 values from the largest one ≤ lo to the smallest one ≥ hi (lo > 0). */
function oneTwoFive(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) for (const m of MANTISSAS) out.push(Number((m * 10 ** e).toPrecision(12)));
  const first = out.filter((v) => v <= lo * (1 + 1e-9)).length - 1;
  const last = out.findIndex((v) => v >= hi * (1 - 1e-9));
  return out.slice(Math.max(0, first), last + 1);
}

/** A log axis over positive values; non-positive data cannot be shown on it. */
export function logAxis(lo: number, hi: number): Axis {
  if (!(lo > 0)) throw new RangeError(`log axis: values must be positive, got ${lo}`);
  if (!(hi > lo)) [lo, hi] = [lo / 2, hi * 2];
  const values = oneTwoFive(lo, hi);
  const a = values[0];
  const b = values[values.length - 1];
  // Every 1-2-5 value while there are few; only decades (and the ends) beyond that.
  const ticks = values.length <= 9 ? values : values.filter((v, i) => i === 0 || i === values.length - 1 || Number(v.toExponential(0).split("e")[0]) === 1);
  const la = Math.log10(a);
  const lb = Math.log10(b);
  const minor: number[] = [];
  for (let e = Math.floor(la); e < lb; e++) for (let m = 1; m < 10; m++) {
    const v = Number((m * 10 ** e).toPrecision(12));
    if (v > a && v < b && !ticks.includes(v)) minor.push(v);
  }
  return { lo: a, hi: b, ticks, minor, at: (v) => (Math.log10(v) - la) / (lb - la) };
}

export function axis(scale: AxisScale, lo: number, hi: number): Axis {
  return scale === "log" ? logAxis(lo, hi) : linearAxis(lo, hi);
}

/** A tick label: short, no float noise ("0.3", "1e-4", "20k"); `percent` shows fractions as %. */
export function tickLabel(v: number, percent = false): string {
  if (percent) return `${Number((v * 100).toPrecision(4))}%`;
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4) return a >= 1e6 ? v.toExponential(0) : `${Number((v / 1000).toPrecision(3))}k`;
  if (a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}
