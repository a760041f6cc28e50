/**
 * `lrScheduler`: a callback that drives the optimiser's learning rate per epoch from a schedule
 * of src/optim/schedules.ts (`ax.schedules.cosine(50)`, `stepDecay`, …, `reduceOnPlateau`) or a
 * function `(epoch, lr) => newLr`, through `LrScheduler`. The lr of epoch e is set before epoch
 * e runs (so `history.lr[e]` is the rate epoch e trained with). The schedule's epoch count
 * continues across `fit` calls on the same optimiser.
 */
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import { LrScheduler, ReduceOnPlateau, type ScheduleLike } from '../optim/schedules.js';
import type { Callback, FitContext, Logs } from './callbacks.js';

/** Options of {@link lrScheduler}. */
export interface LrSchedulerOptions {
  /** Log key fed to a `reduceOnPlateau` schedule. Default 'valLoss'. */
  monitor?: string;
}

/** The callback object {@link lrScheduler} returns. */
export class LrSchedulerCallback implements Callback {
  readonly schedule: ScheduleLike;
  readonly monitor: string;
  /** The driver, created at the first `fit` (null before). */
  scheduler: LrScheduler | null = null;

  constructor(schedule: ScheduleLike, options: LrSchedulerOptions = {}) {
    checkOptions('lrScheduler', options, ['monitor']);
    const monitor = options.monitor ?? 'valLoss';
    if (typeof monitor !== 'string' || monitor.length === 0) throw new ArgumentError(`lrScheduler: option 'monitor' expected a log key such as 'valLoss', given ${describeValue(monitor)}`);
    const ok = schedule instanceof ReduceOnPlateau || typeof schedule === 'function' || (schedule !== null && typeof schedule === 'object' && typeof (schedule as { lrAt?: unknown }).lrAt === 'function');
    if (!ok) throw new ArgumentError(`lrScheduler: argument 'schedule' expected a schedule (e.g. ax.schedules.cosine(50)), reduceOnPlateau(…) or a function (epoch, lr) => lr, given ${describeValue(schedule)}`);
    this.schedule = schedule;
    this.monitor = monitor;
  }

  onTrainBegin(ctx: FitContext): void {
    if (this.schedule instanceof ReduceOnPlateau && !ctx.logKeys.includes(this.monitor)) {
      const hint = this.monitor.startsWith('val') ? ' (validation keys need validationSplit or validationData)' : '';
      throw new ArgumentError(`lrScheduler: monitored key '${this.monitor}' will not be in the logs${hint}; available: ${ctx.logKeys.join(', ')}`);
    }
  }

  onEpochBegin(_epoch: number, ctx: FitContext): void {
    // Created here rather than in onTrainBegin, which must not change anything (a later
    // callback may still reject the setup).
    if (!this.scheduler || this.scheduler.optimizer !== ctx.optimizer) this.scheduler = new LrScheduler(ctx.optimizer, this.schedule);
  }

  onEpochEnd(_epoch: number, logs: Logs, _ctx: FitContext): void {
    this.scheduler?.step(this.schedule instanceof ReduceOnPlateau ? logs[this.monitor] : undefined);
  }
}

/** A callback setting the learning rate each epoch from `schedule`; see {@link LrSchedulerCallback}. */
export function lrScheduler(schedule: ScheduleLike, options?: LrSchedulerOptions): LrSchedulerCallback {
  return new LrSchedulerCallback(schedule, options);
}
