/**
 * Learning-rate schedules.
 *
 * Two kinds, driven the same way by {@link LrScheduler}:
 * - closed-form schedules ({@link LrSchedule}): a pure `lrAt(epoch, baseLr)` — `stepDecay`,
 *   `exponential`, `inverseTime`, `cosine`, `linearWarmup` (which wraps another schedule);
 * - {@link ReduceOnPlateau}: stateful, `update(metric, lr)` lowers the lr when the monitored
 *   metric stops improving (torch.optim.lr_scheduler.ReduceLROnPlateau).
 * A plain function `(epoch, lr) => newLr` works too (Keras' LearningRateScheduler).
 *
 * "Epoch" is simply the number of `LrScheduler.step()` calls so far: the training loop calls it
 * once per epoch; a manual loop may call it per batch instead. Epoch 0 is the first epoch, and
 * the lr of epoch e is set before epoch e runs, so for every closed-form schedule the optimiser
 * runs epoch e with `lrAt(e, baseLr)` — the same values as torch's schedulers after e calls of
 * `scheduler.step()`.
 */
import { ArgumentError, checkName, checkOptions, describeValue } from '../errors.js';
import type { Optimizer } from './optimizer.js';
import { asRecord, checkNumberIn, enumOption, numOption } from './options.js';

/** A closed-form schedule. */
export interface LrSchedule {
  /** 'stepDecay' | 'exponential' | 'inverseTime' | 'cosine' | 'linearWarmup'. */
  readonly type: string;
  /** Learning rate of epoch `epoch` (integer ≥ 0) for an optimiser that started at `baseLr`. */
  lrAt(epoch: number, baseLr: number): number;
  /** `{ type, ...arguments }` as plain JSON; {@link scheduleFromConfig} rebuilds it. */
  getConfig(): Record<string, unknown>;
}

function checkEpoch(fn: string, epoch: unknown, baseLr: unknown): void {
  checkNumberIn(fn, "argument 'epoch'", epoch, { min: 0, integer: true });
  checkNumberIn(fn, "argument 'baseLr'", baseLr, { min: 0 });
}

function schedule(type: string, config: Record<string, unknown>, f: (epoch: number, baseLr: number) => number): LrSchedule {
  return {
    type,
    lrAt(epoch, baseLr) {
      checkEpoch(`${type}.lrAt`, epoch, baseLr);
      return f(epoch, baseLr);
    },
    getConfig: () => JSON.parse(JSON.stringify({ type, ...config })) as Record<string, unknown>,
  };
}

/** `baseLr·gamma^⌊epoch/stepSize⌋` (torch StepLR). `stepSize` an integer ≥ 1, `gamma` > 0 (default 0.1). */
export function stepDecay(stepSize: number, gamma = 0.1): LrSchedule {
  checkNumberIn('stepDecay', "argument 'stepSize'", stepSize, { min: 1, integer: true });
  checkNumberIn('stepDecay', "argument 'gamma'", gamma, { min: 0, minOpen: true });
  return schedule('stepDecay', { stepSize, gamma }, (e, lr) => lr * gamma ** Math.floor(e / stepSize));
}

/** `baseLr·gamma^epoch` (torch ExponentialLR). `gamma` > 0. */
export function exponential(gamma: number): LrSchedule {
  checkNumberIn('exponential', "argument 'gamma'", gamma, { min: 0, minOpen: true });
  return schedule('exponential', { gamma }, (e, lr) => lr * gamma ** e);
}

/** `baseLr / (1 + decayRate·epoch/decaySteps)` (Keras InverseTimeDecay). `decayRate` ≥ 0, `decaySteps` > 0 (default 1). */
export function inverseTime(decayRate: number, decaySteps = 1): LrSchedule {
  checkNumberIn('inverseTime', "argument 'decayRate'", decayRate, { min: 0 });
  checkNumberIn('inverseTime', "argument 'decaySteps'", decaySteps, { min: 0, minOpen: true });
  return schedule('inverseTime', { decayRate, decaySteps }, (e, lr) => lr / (1 + (decayRate * e) / decaySteps));
}

/**
 * `etaMin + (baseLr − etaMin)·(1 + cos(π·epoch/tMax))/2` (torch CosineAnnealingLR, closed form):
 * baseLr at epoch 0, etaMin at epoch tMax, and back up after that (the cosine continues, as in
 * torch). `tMax` > 0, `etaMin` ≥ 0 (default 0).
 */
export function cosine(tMax: number, etaMin = 0): LrSchedule {
  checkNumberIn('cosine', "argument 'tMax'", tMax, { min: 0, minOpen: true });
  checkNumberIn('cosine', "argument 'etaMin'", etaMin, { min: 0 });
  return schedule('cosine', { tMax, etaMin }, (e, lr) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * e) / tMax))) / 2);
}

/**
 * Linear warm-up: `baseLr·(epoch + 1)/warmupSteps` for the first `warmupSteps` epochs (reaching
 * baseLr in epoch warmupSteps − 1), then `after.lrAt(epoch − warmupSteps, baseLr)` (or baseLr
 * when `after` is omitted). `warmupSteps` an integer ≥ 1.
 */
export function linearWarmup(warmupSteps: number, after?: LrSchedule): LrSchedule {
  checkNumberIn('linearWarmup', "argument 'warmupSteps'", warmupSteps, { min: 1, integer: true });
  if (after !== undefined && !isSchedule(after)) {
    throw new ArgumentError(`linearWarmup: argument 'after' expected a schedule (e.g. cosine(50)), given ${describeValue(after)}`);
  }
  const config: Record<string, unknown> = { warmupSteps };
  if (after) config['after'] = after.getConfig();
  return schedule('linearWarmup', config, (e, lr) => (e < warmupSteps ? (lr * (e + 1)) / warmupSteps : after ? after.lrAt(e - warmupSteps, lr) : lr));
}

/** Options of {@link ReduceOnPlateau} (torch ReduceLROnPlateau's, camel-cased). */
export interface ReduceOnPlateauOptions {
  /** 'min' (default; a loss) or 'max' (an accuracy): which direction is an improvement. */
  mode?: 'min' | 'max';
  /** The lr is multiplied by this on a plateau, in [0, 1); default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (integer ≥ 0), default 10. */
  patience?: number;
  /** Minimum change that counts as an improvement (≥ 0), default 1e-4. */
  threshold?: number;
  /** 'rel' (default: better than best·(1 ∓ threshold)) or 'abs' (better than best ∓ threshold). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (integer ≥ 0), default 0. */
  cooldown?: number;
  /** The lr never goes below this (≥ 0), default 0. */
  minLr?: number;
  /** Reductions smaller than this are skipped (≥ 0), default 1e-8. */
  eps?: number;
}

const PLATEAU_KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'] as const;

/**
 * Lowers the learning rate by `factor` when the metric has not improved for more than
 * `patience` epochs (torch ReduceLROnPlateau, same defaults). Feed it once per epoch with
 * {@link ReduceOnPlateau.update}, or drive an optimiser with {@link LrScheduler}. A NaN metric
 * counts as no improvement.
 */
export class ReduceOnPlateau {
  readonly type = 'reduceOnPlateau';
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  /** Best metric so far (±Infinity before the first update). */
  best = 0;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;

  constructor(options?: ReduceOnPlateauOptions) {
    const fn = 'reduceOnPlateau';
    const o = asRecord(fn, options);
    checkOptions(fn, o, PLATEAU_KEYS);
    this.mode = enumOption(fn, o, 'mode', 'min', ['min', 'max'] as const);
    this.factor = numOption(fn, o, 'factor', 0.1, { min: 0, max: 1, maxOpen: true });
    this.patience = numOption(fn, o, 'patience', 10, { min: 0, integer: true });
    this.threshold = numOption(fn, o, 'threshold', 1e-4, { min: 0 });
    this.thresholdMode = enumOption(fn, o, 'thresholdMode', 'rel', ['rel', 'abs'] as const);
    this.cooldown = numOption(fn, o, 'cooldown', 0, { min: 0, integer: true });
    this.minLr = numOption(fn, o, 'minLr', 0, { min: 0 });
    this.eps = numOption(fn, o, 'eps', 1e-8, { min: 0 });
    this.reset();
  }

  /** Forgets the history (best metric, counters). */
  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.numBadEpochs = 0;
    this.cooldownCounter = 0;
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (1 + threshold) : a > best + threshold;
  }

  /** Records the metric of the epoch just finished; returns the lr for the next epoch (`lr` or lower). */
  update(metric: number, lr: number): number {
    if (typeof metric !== 'number') throw new ArgumentError(`reduceOnPlateau.update: argument 'metric' expected a number, given ${describeValue(metric)}`);
    checkNumberIn('reduceOnPlateau.update', "argument 'lr'", lr, { min: 0 });
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
      const reduced = Math.max(lr * this.factor, this.minLr);
      if (lr - reduced > this.eps) return reduced;
    }
    return lr;
  }

  /** `{ type: 'reduceOnPlateau', ...options }` as plain JSON. */
  getConfig(): Record<string, unknown> {
    const { type, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps } = this;
    return { type, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps };
  }
}

/** `new ReduceOnPlateau(options)`. */
export function reduceOnPlateau(options?: ReduceOnPlateauOptions): ReduceOnPlateau {
  return new ReduceOnPlateau(options);
}

/** What {@link LrScheduler} can drive: a closed-form schedule, a plateau reducer, or `(epoch, lr) => newLr`. */
export type ScheduleLike = LrSchedule | ReduceOnPlateau | ((epoch: number, lr: number) => number);

function isSchedule(s: unknown): s is LrSchedule {
  return s !== null && typeof s === 'object' && typeof (s as LrSchedule).lrAt === 'function' && typeof (s as LrSchedule).type === 'string';
}

/**
 * Drives an optimiser's `lr` from a schedule. The base lr is the optimiser's lr when the
 * scheduler is created; creating it sets the lr of epoch 0. Call {@link LrScheduler.step} once
 * at the end of every epoch (with the monitored metric for {@link ReduceOnPlateau}): it moves to
 * the next epoch, sets `optimizer.lr` and returns it.
 * - closed form: `optimizer.lr = schedule.lrAt(epoch, baseLr)`;
 * - ReduceOnPlateau: `optimizer.lr = schedule.update(metric, optimizer.lr)`;
 * - function: `optimizer.lr = fn(epoch, optimizer.lr)` (called with epoch 0 at creation).
 */
export class LrScheduler {
  readonly optimizer: Optimizer;
  readonly schedule: ScheduleLike;
  /** The optimiser's lr when the scheduler was created. */
  readonly baseLr: number;
  /** Index of the epoch about to run (0 right after creation). */
  epoch = 0;

  constructor(optimizer: Optimizer, schedule: ScheduleLike) {
    const fn = 'LrScheduler';
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
      throw new ArgumentError(`${fn}: argument 'optimizer' expected an Optimizer, given ${describeValue(optimizer)}`);
    }
    if (!(schedule instanceof ReduceOnPlateau) && !isSchedule(schedule) && typeof schedule !== 'function') {
      throw new ArgumentError(`${fn}: argument 'schedule' expected a schedule (e.g. ax.schedules.cosine(50)), a ReduceOnPlateau or a function (epoch, lr) => lr, given ${describeValue(schedule)}`);
    }
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.baseLr = optimizer.lr;
    this.apply(undefined);
  }

  /** Ends the current epoch: advances `epoch`, sets and returns the optimiser's new lr. */
  step(metric?: number): number {
    if (this.schedule instanceof ReduceOnPlateau && typeof metric !== 'number') {
      throw new ArgumentError(`LrScheduler.step: reduceOnPlateau needs the monitored metric, e.g. step(valLoss); given ${describeValue(metric)}`);
    }
    this.epoch++;
    return this.apply(metric);
  }

  private apply(metric: number | undefined): number {
    const s = this.schedule;
    const opt = this.optimizer;
    let lr: number;
    if (s instanceof ReduceOnPlateau) {
      if (metric === undefined) return opt.lr;
      lr = s.update(metric, opt.lr);
    } else if (typeof s === 'function') {
      lr = s(this.epoch, opt.lr);
      checkNumberIn('LrScheduler', `the schedule function's result for epoch ${this.epoch}`, lr, { min: 0 });
    } else {
      lr = s.lrAt(this.epoch, this.baseLr);
    }
    opt.lr = lr;
    return lr;
  }
}

/** Rebuilds a schedule from its `getConfig()`. */
export function scheduleFromConfig(config: Record<string, unknown>): LrSchedule | ReduceOnPlateau {
  const fn = 'scheduleFromConfig';
  const c = asRecord(fn, config, "argument 'config'");
  const num = (k: string): number => c[k] as number;
  switch (c['type']) {
    case 'stepDecay':
      return stepDecay(num('stepSize'), num('gamma'));
    case 'exponential':
      return exponential(num('gamma'));
    case 'inverseTime':
      return inverseTime(num('decayRate'), num('decaySteps'));
    case 'cosine':
      return cosine(num('tMax'), num('etaMin'));
    case 'linearWarmup': {
      const after = c['after'] === undefined ? undefined : scheduleFromConfig(c['after'] as Record<string, unknown>);
      if (after instanceof ReduceOnPlateau) throw new ArgumentError(`${fn}: linearWarmup cannot wrap reduceOnPlateau`);
      return linearWarmup(num('warmupSteps'), after);
    }
    case 'reduceOnPlateau': {
      const { type: _type, ...opts } = c;
      return new ReduceOnPlateau(opts as ReduceOnPlateauOptions);
    }
    default:
      // Every valid type returned above, so checkName throws here (naming the nearest type).
      checkName(fn, 'schedule type', c['type'], ['stepDecay', 'exponential', 'inverseTime', 'cosine', 'linearWarmup', 'reduceOnPlateau']);
      throw new ArgumentError(`${fn}: unknown schedule type ${describeValue(c['type'])}`);
  }
}
