/**
 * The comparison benchmark's timer: warm up, then time single calls until a budget is spent,
 * and keep the median. Used for every library (sync and async calls alike), so every column
 * is measured the same way. Also the small statistics the tables print.
 */

/** How long to time one cell. */
export interface Budget {
  /** Timed milliseconds (after warm-up). */
  timeMs: number;
  /** At least this many timed calls, unless one call takes longer than `slowCallMs`. */
  minIterations: number;
  /** At most this many timed calls (bounds very fast cells). */
  maxIterations: number;
}

/** A call that can be timed; async calls are awaited (onnxruntime-web's `run`). */
export type Timed = () => void | Promise<unknown>;

/** Calls slower than this count as "slow": one warm-up and a single timed call suffice. */
const SLOW_CALL_MS = 1500;

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Median seconds per call of `fn` (warm-up first: JIT, allocator and pool start-up are not timed). */
export async function medianSeconds(fn: Timed, budget: Budget): Promise<number> {
  // Warm-up: at least two calls, or ~20 % of the budget, whichever is longer (one if very slow).
  const w0 = performance.now();
  let warm = 0;
  for (;;) {
    const r = fn();
    if (isPromise(r)) await r;
    warm++;
    const spent = performance.now() - w0;
    if (spent / warm > SLOW_CALL_MS || (warm >= 2 && spent >= budget.timeMs * 0.2)) break;
  }
  const samples: number[] = [];
  const t0 = performance.now();
  for (;;) {
    const s = performance.now();
    const r = fn();
    if (isPromise(r)) await r;
    const e = performance.now();
    samples.push((e - s) / 1000);
    const spent = e - t0;
    if (samples.length >= budget.maxIterations) break;
    if (spent >= budget.timeMs && (samples.length >= budget.minIterations || spent / samples.length > SLOW_CALL_MS)) break;
  }
  return median(samples);
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Formats a rate with three significant digits ('—' for NaN). */
export function fmtRate(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Formats a ratio like `1.9×` ('—' for NaN). */
export function fmtRatio(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return `${v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)}×`;
}
