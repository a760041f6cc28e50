/**
 * Default seeds for layers created without one. Each such layer takes the next number of a
 * process-wide counter, so layers differ from each other and a script that builds the same
 * model in the same order gets the same weights every run (like torch after `manual_seed`).
 */
import { ArgumentError, describeValue } from '../errors.js';

const FIRST_DEFAULT_SEED = 1_000_003;
let counter = FIRST_DEFAULT_SEED;

/** The next default seed (a non-negative integer). */
export function nextSeed(): number {
  return counter++;
}

/** Restarts the default-seed counter (`seed` defaults to the initial value). */
export function resetDefaultSeeds(seed: number = FIRST_DEFAULT_SEED): void {
  checkSeed('resetDefaultSeeds', seed, 'seed');
  counter = seed;
}

/** Validates a user-given seed (a non-negative safe integer); undefined draws a default. */
export function checkSeed(fn: string, seed: unknown, arg = 'seed'): number {
  if (seed === undefined) return nextSeed();
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new ArgumentError(`${fn}: option '${arg}' expected a non-negative integer, given ${describeValue(seed)}`);
  }
  return seed;
}
