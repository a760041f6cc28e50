/**
 * Plain-text table of ranked search results, one row per trial:
 *
 * ```
 *  rank  trial  lr        l2        hidden  valAcc   valLoss  epochs  seconds
 *     1      3  2.31e-3   4.10e-5      256  97.50%   0.0871        3     1.92
 * ```
 *
 * Parameters come first (in the space's key order), then validation accuracy (when any trial
 * tracked it), validation loss, the ranking metric when it is neither of those, epochs and
 * seconds. Failed trials show `failed` in the metric columns.
 */
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import type { TrialResult } from './search.js';

/** Options of {@link formatTable}. */
export interface FormatTableOptions {
  /** Show at most this many rows (the best ones). Default: all. */
  maxRows?: number;
}

/** A number as short text: integers as is, small or large magnitudes in exponent form. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-2 || a >= 1e4)) return v.toExponential(2);
    return String(Number(v.toPrecision(3)));
  }
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}

/** The ranked results as an aligned text table (see the file comment); ends without a newline. */
export function formatTable(results: ReadonlyArray<TrialResult<object>>, options: FormatTableOptions = {}): string {
  const fn = 'formatTable';
  if (!Array.isArray(results)) throw new ArgumentError(`${fn}: argument 'results' expected the array randomSearch returns, given ${describeValue(results)}`);
  checkOptions(fn, options, ['maxRows']);
  const maxRows = options.maxRows ?? results.length;
  if (typeof maxRows !== 'number' || !Number.isSafeInteger(maxRows) || maxRows < 0) throw new ArgumentError(`${fn}: option 'maxRows' expected a non-negative integer, given ${describeValue(maxRows)}`);
  const rows = results.slice(0, maxRows);
  const paramKeys: string[] = [];
  for (const r of results) for (const k of Object.keys(r.params)) if (!paramKeys.includes(k)) paramKeys.push(k);
  const hasAcc = results.some((r) => !Number.isNaN(r.valAccuracy));
  const metric = results[0]?.metric;
  const extraMetric = metric && metric !== 'valAccuracy' && metric !== 'valLoss' ? metric : undefined;

  const head = ['rank', 'trial', ...paramKeys, ...(hasAcc ? ['valAcc'] : []), 'valLoss', ...(extraMetric ? [extraMetric] : []), 'epochs', 'seconds'];
  const body = rows.map((r) => {
    const failed = r.error !== undefined;
    const p = r.params as Record<string, unknown>;
    return [
      String(r.rank),
      String(r.trial),
      ...paramKeys.map((k) => (k in p ? formatValue(p[k]) : '')),
      ...(hasAcc ? [failed ? 'failed' : Number.isNaN(r.valAccuracy) ? '' : `${(r.valAccuracy * 100).toFixed(2)}%`] : []),
      failed ? 'failed' : r.valLoss.toFixed(4),
      ...(extraMetric ? [failed ? 'failed' : formatValue(r.score)] : []),
      String(r.epochs),
      r.seconds.toFixed(2),
    ];
  });
  const width = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  // Parameters that are text (choice of names) read better left-aligned; everything else is numeric.
  const left = head.map((_, c) => c >= 2 && c < 2 + paramKeys.length && rows.some((r) => typeof (r.params as Record<string, unknown>)[paramKeys[c - 2]!] === 'string'));
  const line = (cells: string[]) => cells.map((s, c) => (left[c] ? s.padEnd(width[c]!) : s.padStart(width[c]!))).join('  ').trimEnd();
  const out = [line(head), ...body.map(line)];
  if (rows.length < results.length) out.push(`… ${results.length - rows.length} more`);
  return out.join('\n');
}
