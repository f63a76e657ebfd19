/** A small dependency-free SVG line chart for training curves (loss, accuracy, rank). */

export interface Series {
  name: string;
  /** [x, y] points; non-finite y values are skipped. */
  points: ReadonlyArray<readonly [number, number]>;
  color?: string;
}

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Force the y range (e.g. [0, 1] for accuracy). */
  yRange?: readonly [number, number];
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const step0 = span / 5;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function label(t: number): string {
  return Math.abs(t) >= 1e4 || (Math.abs(t) < 1e-3 && t !== 0) ? t.toExponential(1) : String(Number(t.toPrecision(4)));
}

export function lineChartSvg(series: readonly Series[], opts: ChartOptions): string {
  const W = opts.width ?? 560;
  const H = opts.height ?? 340;
  const m = { l: 60, r: 130, t: 32, b: 44 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const pts = series.flatMap((s) => s.points.filter(([, y]) => Number.isFinite(y)));
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  let [y0, y1] = opts.yRange ?? [ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => m.t + ph - ((y - y0) / (y1 - y0)) * ph;
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2 - m.r / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(opts.title)}</text>`);
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${label(t)}</text>`);
  }
  for (const t of ticks(x0, x1)) {
    parts.push(`<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${m.t + ph}" y2="${m.t + ph + 4}" stroke="#333"/>`);
    parts.push(`<text x="${f(sx(t))}" y="${m.t + ph + 16}" text-anchor="middle">${label(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (opts.xLabel) parts.push(`<text x="${m.l + pw / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  if (opts.yLabel) parts.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const good = s.points.filter(([, y]) => Number.isFinite(y));
    if (good.length === 1) {
      const [x, y] = good[0];
      parts.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${color}"/>`);
    } else if (good.length > 1) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${good.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(" ")}"/>`);
    }
    const ly = m.t + 12 + i * 16;
    parts.push(`<line x1="${m.l + pw + 10}" x2="${m.l + pw + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${m.l + pw + 32}" y="${ly}">${escapeXml(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
