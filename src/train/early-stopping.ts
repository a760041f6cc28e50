/**
 * `earlyStopping`: stops `fit` when a monitored log value (default `valLoss`) has not improved
 * by more than `minDelta` for `patience` epochs, optionally restoring the best epoch's weights.
 */
import { ArgumentError, checkName, checkOptions, describeValue } from '../errors.js';
import type { Callback, FitContext, Logs } from './callbacks.js';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** Log key to watch. Default 'valLoss'. */
  monitor?: string;
  /** Epochs without improvement before stopping (0 and 1 both stop at the first, as in Keras). Default 0. */
  patience?: number;
  /** Smallest change that counts as an improvement (absolute). Default 0. */
  minDelta?: number;
  /** 'min', 'max', or 'auto' (max for names containing "accuracy", else min). Default 'auto'. */
  mode?: 'auto' | 'min' | 'max';
  /**
   * At the end of training (stopped early or not), put back the weights of the best epoch.
   * Default false.
   */
  restoreBestWeights?: boolean;
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number;
}

/** The callback object {@link earlyStopping} returns; its fields say what happened. */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  readonly baseline: number | undefined;
  /** Best monitored value so far. */
  best = Number.NaN;
  /** Epoch of the best value (−1 before any). */
  bestEpoch = -1;
  /** Epoch after which training was stopped (−1 if it was not). */
  stoppedEpoch = -1;
  private wait = 0;
  private lastEpoch = -1;
  private bestWeights: Map<string, { shape: number[]; data: Float32Array }> | null = null;
  private weightsIo: typeof import('../io/weights.js') | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    const fn = 'earlyStopping';
    checkOptions(fn, options, ['monitor', 'patience', 'minDelta', 'mode', 'restoreBestWeights', 'baseline']);
    const { monitor = 'valLoss', patience = 0, minDelta = 0, mode = 'auto', restoreBestWeights = false, baseline } = options;
    if (typeof monitor !== 'string' || monitor.length === 0) throw new ArgumentError(`${fn}: option 'monitor' expected a log key such as 'valLoss', given ${describeValue(monitor)}`);
    if (!Number.isInteger(patience) || patience < 0) throw new ArgumentError(`${fn}: option 'patience' expected a non-negative integer, given ${describeValue(patience)}`);
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) throw new ArgumentError(`${fn}: option 'minDelta' expected a finite number, given ${describeValue(minDelta)}`);
    if (typeof restoreBestWeights !== 'boolean') throw new ArgumentError(`${fn}: option 'restoreBestWeights' expected a boolean, given ${describeValue(restoreBestWeights)}`);
    if (baseline !== undefined && (typeof baseline !== 'number' || !Number.isFinite(baseline))) throw new ArgumentError(`${fn}: option 'baseline' expected a finite number, given ${describeValue(baseline)}`);
    const m = checkName(fn, "option 'mode'", mode, ['auto', 'min', 'max'] as const);
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = Math.abs(minDelta);
    this.mode = m === 'auto' ? (/accuracy/i.test(monitor) ? 'max' : 'min') : m;
    this.restoreBestWeights = restoreBestWeights;
    this.baseline = baseline;
  }

  onTrainBegin(ctx: FitContext): void {
    if (!ctx.logKeys.includes(this.monitor)) {
      const hint = this.monitor.startsWith('val') ? ' (validation keys need validationSplit or validationData)' : '';
      throw new ArgumentError(`earlyStopping: monitored key '${this.monitor}' will not be in the logs${hint}; available: ${ctx.logKeys.join(', ')}`);
    }
    this.best = Number.NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
    this.bestWeights = null;
  }

  private improved(v: number): boolean {
    if (Number.isNaN(v)) return false;
    const ref = Number.isNaN(this.best) ? this.baseline : this.best;
    if (ref === undefined) return true;
    return this.mode === 'min' ? v < ref - this.minDelta : v > ref + this.minDelta;
  }

  async onEpochEnd(epoch: number, logs: Logs, ctx: FitContext): Promise<void> {
    this.lastEpoch = epoch;
    const v = logs[this.monitor]!;
    if (this.improved(v)) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        // imported here, not at the top: the core bundle carries no save/load code (src/io)
        this.weightsIo ??= await import('../io/weights.js');
        this.bestWeights = new Map(await this.weightsIo.readModelWeights(ctx.model));
      }
      return;
    }
    this.wait++;
    if (this.wait >= Math.max(1, this.patience)) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
    }
  }

  onTrainEnd(_logs: Logs | undefined, ctx: FitContext): void {
    if (this.restoreBestWeights && this.bestWeights && this.weightsIo && this.bestEpoch !== this.lastEpoch) this.weightsIo.writeModelWeights(ctx.model, this.bestWeights, 'earlyStopping');
    this.bestWeights = null;
  }
}

/** A callback that stops training when `monitor` stops improving; see {@link EarlyStoppingOptions}. */
export function earlyStopping(options?: EarlyStoppingOptions): EarlyStopping {
  return new EarlyStopping(options);
}
