/**
 * Dependency-free SVG charts for training curves: panels side by side in one figure with one
 * legend (both models on the same axes), linear or log y axes with round ticks at both ends, a
 * smoothed curve over its faint raw values, markers for sparse evaluations, and labelled
 * reference lines (chance accuracy).
 */
import { axis, tickLabel, type AxisScale } from "./chart-axis.js";

export interface Series {
  name: string;
  /** [x, y] points; non-finite y values (and, on a log axis, non-positive ones) are skipped. */
  points: ReadonlyArray<readonly [number, number]>;
  color?: string;
  /** Default "line". Use markers for a few evaluations, so each one is visible. */
  style?: "line" | "markers" | "line+markers";
  /** Thin and light: raw values behind a smoothed curve of the same series. */
  faint?: boolean;
  /** Leave out of the legend (default: in it, unless faint). */
  legend?: boolean;
}

export interface ReferenceLine {
  y: number;
  label: string;
}

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Size of the panel (a figure of several panels is their sum). */
  width?: number;
  height?: number;
  /** Force the y range (e.g. [0, 1] for accuracy). */
  yRange?: readonly [number, number];
  yScale?: AxisScale;
  /** Label y ticks as percentages of 1. */
  yPercent?: boolean;
  /** Horizontal dashed lines with a label, e.g. chance accuracy. */
  references?: readonly ReferenceLine[];
}

export interface Panel {
  series: readonly Series[];
  opts: ChartOptions;
}

export interface FigureOptions {
  /** Over the whole figure. */
  title?: string;
  /** A line of small print under the legend (what the thin and thick lines are, where full results are). */
  note?: string;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
const FONT = `font-family="'DejaVu Sans', Helvetica, Arial, sans-serif"`;

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f1 = (v: number) => v.toFixed(1);

/** One panel's markup, its top-left corner at (ox, oy). */
function panelSvg(p: Panel, colors: ReadonlyMap<string, string>, ox: number, oy: number): string {
  const { opts } = p;
  const W = opts.width ?? 480;
  const H = opts.height ?? 320;
  const m = { l: 58, r: 16, t: 28, b: 44 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const log = opts.yScale === "log";
  const usable = (y: number) => Number.isFinite(y) && (!log || y > 0);
  const pts = p.series.flatMap((s) => s.points.filter(([, y]) => usable(y)));
  const xs = pts.map(([x]) => x);
  const ys = [...pts.map(([, y]) => y), ...(opts.references ?? []).map((r) => r.y)];
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  // Steps count from 0: start the axis there when the data starts near it.
  const xa = axis("linear", xMin >= 0 && xMin <= 0.1 * xMax ? 0 : xMin, xMax);
  const [yLo, yHi] = opts.yRange ?? [ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1];
  const ya = axis(log ? "log" : "linear", yLo, yHi);
  const sx = (x: number) => ox + m.l + xa.at(x) * pw;
  const sy = (y: number) => oy + m.t + ph - ya.at(y) * ph;
  const out: string[] = [];
  out.push(`<text x="${f1(ox + m.l + pw / 2)}" y="${oy + 18}" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(opts.title)}</text>`);
  for (const t of ya.minor) out.push(`<line x1="${ox + m.l}" x2="${ox + m.l + pw}" y1="${f1(sy(t))}" y2="${f1(sy(t))}" stroke="#f2f2f2"/>`);
  for (const t of ya.ticks) {
    out.push(`<line x1="${ox + m.l}" x2="${ox + m.l + pw}" y1="${f1(sy(t))}" y2="${f1(sy(t))}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${ox + m.l - 6}" y="${f1(sy(t) + 4)}" text-anchor="end">${tickLabel(t, opts.yPercent)}</text>`);
  }
  for (const t of xa.ticks) {
    out.push(`<line x1="${f1(sx(t))}" x2="${f1(sx(t))}" y1="${oy + m.t + ph}" y2="${oy + m.t + ph + 4}" stroke="#333"/>`);
    out.push(`<text x="${f1(sx(t))}" y="${oy + m.t + ph + 16}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  out.push(`<rect x="${ox + m.l}" y="${oy + m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (opts.xLabel) out.push(`<text x="${f1(ox + m.l + pw / 2)}" y="${oy + H - 8}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  if (opts.yLabel) out.push(`<text transform="translate(${ox + 14} ${f1(oy + m.t + ph / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel + (log ? " (log scale)" : ""))}</text>`);
  for (const r of opts.references ?? []) {
    out.push(`<line x1="${ox + m.l}" x2="${ox + m.l + pw}" y1="${f1(sy(r.y))}" y2="${f1(sy(r.y))}" stroke="#777" stroke-width="1.2" stroke-dasharray="5 4"/>`);
    // Above the line, or below it when the line runs along the top of the plot.
    const ly = sy(r.y) - (oy + m.t) < 16 ? sy(r.y) + 14 : sy(r.y) - 5;
    out.push(`<text x="${ox + m.l + pw - 6}" y="${f1(ly)}" text-anchor="end" fill="#555">${escapeXml(r.label)}</text>`);
  }
  // Faint series first, so the curves they sit behind are drawn over them.
  for (const s of [...p.series].sort((a, b) => Number(!!b.faint) - Number(!!a.faint))) {
    const color = s.color ?? colors.get(s.name) ?? PALETTE[0];
    const good = s.points.filter(([, y]) => usable(y));
    const style = s.style ?? "line";
    if (style !== "markers" && good.length > 1) {
      const width = s.faint ? 0.9 : 2;
      const opacity = s.faint ? ` stroke-opacity="0.3"` : "";
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="${width}"${opacity} stroke-linejoin="round" points="${good.map(([x, y]) => `${f1(sx(x))},${f1(sy(y))}`).join(" ")}"/>`);
    }
    if (style !== "line" || good.length === 1) {
      for (const [x, y] of good) out.push(`<circle cx="${f1(sx(x))}" cy="${f1(sy(y))}" r="3.6" fill="${color}" stroke="white" stroke-width="1.2"><title>${escapeXml(`${s.name}: ${tickLabel(x)}, ${y.toPrecision(4)}`)}</title></circle>`);
    }
  }
  return out.join("\n");
}

/** Panels side by side under one title, with one legend for all of them (series matched by name). */
export function chartsSvg(panels: readonly Panel[], fig: FigureOptions = {}): string {
  const names: string[] = [];
  for (const p of panels) for (const s of p.series) if (s.legend !== false && !s.faint && !names.includes(s.name)) names.push(s.name);
  const colors = new Map(names.map((n, i) => [n, PALETTE[i % PALETTE.length]]));
  for (const p of panels) for (const s of p.series) if (s.color && !colors.has(s.name)) colors.set(s.name, s.color);
  const head = (fig.title ? 26 : 6) + 22 + (fig.note ? 18 : 0);
  const W = panels.reduce((w, p) => w + (p.opts.width ?? 480), 0);
  const H = head + Math.max(...panels.map((p) => p.opts.height ?? 320));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT} font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (fig.title) out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(fig.title)}</text>`);
  // The legend: one row, centred.
  const legendY = (fig.title ? 26 : 6) + 14;
  const itemWidth = (n: string) => 30 + n.length * 6.6;
  let lx = (W - names.reduce((w, n) => w + itemWidth(n) + 14, -14)) / 2;
  for (const n of names) {
    out.push(`<line x1="${f1(lx)}" x2="${f1(lx + 22)}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${colors.get(n)}" stroke-width="2.5"/>`);
    out.push(`<text x="${f1(lx + 28)}" y="${legendY}" font-size="12">${escapeXml(n)}</text>`);
    lx += itemWidth(n) + 14;
  }
  if (fig.note) out.push(`<text x="${W / 2}" y="${legendY + 18}" text-anchor="middle" fill="#555">${escapeXml(fig.note)}</text>`);
  let ox = 0;
  for (const p of panels) {
    out.push(panelSvg(p, colors, ox, head));
    ox += p.opts.width ?? 480;
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** One panel as a figure of its own. */
export function lineChartSvg(series: readonly Series[], opts: ChartOptions): string {
  return chartsSvg([{ series, opts }]);
}

/**
 * Exponential moving average of per-step values, bias-corrected (divided by 1 − βᵗ, as Adam does)
 * so the first steps are not pulled towards zero: `[step, smoothed]` for steps 1, 2, ….
 */
export function ema(values: readonly number[], beta: number): [number, number][] {
  let m = 0;
  return values.map((v, i) => {
    m = beta * m + (1 - beta) * v;
    return [i + 1, m / (1 - beta ** (i + 1))];
  });
}

/** A smoothing factor for `steps` steps: an average over about 1/20 of the run, at least 5 steps. */
export function emaBeta(steps: number): number {
  return 1 - 1 / Math.max(5, Math.round(steps / 20));
}
