/**
 * The model state a training-mode forward pass changes before the loss is known: batch-norm
 * running statistics and dropout stream offsets. `fit` saves them before each step on backends
 * that read the loss synchronously, and puts them back when the step stops on a non-finite loss
 * (or any other error), so the model is left exactly as after the last completed step. Saving is
 * a device copy of a few per-channel vectors per batch-norm layer into buffers allocated once
 * per `fit`, nothing for models without batch norm.
 */
import type { Storage } from '../kernels/kernels.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batchnorm.js';
import { Dropout } from '../nn/dropout.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';

function modulesOf(model: Module): Module[] {
  const out: Module[] = [model];
  for (const c of model.children()) out.push(...modulesOf(c));
  return out;
}

/** See the file comment. */
export class StepRollback {
  /** Running-statistics tensors and the backup buffer of each (same backend, same size). */
  private readonly stats: Array<[Tensor, Storage]> = [];
  private readonly dropouts: Dropout[] = [];
  private readonly offsets: number[] = [];

  /** `model` null: nothing to save (the asynchronous path, which cannot roll back). */
  constructor(model: Module | null) {
    for (const m of model ? modulesOf(model) : []) {
      if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
        for (const t of [m.runningMean, m.runningVar]) this.stats.push([t, t.backend.alloc(t.size)]);
      } else if (m instanceof Dropout) this.dropouts.push(m);
    }
  }

  /** Records the current state (before a step's forward pass). */
  save(): void {
    for (const [t, backup] of this.stats) if (t.size > 0) t.backend.copy(t.storage, backup, t.size);
    this.offsets.length = 0;
    for (const d of this.dropouts) this.offsets.push(d.offset);
  }

  /** Puts back the state recorded by the last {@link StepRollback.save}. */
  restore(): void {
    for (const [t, backup] of this.stats) if (t.size > 0 && !t.disposed) t.backend.copy(backup, t.storage, t.size);
    this.dropouts.forEach((d, i) => (d.offset = this.offsets[i] ?? d.offset));
  }

  /** Frees the backup buffers. */
  dispose(): void {
    for (const [, backup] of this.stats) backup.dispose();
    this.stats.length = 0;
  }
}
