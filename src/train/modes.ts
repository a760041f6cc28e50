/** Train/eval mode bookkeeping shared by fit, evaluate and predict. */
import type { Module } from '../nn/module.js';

/** Records the train/eval mode of the model and every submodule; the returned function restores them. */
export function saveModes(model: Module): () => void {
  const modes: Array<[Module, boolean]> = [];
  const walk = (m: Module): void => {
    modes.push([m, m.training]);
    for (const c of m.children()) walk(c);
  };
  walk(model);
  return () => {
    for (const [m, t] of modes) m.training = t;
  };
}

/**
 * Runs `fn` in evaluation mode, restoring each module's previous mode afterwards (when the
 * returned promise settles, for async `fn`).
 */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const restore = saveModes(model);
  model.eval();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
