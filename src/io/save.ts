/**
 * `model.save()`: the model as `{ config, weights, optimizer? }` — `config` is plain JSON (the
 * module tree from `getConfig()` and the compile options), `weights` the safetensors bytes of
 * every layer's `getWeights()` (names from weights.ts), and, when asked, the optimiser's state
 * (hyperparameters as JSON, buffers as safetensors bytes).
 */
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import type { Module, ModuleConfig } from '../nn/module.js';
import type { CompileConfig, TrainableModel } from '../train/compile.js';
import { encodeSafetensors } from './safetensors.js';
import { readModelWeights } from './weights.js';
import { checkModule } from '../nn/module.js';

import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './format.js';

export { MODEL_FORMAT, MODEL_FORMAT_VERSION };

/** The JSON part of a saved model. */
export interface SavedModelConfig {
  format: typeof MODEL_FORMAT;
  version: number;
  /** The module tree (`model.getConfig()`). */
  model: ModuleConfig;
  /** The compile options, or null if the model was not compiled. */
  compile: CompileConfig | null;
}

/** A saved optimiser: hyperparameters and step count as JSON, buffers as safetensors. */
export interface SavedOptimizer {
  /** `{ type, options, step }` of `optimizer.state()`. */
  state: { type: string; options: Record<string, unknown>; step: number };
  /** Per-parameter buffers named `<parameter index>.<buffer>` (e.g. `0.m`, `0.step`). */
  slots: Uint8Array;
}

/** What `model.save()` returns and `ax.loadModel()` takes. */
export interface SavedModel {
  config: SavedModelConfig;
  /** safetensors bytes. */
  weights: Uint8Array;
  optimizer?: SavedOptimizer;
}

/** Options of `model.save`. */
export interface SaveOptions {
  /** Include the optimiser's state so training can resume. Default false. */
  includeOptimizer?: boolean;
}

/** Implements `model.save(options)`. */
export async function saveModel(model: Module, options: SaveOptions = {}): Promise<SavedModel> {
  const fn = 'save';
  checkModule(fn, model);
  checkOptions(fn, options, ['includeOptimizer']);
  const includeOptimizer = options.includeOptimizer ?? false;
  if (typeof includeOptimizer !== 'boolean') throw new ArgumentError(`${fn}: option 'includeOptimizer' expected a boolean, given ${describeValue(includeOptimizer)}`);
  const st = (model as TrainableModel)._training;
  if (includeOptimizer && !st) throw new ArgumentError(`${fn}: includeOptimizer needs a compiled model (there is no optimiser to save)`);
  const config: SavedModelConfig = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    model: JSON.parse(JSON.stringify(model.getConfig())) as ModuleConfig,
    compile: st ? (JSON.parse(JSON.stringify(st.config)) as CompileConfig) : null,
  };
  const weights = encodeSafetensors(await readModelWeights(model), { format: MODEL_FORMAT, version: String(MODEL_FORMAT_VERSION) });
  const saved: SavedModel = { config, weights };
  if (includeOptimizer && st) {
    const s = await st.optimizer.stateAsync();
    const entries: Array<[string, { shape: number[]; data: Float32Array }]> = [];
    for (const [i, slot] of Object.entries(s.slots)) {
      for (const [name, buf] of Object.entries(slot)) entries.push([`${i}.${name}`, { shape: [buf.length], data: buf }]);
    }
    saved.optimizer = {
      state: { type: s.type, options: JSON.parse(JSON.stringify(s.options)) as Record<string, unknown>, step: s.step },
      slots: encodeSafetensors(entries, { format: 'axon.optimizer' }),
    };
  }
  return saved;
}
