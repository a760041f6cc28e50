/**
 * Shared machinery of the fuzz targets: a target type (a fast-check property plus how many runs
 * the unit suite gives it) and the checks every property makes on each input — the call either
 * returns or throws an AxonError with an expected code (never a TypeError / RangeError from deep
 * inside, never an AxonError that merely wraps one), within a time bound, without growing
 * external (ArrayBuffer) memory past a cap.
 */
import fc from 'fast-check';
import { AxonError, type AxonErrorCode } from '../../src/errors.js';

/** One fuzz target: `property()` builds a fresh property; `runs` is the unit suite's budget. */
export interface FuzzTarget {
  name: string;
  /** Runs in the normal test suite (kept small: each test file stays under ~5 s). */
  runs: number;
  property: () => fc.IRawProperty<any>;
  /** Inputs always tried first: the bugs fuzzing found, kept as regressions. */
  examples?: unknown[][];
}

/** Longest one input may take, ms (inputs are small; a parser that needs more is hanging). */
export const TIME_BOUND_MS = Number(process.env.FUZZ_TIME_BOUND_MS ?? 2000);

/** Called before each input with a label and a short description (the runner's hang watchdog). */
let heartbeat: ((label: string, input: () => string) => void) | undefined;

/** Installs the hook {@link check} calls before each input. */
export function onInput(fn: typeof heartbeat): void {
  heartbeat = fn;
}

/** Outcome counts (`ok`, or the error code and the gist of its message), when collecting. */
let tally: Map<string, number> | undefined;

/** Starts counting outcomes into a fresh map (the runner prints it per target); undefined stops. */
export function collectOutcomes(on: boolean): Map<string, number> | undefined {
  tally = on ? new Map() : undefined;
  return tally;
}

function count<T>(out: Outcome<T>): void {
  if (!tally) return;
  // The message without names, numbers and quoted parts, so similar failures share a key.
  const gist = out.ok ? 'ok' : `${out.error.code}: ${out.error.message.replace(/'[^']*'|"[^"]*"|\[[^\]]*\]|-?\d[\d.e+-]*/g, '…').slice(0, 90)}`;
  tally.set(gist, (tally.get(gist) ?? 0) + 1);
}

/** A short printable form of an input (for failure and hang reports). */
export function show(v: unknown, max = 300): string {
  let s: string;
  if (v instanceof Uint8Array) s = `Uint8Array(${v.length}) ${Buffer.from(v.subarray(0, max / 2)).toString('hex')}`;
  else if (typeof v === 'string') s = JSON.stringify(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/** Engine errors that must not escape (or hide as the cause of an AxonError). */
function isEngineError(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError || e instanceof ReferenceError;
}

/** What a checked call produced. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AxonError };

function judge(label: string, thrown: unknown, codes: readonly AxonErrorCode[]): AxonError {
  if (!(thrown instanceof AxonError)) {
    const e = thrown as Error;
    throw new Error(`${label}: threw a non-Axon ${e?.name ?? typeof thrown}: ${e?.message ?? String(thrown)}`, { cause: thrown });
  }
  if (!codes.includes(thrown.code)) throw new Error(`${label}: threw AxonError '${thrown.code}' (expected one of ${codes.join(', ')}): ${thrown.message}`, { cause: thrown });
  const cause = (thrown as { cause?: unknown }).cause;
  if (isEngineError(cause)) throw new Error(`${label}: an AxonError wraps an engine ${(cause as Error).name}: ${thrown.message}`, { cause });
  return thrown;
}

function bounds(label: string, ms: number, grew: number, allocCap: number): void {
  if (ms > TIME_BOUND_MS) throw new Error(`${label}: took ${ms.toFixed(0)} ms (bound ${TIME_BOUND_MS} ms)`);
  if (grew > allocCap) throw new Error(`${label}: external memory grew by ${grew} bytes during one call (cap ${allocCap})`);
}

/**
 * Runs `fn` on one fuzz input and checks it: returns or throws an AxonError with one of `codes`;
 * takes at most {@link TIME_BOUND_MS}; grows ArrayBuffer memory by at most `allocCap` bytes.
 */
export function check<T>(label: string, input: () => string, codes: readonly AxonErrorCode[], allocCap: number, fn: () => T): Outcome<T> {
  heartbeat?.(label, input);
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let out: Outcome<T>;
  try {
    out = { ok: true, value: fn() };
  } catch (e) {
    out = { ok: false, error: judge(`${label} on ${input()}`, e, codes) };
  }
  bounds(`${label} on ${input()}`, performance.now() - t0, process.memoryUsage().arrayBuffers - before, allocCap);
  count(out);
  return out;
}

/** {@link check} for async calls (the memory figure may include other tasks' buffers). */
export async function checkAsync<T>(label: string, input: () => string, codes: readonly AxonErrorCode[], allocCap: number, fn: () => Promise<T>): Promise<Outcome<T>> {
  heartbeat?.(label, input);
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let out: Outcome<T>;
  try {
    out = { ok: true, value: await fn() };
  } catch (e) {
    out = { ok: false, error: judge(`${label} on ${input()}`, e, codes) };
  }
  bounds(`${label} on ${input()}`, performance.now() - t0, process.memoryUsage().arrayBuffers - before, allocCap);
  count(out);
  return out;
}

/** Throws `msg` unless `cond` (properties run outside vitest too, so no `expect`). */
export function assert(cond: unknown, msg: () => string): asserts cond {
  if (!cond) throw new Error(msg());
}

/** Element-wise equality where NaN equals NaN (and +0 equals −0). */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** Seed of the unit suite's runs: fixed (reproducible CI) unless FUZZ_SEED is set. */
export const UNIT_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261123;

/** Runs every target of a file with its unit budget (the body of each fuzz *.test.ts). */
export async function runTarget(t: FuzzTarget, runs = t.runs, seed = UNIT_SEED): Promise<void> {
  await fc.assert(t.property(), { numRuns: runs, seed, verbose: 0, examples: t.examples ?? [] });
}
