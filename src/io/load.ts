/**
 * `ax.loadModel(saved)`: rebuilds a model from `model.save()`'s output — the module tree from
 * its config (through the module registry of src/nn), the weights from the safetensors bytes,
 * the compile options and, when saved, the optimiser state. Everything read is treated as
 * untrusted: malformed input is an `AxonError('CORRUPT_DATA')` (or the layer's own argument
 * error) with a clear message, never a crash, and the weight file is checked completely against
 * the rebuilt model before any weight is written.
 */
import { AxonError, ArgumentError, checkOptions, describeValue } from '../errors.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES, inputTooLarge } from '../limits.js';
import type { Module, ModuleConfig } from '../nn/module.js';
// The nn index imports every layer, which registers its factory for moduleFromConfig.
import { moduleFromConfig, type Sequential } from '../nn/index.js';
import type { OptimizerState } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/registry.js';
import { compileModel, trainingState, type CompileConfig } from '../train/compile.js';
import type { MetricSpec } from '../train/metrics.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './format.js';
import type { SavedModel } from './save.js';
import { decodeSafetensors } from './safetensors.js';
import { writeModelWeights } from './weights.js';

function corrupt(msg: string): AxonError {
  return new AxonError('CORRUPT_DATA', `loadModel: ${msg}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asBytes(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw corrupt(`${what} expected safetensors bytes (a Uint8Array), given ${describeValue(v)}`);
}

function withPrefix<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AxonError) {
      e.message = `loadModel: ${prefix}: ${e.message.replace(/^loadModel: /, '')}`;
      throw e;
    }
    // Engine errors (RangeError from a huge allocation, stack overflow on absurd nesting, …);
    // the original stays in `cause` so a bug behind it is not hidden.
    const err = corrupt(`${prefix}: ${(e as Error)?.message ?? String(e)}`);
    (err as { cause?: unknown }).cause = e;
    throw err;
  }
}

/** Options of {@link loadModel}. */
export interface LoadOptions {
  /** Re-apply the saved compile options (and optimiser state, if saved). Default true. */
  compile?: boolean;
  /**
   * Largest accepted config text, weights file and optimiser-slot file, bytes each (checked
   * before decoding; the rebuilt model cannot hold more weights than the file). Default
   * {@link DEFAULT_MAX_BYTES} (256 MiB); `Infinity` for none.
   */
  maxBytes?: number;
}

/**
 * Rebuilds the model saved by `model.save()`. `saved.config` may also be its JSON text. With the
 * compile options saved (and a named loss), the model comes back compiled; a saved optimiser
 * state is restored so training resumes where it stopped. The result is typed as a Sequential
 * (what `save` is defined on); pass a type argument for other root modules.
 */
export async function loadModel<M extends Module = Sequential>(saved: SavedModel | { config: unknown; weights: unknown; optimizer?: unknown }, options: LoadOptions = {}): Promise<M> {
  checkOptions('loadModel', options, ['compile', 'maxBytes']);
  const maxBytes = checkMaxBytes('loadModel', options.maxBytes, DEFAULT_MAX_BYTES);
  const doCompile = options.compile ?? true;
  if (typeof doCompile !== 'boolean') throw new ArgumentError(`loadModel: option 'compile' expected a boolean, given ${describeValue(doCompile)}`);
  if (!isObject(saved)) throw corrupt(`expected { config, weights } from model.save(), given ${describeValue(saved)}`);
  let config: unknown = saved.config;
  if (typeof config === 'string') {
    if (config.length > maxBytes) throw inputTooLarge('loadModel', 'config (JSON text)', config.length, maxBytes);
    try {
      config = JSON.parse(config);
    } catch (e) {
      throw corrupt(`config is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(config)) throw corrupt(`config expected an object, given ${describeValue(config)}`);
  if (config.format !== MODEL_FORMAT) throw corrupt(`config.format expected '${MODEL_FORMAT}', given ${describeValue(config.format)}`);
  if (typeof config.version !== 'number' || !Number.isInteger(config.version) || config.version < 1) throw corrupt(`config.version expected a positive integer, given ${describeValue(config.version)}`);
  if (config.version > MODEL_FORMAT_VERSION) throw new AxonError('UNSUPPORTED', `loadModel: the model was saved in format version ${config.version}; this axon reads up to ${MODEL_FORMAT_VERSION}`);
  if (!isObject(config.model)) throw corrupt(`config.model expected a module config { type, args }, given ${describeValue(config.model)}`);
  const compile = config.compile ?? null;
  if (compile !== null && !isObject(compile)) throw corrupt(`config.compile expected an object or null, given ${describeValue(compile)}`);

  // Decode (and thereby validate) the weights before building anything.
  const file = withPrefix('weights', () => decodeSafetensors(asBytes(saved.weights, 'weights'), { maxBytes }));
  let totalElements = 0;
  for (const t of file.tensors.values()) totalElements += t.data.length;
  checkConfigSizes(config.model, Math.max(totalElements, SIZE_SLACK), 'config.model', 0, { modules: 0 });
  const model = withPrefix('config.model', () => moduleFromConfig(config.model as unknown as ModuleConfig));
  try {
    withPrefix('weights', () => writeModelWeights(model, file.tensors, 'loadModel'));
    if (doCompile && compile && (compile as Partial<CompileConfig>).loss !== null) {
      const c = compile as Partial<CompileConfig>;
      if (typeof c.loss !== 'string') throw corrupt(`config.compile.loss expected a loss name, given ${describeValue(c.loss)}`);
      if (!isObject(c.optimizer)) throw corrupt(`config.compile.optimizer expected an optimiser config { type, … }, given ${describeValue(c.optimizer)}`);
      const metrics = c.metrics ?? [];
      if (!Array.isArray(metrics)) throw corrupt(`config.compile.metrics expected an array, given ${describeValue(metrics)}`);
      withPrefix('config.compile', () => compileModel(model, { optimizer: createOptimizer(c.optimizer as Record<string, unknown>), loss: c.loss as string, metrics: metrics as MetricSpec[] }));
      if (saved.optimizer !== undefined) restoreOptimizer(model, saved.optimizer, maxBytes);
    } else if (saved.optimizer !== undefined && doCompile) {
      throw corrupt('an optimiser state was saved but no compile options (or a loss function, which cannot be saved); load with { compile: false } and compile yourself');
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model as M;
}

/** Below this many elements a layer's size arguments are never questioned. */
const SIZE_SLACK = 1 << 16;
/** Deepest module nesting accepted in a config. */
const MAX_DEPTH = 64;
/** Most modules accepted in one config (a million `{"type":"ReLU"}` entries fit in 20 MB of JSON). */
const MAX_MODULES = 16384;
/** Longest module type name accepted. */
const MAX_TYPE_LENGTH = 256;

/**
 * Guards against configs that would make a layer allocate far more than the weights could
 * fill (a hostile file asking for `Dense(40000, 40000)` next to a few bytes of weights): the
 * product of a layer's positional integer arguments and of the integers in its positional
 * arrays — its sizes, for every built-in layer (Dense in·out, Maxout in·out·pieces, BatchNorm1d
 * n, Conv2d in·out·kh·kw) — may not exceed the number of weight elements in the file (or
 * {@link SIZE_SLACK}). Also caps nesting depth ({@link MAX_DEPTH}, which stops cycles) and the
 * module count ({@link MAX_MODULES}). Runs before any module is built.
 */
function checkConfigSizes(c: unknown, limit: number, path: string, depth: number, count: { modules: number }): void {
  // Depth also stops cycles in a config passed as an object (JSON text cannot have them).
  if (depth > MAX_DEPTH) throw corrupt(`${path}: modules nested deeper than ${MAX_DEPTH} (or a cycle)`);
  if (++count.modules > MAX_MODULES) throw corrupt(`${path}: more than ${MAX_MODULES} modules in the config`);
  if (!isObject(c)) return; // moduleFromConfig reports malformed entries
  // The registry's "did you mean" search is quadratic in the name's length.
  if (typeof c.type === 'string' && c.type.length > MAX_TYPE_LENGTH) throw corrupt(`${path}: module type name of ${c.type.length} characters (limit ${MAX_TYPE_LENGTH})`);
  if (Array.isArray(c.args)) {
    // Sizes are positional numbers or arrays of them (a Conv2d kernel [kh, kw]).
    const sizes: number[] = [];
    for (const a of c.args) {
      if (typeof a === 'number') sizes.push(a);
      else if (Array.isArray(a) && a.length <= 8) for (const x of a) if (typeof x === 'number') sizes.push(x);
    }
    let product = 1;
    for (const a of sizes) if (Number.isInteger(a) && a > 0) product *= a;
    if (product > limit) throw corrupt(`${path} (${describeValue(c.type)}) has size arguments ${JSON.stringify(sizes)} larger than the ${limit} weight elements in the file`);
  }
  if (Array.isArray(c.layers)) {
    if (c.layers.length > MAX_MODULES) throw corrupt(`${path}.layers has ${c.layers.length} entries, more than ${MAX_MODULES} modules`);
    c.layers.forEach((l, i) => checkConfigSizes(l, limit, `${path}.layers[${i}]`, depth + 1, count));
  }
}

function restoreOptimizer(model: Module, raw: unknown, maxBytes: number): void {
  if (!isObject(raw) || !isObject(raw.state)) throw corrupt(`optimizer expected { state: { type, options, step }, slots }, given ${describeValue(raw)}`);
  const s = raw.state;
  const file = withPrefix('optimizer.slots', () => decodeSafetensors(asBytes(raw.slots, 'optimizer.slots'), { maxBytes }));
  const slots: Record<number, Record<string, Float32Array>> = {};
  for (const [name, t] of file.tensors) {
    const m = /^(0|[1-9]\d{0,8})\.([A-Za-z][A-Za-z0-9_]*)$/.exec(name);
    if (!m) throw corrupt(`optimizer.slots: tensor name '${name}' expected '<parameter index>.<buffer>'`);
    const i = Number(m[1]);
    (slots[i] ??= {})[m[2]!] = t.data;
  }
  const state: OptimizerState = { type: s.type as string, options: s.options as Record<string, unknown>, step: s.step as number, slots };
  withPrefix('optimizer', () => trainingState(model, 'loadModel').optimizer.loadState(state));
}
