/** Axis arguments: negative axes count from the end; duplicates and out-of-range axes are errors. */
import { ArgumentError, describeValue, fmtShape } from '../errors.js';

/** Normalises one axis of a rank-`rank` tensor. */
export function normAxis(fn: string, axis: unknown, rank: number, arg = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ArgumentError(`${fn}: argument '${arg}' expected an integer in [${-rank}, ${Math.max(rank, 1) - 1}] for a rank-${rank} tensor, given ${describeValue(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises an axis list (undefined = all axes), sorted ascending. */
export function normAxes(fn: string, axis: number | readonly number[] | undefined, shape: readonly number[]): number[] {
  const rank = shape.length;
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) throw new ArgumentError(`${fn}: argument 'axis' expected an integer or an array of integers, given ${describeValue(axis)}`);
  const out = list.map((a) => normAxis(fn, a, rank));
  if (new Set(out).size !== out.length) throw new ArgumentError(`${fn}: argument 'axis' expected distinct axes, given ${fmtShape(list)} (a repeated axis)`);
  return out.sort((a, b) => a - b);
}

/** Checks a `keepDims` argument: a boolean. */
export function checkKeepDims(fn: string, keepDims: unknown): void {
  if (typeof keepDims !== 'boolean') throw new ArgumentError(`${fn}: argument 'keepDims' expected a boolean, given ${describeValue(keepDims)}`);
}
