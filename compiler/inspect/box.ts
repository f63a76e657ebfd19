/**
 * What a node's box says, line by line, and how big that makes it. Text is monospace, so widths
 * follow from character counts without a font engine; layout and SVG rendering share these numbers.
 */
import type { NodeView } from "./describe.js";

export type LineKind = "title" | "type" | "summary" | "output" | "source";

export interface BoxLine {
  readonly kind: LineKind;
  readonly text: string;
}

export const FONT_FAMILY = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
export const FONT_SIZE: Record<LineKind, number> = { title: 13, type: 12, summary: 11, output: 11, source: 11 };
/** A group box's summary wraps at this many characters. */
const SUMMARY_WIDTH = 34;
/** Advance width of one monospace character, in ems (DejaVu Sans Mono: 0.602; a little slack). */
const CHAR_EM = 0.62;
export const LINE_GAP = 4;
export const PAD_X = 12;
export const PAD_Y = 9;
const MIN_WIDTH = 96;

function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

export function boxLines(n: NodeView): BoxLine[] {
  const lines: BoxLine[] = [{ kind: "title", text: n.title }];
  for (const v of n.values) lines.push({ kind: "type", text: v.type });
  if (n.summary) for (const text of wrap(n.summary, SUMMARY_WIDTH)) lines.push({ kind: "summary", text });
  if (n.outputs.length) lines.push({ kind: "output", text: `→ ${n.outputs.join(", ")}` });
  if (n.loc) {
    const [file, line] = n.loc.text.split(/:(?=\d+:\d+$)/);
    lines.push({ kind: "source", text: `${baseName(file)}:${line.split(":")[0]}` });
  }
  return lines;
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function lineHeight(kind: LineKind): number {
  return Math.round(FONT_SIZE[kind] * 1.25);
}

export function boxSize(lines: readonly BoxLine[]): { width: number; height: number } {
  const text = Math.max(...lines.map((l) => l.text.length * FONT_SIZE[l.kind] * CHAR_EM));
  const height = lines.reduce((h, l) => h + lineHeight(l.kind), 0) + LINE_GAP * (lines.length - 1) + 2 * PAD_Y;
  return { width: Math.ceil(Math.max(MIN_WIDTH, text + 2 * PAD_X)), height };
}
