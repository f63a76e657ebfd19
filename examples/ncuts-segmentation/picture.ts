/** An SVG of scenes side by side: image, ground truth, segments before and after training. */
import { escapeXml } from "../../compiler/train/index.js";

const SEGMENT_COLOURS = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628"];

/** Relabel `pred` by the permutation of labels that agrees most with `truth` (k ≤ 6: brute force). */
export function matchLabels(pred: readonly number[], truth: ArrayLike<number>, k: number): number[] {
  const perms = (xs: number[]): number[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
  let best = [...pred];
  let bestAgree = -1;
  for (const p of perms(Array.from({ length: k }, (_, i) => i))) {
    const mapped = pred.map((l) => p[l]);
    const agree = mapped.filter((l, i) => l === truth[i]).length;
    if (agree > bestAgree) [best, bestAgree] = [mapped, agree];
  }
  return best;
}

export interface PictureRow {
  image: Float64Array;
  truth: ArrayLike<number>;
  panels: { title: string; labels: ArrayLike<number> }[];
}

export function segmentationSvg(rows: readonly PictureRow[], size: number, cell = 8): string {
  const side = size * cell;
  const gap = 14;
  const cols = 2 + (rows[0]?.panels.length ?? 0);
  const W = cols * (side + gap) + gap;
  const H = rows.length * (side + gap + 14) + gap + 14;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11" shape-rendering="crispEdges">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  const clamp = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  const titles = ["image", "ground truth", ...(rows[0]?.panels.map((p) => p.title) ?? [])];
  titles.forEach((t, c) => out.push(`<text x="${gap + c * (side + gap) + side / 2}" y="${gap + 4}" text-anchor="middle">${escapeXml(t)}</text>`));
  rows.forEach((row, r) => {
    const y0 = gap + 14 + r * (side + gap + 14);
    const grid = (c: number, fill: (i: number) => string) => {
      const x0 = gap + c * (side + gap);
      for (let i = 0; i < size * size; i++) out.push(`<rect x="${x0 + (i % size) * cell}" y="${y0 + Math.floor(i / size) * cell}" width="${cell}" height="${cell}" fill="${fill(i)}"/>`);
    };
    const n = size * size;
    grid(0, (i) => `rgb(${clamp(row.image[i])},${clamp(row.image[n + i])},${clamp(row.image[2 * n + i])})`);
    grid(1, (i) => SEGMENT_COLOURS[row.truth[i] % SEGMENT_COLOURS.length]);
    row.panels.forEach((p, c) => grid(2 + c, (i) => SEGMENT_COLOURS[p.labels[i] % SEGMENT_COLOURS.length]));
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
