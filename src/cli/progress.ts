/**
 * The per-epoch progress bar of `axon train`. On a terminal it redraws one line in place
 * (`\r`, then erase to end of line) at most every `intervalMs` (100 ms: ≤ 10 redraws a second,
 * so drawing costs far below 1 % of an epoch) with the step, samples/s, ETA and running loss.
 * When the output is not a terminal (a pipe, a file, CI) it draws nothing: the caller's one
 * line per epoch is the whole log, with no `\r` or escape codes in it.
 */

/** Where the bar is drawn: a stream-like sink (process.stdout fits). */
export interface ProgressSink {
  write(s: string): unknown;
  /** True for a terminal; anything else gets no bar. */
  isTTY?: boolean;
  /** Terminal width in columns, when known. */
  columns?: number;
}

/** Formats seconds as `4.2s`, `12s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 10) return `${Number(seconds.toFixed(1))}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Formats a rate as `950`, `12.3k`, `1.20M`. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '?';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)}k`;
  return `${Math.round(perSecond)}`;
}

/** One epoch's bar; create it at the epoch's start, call `update` after every step, `end` at the end. */
export class ProgressBar {
  private readonly sink: ProgressSink;
  private readonly label: string;
  private readonly steps: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly t0: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private samples = 0;
  private lossSum = 0;
  /** Number of times the line was drawn (for tests and the overhead check). */
  draws = 0;

  /**
   * `label` starts the line (`epoch 3/10`); `steps` is the number of batches. `now` returns
   * milliseconds (injectable for tests).
   */
  constructor(sink: ProgressSink, label: string, steps: number, options: { intervalMs?: number; now?: () => number } = {}) {
    this.sink = sink;
    this.label = label;
    this.steps = steps;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.t0 = this.now();
  }

  /** Whether this sink gets a live bar at all. */
  get live(): boolean {
    return this.sink.isTTY === true;
  }

  /** Records step `step` (1-based) of `size` samples with mean loss `loss`; redraws when due. */
  update(step: number, size: number, loss: number): void {
    this.samples += size;
    this.lossSum += loss * size;
    if (!this.live) return;
    const t = this.now();
    if (t - this.lastDraw < this.intervalMs && step < this.steps) return;
    this.lastDraw = t;
    this.draw(step, t);
  }

  /** Erases the bar so the epoch summary line can take its place. */
  end(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }

  /** The text of the bar after `step` steps at time `t` (ms). */
  render(step: number, t: number): string {
    const secs = Math.max(1e-9, (t - this.t0) / 1000);
    const rate = this.samples / secs;
    const eta = step > 0 ? (secs / step) * (this.steps - step) : NaN;
    const loss = this.samples > 0 ? this.lossSum / this.samples : NaN;
    const stepsText = `${String(step).padStart(String(this.steps).length)}/${this.steps}`;
    const tail = ` ${stepsText}  ${formatRate(rate)} samples/s  ETA ${formatDuration(eta)}  loss ${loss.toFixed(4)}`;
    const cols = this.sink.columns && this.sink.columns > 20 ? this.sink.columns : 80;
    // Sized for the widest tail this epoch can print, so the bar does not jump as numbers change.
    const widest = ` ${this.steps}/${this.steps}  999.9k samples/s  ETA 59m59s  loss ${(loss >= 10 ? loss : 0).toFixed(4)}`.length;
    const barWidth = Math.max(10, Math.min(30, cols - 1 - this.label.length - widest - 3));
    const filled = Math.round((barWidth * step) / Math.max(1, this.steps));
    const line = `${this.label} [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (step >= this.steps ? '=' : '>') : ''}${' '.repeat(barWidth - filled)}]${tail}`;
    return line.length >= cols ? line.slice(0, cols - 1) : line;
  }

  private draw(step: number, t: number): void {
    this.sink.write(`\r${this.render(step, t)}\x1b[K`);
    this.drawn = true;
    this.draws++;
  }
}
