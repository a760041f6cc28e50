/**
 * The CLI's model file: ONE safetensors file (`model.safetensors`). The tensors are the model's
 * weights exactly as `model.save()` writes them; the header's `__metadata__` carries, as JSON
 * strings, the rest of `model.save()`'s output and what the CLI needs to feed the model:
 *
 * - `format`, `version` — from `model.save()` (`axon.model`, 1);
 * - `axon.config` — `model.save().config` (the module tree and compile options);
 * - `axon.data` — {@link ModelDataInfo}: the dataset, class names, input shape and preprocessing.
 *
 * Any safetensors reader (Python's `safetensors`, for one) opens the weights; `ax.loadModel({
 * config: JSON.parse(meta['axon.config']), weights: bytes })` rebuilds the model in code.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { AxonError } from '../errors.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import { loadModel } from '../io/load.js';
import type { Sequential } from '../nn/sequential.js';
import type { Standardization } from './prep.js';
import { UsageError } from './errors.js';

/** Metadata key of the model config. */
export const CONFIG_KEY = 'axon.config';
/** Metadata key of the data description. */
export const DATA_KEY = 'axon.data';

/** How the model's inputs were made (stored in the file's metadata). */
export interface ModelDataInfo {
  /** The `--dataset` value it was trained on. */
  dataset: string;
  classNames: string[];
  /** Shape of one input sample (`[784]`). */
  sampleShape: number[];
  /** `[height, width]` of image inputs, or null. */
  imageShape: [number, number] | null;
  /** Raw file values are divided by this before the model sees them. */
  rawScale: number;
  /** Feature standardisation fitted on the training set, or null. */
  standardization: Standardization | null;
  /** Seed and share of the test split (datasets without a test file), so `evaluate` holds out the same samples. */
  seed: number;
  testFraction: number;
  /** Test accuracy measured after training (0–1), if it was. */
  testAccuracy?: number;
}

/** Writes the model file atomically (a temporary file renamed over the target). */
export async function saveModelFile(cmd: string, path: string, model: Sequential, info: ModelDataInfo): Promise<string> {
  const abs = resolve(path);
  if (!existsSync(dirname(abs))) throw new UsageError(cmd, `--save: directory not found: ${dirname(path)}`);
  const saved = await model.save();
  const file = decodeSafetensors(saved.weights);
  const bytes = encodeSafetensors(file.tensors, { ...file.metadata, [CONFIG_KEY]: JSON.stringify(saved.config), [DATA_KEY]: JSON.stringify(info) });
  const tmp = `${abs}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, abs);
  return abs;
}

/** Reads a model file written by {@link saveModelFile}; a missing or foreign file is a UsageError. */
export async function loadModelFile(cmd: string, path: string): Promise<{ model: Sequential; info: ModelDataInfo }> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UsageError(cmd, `model file not found: ${path}`);
  const bytes = new Uint8Array(await readFile(abs));
  let meta: Record<string, string>;
  try {
    meta = decodeSafetensors(bytes).metadata;
  } catch (e) {
    throw new UsageError(cmd, `${path} is not a safetensors model file (${(e as Error).message})`);
  }
  const configText = meta[CONFIG_KEY];
  const dataText = meta[DATA_KEY];
  if (configText === undefined || dataText === undefined) {
    throw new UsageError(cmd, `${path} is a safetensors file without axon's '${CONFIG_KEY}' / '${DATA_KEY}' metadata; save models with 'axon train --save'`);
  }
  let info: ModelDataInfo;
  try {
    info = JSON.parse(dataText) as ModelDataInfo;
  } catch (e) {
    throw new UsageError(cmd, `${path}: metadata '${DATA_KEY}' is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(info.classNames) || !Array.isArray(info.sampleShape) || typeof info.rawScale !== 'number' || typeof info.dataset !== 'string') {
    throw new UsageError(cmd, `${path}: metadata '${DATA_KEY}' lacks classNames, sampleShape, rawScale or dataset`);
  }
  try {
    const model = await loadModel({ config: configText, weights: bytes });
    return { model, info };
  } catch (e) {
    if (e instanceof AxonError) throw new UsageError(cmd, `${path}: ${e.message}`);
    throw e;
  }
}
