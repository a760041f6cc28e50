/**
 * `fitModel` / `evaluateModel` (what `model.fit` and `model.evaluate` call) as the core exports
 * them: both are async, so the training and evaluation loops (fit.ts, evaluate.ts and what only
 * they use) are imported on the first call instead of being part of the core bundle. Arguments
 * are checked there, before any weight or optimiser state changes.
 */
import type { Module } from '../nn/module.js';
import type { Samples } from './data.js';
import type { EvaluateOptions } from './evaluate.js';
import type { FitOptions } from './fit.js';
import type { History } from './history.js';

/** Implements `model.fit(x, y, options)`; see {@link FitOptions}. */
export async function fitModel(model: Module, x: Samples, y: Samples, options: FitOptions = {}): Promise<History> {
  return (await import('./fit.js')).fitModel(model, x, y, options);
}

/** Implements `model.evaluate(x, y, options)`; returns `{ loss, ...metrics }`. */
export async function evaluateModel(model: Module, x: Samples, y: Samples, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  return (await import('./evaluate.js')).evaluateModel(model, x, y, options);
}
