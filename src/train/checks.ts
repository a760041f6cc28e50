/** Option checks shared by fit, evaluate and predict. */
import { ArgumentError, describeValue } from '../errors.js';

/** Checks a positive integer batch size. */
export function checkBatchSize(fn: string, v: unknown): number {
  if (v === undefined) return 32;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new ArgumentError(`${fn}: option 'batchSize' expected a positive integer, given ${describeValue(v)}`);
  return v;
}

/** Checks `verbose` (0, 1 or a boolean). */
export function checkVerbose(fn: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (v === 0 || v === 1 || typeof v === 'boolean') return Boolean(v);
  throw new ArgumentError(`${fn}: option 'verbose' expected 0, 1 or a boolean, given ${describeValue(v)}`);
}
