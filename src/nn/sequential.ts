/**
 * Sequential: a stack of modules applied in order. Its parameters, regularisation penalties,
 * constraints and train/eval mode are those of its layers.
 */
import { kernels } from '../engine.js';
import { ArgumentError, describeValue } from '../errors.js';
import { add } from '../ops/arithmetic.js';
import { copyTensor } from '../ops/create.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { compileModel, type CompileOptions, type TrainingState } from '../train/compile.js';
import type { EvaluateOptions } from '../train/evaluate.js';
import type { Samples } from '../train/data.js';
import type { FitOptions } from '../train/fit.js';
import { evaluateModel, fitModel } from '../train/run.js';
import type { History } from '../train/history.js';
import { predictModel, type PredictOptions } from '../train/predict.js';
import { saveModel } from '../io/model-io.js';
import type { SaveOptions, SavedModel } from '../io/save.js';
import { Module, type ModuleConfig } from './module.js';
import { prepareWeights } from './weights.js';

function checkLayer(fn: string, layer: unknown, i?: number): Module {
  if (!(layer instanceof Module)) {
    throw new ArgumentError(`${fn}: ${i === undefined ? 'layer' : `layers[${i}]`} expected a Module (e.g. new Dense(…)), given ${describeValue(layer)}`);
  }
  return layer;
}

/** See the file comment. */
export class Sequential extends Module {
  private readonly _layers: Module[] = [];

  constructor(layers: readonly Module[] = []) {
    super();
    if (!Array.isArray(layers)) throw new ArgumentError(`Sequential: argument 'layers' expected an array of modules, given ${describeValue(layers)}`);
    layers.forEach((l, i) => checkLayer('Sequential', l, i));
    for (const l of layers) this.add(l);
  }

  /** The layers, in order (a copy of the list; the layers themselves are live). */
  get layers(): Module[] {
    return [...this._layers];
  }

  /** Appends a layer (adopting its train/eval mode from this model); returns this. */
  add(layer: Module): this {
    checkLayer('Sequential.add', layer);
    if (layer === this || this._layers.includes(layer)) throw new ArgumentError('Sequential.add: this layer is already in the model');
    layer.train(this.training);
    this._layers.push(this.addChild(layer));
    return this;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const l of this._layers) h = l.forward(h);
    return h;
  }

  /** Copies of every layer's weights, layer after layer (Keras's `model.get_weights()`: BatchNorm1d's running statistics included). */
  override getWeights(): Tensor[] {
    return this._layers.flatMap((l) => l.getWeights());
  }

  /** Writes the list {@link getWeights} returns; validates every layer's share before changing any. */
  override setWeights(weights: readonly TensorLike[]): void {
    const fn = 'Sequential.setWeights';
    const current = this._layers.map((l) => l.getWeights());
    const shapes = current.map((ws) => ws.map((w) => w.shape));
    for (const ws of current) for (const w of ws) w.dispose();
    const flat = shapes.flat();
    const names = shapes.flatMap((s, li) => s.map((_, j) => `layers[${li}] weight ${j}`));
    prepareWeights(fn, flat, names, weights);
    // Tensor values may be this model's own weights (e.g. two layers' weights swapped): copy
    // them first, so a layer written early cannot change what a later layer receives.
    const snaps = weights.map((w) => (w instanceof Tensor && w.backend === kernels() ? copyTensor(w) : w));
    try {
      let at = 0;
      this._layers.forEach((l, li) => {
        const n = shapes[li]!.length;
        if (n > 0) l.setWeights(snaps.slice(at, at + n));
        at += n;
      });
    } finally {
      snaps.forEach((w, i) => {
        if (w !== weights[i]) (w as Tensor).dispose();
      });
    }
  }

  /** Sum of every layer's penalty (null when no layer has a regulariser). */
  override regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const l of this._layers) {
      const p = l.regularizationLoss();
      if (!p) continue;
      total = total ? add(total, p) : p;
    }
    return total;
  }

  getConfig(): ModuleConfig {
    return { type: 'Sequential', args: [], layers: this._layers.map((l) => l.getConfig()) };
  }

  // ---- training API: thin delegates to src/train and src/io ----------------------------
  /** @internal Compile state (optimiser, loss, metrics), set by {@link Sequential.compile}. */
  _training?: TrainingState;

  /** Binds an optimiser, a loss and metrics for fit/evaluate (see src/train/compile.ts); returns this. */
  compile(options: CompileOptions): this {
    compileModel(this, options);
    return this;
  }

  /** Mini-batch training; resolves to the per-epoch History (see src/train/fit.ts). */
  fit(x: Samples, y: Samples, options?: FitOptions): Promise<History> {
    return fitModel(this, x, y, options);
  }

  /** `{ loss, ...metrics }` over a dataset, in evaluation mode (see src/train/evaluate.ts). */
  evaluate(x: Samples, y: Samples, options?: EvaluateOptions): Promise<Record<string, number>> {
    return evaluateModel(this, x, y, options);
  }

  /** Outputs for every sample, batched, in evaluation mode without gradients. */
  predict(x: TensorLike, options?: PredictOptions): Tensor {
    return predictModel(this, x, options);
  }

  /** `{ config, weights (safetensors), optimizer? }` for `ax.loadModel` (see src/io/save.ts). */
  save(options?: SaveOptions): Promise<SavedModel> {
    return saveModel(this, options);
  }
}
