/**
 * Callbacks: plain objects with any of the hooks below (`{ onEpochEnd(epoch, logs) { … } }`),
 * or the built-ins (`earlyStopping`, `lrScheduler`). Hooks may be async; `fit` awaits them.
 * Epochs and batches are numbered from 0, like `history.epoch`.
 */
import { ArgumentError, describeValue, nearest } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';

/** Logs of one epoch: `loss`, metrics, `valLoss`…, `lr`. */
export type Logs = Record<string, number>;

/** Logs of one batch. */
export interface BatchLogs {
  /** The batch's loss (including any regularisation penalty). */
  loss: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Samples in the batch. */
  size: number;
  /** 0-based epoch. */
  epoch: number;
}

/** What callbacks see of the running `fit`. */
export interface FitContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly epochs: number;
  readonly batchSize: number;
  /** Batches per epoch. */
  readonly steps: number;
  /** Training samples (after any validation split). */
  readonly samples: number;
  /** Keys every epoch's logs will have (`loss`, metrics, `val…`, `lr`). */
  readonly logKeys: readonly string[];
  /** Set to true to end training after the current epoch. */
  stopTraining: boolean;
}

type Maybe = void | Promise<void>;

/** The hooks; all optional. */
export interface Callback {
  /** Before the first step; may throw to reject the setup (nothing has changed yet). */
  onTrainBegin?(ctx: FitContext): Maybe;
  onEpochBegin?(epoch: number, ctx: FitContext): Maybe;
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: FitContext): Maybe;
  /** After the epoch's validation; `logs` holds the values recorded in the history. */
  onEpochEnd?(epoch: number, logs: Logs, ctx: FitContext): Maybe;
  /** After the last epoch (also after an early stop). */
  onTrainEnd?(logs: Logs | undefined, ctx: FitContext): Maybe;
}

/** The hook names, for checking plain-object callbacks. */
export const CALLBACK_HOOKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;

/** Checks `fit`'s `callbacks` option: objects whose function-valued keys are known hooks. */
export function checkCallbacks(fn: string, callbacks: unknown): Callback[] {
  if (callbacks === undefined) return [];
  if (!Array.isArray(callbacks)) throw new ArgumentError(`${fn}: option 'callbacks' expected an array of callback objects, given ${describeValue(callbacks)}`);
  callbacks.forEach((cb, i) => {
    if (cb === null || typeof cb !== 'object') throw new ArgumentError(`${fn}: callbacks[${i}] expected an object with hooks (${CALLBACK_HOOKS.join(', ')}), given ${describeValue(cb)}`);
    if (Object.getPrototypeOf(cb) !== Object.prototype) return;
    let hooks = 0;
    for (const [k, v] of Object.entries(cb as object)) {
      if (typeof v !== 'function') continue;
      if (!(CALLBACK_HOOKS as readonly string[]).includes(k)) {
        const near = nearest(k, CALLBACK_HOOKS);
        throw new ArgumentError(`${fn}: callbacks[${i}] has unknown hook '${k}'${near ? ` (did you mean '${near}'?)` : ''}; valid hooks: ${CALLBACK_HOOKS.join(', ')}`);
      }
      hooks++;
    }
    if (hooks === 0) throw new ArgumentError(`${fn}: callbacks[${i}] has no hook; expected any of ${CALLBACK_HOOKS.join(', ')}`);
  });
  return callbacks as Callback[];
}

/** Calls one hook on every callback in order, awaiting the async ones. */
export async function fire<K extends keyof Callback>(callbacks: readonly Callback[], hook: K, ...args: Parameters<NonNullable<Callback[K]>>): Promise<void> {
  for (const cb of callbacks) {
    const f = cb[hook] as ((...a: unknown[]) => Maybe) | undefined;
    if (typeof f !== 'function') continue;
    const r = f.apply(cb, args);
    if (r && typeof (r as Promise<void>).then === 'function') await r;
  }
}
