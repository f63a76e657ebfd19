/**
 * Progress for long work: a cli-progress bar (loss, examples/s, ETA) on a terminal; when stdout is
 * not a TTY (CI, a pipe, a test) a plain line every `every` steps instead, so logs stay readable.
 */
import cliProgress from "cli-progress";

export interface ProgressOptions {
  /** What the bar is doing ("o2p", "train"). */
  label: string;
  total: number;
  /** Examples per step, for examples/s. */
  batchSize?: number;
  /** Lines every this many steps when not on a TTY (default: about 10 lines per run). */
  every?: number;
  /** Force the bar on or off (default: stdout is a TTY). */
  tty?: boolean;
  /** Where plain lines go (default console.log). */
  log?: (line: string) => void;
  /** No output at all. */
  silent?: boolean;
}

export interface Progress {
  update(step: number, values: { loss: number; [k: string]: number }): void;
  stop(): void;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 || x === 0 ? x.toFixed(1) : x.toPrecision(4);
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s.toFixed(1)}s`;
}

export function progress(opts: ProgressOptions): Progress {
  const start = performance.now();
  const rate = (step: number) => (step * (opts.batchSize ?? 1)) / Math.max(1e-9, (performance.now() - start) / 1000);
  if (opts.silent) return { update() {}, stop() {} };
  const tty = opts.tty ?? Boolean(process.stdout.isTTY);
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${opts.label} [{bar}] {value}/{total} | loss {lossText} | {rateText} ex/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(opts.total, 0, { lossText: "-", rateText: "-" });
    return {
      update(step, values) {
        bar.update(step, { lossText: fmt(values.loss), rateText: rate(step).toFixed(1) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const log = opts.log ?? ((line: string) => console.log(line));
  const every = opts.every ?? Math.max(1, Math.ceil(opts.total / 10));
  return {
    update(step, values) {
      if (step % every !== 0 && step !== opts.total) return;
      const elapsed = (performance.now() - start) / 1000;
      const eta = (elapsed / step) * (opts.total - step);
      const extra = Object.entries(values)
        .filter(([k]) => k !== "loss")
        .map(([k, v]) => ` ${k} ${fmt(v)}`)
        .join("");
      log(`${opts.label} ${step}/${opts.total} loss ${fmt(values.loss)}${extra} | ${rate(step).toFixed(1)} ex/s | ETA ${duration(eta)}`);
    },
    stop() {},
  };
}
