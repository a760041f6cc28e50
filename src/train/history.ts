/**
 * The record `fit` returns: one entry per epoch for the loss, each metric, the validation
 * counterparts (`valLoss`, `valAccuracy`, …) and the learning rate.
 */
import { ArgumentError, describeValue } from '../errors.js';

/** Per-epoch series by log key. `loss` and `lr` are always present. */
export interface HistoryRecord {
  loss: number[];
  lr: number[];
  accuracy?: number[];
  valLoss?: number[];
  valAccuracy?: number[];
  [key: string]: number[] | undefined;
}

/** What `fit` returns (Keras-style): `history.history.loss[e]`, `history.epoch[e]` (0-based). */
export class History {
  /** Series per log key. */
  readonly history: HistoryRecord = { loss: [], lr: [] };
  /** The 0-based epoch numbers recorded, in order. */
  readonly epoch: number[] = [];

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Readonly<Record<string, number>>): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new ArgumentError(`History.record: argument 'epoch' expected an integer ≥ 0, given ${describeValue(epoch)}`);
    for (const [k, v] of Object.entries(logs ?? {})) if (typeof v !== 'number') throw new ArgumentError(`History.record: log '${k}' expected a number, given ${describeValue(v)}`);
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
