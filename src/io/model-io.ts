/**
 * `saveModel` / `loadModel` as the core entry exports them. Both are async, so their
 * implementations (save.ts, load.ts, weights.ts) are imported on the first call instead of
 * being part of the core bundle; the arguments are checked there, before anything changes.
 */
import type { Module } from '../nn/module.js';
import type { Sequential } from '../nn/sequential.js';
import type { LoadOptions } from './load.js';
import type { SavedModel, SaveOptions } from './save.js';

/** Implements `model.save(options)`: `{ config, weights (safetensors), optimizer? }` (see src/io/save.ts). */
export async function saveModel(model: Module, options: SaveOptions = {}): Promise<SavedModel> {
  return (await import('./save.js')).saveModel(model, options);
}

/**
 * Rebuilds the model saved by `model.save()`. `saved.config` may also be its JSON text. With the
 * compile options saved (and a named loss), the model comes back compiled; a saved optimiser
 * state is restored so training resumes where it stopped. The result is typed as a Sequential
 * (what `save` is defined on); pass a type argument for other root modules.
 */
export async function loadModel<M extends Module = Sequential>(saved: SavedModel | { config: unknown; weights: unknown; optimizer?: unknown }, options: LoadOptions = {}): Promise<M> {
  return (await import('./load.js')).loadModel<M>(saved, options);
}
