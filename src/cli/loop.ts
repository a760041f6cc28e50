/**
 * The callbacks `axon train` hangs on `model.fit`: {@link EpochReporter} (progress bar, one
 * summary line per epoch, the curves for `--plot`) and {@link BestEpochStopper} (early stopping
 * on the validation loss, restoring the best epoch's weights). Both keep their state across
 * `fit` calls, because with `--augment` every epoch is its own `fit` call on fresh images.
 */
import { readModelWeights, writeModelWeights } from '../io/weights.js';
import type { BatchLogs, Callback, FitContext, Logs } from '../train/callbacks.js';
import { say, type CliIo } from './common.js';
import { fmtLr, pct } from './format.js';
import type { Curves } from './plot.js';
import { ProgressBar } from './progress.js';

/** Progress bar, epoch lines and recorded curves; `epoch` counts epochs across fit calls. */
export class EpochReporter implements Callback {
  /** Epochs finished so far. */
  epoch = 0;
  readonly curves: Curves = { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
  /** Seconds per finished epoch (training and validation). */
  readonly seconds: number[] = [];
  private bar: ProgressBar | null = null;
  private t0 = 0;

  constructor(
    private readonly io: CliIo,
    private readonly epochs: number,
  ) {}

  onEpochBegin(_epoch: number, ctx: FitContext): void {
    this.t0 = performance.now();
    this.bar = new ProgressBar(this.io.stdout, `epoch ${String(this.epoch + 1).padStart(String(this.epochs).length)}/${this.epochs}`, ctx.steps);
  }

  onBatchEnd(batch: number, logs: BatchLogs): void {
    this.bar?.update(batch + 1, logs.size, logs.loss);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.bar?.end();
    this.bar = null;
    const secs = (performance.now() - this.t0) / 1000;
    this.seconds.push(secs);
    const c = this.curves;
    c.loss.push(logs['loss']!);
    c.accuracy.push(logs['accuracy'] ?? NaN);
    c.valLoss.push(logs['valLoss'] ?? NaN);
    c.valAccuracy.push(logs['valAccuracy'] ?? NaN);
    this.epoch++;
    const parts = [
      `epoch ${String(this.epoch).padStart(String(this.epochs).length)}/${this.epochs}`,
      `loss ${logs['loss']!.toFixed(4)}`,
      `acc ${pct(logs['accuracy'] ?? NaN)}`,
    ];
    if (logs['valLoss'] !== undefined) parts.push(`val_loss ${logs['valLoss'].toFixed(4)}`, `val_acc ${pct(logs['valAccuracy'] ?? NaN)}`);
    parts.push(`lr ${fmtLr(logs['lr']!)}`, `${secs.toFixed(secs < 10 ? 2 : 1)}s`);
    say(this.io, parts.join('  '));
  }
}

/**
 * Stops training when the validation loss has not improved for `patience` epochs, and puts
 * back the best epoch's weights at {@link BestEpochStopper.restore}.
 */
export class BestEpochStopper implements Callback {
  best = Infinity;
  /** 0-based epoch of the best validation loss (−1 before any). */
  bestEpoch = -1;
  /** Whether training was stopped early. */
  stopped = false;
  private epoch = 0;
  private wait = 0;
  private weights: Map<string, { shape: number[]; data: Float32Array }> | null = null;

  constructor(
    private readonly io: CliIo,
    private readonly patience: number,
  ) {}

  async onEpochEnd(_epoch: number, logs: Logs, ctx: FitContext): Promise<void> {
    const v = logs['valLoss']!;
    const e = this.epoch++;
    if (v < this.best) {
      this.best = v;
      this.bestEpoch = e;
      this.wait = 0;
      this.weights = new Map(await readModelWeights(ctx.model));
      return;
    }
    if (++this.wait >= this.patience) {
      this.stopped = true;
      ctx.stopTraining = true;
      say(this.io, `early stopping: the validation loss has not improved for ${this.patience} epoch${this.patience === 1 ? '' : 's'} (best ${this.best.toFixed(4)} at epoch ${this.bestEpoch + 1})`);
    }
  }

  /** Writes the best epoch's weights back into `model` (if a later epoch was worse). */
  restore(model: FitContext['model']): boolean {
    if (!this.weights || this.bestEpoch === this.epoch - 1) return false;
    writeModelWeights(model, this.weights, 'axon train');
    return true;
  }
}
