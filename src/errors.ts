/**
 * Error types of the public API. Every error axon throws for a user mistake is an
 * {@link AxonError} with a stable `code`; the message names the function, the argument, what
 * was expected and what was given.
 */

/** Stable machine-readable error codes. */
export type AxonErrorCode = 'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'DISPOSED' | 'NOT_COMPILED' | 'NON_FINITE' | 'UNSUPPORTED' | 'CORRUPT_DATA' | 'OUT_OF_MEMORY' | 'NOT_INITIALIZED';

/** Base class of axon's errors. */
export class AxonError extends Error {
  readonly code: AxonErrorCode;
  constructor(code: AxonErrorCode, message: string) {
    super(message);
    this.name = 'AxonError';
    this.code = code;
  }
}

/** A bad argument value or type (unknown option, out-of-range label, wrong type). */
export class ArgumentError extends AxonError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'ArgumentError';
  }
}

/** Shapes that do not fit together (a disposed tensor is code 'DISPOSED', an {@link AxonError}). */
export class ShapeError extends AxonError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
    this.name = 'ShapeError';
  }
}

/** Formats a shape for messages: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Describes a value for messages: its type, or its value for primitives. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) {
    // Short lists of plain values are shown (`[1, 0]`), anything else by its length.
    const plain = v.length <= 8 && v.every((x) => x === null || ['number', 'string', 'boolean'].includes(typeof x));
    return plain ? `[${v.map(describeValue).join(', ')}]` : `an array of length ${v.length}`;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name || 'object';
    return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
  }
  return typeof v;
}

/**
 * Throws an ArgumentError for option keys not in `valid`, naming the nearest valid key
 * (edit distance) so typos are obvious.
 */
export function checkOptions(fn: string, options: object | undefined, valid: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options expected an object, given ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const near = nearest(key, valid);
    throw new ArgumentError(`${fn}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''}; valid options: ${valid.join(', ')}`);
  }
}

/** The entry of `choices` closest to `s` by edit distance, if reasonably close. */
export function nearest(s: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const low = s.toLowerCase();
  for (const c of choices) {
    const cl = c.toLowerCase();
    let d = editDistance(low, cl);
    // A truncated or extended name ('approx' → 'approximate', 'epsilon' → 'eps') is a near miss too.
    if (Math.min(low.length, cl.length) >= 2 && (cl.startsWith(low) || low.startsWith(cl))) d = Math.min(d, 2);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(s.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Throws unless `name` is one of `valid`, listing the valid names (and the nearest one). */
export function checkName<T extends string>(fn: string, arg: string, name: unknown, valid: readonly T[]): T {
  if (typeof name === 'string' && (valid as readonly string[]).includes(name)) return name as T;
  const near = typeof name === 'string' ? nearest(name, valid) : undefined;
  throw new ArgumentError(`${fn}: unknown ${arg} ${describeValue(name)}${near ? ` (did you mean '${near}'?)` : ''}; valid: ${valid.join(', ')}`);
}
