/**
 * Option parsing shared by the optimisers and schedules: range-checked numbers with messages in
 * torch's spirit ("Adam: option 'lr' expected a number ≥ 0, given -1"), thrown before any state
 * changes.
 */
import { ArgumentError, describeValue, nearest } from '../errors.js';

/** Allowed range of a numeric option; bounds are inclusive unless marked open. */
export interface Range {
  min?: number;
  max?: number;
  /** Exclude `min` itself (e.g. `> 0`). */
  minOpen?: boolean;
  /** Exclude `max` itself (e.g. betas `< 1`). */
  maxOpen?: boolean;
  integer?: boolean;
}

function describeRange(r: Range): string {
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`${r.minOpen ? '>' : '≥'} ${r.min}`);
  if (r.max !== undefined) parts.push(`${r.maxOpen ? '<' : '≤'} ${r.max}`);
  const kind = r.integer ? 'an integer' : 'a number';
  return parts.length ? `${kind} ${parts.join(' and ')}` : `a finite ${r.integer ? 'integer' : 'number'}`;
}

/** True when `v` is a finite number inside `r`. */
export function inRange(v: unknown, r: Range): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.min !== undefined && (r.minOpen ? !(v > r.min) : !(v >= r.min))) return false;
  if (r.max !== undefined && (r.maxOpen ? !(v < r.max) : !(v <= r.max))) return false;
  return true;
}

/** Checks a numeric argument/option; `what` reads like "option 'lr'" or "argument 'gamma'". */
export function checkNumberIn(fn: string, what: string, v: unknown, r: Range): number {
  if (!inRange(v, r)) throw new ArgumentError(`${fn}: ${what} expected ${describeRange(r)}, given ${describeValue(v)}`);
  return v;
}

/** Reads option `key` from `o` (default `def` when absent) and range-checks it. */
export function numOption(fn: string, o: Record<string, unknown>, key: string, def: number, r: Range): number {
  const v = o[key];
  return v === undefined ? def : checkNumberIn(fn, `option '${key}'`, v, r);
}

/** Reads an optional numeric option: undefined when absent. */
export function optionalNumOption(fn: string, o: Record<string, unknown>, key: string, r: Range): number | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : checkNumberIn(fn, `option '${key}'`, v, r);
}

/** Reads a boolean option. */
export function boolOption(fn: string, o: Record<string, unknown>, key: string, def: boolean): boolean {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}: option '${key}' expected true or false, given ${describeValue(v)}`);
  return v;
}

/** Reads a string option that must be one of `valid`. */
export function enumOption<T extends string>(fn: string, o: Record<string, unknown>, key: string, def: T, valid: readonly T[]): T {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== 'string' || !(valid as readonly string[]).includes(v)) {
    const near = typeof v === 'string' ? nearest(v, valid) : undefined;
    throw new ArgumentError(`${fn}: option '${key}' expected one of ${valid.map((x) => `'${x}'`).join(', ')}, given ${describeValue(v)}${near ? ` (did you mean '${near}'?)` : ''}`);
  }
  return v as T;
}

/** The options object as a record (undefined → empty); non-objects are rejected. */
export function asRecord(fn: string, o: unknown, what = 'options'): Record<string, unknown> {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new ArgumentError(`${fn}: ${what} expected an object, given ${describeValue(o)}`);
  return o as Record<string, unknown>;
}
